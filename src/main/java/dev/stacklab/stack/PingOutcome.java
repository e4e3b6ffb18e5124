package dev.stacklab.stack;

import dev.stacklab.wire.Ipv4Address;

/** How one {@link PingRequest} ended. */
public sealed interface PingOutcome {
    /** The echo reply came back: {@code bytes} is the ICMP message length, as iputils prints it. */
    record Reply(Ipv4Address from, int bytes, int ttl, long roundTripNanos) implements PingOutcome {
    }

    /**
     * An ICMP destination unreachable quoted our request ("Destination Host Unreachable" etc.).
     *
     * @param nextHopMtu for code 4, "fragmentation needed and DF set", the MTU the reporting router
     *                   could not exceed (RFC 1191 section 4; 0 from a router older than that RFC);
     *                   0 for every other code
     */
    record Unreachable(Ipv4Address reportedBy, int code, String description, int nextHopMtu) implements PingOutcome {
        public Unreachable(Ipv4Address reportedBy, int code, String description) {
            this(reportedBy, code, description, 0);
        }
    }

    /** An ICMP time exceeded quoted our request ("Time to live exceeded"). */
    record TimeExceeded(Ipv4Address reportedBy, int code) implements PingOutcome {
    }

    /** Nobody answered ARP for the next hop: the stack itself reports the host unreachable. */
    record HostUnreachable(Ipv4Address nextHop) implements PingOutcome {
    }

    /**
     * The request never left: with Don't Fragment it is larger than the MTU ({@link PathMtuDiscovery#DO}).
     * Linux refuses such a send with EMSGSIZE, which iputils prints as "local error: message too long, mtu=1500".
     */
    record MessageTooLong(int mtu) implements PingOutcome {
        /** iputils' words for it. */
        public String description() {
            return "local error: message too long, mtu=" + mtu;
        }
    }

    /** No answer within the timeout. */
    record Timeout() implements PingOutcome {
    }
}
