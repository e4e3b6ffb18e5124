package dev.stacklab.runtime;

import dev.stacklab.stack.StackConfig;
import dev.stacklab.stack.tcp.CongestionAlgorithm;
import dev.stacklab.stack.tcp.TcpCloseReason;
import dev.stacklab.stack.tcp.TcpConnection;
import dev.stacklab.stack.tcp.TcpEndpoints;
import dev.stacklab.stack.tcp.TcpSnapshot;
import dev.stacklab.stack.tcp.TcpState;
import dev.stacklab.wire.Ipv4Address;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A TCP connection of a runner's stack as a blocking socket, usable from any thread but one: the runner's own.
 * Every call goes through the runner's inbox; a read or write that cannot go on yet waits on a future the runner
 * thread completes when the engine has data or buffer room (it looks after every pass of its loop), so nothing
 * polls. Failures are {@link TcpException}s that say what happened.
 */
public final class TcpSocket implements AutoCloseable {
    /** The most one read takes from the engine in one trip through the inbox. */
    static final int MAX_READ = 64 * 1024;
    private static final Duration COMMAND_LIMIT = Duration.ofSeconds(10);
    private static final byte[] END_OF_STREAM = new byte[0];

    private final StackRunner runner;
    /** The engine's connection: touched on the runner thread only. */
    private final TcpConnection connection;
    private final TcpEndpoints endpoints;
    private final InputStream input = new SocketInput();
    private final OutputStream output = new SocketOutput();
    private volatile Duration readTimeout = Duration.ZERO;

    /** A blocking call on the runner's own thread would wait for itself forever: refuse it at once. */
    static void requireOtherThread(StackRunner runner) {
        if (runner.isRunnerThread()) {
            throw new IllegalStateException("a blocking TCP call on the stack's own thread (a listener?) would wait forever;"
                    + " use another thread");
        }
    }

    TcpSocket(StackRunner runner, TcpConnection connection) {
        this.runner = runner;
        this.connection = connection;
        this.endpoints = connection.endpoints();
    }

    /**
     * Opens a connection to {@code address:port} from an ephemeral port and waits until it is established, at
     * most {@code timeout} (then the attempt is abandoned with a RST if the peer answered at all).
     *
     * @throws TcpException refused, unreachable, or timed out after the SYN's retransmissions
     * @throws SocketTimeoutException when {@code timeout} passed first
     */
    public static TcpSocket connect(StackRunner runner, Ipv4Address address, int port, Duration timeout) throws IOException {
        Objects.requireNonNull(address, "address");
        if (port < 1 || port > 0xFFFF) {
            throw new IllegalArgumentException("port must be 1-65535, not " + port);
        }
        requireOtherThread(runner);
        StackConfig config = runner.config();
        if (!config.address().contains(address) && config.gateway() == null) {
            throw new TcpException(TcpCloseReason.UNREACHABLE, "network unreachable: " + address + " is off the subnet "
                    + config.address() + " and there is no gateway");
        }
        TcpConnection connection = await(runner.submit((stack, now) -> runner.tcp().connect(address, port, 0, now)),
                COMMAND_LIMIT, "connect to " + address + ":" + port);
        CompletableFuture<TcpConnection> established = runner.awaitEngine(connection, (stack, now) -> {
            TcpState state = connection.state();
            if (state == TcpState.CLOSED) {
                throw TcpException.closed(connection.closeReason(), connection.endpoints(), connection.snapshot());
            }
            return state.isSynchronized() ? connection : null;
        });
        try {
            await(established, timeout, "connect to " + address + ":" + port);
        } catch (SocketTimeoutException e) {
            established.cancel(false);
            runner.submit((stack, now) -> {
                connection.abort();
                return null;
            });
            throw e;
        }
        return new TcpSocket(runner, connection);
    }

    public TcpEndpoints endpoints() {
        return endpoints;
    }

    public Ipv4Address remoteAddress() {
        return endpoints.remoteAddress();
    }

    public int remotePort() {
        return endpoints.remotePort();
    }

    public int localPort() {
        return endpoints.localPort();
    }

