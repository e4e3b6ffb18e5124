package dev.stacklab.cli;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C for a command that runs until it is stopped (ping without -c, serve): it ends the run the way iputils
 * ping does, so the command prints its statistics and exits with its own status (0 with replies), not with the
 * 130 a JVM killed by SIGINT reports.
 *
 * <p>SIGINT gets a handler of its own that just asks the run to stop; the command then returns normally. SIGTERM
 * and SIGHUP still end the JVM, so a shutdown hook stops the run as well and waits briefly for it to finish, so
 * that the link is closed and the counters printed. {@link #close} restores the previous SIGINT handler and
 * removes the hook.
 *
 * <p>The JDK's only way to handle one signal is {@code sun.misc.Signal} (module jdk.unsupported, which exports it
 * for exactly this). It is reached by reflection: compiled against directly, javac warns about it as internal
 * proprietary API on every use, a warning no {@code @SuppressWarnings} silences, and the build treats warnings as
 * errors. Where a JVM lacks it, Ctrl-C falls back to the shutdown hook: the counters are still printed, the status
 * is the JVM's 130.
 */
final class CtrlC implements AutoCloseable {
    private static final long HOOK_WAIT_SECONDS = 3;

    private final Object previousHandler;
    private final Thread hook;
    private final CountDownLatch finished = new CountDownLatch(1);

    private CtrlC(Runnable stop, String commandName) {
        previousHandler = SigInt.AVAILABLE ? SigInt.handle(SigInt.handlerCalling(stop)) : null;
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
        if (previousHandler != null) {
            SigInt.handle(previousHandler);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is already running; it was waiting for `finished`, counted down above.
        }
    }

    /** {@code sun.misc.Signal.handle(new Signal("INT"), handler)} and {@code sun.misc.SignalHandler}, reflectively. */
    private static final class SigInt {
        static final boolean AVAILABLE;
        private static final Class<?> HANDLER_TYPE;
        private static final Method HANDLE;
        private static final Object INTERRUPT;

        static {
            Class<?> handlerType = null;
            Method handle = null;
            Object interrupt = null;
            try {
                Class<?> signalType = Class.forName("sun.misc.Signal");
                handlerType = Class.forName("sun.misc.SignalHandler");
                handle = signalType.getMethod("handle", signalType, handlerType);
                interrupt = signalType.getConstructor(String.class).newInstance("INT");
            } catch (ReflectiveOperationException | IllegalArgumentException | LinkageError notThere) {
                handle = null;
            }
            AVAILABLE = handle != null;
            HANDLER_TYPE = handlerType;
            HANDLE = handle;
            INTERRUPT = interrupt;
        }

        /** Installs {@code handler} for SIGINT and returns the one it replaces. */
        static Object handle(Object handler) {
            try {
                return HANDLE.invoke(null, INTERRUPT, handler);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("cannot handle SIGINT: " + e.getMessage(), e);
            } catch (InvocationTargetException e) {
                throw new IllegalStateException("cannot handle SIGINT: " + e.getCause().getMessage(), e.getCause());
            }
        }

        /** A SignalHandler whose {@code handle(Signal)} runs {@code stop}. */
        static Object handlerCalling(Runnable stop) {
            return Proxy.newProxyInstance(CtrlC.class.getClassLoader(), new Class<?>[] {HANDLER_TYPE}, (proxy, method, args) -> {
                switch (method.getName()) {
                    case "handle" -> {
                        stop.run();
                        return null;
                    }
                    case "equals" -> {
                        return proxy == args[0];
                    }
                    case "hashCode" -> {
                        return System.identityHashCode(proxy);
                    }
                    default -> {
                        return "stacklab Ctrl-C handler";
                    }
                }
            });
        }
    }
}
