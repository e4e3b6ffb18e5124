package dev.stacklab.stack;

import dev.stacklab.wire.IpProtocol;
import dev.stacklab.wire.Ipv4Address;

/**
 * An ICMP error about a datagram we sent (RFC 792, RFC 1122 3.2.2.1 and 3.2.2.4), as the engine hands it to the
 * {@link Transport} of the quoted datagram's protocol. The quote is the offending datagram's header and at least the
 * first 8 bytes of its payload (RFC 792): a transport matches it to a socket or connection by the ports in those
 * bytes, and TCP also checks the quoted sequence number (RFC 5927 section 4.1).
 *
 * @param reportedBy           who sent the error (a router on the path, or the destination itself)
 * @param type                 {@link #DESTINATION_UNREACHABLE} or {@link #TIME_EXCEEDED}
 * @param code                 the ICMP code (for destination unreachable: 2 protocol, 3 port, 4 fragmentation needed...)
 * @param nextHopMtu           for "fragmentation needed and DF set", the MTU of the next hop (RFC 1191 section 4; 0 from
 *                             a router older than RFC 1191, or for any other error)
 * @param quotedProtocol       the protocol of the datagram that failed
 * @param quotedSource         its source (always our address: errors about others' datagrams are dropped before)
 * @param quotedDestination    its destination
 * @param quotedTotalLength    its total length as the quoted header gives it (what RFC 1191 section 5 falls back on)
 * @param quotedPayloadHead    the first (up to) 8 bytes of its payload, big-endian, left-aligned
 * @param quotedPayloadLength  how many payload bytes the error quotes (0 to 8 are in {@code quotedPayloadHead})
 */
public record IcmpError(Ipv4Address reportedBy, int type, int code, int nextHopMtu, IpProtocol quotedProtocol,
                        Ipv4Address quotedSource, Ipv4Address quotedDestination, int quotedTotalLength,
                        long quotedPayloadHead, int quotedPayloadLength) {
    public static final int DESTINATION_UNREACHABLE = 3;
    public static final int TIME_EXCEEDED = 11;
    public static final int CODE_PROTOCOL_UNREACHABLE = 2;
    public static final int CODE_PORT_UNREACHABLE = 3;
    public static final int CODE_FRAGMENTATION_NEEDED = 4;

    /**
     * Port unreachable (and protocol unreachable): the destination itself says nobody listens. RFC 1122 4.2.3.9
     * counts both among the "hard" errors on which TCP SHOULD abort the connection.
     */
    public boolean isPortUnreachable() {
        return type == DESTINATION_UNREACHABLE && code == CODE_PORT_UNREACHABLE;
    }

    /** "Fragmentation needed and DF set" (RFC 1191): the datagram was too big for a hop; see {@link #nextHopMtu()}. */
    public boolean isFragmentationNeeded() {
        return type == DESTINATION_UNREACHABLE && code == CODE_FRAGMENTATION_NEEDED;
    }

    /** Whether the quote is long enough to hold both ports of a UDP or TCP header. */
    public boolean quotesPorts() {
        return quotedPayloadLength >= 4;
    }

    /** The quoted UDP or TCP source port (ours), or -1 when the quote is too short. */
    public int quotedSourcePort() {
        return quotesPorts() ? (int) (quotedPayloadHead >>> 48) : -1;
    }

    /** The quoted UDP or TCP destination port, or -1 when the quote is too short. */
    public int quotedDestinationPort() {
        return quotesPorts() ? (int) (quotedPayloadHead >>> 32) & 0xFFFF : -1;
    }

    /**
     * Bytes 4 to 7 of the quoted payload as an unsigned 32-bit value: a TCP segment's sequence number, an echo
     * request's identifier and sequence; -1 when the quote is too short.
     */
    public long quotedSecondWord() {
        return quotedPayloadLength >= 8 ? quotedPayloadHead & 0xFFFF_FFFFL : -1;
    }
}
