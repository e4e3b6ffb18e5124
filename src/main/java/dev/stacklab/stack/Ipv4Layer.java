package dev.stacklab.stack;

import dev.stacklab.wire.BigEndian;
import dev.stacklab.wire.Checksum;
import dev.stacklab.wire.IpProtocol;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.Ipv4Option;
import dev.stacklab.wire.Ipv4Packet;
import dev.stacklab.wire.Ipv4Repr;
import dev.stacklab.wire.MalformedPacketException;

import java.util.ArrayList;
import java.util.List;

/**
 * IPv4 for a host (RFC 791, RFC 1122 section 3): checks what arrives and hands it to the protocol
 * above, routes what leaves (on-link, the gateway, or nowhere) and cuts it into fragments when it
 * is larger than the path MTU (the link's, or less once a router said so, RFC 1191).
 */
final class Ipv4Layer {
    /** RFC 1700's recommended default, and Linux's net.ipv4.ip_default_ttl. */
    static final int DEFAULT_TTL = 64;
    static final int HEADER_LENGTH = Ipv4Packet.MIN_HEADER_LENGTH;
    private static final byte[] NO_OPTIONS = new byte[0];
    private static final int PROTOCOL_ICMP = 1;
    private static final int PROTOCOL_TCP = 6;
    private static final int PROTOCOL_UDP = 17;

    private final NetStack stack;
    private final StackConfig config;
    final Ipv4Reassembler reassembler;
    final PathMtuCache pathMtus;
    private final int directedBroadcast;
    private final int netmask;
    /** RFC 791: unique per source, destination and protocol while the datagram may live; one counter does that. */
    private int nextIdentification = 1;

    Ipv4Layer(NetStack stack) {
        this.stack = stack;
        this.config = stack.config();
        this.reassembler = new Ipv4Reassembler(stack);
        this.pathMtus = new PathMtuCache(stack);
        this.directedBroadcast = config.address().broadcast().bits();
        this.netmask = config.address().netmaskBits();
    }

    // ---- input ----

    void receive(byte[] frame, int offset, int length, boolean linkBroadcast, long now) {
        Ipv4Packet packet;
        try {
            packet = Ipv4Packet.wrapChecked(frame, offset, length);
        } catch (MalformedPacketException e) {
            stack.dropReceived(now, DropReason.MALFORMED, e.getMessage());
            return;
        }
        if (packet.version() != 4) {
            stack.dropReceived(now, DropReason.MALFORMED, "IP version " + packet.version() + " in an IPv4 frame");
            return;
        }
        if (!packet.verifyChecksum()) {
            // RFC 1122 3.2.1.2: a datagram with a bad header checksum MUST be silently discarded.
            stack.dropReceived(now, DropReason.BAD_CHECKSUM, "IPv4 header checksum 0x" + Integer.toHexString(packet.headerChecksum()));
            return;
        }
        int destination = BigEndian.i32(frame, offset + Ipv4Packet.DESTINATION);
        boolean toBroadcast = destination == -1 || destination == directedBroadcast;
        if (destination != stack.ownAddress && !toBroadcast) {
            stack.dropReceived(now, DropReason.NOT_FOR_US, "IPv4 destination " + new Ipv4Address(destination) + " is not ours");
            return;
        }
        int source = BigEndian.i32(frame, offset + Ipv4Packet.SOURCE);
        if (!isUnicastSource(source)) {
            // RFC 1122 3.2.1.3: a broadcast or multicast source address MUST be discarded.
            stack.dropReceived(now, DropReason.MALFORMED, "IPv4 source " + new Ipv4Address(source) + " is not a host address");
            return;
        }
        if (packet.headerLength() > HEADER_LENGTH && !optionsAcceptable(frame, offset, packet, toBroadcast || linkBroadcast, now)) {
            return;
        }
        stack.counters.ipv4Received++;
        int totalLength = packet.totalLength();
        if (packet.isFragment()) {
            stack.counters.fragmentsReceived++;
            byte[] whole = reassembler.add(frame, offset, packet, now);
            if (whole != null) {
                stack.counters.datagramsReassembled++;
                deliver(whole, 0, whole.length, toBroadcast || linkBroadcast, now);
            }
            return;
        }
        deliver(frame, offset, totalLength, toBroadcast || linkBroadcast, now);
    }

