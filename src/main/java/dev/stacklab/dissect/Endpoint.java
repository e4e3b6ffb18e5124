package dev.stacklab.dissect;

/**
 * One endpoint as Wireshark's Endpoints dialog and {@code tshark -z endpoints,TYPE} show it: an address (and a port
 * for TCP and UDP), and the frames it sent (tx) and received (rx), with their lengths on the wire (frame.len).
 *
 * @param port -1 for Ethernet, IPv4 and IPv6
 */
public record Endpoint(ConversationType type, String address, int port, long frames, long bytes,
        long txFrames, long txBytes, long rxFrames, long rxBytes) {

    /** Wireshark's "Apply as Filter" text, e.g. "ip.addr==10.0.0.1" or "ip.addr==10.0.0.1 &amp;&amp; tcp.port==80". */
    public String filter() {
        return filter(type, address, port);
    }

    static String filter(ConversationType type, String address, int port) {
        String addressFilter = type.addressFilterField(address.indexOf(':') >= 0) + "==" + address;
        return port < 0 ? addressFilter : addressFilter + " && " + type.filterName() + ".port==" + port;
    }
}
