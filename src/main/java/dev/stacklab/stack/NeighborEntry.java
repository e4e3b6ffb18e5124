package dev.stacklab.stack;

import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.MacAddress;

/**
 * A snapshot of one neighbor cache entry; {@code mac} is null while INCOMPLETE or FAILED.
 *
 * @param updatedAtNanos when the entry last changed state or MAC, or was last confirmed by an ARP packet (its age
 *                       counts from here), in the engine's time
 * @param expiresAtNanos REACHABLE: when it turns STALE; INCOMPLETE: when the next request goes (or it fails);
 *                       {@code Long.MAX_VALUE} for STALE and FAILED, which wait for the next use
 */
public record NeighborEntry(Ipv4Address address, MacAddress mac, NeighborState state, long updatedAtNanos,
                            long expiresAtNanos) {
}
