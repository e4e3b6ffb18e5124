package dev.stacklab.runtime;

/**
 * Where the runtime reads the time it passes to the engine. The engine never reads a clock itself
 * (it is sans-I/O), so that a test or the simulation can run it in virtual time.
 */
@FunctionalInterface
public interface Clock {
    /** Monotonic nanoseconds; only differences mean anything. Never goes backwards. */
    long nanoTime();
}
