package dev.stacklab.dissect;

import dev.stacklab.wire.ArpPacket;
import dev.stacklab.wire.BigEndian;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.MacAddress;
import dev.stacklab.wire.MalformedPacketException;

import java.util.List;

/**
 * ARP (RFC 826) and its relatives that share the packet format (RARP, DRARP, Inverse ARP), as
 * tshark 4.0 shows them: typed MAC and IPv4 addresses for Ethernet/IPv4, raw bytes otherwise, and
 * Wireshark's Info wording including gratuitous ARP, probes and announcements (RFC 5227).
 */
final class ArpDissector {
    static final FieldDef ARP = FieldDef.protocol("arp", "Address Resolution Protocol");
    static final FieldDef HW_TYPE = FieldDef.uint("arp.hw.type", "Hardware type", ArpDissector::hardwareTypeName);
    static final FieldDef PROTO_TYPE = FieldDef.hex("arp.proto.type", "Protocol type", 4, EtherTypeNames::name);
    static final FieldDef HW_SIZE = FieldDef.uint("arp.hw.size", "Hardware size");
    static final FieldDef PROTO_SIZE = FieldDef.uint("arp.proto.size", "Protocol size");
    static final FieldDef OPCODE = FieldDef.uint("arp.opcode", "Opcode", ArpDissector::opcodeName);
    static final FieldDef IS_GRATUITOUS = FieldDef.bool("arp.isgratuitous", "Is gratuitous");
    static final FieldDef IS_PROBE = FieldDef.bool("arp.isprobe", "Is probe");
    static final FieldDef IS_ANNOUNCEMENT = FieldDef.bool("arp.isannouncement", "Is announcement");
    static final FieldDef SRC_HW = FieldDef.bytes("arp.src.hw", "Sender hardware address");
    static final FieldDef SRC_HW_MAC = FieldDef.mac("arp.src.hw_mac", "Sender MAC address");
    static final FieldDef SRC_PROTO = FieldDef.bytes("arp.src.proto", "Sender protocol address");
    static final FieldDef SRC_PROTO_IPV4 = FieldDef.ipv4("arp.src.proto_ipv4", "Sender IP address");
    static final FieldDef DST_HW = FieldDef.bytes("arp.dst.hw", "Target hardware address");
    static final FieldDef DST_HW_MAC = FieldDef.mac("arp.dst.hw_mac", "Target MAC address");
    static final FieldDef DST_PROTO = FieldDef.bytes("arp.dst.proto", "Target protocol address");
    static final FieldDef DST_PROTO_IPV4 = FieldDef.ipv4("arp.dst.proto_ipv4", "Target IP address");

    static final FieldDef DRARP_ERROR_STATUS = FieldDef.uint("arp.dst.drarp_error_status", "DRARP error status");
    static final FieldDef DUPLICATE_ADDRESS = FieldDef.none("arp.duplicate-address-detected", "Duplicate IP address configured");
    static final FieldDef DUPLICATE_FRAME = FieldDef.frameNumber("arp.duplicate-address-frame", "Frame showing earlier use of IP address");
    static final FieldDef DUPLICATE_SECONDS = FieldDef.uint("arp.seconds-since-duplicate-address-frame", "Seconds since earlier frame seen");

    static final List<FieldDef> FIELDS = List.of(ARP, HW_TYPE, PROTO_TYPE, HW_SIZE, PROTO_SIZE, OPCODE, IS_GRATUITOUS,
            IS_PROBE, IS_ANNOUNCEMENT, SRC_HW, SRC_HW_MAC, SRC_PROTO, SRC_PROTO_IPV4, DST_HW, DST_HW_MAC, DST_PROTO,
            DST_PROTO_IPV4, DRARP_ERROR_STATUS, DUPLICATE_ADDRESS, DUPLICATE_FRAME, DUPLICATE_SECONDS);

