package dev.stacklab.wire;

import java.util.StringJoiner;

/**
 * The 12 flag bits after a TCP header's data offset (RFC 9293 section 3.1, RFC 3168 section 6.1),
 * numbered as Wireshark's {@code tcp.flags} reads them. Open, like the other wire codes: any of the
 * 12 bits may be set, reserved ones included, so parse then emit keeps them.
 *
 * @param bits the 12 bits, FIN in the lowest
 */
public record TcpFlags(int bits) {
    public static final TcpFlags NONE = new TcpFlags(0);
    public static final TcpFlags FIN = new TcpFlags(TcpPacket.FLAG_FIN);
    public static final TcpFlags SYN = new TcpFlags(TcpPacket.FLAG_SYN);
    public static final TcpFlags RST = new TcpFlags(TcpPacket.FLAG_RST);
    public static final TcpFlags PSH = new TcpFlags(TcpPacket.FLAG_PSH);
    public static final TcpFlags ACK = new TcpFlags(TcpPacket.FLAG_ACK);
    public static final TcpFlags URG = new TcpFlags(TcpPacket.FLAG_URG);
    public static final TcpFlags ECE = new TcpFlags(TcpPacket.FLAG_ECE);
    public static final TcpFlags CWR = new TcpFlags(TcpPacket.FLAG_CWR);
    public static final TcpFlags NS = new TcpFlags(TcpPacket.FLAG_NS);
    public static final TcpFlags SYN_ACK = new TcpFlags(TcpPacket.FLAG_SYN | TcpPacket.FLAG_ACK);
    public static final TcpFlags FIN_ACK = new TcpFlags(TcpPacket.FLAG_FIN | TcpPacket.FLAG_ACK);
    public static final TcpFlags RST_ACK = new TcpFlags(TcpPacket.FLAG_RST | TcpPacket.FLAG_ACK);
    public static final TcpFlags PSH_ACK = new TcpFlags(TcpPacket.FLAG_PSH | TcpPacket.FLAG_ACK);

    private static final String[] NAMES = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR", "NS", "Reserved", "Reserved", "Reserved"};
    // Wireshark's order in the Info column: FIN first ("[FIN, PSH, ACK]").
    private static final int[] DISPLAY_ORDER = {0, 1, 2, 3, 4, 5, 6, 7, 8};

    public TcpFlags {
        if ((bits & ~0x0FFF) != 0) {
            throw new IllegalArgumentException("TCP flags have 12 bits, not 0x" + Integer.toHexString(bits));
        }
    }

    public static TcpFlags of(TcpFlags... flags) {
        int bits = 0;
        for (TcpFlags flag : flags) {
            bits |= flag.bits;
        }
        return new TcpFlags(bits);
    }

    /** True when every bit of {@code flag} is set here. */
    public boolean has(TcpFlags flag) {
        return (bits & flag.bits) == flag.bits;
    }

    public TcpFlags with(TcpFlags flag) {
        return new TcpFlags(bits | flag.bits);
    }

    public TcpFlags without(TcpFlags flag) {
        return new TcpFlags(bits & ~flag.bits);
    }

    public boolean fin() {
        return (bits & TcpPacket.FLAG_FIN) != 0;
    }

    public boolean syn() {
        return (bits & TcpPacket.FLAG_SYN) != 0;
    }

    public boolean rst() {
        return (bits & TcpPacket.FLAG_RST) != 0;
    }

    public boolean psh() {
        return (bits & TcpPacket.FLAG_PSH) != 0;
    }

    public boolean ack() {
        return (bits & TcpPacket.FLAG_ACK) != 0;
    }

    public boolean urg() {
        return (bits & TcpPacket.FLAG_URG) != 0;
    }

    /** As Wireshark's Info column shows them: "[SYN, ACK]", "[&lt;None&gt;]" for none. */
    @Override
    public String toString() {
        if (bits == 0) {
            return "[<None>]";
        }
        StringJoiner joined = new StringJoiner(", ", "[", "]");
        for (int bit : DISPLAY_ORDER) {
            if ((bits & (1 << bit)) != 0) {
                joined.add(NAMES[bit]);
            }
        }
        if ((bits & TcpPacket.FLAGS_RESERVED) != 0) {
            joined.add("Reserved");
        }
        return joined.toString();
    }
}
