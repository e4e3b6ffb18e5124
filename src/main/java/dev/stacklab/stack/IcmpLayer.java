package dev.stacklab.stack;

import dev.stacklab.wire.BigEndian;
import dev.stacklab.wire.Checksum;
import dev.stacklab.wire.Icmpv4Packet;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.Ipv4Option;
import dev.stacklab.wire.Ipv4Packet;
import dev.stacklab.wire.MalformedPacketException;

import java.util.List;

/**
 * ICMP (RFC 792) for a host: the echo responder, the errors this host sends, and the errors and
 * replies it receives: echo replies go to {@link PingClient}, errors to the {@link Transport} of the datagram they
 * quote (ping, UDP, TCP), as an {@link IcmpError}.
 */
final class IcmpLayer {
    static final int CODE_NET_UNREACHABLE = 0;
    static final int CODE_HOST_UNREACHABLE = 1;
    static final int CODE_PROTOCOL_UNREACHABLE = 2;
    static final int CODE_PORT_UNREACHABLE = 3;
    static final int CODE_FRAGMENTATION_NEEDED = 4;
    static final int CODE_TTL_EXCEEDED = 0;
    static final int CODE_REASSEMBLY_TIME_EXCEEDED = 1;
    /**
     * RFC 1812 4.3.2.3 (and Linux): an error quotes as much of the offending datagram as keeps the
     * error within 576 bytes, the size every host must accept (RFC 1122 3.2.2 asks for at least the
     * header and 8 bytes).
     */
    static final int MAX_ERROR_DATAGRAM = 576;
    private static final int PROTOCOL_ICMP = 1;
    private static final int PROTOCOL_TCP = 6;
    private static final int PROTOCOL_UDP = 17;

    private final NetStack stack;
    private IcmpRateLimiter errorLimiter = new IcmpRateLimiter(IcmpRateLimiter.DEFAULT_PER_SECOND, IcmpRateLimiter.DEFAULT_BURST);

    IcmpLayer(NetStack stack) {
        this.stack = stack;
    }

    /** Replaces the error rate limit (tests, and a future setting). */
    void limitErrors(int perSecond, int burst) {
        errorLimiter = new IcmpRateLimiter(perSecond, burst);
    }

    // ---- input ----

    void receive(Ipv4Datagram datagram, long now) {
        byte[] buffer = datagram.buffer();
        int ipOffset = datagram.offset();
        boolean toBroadcast = datagram.toBroadcast();
        Icmpv4Packet packet;
        try {
            packet = Icmpv4Packet.wrapChecked(buffer, datagram.payloadOffset(), datagram.payloadLength());
        } catch (MalformedPacketException e) {
            stack.dropReceived(now, DropReason.MALFORMED, e.getMessage());
            return;
        }
        if (!packet.checksumValid()) {
            stack.dropReceived(now, DropReason.BAD_CHECKSUM, "ICMP checksum 0x" + Integer.toHexString(packet.checksum())
                    + ", expected 0x" + Integer.toHexString(packet.computeChecksum()));
            return;
        }
        switch (packet.type()) {
            case Icmpv4Packet.TYPE_ECHO_REQUEST -> answerEcho(buffer, ipOffset, packet, toBroadcast, now);
            case Icmpv4Packet.TYPE_ECHO_REPLY -> stack.pings.echoReplyReceived(datagram, packet, now);
            case Icmpv4Packet.TYPE_DESTINATION_UNREACHABLE, Icmpv4Packet.TYPE_TIME_EXCEEDED -> errorReceived(buffer, ipOffset, packet, now);
            default -> stack.dropReceived(now, DropReason.UNSUPPORTED_PROTOCOL, "ICMP type " + packet.type() + " is not handled");
        }
    }

