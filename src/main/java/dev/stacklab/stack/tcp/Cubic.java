package dev.stacklab.stack.tcp;

import dev.stacklab.wire.TcpSeqNumber;

/**
 * CUBIC (RFC 9438): after a congestion event the window grows as a cubic function of the time since it, concave up to
 * the window where the loss happened (W_max) and convex beyond it, so that it returns quickly to where it was and probes
 * carefully there; never slower than Reno would (the Reno-friendly region). Slow start, the initial window, fast
 * retransmit and fast recovery without SACK are as {@link NewReno}'s; only the reduction (by beta_cubic = 0.7 instead
 * of a half) and congestion avoidance differ. Windows in the RFC's formulas are in segments; here cwnd is kept in bytes.
 */
public final class Cubic implements CongestionControl {
    /** RFC 9438 section 5: C = 0.4 (segments per second cubed). */
    static final double C = 0.4;
    /** RFC 9438 section 4.6: the multiplicative decrease factor beta_cubic. */
    static final double BETA = 0.7;
    /** RFC 9438 section 4.3: alpha_cubic, so that the average window equals Reno's (AIMD) under the same losses. */
    static final double ALPHA = 3 * (1 - BETA) / (1 + BETA);
    private static final double NANOS_PER_SECOND = 1e9;

    private int mss;
    private long congestionWindow;
    private long slowStartThreshold = Long.MAX_VALUE / 2;
    private int duplicateAcks;
    private boolean inRecovery;
    private int recover;
    private boolean recoverSet;

    /** W_max in segments: the window just before the last reduction (after fast convergence, section 4.7). */
    private double windowMax;
    /** cwnd_prior in segments: the window when ssthresh was last set. */
    private double windowPrior;
    /** K in seconds: the time the cubic function takes to return to W_max (section 4.2). */
    private double timeToWindowMax;
    /** When the current congestion avoidance stage began (t = 0), or -1 before its first ACK. */
    private long epochStartNanos = -1;
    /** W_est in segments: the Reno-friendly estimate (section 4.3). */
    private double renoEstimate;

