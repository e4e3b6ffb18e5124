package dev.stacklab.stack;

import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.MacAddress;

/** A snapshot of one neighbor cache entry; {@code mac} is null while INCOMPLETE or FAILED. */
public record NeighborEntry(Ipv4Address address, MacAddress mac, NeighborState state, long expiresAtNanos) {
}
