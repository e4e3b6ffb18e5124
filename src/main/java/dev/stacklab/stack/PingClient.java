package dev.stacklab.stack;

import dev.stacklab.wire.BigEndian;
import dev.stacklab.wire.Checksum;
import dev.stacklab.wire.Icmpv4Packet;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.Ipv4Packet;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ping client: sends echo requests (RFC 792) and matches what comes back by identifier and
 * sequence number, and by who answered: the target's echo reply, or an error quoting our request
 * from anyone on the path.
 */
final class PingClient {
    /** Pings waiting for an answer at once; more is a caller's bug, not a network condition. */
    static final int MAX_IN_FLIGHT = 4096;
    /** iputils puts a struct timeval (16 bytes on 64-bit Linux) at the start of the data when it fits. */
    static final int TIMESTAMP_LENGTH = 16;
    private static final int PROTOCOL_ICMP = 1;

    private final class InFlight implements NeighborCache.PendingOwner {
        final PingRequest request;
        final PingCallback callback;
        final int key;
        final long sentAt;
        final long deadline;

        InFlight(PingRequest request, PingCallback callback, int key, long sentAt) {
            this.request = request;
            this.callback = callback;
            this.key = key;
            this.sentAt = sentAt;
            this.deadline = request.timeoutNanos() > Long.MAX_VALUE - sentAt ? Long.MAX_VALUE : sentAt + request.timeoutNanos();
        }

        @Override
        public void neighborUnreachable(Ipv4Address nextHop, long now) {
            complete(this, new PingOutcome.HostUnreachable(nextHop), now);
        }
    }

    private final NetStack stack;
    private final Map<Integer, InFlight> inFlight = new HashMap<>();
    private long nextDeadline = Long.MAX_VALUE;

    PingClient(NetStack stack) {
        this.stack = stack;
    }

    long nextDeadline() {
        return nextDeadline;
    }

