package dev.stacklab.stack;

import dev.stacklab.dissect.Dissector;
import dev.stacklab.wire.ArpPacket;
import dev.stacklab.wire.ArpRepr;
import dev.stacklab.wire.EtherType;
import dev.stacklab.wire.EthernetFrame;
import dev.stacklab.wire.EthernetRepr;
import dev.stacklab.wire.IpProtocol;
import dev.stacklab.wire.Icmpv4Packet;
import dev.stacklab.wire.Icmpv4Repr;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.Ipv4Cidr;
import dev.stacklab.wire.Ipv4Packet;
import dev.stacklab.wire.Ipv4Repr;
import dev.stacklab.wire.MacAddress;
import dev.stacklab.wire.MalformedPacketException;
import dev.stacklab.wire.UdpPacket;
import dev.stacklab.wire.UdpRepr;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** Real frames built with the wire Reprs, for scripting what a peer sends, and readers for what the stack sent. */
final class Frames {
    static final long MS = 1_000_000L;
    static final long SECOND = 1_000_000_000L;

    static final MacAddress MAC_A = MacAddress.parse("02:00:00:00:00:0a");
    static final MacAddress MAC_B = MacAddress.parse("02:00:00:00:00:0b");
    static final MacAddress MAC_PEER = MacAddress.parse("02:00:00:00:00:0c");
    static final MacAddress MAC_OTHER = MacAddress.parse("02:00:00:00:00:0d");
    static final Ipv4Address IP_A = Ipv4Address.parse("10.0.0.1");
    static final Ipv4Address IP_B = Ipv4Address.parse("10.0.0.2");
    static final Ipv4Address IP_PEER = Ipv4Address.parse("10.0.0.3");
    static final Ipv4Address IP_GATEWAY = Ipv4Address.parse("10.0.0.254");
    static final Ipv4Address IP_FAR = Ipv4Address.parse("192.0.2.7");

    static StackConfig configA() {
        return StackConfig.of(MAC_A, new Ipv4Cidr(IP_A, 24), null);
    }

    static StackConfig configB() {
        return StackConfig.of(MAC_B, new Ipv4Cidr(IP_B, 24), null);
    }

    private Frames() {
    }

    static byte[] ethernet(MacAddress destination, MacAddress source, EtherType type, byte[] payload) {
        EthernetRepr repr = new EthernetRepr(destination, source, type);
        byte[] frame = new byte[repr.bufferLength() + payload.length];
        int at = repr.emit(frame, 0);
        System.arraycopy(payload, 0, frame, at, payload.length);
        return frame;
    }

    static byte[] arp(MacAddress ethernetDestination, ArpRepr.EthernetIpv4 arp) {
        byte[] packet = new byte[arp.bufferLength()];
        arp.emit(packet, 0);
        return ethernet(ethernetDestination, arp.senderHardwareAddress(), EtherType.ARP, packet);
    }

    /** "Who has target? Tell sender", broadcast. */
    static byte[] arpRequest(MacAddress senderMac, Ipv4Address senderIp, Ipv4Address targetIp) {
        return arp(MacAddress.BROADCAST, ArpRepr.EthernetIpv4.request(senderMac, senderIp, targetIp));
    }

    /** "senderIp is at senderMac", unicast to the target. */
    static byte[] arpReply(MacAddress senderMac, Ipv4Address senderIp, MacAddress targetMac, Ipv4Address targetIp) {
        return arp(targetMac, new ArpRepr.EthernetIpv4(ArpPacket.OPERATION_REPLY, senderMac, senderIp, targetMac, targetIp));
    }

    static byte[] ipv4Payload(Ipv4Repr header, byte[] payload) {
        byte[] datagram = new byte[header.bufferLength() + payload.length];
        int at = header.emit(datagram, 0);
        System.arraycopy(payload, 0, datagram, at, payload.length);
        return datagram;
    }

    static byte[] icmp(Icmpv4Repr message) {
        byte[] bytes = new byte[message.bufferLength()];
        message.emit(bytes, 0);
        return bytes;
    }

    /** A whole IPv4 datagram (header emitted by Ipv4Repr) carrying {@code payload}. */
    static byte[] datagram(Ipv4Address source, Ipv4Address destination, IpProtocol protocol, int identification, byte[] payload) {
        return ipv4Payload(Ipv4Repr.simple(source, destination, protocol, 64, identification, false, payload.length), payload);
    }

    static byte[] echoRequestDatagram(Ipv4Address source, Ipv4Address destination, int id, int seq, byte[] data) {
        return datagram(source, destination, IpProtocol.ICMP, 0x1234, icmp(new Icmpv4Repr.EchoRequest(id, seq, data)));
    }

