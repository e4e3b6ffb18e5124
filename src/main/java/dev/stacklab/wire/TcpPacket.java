package dev.stacklab.wire;

import java.util.List;

/**
 * A view over a TCP segment (RFC 9293 section 3.1): ports, sequence and acknowledgment numbers,
 * data offset, flags, window, checksum, urgent pointer, options, data.
 */
public final class TcpPacket {
    // Header layout, RFC 9293 section 3.1.
    public static final int SOURCE_PORT = 0;
    public static final int DESTINATION_PORT = 2;
    public static final int SEQUENCE_NUMBER = 4;
    public static final int ACKNOWLEDGMENT_NUMBER = 8;
    /** Data offset in the high 4 bits, then 3 reserved bits and the former NS bit (RFC 3540). */
    public static final int DATA_OFFSET = 12;
    public static final int FLAGS = 13;
    public static final int WINDOW = 14;
    public static final int CHECKSUM = 16;
    public static final int URGENT_POINTER = 18;
    public static final int OPTIONS = 20;
    public static final int MINIMUM_HEADER_LENGTH = 20;
    public static final int MAXIMUM_HEADER_LENGTH = 60;

    // Flag bits within the 12 bits after the data offset, as Wireshark numbers them (tcp.flags).
    public static final int FLAG_FIN = 0x001;
    public static final int FLAG_SYN = 0x002;
    public static final int FLAG_RST = 0x004;
    public static final int FLAG_PSH = 0x008;
    public static final int FLAG_ACK = 0x010;
    public static final int FLAG_URG = 0x020;
    /** ECN-Echo, RFC 3168 section 6.1. */
    public static final int FLAG_ECE = 0x040;
    /** Congestion Window Reduced, RFC 3168 section 6.1. */
    public static final int FLAG_CWR = 0x080;
    /** ECN-nonce sum, RFC 3540 (historic; now the AE bit of Accurate ECN). */
    public static final int FLAG_NS = 0x100;
    /** The three bits RFC 9293 still reserves. */
    public static final int FLAGS_RESERVED = 0xE00;

    private final byte[] bytes;
    private final int offset;
    private final int length;

    private TcpPacket(byte[] bytes, int offset, int length) {
        this.bytes = bytes;
        this.offset = offset;
        this.length = length;
    }

    /**
     * Wraps the segment of {@code length} bytes at {@code offset}.
     *
     * @throws MalformedPacketException when the range is shorter than 20 bytes, or the data offset is
     *                                  under 5 words or beyond the segment
     */
    public static TcpPacket wrapChecked(byte[] bytes, int offset, int length) throws MalformedPacketException {
        if (offset < 0 || length < 0 || offset > bytes.length - length) {
            throw new MalformedPacketException("TCP", "tcp", offset, "range outside the buffer");
        }
        if (length < MINIMUM_HEADER_LENGTH) {
            throw new MalformedPacketException("TCP", "tcp", offset,
                    "segment of " + length + " bytes is shorter than the 20-byte header");
        }
        int headerLength = headerLength(bytes, offset);
        if (headerLength < MINIMUM_HEADER_LENGTH) {
            throw new MalformedPacketException("TCP", "tcp.hdr_len", offset + DATA_OFFSET,
                    "data offset " + headerLength / 4 + " is under the minimum of 5 words");
        }
        if (headerLength > length) {
            throw new MalformedPacketException("TCP", "tcp.hdr_len", offset + DATA_OFFSET,
                    "header length " + headerLength + " is beyond the " + length + "-byte segment");
        }
        return new TcpPacket(bytes, offset, length);
    }

    /**
     * A view for writing a segment of {@code length} bytes at {@code offset}: only the range is
     * checked, since the header is not there yet. {@link TcpRepr#emit} builds through it.
     *
     * @throws IllegalArgumentException when the range is outside the buffer or shorter than 20 bytes
     */
    public static TcpPacket wrapForWriting(byte[] bytes, int offset, int length) {
        if (offset < 0 || length < MINIMUM_HEADER_LENGTH || offset > bytes.length - length) {
            throw new IllegalArgumentException("no room for a TCP segment of " + length + " bytes at " + offset
                    + " in a buffer of " + bytes.length);
        }
        return new TcpPacket(bytes, offset, length);
    }

    /** The header length the data offset field at {@code offset + 12} claims, in bytes. */
    public static int headerLength(byte[] bytes, int offset) {
        return (BigEndian.u8(bytes, offset + DATA_OFFSET) >>> 4) * 4;
    }

    public byte[] bytes() {
        return bytes;
    }

    public int offset() {
        return offset;
    }

    /** Length of the whole segment, header and data. */
    public int length() {
        return length;
    }

    public int sourcePort() {
        return BigEndian.u16(bytes, offset + SOURCE_PORT);
    }

    public int destinationPort() {
        return BigEndian.u16(bytes, offset + DESTINATION_PORT);
    }

    public long sequenceNumber() {
        return BigEndian.u32(bytes, offset + SEQUENCE_NUMBER);
    }

    public long acknowledgmentNumber() {
        return BigEndian.u32(bytes, offset + ACKNOWLEDGMENT_NUMBER);
    }

    public int headerLength() {
        return headerLength(bytes, offset);
    }

    /** The 12 bits after the data offset: reserved, NS, CWR, ECE, URG, ACK, PSH, RST, SYN, FIN. */
    public int flags() {
        return BigEndian.u16(bytes, offset + DATA_OFFSET) & 0x0FFF;
    }

