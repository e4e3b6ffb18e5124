package dev.stacklab.dissect;

import dev.stacklab.wire.BigEndian;
import dev.stacklab.wire.Ipv4Address;

import java.util.List;

/**
 * DHCP (RFC 2131) and the BOOTP message it rides in (RFC 951), on UDP ports 67 and 68, as tshark 4.0 shows it: the
 * fixed header, the magic cookie, and each option (RFC 2132) with its length, its hidden raw value and its meaning;
 * Info "DHCP Discover - Transaction ID 0x3903f326" from the message type option.
 */
final class DhcpDissector {
    static final int SERVER_PORT = 67;
    static final int CLIENT_PORT = 68;
    // RFC 2131 section 2, figure 1: the fixed part, then the magic cookie of RFC 2132 section 2.
    private static final int OP = 0;
    private static final int HTYPE = 1;
    private static final int HLEN = 2;
    private static final int HOPS = 3;
    private static final int XID = 4;
    private static final int SECS = 8;
    private static final int FLAGS = 10;
    private static final int CIADDR = 12;
    private static final int YIADDR = 16;
    private static final int SIADDR = 20;
    private static final int GIADDR = 24;
    private static final int CHADDR = 28;
    private static final int SNAME = 44;
    private static final int FILE = 108;
    private static final int COOKIE = 236;
    private static final int OPTIONS = 240;
    private static final int MAGIC_COOKIE = 0x63825363;
    private static final int OPTION_PAD = 0;
    private static final int OPTION_MESSAGE_TYPE = 53;
    private static final int OPTION_END = 255;

    static final FieldDef DHCP = FieldDef.protocol("dhcp", "Dynamic Host Configuration Protocol");
    static final FieldDef TYPE = FieldDef.uint("dhcp.type", "Message type",
            op -> op == 1 ? "Boot Request" : op == 2 ? "Boot Reply" : null);
    static final FieldDef HARDWARE_TYPE = FieldDef.hex("dhcp.hw.type", "Hardware type", 2, DhcpDissector::hardwareTypeName);
    static final FieldDef HARDWARE_LENGTH = FieldDef.uint("dhcp.hw.len", "Hardware address length");
    static final FieldDef HOPS_FIELD = FieldDef.uint("dhcp.hops", "Hops");
    static final FieldDef ID = FieldDef.hex("dhcp.id", "Transaction ID", 8);
    static final FieldDef SECONDS = FieldDef.uint("dhcp.secs", "Seconds elapsed");
    static final FieldDef FLAGS_FIELD = FieldDef.hex("dhcp.flags", "Bootp flags", 4);
    static final FieldDef FLAG_BROADCAST = FieldDef.flag("dhcp.flags.bc", "Broadcast flag", 16, 0x8000, "Broadcast", "Unicast");
    static final FieldDef FLAGS_RESERVED = FieldDef.hexBits("dhcp.flags.reserved", "Reserved flags", 4, 16, 0x7FFF);
    static final FieldDef CLIENT_IP = FieldDef.ipv4("dhcp.ip.client", "Client IP address");
    static final FieldDef YOUR_IP = FieldDef.ipv4("dhcp.ip.your", "Your (client) IP address");
    static final FieldDef SERVER_IP = FieldDef.ipv4("dhcp.ip.server", "Next server IP address");
    static final FieldDef RELAY_IP = FieldDef.ipv4("dhcp.ip.relay", "Relay agent IP address");
    static final FieldDef CLIENT_MAC = FieldDef.mac("dhcp.hw.mac_addr", "Client MAC address");
    static final FieldDef CLIENT_HARDWARE_ADDRESS = FieldDef.bytes("dhcp.hw.addr", "Client hardware address");
    static final FieldDef CLIENT_ADDRESS_PADDING = FieldDef.bytes("dhcp.hw.addr_padding", "Client hardware address padding");
    static final FieldDef SERVER_NAME = FieldDef.string("dhcp.server", "Server host name");
    static final FieldDef FILE_NAME = FieldDef.string("dhcp.file", "Boot file name");
    static final FieldDef COOKIE_FIELD = FieldDef.ipv4("dhcp.cookie", "Magic cookie");
    static final FieldDef OPTION = FieldDef.uint("dhcp.option.type", "Option");
    static final FieldDef OPTION_LENGTH = FieldDef.uint("dhcp.option.length", "Length");
    static final FieldDef OPTION_VALUE = FieldDef.bytes("dhcp.option.value", "Value");
    static final FieldDef OPTION_PADDING = FieldDef.bytes("dhcp.option.padding", "Padding");
    static final FieldDef OPTION_END_FIELD = FieldDef.uint("dhcp.option.end", "Option End");
    static final FieldDef MESSAGE_TYPE = FieldDef.uint("dhcp.option.dhcp", "DHCP", DhcpDissector::messageTypeName);
    static final FieldDef SUBNET_MASK = FieldDef.ipv4("dhcp.option.subnet_mask", "Subnet Mask");
    static final FieldDef ROUTER = FieldDef.ipv4("dhcp.option.router", "Router");
    static final FieldDef DOMAIN_NAME_SERVER = FieldDef.ipv4("dhcp.option.domain_name_server", "Domain Name Server");
    static final FieldDef HOST_NAME = FieldDef.string("dhcp.option.hostname", "Host Name");
    static final FieldDef DOMAIN_NAME = FieldDef.string("dhcp.option.domain_name", "Domain Name");
    static final FieldDef BROADCAST_ADDRESS = FieldDef.ipv4("dhcp.option.broadcast_address", "Broadcast Address");
    static final FieldDef REQUESTED_IP = FieldDef.ipv4("dhcp.option.requested_ip_address", "Requested IP Address");
    static final FieldDef LEASE_TIME = FieldDef.uint("dhcp.option.ip_address_lease_time", "IP Address Lease Time");
    static final FieldDef SERVER_ID = FieldDef.ipv4("dhcp.option.dhcp_server_id", "DHCP Server Identifier");
    static final FieldDef REQUEST_LIST_ITEM = FieldDef.uint("dhcp.option.request_list_item", "Parameter Request List Item");
    static final FieldDef MESSAGE = FieldDef.string("dhcp.option.message", "Message");
    static final FieldDef MAX_MESSAGE_SIZE = FieldDef.uint("dhcp.option.dhcp_max_message_size", "Maximum DHCP Message Size");
    static final FieldDef RENEWAL_TIME = FieldDef.uint("dhcp.option.renewal_time_value", "Renewal Time Value");
    static final FieldDef REBINDING_TIME = FieldDef.uint("dhcp.option.rebinding_time_value", "Rebinding Time Value");
    static final FieldDef VENDOR_CLASS = FieldDef.string("dhcp.option.vendor_class_id", "Vendor class identifier");

