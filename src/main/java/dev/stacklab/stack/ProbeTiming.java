package dev.stacklab.stack;

import java.time.Duration;

/**
 * How an address is probed before it is used (RFC 5227 section 2.1.1): wait a random time up to
 * {@code probeWait}, send {@code probeCount} ARP probes a random {@code probeMin}..{@code probeMax} apart, then
 * listen {@code announceWait} after the last one. Only if nobody claimed the address by then is it free.
 *
 * @param probeWaitNanos    the longest random delay before the first probe (PROBE_WAIT)
 * @param probeCount        how many probes (PROBE_NUM)
 * @param probeMinNanos     the shortest gap between probes (PROBE_MIN)
 * @param probeMaxNanos     the longest gap between probes (PROBE_MAX)
 * @param announceWaitNanos how long to listen after the last probe (ANNOUNCE_WAIT)
 */
public record ProbeTiming(long probeWaitNanos, int probeCount, long probeMinNanos, long probeMaxNanos, long announceWaitNanos) {
    private static final long SECOND = 1_000_000_000L;
    private static final long MILLISECOND = 1_000_000L;

    /**
     * RFC 5227 section 1.1's constants: PROBE_WAIT 1 s, PROBE_NUM 3, PROBE_MIN 1 s, PROBE_MAX 2 s, ANNOUNCE_WAIT 2 s.
     * Between 4 and 7 seconds in all: long enough for a host that sleeps or a switch port still coming up to answer.
     * (ANNOUNCE_NUM 2 announcements ANNOUNCE_INTERVAL 2 s apart follow once the address is in use; the stack
     * announces itself when it starts.)
     */
    public static final ProbeTiming RFC_5227 = new ProbeTiming(SECOND, 3, SECOND, 2 * SECOND, 2 * SECOND);

    /**
     * The same three probes, compressed to about 0.3 s for a command-line tool that is started by hand on a lab
     * link: every host that is awake answers an ARP request within milliseconds, and a person waits for each run.
     */
    public static final ProbeTiming QUICK = new ProbeTiming(0, 3, 50 * MILLISECOND, 50 * MILLISECOND, 200 * MILLISECOND);

    public ProbeTiming {
        if (probeWaitNanos < 0 || probeMinNanos < 0 || probeMaxNanos < probeMinNanos || announceWaitNanos < 0) {
            throw new IllegalArgumentException("probe timings must be 0 or more, with PROBE_MIN <= PROBE_MAX: " + this);
        }
        if (probeCount < 1) {
            throw new IllegalArgumentException("at least one probe, not " + probeCount);
        }
    }

    /** The longest a probe with these timings can take before it decides (a conflict may end it sooner). */
    public Duration longest() {
        return Duration.ofNanos(probeWaitNanos + (probeCount - 1) * probeMaxNanos + announceWaitNanos);
    }
}
