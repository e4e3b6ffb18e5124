package dev.stacklab.app.network;

import dev.stacklab.app.TestPatience;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Stands in for the FX thread in view-model tests: results the view-model hands back queue here, and the test's
 * own thread runs them while it waits for a condition, as the FX thread would between pulses.
 */
final class FxQueue implements Executor {
    private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();

    @Override
    public void execute(Runnable task) {
        queue.add(task);
    }

    /** Runs handed-back tasks until {@code condition} holds; fails after {@code limit}. */
    void runUntil(BooleanSupplier condition, Duration limit, String what) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Runnable task = queue.poll(Math.min(left, 50_000_000L), TimeUnit.NANOSECONDS);
            if (task != null) {
                task.run();
            }
        }
    }

    void runUntil(BooleanSupplier condition, String what) throws InterruptedException {
        runUntil(condition, TestPatience.WAIT, what);
    }
}