    /**
     * RFC 792 "Echo or Echo Reply Message", RFC 1122 3.2.2.6: the reply carries the request's data
     * byte for byte. The request's message is copied and only the type changes, so its checksum is
     * patched with RFC 1624's incremental update instead of summed again. A request's Record Route,
     * Timestamp and source route options come back updated ({@link EchoReplyOptions}).
     */
    private void answerEcho(byte[] buffer, int ipOffset, Icmpv4Packet request, boolean toBroadcast, long now) {
        if (toBroadcast) {
            // RFC 1122 3.2.2.6 lets a host ignore echoes to a broadcast; Linux does (icmp_echo_ignore_broadcasts=1).
            stack.dropReceived(now, DropReason.NOT_FOR_US, "echo request to a broadcast address, ignored as Linux does");
            return;
        }
        stack.counters.icmpEchoRequestsReceived++;
        int destination = BigEndian.i32(buffer, ipOffset + Ipv4Packet.SOURCE);
        List<Ipv4Option> options = List.of();
        int optionsLength = (buffer[ipOffset] & 0x0F) * 4 - Ipv4Packet.MIN_HEADER_LENGTH;
        if (optionsLength > 0) {
            EchoReplyOptions reply;
            try {
                List<Ipv4Option> received = Ipv4Option.parseAll(buffer, ipOffset + Ipv4Packet.OPTIONS, optionsLength);
                reply = EchoReplyOptions.of(received, new Ipv4Address(destination), new Ipv4Address(stack.ownAddress),
                        stack.millisSinceMidnightUtc(now));
            } catch (MalformedPacketException e) {
                // Ipv4Layer checked these options on arrival; this is only reached if that check and this parse disagree.
                stack.dropReceived(now, DropReason.MALFORMED, e.getMessage());
                return;
            }
            if (reply.strictRoute() && !stack.ipv4.isOnLink(reply.firstHop().bits())) {
                // RFC 791: each hop of a strict source route must be directly connected to the next.
                stack.dropReceived(now, DropReason.NO_ROUTE, "strict return route starts at " + reply.firstHop()
                        + ", which is not on " + stack.config().address());
                return;
            }
            options = reply.options();
            destination = reply.firstHop().bits();
        }
        int length = request.length();
        byte[] frame = stack.ipv4.newDatagram(PROTOCOL_ICMP, destination, length, Ipv4Layer.DEFAULT_TTL, options);
        int at = Ipv4Layer.payloadOffset(frame);
        System.arraycopy(buffer, request.offset(), frame, at, length);
        int oldWord = BigEndian.u16(frame, at + Icmpv4Packet.TYPE);
        int newWord = Icmpv4Packet.TYPE_ECHO_REPLY << 8 | (oldWord & 0xFF);
        BigEndian.putU16(frame, at + Icmpv4Packet.TYPE, newWord);
        BigEndian.putU16(frame, at + Icmpv4Packet.CHECKSUM,
                Checksum.incrementalUpdate(BigEndian.u16(frame, at + Icmpv4Packet.CHECKSUM), oldWord, newWord));
        stack.counters.icmpEchoRepliesSent++;
        stack.ipv4.send(frame, null, now);
    }

    /** An error about a datagram we sent: find the ping or the UDP socket it quotes (RFC 1122 3.2.2). */
    private void errorReceived(byte[] buffer, int ipOffset, Icmpv4Packet error, long now) {
        stack.counters.icmpErrorsReceived++;
        Ipv4Packet quoted;
        try {
            quoted = Ipv4Packet.wrapHeaderChecked(buffer, error.bodyOffset(), error.bodyLength());
        } catch (MalformedPacketException e) {
            stack.dropReceived(now, DropReason.MALFORMED, "ICMP error quoting no IPv4 header: " + e.getMessage());
            return;
        }
        if (quoted.source().bits() != stack.ownAddress) {
            stack.dropReceived(now, DropReason.NOT_FOR_US, "ICMP error about a datagram from " + quoted.source() + ", not from us");
            return;
        }
        Ipv4Address reporter = Ipv4Address.read(buffer, ipOffset + Ipv4Packet.SOURCE);
        int protocol = BigEndian.u8(buffer, quoted.offset() + Ipv4Packet.PROTOCOL);
        int at = quoted.payloadOffset();
        int available = Math.min(8, quoted.payloadLength());
        long head = 0;
        for (int i = 0; i < available; i++) {
            head |= (long) (buffer[at + i] & 0xFF) << (56 - 8 * i);
        }
        // RFC 1191 section 4: only "fragmentation needed" carries the next-hop MTU; in others the field is unused.
        boolean fragmentationNeeded = error.type() == Icmpv4Packet.TYPE_DESTINATION_UNREACHABLE
                && error.code() == CODE_FRAGMENTATION_NEEDED;
        IcmpError report = new IcmpError(reporter, error.type(), error.code(), fragmentationNeeded ? error.nextHopMtu() : 0,
                quoted.protocol(), quoted.source(), quoted.destination(), quoted.totalLength(), head, available);
        if (fragmentationNeeded) {
            stack.ipv4.pathMtus.fragmentationNeeded(quoted.destination().bits(), report.nextHopMtu(), quoted.totalLength(), now);
        }
        // RFC 1122 3.2.2.1: the error goes to the transport named in the quoted header. A plain switch, as on arrival.
        Transport transport = switch (protocol) {
            case PROTOCOL_ICMP -> stack.pings;
            case PROTOCOL_UDP -> stack.udp;
            case PROTOCOL_TCP -> stack.tcp;
            default -> null;
        };
        if (transport != null) {
            transport.icmpError(report, now);
        }
        if (stack.hasListener()) {
            stack.publish(new StackEvent.IcmpErrorReceived(now, report));
        }
    }

    // ---- errors we send ----

    void sendDestinationUnreachable(int code, byte[] buffer, int ipOffset, int ipLength, boolean toBroadcast, long now) {
        sendError(Icmpv4Packet.TYPE_DESTINATION_UNREACHABLE, code, 0, buffer, ipOffset, ipLength, toBroadcast, now);
    }