    /** How long a read waits for data before a {@link SocketTimeoutException}; zero (the default) waits forever. */
    public void setReadTimeout(Duration timeout) {
        this.readTimeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** Turns Nagle's algorithm off (true) or on (false, the default). */
    public void setNoDelay(boolean noDelay) throws IOException {
        command("set TCP_NODELAY", () -> connection.setNagle(!noDelay));
    }

    /**
     * Chooses this connection's congestion control, as Linux's TCP_CONGESTION option: NewReno (the stack's default
     * unless its TcpConfig says otherwise) or CUBIC (RFC 9438). Only before anything was written.
     *
     * @throws TcpException once data was sent
     */
    public void setCongestionControl(CongestionAlgorithm algorithm) throws IOException {
        Objects.requireNonNull(algorithm, "algorithm");
        command("set TCP_CONGESTION", () -> connection.setCongestionAlgorithm(algorithm));
    }

    /** The congestion control this connection uses. */
    public CongestionAlgorithm congestionControl() throws IOException {
        requireOtherThread(runner);
        return await(runner.submit((stack, now) -> connection.congestionAlgorithm()), COMMAND_LIMIT, "read TCP_CONGESTION");
    }

    /** Lets ACKs wait for the delayed-ACK time (true, the default) or acknowledges each segment of data at once. */
    public void setDelayedAck(boolean enabled) throws IOException {
        command("set delayed ACK", () -> connection.setDelayedAck(enabled));
    }

    public InputStream getInputStream() {
        return input;
    }

    public OutputStream getOutputStream() {
        return output;
    }

    /** The TCB as it is now (state, cwnd, retransmissions...), read on the runner thread. */
    public TcpSnapshot snapshot() throws IOException {
        requireOtherThread(runner);
        return await(runner.submit((stack, now) -> connection.snapshot()), COMMAND_LIMIT, "read the TCB");
    }

    /** Our FIN follows the data written so far; reading goes on until the peer closes (a half close). */
    public void shutdownOutput() throws IOException {
        command("shut down output", connection::shutdownOutput);
    }

    /**
     * Closes the socket: a FIN follows the data written so far and the connection finishes on its own. Data
     * received and not read is answered with a RST (RFC 1122 4.2.2.13), as a kernel does.
     */
    @Override
    public void close() throws IOException {
        command("close", connection::release);
    }

    /** Aborts the connection: a RST to the peer, unsent data thrown away (RFC 9293 3.10.5). */
    public void abort() throws IOException {
        command("abort", connection::abort);
    }

    /** Waits until the connection reaches CLOSED (TIME-WAIT counts as closed here), at most {@code limit}. */
    public boolean awaitClosed(Duration limit) throws IOException {
        requireOtherThread(runner);
        CompletableFuture<Boolean> closed = runner.awaitEngine(connection, (stack, now) ->
                connection.state() == TcpState.CLOSED || connection.state() == TcpState.TIME_WAIT ? Boolean.TRUE : null);
        try {
            return await(closed, limit, "wait for the close");
        } catch (SocketTimeoutException e) {
            closed.cancel(false);
            return false;
        }
    }

    private void command(String what, Runnable action) throws IOException {
        requireOtherThread(runner);
        await(runner.submit((stack, now) -> {
            action.run();
            return null;
        }), COMMAND_LIMIT, what);
    }

    private int read(byte[] target, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, target.length);
        requireOtherThread(runner);
        if (length == 0) {
            return 0;
        }
        Duration timeout = readTimeout;
        if (timeout.isZero()) {
            // Nobody gives up on this read: the runner thread may copy straight into the caller's array, which
            // stays untouched by anyone else until the future completes. One copy, no array per read.
            CompletableFuture<Integer> read = runner.awaitEngine(connection, (stack, now) -> {
                int got = connection.receive(target, offset, length);
                if (got > 0) {
                    return got;
                }
                return endOfStream();
            });
            return await(read, null, "read");
        }
        int wanted = Math.min(length, MAX_READ);
        CompletableFuture<byte[]> read = runner.awaitEngine(connection, (stack, now) -> {
            int available = connection.available();
            if (available > 0) {
                byte[] data = new byte[Math.min(wanted, available)];
                int got = connection.receive(data, 0, data.length);
                return got == data.length ? data : Arrays.copyOf(data, got);
            }
            Integer end = endOfStream();
            return end == null ? null : END_OF_STREAM;
        });
        byte[] data;
        try {
            data = await(read, timeout, "read");
        } catch (SocketTimeoutException e) {
            if (!read.cancel(false) && !read.isCompletedExceptionally()) {
                data = read.join(); // it completed as we gave up: the data must not be lost
            } else {
                throw e;
            }
        }
        if (data.length == 0) {
            return -1;
        }
        System.arraycopy(data, 0, target, offset, data.length);
        return data.length;
    }

    /** With nothing to read, on the runner thread: -1 at the end of the stream, null for "not yet". */
    private Integer endOfStream() throws TcpException {
        if (!connection.isReadable()) {
            return null;
        }
        TcpCloseReason reason = connection.closeReason();
        if (reason != null && reason != TcpCloseReason.NORMAL) {
            throw TcpException.closed(reason, endpoints, connection.snapshot());
        }
        return -1;
    }

    private void write(byte[] source, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, source.length);
        requireOtherThread(runner);
        if (length == 0) {
            return;
        }
        // A private copy: the runner thread sends from it after this call may have returned to a caller's timeout.
        byte[] data = Arrays.copyOfRange(source, offset, offset + length);
        int[] written = {0};
        CompletableFuture<Boolean> accepted = runner.awaitEngine(connection, (stack, now) -> {
            if (connection.state() == TcpState.CLOSED) {
                TcpCloseReason reason = connection.closeReason();
                throw TcpException.closed(reason == null ? TcpCloseReason.NORMAL : reason, endpoints, connection.snapshot());
            }
            try {
                written[0] += connection.send(data, written[0], data.length - written[0]);
            } catch (IllegalStateException closing) {
                throw new TcpException(connection.closeReason(), "connection to " + endpoints.remoteAddress() + ":"
                        + endpoints.remotePort() + " is closed for sending (" + closing.getMessage() + ")");
            }
            return written[0] == data.length ? Boolean.TRUE : null;
        });
        await(accepted, null, "write");
    }

    /** Waits for a runner future, giving back its {@link IOException} as it is; {@code limit} null waits forever. */
    static <T> T await(CompletableFuture<T> future, Duration limit, String what) throws IOException {
        try {
            return limit == null ? future.get() : future.get(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new TcpException(null, what + " failed: " + Ping.rootMessage(cause));
        } catch (TimeoutException e) {
            throw new SocketTimeoutException(what + " timed out after " + limit.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(what + " was interrupted");
        }
    }

    private final class SocketInput extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = TcpSocket.this.read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] target, int offset, int length) throws IOException {
            return TcpSocket.this.read(target, offset, length);
        }

        @Override
        public void close() throws IOException {
            TcpSocket.this.close();
        }
    }

    private final class SocketOutput extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            TcpSocket.this.write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] source, int offset, int length) throws IOException {
            TcpSocket.this.write(source, offset, length);
        }

        @Override
        public void close() throws IOException {
            TcpSocket.this.close();
        }
    }

    @Override
    public String toString() {
        return "TcpSocket[" + endpoints + "]";
    }
}
