package dev.stacklab.wire;

import java.util.Arrays;

/**
 * The meaning of a UDP datagram (RFC 768).
 *
 * @param sourcePort      the sender's port
 * @param destinationPort the receiver's port
 * @param payload         the data
 * @param checksummed     false when the datagram carries checksum 0, "none computed" (RFC 768);
 *                        emit then writes 0 instead of computing one
 */
public record UdpRepr(int sourcePort, int destinationPort, byte[] payload, boolean checksummed) {
    public UdpRepr {
        if (sourcePort < 0 || sourcePort > 0xFFFF || destinationPort < 0 || destinationPort > 0xFFFF) {
            throw new IllegalArgumentException("port out of range: " + sourcePort + " → " + destinationPort);
        }
        if (payload.length > 0xFFFF - UdpPacket.HEADER_LENGTH) {
            throw new IllegalArgumentException("payload of " + payload.length + " bytes does not fit a UDP datagram");
        }
        payload = payload.clone();
    }

    public UdpRepr(int sourcePort, int destinationPort, byte[] payload) {
        this(sourcePort, destinationPort, payload, true);
    }

    /**
     * The meaning of a datagram, after checking its checksum against the IPv4 pseudo-header.
     *
     * @throws MalformedPacketException when a checksum is present and wrong
     */
    public static UdpRepr parse(UdpPacket packet, Ipv4Address source, Ipv4Address destination) throws MalformedPacketException {
        if (!packet.checksumValid(source, destination)) {
            throw new MalformedPacketException("UDP", "udp.checksum", packet.offset() + UdpPacket.CHECKSUM,
                    "bad checksum 0x" + Integer.toHexString(packet.checksum()) + ", expected 0x"
                            + Integer.toHexString(packet.computeChecksum(source, destination)));
        }
        byte[] payload = Arrays.copyOfRange(packet.bytes(), packet.payloadOffset(), packet.payloadOffset() + packet.payloadLength());
        return new UdpRepr(packet.sourcePort(), packet.destinationPort(), payload, packet.checksum() != 0);
    }

    /** A copy: the record's bytes are its own. */
    @Override
    public byte[] payload() {
        return payload.clone();
    }

    public int payloadLength() {
        return payload.length;
    }

    public int bufferLength() {
        return UdpPacket.HEADER_LENGTH + payload.length;
    }

    /** Writes the datagram at {@code offset}, with its length and (unless not checksummed) its checksum. */
    public void emit(byte[] buffer, int offset, Ipv4Address source, Ipv4Address destination) {
        int length = bufferLength();
        BigEndian.putU16(buffer, offset + UdpPacket.SOURCE_PORT, sourcePort);
        BigEndian.putU16(buffer, offset + UdpPacket.DESTINATION_PORT, destinationPort);
        BigEndian.putU16(buffer, offset + UdpPacket.LENGTH, length);
        BigEndian.putU16(buffer, offset + UdpPacket.CHECKSUM, 0);
        System.arraycopy(payload, 0, buffer, offset + UdpPacket.HEADER_LENGTH, payload.length);
        if (checksummed) {
            int checksum = Checksum.finish(UdpPacket.sum(buffer, offset, length, source, destination));
            // RFC 768: a computed zero is sent as all ones, since zero means "no checksum".
            BigEndian.putU16(buffer, offset + UdpPacket.CHECKSUM, checksum == 0 ? 0xFFFF : checksum);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof UdpRepr o && sourcePort == o.sourcePort && destinationPort == o.destinationPort
                && checksummed == o.checksummed && Arrays.equals(payload, o.payload);
    }

    @Override
    public int hashCode() {
        return (31 * sourcePort + destinationPort) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "UdpRepr[" + sourcePort + " -> " + destinationPort + ", " + payload.length + " bytes"
                + (checksummed ? "" : ", no checksum") + "]";
    }
}
