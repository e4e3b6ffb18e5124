package dev.stacklab.stack.tcp;

/** The eleven states of a TCP connection, RFC 9293 section 3.3.2 and Figure 5. */
public enum TcpState {
    CLOSED,
    LISTEN,
    SYN_SENT,
    SYN_RECEIVED,
    ESTABLISHED,
    FIN_WAIT_1,
    FIN_WAIT_2,
    CLOSE_WAIT,
    CLOSING,
    LAST_ACK,
    TIME_WAIT;

    /** States after the handshake in which both sequence spaces are known (RFC 9293 section 3.10.7.4). */
    public boolean isSynchronized() {
        return ordinal() >= ESTABLISHED.ordinal();
    }

    /** States in which our side may still queue data to send (RFC 9293 section 3.10.2). */
    public boolean canSend() {
        return this == SYN_SENT || this == SYN_RECEIVED || this == ESTABLISHED || this == CLOSE_WAIT;
    }

    /** States in which the peer may still send us data (before its FIN). */
    public boolean canReceive() {
        return this == SYN_SENT || this == SYN_RECEIVED || this == ESTABLISHED || this == FIN_WAIT_1 || this == FIN_WAIT_2;
    }

    /** As RFC 9293 writes it: "SYN-RECEIVED". */
    public String rfcName() {
        return name().replace('_', '-');
    }
}
