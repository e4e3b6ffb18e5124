package dev.stacklab.stack.tcp;

/**
 * The unpredictable numbers TCP needs, injected so that a simulation can fix them and a real stack
 * can draw them from a secure source.
 */
public interface TcpSecrets {
    /**
     * RFC 9293 3.4.1 and RFC 6528: ISN = M + F(localip, localport, remoteip, remoteport, secretkey),
     * M a 4-microsecond clock.
     */
    int initialSequenceNumber(TcpEndpoints endpoints, long nowNanos);

    /** RFC 7323 section 5.4 / 7.1: a per-connection offset added to the timestamp clock. */
    int timestampOffset(TcpEndpoints endpoints);

    /** RFC 6056: a local port for an active open towards {@code remote}, from the ephemeral range; 0 when none is free. */
    int ephemeralPort(TcpEndpoints withoutLocalPort, java.util.function.IntPredicate inUse);
}
