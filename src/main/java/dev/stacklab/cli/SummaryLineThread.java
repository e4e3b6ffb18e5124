package dev.stacklab.cli;

import dev.stacklab.dissect.SummaryBatch;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * decode's second core: the summaries of frames arrive in batches of columns ({@link SummaryBatch}), and a thread of
 * their own writes them as UTF-8 lines, in order, while the caller dissects the next batch. Dissecting is the larger
 * half and must stay on one thread (a frame's summary depends on the frames before it: TCP analysis, ping replies);
 * formatting numbers, times and addresses and encoding the lines is the other half.
 *
 * <p>Memory is bounded: {@link #BATCHES} batches go round between the two threads, and the caller waits for an
 * empty one when the writer is behind. Once the output has failed (a closed pipe), batches are still taken and
 * dropped, so the caller never waits for ever; it sees {@link Utf8Lines#failure()} and stops.
 */
final class SummaryLineThread {
    /** Frames per batch: large enough that handing a batch over costs nothing per frame, small enough to stay in cache. */
    static final int BATCH_FRAMES = 1024;
    static final int BATCHES = 4;
    /** Handed over after the last batch: the writer stops. */
    private static final SummaryBatch END = new SummaryBatch(1);

    private final Utf8Lines out;
    private final BlockingQueue<SummaryBatch> full = new ArrayBlockingQueue<>(BATCHES + 1);
    private final BlockingQueue<SummaryBatch> empty = new ArrayBlockingQueue<>(BATCHES);
    private final Thread writer;
    private SummaryBatch filling;
    /** A bug in writing lines, rethrown to the caller by {@link #finish()}. */
    private volatile RuntimeException writerFailure;

    SummaryLineThread(Utf8Lines out) {
        this.out = out;
        for (int i = 1; i < BATCHES; i++) {
            empty.add(new SummaryBatch(BATCH_FRAMES));
        }
        filling = new SummaryBatch(BATCH_FRAMES);
        writer = new Thread(this::writeBatches, "decode-lines");
        // The caller always finishes; should it die instead, the JVM must not wait for this thread.
        writer.setDaemon(true);
        writer.start();
    }

    /** The batch to add the next summary to; it has room for at least one more. */
    SummaryBatch batch() {
        if (filling.isFull()) {
            handOver();
        }
        return filling;
    }

    /** Hands over what is left, waits until every line is in {@code out}'s buffer, and ends the thread. */
    void finish() {
        handOver();
        put(full, END);
        boolean interrupted = false;
        while (writer.isAlive()) {
            try {
                writer.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        RuntimeException failure = writerFailure;
        if (failure != null) {
            throw failure;
        }
    }

    private void handOver() {
        if (filling.size() == 0) {
            return;
        }
        put(full, filling);
        filling = take(empty);
    }

    private void writeBatches() {
        for (SummaryBatch batch = take(full); batch != END; batch = take(full)) {
            try {
                if (out.failure() == null && writerFailure == null) {
                    for (int i = 0; i < batch.size(); i++) {
                        batch.appendLine(i, out.text());
                        out.endLine();
                    }
                }
            } catch (RuntimeException bug) {
                writerFailure = bug;
            }
            batch.clear();
            put(empty, batch);
        }
    }

    // Neither thread is ever interrupted by decode; should one be, it finishes the hand-over and keeps the flag.
    private static void put(BlockingQueue<SummaryBatch> queue, SummaryBatch batch) {
        boolean interrupted = false;
        while (true) {
            try {
                queue.put(batch);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static SummaryBatch take(BlockingQueue<SummaryBatch> queue) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return queue.take();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
