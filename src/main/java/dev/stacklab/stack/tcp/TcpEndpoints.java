package dev.stacklab.stack.tcp;

import dev.stacklab.wire.Ipv4Address;

/**
 * The four numbers that name a connection (RFC 9293 section 3.3.1: "a pair of sockets"), as seen from our side.
 */
public record TcpEndpoints(Ipv4Address localAddress, int localPort, Ipv4Address remoteAddress, int remotePort) {
    @Override
    public String toString() {
        return localAddress + ":" + localPort + " ↔ " + remoteAddress + ":" + remotePort;
    }
}
