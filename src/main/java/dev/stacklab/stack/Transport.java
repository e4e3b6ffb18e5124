package dev.stacklab.stack;

/**
 * A transport protocol above IPv4 in a {@link NetStack}: ICMP echo ({@link PingClient}), UDP ({@link UdpLayer}) and
 * TCP ({@code stack.tcp.TcpLayer}, registered with {@link NetStack#installTcp}). The engine reaches every transport
 * the same three ways, always on its one thread and with the time passed in:
 * <ul>
 *   <li>{@link #receive}: a datagram of its protocol arrived for us. Arriving datagrams still go down a plain switch
 *       on the IP protocol ({@code Ipv4Layer.deliver}), as smoltcp's do; a fourth protocol is one more case.</li>
 *   <li>{@link #icmpError}: an ICMP destination unreachable or time exceeded quotes a datagram it sent (RFC 1122
 *       3.2.2.1: ICMP errors go to the transport named in the quoted header, which finds the socket by the quoted
 *       ports).</li>
 *   <li>{@link #pollOutput}: the link has room for another frame; the transport sends its next datagram, if it has
 *       one, through its {@link TransportContext}. Output is pulled: a transport that has something to send says so
 *       with {@link TransportContext#wantsOutput()} and waits to be asked, so a bulk sender is paced by the link and
 *       never dropped by a full queue in the engine.</li>
 * </ul>
 * Deadlines (retransmission and the like) go into the engine's one timer queue, {@link TransportContext#timers()},
 * which feeds {@link NetStack#pollAt()}.
 *
 * <p>How TCP uses it: {@code receive} is RFC 9293 3.10.7 "SEGMENT ARRIVES" (find the connection by the four-tuple;
 * none: answer with a RST unless {@link Ipv4Datagram#toBroadcast()}); {@code icmpError} is RFC 9293 3.9 and RFC
 * 1122 4.2.3.9 (port or protocol unreachable in SYN-SENT: "connection refused"; fragmentation needed: lower the
 * connection's MSS to the next-hop MTU (RFC 1191) and resend what was too big; other errors are soft, reported
 * only if the connection then times out; the quoted sequence number must lie in SND.UNA..SND.NXT, RFC 5927
 * section 4.1); {@code pollOutput} sends the next segment the send window, the congestion window and Nagle allow,
 * or a pending ACK, one segment per call; RTO, delayed ACK, persist, keep-alive and TIME-WAIT are timers in
 * {@link TransportContext#timers()}.
 */
public interface Transport {
    /** A datagram of this transport's protocol, for us; a view valid only during the call. */
    void receive(Ipv4Datagram datagram, long now);

    /** An ICMP error quoting a datagram of this protocol from us. */
    void icmpError(IcmpError error, long now);

    /**
     * The link has room: send at most one datagram now, through {@link TransportContext#send}.
     *
     * @return true when one was sent (the engine may ask again at once), false when there is nothing to send now
     *         (the engine asks again only after {@link TransportContext#wantsOutput()})
     */
    boolean pollOutput(long now);
}
