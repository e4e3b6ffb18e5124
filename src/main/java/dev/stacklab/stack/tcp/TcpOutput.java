package dev.stacklab.stack.tcp;

import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.TcpRepr;

/** A segment the TCP engine wants sent, with the addresses of its IPv4 datagram (and checksum pseudo-header). */
public record TcpOutput(Ipv4Address source, Ipv4Address destination, TcpRepr segment) {
}
