package dev.stacklab.stack.tcp;

/** Why a connection reached CLOSED, told to the application (RFC 9293 section 3.10: "connection reset", ...). */
public enum TcpCloseReason {
    /** Both sides closed and the FINs were acknowledged (or TIME-WAIT ran out). */
    NORMAL("closed"),
    /** A RST answered our SYN: nobody listens on that port (RFC 9293 3.10.7.3). */
    REFUSED("connection refused"),
    /** The peer sent an acceptable RST (RFC 9293 3.10.7.4, RFC 5961 3.2). */
    RESET_BY_PEER("connection reset by peer"),
    /** The retransmission limit was reached (RFC 9293 3.8.3, R2). */
    TIMED_OUT("connection timed out"),
    /** Keep-alive probes went unanswered (RFC 1122 4.2.3.6). */
    KEEPALIVE_TIMED_OUT("connection timed out (keep-alive)"),
    /** An ICMP error said the peer cannot be reached (RFC 1122 4.2.3.9, hard errors). */
    UNREACHABLE("network unreachable"),
    /** Our application aborted the connection (RFC 9293 3.10.5). */
    ABORTED("connection aborted");

    private final String description;

    TcpCloseReason(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
