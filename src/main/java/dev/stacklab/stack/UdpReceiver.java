package dev.stacklab.stack;

import dev.stacklab.wire.Ipv4Address;

/** Receives datagrams for a bound {@link UdpSocket}, on the stack's thread; the payload array is the receiver's. */
@FunctionalInterface
public interface UdpReceiver {
    void received(UdpSocket socket, Ipv4Address source, int sourcePort, byte[] payload);

    /**
     * An ICMP destination unreachable or time exceeded came back for a datagram this socket sent
     * (RFC 1122 4.1.3.3: UDP passes them to the application; type 3 code 3 is "port unreachable",
     * what Linux reports as ECONNREFUSED). Ignored unless overridden.
     */
    default void errorReceived(UdpSocket socket, Ipv4Address reportedBy, int icmpType, int icmpCode,
                               Ipv4Address destination, int destinationPort) {
    }
}
