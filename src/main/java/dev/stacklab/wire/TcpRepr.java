package dev.stacklab.wire;

import java.util.Arrays;
import java.util.List;

/**
 * The meaning of a TCP segment (RFC 9293 section 3.1).
 *
 * @param sourcePort           the sender's port
 * @param destinationPort      the receiver's port
 * @param sequenceNumber       unsigned 32-bit sequence number of the first data octet (or the ISN on SYN)
 * @param acknowledgmentNumber unsigned 32-bit next sequence number expected, meaningful when ACK is set
 * @param flags                the 12 flag bits as {@link TcpPacket#flags()} reads them (FLAG_* constants)
 * @param window               the window field as sent, before any scaling
 * @param urgentPointer        meaningful when URG is set
 * @param options              options in header order; emit pads them with zeros to a 4-byte boundary
 * @param payload              the data
 */
public record TcpRepr(int sourcePort, int destinationPort, long sequenceNumber, long acknowledgmentNumber, int flags,
                      int window, int urgentPointer, List<TcpOption> options, byte[] payload) {
    public TcpRepr {
        if (sourcePort < 0 || sourcePort > 0xFFFF || destinationPort < 0 || destinationPort > 0xFFFF) {
            throw new IllegalArgumentException("port out of range: " + sourcePort + " → " + destinationPort);
        }
        if (sequenceNumber < 0 || sequenceNumber > 0xFFFF_FFFFL || acknowledgmentNumber < 0 || acknowledgmentNumber > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("sequence or acknowledgment number out of range");
        }
        if ((flags & ~0x0FFF) != 0 || window < 0 || window > 0xFFFF || urgentPointer < 0 || urgentPointer > 0xFFFF) {
            throw new IllegalArgumentException("flags, window or urgent pointer out of range");
        }
        options = List.copyOf(options);
        int optionsLength = 0;
        for (TcpOption option : options) {
            optionsLength += option.length();
        }
        if (TcpPacket.MINIMUM_HEADER_LENGTH + optionsLength > TcpPacket.MAXIMUM_HEADER_LENGTH) {
            throw new IllegalArgumentException(optionsLength + " bytes of options do not fit the 40 bytes a TCP header has room for");
        }
    }

    /**
     * The meaning of a segment, after checking its checksum against the IPv4 pseudo-header and its options.
     *
     * @throws MalformedPacketException for a bad checksum or an illegal option
     */
    public static TcpRepr parse(TcpPacket packet, Ipv4Address source, Ipv4Address destination) throws MalformedPacketException {
        if (!packet.checksumValid(source, destination)) {
            throw new MalformedPacketException("TCP", "tcp.checksum", packet.offset() + TcpPacket.CHECKSUM,
                    "bad checksum 0x" + Integer.toHexString(packet.checksum()) + ", expected 0x"
                            + Integer.toHexString(packet.computeChecksum(source, destination)));
        }
        byte[] payload = Arrays.copyOfRange(packet.bytes(), packet.payloadOffset(), packet.payloadOffset() + packet.payloadLength());
        return new TcpRepr(packet.sourcePort(), packet.destinationPort(), packet.sequenceNumber(), packet.acknowledgmentNumber(),
                packet.flags(), packet.window(), packet.urgentPointer(), packet.options(), payload);
    }

    /** Header length with options, rounded up to whole 32-bit words. */
    public int headerLength() {
        int length = TcpPacket.MINIMUM_HEADER_LENGTH;
        for (TcpOption option : options) {
            length += option.length();
        }
        return (length + 3) & ~3;
    }

    public int bufferLength() {
        return headerLength() + payload.length;
    }

    public boolean hasFlag(int flag) {
        return (flags & flag) != 0;
    }

    /** Writes the segment at {@code offset} and fills in its checksum over the IPv4 pseudo-header. */
    public void emit(byte[] buffer, int offset, Ipv4Address source, Ipv4Address destination) {
        int headerLength = headerLength();
        BigEndian.putU16(buffer, offset + TcpPacket.SOURCE_PORT, sourcePort);
        BigEndian.putU16(buffer, offset + TcpPacket.DESTINATION_PORT, destinationPort);
        BigEndian.putU32(buffer, offset + TcpPacket.SEQUENCE_NUMBER, sequenceNumber);
        BigEndian.putU32(buffer, offset + TcpPacket.ACKNOWLEDGMENT_NUMBER, acknowledgmentNumber);
        BigEndian.putU16(buffer, offset + TcpPacket.DATA_OFFSET, (headerLength / 4) << 12 | flags);
        BigEndian.putU16(buffer, offset + TcpPacket.WINDOW, window);
        BigEndian.putU16(buffer, offset + TcpPacket.CHECKSUM, 0);
        BigEndian.putU16(buffer, offset + TcpPacket.URGENT_POINTER, urgentPointer);
        int at = offset + TcpPacket.OPTIONS;
        for (TcpOption option : options) {
            option.emit(buffer, at);
            at += option.length();
        }
        // RFC 9293 section 3.1: the header is padded with zeros to a 32-bit boundary.
        Arrays.fill(buffer, at, offset + headerLength, (byte) 0);
        System.arraycopy(payload, 0, buffer, offset + headerLength, payload.length);
        int checksum = Checksum.finish(TcpPacket.sum(buffer, offset, headerLength + payload.length, source, destination));
        BigEndian.putU16(buffer, offset + TcpPacket.CHECKSUM, checksum);
    }
}