    public boolean fin() {
        return (flags() & FLAG_FIN) != 0;
    }

    public boolean syn() {
        return (flags() & FLAG_SYN) != 0;
    }

    public boolean rst() {
        return (flags() & FLAG_RST) != 0;
    }

    public boolean psh() {
        return (flags() & FLAG_PSH) != 0;
    }

    public boolean ack() {
        return (flags() & FLAG_ACK) != 0;
    }

    public boolean urg() {
        return (flags() & FLAG_URG) != 0;
    }

    public boolean ece() {
        return (flags() & FLAG_ECE) != 0;
    }

    public boolean cwr() {
        return (flags() & FLAG_CWR) != 0;
    }

    public boolean ns() {
        return (flags() & FLAG_NS) != 0;
    }

    public TcpSeqNumber sequence() {
        return new TcpSeqNumber(BigEndian.i32(bytes, offset + SEQUENCE_NUMBER));
    }

    public TcpSeqNumber acknowledgment() {
        return new TcpSeqNumber(BigEndian.i32(bytes, offset + ACKNOWLEDGMENT_NUMBER));
    }

    public TcpFlags typedFlags() {
        return new TcpFlags(flags());
    }

    public int window() {
        return BigEndian.u16(bytes, offset + WINDOW);
    }

    public int checksum() {
        return BigEndian.u16(bytes, offset + CHECKSUM);
    }

    public int urgentPointer() {
        return BigEndian.u16(bytes, offset + URGENT_POINTER);
    }

    public int optionsOffset() {
        return offset + OPTIONS;
    }

    public int optionsLength() {
        return headerLength() - MINIMUM_HEADER_LENGTH;
    }

    /**
     * The options, up to and including an end-of-list option.
     *
     * @throws MalformedPacketException for an illegal option length
     */
    public List<TcpOption> options() throws MalformedPacketException {
        return TcpOption.readAll(bytes, optionsOffset(), optionsOffset() + optionsLength());
    }

    public int payloadOffset() {
        return offset + headerLength();
    }

    public int payloadLength() {
        return length - headerLength();
    }

    /** The segment's length in sequence space: its data, plus one each for SYN and FIN (RFC 9293 section 3.4). */
    public long sequenceLength() {
        return payloadLength() + (syn() ? 1 : 0) + (fin() ? 1 : 0);
    }

    public boolean checksumValid(Ipv4Address source, Ipv4Address destination) {
        return Checksum.verify(sum(bytes, offset, length, source, destination));
    }

    /** The checksum the segment should carry, computed with its checksum field taken as zero. */
    public int computeChecksum(Ipv4Address source, Ipv4Address destination) {
        int sum = Checksum.pseudoHeader(source, destination, IpProtocol.TCP.value(), length);
        sum = Checksum.add(sum, bytes, offset, CHECKSUM);
        sum = Checksum.add(sum, bytes, offset + CHECKSUM + 2, length - CHECKSUM - 2);
        return Checksum.finish(sum);
    }

    public void setSourcePort(int port) {
        BigEndian.putU16(bytes, offset + SOURCE_PORT, port);
    }

    public void setDestinationPort(int port) {
        BigEndian.putU16(bytes, offset + DESTINATION_PORT, port);
    }

    public void setSequenceNumber(TcpSeqNumber sequence) {
        BigEndian.putI32(bytes, offset + SEQUENCE_NUMBER, sequence.bits());
    }

    public void setAcknowledgmentNumber(TcpSeqNumber acknowledgment) {
        BigEndian.putI32(bytes, offset + ACKNOWLEDGMENT_NUMBER, acknowledgment.bits());
    }

    /** Sets the data offset field from a header length in bytes (a multiple of 4, 20 to 60), keeping the flags. */
    public void setHeaderLength(int headerLength) {
        if (headerLength < MINIMUM_HEADER_LENGTH || headerLength > MAXIMUM_HEADER_LENGTH || headerLength % 4 != 0) {
            throw new IllegalArgumentException("TCP header length " + headerLength + " is not a multiple of 4 in 20-60");
        }
        int word = BigEndian.u16(bytes, offset + DATA_OFFSET);
        BigEndian.putU16(bytes, offset + DATA_OFFSET, (headerLength / 4) << 12 | (word & 0x0FFF));
    }

    /** Sets the 12 flag bits, keeping the data offset. */
    public void setFlags(TcpFlags flags) {
        int word = BigEndian.u16(bytes, offset + DATA_OFFSET);
        BigEndian.putU16(bytes, offset + DATA_OFFSET, (word & 0xF000) | flags.bits());
    }

    public void setWindow(int window) {
        BigEndian.putU16(bytes, offset + WINDOW, window);
    }

    public void setChecksum(int checksum) {
        BigEndian.putU16(bytes, offset + CHECKSUM, checksum);
    }

    public void setUrgentPointer(int urgentPointer) {
        BigEndian.putU16(bytes, offset + URGENT_POINTER, urgentPointer);
    }

    /** Computes the checksum over the pseudo-header and the whole segment and writes it (RFC 9293 section 3.1). */
    public void fillChecksum(Ipv4Address source, Ipv4Address destination) {
        setChecksum(0);
        setChecksum(Checksum.finish(sum(bytes, offset, length, source, destination)));
    }

    static int sum(byte[] bytes, int offset, int length, Ipv4Address source, Ipv4Address destination) {
        int sum = Checksum.pseudoHeader(source, destination, IpProtocol.TCP.value(), length);
        return Checksum.add(sum, bytes, offset, length);
    }
}
