package dev.stacklab.runtime;

/**
 * Real time: {@link System#nanoTime()}, the clock live links stamp received frames with, so the
 * runner can use those stamps directly as the engine's time of arrival.
 */
public final class SystemClock implements Clock {
    public static final SystemClock INSTANCE = new SystemClock();

    private SystemClock() {
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public long wallClockMillis() {
        return System.currentTimeMillis();
    }

    @Override
    public long utcOffsetNanos() {
        return System.currentTimeMillis() * 1_000_000L - System.nanoTime();
    }
}
