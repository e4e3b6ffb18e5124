package dev.stacklab.runtime;

import dev.stacklab.stack.tcp.TcpConnection;
import dev.stacklab.stack.tcp.TcpListener;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The TCP services a stacklab host offers (stacklab serve, the simulated LAN's server): echo on port 7
 * (RFC 862), discard on port 9 (RFC 863) and HTTP/1.1 on port 80 ({@link HttpService}).
 *
 * <p>No thread per connection, and none per port: every connection is a small state machine that the runner thread
 * steps when the engine reports the connection changed ({@link StackRunner#serveOnRunner}), reading what has
 * arrived and writing what the send buffer takes, so a thousand idle connections cost their TCP buffers and a few
 * objects each, and nothing while idle. The listeners are looked at after every pass of the runner's loop.
 */
public final class TcpServices implements AutoCloseable {
    /** RFC 862: "A server listens for TCP connections on TCP port 7." */
    public static final int ECHO_PORT = 7;
    /** RFC 863: "A server listens for TCP connections on TCP port 9." */
    public static final int DISCARD_PORT = 9;
    public static final int HTTP_PORT = 80;
    static final int BACKLOG = 128;
    /** What one step reads or writes at most; one array for every connection (they all run on the runner thread). */
    static final int SCRATCH_BYTES = 64 * 1024;

    private final StackRunner runner;
    private final List<TcpServerSocket> listeners = new ArrayList<>();
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong bytesIn = new AtomicLong();
    private final AtomicLong bytesOut = new AtomicLong();
    /** Touched on the runner thread only. */
    private final byte[] scratch = new byte[SCRATCH_BYTES];
    private volatile boolean closed;

    private TcpServices(StackRunner runner) {
        this.runner = runner;
    }

    /** Listens on 7, 9 and 80 of the runner's stack. */
    public static TcpServices start(StackRunner runner) throws IOException {
        TcpServices services = new TcpServices(runner);
        try {
            services.listen(ECHO_PORT, connection -> services.new Echo(connection));
            services.listen(DISCARD_PORT, connection -> services.new Discard(connection));
            HttpService http = new HttpService(services.bytesIn, services.bytesOut);
            services.listen(HTTP_PORT, connection -> http.session(connection, services.scratch));
        } catch (IOException e) {
            services.close();
            throw e;
        }
        return services;
    }

    /** Connections accepted so far over all three ports. */
    public long connections() {
        return connections.get();
    }

    public long bytesReceived() {
        return bytesIn.get();
    }

    public long bytesSent() {
        return bytesOut.get();
    }

    private void listen(int port, Function<TcpConnection, StackRunner.ConnectionHandler> sessions) throws IOException {
        TcpServerSocket socket = TcpServerSocket.listen(runner, port, BACKLOG);
        listeners.add(socket);
        TcpListener listener = socket.listener();
        TcpSocket.await(runner.submit((stack, now) -> {
            runner.serveEveryPass(nowNanos -> {
                if (listener.isClosed()) {
                    return true;
                }
                for (TcpConnection connection; (connection = listener.accept()) != null; ) {
                    connections.incrementAndGet();
                    runner.serveOnRunner(connection, sessions.apply(connection));
                }
                return false;
            });
            return null;
        }), java.time.Duration.ofSeconds(10), "serve TCP port " + port);
    }

    /** A connection's step when something went wrong in it: the connection is reset, nothing else is touched. */
    private abstract class Session implements StackRunner.ConnectionHandler {
        final TcpConnection connection;

        Session(TcpConnection connection) {
            this.connection = connection;
        }

        @Override
        public final boolean onReady(long nowNanos) {
            if (connection.isClosed()) {
                return true; // reset by the peer, or timed out
            }
            try {
                return step();
            } catch (IllegalStateException e) {
                connection.abort(); // closed for sending under us: as a blocking server's write failing
                return true;
            }
        }

        abstract boolean step();

        /** The client closed (or the connection ended): close our side too; true when the stream has ended. */
        boolean closedByPeer() {
            if (connection.available() == 0 && connection.isReadable()) {
                connection.release();
                return true;
            }
            return false;
        }
    }

    /** RFC 862: whatever arrives is sent back, until the client closes; then we close too. */
    private final class Echo extends Session {
        Echo(TcpConnection connection) {
            super(connection);
        }

        @Override
        boolean step() {
            while (connection.available() > 0) {
                // Only what the send buffer takes is read: the rest stays in the receive buffer, whose window then
                // closes, so a client that does not read its echo is slowed down, not buffered without bound.
                int room = connection.sendCapacity();
                if (room == 0) {
                    if (!connection.state().canSend()) {
                        connection.abort(); // as a blocking server's write failing
                        return true;
                    }
                    return false; // the client's ACKs make room, and the engine says so
                }
                int n = connection.receive(scratch, 0, Math.min(room, scratch.length));
                bytesIn.addAndGet(n);
                connection.send(scratch, 0, n);
                bytesOut.addAndGet(n);
            }
            return closedByPeer();
        }
    }

    /** RFC 863: whatever arrives is thrown away, until the client closes. */
    private final class Discard extends Session {
        Discard(TcpConnection connection) {
            super(connection);
        }

        @Override
        boolean step() {
            for (int n; (n = connection.receive(scratch, 0, scratch.length)) > 0; ) {
                bytesIn.addAndGet(n);
            }
            return closedByPeer();
        }
    }

    /** Stops listening; connections being served finish on their own. */
    @Override
    public void close() {
        closed = true;
        for (TcpServerSocket listener : listeners) {
            try {
                listener.close();
            } catch (IOException e) {
                // the stack stopped already: nothing listens anyway
            }
        }
    }

    /** Whether {@link #close} was called. */
    public boolean isClosed() {
        return closed;
    }
}
