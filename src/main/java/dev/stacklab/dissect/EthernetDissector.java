package dev.stacklab.dissect;

import dev.stacklab.wire.BigEndian;
import dev.stacklab.wire.EthernetFrame;
import dev.stacklab.wire.MacAddress;
import dev.stacklab.wire.MalformedPacketException;
import dev.stacklab.wire.VlanTag;

import java.util.List;

/**
 * Ethernet II with any stack of 802.1Q ({@code vlan}) and 802.1ad ({@code ieee8021ad}) tags, as
 * tshark 4.0 shows them, then the payload by EtherType: ARP, IPv4, or data. Bytes after what the
 * payload's protocol claims become {@code eth.padding} (zeros up to the 60-byte minimum) and a
 * trailer, by Wireshark's rule.
 */
final class EthernetDissector {
    static final FieldDef ETH = FieldDef.protocol("eth", "Ethernet II");
    static final FieldDef DST = FieldDef.mac("eth.dst", "Destination");
    static final FieldDef DST_RESOLVED = FieldDef.string("eth.dst_resolved", "Destination (resolved)");
    static final FieldDef DST_OUI = FieldDef.uint("eth.dst.oui", "Destination OUI");
    static final FieldDef SRC = FieldDef.mac("eth.src", "Source");
    static final FieldDef SRC_RESOLVED = FieldDef.string("eth.src_resolved", "Source (resolved)");
    static final FieldDef SRC_OUI = FieldDef.uint("eth.src.oui", "Source OUI");
    static final FieldDef ADDR = FieldDef.mac("eth.addr", "Address");
    static final FieldDef ADDR_RESOLVED = FieldDef.string("eth.addr_resolved", "Address (resolved)");
    static final FieldDef ADDR_OUI = FieldDef.uint("eth.addr.oui", "Address OUI");
    private static final String LG_GLOBAL = "Globally unique address (factory default)";
    private static final String LG_LOCAL = "Locally administered address (this is NOT the factory default)";
    private static final String IG_GROUP = "Group address (multicast/broadcast)";
    private static final String IG_INDIVIDUAL = "Individual address (unicast)";
    static final FieldDef DST_LG = FieldDef.flag("eth.dst.lg", "LG bit", 24, 0x020000, LG_LOCAL, LG_GLOBAL);
    static final FieldDef DST_IG = FieldDef.flag("eth.dst.ig", "IG bit", 24, 0x010000, IG_GROUP, IG_INDIVIDUAL);
    static final FieldDef SRC_LG = FieldDef.flag("eth.src.lg", "LG bit", 24, 0x020000, LG_LOCAL, LG_GLOBAL);
    static final FieldDef SRC_IG = FieldDef.flag("eth.src.ig", "IG bit", 24, 0x010000, IG_GROUP, IG_INDIVIDUAL);
    static final FieldDef LG = FieldDef.flag("eth.lg", "LG bit", 24, 0x020000, LG_LOCAL, LG_GLOBAL);
    static final FieldDef IG = FieldDef.flag("eth.ig", "IG bit", 24, 0x010000, IG_GROUP, IG_INDIVIDUAL);
    static final FieldDef LENGTH = FieldDef.uint("eth.len", "Length");
    static final FieldDef TYPE = FieldDef.hex("eth.type", "Type", 4, EtherTypeNames::name);
    static final FieldDef PADDING = FieldDef.bytes("eth.padding", "Padding");
    static final FieldDef TRAILER = FieldDef.bytes("eth.trailer", "Trailer");

    static final FieldDef VLAN = FieldDef.protocol("vlan", "802.1Q Virtual LAN");
    static final FieldDef VLAN_PRIORITY = FieldDef.bits("vlan.priority", "Priority", 16, 0xE000, EthernetDissector::priorityName);
    static final FieldDef VLAN_DEI = FieldDef.flag("vlan.dei", "DEI", 16, 0x1000, "Eligible", "Ineligible");
    static final FieldDef VLAN_ID = FieldDef.bits("vlan.id", "ID", 16, 0x0FFF);
    static final FieldDef VLAN_ETYPE = FieldDef.hex("vlan.etype", "Type", 4, EtherTypeNames::name);
    static final FieldDef VLAN_TRAILER = FieldDef.bytes("vlan.trailer", "Trailer");

