package dev.stacklab.dissect;

import dev.stacklab.wire.BigEndian;
import dev.stacklab.wire.UdpPacket;

import java.util.List;

/**
 * UDP (RFC 768) as Wireshark 4.0 shows it: ports, length, checksum (not verified, Wireshark's
 * default), stream index and times, then the payload handed to the "data" layer. Inside an ICMP
 * error the quoted datagram is usually cut short, which is not an error there.
 */
final class UdpDissector {
    static final FieldDef UDP = FieldDef.protocol("udp", "User Datagram Protocol");
    static final FieldDef SOURCE_PORT = FieldDef.uint("udp.srcport", "Source Port");
    static final FieldDef DESTINATION_PORT = FieldDef.uint("udp.dstport", "Destination Port");
    static final FieldDef PORT = FieldDef.uint("udp.port", "Source or Destination Port");
    static final FieldDef LENGTH = FieldDef.uint("udp.length", "Length");
    static final FieldDef CHECKSUM = FieldDef.hex("udp.checksum", "Checksum", 4);
    static final FieldDef CHECKSUM_STATUS = FieldDef.uint("udp.checksum.status", "Checksum Status", ChecksumStatus::name);
    static final FieldDef STREAM = FieldDef.uint("udp.stream", "Stream index");
    static final FieldDef TIME_RELATIVE = FieldDef.timeNanos("udp.time_relative", "Time since first frame");
    static final FieldDef TIME_DELTA = FieldDef.timeNanos("udp.time_delta", "Time since previous frame");
    static final FieldDef PAYLOAD = FieldDef.bytes("udp.payload", "Payload");

    static final List<FieldDef> FIELDS = List.of(UDP, SOURCE_PORT, DESTINATION_PORT, PORT, LENGTH, CHECKSUM, CHECKSUM_STATUS,
            STREAM, TIME_RELATIVE, TIME_DELTA, PAYLOAD);

    // Tree lines built from the node when shown (see NodeText).
    private static final NodeText PROTOCOL_LINE = node -> "User Datagram Protocol, Src Port: " + node.child(SOURCE_PORT).value()
            + ", Dst Port: " + node.child(DESTINATION_PORT).value();
    private static final NodeText PAYLOAD_LINE = node -> "UDP payload (" + node.length() + " byte" + (node.length() == 1 ? "" : "s") + ")";

    private UdpDissector() {
    }

