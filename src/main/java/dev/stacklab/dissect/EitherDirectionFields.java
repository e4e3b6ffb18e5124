package dev.stacklab.dissect;

import java.util.List;
import java.util.Map;

/**
 * Wireshark's either-direction fields: {@code ip.addr} is ip.src or ip.dst, {@code tcp.port} the source or
 * destination port, and so on. Wireshark's dissectors add them as hidden fields, twice per header; the
 * names are registered here too so a filter can use them whichever dissector is present, and the filter
 * also matches the one-direction fields they stand for, which gives the same answer when both exist
 * (see {@link FilterNode.FieldRef}).
 */
final class EitherDirectionFields {
    static final FieldDef ETH_ADDR = FieldDef.mac("eth.addr", "Address");
    static final FieldDef IP_ADDR = FieldDef.ipv4("ip.addr", "Source or Destination Address");
    static final FieldDef IP_HOST = FieldDef.string("ip.host", "Source or Destination Host");
    static final FieldDef TCP_PORT = FieldDef.uint("tcp.port", "Source or Destination Port");
    static final FieldDef UDP_PORT = FieldDef.uint("udp.port", "Source or Destination Port");

    static final List<FieldDef> FIELDS = List.of(ETH_ADDR, IP_ADDR, IP_HOST, TCP_PORT, UDP_PORT);

    private static final String[] NONE = new String[0];
    private static final Map<String, String[]> SOURCES = Map.of(
            "eth.addr", new String[] {"eth.src", "eth.dst"},
            "ip.addr", new String[] {"ip.src", "ip.dst"},
            // ip.host is the address as text (a host name when name resolution is on, which stacklab never does).
            "ip.host", new String[] {"ip.src_host", "ip.dst_host", "ip.src", "ip.dst"},
            "tcp.port", new String[] {"tcp.srcport", "tcp.dstport"},
            "udp.port", new String[] {"udp.srcport", "udp.dstport"});

    private EitherDirectionFields() {
    }

    /** The one-direction fields a name also stands for; empty for ordinary fields. */
    static String[] sources(String name) {
        return SOURCES.getOrDefault(name, NONE);
    }
}
