package dev.stacklab.stack.tcp;

/**
 * A congestion control algorithm for one connection (RFC 5681). The connection tells it what the ACKs
 * and timers show; it keeps cwnd and ssthresh and says when to retransmit early. NewReno
 * ({@link NewReno}) is the default; CUBIC (RFC 9438) would be a second implementation.
 */
public interface CongestionControl {
    /** What the connection does after an ACK, beyond the usual. */
    enum AckAction {
        NONE,
        /** Retransmit the first unacknowledged segment now (fast retransmit, or a partial ACK in recovery). */
        RETRANSMIT_FIRST_UNACKED
    }

    /** The congestion window in bytes. */
    long congestionWindow();

    /** The slow-start threshold in bytes. */
    long slowStartThreshold();

    /** True while in fast recovery. */
    boolean inRecovery();

    /**
     * An ACK that moves SND.UNA forward.
     *
     * @param ack             the new SND.UNA (raw 32 bits)
     * @param ackedBytes      octets it acknowledges for the first time
     * @param bytesInFlight   octets outstanding before this ACK
     * @param highestSent     the highest sequence number sent so far plus one (raw 32 bits)
     */
    AckAction onNewAck(int ack, long ackedBytes, long bytesInFlight, int highestSent);

    /** A duplicate ACK as RFC 5681 section 2 defines it. */
    AckAction onDuplicateAck(int ack, long bytesInFlight, int highestSent);

    /** The retransmission timer expired (RFC 5681 3.1, equation 4). */
    void onRetransmissionTimeout(long bytesInFlight, int highestSent);

    /** The sender's MSS changed (for instance after the handshake). */
    void onMaximumSegmentSize(int mss);
}
