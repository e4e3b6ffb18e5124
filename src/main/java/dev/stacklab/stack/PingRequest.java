package dev.stacklab.stack;

import dev.stacklab.wire.Ipv4Address;

import java.util.Objects;

/**
 * One ICMP echo request to send (RFC 792).
 *
 * @param target            who to ping
 * @param identifier        the echo identifier (iputils uses its socket's port; any 16-bit value)
 * @param sequence          the echo sequence number
 * @param payloadSize       data bytes after the 8-byte ICMP header (iputils' -s, 56 by default)
 * @param ttl               the IPv4 time to live (64 by default)
 * @param timeoutNanos      how long to wait for the answer
 * @param pathMtuDiscovery  whether the datagram carries Don't Fragment (iputils' -M)
 */
public record PingRequest(Ipv4Address target, int identifier, int sequence, int payloadSize, int ttl, long timeoutNanos,
                          PathMtuDiscovery pathMtuDiscovery) {
    public PingRequest {
        if (payloadSize < 0 || payloadSize > 65507) {
            throw new IllegalArgumentException("ping payload size " + payloadSize + " is outside 0-65507");
        }
        if (ttl < 1 || ttl > 255) {
            throw new IllegalArgumentException("TTL " + ttl + " is outside 1-255");
        }
        Objects.requireNonNull(pathMtuDiscovery, "pathMtuDiscovery");
    }

    /** A request without Don't Fragment: fragmented here when larger than the MTU, and by routers on the way. */
    public PingRequest(Ipv4Address target, int identifier, int sequence, int payloadSize, int ttl, long timeoutNanos) {
        this(target, identifier, sequence, payloadSize, ttl, timeoutNanos, PathMtuDiscovery.DONT);
    }
}
