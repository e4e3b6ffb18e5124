package dev.stacklab.stack.tcp;

/**
 * A congestion control algorithm for one connection (RFC 5681). The connection tells it what the ACKs
 * and timers show; it keeps cwnd and ssthresh and says when to retransmit early. NewReno
 * ({@link NewReno}) is the default; CUBIC ({@link Cubic}, RFC 9438) is the other, chosen per stack
 * ({@link TcpConfig#withCongestionAlgorithm}) or per connection ({@link TcpConnection#setCongestionAlgorithm}).
 *
 * <p>Which segments to resend is the connection's: with SACK it runs RFC 6675's loss recovery (scoreboard, pipe,
 * NextSeg) and tells the algorithm only when recovery starts and ends; without SACK the algorithm's own duplicate
 * ACK counting and fast recovery (RFC 6582) decide.
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
     * @param now             the time (CUBIC's window is a function of the time since the last congestion event)
     * @param smoothedRttNanos SRTT, 0 before the first sample
     */
    AckAction onNewAck(int ack, long ackedBytes, long bytesInFlight, int highestSent, long now, long smoothedRttNanos);

    /** A duplicate ACK as RFC 5681 section 2 defines it. */
    AckAction onDuplicateAck(int ack, long bytesInFlight, int highestSent);

    /**
     * SACK-based loss recovery begins (RFC 6675 section 5, step 4.2): the window is cut once, for the whole episode,
     * and not inflated by further duplicate ACKs, since the connection counts what is in the network itself (pipe).
     * No {@link #onNewAck} or {@link #onDuplicateAck} follows until {@link #onLossRecoveryEnd}.
     *
     * @param flightSize  octets outstanding (RFC 5681's FlightSize: sent and not cumulatively acknowledged)
     * @param highestSent the highest sequence number sent so far plus one (raw 32 bits)
     */
    void onLossRecoveryStart(long flightSize, int highestSent);

    /** SACK-based loss recovery ended: a cumulative ACK passed its recovery point (RFC 6675 section 5, step A). */
    void onLossRecoveryEnd();

    /** The retransmission timer expired (RFC 5681 3.1, equation 4). */
    void onRetransmissionTimeout(long bytesInFlight, int highestSent);

    /** The sender's MSS changed (for instance after the handshake). */
    void onMaximumSegmentSize(int mss);
}
