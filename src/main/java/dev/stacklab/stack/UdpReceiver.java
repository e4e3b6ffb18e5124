package dev.stacklab.stack;

import dev.stacklab.wire.Ipv4Address;

/** Receives datagrams for a bound {@link UdpSocket}, on the stack's thread; the payload array is the receiver's. */
@FunctionalInterface
public interface UdpReceiver {
    void received(UdpSocket socket, Ipv4Address source, int sourcePort, byte[] payload);
}
