package dev.stacklab.cli;

import dev.stacklab.dissect.Dissector;
import dev.stacklab.dissect.FrameSummary;
import dev.stacklab.link.LinkEvent;
import dev.stacklab.runtime.EventBatchQueue;
import dev.stacklab.runtime.RunnerListener;
import dev.stacklab.stack.StackEvent;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * serve's output: one tcpdump-like line per frame in and out, drop, address conflict and link event. The runner
 * thread only queues what happened, through the same {@link EventBatchQueue} that feeds the app's panes; a thread
 * of its own summarises and prints in batches. A flood costs lines, counted ({@link #unprinted()}), never memory
 * or the runner's time.
 */
final class ServePrinter implements RunnerListener {
    /** Lines waiting for the printer. */
    static final int QUEUE_CAPACITY = 10_000;
    private static final int BATCH = 1024;
    // How often the printer looks whether the traffic has stopped while nothing arrives.
    private static final long IDLE_CHECK_MILLIS = 50;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS").withZone(ZoneId.systemDefault());

    private record Line(boolean outgoing, long timeNanos, byte[] frame, String text) {
    }

    private final PrintWriter out;
    private final boolean quiet;
    private final EventBatchQueue<Line> lines;
    private final CountDownLatch trafficStopped = new CountDownLatch(1);
    private final Thread printing = new Thread(this::printLines, "stacklab-serve-printer");

    /** {@code quiet}: frames are not printed, only drops, conflicts and link events. */
    ServePrinter(PrintWriter out, boolean quiet, int capacity) {
        this.out = out;
        this.quiet = quiet;
        this.lines = new EventBatchQueue<>(capacity);
        printing.setDaemon(true);
    }

    @Override
    public void stackEvent(StackEvent event) {
        if (quiet) {
            return;
        }
        if (event instanceof StackEvent.FrameReceived received) {
            lines.offer(new Line(false, received.timeNanos(), received.frame(), null));
        } else if (event instanceof StackEvent.FrameSent sent) {
            lines.offer(new Line(true, sent.timeNanos(), sent.frame(), null));
        } else if (event instanceof StackEvent.Dropped dropped) {
            lines.offer(new Line(false, dropped.timeNanos(), null,
                    "dropped (" + dropped.reason() + ")" + (dropped.detail() == null ? "" : ": " + dropped.detail())));
        } else if (event instanceof StackEvent.AddressConflict conflict) {
            lines.offer(new Line(false, conflict.timeNanos(), null,
                    "address conflict: " + conflict.claimant() + " also claims " + conflict.address()));
        }
    }

    @Override
    public void linkEvent(LinkEvent event) {
        lines.offer(new Line(false, System.nanoTime(), null, "link: " + event.message()));
    }

    @Override
    public void problem(String message, Throwable cause) {
        lines.offer(new Line(false, System.nanoTime(), null, "problem: " + message));
    }

    /** Starts printing; lines queued before are printed first. */
    void start() {
        printing.start();
    }

    /**
     * Called once nothing produces lines any more (the host is closed): prints everything still queued, waiting
     * up to {@code timeoutMillis} for the printer to finish; true when it has.
     */
    boolean finish(long timeoutMillis) throws InterruptedException {
        trafficStopped.countDown();
        printing.join(timeoutMillis);
        return !printing.isAlive();
    }

    /** Lines lost because the queue was full. */
    long unprinted() {
        return lines.droppedCount();
    }

    private void printLines() {
        Dissector dissector = new Dissector();
        // Event times come from the monotonic clock; this maps them onto the wall clock once.
        long wallMinusMonotonic = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
        try {
            while (true) {
                // Read before draining: once the traffic has stopped, an empty drain means nothing is left to come.
                boolean last = trafficStopped.getCount() == 0;
                List<Line> batch = lines.awaitAndDrain(BATCH, IDLE_CHECK_MILLIS);
                for (Line line : batch) {
                    print(line, dissector, wallMinusMonotonic);
                }
                out.flush();
                if (batch.isEmpty() && last) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            out.flush();
        }
    }

    private void print(Line line, Dissector dissector, long wallMinusMonotonic) {
        String clock = CLOCK.format(Instant.ofEpochSecond(0, line.timeNanos() + wallMinusMonotonic));
        if (line.frame() == null) {
            out.println(clock + "      " + line.text());
        } else {
            FrameSummary summary = dissector.summarize(line.timeNanos(), line.frame(), line.frame().length, line.frame().length);
            out.println(clock + (line.outgoing() ? " OUT " : " IN  ") + summary.source() + " → " + summary.destination()
                    + " " + summary.protocol() + " " + summary.length() + " " + summary.info());
        }
    }
}
