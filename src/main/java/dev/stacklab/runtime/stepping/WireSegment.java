package dev.stacklab.runtime.stepping;

import dev.stacklab.wire.EtherType;
import dev.stacklab.wire.EthernetFrame;
import dev.stacklab.wire.IpProtocol;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.Ipv4Packet;
import dev.stacklab.wire.MalformedPacketException;
import dev.stacklab.wire.TcpFlags;
import dev.stacklab.wire.TcpPacket;

import java.util.Optional;

/**
 * The TCP header fields of one frame on the scenario's wire, as a student reads them: flags, SEQ, ACK, data length
 * and window. Sequence numbers are absolute; {@link TcpStepLab} makes them relative to each side's ISN, as
 * Wireshark does.
 */
public record WireSegment(Ipv4Address source, int sourcePort, Ipv4Address destination, int destinationPort,
                          TcpFlags flags, long sequence, long acknowledgment, int window, int length) {

    /** The segment in {@code frame}, or empty for a frame that carries no TCP (ARP) or is malformed. */
    public static Optional<WireSegment> parse(byte[] frame) {
        try {
            EthernetFrame ethernet = EthernetFrame.wrapChecked(frame, 0, frame.length);
            if (!ethernet.etherType().equals(EtherType.IPV4)) {
                return Optional.empty();
            }
            Ipv4Packet ip = Ipv4Packet.wrapChecked(frame, ethernet.payloadOffset(), ethernet.payloadLength());
            if (!ip.protocol().equals(IpProtocol.TCP) || ip.isFragment()) {
                return Optional.empty();
            }
            TcpPacket tcp = TcpPacket.wrapChecked(frame, ip.payloadOffset(), ip.payloadLength());
            return Optional.of(new WireSegment(ip.source(), tcp.sourcePort(), ip.destination(), tcp.destinationPort(),
                    new TcpFlags(tcp.flags()), tcp.sequenceNumber(), tcp.acknowledgmentNumber(), tcp.window(),
                    tcp.payloadLength()));
        } catch (MalformedPacketException e) {
            return Optional.empty();
        }
    }

    /** "SYN, ACK" (the flags without Wireshark's brackets). */
    public String flagNames() {
        String text = flags.toString();
        return text.substring(1, text.length() - 1);
    }

    /** Sequence space the segment takes: its data, plus one each for SYN and FIN (RFC 9293 3.4). */
    public long sequenceLength() {
        return length + (flags.syn() ? 1 : 0) + (flags.fin() ? 1 : 0);
    }
}
