package dev.stacklab.dissect;

import dev.stacklab.wire.BigEndian;

import java.util.List;

/**
 * The Linux cooked capture headers that {@code tcpdump -i any} writes in place of a link-layer header
 * (tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html and LINKTYPE_LINUX_SLL2.html): the packet's direction, the
 * link-layer address type and the sender's address, then the payload named by EtherType, as Wireshark 4.0 shows
 * them. The address columns show the sender's address and no destination (the header has none).
 */
final class SllDissector {
    /** Both versions share Wireshark's protocol name; the heading says which. */
    static final FieldDef SLL = FieldDef.protocol("sll", "Linux cooked capture");
    static final FieldDef PACKET_TYPE = FieldDef.uint("sll.pkttype", "Packet type", SllDissector::packetTypeName);
    static final FieldDef ADDRESS_TYPE = FieldDef.uint("sll.hatype", "Link-layer address type", SllDissector::addressTypeName);
    static final FieldDef ADDRESS_LENGTH = FieldDef.uint("sll.halen", "Link-layer address length");
    static final FieldDef SOURCE = FieldDef.mac("sll.src.eth", "Source");
    static final FieldDef SOURCE_OTHER = FieldDef.bytes("sll.src.other", "Source");
    static final FieldDef UNUSED = FieldDef.bytes("sll.unused", "Unused");
    static final FieldDef PROTOCOL = FieldDef.hex("sll.etype", "Protocol", 4, EtherTypeNames::name);
    static final FieldDef INTERFACE_INDEX = FieldDef.uint("sll.ifindex", "Interface index");

    static final List<FieldDef> FIELDS = List.of(SLL, PACKET_TYPE, ADDRESS_TYPE, ADDRESS_LENGTH, SOURCE, SOURCE_OTHER, UNUSED, PROTOCOL,
            INTERFACE_INDEX);

    static final int V1_HEADER_LENGTH = 16;
    static final int V2_HEADER_LENGTH = 20;
    /** Room for the link-layer address in both headers. */
    private static final int ADDRESS_ROOM = 8;
    private static final int ADDRESS_TYPE_ETHERNET = 1;
    private static final int ADDRESS_TYPE_LOOPBACK = 772;
    private static final int MAC_LENGTH = 6;

    private SllDissector() {
    }

    /** Version 1: packet type, address type, address length, address (8 bytes), protocol. */
    static void dissectV1(DissectionContext ctx, FieldNode parent, int length) {
        ctx.setProtocol("SLL");
        ctx.setInfo();
        if (length < V1_HEADER_LENGTH) {
            ctx.malformed("Linux cooked capture v1: " + length + " bytes, shorter than the 16-byte header", length);
            return;
        }
        byte[] data = ctx.data;
        FieldNode sll = ctx.add(parent, SLL, 0, V1_HEADER_LENGTH);
        if (sll != null) {
            sll.text("Linux cooked capture v1");
        }
        ctx.add(sll, PACKET_TYPE, 0, 2, BigEndian.u16(data, 0));
        int addressType = BigEndian.u16(data, 2);
        ctx.add(sll, ADDRESS_TYPE, 2, 2, addressType);
        int addressLength = BigEndian.u16(data, 4);
        ctx.add(sll, ADDRESS_LENGTH, 4, 2, addressLength);
        addAddress(ctx, sll, 6, addressType, addressLength);
        int type = BigEndian.u16(data, 14);
        EthernetDissector.etherTypeNode(ctx, sll, PROTOCOL, 14, type);
        EthernetDissector.dissectPayload(ctx, parent, type, V1_HEADER_LENGTH, length - V1_HEADER_LENGTH);
    }

    /** Version 2: protocol, reserved, interface index, address type, packet type, address length, address (8 bytes). */
    static void dissectV2(DissectionContext ctx, FieldNode parent, int length) {
        ctx.setProtocol("SLL");
        ctx.setInfo();
        if (length < V2_HEADER_LENGTH) {
            ctx.malformed("Linux cooked capture v2: " + length + " bytes, shorter than the 20-byte header", length);
            return;
        }
        byte[] data = ctx.data;
        FieldNode sll = ctx.add(parent, SLL, 0, V2_HEADER_LENGTH);
        if (sll != null) {
            sll.text("Linux cooked capture v2");
        }
        int type = BigEndian.u16(data, 0);
        EthernetDissector.etherTypeNode(ctx, sll, PROTOCOL, 0, type);
        ctx.add(sll, INTERFACE_INDEX, 4, 4, BigEndian.u32(data, 4));
        int addressType = BigEndian.u16(data, 8);
        ctx.add(sll, ADDRESS_TYPE, 8, 2, addressType);
        ctx.add(sll, PACKET_TYPE, 10, 1, BigEndian.u8(data, 10));
        int addressLength = BigEndian.u8(data, 11);
        ctx.add(sll, ADDRESS_LENGTH, 11, 1, addressLength);
        addAddress(ctx, sll, 12, addressType, addressLength);
        EthernetDissector.dissectPayload(ctx, parent, type, V2_HEADER_LENGTH, length - V2_HEADER_LENGTH);
    }

    /** The sender's address (a MAC address for Ethernet and loopback), then the unused rest of the 8 bytes. */
    private static void addAddress(DissectionContext ctx, FieldNode sll, int at, int addressType, int addressLength) {
        int shown = Math.min(addressLength, ADDRESS_ROOM);
        if (shown == MAC_LENGTH && (addressType == ADDRESS_TYPE_ETHERNET || addressType == ADDRESS_TYPE_LOOPBACK)) {
            long mac = BigEndian.u48(ctx.data, at);
            FieldNode source = ctx.add(sll, SOURCE, at, MAC_LENGTH, mac);
            if (source != null) {
                source.text(node -> "Source: " + EthernetDissector.display(node.value()));
            }
            ctx.setAddresses(EthernetDissector.resolvedName(mac), "");
        } else if (shown > 0) {
            ctx.addBytes(sll, SOURCE_OTHER, at, shown);
        }
        if (shown < ADDRESS_ROOM) {
            ctx.addBytes(sll, UNUSED, at + shown, ADDRESS_ROOM - shown);
        }
    }

    static String packetTypeName(long type) {
        return switch ((int) type) {
            case 0 -> "Unicast to us";
            case 1 -> "Broadcast";
            case 2 -> "Multicast";
            case 3 -> "Unicast to another host";
            case 4 -> "Sent by us";
            default -> null;
        };
    }

    static String addressTypeName(long type) {
        return switch ((int) type) {
            case ADDRESS_TYPE_ETHERNET -> "Ethernet";
            case ADDRESS_TYPE_LOOPBACK -> "Loopback";
            case 778 -> "IP GRE";
            case 65534 -> "No header";
            default -> null;
        };
    }
}
