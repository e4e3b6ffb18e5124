package dev.stacklab.app.tcp.ladder;

import dev.stacklab.wire.TcpPacket;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One arrow of the ladder: one captured TCP segment of the connection, with its numbers relative to each end's
 * initial sequence number (as Wireshark shows them) and what the analysis found.
 *
 * @param frameNumber     its number in the capture's packet list
 * @param timeNanos       when it was captured (epoch nanoseconds)
 * @param fromA           sent by end A (the left line, the end that opened the connection) to end B
 * @param flags           the TCP flag bits ({@link TcpPacket#FLAG_SYN}...)
 * @param sequence        SEQ relative to the sender's initial sequence number
 * @param acknowledgment  ACK relative to the receiver's initial sequence number, or -1 without the ACK flag
 * @param length          payload bytes
 * @param window          the window the sender advertises, in bytes (scaled when both ends agreed on a scale)
 * @param marks           {@link LadderMark}s found, as bits
 * @param duplicateAckNumber which duplicate this is (1 for the first dup ACK), 0 if none
 * @param note            what the wire did to the frame ("dropped by impairment: loss"), or null
 */
public record LadderSegment(int frameNumber, long timeNanos, boolean fromA, int flags, long sequence, long acknowledgment,
                            int length, long window, int marks, int duplicateAckNumber, String note) {

    private static final int[] FLAG_BITS = {TcpPacket.FLAG_FIN, TcpPacket.FLAG_SYN, TcpPacket.FLAG_RST, TcpPacket.FLAG_PSH,
            TcpPacket.FLAG_ACK, TcpPacket.FLAG_URG, TcpPacket.FLAG_ECE, TcpPacket.FLAG_CWR};
    private static final String[] FLAG_NAMES = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"};

    public boolean has(LadderMark mark) {
        return (marks & mark.bit()) != 0;
    }

    public boolean hasFlag(int flag) {
        return (flags & flag) != 0;
    }

    /** The marks found, in {@link LadderMark} order. */
    public List<LadderMark> markList() {
        List<LadderMark> list = new ArrayList<>();
        for (LadderMark mark : LadderMark.values()) {
            if (has(mark)) {
                list.add(mark);
            }
        }
        return list;
    }

    /** The sequence space it takes: its payload plus one for a SYN and one for a FIN. */
    public long sequenceLength() {
        return length + (hasFlag(TcpPacket.FLAG_SYN) ? 1 : 0) + (hasFlag(TcpPacket.FLAG_FIN) ? 1 : 0);
    }

    /** "[SYN, ACK]", as Wireshark's Info column writes the flags. */
    public String flagText() {
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < FLAG_BITS.length; i++) {
            if (hasFlag(FLAG_BITS[i])) {
                text.append(text.length() > 1 ? ", " : "").append(FLAG_NAMES[i]);
            }
        }
        return text.append(']').toString();
    }

    /** "[PSH, ACK] Seq=1 Ack=1 Win=65535 Len=5": what the arrow is labelled with. */
    public String label() {
        StringBuilder text = new StringBuilder(flagText()).append(" Seq=").append(sequence);
        if (acknowledgment >= 0) {
            text.append(" Ack=").append(acknowledgment);
        }
        return text.append(" Win=").append(window).append(" Len=").append(length).toString();
    }

    /** "retransmission", "dup ACK #2", "lost, retransmission": the marks in words, or "" for none. */
    public String markText() {
        StringBuilder text = new StringBuilder();
        for (LadderMark mark : markList()) {
            text.append(text.isEmpty() ? "" : ", ").append(mark.label());
            if (mark == LadderMark.DUPLICATE_ACK) {
                text.append(" #").append(duplicateAckNumber);
            }
        }
        return text.toString();
    }

    /** Seconds since {@code startNanos}, six decimals, as the capture's Time column. */
    public String time(long startNanos) {
        return String.format(Locale.ROOT, "%.6f", (timeNanos - startNanos) / 1e9);
    }
}