    static final List<FieldDef> FIELDS = List.of(DHCP, TYPE, HARDWARE_TYPE, HARDWARE_LENGTH, HOPS_FIELD, ID, SECONDS, FLAGS_FIELD,
            FLAG_BROADCAST, FLAGS_RESERVED, CLIENT_IP, YOUR_IP, SERVER_IP, RELAY_IP, CLIENT_MAC, CLIENT_HARDWARE_ADDRESS,
            CLIENT_ADDRESS_PADDING, SERVER_NAME, FILE_NAME, COOKIE_FIELD, OPTION, OPTION_LENGTH, OPTION_VALUE, OPTION_PADDING,
            OPTION_END_FIELD, MESSAGE_TYPE, SUBNET_MASK, ROUTER, DOMAIN_NAME_SERVER, HOST_NAME, DOMAIN_NAME, BROADCAST_ADDRESS,
            REQUESTED_IP, LEASE_TIME, SERVER_ID, REQUEST_LIST_ITEM, MESSAGE, MAX_MESSAGE_SIZE, RENEWAL_TIME, REBINDING_TIME,
            VENDOR_CLASS);

    /** "IP Address Lease Time: (3600s) 1 hour". */
    private static final NodeText TIME_LINE = node -> node.def().label() + ": (" + node.value() + "s) "
            + (node.value() == 0xFFFF_FFFFL ? "infinity" : DnsDissector.durationText(node.value()));
    private static final NodeText ADDRESS_LINE = node -> node.def().label() + ": " + node.fieldValue();

    private DhcpDissector() {
    }

    static boolean claims(int sourcePort, int destinationPort) {
        return sourcePort == SERVER_PORT || destinationPort == SERVER_PORT || sourcePort == CLIENT_PORT || destinationPort == CLIENT_PORT;
    }