    static byte[] udpDatagram(Ipv4Address source, Ipv4Address destination, int sourcePort, int destinationPort, byte[] data) {
        UdpRepr udp = new UdpRepr(sourcePort, destinationPort, data);
        byte[] bytes = new byte[udp.bufferLength()];
        udp.emit(bytes, 0, source, destination);
        return datagram(source, destination, IpProtocol.UDP, 0x4321, bytes);
    }

    static byte[] ipFrame(MacAddress destination, MacAddress source, byte[] datagram) {
        return ethernet(destination, source, EtherType.IPV4, datagram);
    }

    static byte[] pattern(int length) {
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++) {
            data[i] = (byte) (i * 7 + 3);
        }
        return data;
    }

    /**
     * Cuts a whole datagram (header without options) into fragments of at most {@code dataPerFragment}
     * bytes of data (a multiple of 8), as a router would (RFC 791 section 3.2).
     */
    static List<byte[]> fragments(byte[] datagram, int dataPerFragment) {
        List<byte[]> out = new ArrayList<>();
        int header = (datagram[0] & 0x0F) * 4;
        int data = datagram.length - header;
        for (int start = 0; start < data; start += dataPerFragment) {
            int chunk = Math.min(dataPerFragment, data - start);
            out.add(fragment(datagram, start, chunk, start + chunk < data));
        }
        return out;
    }

    /** One fragment holding data bytes [start, start + length) of the datagram. */
    static byte[] fragment(byte[] datagram, int start, int length, boolean more) {
        int header = (datagram[0] & 0x0F) * 4;
        byte[] piece = new byte[header + length];
        System.arraycopy(datagram, 0, piece, 0, header);
        System.arraycopy(datagram, header + start, piece, header, length);
        piece[2] = (byte) (piece.length >>> 8);
        piece[3] = (byte) piece.length;
        int flags = (more ? Ipv4Packet.FLAG_MORE_FRAGMENTS : 0) | start / 8;
        piece[6] = (byte) (flags >>> 8);
        piece[7] = (byte) flags;
        piece[10] = 0;
        piece[11] = 0;
        int checksum = dev.stacklab.wire.Checksum.compute(piece, 0, header);
        piece[10] = (byte) (checksum >>> 8);
        piece[11] = (byte) checksum;
        return piece;
    }

    // ---- reading what the stack sent ----

    static String info(byte[] frame) {
        return new Dissector().summarize(0, frame, frame.length, frame.length).info();
    }

    /** Info columns of frames dissected in order by one Dissector, so that IP reassembly works across them. */
    static List<String> infos(List<byte[]> frames) {
        Dissector dissector = new Dissector();
        List<String> out = new ArrayList<>();
        for (byte[] frame : frames) {
            out.add(dissector.summarize(0, frame, frame.length, frame.length).info());
        }
        return out;
    }

    static String protocol(byte[] frame) {
        return new Dissector().summarize(0, frame, frame.length, frame.length).protocol();
    }

    static MacAddress ethernetDestination(byte[] frame) {
        return MacAddress.read(frame, EthernetFrame.DESTINATION);
    }

    static Ipv4Packet ipv4(byte[] frame) {
        try {
            return Ipv4Packet.wrapChecked(frame, EthernetFrame.HEADER_LENGTH, frame.length - EthernetFrame.HEADER_LENGTH);
        } catch (MalformedPacketException e) {
            throw new AssertionError(e);
        }
    }

    static Icmpv4Packet icmpOf(byte[] frame) {
        Ipv4Packet ip = ipv4(frame);
        try {
            return Icmpv4Packet.wrapChecked(frame, ip.payloadOffset(), ip.payloadLength());
        } catch (MalformedPacketException e) {
            throw new AssertionError(e);
        }
    }

    static UdpPacket udpOf(byte[] frame) {
        Ipv4Packet ip = ipv4(frame);
        try {
            return UdpPacket.wrapChecked(frame, ip.payloadOffset(), ip.payloadLength());
        } catch (MalformedPacketException e) {
            throw new AssertionError(e);
        }
    }

    /** Reassembles the fragments a stack sent (in any order) into the datagram's payload, checking they tile it exactly. */
    static byte[] reassembledPayload(List<byte[]> frames) {
        List<byte[]> sorted = new ArrayList<>(frames);
        sorted.sort(Comparator.comparingInt(f -> ipv4(f).fragmentOffset()));
        byte[] out = new byte[0];
        for (byte[] frame : sorted) {
            Ipv4Packet ip = ipv4(frame);
            if (ip.fragmentOffset() != out.length) {
                throw new AssertionError("fragment at " + ip.fragmentOffset() + " after " + out.length + " bytes");
            }
            int old = out.length;
            out = Arrays.copyOf(out, old + ip.payloadLength());
            System.arraycopy(frame, ip.payloadOffset(), out, old, ip.payloadLength());
        }
        if (ipv4(sorted.get(sorted.size() - 1)).moreFragments()) {
            throw new AssertionError("last fragment has MF set");
        }
        return out;
    }
}
