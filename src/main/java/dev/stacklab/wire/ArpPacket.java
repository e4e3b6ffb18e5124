package dev.stacklab.wire;

/**
 * A view over an ARP packet (RFC 826). The fixed part says how long the addresses are; the four
 * addresses follow in the order sender hardware, sender protocol, target hardware, target protocol.
 * Any hardware and protocol type is accepted as long as the bytes for its addresses are present.
 */
public final class ArpPacket {
    // Layout (RFC 826 "Packet format"), offsets from the start of the packet.
    public static final int HARDWARE_TYPE = 0;
    public static final int PROTOCOL_TYPE = 2;
    public static final int HARDWARE_LENGTH = 4;
    public static final int PROTOCOL_LENGTH = 5;
    public static final int OPERATION = 6;
    /** Sender hardware address; the other addresses follow at offsets that depend on the lengths. */
    public static final int ADDRESSES = 8;

    /** Hardware type for Ethernet (IANA "Hardware Types"). */
    public static final int HARDWARE_ETHERNET = 1;
    public static final int OPERATION_REQUEST = 1;
    public static final int OPERATION_REPLY = 2;

    private final byte[] bytes;
    private final int offset;
    private final int hardwareLength;
    private final int protocolLength;

    private ArpPacket(byte[] bytes, int offset, int hardwareLength, int protocolLength) {
        this.bytes = bytes;
        this.offset = offset;
        this.hardwareLength = hardwareLength;
        this.protocolLength = protocolLength;
    }

    /** Wraps the packet, checking that the fixed part and all four addresses are present; extra bytes (padding) are ignored. */
    public static ArpPacket wrapChecked(byte[] bytes, int offset, int length) throws MalformedPacketException {
        if (offset < 0 || length < 0 || offset + length > bytes.length) {
            throw new MalformedPacketException("ARP", "arp", offset, "range outside the " + bytes.length + "-byte buffer");
        }
        if (length < ADDRESSES) {
            throw new MalformedPacketException("ARP", "arp.opcode", offset + Math.min(length, OPERATION),
                    length + " bytes, fewer than the 8-byte fixed part");
        }
        int hardwareLength = BigEndian.u8(bytes, offset + HARDWARE_LENGTH);
        int protocolLength = BigEndian.u8(bytes, offset + PROTOCOL_LENGTH);
        int needed = packetLength(hardwareLength, protocolLength);
        if (needed > length) {
            throw new MalformedPacketException("ARP", "arp.dst.proto", offset + length,
                    "addresses need " + needed + " bytes, only " + length + " present");
        }
        return new ArpPacket(bytes, offset, hardwareLength, protocolLength);
    }

    /** Length of a packet whose addresses have these lengths. */
    public static int packetLength(int hardwareLength, int protocolLength) {
        return ADDRESSES + 2 * hardwareLength + 2 * protocolLength;
    }

    public int hardwareType() {
        return BigEndian.u16(bytes, offset + HARDWARE_TYPE);
    }

    /** The protocol type is an EtherType (RFC 826). */
    public EtherType protocolType() {
        return EtherType.valueOf(BigEndian.u16(bytes, offset + PROTOCOL_TYPE));
    }

    public int hardwareLength() {
        return hardwareLength;
    }

    public int protocolLength() {
        return protocolLength;
    }

    public int operation() {
        return BigEndian.u16(bytes, offset + OPERATION);
    }

    public int senderHardwareOffset() {
        return offset + ADDRESSES;
    }

    public int senderProtocolOffset() {
        return senderHardwareOffset() + hardwareLength;
    }

    public int targetHardwareOffset() {
        return senderProtocolOffset() + protocolLength;
    }

    public int targetProtocolOffset() {
        return targetHardwareOffset() + hardwareLength;
    }

    /** Bytes the packet occupies, without any padding after it. */
    public int packetLength() {
        return packetLength(hardwareLength, protocolLength);
    }

    /** True for the combination stacklab speaks: Ethernet hardware with 6-byte addresses, IPv4 with 4-byte ones. */
    public boolean isEthernetIpv4() {
        return hardwareType() == HARDWARE_ETHERNET && hardwareLength == 6
                && protocolType().value() == EtherType.IPV4.value() && protocolLength == 4;
    }

    public byte[] buffer() {
        return bytes;
    }
}
