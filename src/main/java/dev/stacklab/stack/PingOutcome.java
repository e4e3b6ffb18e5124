package dev.stacklab.stack;

import dev.stacklab.wire.Ipv4Address;

/** How one {@link PingRequest} ended. */
public sealed interface PingOutcome {
    /** The echo reply came back: {@code bytes} is the ICMP message length, as iputils prints it. */
    record Reply(Ipv4Address from, int bytes, int ttl, long roundTripNanos) implements PingOutcome {
    }

    /** An ICMP destination unreachable quoted our request ("Destination Host Unreachable" etc.). */
    record Unreachable(Ipv4Address reportedBy, int code, String description) implements PingOutcome {
    }

    /** An ICMP time exceeded quoted our request ("Time to live exceeded"). */
    record TimeExceeded(Ipv4Address reportedBy, int code) implements PingOutcome {
    }

    /** Nobody answered ARP for the next hop: the stack itself reports the host unreachable. */
    record HostUnreachable(Ipv4Address nextHop) implements PingOutcome {
    }

    /** No answer within the timeout. */
    record Timeout() implements PingOutcome {
    }
}