    static void dissect(DissectionContext ctx, int offset, int length) {
        byte[] data = ctx.data;
        ctx.setProtocol("DHCP");
        FieldNode dhcp = ctx.add(ctx.root, DHCP, offset, length);
        if (length < OPTIONS) {
            ctx.setInfo().append("Boot ").append(length > 0 && data[offset] == 2 ? "Reply" : "Request");
            if (dhcp != null) {
                dhcp.text(DHCP.label());
            }
            ctx.malformed("DHCP: message of " + length + " bytes is shorter than the 240-byte header and magic cookie", offset + length);
            return;
        }
        int op = data[offset + OP] & 0xFF;
        int hardwareType = data[offset + HTYPE] & 0xFF;
        int hardwareLength = data[offset + HLEN] & 0xFF;
        long transactionId = BigEndian.u32(data, offset + XID);
        int flags = BigEndian.u16(data, offset + FLAGS);
        int messageType = findMessageType(data, offset + OPTIONS, offset + length);
        String typeName = messageType < 0 ? null : messageTypeName(messageType);
        StringBuilder info = ctx.setInfo();
        if (typeName != null) {
            info.append("DHCP ").append(typeName);
            for (int pad = typeName.length(); pad < 8; pad++) {
                info.append(' ');
            }
            info.append(" - Transaction ID 0x").append(Long.toHexString(transactionId));
        } else {
            info.append(op == 2 ? "Boot Reply" : "Boot Request");
        }
        if (dhcp == null) {
            return;
        }
        dhcp.text(typeName != null ? DHCP.label() + " (" + typeName + ")" : DHCP.label());
        ctx.add(dhcp, TYPE, offset + OP, 1, op);
        ctx.add(dhcp, HARDWARE_TYPE, offset + HTYPE, 1, hardwareType);
        ctx.add(dhcp, HARDWARE_LENGTH, offset + HLEN, 1, hardwareLength);
        ctx.add(dhcp, HOPS_FIELD, offset + HOPS, 1, data[offset + HOPS] & 0xFF);
        ctx.add(dhcp, ID, offset + XID, 4, transactionId);
        ctx.add(dhcp, SECONDS, offset + SECS, 2, BigEndian.u16(data, offset + SECS));
        FieldNode flagsNode = ctx.add(dhcp, FLAGS_FIELD, offset + FLAGS, 2, flags)
                .text("Bootp flags: 0x" + String.format("%04x", flags) + ((flags & 0x8000) != 0 ? " (Broadcast)" : " (Unicast)"));
        ctx.add(flagsNode, FLAG_BROADCAST, offset + FLAGS, 2, (flags & 0x8000) != 0 ? 1 : 0);
        ctx.add(flagsNode, FLAGS_RESERVED, offset + FLAGS, 2, flags & 0x7FFF);
        ctx.add(dhcp, CLIENT_IP, offset + CIADDR, 4, BigEndian.u32(data, offset + CIADDR));
        ctx.add(dhcp, YOUR_IP, offset + YIADDR, 4, BigEndian.u32(data, offset + YIADDR));
        ctx.add(dhcp, SERVER_IP, offset + SIADDR, 4, BigEndian.u32(data, offset + SIADDR));
        ctx.add(dhcp, RELAY_IP, offset + GIADDR, 4, BigEndian.u32(data, offset + GIADDR));
        if (hardwareType == 1 && hardwareLength == 6) {
            long mac = BigEndian.u48(data, offset + CHADDR);
            ctx.add(dhcp, CLIENT_MAC, offset + CHADDR, 6, mac).text(node -> "Client MAC address: " + EthernetDissector.display(node.value()));
            ctx.addBytes(dhcp, CLIENT_ADDRESS_PADDING, offset + CHADDR + 6, 10);
        } else {
            int shown = Math.min(hardwareLength, 16);
            if (shown > 0) {
                ctx.addBytes(dhcp, CLIENT_HARDWARE_ADDRESS, offset + CHADDR, shown);
            }
            if (shown < 16) {
                ctx.addBytes(dhcp, CLIENT_ADDRESS_PADDING, offset + CHADDR + shown, 16 - shown);
            }
        }
        addName(ctx, dhcp, SERVER_NAME, offset + SNAME, 64, "Server host name not given");
        addName(ctx, dhcp, FILE_NAME, offset + FILE, 128, "Boot file name not given");
        long cookie = BigEndian.u32(data, offset + COOKIE);
        ctx.add(dhcp, COOKIE_FIELD, offset + COOKIE, 4, cookie)
                .text(cookie == MAGIC_COOKIE ? "Magic cookie: DHCP" : "Magic cookie: " + new Ipv4Address((int) cookie));
        dissectOptions(ctx, dhcp, offset + OPTIONS, offset + length);
    }

    /** The server name or boot file field: a NUL-terminated string, or Wireshark's "not given" line when empty. */
    private static void addName(DissectionContext ctx, FieldNode dhcp, FieldDef def, int offset, int length, String notGiven) {
        int end = offset;
        while (end < offset + length && ctx.data[end] != 0) {
            end++;
        }
        String value = new String(ctx.data, offset, end - offset, java.nio.charset.StandardCharsets.ISO_8859_1);
        FieldNode node = ctx.addString(dhcp, def, offset, length, value);
        node.text(value.isEmpty() ? notGiven : def.label() + ": " + value);
    }