    static final FieldDef SERVICE_TAG = FieldDef.protocol("ieee8021ad", "IEEE 802.1ad");
    static final FieldDef SERVICE_PRIORITY = FieldDef.bits("ieee8021ad.priority", "Priority", 16, 0xE000);
    static final FieldDef SERVICE_DEI = FieldDef.bits("ieee8021ad.dei", "DEI", 16, 0x1000);
    static final FieldDef SERVICE_ID = FieldDef.bits("ieee8021ad.id", "ID", 16, 0x0FFF);
    static final FieldDef SERVICE_ETYPE = FieldDef.hex("ieee8021ah.etype", "Type", 4, EtherTypeNames::name);

    static final List<FieldDef> FIELDS = List.of(ETH, DST, DST_RESOLVED, DST_OUI, SRC, SRC_RESOLVED, SRC_OUI, ADDR,
            ADDR_RESOLVED, ADDR_OUI, DST_LG, DST_IG, SRC_LG, SRC_IG, LG, IG, LENGTH, TYPE, PADDING, TRAILER,
            VLAN, VLAN_PRIORITY, VLAN_DEI, VLAN_ID, VLAN_ETYPE, VLAN_TRAILER,
            SERVICE_TAG, SERVICE_PRIORITY, SERVICE_DEI, SERVICE_ID, SERVICE_ETYPE);

    private static final int ETHER_TYPE_IPV4 = 0x0800;
    private static final int ETHER_TYPE_IPV6 = 0x86DD;
    private static final int ETHER_TYPE_ARP = 0x0806;
    private static final int TPID_CUSTOMER = 0x8100;
    private static final int TPID_SERVICE = 0x88A8;

    /** "Destination: Broadcast (ff:ff:ff:ff:ff:ff)", built when shown (see NodeText). */
    private static final NodeText MAC_LINE = node -> node.def().label() + ": " + display(node.value());

    private EthernetDissector() {
    }

    static void dissect(DissectionContext ctx, FieldNode parent, int offset, int length) {
        byte[] data = ctx.data;
        int end = offset + length;
        ctx.setProtocol("Ethernet");
        ctx.setInfo();
        if (length < EthernetFrame.HEADER_LENGTH) {
            // Wireshark checks the header length before adding any field, but has already set the columns.
            if (length >= 12) {
                ctx.setMacAddresses(BigEndian.u48(data, offset + EthernetFrame.SOURCE),
                        BigEndian.u48(data, offset + EthernetFrame.DESTINATION));
            }
            ctx.malformed(problem(data, offset, length));
            return;
        }
        FieldNode eth = ctx.add(parent, ETH, offset, EthernetFrame.HEADER_LENGTH);
        long destination = BigEndian.u48(data, offset + EthernetFrame.DESTINATION);
        long source = BigEndian.u48(data, offset + EthernetFrame.SOURCE);
        ctx.setMacAddresses(source, destination);
        addAddresses(ctx, eth, offset, destination, source);
        int type = BigEndian.u16(data, offset + EthernetFrame.TYPE);
        if (type < EthernetFrame.MIN_ETHER_TYPE) {
            dissectIeee8023(ctx, parent, eth, offset, length, type);
            return;
        }
        etherTypeNode(ctx, eth, TYPE, offset + EthernetFrame.TYPE, type);
        ctx.setInfo().append("Ethernet II");

        // Tags, outermost first: each layer hands its EtherType to the next, as in Wireshark.
        int at = offset + EthernetFrame.HEADER_LENGTH;
        FieldNode trailerTree = eth;
        FieldDef trailerDef = TRAILER;
        while (type == TPID_CUSTOMER || type == TPID_SERVICE) {
            boolean service = type == TPID_SERVICE;
            FieldNode tag = ctx.add(parent, service ? SERVICE_TAG : VLAN, at, Math.min(VlanTag.LENGTH, end - at));
            if (!service) {
                ctx.setProtocol("VLAN");
                ctx.setInfo();
            }
            if (at + 2 > end) {
                ctx.malformed(problem(data, offset, length));
                return;
            }
            int tci = BigEndian.u16(data, at);
            int priority = tci >>> 13;
            int dropEligible = (tci >>> 12) & 1;
            int vlanId = tci & 0x0FFF;
            if (tag != null) {
                tag.text(service ? "IEEE 802.1ad, ID: " + vlanId
                        : "802.1Q Virtual LAN, PRI: " + priority + ", DEI: " + dropEligible + ", ID: " + vlanId);
                ctx.add(tag, service ? SERVICE_PRIORITY : VLAN_PRIORITY, at, 2, priority);
                ctx.add(tag, service ? SERVICE_DEI : VLAN_DEI, at, 2, dropEligible);
                ctx.add(tag, service ? SERVICE_ID : VLAN_ID, at, 2, vlanId);
            }
            if (!service) {
                ctx.setInfo().append("PRI: ").append(priority).append("  DEI: ").append(dropEligible)
                        .append("  ID: ").append(vlanId);
            }
            if (at + VlanTag.LENGTH > end) {
                ctx.malformed(problem(data, offset, length));
                return;
            }
            type = BigEndian.u16(data, at + 2);
            etherTypeNode(ctx, tag, service ? SERVICE_ETYPE : VLAN_ETYPE, at + 2, type);
            at += VlanTag.LENGTH;
            trailerTree = tag;
            trailerDef = service ? TRAILER : VLAN_TRAILER;
        }

        int claimed = dissectPayload(ctx, parent, type, at, end - at);
        addPaddingAndTrailer(ctx, trailerTree, trailerDef, at + claimed, end);
    }

