package dev.stacklab.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C for a command that runs until it is stopped (ping without -c, serve): it ends the run the way iputils
 * ping does, so the command prints its statistics and exits with its own status (0 with replies), not with the
 * 130 a JVM killed by SIGINT reports.
 *
 * <p>SIGINT gets a handler of its own (through {@code sun.misc.Signal}, the JDK's only signal API) that just asks
 * the run to stop; the command then returns normally. SIGTERM and SIGHUP still end the JVM, so a shutdown hook
 * stops the run as well and waits briefly for it to finish, so that the link is closed and the counters printed.
 * {@link #close} restores the previous SIGINT handler and removes the hook.
 */
final class CtrlC implements AutoCloseable {
    private static final Signal INTERRUPT = new Signal("INT");
    private static final long HOOK_WAIT_SECONDS = 3;

    private final SignalHandler previous;
    private final Thread hook;
    private final CountDownLatch finished = new CountDownLatch(1);

    private CtrlC(Runnable stop, String commandName) {
        previous = Signal.handle(INTERRUPT, signal -> stop.run());
        hook = new Thread(() -> {
            stop.run();
            try {
                finished.await(HOOK_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "stacklab-" + commandName + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Until {@link #close}, Ctrl-C (and a terminating signal) calls {@code stop}, which must return at once. */
    static CtrlC stops(String commandName, Runnable stop) {
        return new CtrlC(stop, commandName);
    }

    /** The run has finished: a shutdown hook waiting for it may let the JVM go. */
    @Override
    public void close() {
        finished.countDown();
        Signal.handle(INTERRUPT, previous);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is already running; it was waiting for `finished`, counted down above.
        }
    }
}
