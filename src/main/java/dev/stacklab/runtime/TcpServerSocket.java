package dev.stacklab.runtime;

import dev.stacklab.stack.tcp.TcpConnection;
import dev.stacklab.stack.tcp.TcpListener;

import java.io.IOException;
import java.net.BindException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A listening TCP port of a runner's stack as a blocking server socket: {@link #accept} waits (on a future the
 * runner completes, nothing polls) for the next established connection. Usable from any thread but the runner's.
 */
public final class TcpServerSocket implements AutoCloseable {
    private static final Duration COMMAND_LIMIT = Duration.ofSeconds(10);

    private final StackRunner runner;
    /** The engine's listener: touched on the runner thread only. */
    private final TcpListener listener;
    private final int port;

    private TcpServerSocket(StackRunner runner, TcpListener listener) {
        this.runner = runner;
        this.listener = listener;
        this.port = listener.port();
    }

    /**
     * Listens on {@code port} with at most {@code backlog} established connections waiting for accept.
     *
     * @throws BindException when the port has a listener already
     */
    public static TcpServerSocket listen(StackRunner runner, int port, int backlog) throws IOException {
        TcpSocket.requireOtherThread(runner);
        CompletableFuture<TcpListener> bound = runner.submit((stack, now) -> runner.tcp().listen(port, backlog));
        try {
            return new TcpServerSocket(runner, TcpSocket.await(bound, COMMAND_LIMIT, "listen on TCP port " + port));
        } catch (TcpException e) {
            BindException bind = new BindException("cannot listen on TCP port " + port + ": "
                    + e.getMessage().replaceFirst("^listen on TCP port \\d+ failed: ", ""));
            bind.initCause(e);
            throw bind;
        }
    }

    public int port() {
        return port;
    }

    /** The engine's listener, for work on the runner thread ({@link TcpServices}). */
    TcpListener listener() {
        return listener;
    }

    /** The next established connection, waiting at most {@code timeout} (null: forever). */
    public TcpSocket accept(Duration timeout) throws IOException {
        TcpSocket.requireOtherThread(runner);
        CompletableFuture<TcpConnection> accepted = runner.awaitEngine((stack, now) -> {
            if (listener.isClosed()) {
                throw new SocketException("the listener on TCP port " + port + " is closed");
            }
            return listener.accept();
        });
        TcpConnection connection;
        try {
            connection = TcpSocket.await(accepted, timeout, "accept on TCP port " + port);
        } catch (SocketTimeoutException e) {
            if (accepted.cancel(false) || accepted.isCompletedExceptionally()) {
                throw e;
            }
            try {
                connection = accepted.get(); // accepted as we gave up: hand it over rather than lose it
            } catch (InterruptedException | ExecutionException impossible) {
                throw e;
            }
        }
        return new TcpSocket(runner, connection);
    }

    /** Waits for the next connection as long as it takes. */
    public TcpSocket accept() throws IOException {
        return accept(null);
    }

    /** Stops listening; connections not yet accepted are reset, a thread in {@link #accept} gets an exception. */
    @Override
    public void close() throws IOException {
        TcpSocket.await(runner.submit((stack, now) -> {
            listener.close();
            return null;
        }), COMMAND_LIMIT, "close the listener on TCP port " + port);
    }

    @Override
    public String toString() {
        return "TcpServerSocket[" + port + "]";
    }
}
