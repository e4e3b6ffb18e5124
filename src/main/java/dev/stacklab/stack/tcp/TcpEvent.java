package dev.stacklab.stack.tcp;

/** What a connection reports as it works; delivered synchronously, listeners must not block. */
public sealed interface TcpEvent {
    long timeNanos();

    /** Stable identity of the connection (the same over its whole life, never reused in one stack). */
    long connectionId();

    TcpEndpoints endpoints();

    /**
     * The connection moved from one state to another. {@code closeReason} is set when {@code to} is
     * CLOSED, null otherwise; {@code snapshot} is the TCB after the change.
     */
    record StateChanged(long timeNanos, long connectionId, TcpEndpoints endpoints, TcpState from, TcpState to,
                        TcpCause cause, TcpCloseReason closeReason, TcpSnapshot snapshot) implements TcpEvent {
    }

    /** A segment was retransmitted (RTO, fast retransmit, partial ACK, or a zero-window probe). */
    record Retransmitted(long timeNanos, long connectionId, TcpEndpoints endpoints, TcpTimer timer, TcpSnapshot snapshot)
            implements TcpEvent {
    }

    /**
     * The TCB after a segment arrived, a segment left, or a timer fired, when the engine is asked for these
     * ({@link TcpEngine#publishSnapshots}): what a live view of a connection's variables follows.
     */
    record SnapshotTaken(long timeNanos, long connectionId, TcpEndpoints endpoints, TcpSnapshot snapshot) implements TcpEvent {
    }
}
