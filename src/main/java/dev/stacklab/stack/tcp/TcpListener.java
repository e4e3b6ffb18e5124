package dev.stacklab.stack.tcp;

import java.util.ArrayDeque;

/**
 * A passive open on one port (RFC 9293 3.10.1, LISTEN). SYNs become half-open connections in a
 * bounded SYN queue; finished handshakes wait in a bounded accept queue until the application
 * takes them. Both bounds hold under a SYN flood: extra SYNs are dropped, extra handshakes are left
 * unfinished (their final ACK ignored, as Linux does), and connections already established go on.
 */
public final class TcpListener {
    private final TcpEngine engine;
    private final int port;
    private final int backlog;
    private final ArrayDeque<TcpConnection> acceptQueue = new ArrayDeque<>();
    private int halfOpen;
    private boolean closed;

    TcpListener(TcpEngine engine, int port, int backlog) {
        this.engine = engine;
        this.port = port;
        this.backlog = backlog;
    }

    public int port() {
        return port;
    }

    public int backlog() {
        return backlog;
    }

    /** The next established connection, or null when none is waiting. */
    public TcpConnection accept() {
        TcpConnection connection = acceptQueue.poll();
        if (connection != null) {
            connection.listener = null;
        }
        return connection;
    }

    /** Connections waiting for {@link #accept}. */
    public int acceptable() {
        return acceptQueue.size();
    }

    /** Half-open connections (SYN received, handshake not finished). */
    public int halfOpen() {
        return halfOpen;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Stops listening; connections not yet accepted are aborted (RFC 9293 3.10.4, LISTEN). */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (TcpConnection waiting : acceptQueue) {
            waiting.listener = null;
            waiting.abort();
        }
        acceptQueue.clear();
        engine.stopListening(this);
    }

    boolean hasRoomForSyn() {
        return !closed && halfOpen < engine.config().synQueueSize();
    }

    boolean hasRoomToAccept() {
        return acceptQueue.size() < backlog;
    }

    void synQueued() {
        halfOpen++;
    }

    void halfOpenGone() {
        halfOpen--;
    }

    void established(TcpConnection connection) {
        halfOpen--;
        acceptQueue.add(connection);
    }
}
