package dev.stacklab.dissect;

import java.util.List;

/**
 * A node of the protocol hierarchy, as Wireshark's Protocol Hierarchy window and {@code tshark -z io,phs} show it:
 * how many frames had this protocol right after the protocols of its ancestors, and their lengths on the wire.
 *
 * @param protocol the display-filter name ("eth", "ip", "tcp", "http", "data", "tcp.segments", "_ws.malformed")
 * @param label    Wireshark's name for it ("Ethernet II", "Internet Protocol Version 4")
 * @param children in the order tshark lists them (first seen first); unmodifiable
 */
public record ProtocolNode(String protocol, String label, long frames, long bytes, List<ProtocolNode> children) {
    public ProtocolNode {
        children = List.copyOf(children);
    }
}