    public Cubic(int mss) {
        this.mss = mss;
        this.congestionWindow = NewReno.initialWindow(mss);
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

    /** W_max in bytes (for tests and the snapshot's reader), 0 before the first congestion event. */
    long windowMaxBytes() {
        return Math.round(windowMax * mss);
    }

    /** K in nanoseconds. */
    long timeToWindowMaxNanos() {
        return Math.round(timeToWindowMax * NANOS_PER_SECOND);
    }

    @Override
    public AckAction onNewAck(int ack, long ackedBytes, long bytesInFlight, int highestSent, long now, long smoothedRttNanos) {
        duplicateAcks = 0;
        if (inRecovery) {
            if (TcpSeqNumber.after(ack, recover)) {
                // RFC 6582 3.2 step 3 (as NewReno): full acknowledgment, deflate to ssthresh.
                long remaining = Math.max(bytesInFlight - ackedBytes, 0);
                congestionWindow = Math.min(slowStartThreshold, Math.max(remaining, mss) + mss);
                inRecovery = false;
                epochStartNanos = -1;
                return AckAction.NONE;
            }
            congestionWindow = Math.max(congestionWindow - ackedBytes, mss);
            if (ackedBytes >= mss) {
                congestionWindow += mss;
            }
            return AckAction.RETRANSMIT_FIRST_UNACKED;
        }
        if (congestionWindow < slowStartThreshold) {
            // RFC 9438 4.10: standard slow start (RFC 5681 3.1, byte counting with L = 1 SMSS).
            congestionWindow += Math.min(ackedBytes, mss);
            return AckAction.NONE;
        }
        congestionAvoidance(ackedBytes, now, smoothedRttNanos);
        return AckAction.NONE;
    }

    /** RFC 9438 sections 4.2 to 4.5, on an ACK of {@code ackedBytes} in congestion avoidance. */
    private void congestionAvoidance(long ackedBytes, long now, long smoothedRttNanos) {
        double cwnd = (double) congestionWindow / mss;
        if (epochStartNanos < 0) {
            // The stage begins: t = 0 now, from the window it starts with (cwnd_epoch).
            epochStartNanos = now;
            if (windowMax < cwnd) {
                // No congestion event yet, or the window already passed W_max: the plateau is where we are (K = 0).
                windowMax = cwnd;
            }
            timeToWindowMax = Math.cbrt((windowMax - cwnd) / C);
            renoEstimate = cwnd;
        }
        double t = (now - epochStartNanos) / NANOS_PER_SECOND;
        double rtt = smoothedRttNanos / NANOS_PER_SECOND;
        double segmentsAcked = (double) ackedBytes / mss;
        // Section 4.3: W_est grows by alpha_cubic per window of ACKs, by 1 once it passed cwnd_prior.
        double alpha = renoEstimate >= windowPrior ? 1.0 : ALPHA;
        renoEstimate += alpha * segmentsAcked / cwnd;
        double cubicNow = windowCubic(t);
        if (cubicNow < renoEstimate) {
            cwnd = renoEstimate; // the Reno-friendly region
        } else {
            // Sections 4.4 and 4.5: towards W_cubic one RTT ahead, at most half a window more per RTT.
            double target = Math.min(Math.max(windowCubic(t + rtt), cwnd), 1.5 * cwnd);
            cwnd += (target - cwnd) / cwnd * segmentsAcked;
        }
        congestionWindow = Math.max(congestionWindow, (long) (cwnd * mss));
    }

    /** W_cubic(t) = C (t - K)^3 + W_max, in segments (RFC 9438 equation 1). */
    double windowCubic(double seconds) {
        double fromPlateau = seconds - timeToWindowMax;
        return C * fromPlateau * fromPlateau * fromPlateau + windowMax;
    }

    /** RFC 9438 4.6 and 4.7: the window at the congestion event, W_max with fast convergence, ssthresh = flight * beta. */
    private void reduce(long flightSize) {
        double cwnd = (double) congestionWindow / mss;
        // 4.7 fast convergence: a window that did not reach the last W_max releases bandwidth to newer flows.
        windowMax = cwnd < windowMax ? cwnd * (1 + BETA) / 2 : cwnd;
        windowPrior = cwnd;
        slowStartThreshold = Math.max((long) (flightSize * BETA), 2L * mss);
        epochStartNanos = -1;
    }

    @Override
    public AckAction onDuplicateAck(int ack, long bytesInFlight, int highestSent) {
        if (inRecovery) {
            congestionWindow += mss; // RFC 5681 3.2 step 4, as NewReno
            return AckAction.NONE;
        }
        duplicateAcks++;
        if (duplicateAcks != NewReno.DUPLICATE_ACK_THRESHOLD) {
            return AckAction.NONE;
        }
        if (recoverSet && !TcpSeqNumber.after(ack, recover)) {
            return AckAction.NONE;
        }
        reduce(bytesInFlight);
        congestionWindow = slowStartThreshold + (long) NewReno.DUPLICATE_ACK_THRESHOLD * mss;
        recover = highestSent - 1;
        recoverSet = true;
        inRecovery = true;
        return AckAction.RETRANSMIT_FIRST_UNACKED;
    }

    @Override
    public void onLossRecoveryStart(long flightSize, int highestSent) {
        reduce(flightSize);
        congestionWindow = slowStartThreshold;
        duplicateAcks = 0;
        inRecovery = true;
        recover = highestSent - 1;
        recoverSet = true;
    }

    @Override
    public void onLossRecoveryEnd() {
        congestionWindow = Math.min(congestionWindow, slowStartThreshold);
        inRecovery = false;
        epochStartNanos = -1;
    }

    @Override
    public void onRetransmissionTimeout(long bytesInFlight, int highestSent) {
        // RFC 9438 4.8: ssthresh as at any congestion event, cwnd one segment; slow start up to ssthresh, then a new
        // congestion avoidance stage.
        reduce(bytesInFlight);
        congestionWindow = mss;
        duplicateAcks = 0;
        inRecovery = false;
        recover = highestSent - 1;
        recoverSet = true;
    }

    @Override
    public void onMaximumSegmentSize(int newMss) {
        boolean untouched = congestionWindow == NewReno.initialWindow(mss);
        this.mss = newMss;
        if (untouched) {
            congestionWindow = NewReno.initialWindow(newMss);
        }
    }
}
