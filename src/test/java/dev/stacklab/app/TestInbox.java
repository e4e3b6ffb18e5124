package dev.stacklab.app;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A view-model's inbox for tests, drained on the test's own thread (which plays the FX thread): every result the
 * runner thread sends back is applied here, in order, only while the test waits for a condition.
 */
public final class TestInbox {
    public static final Duration PATIENCE = TestPatience.WAIT;

    private final EventPump<Runnable> pump = new EventPump<>(65_536, TestInbox::runAll);

    private static void runAll(List<Runnable> tasks) {
        tasks.forEach(Runnable::run);
    }

    public EventPump<Runnable> pump() {
        return pump;
    }

    /** Applies what arrived so far. */
    public void drain() {
        pump.drainNow();
    }

    /** Applies arrivals until {@code condition} holds; fails naming {@code what} after {@link #PATIENCE}. */
    public void awaitUntil(String what, BooleanSupplier condition) {
        awaitUntil(what, condition, PATIENCE);
    }

    public void awaitUntil(String what, BooleanSupplier condition, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            pump.drainNow();
            if (condition.getAsBoolean()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + patience.toSeconds() + " s for: " + what);
            }
            LockSupport.parkNanos(2_000_000);
        }
    }
}
