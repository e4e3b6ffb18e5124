package dev.stacklab.app;

import dev.stacklab.runtime.EventBatchQueue;
import javafx.animation.AnimationTimer;

import java.util.List;
import java.util.function.Consumer;

/**
 * Carries events from the stack's and links' threads to the FX thread: producers {@link #offer} from any
 * thread without blocking; once per pulse everything queued is handed to the consumer as one list (DESIGN.md:
 * one {@code runLater} per frame freezes the window at a few thousand frames per second).
 *
 * <p>View-model tests call {@link #drainNow()} instead of starting the timer, so no FX thread is needed.
 */
public final class EventPump<T> {
    /** What one pulse hands over at most: a pulse stays short even after a stall let the queue fill. */
    public static final int MAX_PER_PULSE = 50_000;

    private final EventBatchQueue<T> queue;
    private final Consumer<List<T>> consumer;
    private AnimationTimer timer;

    public EventPump(int capacity, Consumer<List<T>> consumer) {
        this.queue = new EventBatchQueue<>(capacity);
        this.consumer = consumer;
    }

    /** Any thread, never blocks; false when the queue is full (counted in {@link #droppedCount()}). */
    public boolean offer(T event) {
        return queue.offer(event);
    }

    /** Starts draining on every pulse. FX thread. */
    public void start() {
        if (timer == null) {
            timer = new AnimationTimer() {
                @Override
                public void handle(long now) {
                    drainNow();
                }
            };
        }
        timer.start();
    }

    public void stop() {
        if (timer != null) {
            timer.stop();
        }
    }

    /** Hands everything queued to the consumer now, as one list (nothing when the queue is empty). */
    public void drainNow() {
        List<T> batch = queue.drain(MAX_PER_PULSE);
        if (!batch.isEmpty()) {
            consumer.accept(batch);
        }
    }

    public long droppedCount() {
        return queue.droppedCount();
    }
}