    /**
     * Options are checked before anything reads them, as Linux's ip_rcv_options does, fragments
     * included (RFC 1122 3.2.1.8: option processing precedes reassembly). Unknown options are
     * ignored (3.2.1.8). A malformed one (a length or pointer RFC 791 does not allow, an undefined
     * timestamp flag, a second route, Record Route or Timestamp option, a timestamp whose overflow
     * count would overflow) discards the datagram with a Parameter Problem pointing at the byte
     * (3.2.2.5). A source route not yet at its end names a hop after us; this host does not forward
     * (3.3.5 makes that optional), so the datagram is dropped.
     *
     * @return true when the datagram may go on
     */
    private boolean optionsAcceptable(byte[] frame, int offset, Ipv4Packet packet, boolean toBroadcast, long now) {
        List<Ipv4Option> options;
        try {
            options = packet.options();
        } catch (MalformedPacketException e) {
            return rejectOptions(frame, offset, packet, e.offset() - offset, e.getMessage(), toBroadcast, now);
        }
        List<Integer> typesSeen = new ArrayList<>(2);
        int at = Ipv4Packet.OPTIONS;
        for (Ipv4Option option : options) {
            // Loose and strict count as one kind: a datagram has one source route at most.
            int type = option.type() == Ipv4Option.TYPE_STRICT_SOURCE_ROUTE ? Ipv4Option.TYPE_LOOSE_SOURCE_ROUTE : option.type();
            if (option.malformedByte() >= 0) {
                return rejectOptions(frame, offset, packet, at + option.malformedByte(),
                        "IPv4 option " + option.type() + " at offset " + at + " is malformed", toBroadcast, now);
            }
            // As Linux: a second one of these would be ambiguous (RFC 1122 3.2.1.8: "implementation-specific").
            boolean atMostOnce = type == Ipv4Option.TYPE_RECORD_ROUTE || type == Ipv4Option.TYPE_TIMESTAMP
                    || type == Ipv4Option.TYPE_LOOSE_SOURCE_ROUTE;
            if (atMostOnce && typesSeen.contains(type)) {
                return rejectOptions(frame, offset, packet, at, "second IPv4 option of type " + option.type(), toBroadcast, now);
            }
            typesSeen.add(type);
            if (option instanceof Ipv4Option.Timestamp timestamp && timestamp.full()
                    && timestamp.overflow() == Ipv4Option.TIMESTAMP_MAX_OVERFLOW) {
                // RFC 791: when the overflow count itself overflows, the datagram is discarded.
                return rejectOptions(frame, offset, packet, at + 3, "IPv4 timestamp overflow count overflows", toBroadcast, now);
            }
            if (option instanceof Ipv4Option.SourceRoute route && !route.complete()) {
                stack.dropReceived(now, DropReason.NOT_FOR_US, "source route goes on to " + route.nextHop()
                        + " after us; this host does not forward (RFC 1122 3.3.5)");
                return false;
            }
            at += option.length();
        }
        return true;
    }

    private boolean rejectOptions(byte[] frame, int offset, Ipv4Packet packet, int pointer, String detail, boolean toBroadcast,
                                  long now) {
        stack.icmp.sendParameterProblem(pointer, frame, offset, packet.totalLength(), toBroadcast, now);
        stack.dropReceived(now, DropReason.MALFORMED, detail);
        return false;
    }

