package dev.stacklab.dissect;

/**
 * The layers Wireshark's Conversations and Endpoints dialogs have a tab for, and tshark's {@code -z conv,TYPE} and
 * {@code -z endpoints,TYPE} take: the layers stacklab decodes that carry addresses (and, for TCP and UDP, ports).
 */
public enum ConversationType {
    ETHERNET("Ethernet", "eth"),
    IPV4("IPv4", "ip"),
    IPV6("IPv6", "ipv6"),
    TCP("TCP", "tcp"),
    UDP("UDP", "udp");

    private final String label;
    private final String filterName;

    ConversationType(String label, String filterName) {
        this.label = label;
        this.filterName = filterName;
    }

    /** The tab's name in Wireshark, and the first word of tshark's table title ("TCP Conversations"). */
    public String label() {
        return label;
    }

    /** The protocol's display-filter name, which tshark's {@code -z conv,NAME} also takes. */
    public String filterName() {
        return filterName;
    }

    /** True for TCP and UDP, whose conversations and endpoints have ports. */
    public boolean hasPorts() {
        return this == TCP || this == UDP;
    }

    /** The type whose {@link #filterName()} is {@code name}, or null. */
    public static ConversationType byFilterName(String name) {
        for (ConversationType type : values()) {
            if (type.filterName.equals(name)) {
                return type;
            }
        }
        return null;
    }

    /** The display-filter field matching this layer's address either way: eth.addr, ip.addr, ipv6.addr (TCP and UDP: ip.addr). */
    String addressFilterField(boolean ipv6) {
        return switch (this) {
            case ETHERNET -> "eth.addr";
            case IPV4 -> "ip.addr";
            case IPV6 -> "ipv6.addr";
            case TCP, UDP -> ipv6 ? "ipv6.addr" : "ip.addr";
        };
    }
}
