package dev.stacklab.wire;

import java.util.Arrays;

/**
 * The meaning of an ARP packet. Ethernet/IPv4 packets, the only ones an IPv4 host on Ethernet
 * exchanges, get typed addresses; any other combination is kept as opaque address bytes so that it
 * still parses and emits byte for byte.
 */
public sealed interface ArpRepr permits ArpRepr.EthernetIpv4, ArpRepr.Generic {

    int operation();

    int bufferLength();

    /** Writes the packet at {@code offset}. */
    void emit(byte[] buffer, int offset);

    static ArpRepr parse(ArpPacket packet) {
        byte[] bytes = packet.buffer();
        if (packet.isEthernetIpv4()) {
            return new EthernetIpv4(packet.operation(),
                    MacAddress.read(bytes, packet.senderHardwareOffset()), Ipv4Address.read(bytes, packet.senderProtocolOffset()),
                    MacAddress.read(bytes, packet.targetHardwareOffset()), Ipv4Address.read(bytes, packet.targetProtocolOffset()));
        }
        int hw = packet.hardwareLength();
        int proto = packet.protocolLength();
        return new Generic(packet.hardwareType(), packet.protocolType(), packet.operation(),
                Arrays.copyOfRange(bytes, packet.senderHardwareOffset(), packet.senderHardwareOffset() + hw),
                Arrays.copyOfRange(bytes, packet.senderProtocolOffset(), packet.senderProtocolOffset() + proto),
                Arrays.copyOfRange(bytes, packet.targetHardwareOffset(), packet.targetHardwareOffset() + hw),
                Arrays.copyOfRange(bytes, packet.targetProtocolOffset(), packet.targetProtocolOffset() + proto));
    }

    private static void emitFixed(byte[] buffer, int offset, int hardwareType, int protocolType, int hardwareLength,
                                  int protocolLength, int operation) {
        BigEndian.putU16(buffer, offset + ArpPacket.HARDWARE_TYPE, hardwareType);
        BigEndian.putU16(buffer, offset + ArpPacket.PROTOCOL_TYPE, protocolType);
        BigEndian.putU8(buffer, offset + ArpPacket.HARDWARE_LENGTH, hardwareLength);
        BigEndian.putU8(buffer, offset + ArpPacket.PROTOCOL_LENGTH, protocolLength);
        BigEndian.putU16(buffer, offset + ArpPacket.OPERATION, operation);
    }

    /** ARP for IPv4 over Ethernet: 28 bytes. */
    record EthernetIpv4(int operation, MacAddress senderHardwareAddress, Ipv4Address senderProtocolAddress,
                        MacAddress targetHardwareAddress, Ipv4Address targetProtocolAddress) implements ArpRepr {
        public static final int LENGTH = ArpPacket.packetLength(6, 4);

        public EthernetIpv4 {
            checkOperation(operation);
        }

        /** "Who has {@code target}? Tell {@code sender}": the target hardware address is unknown, so zero (RFC 826). */
        public static EthernetIpv4 request(MacAddress senderMac, Ipv4Address senderIp, Ipv4Address targetIp) {
            return new EthernetIpv4(ArpPacket.OPERATION_REQUEST, senderMac, senderIp, MacAddress.ZERO, targetIp);
        }

        /** The answer to {@code request}, from the host that owns its target address. */
        public static EthernetIpv4 reply(EthernetIpv4 request, MacAddress ownMac) {
            return new EthernetIpv4(ArpPacket.OPERATION_REPLY, ownMac, request.targetProtocolAddress,
                    request.senderHardwareAddress, request.senderProtocolAddress);
        }

        @Override
        public int bufferLength() {
            return LENGTH;
        }

        @Override
        public void emit(byte[] buffer, int offset) {
            emitFixed(buffer, offset, ArpPacket.HARDWARE_ETHERNET, EtherType.IPV4.value(), 6, 4, operation);
            senderHardwareAddress.write(buffer, offset + 8);
            senderProtocolAddress.write(buffer, offset + 14);
            targetHardwareAddress.write(buffer, offset + 18);
            targetProtocolAddress.write(buffer, offset + 24);
        }
    }