    static void dissect(DissectionContext ctx, FieldNode parent, int offset, int length) {
        ctx.setProtocol("UDP");
        byte[] data = ctx.data;
        FieldNode udp = ctx.add(parent, UDP, offset, Math.min(length, UdpPacket.HEADER_LENGTH));
        if (length < 4) {
            ctx.setInfo();
            ctx.malformed("UDP: datagram of " + length + " bytes is shorter than the 8-byte header", offset);
            return;
        }
        int sourcePort = BigEndian.u16(data, offset + UdpPacket.SOURCE_PORT);
        int destinationPort = BigEndian.u16(data, offset + UdpPacket.DESTINATION_PORT);
        ctx.add(udp, SOURCE_PORT, offset + UdpPacket.SOURCE_PORT, 2, sourcePort);
        ctx.add(udp, DESTINATION_PORT, offset + UdpPacket.DESTINATION_PORT, 2, destinationPort);
        addHidden(ctx, udp, PORT, offset + UdpPacket.SOURCE_PORT, sourcePort);
        addHidden(ctx, udp, PORT, offset + UdpPacket.DESTINATION_PORT, destinationPort);
        StringBuilder info = ctx.setInfo().append(sourcePort).append(" → ").append(destinationPort);
        if (length < UdpPacket.HEADER_LENGTH) {
            if (udp != null) {
                udp.text(PROTOCOL_LINE);
            }
            if (ctx.quoteDepth == 0) {
                ctx.malformed("UDP: datagram of " + length + " bytes is shorter than the 8-byte header", offset + length);
            }
            return;
        }
        int lengthField = BigEndian.u16(data, offset + UdpPacket.LENGTH);
        int checksum = BigEndian.u16(data, offset + UdpPacket.CHECKSUM);
        if (udp != null) {
            udp.text(PROTOCOL_LINE);
        }
        ctx.add(udp, LENGTH, offset + UdpPacket.LENGTH, 2, lengthField);
        if (lengthField < UdpPacket.HEADER_LENGTH) {
            info.append(" [BAD UDP LENGTH ").append(lengthField).append(" < 8]");
            return;
        }
        FieldNode checksumNode = ctx.add(udp, CHECKSUM, offset + UdpPacket.CHECKSUM, 2, checksum);
        if (checksum == 0) {
            // RFC 768: zero means the sender computed no checksum.
            if (checksumNode != null) {
                checksumNode.text("Checksum: 0x0000 [zero-value ignored]");
            }
            ChecksumStatus.add(ctx, checksumNode, CHECKSUM_STATUS, offset + UdpPacket.CHECKSUM, ChecksumStatus.NOT_PRESENT);
        } else {
            // Wireshark leaves UDP checksums unverified unless asked to check them.
            if (checksumNode != null) {
                checksumNode.text(TcpDissector.UNVERIFIED_CHECKSUM_LINE);
            }
            ChecksumStatus.add(ctx, udp, CHECKSUM_STATUS, offset + UdpPacket.CHECKSUM, ChecksumStatus.UNVERIFIED);
        }

        if (lengthField > length && ctx.quoteDepth == 0) {
            info.append(" [BAD UDP LENGTH ").append(lengthField).append(" > IP PAYLOAD LENGTH]");
        }
        info.append(" Len=").append(lengthField - UdpPacket.HEADER_LENGTH);

        UdpConversations.Conversation conversation = ctx.session.udpConversations.find(ctx.ipSource, sourcePort,
                ctx.ipDestination, destinationPort, ctx.timestampNanos);
        FieldNode stream = ctx.add(udp, STREAM, offset, 0, conversation.streamIndex);
        if (stream != null) {
            stream.generated();
        }
        if (ctx.quoteDepth == 0) {
            // Wireshark shows the times only beside a payload; an empty datagram still moves the clock on.
            boolean hasPayload = Math.min(lengthField, length) > UdpPacket.HEADER_LENGTH;
            if (udp != null && hasPayload) {
                FrameDissector.addStreamTimes(ctx, udp, offset, TIME_RELATIVE, TIME_DELTA, conversation.firstTimestampNanos,
                        conversation.previousTimestampNanos);
            }
            conversation.previousTimestampNanos = ctx.timestampNanos;
        }

        int payloadLength = Math.min(lengthField, length) - UdpPacket.HEADER_LENGTH;
        if (payloadLength > 0) {
            int payloadOffset = offset + UdpPacket.HEADER_LENGTH;
            FieldNode payload = ctx.addBytes(udp, PAYLOAD, payloadOffset, payloadLength);
            if (payload != null) {
                payload.text(PAYLOAD_LINE);
            }
            // Wireshark hangs the payload's layer at the top of the tree, beside udp, even inside an ICMP error.
            if (EchoDissector.claims(sourcePort, destinationPort, payloadLength)) {
                EchoDissector.dissect(ctx, ctx.root, payloadOffset, payloadLength, destinationPort);
            } else if (DnsDissector.claimsUdp(sourcePort, destinationPort)) {
                DnsDissector.dissectUdp(ctx, payloadOffset, payloadLength, sourcePort, destinationPort);
            } else if (DhcpDissector.claims(sourcePort, destinationPort)) {
                DhcpDissector.dissect(ctx, payloadOffset, payloadLength);
            } else if (Dhcpv6Dissector.claims(sourcePort, destinationPort)) {
                Dhcpv6Dissector.dissect(ctx, payloadOffset, payloadLength);
            } else if (NtpDissector.claims(sourcePort, destinationPort)) {
                NtpDissector.dissect(ctx, payloadOffset, payloadLength);
            } else if (SsdpDissector.claims(sourcePort, destinationPort)) {
                SsdpDissector.dissect(ctx, payloadOffset, payloadLength);
            } else {
                DataDissector.dissectUnclaimed(ctx, payloadOffset, payloadLength, PortProtocols.udp(sourcePort, destinationPort));
            }
        }
    }

    private static void addHidden(DissectionContext ctx, FieldNode parent, FieldDef def, int offset, int value) {
        FieldNode node = ctx.add(parent, def, offset, 2, value);
        if (node != null) {
            node.hidden();
        }
    }
}
