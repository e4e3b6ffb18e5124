package dev.stacklab.stack;

import dev.stacklab.wire.Ipv4Address;

/** A bound UDP port of a {@link NetStack}. Use it only on the stack's thread. */
public interface UdpSocket {
    int localPort();

    /** Queues one datagram (sent on the next poll, once the next hop is resolved). */
    void send(Ipv4Address destination, int destinationPort, byte[] payload, int offset, int length);

    /** Unbinds the port; later datagrams to it get ICMP port unreachable. */
    void close();
}
