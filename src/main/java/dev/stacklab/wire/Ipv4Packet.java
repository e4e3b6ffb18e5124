package dev.stacklab.wire;

import java.util.List;

/**
 * A view over an IPv4 datagram (RFC 791 section 3.1). {@link #wrapChecked} enforces the length rules
 * a receiver must apply before trusting anything else: a header of at least 20 bytes that fits in
 * the bytes, and a total length that covers the header and fits in the bytes. Bytes after the total
 * length (Ethernet padding) are allowed and ignored. The checksum is reported, never enforced or
 * fixed here: that is for the caller to decide.
 */
public final class Ipv4Packet {
    // Layout (RFC 791 section 3.1), offsets from the start of the header.
    public static final int VERSION_AND_IHL = 0;
    /** Formerly Type of Service; now DSCP (RFC 2474) in the top six bits and ECN (RFC 3168) in the low two. */
    public static final int DS_FIELD = 1;
    public static final int TOTAL_LENGTH = 2;
    public static final int IDENTIFICATION = 4;
    /** Flags in the top three bits (reserved, DF, MF), fragment offset in 8-byte units in the low 13. */
    public static final int FLAGS_AND_FRAGMENT_OFFSET = 6;
    public static final int TIME_TO_LIVE = 8;
    public static final int PROTOCOL = 9;
    public static final int HEADER_CHECKSUM = 10;
    public static final int SOURCE = 12;
    public static final int DESTINATION = 16;
    public static final int OPTIONS = 20;
    public static final int MIN_HEADER_LENGTH = 20;
    public static final int MAX_HEADER_LENGTH = 60;

    public static final int FLAG_RESERVED = 0x8000;
    public static final int FLAG_DONT_FRAGMENT = 0x4000;
    public static final int FLAG_MORE_FRAGMENTS = 0x2000;
    public static final int FRAGMENT_OFFSET_MASK = 0x1FFF;

    private final byte[] bytes;
    private final int offset;
    private final int available;

    private Ipv4Packet(byte[] bytes, int offset, int available) {
        this.bytes = bytes;
        this.offset = offset;
        this.available = available;
    }

    /**
     * Wraps a whole datagram: the header and {@code totalLength} bytes must be present.
     *
     * @throws MalformedPacketException for IHL under 5, a header or total length beyond the bytes,
     *                                  or a total length shorter than the header
     */
    public static Ipv4Packet wrapChecked(byte[] bytes, int offset, int length) throws MalformedPacketException {
        Ipv4Packet packet = wrapHeaderChecked(bytes, offset, length);
        int totalLength = packet.totalLength();
        if (totalLength < packet.headerLength()) {
            throw new MalformedPacketException("IPv4", "ip.len", offset + TOTAL_LENGTH,
                    "total length " + totalLength + " is less than the header length " + packet.headerLength());
        }
        if (totalLength > length) {
            throw new MalformedPacketException("IPv4", "ip.len", offset + TOTAL_LENGTH,
                    "total length " + totalLength + " exceeds the " + length + " bytes present");
        }
        return packet;
    }

    /**
     * Wraps only the header, for a datagram quoted in an ICMP error (RFC 792: the header and the
     * first 8 bytes of data), whose total length describes the original and may exceed what is here.
     */
    public static Ipv4Packet wrapHeaderChecked(byte[] bytes, int offset, int length) throws MalformedPacketException {
        if (offset < 0 || length < 0 || offset + length > bytes.length) {
            throw new MalformedPacketException("IPv4", "ip", offset, "range outside the " + bytes.length + "-byte buffer");
        }
        if (length < MIN_HEADER_LENGTH) {
            throw new MalformedPacketException("IPv4", "ip", offset + length, length + " bytes, fewer than the 20-byte header");
        }
        int headerLength = (bytes[offset] & 0x0F) * 4;
        if (headerLength < MIN_HEADER_LENGTH) {
            throw new MalformedPacketException("IPv4", "ip.hdr_len", offset,
                    "header length " + headerLength + " is less than 20 (IHL " + headerLength / 4 + ")");
        }
        if (headerLength > length) {
            throw new MalformedPacketException("IPv4", "ip.hdr_len", offset,
                    "header length " + headerLength + " exceeds the " + length + " bytes present");
        }
        return new Ipv4Packet(bytes, offset, length);
    }