    /**
     * Any other hardware/protocol combination, addresses kept as bytes. The arrays are owned by the
     * record: copied in, and handed out only as copies.
     */
    record Generic(int hardwareType, EtherType protocolType, int operation, byte[] senderHardwareAddress,
                   byte[] senderProtocolAddress, byte[] targetHardwareAddress, byte[] targetProtocolAddress) implements ArpRepr {

        public Generic {
            checkOperation(operation);
            if (hardwareType < 0 || hardwareType > 0xFFFF) {
                throw new IllegalArgumentException("hardware type out of range: " + hardwareType);
            }
            if (senderHardwareAddress.length != targetHardwareAddress.length || senderHardwareAddress.length > 0xFF) {
                throw new IllegalArgumentException("hardware addresses must have one length of at most 255 bytes");
            }
            if (senderProtocolAddress.length != targetProtocolAddress.length || senderProtocolAddress.length > 0xFF) {
                throw new IllegalArgumentException("protocol addresses must have one length of at most 255 bytes");
            }
            senderHardwareAddress = senderHardwareAddress.clone();
            senderProtocolAddress = senderProtocolAddress.clone();
            targetHardwareAddress = targetHardwareAddress.clone();
            targetProtocolAddress = targetProtocolAddress.clone();
        }

        @Override
        public byte[] senderHardwareAddress() {
            return senderHardwareAddress.clone();
        }

        @Override
        public byte[] senderProtocolAddress() {
            return senderProtocolAddress.clone();
        }

        @Override
        public byte[] targetHardwareAddress() {
            return targetHardwareAddress.clone();
        }

        @Override
        public byte[] targetProtocolAddress() {
            return targetProtocolAddress.clone();
        }

        @Override
        public int bufferLength() {
            return ArpPacket.packetLength(senderHardwareAddress.length, senderProtocolAddress.length);
        }

        @Override
        public void emit(byte[] buffer, int offset) {
            int hw = senderHardwareAddress.length;
            int proto = senderProtocolAddress.length;
            emitFixed(buffer, offset, hardwareType, protocolType.value(), hw, proto, operation);
            int at = offset + ArpPacket.ADDRESSES;
            System.arraycopy(senderHardwareAddress, 0, buffer, at, hw);
            System.arraycopy(senderProtocolAddress, 0, buffer, at + hw, proto);
            System.arraycopy(targetHardwareAddress, 0, buffer, at + hw + proto, hw);
            System.arraycopy(targetProtocolAddress, 0, buffer, at + 2 * hw + proto, proto);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Generic g && hardwareType == g.hardwareType && protocolType.equals(g.protocolType)
                    && operation == g.operation && Arrays.equals(senderHardwareAddress, g.senderHardwareAddress)
                    && Arrays.equals(senderProtocolAddress, g.senderProtocolAddress)
                    && Arrays.equals(targetHardwareAddress, g.targetHardwareAddress)
                    && Arrays.equals(targetProtocolAddress, g.targetProtocolAddress);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * hardwareType + operation) + Arrays.hashCode(senderProtocolAddress);
        }

        @Override
        public String toString() {
            return "Generic[hardwareType=" + hardwareType + ", protocolType=" + protocolType + ", operation=" + operation
                    + ", senderHardwareAddress=" + java.util.HexFormat.of().formatHex(senderHardwareAddress)
                    + ", senderProtocolAddress=" + java.util.HexFormat.of().formatHex(senderProtocolAddress)
                    + ", targetHardwareAddress=" + java.util.HexFormat.of().formatHex(targetHardwareAddress)
                    + ", targetProtocolAddress=" + java.util.HexFormat.of().formatHex(targetProtocolAddress) + "]";
        }
    }

    private static void checkOperation(int operation) {
        if (operation < 0 || operation > 0xFFFF) {
            throw new IllegalArgumentException("ARP operation out of range: " + operation);
        }
    }
}