    /** The value of option 53 (RFC 2132 section 9.6), or -1 when the message has none. */
    private static int findMessageType(byte[] data, int at, int end) {
        while (at < end) {
            int code = data[at] & 0xFF;
            if (code == OPTION_END) {
                return -1;
            }
            if (code == OPTION_PAD) {
                at++;
                continue;
            }
            if (at + 1 >= end) {
                return -1;
            }
            int optionLength = data[at + 1] & 0xFF;
            if (code == OPTION_MESSAGE_TYPE && optionLength >= 1 && at + 2 < end) {
                return data[at + 2] & 0xFF;
            }
            at += 2 + optionLength;
        }
        return -1;
    }

    private static void dissectOptions(DissectionContext ctx, FieldNode dhcp, int at, int end) {
        byte[] data = ctx.data;
        while (at < end) {
            int code = data[at] & 0xFF;
            if (code == OPTION_END) {
                // Wireshark gives the End option's line the value 0 and its code in the child.
                FieldNode endNode = ctx.add(dhcp, OPTION, at, 1, 0).text("Option: (255) End");
                ctx.add(endNode, OPTION_END_FIELD, at, 1, OPTION_END);
                at++;
                if (at < end) {
                    ctx.addBytes(dhcp, OPTION_PADDING, at, end - at);
                }
                return;
            }
            if (code == OPTION_PAD) {
                FieldNode pad = ctx.add(dhcp, OPTION, at, 1, 0).text("Option: (0) Padding");
                ctx.add(pad, OPTION_LENGTH, at, 1, 0).hidden();
                at++;
                continue;
            }
            if (at + 1 >= end || at + 2 + (data[at + 1] & 0xFF) > end) {
                ctx.malformed("DHCP: option " + code + " runs past the end of the message", at);
                return;
            }
            int optionLength = data[at + 1] & 0xFF;
            int value = at + 2;
            String name = optionName(code);
            FieldNode option = ctx.add(dhcp, OPTION, at, 2 + optionLength, code);
            ctx.add(option, OPTION_LENGTH, at + 1, 1, optionLength);
            if (optionLength > 0) {
                FieldNode raw = ctx.addBytes(option, OPTION_VALUE, value, optionLength);
                if (decodes(code, optionLength)) {
                    // Wireshark keeps the raw value of an option it reads for filters, out of sight.
                    raw.hidden();
                }
            }
            String suffix = optionValue(ctx, option, code, value, optionLength);
            option.text("Option: (" + code + ") " + (name != null ? name : "Unknown") + (suffix == null ? "" : " (" + suffix + ")"));
            at = value + optionLength;
        }
    }

    /**
     * The option's meaning under {@code option}; returns what Wireshark adds to the option's line in brackets (the
     * message type's name, a single address), or null.
     */
    private static String optionValue(DissectionContext ctx, FieldNode option, int code, int value, int length) {
        byte[] data = ctx.data;
        FieldDef single = switch (code) {
            case 1 -> SUBNET_MASK;
            case 28 -> BROADCAST_ADDRESS;
            case 50 -> REQUESTED_IP;
            case 54 -> SERVER_ID;
            default -> null;
        };
        if (single != null && length == 4) {
            ctx.add(option, single, value, 4, BigEndian.u32(data, value)).text(ADDRESS_LINE);
            return new Ipv4Address(BigEndian.i32(data, value)).toString();
        }
        switch (code) {
            case OPTION_MESSAGE_TYPE -> {
                if (length == 1) {
                    int type = data[value] & 0xFF;
                    ctx.add(option, MESSAGE_TYPE, value, 1, type);
                    String name = messageTypeName(type);
                    return name != null ? name : "Unknown";
                }
            }
            case 3, 6 -> {
                if (length % 4 == 0) {
                    for (int at = value; at < value + length; at += 4) {
                        ctx.add(option, code == 3 ? ROUTER : DOMAIN_NAME_SERVER, at, 4, BigEndian.u32(data, at)).text(ADDRESS_LINE);
                    }
                    return null;
                }
            }
            case 12, 15, 56, 60 -> {
                FieldDef def = code == 12 ? HOST_NAME : code == 15 ? DOMAIN_NAME : code == 56 ? MESSAGE : VENDOR_CLASS;
                int end = value;
                while (end < value + length && data[end] != 0) {
                    end++;
                }
                ctx.addString(option, def, value, length, new String(data, value, end - value, java.nio.charset.StandardCharsets.ISO_8859_1));
                return null;
            }
            case 51, 58, 59 -> {
                if (length == 4) {
                    FieldDef def = code == 51 ? LEASE_TIME : code == 58 ? RENEWAL_TIME : REBINDING_TIME;
                    ctx.add(option, def, value, 4, BigEndian.u32(data, value)).text(TIME_LINE);
                    return null;
                }
            }
            case 55 -> {
                for (int at = value; at < value + length; at++) {
                    int item = data[at] & 0xFF;
                    String name = optionName(item);
                    ctx.add(option, REQUEST_LIST_ITEM, at, 1, item)
                            .text("Parameter Request List Item: (" + item + ") " + (name != null ? name : "Unknown"));
                }
                return null;
            }
            case 57 -> {
                if (length == 2) {
                    ctx.add(option, MAX_MESSAGE_SIZE, value, 2, BigEndian.u16(data, value));
                    return null;
                }
            }
            default -> {
            }
        }
        return null;
    }

