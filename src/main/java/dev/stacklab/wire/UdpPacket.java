package dev.stacklab.wire;

/**
 * A view over a UDP datagram (RFC 768): source port, destination port, length, checksum, data.
 * The length field covers header and data; bytes beyond it (link-layer padding) are not part of
 * the datagram.
 */
public final class UdpPacket {
    // Header layout, RFC 768.
    public static final int SOURCE_PORT = 0;
    public static final int DESTINATION_PORT = 2;
    public static final int LENGTH = 4;
    public static final int CHECKSUM = 6;
    public static final int HEADER_LENGTH = 8;

    private final byte[] bytes;
    private final int offset;
    private final int length;

    private UdpPacket(byte[] bytes, int offset, int length) {
        this.bytes = bytes;
        this.offset = offset;
        this.length = length;
    }

    /**
     * Wraps the datagram at {@code offset}, at most {@code length} bytes.
     *
     * @throws MalformedPacketException when the range is shorter than the header, or the length field
     *                                  is under 8 or claims more bytes than there are
     */
    public static UdpPacket wrapChecked(byte[] bytes, int offset, int length) throws MalformedPacketException {
        if (offset < 0 || length < 0 || offset > bytes.length - length) {
            throw new MalformedPacketException("UDP", "udp", offset, "range outside the buffer");
        }
        if (length < HEADER_LENGTH) {
            throw new MalformedPacketException("UDP", "udp", offset,
                    "datagram of " + length + " bytes is shorter than the 8-byte header");
        }
        int lengthField = BigEndian.u16(bytes, offset + LENGTH);
        if (lengthField < HEADER_LENGTH) {
            throw new MalformedPacketException("UDP", "udp.length", offset + LENGTH,
                    "length " + lengthField + " is shorter than the 8-byte header");
        }
        if (lengthField > length) {
            throw new MalformedPacketException("UDP", "udp.length", offset + LENGTH,
                    "length " + lengthField + " is beyond the " + length + " bytes available");
        }
        return new UdpPacket(bytes, offset, lengthField);
    }

    public byte[] bytes() {
        return bytes;
    }

    public int offset() {
        return offset;
    }

    public int sourcePort() {
        return BigEndian.u16(bytes, offset + SOURCE_PORT);
    }

    public int destinationPort() {
        return BigEndian.u16(bytes, offset + DESTINATION_PORT);
    }

    /** The length field: header plus data. */
    public int length() {
        return length;
    }

    public int checksum() {
        return BigEndian.u16(bytes, offset + CHECKSUM);
    }

    public int payloadOffset() {
        return offset + HEADER_LENGTH;
    }

    public int payloadLength() {
        return length - HEADER_LENGTH;
    }

    /**
     * True when the checksum is correct for these addresses, or absent: RFC 768 lets a sender
     * transmit zero to mean "no checksum computed".
     */
    public boolean checksumValid(Ipv4Address source, Ipv4Address destination) {
        return checksum() == 0 || Checksum.verify(sum(bytes, offset, length, source, destination));
    }

    /** The checksum field value a sender would compute, with 0 sent as 0xFFFF (RFC 768). */
    public int computeChecksum(Ipv4Address source, Ipv4Address destination) {
        int sum = Checksum.pseudoHeader(source, destination, IpProtocol.UDP.value(), length);
        sum = Checksum.add(sum, bytes, offset, CHECKSUM);
        sum = Checksum.add(sum, bytes, offset + HEADER_LENGTH, length - HEADER_LENGTH);
        int checksum = Checksum.finish(sum);
        return checksum == 0 ? 0xFFFF : checksum;
    }

    static int sum(byte[] bytes, int offset, int length, Ipv4Address source, Ipv4Address destination) {
        int sum = Checksum.pseudoHeader(source, destination, IpProtocol.UDP.value(), length);
        return Checksum.add(sum, bytes, offset, length);
    }
}
