package dev.stacklab.stack;

import dev.stacklab.wire.BigEndian;
import dev.stacklab.wire.Checksum;
import dev.stacklab.wire.Icmpv4Packet;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.Ipv4Packet;
import dev.stacklab.wire.MalformedPacketException;

import java.util.HashMap;
import java.util.Map;

/**
 * The ping client: sends echo requests (RFC 792) and matches what comes back by identifier and
 * sequence number, and by who answered: the target's echo reply, or an error quoting our request
 * from anyone on the path. The ICMP echo transport: {@link IcmpLayer} hands it echo replies and the errors that quote
 * an echo request.
 */
final class PingClient implements Transport {
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
        final TimerQueue.Timer timeout;

        InFlight(PingRequest request, PingCallback callback, int key, long sentAt) {
            this.request = request;
            this.callback = callback;
            this.key = key;
            this.sentAt = sentAt;
            this.deadline = request.timeoutNanos() > Long.MAX_VALUE - sentAt ? Long.MAX_VALUE : sentAt + request.timeoutNanos();
            this.timeout = context.timers().newTimer(now -> complete(this, new PingOutcome.Timeout(), now));
        }

        @Override
        public void neighborUnreachable(Ipv4Address nextHop, long now) {
            complete(this, new PingOutcome.HostUnreachable(nextHop), now);
        }
    }

    private final NetStack stack;
    private final TransportContext context;
    private final Map<Integer, InFlight> inFlight = new HashMap<>();

    PingClient(NetStack stack, TransportContext context) {
        this.stack = stack;
        this.context = context;
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
        if (ping.deadline != Long.MAX_VALUE) {
            ping.timeout.schedule(ping.deadline);
        }
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

    /** An ICMP message for us that is not for {@link IcmpLayer} itself: only echo replies are. */
    @Override
    public void receive(Ipv4Datagram datagram, long now) {
        try {
            Icmpv4Packet packet = Icmpv4Packet.wrapChecked(datagram.buffer(), datagram.payloadOffset(), datagram.payloadLength());
            if (packet.type() == Icmpv4Packet.TYPE_ECHO_REPLY) {
                echoReplyReceived(datagram, packet, now);
            }
        } catch (MalformedPacketException e) {
            context.drop(DropReason.MALFORMED, e.getMessage(), now);
        }
    }

    /** Pings are sent when asked for ({@link #send}), one datagram each: there is never output to pull. */
    @Override
    public boolean pollOutput(long now) {
        return false;
    }

    void echoReplyReceived(Ipv4Datagram datagram, Icmpv4Packet reply, long now) {
        byte[] buffer = datagram.buffer();
        int ipOffset = datagram.offset();
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
     * A destination unreachable or time exceeded quoting one of our echo requests; the next-hop MTU is meaningful
     * only for "fragmentation needed" (0 otherwise).
     */
    @Override
    public void icmpError(IcmpError error, long now) {
        // The quote is our echo request: type, code, checksum, then identifier and sequence (RFC 792).
        if (error.quotedPayloadLength() < Icmpv4Packet.HEADER_LENGTH
                || (int) (error.quotedPayloadHead() >>> 56) != Icmpv4Packet.TYPE_ECHO_REQUEST) {
            return;
        }
        int identifierAndSequence = (int) error.quotedSecondWord();
        InFlight ping = inFlight.get(identifierAndSequence);
        if (ping == null || !ping.request.target().equals(error.quotedDestination())) {
            return;
        }
        int code = error.code();
        PingOutcome outcome = error.type() == Icmpv4Packet.TYPE_TIME_EXCEEDED
                ? new PingOutcome.TimeExceeded(error.reportedBy(), code)
                : new PingOutcome.Unreachable(error.reportedBy(), code, IcmpLayer.describeUnreachable(code, error.nextHopMtu()),
                        error.nextHopMtu());
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
        ping.timeout.cancel();
        ping.callback.completed(ping.request, outcome);
        stack.publish(new StackEvent.PingCompleted(now, ping.request, outcome));
    }

}
