package dev.stacklab.stack.tcp;

/**
 * The retransmission timeout of RFC 6298: SRTT and RTTVAR from round-trip samples (section 2), the
 * clock-granularity term G (taken as 1 ms, the timestamp clock's tick), the minimum and maximum
 * bounds (2.4, 2.5), and exponential backoff (5.5) that a new sample ends.
 */
final class RttEstimator {
    private static final long CLOCK_GRANULARITY_NANOS = 1_000_000L;

    private final long minimumNanos;
    private final long maximumNanos;
    private long smoothedNanos;
    private long variationNanos;
    private long baseTimeoutNanos;
    private boolean sampled;
    private int backoff;

    RttEstimator(long initialNanos, long minimumNanos, long maximumNanos) {
        this.minimumNanos = minimumNanos;
        this.maximumNanos = maximumNanos;
        this.baseTimeoutNanos = Math.min(Math.max(initialNanos, minimumNanos), maximumNanos);
    }

    /** A round-trip measurement (RFC 6298 2.2, 2.3, with alpha = 1/8 and beta = 1/4). */
    void sample(long rttNanos) {
        long rtt = Math.max(rttNanos, 0);
        if (!sampled) {
            smoothedNanos = rtt;
            variationNanos = rtt / 2;
            sampled = true;
        } else {
            variationNanos = (3 * variationNanos + Math.abs(smoothedNanos - rtt)) / 4;
            smoothedNanos = (7 * smoothedNanos + rtt) / 8;
        }
        long timeout = smoothedNanos + Math.max(CLOCK_GRANULARITY_NANOS, 4 * variationNanos);
        baseTimeoutNanos = Math.min(Math.max(timeout, minimumNanos), maximumNanos);
        backoff = 0;
    }

    /**
     * RFC 6298 5.7: after the SYN (or SYN-ACK) was retransmitted and no sample exists, the RTO
     * once data flows is 3 s.
     */
    void afterSynRetransmitted() {
        if (!sampled) {
            baseTimeoutNanos = Math.min(Math.max(3_000_000_000L, minimumNanos), maximumNanos);
        }
    }

    /** RFC 6298 5.5: the timer doubles on each expiry, up to the maximum. */
    void backOff() {
        if (backoff < 30) {
            backoff++;
        }
    }

    /** An ACK of new data keeps the backed-off value no longer than until the next sample (RFC 6298 5.7 note). */
    void clearBackoff() {
        backoff = 0;
    }

    long timeoutNanos() {
        long timeout = baseTimeoutNanos;
        for (int i = 0; i < backoff && timeout < maximumNanos; i++) {
            timeout *= 2;
        }
        return Math.min(timeout, maximumNanos);
    }

    /** SRTT, or 0 before the first sample. */
    long smoothedNanos() {
        return smoothedNanos;
    }

    long variationNanos() {
        return variationNanos;
    }

    boolean hasSample() {
        return sampled;
    }
}
