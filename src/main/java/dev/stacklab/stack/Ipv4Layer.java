package dev.stacklab.stack;

import dev.stacklab.wire.BigEndian;
import dev.stacklab.wire.Checksum;
import dev.stacklab.wire.IpProtocol;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.Ipv4Packet;
import dev.stacklab.wire.MalformedPacketException;

/**
 * IPv4 for a host (RFC 791, RFC 1122 section 3): checks what arrives and hands it to the protocol
 * above, routes what leaves (on-link, the gateway, or nowhere) and cuts it into fragments when it
 * is larger than the path MTU (the link's, or less once a router said so, RFC 1191).
 */
final class Ipv4Layer {
    /** RFC 1700's recommended default, and Linux's net.ipv4.ip_default_ttl. */
    static final int DEFAULT_TTL = 64;
    static final int HEADER_LENGTH = Ipv4Packet.MIN_HEADER_LENGTH;
    private static final int PROTOCOL_ICMP = 1;
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

    /** A complete datagram for us: a plain switch on the protocol. */
    void deliver(byte[] buffer, int offset, int length, boolean toBroadcast, long now) {
        stack.counters.ipv4Delivered++;
        int protocol = BigEndian.u8(buffer, offset + Ipv4Packet.PROTOCOL);
        switch (protocol) {
            case PROTOCOL_ICMP -> stack.icmp.receive(buffer, offset, length, toBroadcast, now);
            case PROTOCOL_UDP -> stack.udp.receive(buffer, offset, length, toBroadcast, now);
            default -> {
                // RFC 1122 3.2.2.1: a host SHOULD send Protocol Unreachable for a transport it does not
                // have. That includes TCP until the tcp package exists: the peer learns at once that
                // nobody speaks TCP here, rather than retrying a SYN into silence.
                stack.icmp.sendDestinationUnreachable(IcmpLayer.CODE_PROTOCOL_UNREACHABLE, buffer, offset, length, toBroadcast, now);
                stack.dropReceived(now, DropReason.UNSUPPORTED_PROTOCOL, "IP protocol " + IpProtocol.valueOf(protocol));
            }
        }
    }

    /** True for an address that can be a datagram's source: not broadcast, multicast or 0.0.0.0. */
    boolean isUnicastSource(int address) {
        return address != 0 && address != -1 && address != directedBroadcast && !new Ipv4Address(address).isMulticast();
    }

    boolean isOnLink(int address) {
        return ((address ^ stack.ownAddress) & netmask) == 0;
    }

    // ---- output ----

    /** Why {@link #send} could or could not hand a datagram on. */
    enum SendResult {
        /** Handed to ARP or the link (in fragments if need be); ARP may still fail later. */
        SENT,
        /** Off the subnet and no gateway (RFC 1122 3.3.1.3); counted as {@link DropReason#NO_ROUTE}. */
        NO_ROUTE,
        /** Larger than the MTU with DF set; counted as {@link DropReason#FRAGMENTATION_NEEDED}. */
        FRAGMENTATION_NEEDED
    }

    /** {@link #newDatagram(int, int, int, int, PathMtuDiscovery)} with DF clear, as for replies and errors. */
    byte[] newDatagram(int protocol, int destination, int payloadLength, int ttl) {
        return newDatagram(protocol, destination, payloadLength, ttl, PathMtuDiscovery.DONT);
    }

