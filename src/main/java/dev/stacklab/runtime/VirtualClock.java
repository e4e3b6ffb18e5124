package dev.stacklab.runtime;

/**
 * Virtual time, moved forward only by whoever drives it (the {@link Simulation}). Reading it from another
 * thread is allowed (the UI shows it), so the time is volatile; only the driving thread advances it.
 */
public final class VirtualClock implements Clock {
    private volatile long now;

    public VirtualClock(long startNanos) {
        this.now = startNanos;
    }

    @Override
    public long nanoTime() {
        return now;
    }

    /**
     * Moves the time to {@code nanos}.
     *
     * @throws IllegalArgumentException when that would go backwards: the engine's timers assume time only grows
     */
    public void advanceTo(long nanos) {
        if (nanos < now) {
            throw new IllegalArgumentException("virtual time cannot go back from " + now + " ns to " + nanos + " ns");
        }
        now = nanos;
    }
}