    // Operation codes (IANA "ARP Operation Codes").
    private static final int REQUEST = 1;
    private static final int REPLY = 2;
    private static final int REVERSE_REQUEST = 3;
    private static final int REVERSE_REPLY = 4;
    private static final int DRARP_REQUEST = 5;
    private static final int DRARP_REPLY = 6;
    private static final int DRARP_ERROR = 7;
    private static final int INVERSE_REQUEST = 8;
    private static final int INVERSE_REPLY = 9;
    private static final int ARP_NAK = 10;
    // Hardware types whose 6-byte addresses Wireshark shows as MACs.
    private static final int HARDWARE_ETHERNET = 1;
    private static final int HARDWARE_IEEE_802 = 6;

    private ArpDissector() {
    }

    /** Bytes the packet occupies (what follows is Ethernet padding): the fixed part and four addresses. */
    static int claimedLength(byte[] data, int offset, int length) {
        if (length < ArpPacket.ADDRESSES) {
            return length;
        }
        int needed = ArpPacket.packetLength(data[offset + ArpPacket.HARDWARE_LENGTH] & 0xFF,
                data[offset + ArpPacket.PROTOCOL_LENGTH] & 0xFF);
        return Math.min(needed, length);
    }

    static void dissect(DissectionContext ctx, FieldNode parent, int offset, int length) {
        byte[] data = ctx.data;
        ctx.setProtocol("ARP");
        ctx.setInfo();
        int packetLength = claimedLength(data, offset, length);
        FieldNode arp = ctx.add(parent, ARP, offset, packetLength);
        // The fixed fields, each only if its bytes are there, as Wireshark adds them before it runs out.
        if (length >= 2) {
            int hardwareType = BigEndian.u16(data, offset + ArpPacket.HARDWARE_TYPE);
            FieldNode node = ctx.add(arp, HW_TYPE, offset + ArpPacket.HARDWARE_TYPE, 2, hardwareType);
            if (node != null && hardwareTypeName(hardwareType) == null) {
                node.text("Hardware type: Unknown (" + hardwareType + ")");
            }
        }
        if (length >= 4) {
            int protocolType = BigEndian.u16(data, offset + ArpPacket.PROTOCOL_TYPE);
            FieldNode node = ctx.add(arp, PROTO_TYPE, offset + ArpPacket.PROTOCOL_TYPE, 2, protocolType);
            if (node != null && EtherTypeNames.name(protocolType) == null) {
                node.text("Protocol type: Unknown (" + EthernetDissector.hex4(protocolType) + ")");
            }
        }
        if (length >= 5) {
            ctx.add(arp, HW_SIZE, offset + ArpPacket.HARDWARE_LENGTH, 1, data[offset + ArpPacket.HARDWARE_LENGTH] & 0xFF);
        }
        if (length >= 6) {
            ctx.add(arp, PROTO_SIZE, offset + ArpPacket.PROTOCOL_LENGTH, 1, data[offset + ArpPacket.PROTOCOL_LENGTH] & 0xFF);
        }
        ArpPacket packet;
        try {
            packet = ArpPacket.wrapChecked(data, offset, length);
        } catch (MalformedPacketException problem) {
            if (length >= 8) {
                int operation = BigEndian.u16(data, offset + ArpPacket.OPERATION);
                ctx.add(arp, OPCODE, offset + ArpPacket.OPERATION, 2, operation);
            }
            ctx.malformed(problem);
            return;
        }
        int hardwareType = packet.hardwareType();
        int protocolType = packet.protocolType().value();
        int hardwareLength = packet.hardwareLength();
        int protocolLength = packet.protocolLength();
        int operation = packet.operation();
        int sha = packet.senderHardwareOffset();
        int spa = packet.senderProtocolOffset();
        int tha = packet.targetHardwareOffset();
        int tpa = packet.targetProtocolOffset();
        boolean macs = (hardwareType == HARDWARE_ETHERNET || hardwareType == HARDWARE_IEEE_802) && hardwareLength == 6;
        boolean ipv4 = protocolType == 0x0800 && protocolLength == 4;

        // RFC 5227 section 2.1.1 and 3: a probe asks about an address with a zero sender address; an
        // announcement (or any gratuitous ARP) names the same address as sender and target.
        boolean gratuitous = false;
        boolean probe = false;
        boolean announcement = false;
        if (operation == REQUEST || operation == REPLY) {
            gratuitous = equalBytes(data, spa, tpa, protocolLength);
            if (operation == REQUEST) {
                boolean targetHardwareZero = allZero(data, tha, hardwareLength);
                announcement = gratuitous && targetHardwareZero;
                probe = !gratuitous && targetHardwareZero && allZero(data, spa, protocolLength);
            }
        }

        FieldNode opcode = ctx.add(arp, OPCODE, offset + ArpPacket.OPERATION, 2, operation);
        if (opcode != null) {
            if (opcodeName(operation) == null) {
                opcode.text("Opcode: Unknown (" + operation + ")");
            }
            String kind = packetKind(operation, gratuitous, probe, announcement);
            arp.text(node -> "Address Resolution Protocol (" + kind + ")");
            if (gratuitous) {
                ctx.add(arp, IS_GRATUITOUS, offset + ArpPacket.OPERATION, 0, 1).generated().text("Is gratuitous: True");
            }
            if (announcement) {
                ctx.add(arp, IS_ANNOUNCEMENT, offset + ArpPacket.OPERATION, 0, 1).generated().text("Is announcement: True");
            }
            if (probe) {
                ctx.add(arp, IS_PROBE, offset + ArpPacket.OPERATION, 0, 1).generated().text("Is probe: True");
            }
            addHardware(ctx, arp, macs, SRC_HW_MAC, SRC_HW, "Sender", sha, hardwareLength);
            addProtocol(ctx, arp, ipv4, SRC_PROTO_IPV4, SRC_PROTO, "Sender", spa, protocolLength);
            addHardware(ctx, arp, macs, DST_HW_MAC, DST_HW, "Target", tha, hardwareLength);
            if (operation == DRARP_ERROR) {
                // Wireshark reads the target protocol address of a DRARP error as its status, one byte.
                int status = data[tpa] & 0xFF;
                ctx.add(arp, DRARP_ERROR_STATUS, tpa, 1, status).text("DRARP error status: Unknown (" + status + ")");
            } else {
                addProtocol(ctx, arp, ipv4, DST_PROTO_IPV4, DST_PROTO, "Target", tpa, protocolLength);
            }
        }

        // Address conflicts: every request and reply says who holds its sender's address, a reply also who holds
        // its target's. Wireshark's Info names the conflict of the last address it checked: the target's in a reply.
        int conflictAddress = 0;
        boolean conflictInInfo = false;
        if (macs && ipv4 && (operation == REQUEST || operation == REPLY)) {
            int senderAddress = BigEndian.i32(data, spa);
            conflictInInfo = checkClaim(ctx, parent, offset, senderAddress, BigEndian.u48(data, sha));
            conflictAddress = senderAddress;
            if (operation == REPLY) {
                int targetAddress = BigEndian.i32(data, tpa);
                conflictInInfo = checkClaim(ctx, parent, offset, targetAddress, BigEndian.u48(data, tha));
                conflictAddress = targetAddress;
            }
        }

        ctx.setProtocol(protocolColumn(operation));
        StringBuilder info = ctx.setInfo();
        switch (operation) {
            case REQUEST -> {
                if (announcement) {
                    info.append("ARP Announcement for ");
                    appendProtocolAddress(info, data, tpa, protocolLength, ipv4);
                } else if (gratuitous) {
                    info.append("Gratuitous ARP for ");
                    appendProtocolAddress(info, data, tpa, protocolLength, ipv4);
                    info.append(" (Request)");
                } else if (probe) {
                    info.append("Who has ");
                    appendProtocolAddress(info, data, tpa, protocolLength, ipv4);
                    info.append("? (ARP Probe)");
                } else {
                    info.append("Who has ");
                    appendProtocolAddress(info, data, tpa, protocolLength, ipv4);
                    info.append("? Tell ");
                    appendProtocolAddress(info, data, spa, protocolLength, ipv4);
                }
            }
            case REPLY -> {
                if (gratuitous) {
                    info.append("Gratuitous ARP for ");
                    appendProtocolAddress(info, data, spa, protocolLength, ipv4);
                    info.append(" (Reply)");
                } else {
                    appendProtocolAddress(info, data, spa, protocolLength, ipv4);
                    info.append(" is at ");
                    appendHardwareAddress(info, data, sha, hardwareLength, macs);
                }
            }
            case REVERSE_REQUEST, DRARP_REQUEST, INVERSE_REQUEST -> {
                info.append("Who is ");
                appendHardwareAddress(info, data, tha, hardwareLength, macs);
                info.append("? Tell ");
                appendHardwareAddress(info, data, sha, hardwareLength, macs);
            }
            case REVERSE_REPLY, DRARP_REPLY -> {
                appendHardwareAddress(info, data, tha, hardwareLength, macs);
                info.append(" is at ");
                appendProtocolAddress(info, data, tpa, protocolLength, ipv4);
            }
            case INVERSE_REPLY -> {
                appendHardwareAddress(info, data, sha, hardwareLength, macs);
                info.append(" is at ");
                appendProtocolAddress(info, data, spa, protocolLength, ipv4);
            }
            case DRARP_ERROR -> info.append("DRARP Error");
            case ARP_NAK -> info.append("ARP NAK");
            case 0 -> info.append("Reserved opcode 0");
            default -> info.append("Unknown ARP opcode ").append(EthernetDissector.hex4(operation));
        }
        if (conflictInInfo) {
            info.append(" (duplicate use of ");
            appendDotted(info, conflictAddress);
            info.append(" detected!)");
        }
    }