    public int version() {
        return (bytes[offset] & 0xFF) >>> 4;
    }

    /** Header length in bytes (IHL times 4). */
    public int headerLength() {
        return (bytes[offset] & 0x0F) * 4;
    }

    public int dsField() {
        return BigEndian.u8(bytes, offset + DS_FIELD);
    }

    public int dscp() {
        return dsField() >>> 2;
    }

    public int ecn() {
        return dsField() & 0x03;
    }

    public int totalLength() {
        return BigEndian.u16(bytes, offset + TOTAL_LENGTH);
    }

    public int identification() {
        return BigEndian.u16(bytes, offset + IDENTIFICATION);
    }

    public int flagsAndFragmentOffset() {
        return BigEndian.u16(bytes, offset + FLAGS_AND_FRAGMENT_OFFSET);
    }

    public boolean reservedFlag() {
        return (flagsAndFragmentOffset() & FLAG_RESERVED) != 0;
    }

    public boolean dontFragment() {
        return (flagsAndFragmentOffset() & FLAG_DONT_FRAGMENT) != 0;
    }

    public boolean moreFragments() {
        return (flagsAndFragmentOffset() & FLAG_MORE_FRAGMENTS) != 0;
    }

    /** Fragment offset in bytes (the field counts 8-byte units). */
    public int fragmentOffset() {
        return (flagsAndFragmentOffset() & FRAGMENT_OFFSET_MASK) * 8;
    }

    /** True when this is one piece of a larger datagram (MF set or a non-zero offset). */
    public boolean isFragment() {
        return (flagsAndFragmentOffset() & (FLAG_MORE_FRAGMENTS | FRAGMENT_OFFSET_MASK)) != 0;
    }

    public int timeToLive() {
        return BigEndian.u8(bytes, offset + TIME_TO_LIVE);
    }

    public IpProtocol protocol() {
        return IpProtocol.valueOf(BigEndian.u8(bytes, offset + PROTOCOL));
    }

    public int headerChecksum() {
        return BigEndian.u16(bytes, offset + HEADER_CHECKSUM);
    }

    /** True when the header sums to all ones (RFC 791 section 3.1, RFC 1071). */
    public boolean verifyChecksum() {
        return Checksum.verify(Checksum.add(0, bytes, offset, headerLength()));
    }

    public Ipv4Address source() {
        return Ipv4Address.read(bytes, offset + SOURCE);
    }

    public Ipv4Address destination() {
        return Ipv4Address.read(bytes, offset + DESTINATION);
    }

    public int optionsOffset() {
        return offset + OPTIONS;
    }

    public int optionsLength() {
        return headerLength() - MIN_HEADER_LENGTH;
    }

    /** The options, parsed; see {@link Ipv4Option#parseAll}. */
    public List<Ipv4Option> options() throws MalformedPacketException {
        return Ipv4Option.parseAll(bytes, optionsOffset(), optionsLength());
    }

    public int payloadOffset() {
        return offset + headerLength();
    }

    /**
     * Bytes of payload present: up to the total length, or fewer when the view holds only a quoted
     * header ({@link #wrapHeaderChecked}).
     */
    public int payloadLength() {
        return Math.max(0, Math.min(totalLength(), available) - headerLength());
    }

    /**
     * What a router does before forwarding (RFC 791 section 3.2, RFC 1812 section 5.3.1): decrements
     * the TTL in place and patches the checksum with the RFC 1624 incremental update instead of
     * summing the header again.
     *
     * @return the new TTL
     * @throws IllegalStateException when the TTL is already zero
     */
    public int decrementTimeToLive() {
        int ttl = timeToLive();
        if (ttl == 0) {
            throw new IllegalStateException("TTL is already 0");
        }
        // The TTL shares a 16-bit word with the protocol; the checksum sees the whole word change.
        int oldWord = BigEndian.u16(bytes, offset + TIME_TO_LIVE);
        bytes[offset + TIME_TO_LIVE] = (byte) (ttl - 1);
        int newWord = BigEndian.u16(bytes, offset + TIME_TO_LIVE);
        BigEndian.putU16(bytes, offset + HEADER_CHECKSUM, Checksum.incrementalUpdate(headerChecksum(), oldWord, newWord));
        return ttl - 1;
    }

    public byte[] buffer() {
        return bytes;
    }

    public int offset() {
        return offset;
    }
}
