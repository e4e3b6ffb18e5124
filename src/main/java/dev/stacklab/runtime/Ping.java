package dev.stacklab.runtime;

import dev.stacklab.stack.PingOutcome;
import dev.stacklab.stack.PingRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A blocking ping run for the CLI and library users, on a {@link StackRunner}: like iputils ping, requests go
 * out on a fixed schedule (one every interval, whether or not the last was answered), results are reported in
 * the order they arrive, and the run ends when all requests have been answered or timed out, or on
 * {@link #stop()}. The round-trip times are the engine's, measured on the runner thread.
 *
 * <p>Results reach the callback on the thread that called {@link #run}, never on the runner thread, so the
 * callback may print or block.
 */
public final class Ping {
    /** Extra wait past a request's timeout before giving up on an engine that never reported it. */
    private static final long GRACE_NANOS = 1_000_000_000L;

    private final StackRunner runner;
    private final PingSettings settings;
    /** Outcomes on their way from the runner thread to the caller's; {@link #stop()} puts {@link #STOP} in too. */
    private final BlockingQueue<Arrival> arrivals = new LinkedBlockingQueue<>();
    private volatile boolean stopped;

    public Ping(StackRunner runner, PingSettings settings) {
        this.runner = runner;
        this.settings = settings;
    }

    /** A failed future from the runner (closed, or the engine refused the request), carried to the caller's thread. */
    private record Arrival(int sequence, PingOutcome outcome, Throwable failure) {
    }

    private static final Arrival STOP = new Arrival(-1, null, null);

    /**
     * Sends the requests and waits for their outcomes.
     *
     * @param onResult told each result as it arrives, on this thread
     * @return the statistics; after {@link #stop()}, requests still unanswered count as lost
     * @throws IllegalStateException when the runner stops or refuses a request
     * @throws InterruptedException when this thread is interrupted (the results so far are lost)
     */
    public PingSummary run(Consumer<PingResult> onResult) throws InterruptedException {
        List<PingResult> results = new ArrayList<>();
        long interval = settings.interval().toNanos();
        long timeout = settings.timeout().toNanos();
        long start = System.nanoTime();
        long nextSend = start;
        long lastSentAt = start;
        int sent = 0;
        int outstanding = 0;
        while (!stopped) {
            long now = System.nanoTime();
            boolean moreToSend = settings.count() == 0 || sent < settings.count();
            if (moreToSend && now >= nextSend) {
                // iputils numbers from 1; the field is 16 bits and wraps.
                int sequence = (sent + 1) & 0xFFFF;
                PingRequest request = new PingRequest(settings.target(), settings.identifier(), sequence,
                        settings.payloadSize(), settings.ttl(), timeout, settings.pathMtuDiscovery());
                runner.ping(request).whenComplete((outcome, failure) -> arrivals.add(new Arrival(sequence, outcome, failure)));
                sent++;
                outstanding++;
                lastSentAt = now;
                nextSend += interval;
                continue;
            }
            if (!moreToSend && outstanding == 0) {
                break;
            }
            long waitUntil = moreToSend ? nextSend : lastSentAt + timeout + GRACE_NANOS;
            if (!moreToSend && now >= waitUntil) {
                break;
            }
            Arrival arrival = arrivals.poll(Math.max(0, waitUntil - now), TimeUnit.NANOSECONDS);
            if (arrival == null || arrival == STOP) {
                continue;
            }
            if (arrival.failure() != null) {
                throw new IllegalStateException("ping " + settings.target() + " failed: " + rootMessage(arrival.failure()),
                        arrival.failure());
            }
            outstanding--;
            PingResult result = new PingResult(arrival.sequence(), arrival.outcome());
            results.add(result);
            onResult.accept(result);
        }
        return PingSummary.of(settings.target(), sent, results, System.nanoTime() - start);
    }

    /** Ends the run from another thread (Ctrl-C): no more requests; {@link #run} returns what it has. */
    public void stop() {
        stopped = true;
        // Wakes the run from its wait on the queue; it then sees `stopped`.
        arrivals.add(STOP);
    }

    static String rootMessage(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }
}
