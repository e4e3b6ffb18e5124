package dev.stacklab.stack.tcp;

import dev.stacklab.wire.TcpSeqNumber;

/**
 * NewReno: slow start and congestion avoidance (RFC 5681 section 3.1), fast retransmit on the third
 * duplicate ACK and fast recovery with partial ACKs (RFC 6582 section 3.2), the initial window of
 * RFC 6928, and byte counting in slow start limited to one SMSS per ACK (RFC 3465, L = 1).
 */
public final class NewReno implements CongestionControl {
    /** RFC 5681 3.2: the third duplicate ACK means a segment was lost. */
    static final int DUPLICATE_ACK_THRESHOLD = 3;

    private int mss;
    private long congestionWindow;
    private long slowStartThreshold = Long.MAX_VALUE / 2;
    private int duplicateAcks;
    private boolean inRecovery;
    /** RFC 6582 "recover": the highest sequence number sent when recovery began. */
    private int recover;
    private boolean recoverSet;

    public NewReno(int mss) {
        this.mss = mss;
        this.congestionWindow = initialWindow(mss);
    }

    /** RFC 6928 section 2: min(10·MSS, max(2·MSS, 14600)). */
    static long initialWindow(int mss) {
        return Math.min(10L * mss, Math.max(2L * mss, 14_600));
    }

    @Override
    public long congestionWindow() {
        return congestionWindow;
    }

    @Override
    public long slowStartThreshold() {
        return slowStartThreshold;
    }

    @Override
    public boolean inRecovery() {
        return inRecovery;
    }

    @Override
    public AckAction onNewAck(int ack, long ackedBytes, long bytesInFlight, int highestSent, long now, long smoothedRttNanos) {
        duplicateAcks = 0;
        if (inRecovery) {
            if (TcpSeqNumber.after(ack, recover)) {
                // RFC 6582 3.2 step 3, full acknowledgment: deflate to ssthresh (option 1, bounded by what is in flight).
                long remaining = Math.max(bytesInFlight - ackedBytes, 0);
                congestionWindow = Math.min(slowStartThreshold, Math.max(remaining, mss) + mss);
                inRecovery = false;
                return AckAction.NONE;
            }
            // Step 4, partial acknowledgment: retransmit the next hole, deflate by what was acked, add one SMSS back.
            congestionWindow = Math.max(congestionWindow - ackedBytes, mss);
            if (ackedBytes >= mss) {
                congestionWindow += mss;
            }
            return AckAction.RETRANSMIT_FIRST_UNACKED;
        }
        if (congestionWindow < slowStartThreshold) {
            // RFC 5681 3.1 equation 2, with appropriate byte counting (RFC 3465 L = 1 SMSS).
            congestionWindow += Math.min(ackedBytes, mss);
        } else {
            // Equation 3: about one SMSS per round trip.
            congestionWindow += Math.max(1, (long) mss * mss / congestionWindow);
        }
        return AckAction.NONE;
    }

    @Override
    public AckAction onDuplicateAck(int ack, long bytesInFlight, int highestSent) {
        if (inRecovery) {
            // RFC 6582 3.2 step 2 / RFC 5681 3.2 step 4: each further duplicate inflates the window by one SMSS.
            congestionWindow += mss;
            return AckAction.NONE;
        }
        duplicateAcks++;
        if (duplicateAcks != DUPLICATE_ACK_THRESHOLD) {
            return AckAction.NONE;
        }
        // RFC 6582 3.2 step 1: enter recovery only when the ACK covers more than "recover", so that
        // duplicates caused by retransmissions of an earlier recovery do not start another one.
        if (recoverSet && !TcpSeqNumber.after(ack, recover)) {
            return AckAction.NONE;
        }
        slowStartThreshold = Math.max(bytesInFlight / 2, 2L * mss);
        congestionWindow = slowStartThreshold + (long) DUPLICATE_ACK_THRESHOLD * mss;
        recover = highestSent - 1;
        recoverSet = true;
        inRecovery = true;
        return AckAction.RETRANSMIT_FIRST_UNACKED;
    }

    @Override
    public void onLossRecoveryStart(long flightSize, int highestSent) {
        // RFC 6675 step 4.2: ssthresh = cwnd = FlightSize / 2 (RFC 5681 equation 4, at least two segments).
        slowStartThreshold = Math.max(flightSize / 2, 2L * mss);
        congestionWindow = slowStartThreshold;
        duplicateAcks = 0;
        inRecovery = true;
        recover = highestSent - 1;
        recoverSet = true;
    }

    @Override
    public void onLossRecoveryEnd() {
        // RFC 6675 leaves cwnd at ssthresh: congestion avoidance goes on from there.
        congestionWindow = Math.min(congestionWindow, slowStartThreshold);
        inRecovery = false;
    }

    @Override
    public void onRetransmissionTimeout(long bytesInFlight, int highestSent) {
        // RFC 5681 3.1 equation 4 and the loss window of one SMSS; RFC 6582 section 4: recover = highest sent.
        slowStartThreshold = Math.max(bytesInFlight / 2, 2L * mss);
        congestionWindow = mss;
        duplicateAcks = 0;
        inRecovery = false;
        recover = highestSent - 1;
        recoverSet = true;
    }

    @Override
    public void onMaximumSegmentSize(int newMss) {
        boolean untouched = congestionWindow == initialWindow(mss);
        this.mss = newMss;
        if (untouched) {
            congestionWindow = initialWindow(newMss);
        }
    }
}
