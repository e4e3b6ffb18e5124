package dev.stacklab.runtime;

import dev.stacklab.wire.Ipv4Address;

import java.util.List;

/**
 * The statistics iputils ping prints at the end, as numbers; the CLI formats them.
 *
 * @param target       who was pinged
 * @param transmitted  requests sent
 * @param received     replies received
 * @param errors       requests answered by an ICMP error or reported unreachable by the stack
 * @param minNanos     the smallest RTT (0 without replies)
 * @param avgNanos     the mean RTT
 * @param maxNanos     the largest RTT
 * @param mdevNanos    iputils' "mdev": the standard deviation of the RTTs, sqrt(mean(rtt²) - mean(rtt)²)
 * @param elapsedNanos from the first request to the end of the run (iputils' "time")
 * @param results      every result, in the order they arrived
 */
public record PingSummary(Ipv4Address target, int transmitted, int received, int errors, long minNanos, long avgNanos,
                          long maxNanos, long mdevNanos, long elapsedNanos, List<PingResult> results) {
    public PingSummary {
        results = List.copyOf(results);
    }

    /** Counts the results and computes the RTT statistics the way iputils does. */
    public static PingSummary of(Ipv4Address target, int transmitted, List<PingResult> results, long elapsedNanos) {
        PingStatistics statistics = new PingStatistics();
        results.forEach(statistics::add);
        return statistics.summary(target, transmitted, elapsedNanos, results);
    }

    /** Percentage of requests without a reply, as iputils prints it (rounded down to a whole number there). */
    public double lossPercent() {
        return transmitted == 0 ? 0 : 100.0 * (transmitted - received) / transmitted;
    }
}
