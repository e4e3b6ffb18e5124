package dev.stacklab.app;

import dev.stacklab.runtime.EventBatchQueue;
import javafx.animation.AnimationTimer;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

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
    /**
     * What one pulse hands over at least, however slow the consumer was lately: 60,000 events a second at 60
     * pulses, three times the live capture's 20,000 frames/s.
     */
    public static final int MIN_PER_PULSE = 1_000;
    /**
     * The FX-thread time one pulse's batch should take: events cost what the consumer took per event lately, so
     * a backlog (after a collection, or while the JIT has not compiled the consumer yet) is worked off over a few
     * pulses instead of one long stall that lets the next backlog grow.
     */
    static final long PULSE_BUDGET_NANOS = 20_000_000;

    private final EventBatchQueue<T> queue;
    private final Consumer<List<T>> consumer;
    /** Where the consumer's time is read (System::nanoTime; tests give a clock of their own). */
    private final LongSupplier clock;
    private AnimationTimer timer;
    /** What the consumer took per event over the last big batches (0 before the first). */
    private double nanosPerEvent;

    public EventPump(int capacity, Consumer<List<T>> consumer) {
        this(capacity, consumer, System::nanoTime);
    }

    /** With the consumer's time read from {@code clock} (tests: a stall of the machine then costs no events). */
    EventPump(int capacity, Consumer<List<T>> consumer, LongSupplier clock) {
        this.queue = new EventBatchQueue<>(capacity);
        this.consumer = consumer;
        this.clock = clock;
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

    /**
     * Hands what is queued to the consumer now, as one list (nothing when the queue is empty): everything, up to
     * what fits {@link #PULSE_BUDGET_NANOS} at the consumer's recent pace.
     */
    public void drainNow() {
        List<T> batch = queue.drain(perPulseLimit());
        if (batch.isEmpty()) {
            return;
        }
        long start = clock.getAsLong();
        consumer.accept(batch);
        long took = clock.getAsLong() - start;
        // Small batches say little: the pulse's fixed costs (counts, list events) outweigh their events.
        if (batch.size() >= 64) {
            double pace = took / (double) batch.size();
            nanosPerEvent = nanosPerEvent == 0 ? pace : (nanosPerEvent + pace) / 2;
        }
    }

    /** How many events the next pulse hands over at most. */
    int perPulseLimit() {
        if (nanosPerEvent <= 0) {
            return MAX_PER_PULSE;
        }
        return (int) Math.max(MIN_PER_PULSE, Math.min(MAX_PER_PULSE, PULSE_BUDGET_NANOS / nanosPerEvent));
    }

    /** Forgets what is queued and not handed over yet (not counted as dropped). Any thread. */
    public void discard() {
        queue.drain(Integer.MAX_VALUE);
    }

    public long droppedCount() {
        return queue.droppedCount();
    }
}
