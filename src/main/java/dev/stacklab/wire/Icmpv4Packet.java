package dev.stacklab.wire;

/**
 * A view over an ICMPv4 message (RFC 792): type, code, checksum, four type-specific bytes, then
 * the message body. For error messages the body is the quoted original datagram (its IP header and
 * at least the first 64 bits of its data); for echo messages it is the echoed data.
 */
public final class Icmpv4Packet {
    // Header layout, RFC 792.
    public static final int TYPE = 0;
    public static final int CODE = 1;
    public static final int CHECKSUM = 2;
    /** The four type-specific bytes: identifier and sequence number, unused, next-hop MTU, pointer. */
    public static final int REST_OF_HEADER = 4;
    public static final int IDENTIFIER = 4;
    public static final int SEQUENCE_NUMBER = 6;
    /** Parameter problem: the octet where the error was found (RFC 792 page 8). */
    public static final int POINTER = 4;
    /** Destination unreachable, code 4: MTU of the next hop (RFC 1191 section 4). */
    public static final int NEXT_HOP_MTU = 6;
    public static final int HEADER_LENGTH = 8;

    // Message types (IANA "ICMP Type Numbers").
    public static final int TYPE_ECHO_REPLY = 0;
    public static final int TYPE_DESTINATION_UNREACHABLE = 3;
    public static final int TYPE_SOURCE_QUENCH = 4;
    public static final int TYPE_REDIRECT = 5;
    public static final int TYPE_ECHO_REQUEST = 8;
    public static final int TYPE_TIME_EXCEEDED = 11;
    public static final int TYPE_PARAMETER_PROBLEM = 12;

    /** Destination unreachable code 4, "fragmentation needed and DF set", which carries the next-hop MTU. */
    public static final int CODE_FRAGMENTATION_NEEDED = 4;

    private final byte[] bytes;
    private final int offset;
    private final int length;

    private Icmpv4Packet(byte[] bytes, int offset, int length) {
        this.bytes = bytes;
        this.offset = offset;
        this.length = length;
    }

    /**
     * Wraps {@code length} bytes at {@code offset} as an ICMPv4 message.
     *
     * @throws MalformedPacketException when the range is shorter than the 8-byte header
     */
    public static Icmpv4Packet wrapChecked(byte[] bytes, int offset, int length) throws MalformedPacketException {
        if (offset < 0 || length < 0 || offset > bytes.length - length) {
            throw new MalformedPacketException("ICMPv4", "icmp", offset, "range outside the buffer");
        }
        if (length < HEADER_LENGTH) {
            throw new MalformedPacketException("ICMPv4", "icmp", offset,
                    "message of " + length + " bytes is shorter than the 8-byte header");
        }
        return new Icmpv4Packet(bytes, offset, length);
    }

    public byte[] bytes() {
        return bytes;
    }

    public int offset() {
        return offset;
    }

    /** Length of the whole message, header and body. */
    public int length() {
        return length;
    }

    public int type() {
        return BigEndian.u8(bytes, offset + TYPE);
    }

    public int code() {
        return BigEndian.u8(bytes, offset + CODE);
    }

    public int checksum() {
        return BigEndian.u16(bytes, offset + CHECKSUM);
    }

    /** The four type-specific header bytes as one unsigned value. */
    public long restOfHeader() {
        return BigEndian.u32(bytes, offset + REST_OF_HEADER);
    }

    public int identifier() {
        return BigEndian.u16(bytes, offset + IDENTIFIER);
    }

    public int sequenceNumber() {
        return BigEndian.u16(bytes, offset + SEQUENCE_NUMBER);
    }

    public int nextHopMtu() {
        return BigEndian.u16(bytes, offset + NEXT_HOP_MTU);
    }

    public int pointer() {
        return BigEndian.u8(bytes, offset + POINTER);
    }

    /** Where the body (echo data or quoted datagram) starts, as an absolute offset into {@link #bytes()}. */
    public int bodyOffset() {
        return offset + HEADER_LENGTH;
    }

    public int bodyLength() {
        return length - HEADER_LENGTH;
    }

    /** True when the checksum over the whole message is correct (RFC 792: ones' complement of the ones' complement sum). */
    public boolean checksumValid() {
        return Checksum.verify(Checksum.add(0, bytes, offset, length));
    }

    /** The checksum the message should carry, computed with its checksum field taken as zero. */
    public int computeChecksum() {
        int sum = Checksum.add(0, bytes, offset, CHECKSUM);
        sum = Checksum.add(sum, bytes, offset + CHECKSUM + 2, length - CHECKSUM - 2);
        return Checksum.finish(sum);
    }

    /** True for the error messages whose body quotes the datagram that caused them. */
    public static boolean isError(int type) {
        return type == TYPE_DESTINATION_UNREACHABLE || type == TYPE_SOURCE_QUENCH || type == TYPE_REDIRECT
                || type == TYPE_TIME_EXCEEDED || type == TYPE_PARAMETER_PROBLEM;
    }
}
