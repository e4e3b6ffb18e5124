package dev.stacklab.stack;

/**
 * A token bucket for the ICMP errors a host sends (RFC 1812 4.3.2.8, RFC 1122 3.2.2 lets a host
 * limit them). Like Linux's net.ipv4.icmp_msgs_per_sec (1000) and icmp_msgs_burst (50). Credit is
 * kept in nanoseconds: a message costs {@code 1 s / rate}, the bucket holds {@code burst} of them.
 */
final class IcmpRateLimiter {
    static final int DEFAULT_PER_SECOND = 1000;
    static final int DEFAULT_BURST = 50;

    private final long costNanos;
    private final long capacityNanos;
    private long creditNanos;
    private long lastNanos = Long.MIN_VALUE;

    IcmpRateLimiter(int perSecond, int burst) {
        if (perSecond < 1 || burst < 1) {
            throw new IllegalArgumentException("rate " + perSecond + "/s and burst " + burst + " must be positive");
        }
        this.costNanos = 1_000_000_000L / perSecond;
        this.capacityNanos = costNanos * burst;
        this.creditNanos = capacityNanos;
    }

    /** Takes one token if there is one at {@code now}. */
    boolean tryAcquire(long now) {
        if (lastNanos != Long.MIN_VALUE && now > lastNanos) {
            long elapsed = now - lastNanos;
            creditNanos = elapsed >= capacityNanos ? capacityNanos : Math.min(capacityNanos, creditNanos + elapsed);
        }
        if (lastNanos == Long.MIN_VALUE || now > lastNanos) {
            lastNanos = now;
        }
        if (creditNanos < costNanos) {
            return false;
        }
        creditNanos -= costNanos;
        return true;
    }
}