    /** Whether {@link #optionValue} reads an option of this code and length (else its raw value is all there is). */
    private static boolean decodes(int code, int length) {
        return switch (code) {
            case 1, 28, 50, 54 -> length == 4;
            case OPTION_MESSAGE_TYPE -> length == 1;
            case 3, 6 -> length % 4 == 0;
            case 12, 15, 56, 60, 55 -> true;
            case 51, 58, 59 -> length == 4;
            case 57 -> length == 2;
            default -> false;
        };
    }

    /** RFC 2132 section 9.6 and RFC 4388, 6926: the DHCP message types. */
    static String messageTypeName(long type) {
        return switch ((int) type) {
            case 1 -> "Discover";
            case 2 -> "Offer";
            case 3 -> "Request";
            case 4 -> "Decline";
            case 5 -> "ACK";
            case 6 -> "NAK";
            case 7 -> "Release";
            case 8 -> "Inform";
            case 9 -> "Force Renew";
            case 10 -> "Lease query";
            case 11 -> "Lease Unassigned";
            case 12 -> "Lease Unknown";
            case 13 -> "Lease Active";
            default -> null;
        };
    }

    private static String hardwareTypeName(long type) {
        return switch ((int) type) {
            case 1 -> "Ethernet";
            case 6 -> "IEEE 802 Networks";
            case 32 -> "InfiniBand";
            default -> null;
        };
    }

    /** Names of the options (RFC 2132 and later), as Wireshark's dhcp option table writes them. */
    static String optionName(int code) {
        return switch (code) {
            case 0 -> "Padding";
            case 1 -> "Subnet Mask";
            case 2 -> "Time Offset";
            case 3 -> "Router";
            case 4 -> "Time Server";
            case 5 -> "Name Server";
            case 6 -> "Domain Name Server";
            case 7 -> "Log Server";
            case 12 -> "Host Name";
            case 13 -> "Boot File Size";
            case 15 -> "Domain Name";
            case 17 -> "Root Path";
            case 26 -> "Interface MTU";
            case 28 -> "Broadcast Address";
            case 31 -> "Perform Router Discover";
            case 33 -> "Static Route";
            case 40 -> "Network Information Service Domain";
            case 41 -> "Network Information Service Servers";
            case 42 -> "Network Time Protocol Servers";
            case 43 -> "Vendor-Specific Information";
            case 44 -> "NetBIOS over TCP/IP Name Server";
            case 46 -> "NetBIOS over TCP/IP Node Type";
            case 47 -> "NetBIOS over TCP/IP Scope";
            case 50 -> "Requested IP Address";
            case 51 -> "IP Address Lease Time";
            case 52 -> "Option Overload";
            case 53 -> "DHCP Message Type";
            case 54 -> "DHCP Server Identifier";
            case 55 -> "Parameter Request List";
            case 56 -> "Message";
            case 57 -> "Maximum DHCP Message Size";
            case 58 -> "Renewal Time Value";
            case 59 -> "Rebinding Time Value";
            case 60 -> "Vendor class identifier";
            case 61 -> "Client identifier";
            case 66 -> "TFTP Server Name";
            case 67 -> "Bootfile name";
            case 81 -> "Client Fully Qualified Domain Name";
            case 82 -> "Agent Information Option";
            case 119 -> "Domain Search";
            case 121 -> "Classless Static Route";
            case 249 -> "Private/Classless Static Route (Microsoft)";
            case 252 -> "Private/Proxy autodiscovery";
            case 255 -> "End";
            default -> null;
        };
    }
}