    /**
     * Records that {@code mac} claims {@code address}; when another station claimed it first, adds the report
     * (beside the ARP tree, as Wireshark does) and says so.
     */
    private static boolean checkClaim(DissectionContext ctx, FieldNode parent, int offset, int address, long mac) {
        ArpAddressClaims.Claim earlier = ctx.session.arpAddressClaims.claim(address, mac, ctx.frameNumber, ctx.timestampNanos);
        if (earlier == null) {
            return false;
        }
        if (ctx.root != null) {
            String ip = new Ipv4Address(address).toString();
            FieldNode report = ctx.addText(parent, offset, 0, "Duplicate IP address detected for " + ip + " (" + new MacAddress(mac)
                    + ") - also in use by " + new MacAddress(earlier.mac()) + " (frame " + earlier.frame() + ")").generated();
            FieldNode frame = ctx.add(report, DUPLICATE_FRAME, offset, 0, earlier.frame()).generated();
            ctx.addExpert(frame, offset, 0, "Warning/Sequence", "Duplicate IP address configured (" + ip + ")", DUPLICATE_ADDRESS);
            long seconds = Math.floorDiv(ctx.timestampNanos, 1_000_000_000L) - earlier.epochSecond();
            ctx.add(report, DUPLICATE_SECONDS, offset, 0, seconds).generated();
        }
        return true;
    }