    /**
     * A frame holding a new datagram from us to {@code destination}: room for the Ethernet header,
     * then the IPv4 header written in full (RFC 791 section 3.1, no options, DF as
     * {@code pathMtuDiscovery} decides for this size and the path MTU), then {@code payloadLength} bytes
     * for the caller to fill at {@link #payloadOffset()}.
     */
    byte[] newDatagram(int protocol, int destination, int payloadLength, int ttl, PathMtuDiscovery pathMtuDiscovery) {
        int totalLength = HEADER_LENGTH + payloadLength;
        if (totalLength > 0xFFFF) {
            throw new IllegalArgumentException("datagram of " + totalLength + " bytes exceeds the IPv4 limit of 65535");
        }
        byte[] frame = new byte[NetStack.ETHERNET_HEADER + totalLength];
        int ip = NetStack.ETHERNET_HEADER;
        frame[ip + Ipv4Packet.VERSION_AND_IHL] = 0x45;
        BigEndian.putU16(frame, ip + Ipv4Packet.TOTAL_LENGTH, totalLength);
        BigEndian.putU16(frame, ip + Ipv4Packet.IDENTIFICATION, nextIdentification);
        nextIdentification = (nextIdentification + 1) & 0xFFFF;
        if (pathMtuDiscovery.setsDontFragment(totalLength, pathMtus.mtuFor(destination))) {
            BigEndian.putU16(frame, ip + Ipv4Packet.FLAGS_AND_FRAGMENT_OFFSET, Ipv4Packet.FLAG_DONT_FRAGMENT);
        }
        frame[ip + Ipv4Packet.TIME_TO_LIVE] = (byte) ttl;
        frame[ip + Ipv4Packet.PROTOCOL] = (byte) protocol;
        BigEndian.putI32(frame, ip + Ipv4Packet.SOURCE, stack.ownAddress);
        BigEndian.putI32(frame, ip + Ipv4Packet.DESTINATION, destination);
        BigEndian.putU16(frame, ip + Ipv4Packet.HEADER_CHECKSUM, Checksum.compute(frame, ip, HEADER_LENGTH));
        return frame;
    }

    static int payloadOffset() {
        return NetStack.ETHERNET_HEADER + HEADER_LENGTH;
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
     * (but the last), its offset in 8-byte units and MF on all but the last. The stack sends no IP
     * options, so there is none to choose between copying and not.
     */
    private void fragment(byte[] frame, int mtu, int nextHop, long broadcastMac, NeighborCache.PendingOwner owner, long now) {
        int ip = NetStack.ETHERNET_HEADER;
        int headerLength = (frame[ip] & 0x0F) * 4;
        int dataLength = frame.length - ip - headerLength;
        int perFragment = (mtu - headerLength) & ~7;
        int flagsAndOffset = BigEndian.u16(frame, ip + Ipv4Packet.FLAGS_AND_FRAGMENT_OFFSET);
        boolean originalMoreFragments = (flagsAndOffset & Ipv4Packet.FLAG_MORE_FRAGMENTS) != 0;
        int originalOffsetUnits = flagsAndOffset & Ipv4Packet.FRAGMENT_OFFSET_MASK;
        for (int start = 0; start < dataLength; start += perFragment) {
            int chunk = Math.min(perFragment, dataLength - start);
            boolean last = start + chunk == dataLength;
            byte[] piece = new byte[ip + headerLength + chunk];
            System.arraycopy(frame, ip, piece, ip, headerLength);
            System.arraycopy(frame, ip + headerLength + start, piece, ip + headerLength, chunk);
            BigEndian.putU16(piece, ip + Ipv4Packet.TOTAL_LENGTH, headerLength + chunk);
            int flags = (flagsAndOffset & Ipv4Packet.FLAG_RESERVED)
                    | (!last || originalMoreFragments ? Ipv4Packet.FLAG_MORE_FRAGMENTS : 0);
            BigEndian.putU16(piece, ip + Ipv4Packet.FLAGS_AND_FRAGMENT_OFFSET, flags | (originalOffsetUnits + start / 8));
            BigEndian.putU16(piece, ip + Ipv4Packet.HEADER_CHECKSUM, 0);
            BigEndian.putU16(piece, ip + Ipv4Packet.HEADER_CHECKSUM, Checksum.compute(piece, ip, headerLength));
            stack.counters.fragmentsSent++;
            toLink(piece, nextHop, broadcastMac, owner, now);
        }
    }
}
