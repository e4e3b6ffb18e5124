package dev.stacklab.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded hand-over from threads that must never block (the runner, a link's reader) to one consumer that
 * takes everything in batches: the app's per-pulse pump, serve's printer. A full queue drops the new element and
 * counts it, so a flood costs lines or rows, never memory or the producer's time.
 */
public final class EventBatchQueue<T> {
    private final BlockingQueue<T> queue;
    private final AtomicLong dropped = new AtomicLong();

    public EventBatchQueue(int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /** Adds without waiting; false (and counted) when full. Any thread. */
    public boolean offer(T element) {
        if (queue.offer(element)) {
            return true;
        }
        dropped.incrementAndGet();
        return false;
    }

    /** Everything queued now, up to {@code max}, in order; an empty list when nothing is. */
    public List<T> drain(int max) {
        List<T> batch = new ArrayList<>(Math.min(max, Math.max(queue.size(), 1)));
        queue.drainTo(batch, max);
        return batch;
    }

    /** Waits up to {@code timeoutMillis} for the first element, then drains up to {@code max}. */
    public List<T> awaitAndDrain(int max, long timeoutMillis) throws InterruptedException {
        T first = queue.poll(timeoutMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
        if (first == null) {
            return List.of();
        }
        List<T> batch = new ArrayList<>();
        batch.add(first);
        queue.drainTo(batch, max - 1);
        return batch;
    }

    /** Elements refused because the queue was full, since creation. */
    public long droppedCount() {
        return dropped.get();
    }

    public int size() {
        return queue.size();
    }
}
