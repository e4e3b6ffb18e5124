package dev.stacklab.stack;

import dev.stacklab.wire.IpProtocol;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.MacAddress;

/**
 * Everything a {@link NetStack} does, published as it happens so that a UI, a log or a test can
 * follow it. Frame bytes are copies the receiver may keep.
 */
public sealed interface StackEvent {
    long timeNanos();

    /** A frame arrived from the link (before any check). */
    record FrameReceived(long timeNanos, byte[] frame) implements StackEvent {
    }

    /** A frame was handed to the link. */
    record FrameSent(long timeNanos, byte[] frame) implements StackEvent {
    }

    /** A frame or datagram was dropped; {@code frame} may be null when no frame is at hand (e.g. a timeout). */
    record Dropped(long timeNanos, DropReason reason, String detail, byte[] frame) implements StackEvent {
    }

    /** A neighbor cache entry changed state or MAC. {@code previousMac} differs from {@code mac} when a known IP moved. */
    record NeighborChanged(long timeNanos, Ipv4Address address, MacAddress previousMac, MacAddress mac,
                           NeighborState previousState, NeighborState state) implements StackEvent {
    }

    /**
     * A neighbor cache entry was forgotten: flushed, or evicted to make room. {@code mac} is null when it had none;
     * {@code state} is the state it had.
     */
    record NeighborRemoved(long timeNanos, Ipv4Address address, MacAddress mac, NeighborState state) implements StackEvent {
    }

    /** Another host claims our own address (RFC 5227 calls this a conflict). */
    record AddressConflict(long timeNanos, Ipv4Address address, MacAddress claimant) implements StackEvent {
    }

    /**
     * An ICMP destination unreachable or time exceeded arrived about a datagram we sent: the whole {@link IcmpError}
     * (who reported it, type and code, the next-hop MTU, the quoted addresses, ports and sequence), which is what
     * identifies the socket, ping or connection it is about.
     */
    record IcmpErrorReceived(long timeNanos, IcmpError error) implements StackEvent {
        public Ipv4Address reportedBy() {
            return error.reportedBy();
        }

        public int type() {
            return error.type();
        }

        public int code() {
            return error.code();
        }

        public IpProtocol quotedProtocol() {
            return error.quotedProtocol();
        }

        public Ipv4Address quotedDestination() {
            return error.quotedDestination();
        }

        /** The quoted UDP or TCP destination port; -1 for other protocols or a quote too short to hold it. */
        public int quotedDestinationPort() {
            int protocol = error.quotedProtocol().value();
            return protocol == 6 || protocol == 17 ? error.quotedDestinationPort() : -1;
        }
    }

    /**
     * The MTU the stack uses towards {@code destination} changed (RFC 1191): lowered by a "fragmentation
     * needed" answer, or back to the link's MTU when the estimate expired.
     */
    record PathMtuChanged(long timeNanos, Ipv4Address destination, int previousMtu, int mtu) implements StackEvent {
    }

    /** A ping finished, however it ended. */
    record PingCompleted(long timeNanos, PingRequest request, PingOutcome outcome) implements StackEvent {
    }

    /**
     * A TCP connection changed state (with the cause and a TCB snapshot) or retransmitted: the
     * {@link dev.stacklab.stack.tcp.TcpEvent} of the stack's TCP, carrying the connection's identity.
     */
    record TcpConnectionEvent(long timeNanos, dev.stacklab.stack.tcp.TcpEvent event) implements StackEvent {
    }
}
