package dev.stacklab.wire;

/**
 * A view over an Ethernet II frame (IEEE 802.3 clause 3.2, with the DIX type field): destination,
 * source, any number of stacked 802.1Q / 802.1ad tags, the EtherType of the payload, the payload.
 * The frame check sequence is not part of what a capture or a socket hands over, so it is not
 * modelled here. A frame shorter than the 60-byte minimum is accepted: captures of sent frames
 * usually are, and padding is the sender's business.
 */
public final class EthernetFrame {
    // Layout (IEEE 802.3 clause 3.1.1), offsets from the start of the frame.
    public static final int DESTINATION = 0;
    public static final int SOURCE = 6;
    /** The first type field: the payload's EtherType, or a tag protocol identifier when tagged. */
    public static final int TYPE = 12;
    public static final int HEADER_LENGTH = 14;
    /** Smallest frame on the wire without the FCS; shorter payloads are padded up to it. */
    public static final int MINIMUM_LENGTH = 60;
    /** Type values below this are an 802.3 length, not an EtherType (IEEE 802.3 clause 3.2.6). */
    public static final int MIN_ETHER_TYPE = 0x0600;

    private final byte[] bytes;
    private final int offset;
    private final int length;
    private final int tagCount;

    private EthernetFrame(byte[] bytes, int offset, int length, int tagCount) {
        this.bytes = bytes;
        this.offset = offset;
        this.length = length;
        this.tagCount = tagCount;
    }

    /**
     * Wraps {@code length} bytes at {@code offset}, checking that the header and every announced
     * VLAN tag are present.
     */
    public static EthernetFrame wrapChecked(byte[] bytes, int offset, int length) throws MalformedPacketException {
        if (offset < 0 || length < 0 || offset + length > bytes.length) {
            throw new MalformedPacketException("Ethernet", "eth", offset, "range outside the " + bytes.length + "-byte buffer");
        }
        if (length < HEADER_LENGTH) {
            throw new MalformedPacketException("Ethernet", "eth.type", offset + TYPE,
                    length + " bytes, fewer than the 14-byte header");
        }
        int tags = 0;
        int type = BigEndian.u16(bytes, offset + TYPE);
        while (VlanTag.isTagProtocol(type)) {
            int tagEnd = TYPE + (tags + 1) * VlanTag.LENGTH + 2;
            if (tagEnd > length) {
                throw new MalformedPacketException("Ethernet", "vlan.etype", offset + tagEnd - 2,
                        "802.1Q tag " + (tags + 1) + " runs past the end of the " + length + "-byte frame");
            }
            tags++;
            type = BigEndian.u16(bytes, offset + tagEnd - 2);
        }
        return new EthernetFrame(bytes, offset, length, tags);
    }

    public MacAddress destination() {
        return MacAddress.read(bytes, offset + DESTINATION);
    }

    public MacAddress source() {
        return MacAddress.read(bytes, offset + SOURCE);
    }

    public int tagCount() {
        return tagCount;
    }

    /** Tag {@code index}, 0 being the outermost (the one right after the source address). */
    public VlanTag tag(int index) {
        if (index < 0 || index >= tagCount) {
            throw new IndexOutOfBoundsException("tag " + index + " of " + tagCount);
        }
        int at = offset + TYPE + index * VlanTag.LENGTH;
        return VlanTag.fromTci(BigEndian.u16(bytes, at), BigEndian.u16(bytes, at + 2));
    }

    /** The EtherType of the payload, after all tags. */
    public EtherType etherType() {
        return EtherType.valueOf(etherTypeValue());
    }

    public int etherTypeValue() {
        return BigEndian.u16(bytes, offset + TYPE + tagCount * VlanTag.LENGTH);
    }

    public int headerLength() {
        return HEADER_LENGTH + tagCount * VlanTag.LENGTH;
    }

    /** Offset of the payload in the underlying array. */
    public int payloadOffset() {
        return offset + headerLength();
    }

    /** Bytes after the header, including any padding the sender added. */
    public int payloadLength() {
        return length - headerLength();
    }

    public byte[] buffer() {
        return bytes;
    }
}