    /**
     * An IEEE 802.3 frame: the type field is the length of an LLC payload (IEEE 802.3 clause 3.2.6).
     * stacklab does not dissect LLC; the payload is shown as data, and what follows the announced
     * length is padding and trailer as for Ethernet II.
     */
    private static void dissectIeee8023(DissectionContext ctx, FieldNode parent, FieldNode eth, int offset, int length, int dataLength) {
        if (eth != null) {
            eth.text(eth.displayLine().replace("Ethernet II", "IEEE 802.3 Ethernet"));
        }
        ctx.add(eth, LENGTH, offset + EthernetFrame.TYPE, 2, dataLength);
        int at = offset + EthernetFrame.HEADER_LENGTH;
        int claimed = Math.min(dataLength, offset + length - at);
        DataDissector.dissect(ctx, parent, at, claimed);
        addPaddingAndTrailer(ctx, eth, TRAILER, at + claimed, offset + length);
        if (dataLength > claimed) {
            ctx.malformed(new MalformedPacketException("Ethernet", "eth.len", offset + EthernetFrame.TYPE,
                    "length " + dataLength + " goes past the end of the frame"));
        }
    }

    /**
     * Wireshark's {@code add_ethernet_trailer}: in a frame of at least 60 bytes, the bytes that
     * bring it up to 60 are padding if they are all zero; anything after that (or everything, when
     * the padding is not zeros) is a trailer.
     */
    private static void addPaddingAndTrailer(DissectionContext ctx, FieldNode tree, FieldDef trailerDef, int payloadEnd, int end) {
        if (tree == null || payloadEnd >= end) {
            return;
        }
        byte[] data = ctx.data;
        int captured = end - payloadEnd;
        int reported = ctx.originalLength - payloadEnd;
        int padding = 0;
        if (ctx.originalLength >= EthernetFrame.MINIMUM_LENGTH && ctx.originalLength - reported < EthernetFrame.MINIMUM_LENGTH) {
            padding = EthernetFrame.MINIMUM_LENGTH - (ctx.originalLength - reported);
            if (padding > captured) {
                padding = 0;
            }
            for (int i = 0; i < padding; i++) {
                if (data[payloadEnd + i] != 0) {
                    padding = 0;
                    break;
                }
            }
        }
        if (padding > 0) {
            ctx.addBytes(tree, PADDING, payloadEnd, padding).text("Padding: " + hexOf(data, payloadEnd, padding));
        }
        if (captured > padding) {
            ctx.addBytes(tree, trailerDef, payloadEnd + padding, captured - padding)
                    .text("Trailer: " + hexOf(data, payloadEnd + padding, captured - padding));
        }
    }

    private static void addAddresses(DissectionContext ctx, FieldNode eth, int offset, long destination, long source) {
        if (eth == null) {
            return;
        }
        eth.text(node -> "Ethernet II, Src: " + display(source) + ", Dst: " + display(destination));
        addAddress(ctx, eth, offset + EthernetFrame.DESTINATION, destination, DST, DST_RESOLVED, DST_OUI, DST_LG, DST_IG);
        addAddress(ctx, eth, offset + EthernetFrame.SOURCE, source, SRC, SRC_RESOLVED, SRC_OUI, SRC_LG, SRC_IG);
    }

