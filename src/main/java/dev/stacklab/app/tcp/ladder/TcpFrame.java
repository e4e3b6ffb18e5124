package dev.stacklab.app.tcp.ladder;

import dev.stacklab.wire.EtherType;
import dev.stacklab.wire.EthernetFrame;
import dev.stacklab.wire.IpProtocol;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.Ipv4Packet;
import dev.stacklab.wire.MalformedPacketException;
import dev.stacklab.wire.TcpOption;
import dev.stacklab.wire.TcpPacket;

/**
 * The fields of a captured Ethernet frame's TCP segment the ladder needs, read through the wire views. Frames that
 * are not unfragmented TCP over IPv4, or are malformed, have none (the capture shows those; the ladder skips them).
 *
 * @param windowScale the shift of a window scale option (RFC 7323 2.2), or -1 without one
 */
record TcpFrame(Ipv4Address source, int sourcePort, Ipv4Address destination, int destinationPort, long sequence,
                long acknowledgment, int flags, int rawWindow, int payloadLength, int windowScale) {

    /** The segment in {@code frame}, or null. */
    static TcpFrame read(byte[] frame) {
        try {
            EthernetFrame ethernet = EthernetFrame.wrapChecked(frame, 0, frame.length);
            if (!EtherType.IPV4.equals(ethernet.etherType())) {
                return null;
            }
            Ipv4Packet ip = Ipv4Packet.wrapChecked(frame, ethernet.payloadOffset(), ethernet.payloadLength());
            if (!IpProtocol.TCP.equals(ip.protocol()) || ip.isFragment()) {
                return null;
            }
            TcpPacket tcp = TcpPacket.wrapChecked(frame, ip.payloadOffset(), ip.payloadLength());
            int scale = -1;
            if (tcp.syn()) {
                for (TcpOption option : tcp.options()) {
                    if (option instanceof TcpOption.WindowScale windowScale) {
                        scale = Math.min(windowScale.shift(), 14);
                    }
                }
            }
            return new TcpFrame(ip.source(), tcp.sourcePort(), ip.destination(), tcp.destinationPort(), tcp.sequenceNumber(),
                    tcp.acknowledgmentNumber(), tcp.flags(), tcp.window(), tcp.payloadLength(), scale);
        } catch (MalformedPacketException | RuntimeException e) {
            // Truncated or damaged (an impairment corrupts frames on purpose): the capture marks it, the ladder skips it.
            return null;
        }
    }

    boolean has(int flag) {
        return (flags & flag) != 0;
    }
}
