package dev.stacklab.stack.tcp;

/** What the TCP engine counted since it started; read on the engine's thread. */
public final class TcpCounters {
    long segmentsReceived;
    long segmentsSent;
    long resetsSent;
    long retransmissions;
    long synsDropped;
    long pawsRejected;
    long challengeAcksSent;
    long challengeAcksSuppressed;
    long controlSegmentsDropped;
    long connectionsOpened;
    long connectionsClosed;

    public long segmentsReceived() {
        return segmentsReceived;
    }

    public long segmentsSent() {
        return segmentsSent;
    }

    /** RSTs sent: to closed ports, for bad ACKs, and by aborts. */
    public long resetsSent() {
        return resetsSent;
    }

    public long retransmissions() {
        return retransmissions;
    }

    /** SYNs dropped because a listener's SYN queue or the connection table was full. */
    public long synsDropped() {
        return synsDropped;
    }

    /** Segments dropped by PAWS (RFC 7323 5.3). */
    public long pawsRejected() {
        return pawsRejected;
    }

    /** Challenge ACKs allowed by the RFC 5961 section 7 limit. */
    public long challengeAcksSent() {
        return challengeAcksSent;
    }

    /** Challenge ACKs the limit held back. */
    public long challengeAcksSuppressed() {
        return challengeAcksSuppressed;
    }

    /** RSTs not sent because the queue of them was full. */
    public long controlSegmentsDropped() {
        return controlSegmentsDropped;
    }

    public long connectionsOpened() {
        return connectionsOpened;
    }

    public long connectionsClosed() {
        return connectionsClosed;
    }
}