    /**
     * A complete datagram for us: a plain switch on the protocol, as smoltcp's. ICMP goes to {@link IcmpLayer}, which
     * answers echo requests itself and passes echo replies to the ping transport; UDP and TCP are {@link Transport}s.
     */
    void deliver(byte[] buffer, int offset, int length, boolean toBroadcast, long now) {
        stack.counters.ipv4Delivered++;
        int protocol = BigEndian.u8(buffer, offset + Ipv4Packet.PROTOCOL);
        switch (protocol) {
            case PROTOCOL_ICMP -> stack.icmp.receive(new Ipv4Datagram(buffer, offset, length, toBroadcast), now);
            case PROTOCOL_UDP -> stack.udp.receive(new Ipv4Datagram(buffer, offset, length, toBroadcast), now);
            case PROTOCOL_TCP -> {
                if (stack.tcp != null) {
                    stack.tcp.receive(new Ipv4Datagram(buffer, offset, length, toBroadcast), now);
                } else {
                    unsupported(protocol, buffer, offset, length, toBroadcast, now);
                }
            }
            default -> unsupported(protocol, buffer, offset, length, toBroadcast, now);
        }
    }

    /**
     * RFC 1122 3.2.2.1: a host SHOULD send Protocol Unreachable for a transport it does not have. That includes TCP
     * while none is installed: the peer learns at once that nobody speaks TCP here, rather than retrying a SYN into
     * silence.
     */
    private void unsupported(int protocol, byte[] buffer, int offset, int length, boolean toBroadcast, long now) {
        stack.icmp.sendDestinationUnreachable(IcmpLayer.CODE_PROTOCOL_UNREACHABLE, buffer, offset, length, toBroadcast, now);
        stack.dropReceived(now, DropReason.UNSUPPORTED_PROTOCOL, "IP protocol " + IpProtocol.valueOf(protocol));
    }

    /** True for an address that can be a datagram's source: not broadcast, multicast or 0.0.0.0. */
    boolean isUnicastSource(int address) {
        return address != 0 && address != -1 && address != directedBroadcast && !new Ipv4Address(address).isMulticast();
    }

    boolean isOnLink(int address) {
        return ((address ^ stack.ownAddress) & netmask) == 0;
    }

    // ---- output ----

    /** {@link #newDatagram(int, int, int, int, PathMtuDiscovery, List)} with DF clear and no options. */
    byte[] newDatagram(int protocol, int destination, int payloadLength, int ttl) {
        return newDatagram(protocol, destination, payloadLength, ttl, PathMtuDiscovery.DONT, List.of());
    }

    /** A datagram without options whose DF flag {@code pathMtuDiscovery} decides, as for echo requests. */
    byte[] newDatagram(int protocol, int destination, int payloadLength, int ttl, PathMtuDiscovery pathMtuDiscovery) {
        return newDatagram(protocol, destination, payloadLength, ttl, pathMtuDiscovery, List.of());
    }

    /** A datagram with DF clear and options, as for echo replies that return the request's options. */
    byte[] newDatagram(int protocol, int destination, int payloadLength, int ttl, List<Ipv4Option> options) {
        return newDatagram(protocol, destination, payloadLength, ttl, PathMtuDiscovery.DONT, options);
    }

    /**
     * A frame holding a new datagram from us to {@code destination}: room for the Ethernet header, then the IPv4
     * header written by {@link Ipv4Repr#emitHeader} (RFC 791 section 3.1; DF as {@code pathMtuDiscovery} decides for this
     * size and the path MTU; {@code options} laid out by {@link Ipv4Option#layOut}, padded to a multiple of 4 bytes,
     * at most 40), then {@code payloadLength} bytes for the caller to fill at {@link #payloadOffset(byte[])}.
     */
    byte[] newDatagram(int protocol, int destination, int payloadLength, int ttl, PathMtuDiscovery pathMtuDiscovery,
                       List<Ipv4Option> options) {
        byte[] rawOptions = options.isEmpty() ? NO_OPTIONS : Ipv4Option.layOut(options);
        int totalLength = HEADER_LENGTH + rawOptions.length + payloadLength;
        if (totalLength > 0xFFFF) {
            throw new IllegalArgumentException("datagram of " + totalLength + " bytes exceeds the IPv4 limit of 65535");
        }
        boolean dontFragment = pathMtuDiscovery.setsDontFragment(totalLength, pathMtus.mtuFor(destination));
        byte[] frame = new byte[NetStack.ETHERNET_HEADER + totalLength];
        // The header is written where every IPv4 header is written (Ipv4Repr), without making a record per datagram.
        Ipv4Repr.emitHeader(frame, NetStack.ETHERNET_HEADER, 0, 0, nextIdentification, false, dontFragment, false, 0, ttl,
                protocol, stack.ownAddress, destination, rawOptions, payloadLength);
        nextIdentification = (nextIdentification + 1) & 0xFFFF;
        return frame;
    }

