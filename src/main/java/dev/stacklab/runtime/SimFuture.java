package dev.stacklab.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A result the {@link Simulation} produces when virtual time reaches it (a ping's outcome, an ARP answer).
 * Single-threaded like the simulation: there is nothing to wait on, the simulation must be run until it is
 * done ({@link Simulation#runUntilDone}).
 *
 * @param <T> the result
 */
public final class SimFuture<T> {
    private boolean done;
    private T value;
    private long completedAtNanos;
    private final List<Consumer<? super T>> whenDone = new ArrayList<>(1);

    void complete(T result, long nowNanos) {
        if (done) {
            return;
        }
        done = true;
        value = result;
        completedAtNanos = nowNanos;
        for (Consumer<? super T> action : whenDone) {
            action.accept(result);
        }
        whenDone.clear();
    }

    public boolean isDone() {
        return done;
    }

    /**
     * The result.
     *
     * @throws IllegalStateException when the simulation has not reached it yet
     */
    public T get() {
        if (!done) {
            throw new IllegalStateException("the simulation has not reached this result yet: run it further");
        }
        return value;
    }

    /** The virtual time the result arrived at. */
    public long completedAtNanos() {
        if (!done) {
            throw new IllegalStateException("the simulation has not reached this result yet: run it further");
        }
        return completedAtNanos;
    }

    /** Runs {@code action} (on the simulation's thread) when the result arrives, or now if it has. */
    public void whenDone(Consumer<? super T> action) {
        if (done) {
            action.accept(value);
        } else {
            whenDone.add(action);
        }
    }

    @Override
    public String toString() {
        return done ? "SimFuture[" + value + " at " + completedAtNanos + " ns]" : "SimFuture[pending]";
    }
}