    void send(PingRequest request, long now, PingCallback callback) {
        int key = request.identifier() << 16 | (request.sequence() & 0xFFFF);
        if ((request.identifier() & ~0xFFFF) != 0 || (request.sequence() & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("identifier " + request.identifier() + " and sequence " + request.sequence()
                    + " must be 16-bit values");
        }
        if (inFlight.containsKey(key)) {
            throw new IllegalStateException("a ping with identifier " + request.identifier() + " and sequence "
                    + request.sequence() + " is already waiting");
        }
        if (inFlight.size() >= MAX_IN_FLIGHT) {
            throw new IllegalStateException(MAX_IN_FLIGHT + " pings are already waiting");
        }
        int messageLength = Icmpv4Packet.HEADER_LENGTH + request.payloadSize();
        byte[] frame = stack.ipv4.newDatagram(PROTOCOL_ICMP, request.target().bits(), messageLength, request.ttl(),
                request.pathMtuDiscovery());
        int at = Ipv4Layer.payloadOffset();
        frame[at + Icmpv4Packet.TYPE] = (byte) Icmpv4Packet.TYPE_ECHO_REQUEST;
        BigEndian.putU16(frame, at + Icmpv4Packet.IDENTIFIER, request.identifier());
        BigEndian.putU16(frame, at + Icmpv4Packet.SEQUENCE_NUMBER, request.sequence());
        writeIputilsData(frame, at + Icmpv4Packet.HEADER_LENGTH, request.payloadSize(), now);
        BigEndian.putU16(frame, at + Icmpv4Packet.CHECKSUM, Checksum.compute(frame, at, messageLength));

        InFlight ping = new InFlight(request, callback, key, now);
        inFlight.put(key, ping);
        nextDeadline = Math.min(nextDeadline, ping.deadline);
        stack.counters.pingsSent++;
        switch (stack.ipv4.send(frame, ping, now)) {
            case SENT -> {
            }
            // No route (RFC 1122 3.3.1.3 leaves it to the host): what Linux's ping calls "Network is unreachable".
            case NO_ROUTE -> complete(ping, new PingOutcome.Unreachable(stack.config().address().address(),
                    IcmpLayer.CODE_NET_UNREACHABLE, "Network is unreachable"), now);
            case FRAGMENTATION_NEEDED -> complete(ping,
                    new PingOutcome.MessageTooLong(stack.ipv4.pathMtus.mtuFor(request.target().bits())), now);
        }
    }

    /**
     * The data iputils ping sends: byte i holds i, and the first 16 bytes hold the send time as a
     * struct timeval in host (little-endian) order, here the virtual time.
     */
    private static void writeIputilsData(byte[] frame, int offset, int length, long now) {
        for (int i = 0; i < length; i++) {
            frame[offset + i] = (byte) i;
        }
        if (length >= TIMESTAMP_LENGTH) {
            long seconds = Math.floorDiv(now, 1_000_000_000L);
            long micros = Math.floorMod(now, 1_000_000_000L) / 1000;
            for (int i = 0; i < 8; i++) {
                frame[offset + i] = (byte) (seconds >>> (8 * i));
                frame[offset + 8 + i] = (byte) (micros >>> (8 * i));
            }
        }
    }

    void echoReplyReceived(byte[] buffer, int ipOffset, Icmpv4Packet reply, long now) {
        InFlight ping = inFlight.get(reply.identifier() << 16 | reply.sequenceNumber());
        int source = BigEndian.i32(buffer, ipOffset + Ipv4Packet.SOURCE);
        if (ping == null || !answersFor(ping, source)) {
            // Late (after its timeout), duplicated, or someone else's: as iputils, not an answer.
            stack.counters.pingRepliesUnmatched++;
            return;
        }
        stack.counters.pingReplies++;
        complete(ping, new PingOutcome.Reply(new Ipv4Address(source), reply.length(),
                BigEndian.u8(buffer, ipOffset + Ipv4Packet.TIME_TO_LIVE), now - ping.sentAt), now);
    }

    /**
     * A destination unreachable or time exceeded quoting one of our echo requests; {@code nextHopMtu}
     * is the error's MTU field, meaningful only for "fragmentation needed" (0 otherwise).
     */
    void errorReceived(Ipv4Address reporter, int type, int code, int nextHopMtu, Ipv4Address quotedDestination, int identifier,
                       int sequence, long now) {
        InFlight ping = inFlight.get(identifier << 16 | sequence);
        if (ping == null || !ping.request.target().equals(quotedDestination)) {
            return;
        }
        PingOutcome outcome = type == Icmpv4Packet.TYPE_TIME_EXCEEDED
                ? new PingOutcome.TimeExceeded(reporter, code)
                : new PingOutcome.Unreachable(reporter, code, IcmpLayer.describeUnreachable(code, nextHopMtu), nextHopMtu);
        complete(ping, outcome, now);
    }

    /** A ping to a broadcast address takes its answer from anyone (ping -b); any other only from its target. */
    private boolean answersFor(InFlight ping, int source) {
        int target = ping.request.target().bits();
        return source == target || target == -1 || target == stack.config().address().broadcast().bits();
    }

    private void complete(InFlight ping, PingOutcome outcome, long now) {
        if (inFlight.get(ping.key) != ping) {
            return;
        }
        inFlight.remove(ping.key);
        if (inFlight.isEmpty()) {
            nextDeadline = Long.MAX_VALUE;
        }
        ping.callback.completed(ping.request, outcome);
        stack.publish(new StackEvent.PingCompleted(now, ping.request, outcome));
    }

    void poll(long now) {
        if (now < nextDeadline) {
            return;
        }
        List<InFlight> expired = new ArrayList<>();
        long next = Long.MAX_VALUE;
        for (InFlight ping : inFlight.values()) {
            if (ping.deadline <= now) {
                expired.add(ping);
            } else {
                next = Math.min(next, ping.deadline);
            }
        }
        nextDeadline = next;
        for (InFlight ping : expired) {
            complete(ping, new PingOutcome.Timeout(), now);
        }
    }
}
