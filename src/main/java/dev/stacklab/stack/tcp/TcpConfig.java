package dev.stacklab.stack.tcp;

/**
 * How the TCP of one stack behaves. Defaults follow the RFCs, and Linux where the RFCs leave a range;
 * every timing is in nanoseconds of the engine's (passed-in) time.
 *
 * @param receiveBufferSize          bytes a connection holds for its application; its receive window comes from the free part
 * @param sendBufferSize             bytes a connection queues before {@code send} accepts no more
 * @param initialRetransmissionTimeoutNanos RFC 6298 2.1: 1 s before the first RTT sample
 * @param minimumRetransmissionTimeoutNanos RFC 6298 2.4 says 1 s; Linux uses 200 ms, as does stacklab by default
 * @param maximumRetransmissionTimeoutNanos RFC 6298 2.5 allows a ceiling of at least 60 s; Linux's is 120 s
 * @param synRetries                 retransmissions of a SYN or SYN-ACK before giving up (Linux tcp_syn_retries: 6)
 * @param dataRetries                retransmissions of one segment before the connection is aborted (RFC 9293 3.8.3 R2; Linux tcp_retries2: 15)
 * @param maximumSegmentLifetimeNanos MSL; TIME-WAIT lasts twice this (RFC 9293 3.4.2); 30 s by default as in Linux
 * @param delayedAckNanos            longest an ACK is held back (RFC 9293 3.8.6.3: under 0.5 s). 40 ms by default, as
 *                                   Linux's TCP_DELACK_MIN: held as long as the peer's minimum RTO (200 ms), an ACK
 *                                   for a lone segment (an echo, a request) came just after the peer retransmitted it
 * @param windowScaling              offer the window scale option (RFC 7323 section 2)
 * @param timestamps                 offer the timestamps option (RFC 7323 section 3)
 * @param selectiveAcknowledgments   offer SACK-permitted (RFC 2018)
 * @param nagle                      Nagle's algorithm on new connections (RFC 9293 3.7.4; each socket may turn it off)
 * @param keepAliveIdleNanos         keep-alive: idle time before the first probe (RFC 1122 4.2.3.6: at least 2 h), 0 = off
 * @param keepAliveIntervalNanos     keep-alive: time between unanswered probes
 * @param keepAliveProbes            keep-alive: unanswered probes before the connection is dropped
 * @param challengeAcksPerSecond     RFC 5961 section 7: challenge ACKs sent per second, at most, by the whole stack
 * @param synQueueSize               half-open connections a listener holds (the SYN queue); more SYNs are dropped
 * @param maximumConnections         connections of every kind the stack holds at once, listeners' SYN queues included
 * @param congestionAlgorithm        the congestion control each new connection uses (NewReno by default)
 */