    private static void addHardware(DissectionContext ctx, FieldNode arp, boolean macs, FieldDef macDef, FieldDef bytesDef,
                                    String who, int at, int length) {
        if (length == 0) {
            // A zero-length address has no line in Wireshark's tree.
            return;
        }
        if (macs) {
            long mac = BigEndian.u48(ctx.data, at);
            ctx.add(arp, macDef, at, 6, mac).text(node -> who + " MAC address: " + EthernetDissector.display(node.value()));
        } else {
            ctx.addBytes(arp, bytesDef, at, length).text(who + " hardware address: " + EthernetDissector.hexOf(ctx.data, at, length));
        }
    }

    private static void addProtocol(DissectionContext ctx, FieldNode arp, boolean ipv4, FieldDef ipv4Def, FieldDef bytesDef,
                                    String who, int at, int length) {
        if (length == 0) {
            return;
        }
        if (ipv4) {
            ctx.add(arp, ipv4Def, at, 4, BigEndian.i32(ctx.data, at));
        } else {
            ctx.addBytes(arp, bytesDef, at, length).text(who + " protocol address: " + EthernetDissector.hexOf(ctx.data, at, length));
        }
    }

    private static void appendProtocolAddress(StringBuilder info, byte[] data, int at, int length, boolean ipv4) {
        if (ipv4) {
            appendDotted(info, BigEndian.i32(data, at));
        } else {
            appendHex(info, data, at, length);
        }
    }

