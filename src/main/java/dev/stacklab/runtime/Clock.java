package dev.stacklab.runtime;

/**
 * Where the runtime reads the time it passes to the engine. The engine never reads a clock itself
 * (it is sans-I/O), so that a test or the simulation can run it in virtual time.
 */
@FunctionalInterface
public interface Clock {
    /** Monotonic nanoseconds; only differences mean anything. Never goes backwards. */
    long nanoTime();

    /**
     * What to add to {@link #nanoTime()} to get UTC nanoseconds since the epoch, read now: the engine
     * needs the time of day only for the IP Timestamp option. 0 unless overridden, so that virtual
     * time starts at midnight UT on the epoch's first day.
     */
    default long utcOffsetNanos() {
        return 0;
    }

    /**
     * The wall clock now, UTC milliseconds since the epoch, read afresh each time (the IP Timestamp option
     * stamps with it). By default {@link #nanoTime()} plus {@link #utcOffsetNanos()}, so virtual time stays
     * the only input of a simulation.
     */
    default long wallClockMillis() {
        return Math.floorDiv(nanoTime() + utcOffsetNanos(), 1_000_000L);
    }
}
