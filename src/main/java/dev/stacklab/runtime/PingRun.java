package dev.stacklab.runtime;

import dev.stacklab.stack.PingRequest;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A ping run that never blocks its caller, for a UI: like {@link Ping}, requests leave on a fixed schedule (one
 * every interval, answered or not) and each result is reported as it arrives, but the schedule runs on a timer
 * thread of its own and the listener is called there and on the runner's thread. The listener must return at once
 * (hand the news to the UI's queue); it hears {@link Listener#finished} exactly once, after which it hears nothing.
 */
public final class PingRun {
    /** Extra wait past the last request's timeout before giving up on an engine that never reported it. */
    private static final long GRACE_NANOS = 1_000_000_000L;

    /** What a run reports; called on the run's timer thread or the runner's thread, never concurrently. */
    public interface Listener {
        /** A request left with this sequence number. */
        void sent(int sequence);

        /** A request ended: answered, reported unreachable, or timed out. */
        void result(PingResult result);

        /**
         * The run is over: every request ended, {@link #stop()} was called, or the stack refused a request
         * ({@code failure} is then its reason, else null).
         *
         * @param transmitted  requests sent
         * @param elapsedNanos from the first request to the end, as iputils' "time"
         */
        void finished(int transmitted, long elapsedNanos, String failure);
    }

    private final StackRunner runner;
    private final PingSettings settings;
    private final Listener listener;
    private final ScheduledExecutorService timer;
    private final long startNanos = System.nanoTime();
    private int sent;
    private int outstanding;
    private boolean over;

    private PingRun(StackRunner runner, PingSettings settings, Listener listener) {
        this.runner = runner;
        this.settings = settings;
        this.listener = listener;
        this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "stacklab-ping-" + settings.target());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts sending now; the first request leaves at once. */
    public static PingRun start(StackRunner runner, PingSettings settings, Listener listener) {
        PingRun run = new PingRun(runner, settings, listener);
        long interval = Math.max(1, settings.interval().toNanos());
        run.timer.scheduleAtFixedRate(run::sendNext, 0, interval, TimeUnit.NANOSECONDS);
        return run;
    }

    public PingSettings settings() {
        return settings;
    }

    /** Ends the run: no more requests; the ones still out count as lost, as after Ctrl-C. Any thread; idempotent. */
    public void stop() {
        finish(null);
    }

    public synchronized boolean isOver() {
        return over;
    }

    private void sendNext() {
        int sequence;
        synchronized (this) {
            if (over) {
                return;
            }
            if (settings.count() != 0 && sent >= settings.count()) {
                // All sent: the schedule's only work left is the safety net for an engine that never answers.
                long deadline = settings.timeout().toNanos() + GRACE_NANOS;
                timer.schedule(() -> finish("no result from the stack within the timeout"), deadline, TimeUnit.NANOSECONDS);
                throw new StopSchedule();
            }
            sent++;
            outstanding++;
            // iputils numbers from 1; the field is 16 bits and wraps.
            sequence = sent & 0xFFFF;
            listener.sent(sequence);
        }
        PingRequest request = new PingRequest(settings.target(), settings.identifier(), sequence, settings.payloadSize(),
                settings.ttl(), settings.timeout().toNanos(), settings.pathMtuDiscovery());
        runner.ping(request).whenComplete((outcome, failure) -> {
            if (failure != null) {
                finish("the stack refused the request: " + Ping.rootMessage(failure));
                return;
            }
            arrived(new PingResult(sequence, outcome));
        });
    }

    private synchronized void arrived(PingResult result) {
        if (over) {
            return;
        }
        outstanding--;
        listener.result(result);
        if (settings.count() != 0 && sent >= settings.count() && outstanding == 0) {
            finish(null);
        }
    }

    private synchronized void finish(String failure) {
        if (over) {
            return;
        }
        over = true;
        timer.shutdownNow();
        listener.finished(sent, System.nanoTime() - startNanos, failure);
    }

    /** Ends a fixed-rate schedule from inside its task (an exception is the only way it offers). */
    private static final class StopSchedule extends RuntimeException {
        StopSchedule() {
            super(null, null, false, false);
        }
    }
}