    /** {@code quote}: the offending datagram's header and the start of its data, from offset 0. */
    void sendTimeExceeded(int code, byte[] quote, long now) {
        sendError(Icmpv4Packet.TYPE_TIME_EXCEEDED, code, 0, quote, 0, quote.length, false, now);
    }

    /**
     * RFC 792 "Parameter Problem Message", RFC 1122 3.2.2.5: the datagram was discarded for a bad
     * header field; {@code pointer} is the offset, from the start of its IP header, of the byte at fault.
     */
    void sendParameterProblem(int pointer, byte[] buffer, int ipOffset, int ipLength, boolean toBroadcast, long now) {
        sendError(Icmpv4Packet.TYPE_PARAMETER_PROBLEM, 0, pointer << 24, buffer, ipOffset, ipLength, toBroadcast, now);
    }

    /**
     * RFC 1122 3.2.2: never about an ICMP error, a datagram to a broadcast or multicast address (IP
     * or link layer), one whose source is not a single host, or a fragment other than the first;
     * and at most as many as the rate limit allows.
     *
     * @param restOfHeader the four type-specific bytes (0 for unused, the pointer for a Parameter Problem)
     */
    private void sendError(int type, int code, int restOfHeader, byte[] buffer, int ipOffset, int ipLength, boolean toBroadcast,
                           long now) {
        int headerLength = (buffer[ipOffset] & 0x0F) * 4;
        int source = BigEndian.i32(buffer, ipOffset + Ipv4Packet.SOURCE);
        int destination = BigEndian.i32(buffer, ipOffset + Ipv4Packet.DESTINATION);
        if (toBroadcast || destination != stack.ownAddress || !stack.ipv4.isUnicastSource(source)
                || new Ipv4Address(source).isLoopback()) {
            return;
        }
        if ((BigEndian.u16(buffer, ipOffset + Ipv4Packet.FLAGS_AND_FRAGMENT_OFFSET) & Ipv4Packet.FRAGMENT_OFFSET_MASK) != 0) {
            return;
        }
        if (BigEndian.u8(buffer, ipOffset + Ipv4Packet.PROTOCOL) == PROTOCOL_ICMP
                && (ipLength <= headerLength || Icmpv4Packet.isError(BigEndian.u8(buffer, ipOffset + headerLength)))) {
            return;
        }
        if (!errorLimiter.tryAcquire(now)) {
            stack.counters.icmpErrorsRateLimited++;
            return;
        }
        int quoteLength = Math.min(ipLength, MAX_ERROR_DATAGRAM - Ipv4Layer.HEADER_LENGTH - Icmpv4Packet.HEADER_LENGTH);
        byte[] frame = stack.ipv4.newDatagram(PROTOCOL_ICMP, source, Icmpv4Packet.HEADER_LENGTH + quoteLength, Ipv4Layer.DEFAULT_TTL);
        int at = Ipv4Layer.payloadOffset();
        frame[at + Icmpv4Packet.TYPE] = (byte) type;
        frame[at + Icmpv4Packet.CODE] = (byte) code;
        BigEndian.putI32(frame, at + Icmpv4Packet.REST_OF_HEADER, restOfHeader);
        System.arraycopy(buffer, ipOffset, frame, at + Icmpv4Packet.HEADER_LENGTH, quoteLength);
        BigEndian.putU16(frame, at + Icmpv4Packet.CHECKSUM, Checksum.compute(frame, at, Icmpv4Packet.HEADER_LENGTH + quoteLength));
        stack.counters.icmpErrorsSent++;
        stack.ipv4.send(frame, null, now);
    }

    /**
     * iputils' wording for a destination unreachable code (ping.c, pr_icmph), with the next-hop MTU
     * for code 4 as iputils prints it: "Frag needed and DF set (mtu = 1400)".
     */
    static String describeUnreachable(int code, int nextHopMtu) {
        return switch (code) {
            case 0 -> "Destination Net Unreachable";
            case 1 -> "Destination Host Unreachable";
            case 2 -> "Destination Protocol Unreachable";
            case 3 -> "Destination Port Unreachable";
            case 4 -> "Frag needed and DF set (mtu = " + nextHopMtu + ")";
            case 5 -> "Source Route Failed";
            case 6 -> "Destination Net Unknown";
            case 7 -> "Destination Host Unknown";
            case 8 -> "Source Host Isolated";
            case 9 -> "Destination Net Prohibited";
            case 10 -> "Destination Host Prohibited";
            case 11 -> "Destination Net Unreachable for Type of Service";
            case 12 -> "Destination Host Unreachable for Type of Service";
            case 13 -> "Packet filtered";
            case 14 -> "Precedence Violation";
            case 15 -> "Precedence Cutoff";
            default -> "Dest Unreachable, Bad Code: " + code;
        };
    }
}