    private static void appendHardwareAddress(StringBuilder info, byte[] data, int at, int length, boolean macs) {
        if (macs) {
            for (int i = 0; i < 6; i++) {
                if (i > 0) {
                    info.append(':');
                }
                int b = data[at + i] & 0xFF;
                info.append(Character.forDigit(b >>> 4, 16)).append(Character.forDigit(b & 0xF, 16));
            }
        } else {
            appendHex(info, data, at, length);
        }
    }

    private static void appendHex(StringBuilder info, byte[] data, int at, int length) {
        for (int i = 0; i < length; i++) {
            int b = data[at + i] & 0xFF;
            info.append(Character.forDigit(b >>> 4, 16)).append(Character.forDigit(b & 0xF, 16));
        }
    }

    /** Appends an IPv4 address in dotted form without allocating. */
    static void appendDotted(StringBuilder out, int bits) {
        out.append(bits >>> 24).append('.').append((bits >>> 16) & 0xFF).append('.').append((bits >>> 8) & 0xFF)
                .append('.').append(bits & 0xFF);
    }

    private static boolean equalBytes(byte[] data, int a, int b, int length) {
        for (int i = 0; i < length; i++) {
            if (data[a + i] != data[b + i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean allZero(byte[] data, int at, int length) {
        for (int i = 0; i < length; i++) {
            if (data[at + i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static String packetKind(int operation, boolean gratuitous, boolean probe, boolean announcement) {
        if (announcement) {
            return "ARP Announcement";
        }
        if (probe) {
            return "ARP Probe";
        }
        String name = opcodeName(operation);
        if (name == null) {
            return "opcode " + EthernetDissector.hex4(operation);
        }
        return gratuitous ? name + "/gratuitous ARP" : name;
    }

    private static String protocolColumn(int operation) {
        return switch (operation) {
            case REVERSE_REQUEST, REVERSE_REPLY -> "RARP";
            case DRARP_REQUEST, DRARP_REPLY, DRARP_ERROR -> "DRARP";
            case INVERSE_REQUEST, INVERSE_REPLY -> "Inverse ARP";
            default -> "ARP";
        };
    }

    static String opcodeName(long operation) {
        return switch ((int) operation) {
            case 0, 65535 -> "reserved";
            case 1 -> "request";
            case 2 -> "reply";
            case 3 -> "reverse request";
            case 4 -> "reverse reply";
            case 5 -> "drarp request";
            case 6 -> "drarp reply";
            case 7 -> "drarp error";
            case 8 -> "inverse request";
            case 9 -> "inverse reply";
            case 10 -> "arp nak";
            case 11 -> "mars request";
            case 12 -> "mars multi";
            case 13 -> "mars mserv";
            case 14 -> "mars join";
            case 15 -> "mars leave";
            case 16 -> "mars nak";
            case 17 -> "mars unserv";
            case 18 -> "mars sjoin";
            case 19 -> "mars sleave";
            case 20 -> "mars grouplist request";
            case 21 -> "mars grouplist reply";
            case 22 -> "mars redirect map";
            case 23 -> "mapos unarp";
            case 24 -> "experimental 1";
            case 25 -> "experimental 2";
            default -> null;
        };
    }

    /** Wireshark's names for ARP hardware types (tshark 4.0.17 {@code -G values} for {@code arp.hw.type}). */
    static String hardwareTypeName(long type) {
        return switch ((int) type) {
            case 0 -> "NET/ROM pseudo";
            case 1 -> "Ethernet";
            case 2 -> "Experimental Ethernet";
            case 3 -> "AX.25";
            case 4 -> "ProNET";
            case 5 -> "Chaos";
            case 6 -> "IEEE 802";
            case 7 -> "ARCNET";
            case 8 -> "Hyperchannel";
            case 9 -> "Lanstar";
            case 10 -> "Autonet Short Address";
            case 11 -> "Localtalk";
            case 12 -> "LocalNet";
            case 13 -> "Ultra link";
            case 14 -> "SMDS";
            case 15 -> "Frame Relay DLCI";
            case 16 -> "ATM";
            case 17 -> "HDLC";
            case 18 -> "Fibre Channel";
            case 19 -> "ATM (RFC 2225)";
            case 20 -> "Serial Line";
            case 21 -> "ATM";
            case 22 -> "MIL-STD-188-220";
            case 23 -> "Metricom STRIP";
            case 24 -> "IEEE 1394.1995";
            case 25 -> "MAPOS";
            case 26 -> "Twinaxial";
            case 27 -> "EUI-64";
            case 28 -> "HIPARP";
            case 29 -> "IP and ARP over ISO 7816-3";
            case 30 -> "ARPSec";
            case 31 -> "IPsec tunnel";
            case 32 -> "InfiniBand";
            case 33 -> "TIA-102 Project 25 CAI";
            case 34 -> "Wiegand Interface";
            case 35 -> "Pure IP";
            case 36 -> "Experimental 1";
            case 37 -> "HFI";
            case 256 -> "Experimental 2";
            case 257 -> "AEthernet";
            case 260 -> "Notional KISS type";
            case 264 -> "ADAPT";
            case 270 -> "ROSE";
            case 271 -> "CCITT X.25";
            case 272 -> "Boards with X.25 in firmware";
            case 280 -> "Controller Area Network";
            case 512 -> "PPP";
            case 513 -> "Cisco HDLC";
            case 516 -> "LAPB";
            case 517 -> "Digital's DDCMP protocol";
            case 518 -> "Raw HDLC";
            case 519 -> "Raw IP";
            case 768 -> "IPIP tunnel";
            case 769 -> "IP6IP6 tunnel";
            case 770 -> "Frame Relay Access Device";
            case 771 -> "SKIP vif";
            case 772 -> "Loopback";
            case 774 -> "Fiber Distributed Data Interface";
            case 775 -> "AP1000 BIF";
            case 776 -> "sit0 device - IPv6-in-IPv4";
            case 777 -> "IP over DDP tunneller";
            case 778 -> "GRE over IP";
            case 779 -> "PIMSM register interface";
            case 780 -> "High Performance Parallel Interface";
            case 781 -> "Nexus 64Mbps Ash";
            case 782 -> "Acorn Econet";
            case 783 -> "Linux-IrDA";
            case 784 -> "Point to point fibrechannel";
            case 785 -> "Fibrechannel arbitrated loop";
            case 786 -> "Fibrechannel public loop";
            case 787 -> "Fibrechannel fabric";
            case 800 -> "Magic type ident for TR";
            case 801 -> "IEEE 802.11";
            case 802 -> "IEEE 802.11 + Prism2 header";
            case 803 -> "IEEE 802.11 + radiotap header";
            case 804 -> "IEEE 802.15.4";
            case 805 -> "IEEE 802.15.4 network monitor";
            case 820 -> "PhoNet media type";
            case 821 -> "PhoNet pipe header";
            case 822 -> "CAIF media type";
            case 823 -> "GRE over IPv6";
            case 824 -> "Netlink";
            case 825 -> "IPv6 over LoWPAN";
            case 826 -> "Vsock monitor header";
            case 65534 -> "zero header length";
            case 65535 -> "Void type, nothing is known";
            default -> null;
        };
    }
}
