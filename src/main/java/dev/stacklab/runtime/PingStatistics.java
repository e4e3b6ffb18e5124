package dev.stacklab.runtime;

import dev.stacklab.stack.PingOutcome;
import dev.stacklab.wire.Ipv4Address;

import java.util.List;

/**
 * iputils ping's statistics kept as running sums, so that a run of any length needs constant memory: the app's
 * ping pane shows them live, and {@link PingSummary#of} computes them the same way. Not thread-safe.
 */
public final class PingStatistics {
    private int received;
    private int errors;
    private long min = Long.MAX_VALUE;
    private long max;
    private double sum;
    private double sumOfSquares;

    public void add(PingResult result) {
        if (result.outcome() instanceof PingOutcome.Reply reply) {
            long rtt = reply.roundTripNanos();
            received++;
            min = Math.min(min, rtt);
            max = Math.max(max, rtt);
            sum += rtt;
            sumOfSquares += (double) rtt * rtt;
        } else if (result.isError()) {
            errors++;
        }
    }

    public int received() {
        return received;
    }

    public int errors() {
        return errors;
    }

    /**
     * The figures as a summary without the individual results: min/avg/max and iputils' mdev,
     * sqrt(mean(rtt²) - mean(rtt)²), all 0 without replies.
     */
    public PingSummary summary(Ipv4Address target, int transmitted, long elapsedNanos, List<PingResult> results) {
        if (received == 0) {
            return new PingSummary(target, transmitted, 0, errors, 0, 0, 0, 0, elapsedNanos, results);
        }
        double mean = sum / received;
        double variance = Math.max(0, sumOfSquares / received - mean * mean);
        return new PingSummary(target, transmitted, received, errors, min, Math.round(mean), max,
                Math.round(Math.sqrt(variance)), elapsedNanos, results);
    }
}