    private static void addAddress(DissectionContext ctx, FieldNode eth, int at, long mac, FieldDef def,
                                   FieldDef resolvedDef, FieldDef ouiDef, FieldDef lgDef, FieldDef igDef) {
        String resolved = ctx.session.addressTexts.macName(mac);
        long oui = mac >>> 24;
        long lg = (mac >>> 41) & 1;
        long ig = (mac >>> 40) & 1;
        FieldNode node = ctx.add(eth, def, at, 6, mac).text(MAC_LINE);
        if (def == SRC && ig == 1) {
            // A frame comes from one station: a group (multicast or broadcast) source is an error on the wire.
            ctx.addExpert(node, at, 6, "Warning/Protocol", "Source MAC must not be a group address: IEEE 802.3-2002, Section 3.2.3(b)");
        }
        ctx.addString(node, resolvedDef, at, 6, resolved).hidden().generated();
        // Hidden nodes are never drawn, so they get no text of their own.
        ctx.add(node, ouiDef, at, 3, oui).hidden();
        ctx.add(node, ADDR, at, 6, mac).text(MAC_LINE);
        ctx.addString(node, ADDR_RESOLVED, at, 6, resolved).hidden().generated();
        ctx.add(node, ADDR_OUI, at, 3, oui).hidden();
        ctx.add(node, lgDef, at, 3, lg);
        ctx.add(node, LG, at, 3, lg).hidden();
        ctx.add(node, igDef, at, 3, ig);
        ctx.add(node, IG, at, 3, ig).hidden();
    }

    /**
     * The protocol an EtherType names, at {@code at}; returns how many of the {@code length} bytes it claims (the rest
     * is padding or trailer). Also used by the Linux cooked capture headers, which name their payload the same way.
     */
    static int dissectPayload(DissectionContext ctx, FieldNode parent, int type, int at, int length) {
        byte[] data = ctx.data;
        switch (type) {
            case ETHER_TYPE_ARP -> {
                ArpDissector.dissect(ctx, parent, at, length);
                return ArpDissector.claimedLength(data, at, length);
            }
            case ETHER_TYPE_IPV4 -> {
                Ipv4Dissector.dissect(ctx, parent, at, length);
                return Ipv4Dissector.claimedLength(data, at, length);
            }
            case ETHER_TYPE_IPV6 -> {
                Ipv6Dissector.dissect(ctx, parent, at, length);
                return Ipv6Dissector.claimedLength(data, at, length);
            }
            default -> {
                DataDissector.dissect(ctx, parent, at, length);
                // Wireshark labels a payload it cannot dissect with its EtherType.
                ctx.setProtocol(hex4(type));
                String name = EtherTypeNames.name(type);
                if (name != null) {
                    ctx.setInfo().append(name);
                }
                return length;
            }
        }
    }

    static void etherTypeNode(DissectionContext ctx, FieldNode tree, FieldDef def, int at, int type) {
        FieldNode node = ctx.add(tree, def, at, 2, type);
        if (node != null && EtherTypeNames.name(type) == null) {
            node.text(def.label() + ": Unknown (" + hex4(type) + ")");
        }
    }

    /**
     * How Wireshark names an address: from its manuf and wka tables where they name it ({@link MacNameTable}),
     * else the address itself.
     */
    static String resolvedName(long mac) {
        String name = MacNameTable.installed().name(mac);
        return name != null ? name : new MacAddress(mac).toString();
    }

    /** "Broadcast (ff:ff:ff:ff:ff:ff)", as MAC addresses appear in tree lines. */
    static String display(long mac) {
        return resolvedName(mac) + " (" + new MacAddress(mac) + ")";
    }

    static String priorityName(long priority) {
        return switch ((int) priority) {
            case 0 -> "Best Effort (default)";
            case 1 -> "Background";
            case 2 -> "Excellent Effort";
            case 3 -> "Critical Applications";
            case 4 -> "Video, < 100ms latency and jitter";
            case 5 -> "Voice, < 10ms latency and jitter";
            case 6 -> "Internetwork Control";
            case 7 -> "Network Control";
            default -> null;
        };
    }

    static String hex4(int value) {
        char[] out = {'0', 'x', 0, 0, 0, 0};
        for (int i = 0; i < 4; i++) {
            out[5 - i] = Character.forDigit((value >>> (4 * i)) & 0xF, 16);
        }
        return new String(out);
    }

    static String hexOf(byte[] data, int offset, int length) {
        return new ByteSlice(data, offset, length).toHex();
    }

    /** The codec's own account of what is wrong with a frame that is too short. */
    private static MalformedPacketException problem(byte[] data, int offset, int length) {
        try {
            EthernetFrame.wrapChecked(data, offset, length);
            return new MalformedPacketException("Ethernet", "eth", offset, "frame ends early");
        } catch (MalformedPacketException e) {
            return e;
        }
    }
}
