package dev.stacklab.app.tcp.ladder;

/**
 * What the ladder points out about a segment, with Wireshark's words for it (its "TCP analysis" flags), so a student
 * sees the same in the ladder as in the capture's Info column. Each mark has its own colour in the diagram.
 */
public enum LadderMark {
    /** An impairment (or a full queue) dropped the frame: it was sent, never delivered. */
    LOST("lost", "ladder-lost"),
    /** Carries sequence space that was sent before (RFC 9293 3.8.1: a retransmission after a timeout). */
    RETRANSMISSION("retransmission", "ladder-retransmission"),
    /** A retransmission right after duplicate ACKs for its sequence number (RFC 5681 3.2: fast retransmit). */
    FAST_RETRANSMISSION("fast retransmission", "ladder-retransmission"),
    /** Fills a gap below data already seen, never sent before: it overtook nothing but was overtaken. */
    OUT_OF_ORDER("out of order", "ladder-out-of-order"),
    /** The same ACK, window and no data again while data is outstanding (RFC 5681 2: a duplicate acknowledgment). */
    DUPLICATE_ACK("dup ACK", "ladder-duplicate-ack"),
    /** The receiver has no room: the sender must stop and probe (RFC 9293 3.8.6.1). */
    ZERO_WINDOW("zero window", "ladder-zero-window"),
    /**
     * One octet past a zero window, asking whether it opened (RFC 9293 3.8.6.1, the persist timer), and the ACK that
     * answers it: neither a retransmission nor a duplicate ACK, as Wireshark's ZeroWindowProbe and ZeroWindowProbeAck.
     */
    ZERO_WINDOW_PROBE("zero-window probe", "ladder-zero-window");

    private final String label;
    private final String styleClass;

    LadderMark(String label, String styleClass) {
        this.label = label;
        this.styleClass = styleClass;
    }

    public String label() {
        return label;
    }

    /** The swatch in {@code ladder.css} whose colour the diagram draws this mark with. */
    public String styleClass() {
        return styleClass;
    }

    int bit() {
        return 1 << ordinal();
    }
}