    /** Where the payload of a datagram without options starts in its frame. */
    static int payloadOffset() {
        return NetStack.ETHERNET_HEADER + HEADER_LENGTH;
    }

    /** Where the payload starts in a frame made by {@link #newDatagram}, options or not. */
    static int payloadOffset(byte[] frame) {
        return NetStack.ETHERNET_HEADER + (frame[NetStack.ETHERNET_HEADER] & 0x0F) * 4;
    }

    /**
     * Routes a frame made by {@link #newDatagram} (RFC 1122 3.3.1: on-link directly, else via the
     * gateway), fragmenting it to the path MTU when needed, and hands it to ARP.
     *
     * @return {@link SendResult#SENT}, or why it cannot leave at all; that drop is already counted and published
     */
    SendResult send(byte[] frame, NeighborCache.PendingOwner owner, long now) {
        int ip = NetStack.ETHERNET_HEADER;
        int destination = BigEndian.i32(frame, ip + Ipv4Packet.DESTINATION);
        stack.counters.ipv4Sent++;
        if (destination == stack.ownAddress) {
            stack.loopBack(frame, now);
            return SendResult.SENT;
        }
        long broadcastMac = linkDestinationWithoutArp(destination);
        int nextHop = destination;
        if (broadcastMac == -1) {
            if (destination == 0 || (!isOnLink(destination) && config.gateway() == null)) {
                stack.dropOutgoing(now, DropReason.NO_ROUTE, "no route to " + new Ipv4Address(destination)
                        + ": off the subnet " + config.address() + " and no gateway", frame);
                return SendResult.NO_ROUTE;
            }
            nextHop = isOnLink(destination) ? destination : config.gateway().bits();
        }
        int totalLength = frame.length - NetStack.ETHERNET_HEADER;
        int mtu = pathMtus.mtuFor(destination);
        if (totalLength <= mtu) {
            toLink(frame, nextHop, broadcastMac, owner, now);
            return SendResult.SENT;
        }
        if ((BigEndian.u16(frame, ip + Ipv4Packet.FLAGS_AND_FRAGMENT_OFFSET) & Ipv4Packet.FLAG_DONT_FRAGMENT) != 0) {
            // RFC 791 section 3.2: a datagram marked DF is not fragmented, so it cannot leave.
            stack.dropOutgoing(now, DropReason.FRAGMENTATION_NEEDED, totalLength + "-byte datagram, MTU " + mtu, frame);
            return SendResult.FRAGMENTATION_NEEDED;
        }
        fragment(frame, mtu, nextHop, broadcastMac, owner, now);
        return SendResult.SENT;
    }

    /** The MAC for a destination that needs no ARP (broadcast, multicast per RFC 1112 6.4), or -1. */
    private long linkDestinationWithoutArp(int destination) {
        if (destination == -1 || destination == directedBroadcast) {
            return 0xFFFF_FFFF_FFFFL;
        }
        if (new Ipv4Address(destination).isMulticast()) {
            return 0x0100_5E00_0000L | (destination & 0x7F_FFFF);
        }
        return -1;
    }

    private void toLink(byte[] frame, int nextHop, long broadcastMac, NeighborCache.PendingOwner owner, long now) {
        if (broadcastMac != -1) {
            stack.transmitIpv4(frame, broadcastMac, now);
        } else {
            stack.neighbors.send(frame, nextHop, owner, now);
        }
    }