public record TcpConfig(int receiveBufferSize, int sendBufferSize, long initialRetransmissionTimeoutNanos,
                        long minimumRetransmissionTimeoutNanos, long maximumRetransmissionTimeoutNanos, int synRetries,
                        int dataRetries, long maximumSegmentLifetimeNanos, long delayedAckNanos, boolean windowScaling,
                        boolean timestamps, boolean selectiveAcknowledgments, boolean nagle, long keepAliveIdleNanos,
                        long keepAliveIntervalNanos, int keepAliveProbes, int challengeAcksPerSecond, int synQueueSize,
                        int maximumConnections, CongestionAlgorithm congestionAlgorithm) {
    public static final long MILLISECOND = 1_000_000L;
    public static final long SECOND = 1_000_000_000L;

    public TcpConfig {
        if (receiveBufferSize < 1 || receiveBufferSize > 1 << 30 || sendBufferSize < 1 || sendBufferSize > 1 << 30) {
            // RFC 7323 2.3: windows stay under 2^30 so that sequence comparison keeps working.
            throw new IllegalArgumentException("buffer sizes must be 1 to 2^30 bytes");
        }
        if (minimumRetransmissionTimeoutNanos <= 0 || maximumRetransmissionTimeoutNanos < minimumRetransmissionTimeoutNanos
                || initialRetransmissionTimeoutNanos <= 0) {
            throw new IllegalArgumentException("retransmission timeouts must be positive and minimum <= maximum");
        }
        if (synRetries < 0 || dataRetries < 0 || keepAliveProbes < 1 || challengeAcksPerSecond < 1 || synQueueSize < 1
                || maximumConnections < 1 || delayedAckNanos < 0 || delayedAckNanos > 500 * MILLISECOND) {
            throw new IllegalArgumentException("TCP limits out of range (delayed ACK must stay under 500 ms, RFC 9293 3.8.6.3)");
        }
        java.util.Objects.requireNonNull(congestionAlgorithm, "congestionAlgorithm");
    }

    public static TcpConfig defaults() {
        return new TcpConfig(256 * 1024, 256 * 1024, SECOND, 200 * MILLISECOND, 120 * SECOND, 6, 15, 30 * SECOND,
                40 * MILLISECOND, true, true, true, true, 0, 75 * SECOND, 9, 10, 128, 4096, CongestionAlgorithm.NEW_RENO);
    }

    public TcpConfig withBuffers(int receive, int send) {
        return new TcpConfig(receive, send, initialRetransmissionTimeoutNanos, minimumRetransmissionTimeoutNanos,
                maximumRetransmissionTimeoutNanos, synRetries, dataRetries, maximumSegmentLifetimeNanos, delayedAckNanos,
                windowScaling, timestamps, selectiveAcknowledgments, nagle, keepAliveIdleNanos, keepAliveIntervalNanos,
                keepAliveProbes, challengeAcksPerSecond, synQueueSize, maximumConnections, congestionAlgorithm);
    }

    /** Which options our SYNs offer. */
    public TcpConfig withOptions(boolean scaling, boolean stamps, boolean sack) {
        return new TcpConfig(receiveBufferSize, sendBufferSize, initialRetransmissionTimeoutNanos, minimumRetransmissionTimeoutNanos,
                maximumRetransmissionTimeoutNanos, synRetries, dataRetries, maximumSegmentLifetimeNanos, delayedAckNanos,
                scaling, stamps, sack, nagle, keepAliveIdleNanos, keepAliveIntervalNanos, keepAliveProbes,
                challengeAcksPerSecond, synQueueSize, maximumConnections, congestionAlgorithm);
    }

    public TcpConfig withRetries(int syn, int data) {
        return new TcpConfig(receiveBufferSize, sendBufferSize, initialRetransmissionTimeoutNanos, minimumRetransmissionTimeoutNanos,
                maximumRetransmissionTimeoutNanos, syn, data, maximumSegmentLifetimeNanos, delayedAckNanos,
                windowScaling, timestamps, selectiveAcknowledgments, nagle, keepAliveIdleNanos, keepAliveIntervalNanos,
                keepAliveProbes, challengeAcksPerSecond, synQueueSize, maximumConnections, congestionAlgorithm);
    }

    public TcpConfig withMinimumRetransmissionTimeout(long nanos) {
        return new TcpConfig(receiveBufferSize, sendBufferSize, initialRetransmissionTimeoutNanos, nanos,
                maximumRetransmissionTimeoutNanos, synRetries, dataRetries, maximumSegmentLifetimeNanos, delayedAckNanos,
                windowScaling, timestamps, selectiveAcknowledgments, nagle, keepAliveIdleNanos, keepAliveIntervalNanos,
                keepAliveProbes, challengeAcksPerSecond, synQueueSize, maximumConnections, congestionAlgorithm);
    }

    public TcpConfig withMaximumSegmentLifetime(long nanos) {
        return new TcpConfig(receiveBufferSize, sendBufferSize, initialRetransmissionTimeoutNanos, minimumRetransmissionTimeoutNanos,
                maximumRetransmissionTimeoutNanos, synRetries, dataRetries, nanos, delayedAckNanos,
                windowScaling, timestamps, selectiveAcknowledgments, nagle, keepAliveIdleNanos, keepAliveIntervalNanos,
                keepAliveProbes, challengeAcksPerSecond, synQueueSize, maximumConnections, congestionAlgorithm);
    }

    public TcpConfig withKeepAlive(long idleNanos, long intervalNanos, int probes) {
        return new TcpConfig(receiveBufferSize, sendBufferSize, initialRetransmissionTimeoutNanos, minimumRetransmissionTimeoutNanos,
                maximumRetransmissionTimeoutNanos, synRetries, dataRetries, maximumSegmentLifetimeNanos, delayedAckNanos,
                windowScaling, timestamps, selectiveAcknowledgments, nagle, idleNanos, intervalNanos, probes,
                challengeAcksPerSecond, synQueueSize, maximumConnections, congestionAlgorithm);
    }

    public TcpConfig withLimits(int synQueue, int connections) {
        return new TcpConfig(receiveBufferSize, sendBufferSize, initialRetransmissionTimeoutNanos, minimumRetransmissionTimeoutNanos,
                maximumRetransmissionTimeoutNanos, synRetries, dataRetries, maximumSegmentLifetimeNanos, delayedAckNanos,
                windowScaling, timestamps, selectiveAcknowledgments, nagle, keepAliveIdleNanos, keepAliveIntervalNanos,
                keepAliveProbes, challengeAcksPerSecond, synQueue, connections, congestionAlgorithm);
    }

    public TcpConfig withNagle(boolean enabled) {
        return new TcpConfig(receiveBufferSize, sendBufferSize, initialRetransmissionTimeoutNanos, minimumRetransmissionTimeoutNanos,
                maximumRetransmissionTimeoutNanos, synRetries, dataRetries, maximumSegmentLifetimeNanos, delayedAckNanos,
                windowScaling, timestamps, selectiveAcknowledgments, enabled, keepAliveIdleNanos, keepAliveIntervalNanos,
                keepAliveProbes, challengeAcksPerSecond, synQueueSize, maximumConnections, congestionAlgorithm);
    }

    public TcpConfig withCongestionAlgorithm(CongestionAlgorithm algorithm) {
        return new TcpConfig(receiveBufferSize, sendBufferSize, initialRetransmissionTimeoutNanos, minimumRetransmissionTimeoutNanos,
                maximumRetransmissionTimeoutNanos, synRetries, dataRetries, maximumSegmentLifetimeNanos, delayedAckNanos,
                windowScaling, timestamps, selectiveAcknowledgments, nagle, keepAliveIdleNanos, keepAliveIntervalNanos,
                keepAliveProbes, challengeAcksPerSecond, synQueueSize, maximumConnections, algorithm);
    }
}
