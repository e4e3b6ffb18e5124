package dev.stacklab.runtime;

import dev.stacklab.stack.PathMtuDiscovery;
import dev.stacklab.wire.Ipv4Address;

import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link Ping} run does, with iputils ping's defaults: 56 data bytes, TTL 64, one second apart,
 * sequence numbers from 1, Don't Fragment on requests that fit the MTU.
 *
 * @param target       who to ping
 * @param count        how many requests to send ({@code -c}); 0 sends until {@link Ping#stop()}
 * @param interval     time between requests ({@code -i})
 * @param payloadSize  data bytes after the ICMP header ({@code -s})
 * @param ttl          the IPv4 time to live ({@code -t})
 * @param timeout      how long each request waits for its answer ({@code -W})
 * @param identifier   the ICMP echo identifier (iputils uses a number of its own per run)
 * @param pathMtuDiscovery whether requests carry Don't Fragment ({@code -M do|want|dont})
 */
public record PingSettings(Ipv4Address target, int count, Duration interval, int payloadSize, int ttl, Duration timeout,
                           int identifier, PathMtuDiscovery pathMtuDiscovery) {
    public static final int DEFAULT_PAYLOAD_SIZE = 56;
    public static final int DEFAULT_TTL = 64;

    public PingSettings {
        Objects.requireNonNull(target, "target");
        if (count < 0) {
            throw new IllegalArgumentException("ping count must not be negative, got " + count);
        }
        if (interval.isNegative() || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("ping interval must be >= 0 and timeout > 0, got " + interval + " and " + timeout);
        }
        if (identifier < 0 || identifier > 0xFFFF) {
            throw new IllegalArgumentException("ICMP identifier " + identifier + " is outside 0-65535");
        }
        Objects.requireNonNull(pathMtuDiscovery, "pathMtuDiscovery");
    }

    /**
     * iputils' defaults: until stopped, 1 s apart, 56 bytes, TTL 64, 10 s timeout; identifier from the process id;
     * and Linux's default for a socket that does not choose (net.ipv4.ip_no_pmtu_disc=0, so IP_PMTUDISC_WANT):
     * Don't Fragment on every request that fits the MTU, which is what iputils' requests carry on the wire.
     */
    public static PingSettings to(Ipv4Address target) {
        return new PingSettings(target, 0, Duration.ofSeconds(1), DEFAULT_PAYLOAD_SIZE, DEFAULT_TTL, Duration.ofSeconds(10),
                (int) (ProcessHandle.current().pid() & 0xFFFF), PathMtuDiscovery.WANT);
    }

    public PingSettings withCount(int value) {
        return new PingSettings(target, value, interval, payloadSize, ttl, timeout, identifier, pathMtuDiscovery);
    }

    public PingSettings withInterval(Duration value) {
        return new PingSettings(target, count, value, payloadSize, ttl, timeout, identifier, pathMtuDiscovery);
    }

    public PingSettings withPayloadSize(int value) {
        return new PingSettings(target, count, interval, value, ttl, timeout, identifier, pathMtuDiscovery);
    }

    public PingSettings withTtl(int value) {
        return new PingSettings(target, count, interval, payloadSize, value, timeout, identifier, pathMtuDiscovery);
    }

    public PingSettings withTimeout(Duration value) {
        return new PingSettings(target, count, interval, payloadSize, ttl, value, identifier, pathMtuDiscovery);
    }

    public PingSettings withIdentifier(int value) {
        return new PingSettings(target, count, interval, payloadSize, ttl, timeout, value, pathMtuDiscovery);
    }

    public PingSettings withPathMtuDiscovery(PathMtuDiscovery value) {
        return new PingSettings(target, count, interval, payloadSize, ttl, timeout, identifier, value);
    }
}
