package dev.stacklab.runtime;

import dev.stacklab.stack.tcp.TcpCloseReason;
import dev.stacklab.stack.tcp.TcpEndpoints;
import dev.stacklab.stack.tcp.TcpSnapshot;

import java.net.SocketException;

/**
 * A TCP connection of a blocking facade failed; the message says what happened in a person's words
 * ("connection refused by 10.0.0.1:80", "connection reset by peer", "timed out after 6 retransmissions",
 * "network unreachable"), {@link #closeReason()} says it for a program.
 */
public final class TcpException extends SocketException {
    private static final long serialVersionUID = 1L;

    private final transient TcpCloseReason closeReason;

    public TcpException(TcpCloseReason closeReason, String message) {
        super(message);
        this.closeReason = closeReason;
    }

    /** Why the connection ended, or null when it never began (no route, say). */
    public TcpCloseReason closeReason() {
        return closeReason;
    }

    /** The exception for a connection that reached CLOSED for {@code reason} while the application was using it. */
    static TcpException closed(TcpCloseReason reason, TcpEndpoints endpoints, TcpSnapshot snapshot) {
        String peer = endpoints.remoteAddress() + ":" + endpoints.remotePort();
        String message = switch (reason) {
            case REFUSED -> "connection refused by " + peer;
            case RESET_BY_PEER -> "connection reset by peer " + peer;
            case TIMED_OUT -> "connection to " + peer + " timed out after " + snapshot.retransmissions() + " retransmissions";
            case KEEPALIVE_TIMED_OUT -> "connection to " + peer + " timed out: keep-alive probes went unanswered";
            case UNREACHABLE -> "network unreachable: an ICMP error said " + peer + " cannot be reached";
            case ABORTED -> "connection to " + peer + " was aborted by this side";
            case NORMAL -> "connection to " + peer + " is closed";
        };
        return new TcpException(reason, message);
    }
}