    /**
     * RFC 791 section 3.2 "Fragmentation": each piece carries the header, a multiple of 8 data bytes
     * (but the last), its offset in 8-byte units and MF on all but the last. The first piece keeps
     * every option; the others carry only those with the copied flag (a source route, not Record
     * Route or Timestamp), laid out again and padded, so their header may be shorter and their data
     * longer. Linux instead overwrites the options not copied with No Operation and keeps the
     * header's length; both are what RFC 791 allows.
     */
    private void fragment(byte[] frame, int mtu, int nextHop, long broadcastMac, NeighborCache.PendingOwner owner, long now) {
        int ip = NetStack.ETHERNET_HEADER;
        int firstHeaderLength = (frame[ip] & 0x0F) * 4;
        byte[] laterOptions;
        try {
            laterOptions = optionsCopiedIntoFragments(frame, ip, firstHeaderLength);
        } catch (MalformedPacketException e) {
            // Only datagrams this stack made are fragmented, so this means a bug, not bad input: still a drop, not a throw.
            stack.dropOutgoing(now, DropReason.MALFORMED, "cannot fragment: " + e.getMessage(), frame);
            return;
        }
        int dataLength = frame.length - ip - firstHeaderLength;
        int flagsAndOffset = BigEndian.u16(frame, ip + Ipv4Packet.FLAGS_AND_FRAGMENT_OFFSET);
        boolean originalMoreFragments = (flagsAndOffset & Ipv4Packet.FLAG_MORE_FRAGMENTS) != 0;
        int originalOffsetUnits = flagsAndOffset & Ipv4Packet.FRAGMENT_OFFSET_MASK;
        int start = 0;
        while (start < dataLength) {
            boolean first = start == 0;
            int headerLength = first ? firstHeaderLength : HEADER_LENGTH + laterOptions.length;
            int chunk = Math.min((mtu - headerLength) & ~7, dataLength - start);
            boolean last = start + chunk == dataLength;
            byte[] piece = new byte[ip + headerLength + chunk];
            System.arraycopy(frame, ip, piece, ip, first ? firstHeaderLength : HEADER_LENGTH);
            if (!first) {
                System.arraycopy(laterOptions, 0, piece, ip + Ipv4Packet.OPTIONS, laterOptions.length);
                piece[ip + Ipv4Packet.VERSION_AND_IHL] = (byte) (0x40 | headerLength / 4);
            }
            System.arraycopy(frame, ip + firstHeaderLength + start, piece, ip + headerLength, chunk);
            BigEndian.putU16(piece, ip + Ipv4Packet.TOTAL_LENGTH, headerLength + chunk);
            int flags = (flagsAndOffset & Ipv4Packet.FLAG_RESERVED)
                    | (!last || originalMoreFragments ? Ipv4Packet.FLAG_MORE_FRAGMENTS : 0);
            BigEndian.putU16(piece, ip + Ipv4Packet.FLAGS_AND_FRAGMENT_OFFSET, flags | (originalOffsetUnits + start / 8));
            BigEndian.putU16(piece, ip + Ipv4Packet.HEADER_CHECKSUM, 0);
            BigEndian.putU16(piece, ip + Ipv4Packet.HEADER_CHECKSUM, Checksum.compute(piece, ip, headerLength));
            stack.counters.fragmentsSent++;
            toLink(piece, nextHop, broadcastMac, owner, now);
            start += chunk;
        }
    }

    /** The options area of every fragment after the first: the options with the copied flag (RFC 791). */
    private static byte[] optionsCopiedIntoFragments(byte[] frame, int ip, int headerLength) throws MalformedPacketException {
        if (headerLength == HEADER_LENGTH) {
            return NO_OPTIONS;
        }
        List<Ipv4Option> copied = new ArrayList<>();
        for (Ipv4Option option : Ipv4Option.parseAll(frame, ip + Ipv4Packet.OPTIONS, headerLength - HEADER_LENGTH)) {
            if (option.copiedIntoFragments()) {
                copied.add(option);
            }
        }
        return Ipv4Option.layOut(copied);
    }
}
