package dev.stacklab.dissect;

import dev.stacklab.wire.BigEndian;
import dev.stacklab.wire.Ipv6Address;

import java.util.List;

/**
 * IPv6 (RFC 8200) as tshark 4.0 shows it: the fixed header, the extension headers (hop-by-hop and destination
 * options with their options, routing headers of type 0 and 4, the fragment header), display reassembly of fragments
 * (bounded, as {@link Ipv4Reassembly} is), then the payload by next header. Addresses print as RFC 5952 text.
 */
final class Ipv6Dissector {
    static final FieldDef IPV6 = FieldDef.protocol("ipv6", "Internet Protocol Version 6");
    static final FieldDef VERSION = FieldDef.bits("ipv6.version", "Version", 8, 0xF0);
    /** Printed with 8 hex digits as a field (tshark's FT_UINT32), with 2 in its tree line. */
    static final FieldDef TCLASS = FieldDef.hexBits("ipv6.tclass", "Traffic Class", 8, 32, 0x0FF0_0000L);
    static final FieldDef TCLASS_DSCP = FieldDef.bits("ipv6.tclass.dscp", "Differentiated Services Codepoint", 32, 0x0FC0_0000L,
            Ipv4Dissector::dscpName);
    static final FieldDef TCLASS_ECN = FieldDef.bits("ipv6.tclass.ecn", "Explicit Congestion Notification", 32, 0x0030_0000L,
            Ipv4Dissector::ecnName);
    /** Printed with 6 hex digits as a field (tshark's FT_UINT24), with 5 in its tree line. */
    static final FieldDef FLOW = FieldDef.hexBits("ipv6.flow", "Flow Label", 6, 24, 0x0F_FFFFL);
    static final FieldDef PLEN = FieldDef.uint("ipv6.plen", "Payload Length");
    static final FieldDef NXT = FieldDef.uint("ipv6.nxt", "Next Header", IpProtocolNames::name);
    static final FieldDef HLIM = FieldDef.uint("ipv6.hlim", "Hop Limit");
    static final FieldDef SRC = FieldDef.ipv6("ipv6.src", "Source Address");
    static final FieldDef SRC_HOST = FieldDef.string("ipv6.src_host", "Source Host");
    static final FieldDef DST = FieldDef.ipv6("ipv6.dst", "Destination Address");
    static final FieldDef DST_HOST = FieldDef.string("ipv6.dst_host", "Destination Host");
    static final FieldDef ADDR = FieldDef.ipv6("ipv6.addr", "Source or Destination Address");
    static final FieldDef HOST = FieldDef.string("ipv6.host", "Source or Destination Host");

    static final FieldDef HOPOPTS = FieldDef.protocol("ipv6.hopopts", "IPv6 Hop-by-Hop Option");
    static final FieldDef HOPOPTS_NXT = FieldDef.uint("ipv6.hopopts.nxt", "Next Header", IpProtocolNames::name);
    static final FieldDef HOPOPTS_LEN = FieldDef.uint("ipv6.hopopts.len", "Length");
    static final FieldDef HOPOPTS_LEN_OCT = FieldDef.uint("ipv6.hopopts.len_oct", "Length");
    static final FieldDef DSTOPTS = FieldDef.protocol("ipv6.dstopts", "Destination Options for IPv6");
    static final FieldDef DSTOPTS_NXT = FieldDef.uint("ipv6.dstopts.nxt", "Next Header", IpProtocolNames::name);
    static final FieldDef DSTOPTS_LEN = FieldDef.uint("ipv6.dstopts.len", "Length");
    static final FieldDef DSTOPTS_LEN_OCT = FieldDef.uint("ipv6.dstopts.len_oct", "Length");
    static final FieldDef OPT = FieldDef.none("ipv6.opt", "IPv6 Option");
    static final FieldDef OPT_TYPE = FieldDef.hex("ipv6.opt.type", "Type", 2, Ipv6Dissector::optionName);
    static final FieldDef OPT_TYPE_ACTION = FieldDef.bits("ipv6.opt.type.action", "Action", 8, 0xC0, Ipv6Dissector::actionName);
    static final FieldDef OPT_TYPE_CHANGE = FieldDef.flag("ipv6.opt.type.change", "May Change", 8, 0x20, "Yes", "No");
    static final FieldDef OPT_TYPE_REST = FieldDef.hexBits("ipv6.opt.type.rest", "Low-Order Bits", 2, 8, 0x1F);
    static final FieldDef OPT_LENGTH = FieldDef.uint("ipv6.opt.length", "Length");
    static final FieldDef OPT_PAD1 = FieldDef.none("ipv6.opt.pad1", "Pad1");
    static final FieldDef OPT_PADN = FieldDef.bytes("ipv6.opt.padn", "PadN");
    static final FieldDef OPT_ROUTER_ALERT = FieldDef.uint("ipv6.opt.router_alert", "Router Alert", Ipv6Dissector::routerAlertName);
    static final FieldDef OPT_UNKNOWN = FieldDef.bytes("ipv6.opt.unknown", "Unknown Option Payload");
    static final FieldDef OPT_UNKNOWN_DATA = FieldDef.none("ipv6.opt.unknown_data.expert", "Unknown Data (not interpreted)");

    static final FieldDef ROUTING = FieldDef.protocol("ipv6.routing", "Routing Header for IPv6");
    static final FieldDef ROUTING_NXT = FieldDef.uint("ipv6.routing.nxt", "Next Header", IpProtocolNames::name);
    static final FieldDef ROUTING_LEN = FieldDef.uint("ipv6.routing.len", "Length");
    static final FieldDef ROUTING_LEN_OCT = FieldDef.uint("ipv6.routing.len_oct", "Length");
    static final FieldDef ROUTING_TYPE = FieldDef.uint("ipv6.routing.type", "Type", Ipv6Dissector::routingTypeName);
    static final FieldDef ROUTING_SEGLEFT = FieldDef.uint("ipv6.routing.segleft", "Segments Left");
    static final FieldDef ROUTING_UNKNOWN_DATA = FieldDef.bytes("ipv6.routing.unknown_data", "Type-Specific Data");
    static final FieldDef ROUTING_SRC_RESERVED = FieldDef.bytes("ipv6.routing.src.reserved", "Reserved");
    static final FieldDef ROUTING_SRC_ADDR = FieldDef.ipv6("ipv6.routing.src.addr", "Address");
    static final FieldDef ROUTING_SRH_LAST_ENTRY = FieldDef.uint("ipv6.routing.srh.last_entry", "Last Entry");
    static final FieldDef ROUTING_SRH_FLAGS = FieldDef.hex("ipv6.routing.srh.flags", "Flags", 2);
    static final FieldDef ROUTING_SRH_TAG = FieldDef.bytes("ipv6.routing.srh.tag", "Tag");
    static final FieldDef ROUTING_SRH_ADDR = FieldDef.ipv6("ipv6.routing.srh.addr", "Address");
    static final FieldDef ROUTING_DEPRECATED = FieldDef.none("ipv6.routing.deprecated", "Routing header type is deprecated");

    static final FieldDef FRAGHDR = FieldDef.protocol("ipv6.fraghdr", "Fragment Header for IPv6");
    static final FieldDef FRAGHDR_NXT = FieldDef.uint("ipv6.fraghdr.nxt", "Next header", IpProtocolNames::name);
    static final FieldDef FRAGHDR_RESERVED_OCTET = FieldDef.hex("ipv6.fraghdr.reserved_octet", "Reserved octet", 2);
    static final FieldDef FRAGHDR_OFFSET = FieldDef.bits("ipv6.fraghdr.offset", "Offset", 16, 0xFFF8);
    static final FieldDef FRAGHDR_RESERVED_BITS = FieldDef.bits("ipv6.fraghdr.reserved_bits", "Reserved bits", 16, 0x6);
    static final FieldDef FRAGHDR_MORE = FieldDef.flag("ipv6.fraghdr.more", "More Fragments", 16, 0x1, "Yes", "No");
    static final FieldDef FRAGHDR_IDENT = FieldDef.hex("ipv6.fraghdr.ident", "Identification", 8);

    static final FieldDef FRAGMENTS = FieldDef.none("ipv6.fragments", "IPv6 Fragments");
    static final FieldDef FRAGMENT = FieldDef.frameNumber("ipv6.fragment", "IPv6 Fragment");
    static final FieldDef FRAGMENT_OVERLAP = FieldDef.bool("ipv6.fragment.overlap", "Fragment overlap");
    static final FieldDef FRAGMENT_OVERLAP_CONFLICT = FieldDef.bool("ipv6.fragment.overlap.conflict", "Conflicting data in fragment overlap");
    static final FieldDef FRAGMENT_COUNT = FieldDef.uint("ipv6.fragment.count", "Fragment count");
    static final FieldDef REASSEMBLED_LENGTH = FieldDef.uint("ipv6.reassembled.length", "Reassembled IPv6 length");
    static final FieldDef REASSEMBLED_DATA = FieldDef.bytes("ipv6.reassembled.data", "Reassembled IPv6 data");
    private static final Ipv4Reassembly.FragmentFields FRAGMENT_FIELDS = new Ipv4Reassembly.FragmentFields(
            FRAGMENT, FRAGMENT_OVERLAP, FRAGMENT_OVERLAP_CONFLICT, FRAGMENT_COUNT, REASSEMBLED_LENGTH, REASSEMBLED_DATA);

    static final List<FieldDef> FIELDS = List.of(IPV6, VERSION, TCLASS, TCLASS_DSCP, TCLASS_ECN, FLOW, PLEN, NXT, HLIM, SRC, SRC_HOST,
            DST, DST_HOST, ADDR, HOST, HOPOPTS, HOPOPTS_NXT, HOPOPTS_LEN, HOPOPTS_LEN_OCT, DSTOPTS, DSTOPTS_NXT, DSTOPTS_LEN,
            DSTOPTS_LEN_OCT, OPT, OPT_TYPE, OPT_TYPE_ACTION, OPT_TYPE_CHANGE, OPT_TYPE_REST, OPT_LENGTH, OPT_PAD1, OPT_PADN,
            OPT_ROUTER_ALERT, OPT_UNKNOWN, OPT_UNKNOWN_DATA, ROUTING, ROUTING_NXT, ROUTING_LEN, ROUTING_LEN_OCT, ROUTING_TYPE,
            ROUTING_SEGLEFT, ROUTING_UNKNOWN_DATA, ROUTING_SRC_RESERVED, ROUTING_SRC_ADDR, ROUTING_SRH_LAST_ENTRY, ROUTING_SRH_FLAGS,
            ROUTING_SRH_TAG, ROUTING_SRH_ADDR, ROUTING_DEPRECATED, FRAGHDR, FRAGHDR_NXT, FRAGHDR_RESERVED_OCTET, FRAGHDR_OFFSET,
            FRAGHDR_RESERVED_BITS, FRAGHDR_MORE, FRAGHDR_IDENT, FRAGMENTS, FRAGMENT, FRAGMENT_OVERLAP, FRAGMENT_OVERLAP_CONFLICT,
            FRAGMENT_COUNT, REASSEMBLED_LENGTH, REASSEMBLED_DATA);

    static final int HEADER_LENGTH = 40;
    private static final int NEXT_HOP_BY_HOP = 0;
    private static final int NEXT_TCP = 6;
    private static final int NEXT_UDP = 17;
    private static final int NEXT_ROUTING = 43;
    private static final int NEXT_FRAGMENT = 44;
    private static final int NEXT_ICMPV6 = 58;
    private static final int NEXT_NONE = 59;
    private static final int NEXT_DESTINATION_OPTIONS = 60;
    private static final int OPTION_PAD1 = 0;
    private static final int OPTION_PADN = 1;
    private static final int OPTION_ROUTER_ALERT = 5;
    /** More extension headers than this and the rest is shown as data (a chain of them cannot make us loop long). */
    private static final int MAXIMUM_EXTENSION_HEADERS = 32;

    private static final NodeText TCLASS_LINE = node -> {
        int trafficClass = (int) node.value();
        return "Traffic Class: " + FieldNode.hex(trafficClass, 2) + " (DSCP: " + Ipv4Dissector.dscpShortName(trafficClass >>> 2) + ", ECN: "
                + Ipv4Dissector.ecnShortName(trafficClass & 3) + ")";
    };
    private static final NodeText FLOW_LINE = node -> "Flow Label: " + FieldNode.hex(node.value(), 5);
    private static final NodeText LENGTH_OCTETS_LINE = node -> "Length: " + node.value() + " bytes";

    private Ipv6Dissector() {
    }

    /** Bytes the packet occupies when its payload length is sane (what follows is Ethernet padding). */
    static int claimedLength(byte[] data, int offset, int length) {
        if (length < HEADER_LENGTH || (data[offset] & 0xF0) != 0x60) {
            return length;
        }
        int total = HEADER_LENGTH + BigEndian.u16(data, offset + 4);
        return total <= length ? total : length;
    }

    static void dissect(DissectionContext ctx, FieldNode parent, int offset, int length) {
        byte[] data = ctx.data;
        boolean quoted = ctx.quoteDepth > 0;
        ctx.setProtocol("IPv6");
        ctx.setInfo();
        if (length < HEADER_LENGTH) {
            FieldNode partial = ctx.add(parent, IPV6, offset, Math.max(0, length));
            if (length >= 1) {
                ctx.add(partial, VERSION, offset, 1, (data[offset] & 0xFF) >>> 4);
            }
            ctx.malformed("IPv6: " + length + " bytes, shorter than the 40-byte header", offset + Math.max(0, length));
            return;
        }
        int version = (data[offset] & 0xFF) >>> 4;
        FieldNode ip = ctx.add(parent, IPV6, offset, HEADER_LENGTH);
        ctx.add(ip, VERSION, offset, 1, version);
        if (version != 6) {
            ctx.setInfo().append("Bogus IPv6 version (").append(version).append(", must be 6)");
            ctx.malformed("IPv6: version " + version + ", must be 6", offset);
            return;
        }
        int firstWord = BigEndian.i32(data, offset);
        int trafficClass = (firstWord >>> 20) & 0xFF;
        int flowLabel = firstWord & 0xF_FFFF;
        int payloadLength = BigEndian.u16(data, offset + 4);
        int nextHeader = data[offset + 6] & 0xFF;
        int hopLimit = data[offset + 7] & 0xFF;
        Ipv6Address source = Ipv6Address.read(data, offset + 8);
        Ipv6Address destination = Ipv6Address.read(data, offset + 24);
        ctx.setIpv6Addresses(source, destination);
        if (ip != null) {
            String sourceText = ctx.session.addressTexts.ipv6(source);
            String destinationText = ctx.session.addressTexts.ipv6(destination);
            ip.text("Internet Protocol Version 6, Src: " + sourceText + ", Dst: " + destinationText);
            FieldNode tclass = ctx.add(ip, TCLASS, offset, 4, trafficClass).text(TCLASS_LINE);
            FieldNode dscp = ctx.add(tclass, TCLASS_DSCP, offset, 4, trafficClass >>> 2);
            if (Ipv4Dissector.dscpName(trafficClass >>> 2) == null) {
                dscp.text("Differentiated Services Codepoint: Unknown (" + (trafficClass >>> 2) + ")");
            }
            ctx.add(tclass, TCLASS_ECN, offset, 4, trafficClass & 3);
            ctx.add(ip, FLOW, offset + 1, 3, flowLabel).text(FLOW_LINE);
            // tshark gives IPv6 packets the IPv4 dissector's version field too, hidden.
            ctx.add(ip, Ipv4Dissector.VERSION, offset, 1, version).hidden();
            ctx.add(ip, PLEN, offset + 4, 2, payloadLength);
            addNextHeader(ctx, ip, NXT, offset + 6, nextHeader);
            ctx.add(ip, HLIM, offset + 7, 1, hopLimit);
            addAddress(ctx, ip, offset + 8, source, sourceText, SRC, SRC_HOST);
            addAddress(ctx, ip, offset + 24, destination, destinationText, DST, DST_HOST);
        }
        ctx.ipVersion = 6;
        ctx.ipv6Source = source;
        ctx.ipv6Destination = destination;
        ctx.ipSource = ctx.session.ipv6Ids.id(source);
        ctx.ipDestination = ctx.session.ipv6Ids.id(destination);
        ctx.ipTtl = hopLimit;

        int end = offset + length;
        boolean lengthProblem = false;
        if (HEADER_LENGTH + payloadLength <= length) {
            end = offset + HEADER_LENGTH + payloadLength;
        } else if (!quoted) {
            lengthProblem = true;
        }
        int at = offset + HEADER_LENGTH;
        for (int headers = 0; headers < MAXIMUM_EXTENSION_HEADERS; headers++) {
            switch (nextHeader) {
                case NEXT_HOP_BY_HOP, NEXT_DESTINATION_OPTIONS, NEXT_ROUTING -> {
                    int headerLength = extensionLength(data, at, end);
                    if (headerLength < 0) {
                        ctx.malformed("IPv6: extension header (" + IpProtocolNames.name(nextHeader) + ") goes past the packet's end", at);
                        return;
                    }
                    int following = data[at] & 0xFF;
                    if (nextHeader == NEXT_ROUTING) {
                        dissectRouting(ctx, ip, data, at, headerLength);
                        Ipv6Address finalDestination = routeDestination(data, at, headerLength);
                        if (finalDestination != null) {
                            // A route still under way: the packet is for its last address, which the columns show and
                            // the upper layer's pseudo-header holds (RFC 8200 section 8.1).
                            ctx.setIpv6Addresses(source, finalDestination);
                            ctx.ipv6Destination = finalDestination;
                            ctx.ipDestination = ctx.session.ipv6Ids.id(finalDestination);
                        }
                    } else {
                        dissectOptionsHeader(ctx, ip, data, at, headerLength, nextHeader == NEXT_HOP_BY_HOP);
                    }
                    nextHeader = following;
                    at += headerLength;
                }
                case NEXT_FRAGMENT -> {
                    if (end - at < 8) {
                        ctx.malformed("IPv6: fragment header goes past the packet's end", at);
                        return;
                    }
                    dissectFragment(ctx, parent, ip, data, at, end, quoted || lengthProblem);
                    finish(ctx, lengthProblem, offset);
                    return;
                }
                default -> {
                    ctx.ipProtocol = nextHeader;
                    dispatch(ctx, parent, nextHeader, at, end - at);
                    finish(ctx, lengthProblem, offset);
                    return;
                }
            }
        }
        DataDissector.dissect(ctx, parent, at, end - at);
        finish(ctx, lengthProblem, offset);
    }

    private static void finish(DissectionContext ctx, boolean lengthProblem, int offset) {
        if (lengthProblem) {
            ctx.malformed("IPv6: payload length exceeds the packet's length", offset + 4);
        }
    }

    /** An extension header's length in bytes ((length field + 1) * 8), or -1 when it does not fit before {@code end}. */
    private static int extensionLength(byte[] data, int at, int end) {
        if (end - at < 2) {
            return -1;
        }
        int headerLength = ((data[at + 1] & 0xFF) + 1) * 8;
        return at + headerLength <= end ? headerLength : -1;
    }

    static void dispatch(DissectionContext ctx, FieldNode parent, int nextHeader, int at, int length) {
        switch (nextHeader) {
            case NEXT_ICMPV6 -> Icmpv6Dissector.dissect(ctx, parent, at, length);
            case NEXT_TCP -> TcpDissector.dissect(ctx, parent, at, length);
            case NEXT_UDP -> UdpDissector.dissect(ctx, parent, at, length);
            case NEXT_NONE -> DataDissector.dissect(ctx, parent, at, length);
            default -> {
                DataDissector.dissect(ctx, parent, at, length);
                String name = IpProtocolNames.name(nextHeader);
                ctx.setInfo().append(name == null ? "Unknown" : name).append(" (").append(nextHeader).append(')');
            }
        }
    }

    private static void addNextHeader(DissectionContext ctx, FieldNode parent, FieldDef def, int at, int nextHeader) {
        FieldNode node = ctx.add(parent, def, at, 1, nextHeader);
        if (node != null && IpProtocolNames.name(nextHeader) == null) {
            node.text(def.label() + ": Unknown (" + nextHeader + ")");
        }
    }

    private static void addAddress(DissectionContext ctx, FieldNode ip, int at, Ipv6Address address, String text, FieldDef def,
                                   FieldDef hostDef) {
        ctx.addIpv6(ip, def, at, address);
        ctx.addIpv6(ip, ADDR, at, address).hidden();
        ctx.addString(ip, hostDef, at, 16, text).hidden();
        ctx.addString(ip, HOST, at, 16, text).hidden();
    }

    /** Hop-by-hop (RFC 8200 4.3) and destination options (4.6): the header's fields, then each option (4.2). */
    private static void dissectOptionsHeader(DissectionContext ctx, FieldNode parent, byte[] data, int at, int headerLength,
                                             boolean hopByHop) {
        FieldNode header = ctx.add(parent, hopByHop ? HOPOPTS : DSTOPTS, at, headerLength);
        if (header == null) {
            return;
        }
        addNextHeader(ctx, header, hopByHop ? HOPOPTS_NXT : DSTOPTS_NXT, at, data[at] & 0xFF);
        ctx.add(header, hopByHop ? HOPOPTS_LEN : DSTOPTS_LEN, at + 1, 1, data[at + 1] & 0xFF);
        ctx.add(header, hopByHop ? HOPOPTS_LEN_OCT : DSTOPTS_LEN_OCT, at + 1, 1, headerLength).text(LENGTH_OCTETS_LINE).generated();
        int end = at + headerLength;
        int option = at + 2;
        while (option < end) {
            int type = data[option] & 0xFF;
            if (type == OPTION_PAD1) {
                FieldNode node = ctx.add(header, OPT, option, 1).text("Pad1");
                addOptionType(ctx, node, option, type);
                ctx.add(node, OPT_PAD1, option, 1);
                option++;
                continue;
            }
            if (option + 2 > end || option + 2 + (data[option + 1] & 0xFF) > end) {
                ctx.malformed("IPv6: option length goes past the end of its header", option);
                return;
            }
            int optionLength = data[option + 1] & 0xFF;
            String name = optionName(type);
            FieldNode node = ctx.add(header, OPT, option, 2 + optionLength)
                    .text(name != null ? name : "Unknown IPv6 Option (" + type + ")");
            addOptionType(ctx, node, option, type);
            ctx.add(node, OPT_LENGTH, option + 1, 1, optionLength);
            int value = option + 2;
            if (type == OPTION_PADN) {
                FieldNode padding = ctx.addBytes(node, OPT_PADN, value, optionLength);
                if (optionLength == 0) {
                    padding.text("PadN: <none>");
                }
            } else if (type == OPTION_ROUTER_ALERT && optionLength == 2) {
                ctx.add(node, OPT_ROUTER_ALERT, value, 2, BigEndian.u16(data, value));
            } else if (optionLength > 0) {
                FieldNode unknown = ctx.addBytes(node, OPT_UNKNOWN, value, optionLength);
                ctx.addExpert(unknown, value, optionLength, "Note/Undecoded", OPT_UNKNOWN_DATA.label());
            }
            option = value + optionLength;
        }
    }

    private static void addOptionType(DissectionContext ctx, FieldNode option, int at, int type) {
        FieldNode typeNode = ctx.add(option, OPT_TYPE, at, 1, type);
        if (optionName(type) == null) {
            typeNode.text("Type: Unknown (" + FieldNode.hex(type, 2) + ")");
        }
        if (type == OPTION_PAD1) {
            return;
        }
        ctx.add(typeNode, OPT_TYPE_ACTION, at, 1, type >>> 6);
        ctx.add(typeNode, OPT_TYPE_CHANGE, at, 1, (type >>> 5) & 1);
        ctx.add(typeNode, OPT_TYPE_REST, at, 1, type & 0x1F);
    }

    /** The routing header (RFC 8200 4.4): type 0 (RFC 2460, deprecated by RFC 5095) and the segment routing header (RFC 8754). */
    private static void dissectRouting(DissectionContext ctx, FieldNode parent, byte[] data, int at, int headerLength) {
        FieldNode header = ctx.add(parent, ROUTING, at, headerLength);
        if (header == null) {
            return;
        }
        int type = data[at + 2] & 0xFF;
        String typeName = routingTypeName(type);
        header.text("Routing Header for IPv6 (" + (typeName == null ? "Unknown" : typeName) + ")");
        addNextHeader(ctx, header, ROUTING_NXT, at, data[at] & 0xFF);
        ctx.add(header, ROUTING_LEN, at + 1, 1, data[at + 1] & 0xFF);
        ctx.add(header, ROUTING_LEN_OCT, at + 1, 1, headerLength).text(LENGTH_OCTETS_LINE).generated();
        FieldNode typeNode = ctx.add(header, ROUTING_TYPE, at + 2, 1, type);
        if (typeName == null) {
            typeNode.text("Type: Unknown (" + type + ")");
        }
        ctx.add(header, ROUTING_SEGLEFT, at + 3, 1, data[at + 3] & 0xFF);
        int end = at + headerLength;
        if (type == 0) {
            ctx.addExpert(typeNode, at + 2, 1, "Note/Deprecated", ROUTING_DEPRECATED.label());
            ctx.addBytes(header, ROUTING_SRC_RESERVED, at + 4, 4);
            int index = 1;
            for (int address = at + 8; address + 16 <= end; address += 16, index++) {
                Ipv6Address hop = Ipv6Address.read(data, address);
                ctx.addIpv6(header, ROUTING_SRC_ADDR, address, hop)
                        .text("Address[" + index + "]: " + ctx.session.addressTexts.ipv6(hop));
            }
        } else if (type == 4) {
            ctx.add(header, ROUTING_SRH_LAST_ENTRY, at + 4, 1, data[at + 4] & 0xFF);
            ctx.add(header, ROUTING_SRH_FLAGS, at + 5, 1, data[at + 5] & 0xFF);
            ctx.addBytes(header, ROUTING_SRH_TAG, at + 6, 2);
            int index = 0;
            for (int address = at + 8; address + 16 <= end; address += 16, index++) {
                Ipv6Address segment = Ipv6Address.read(data, address);
                ctx.addIpv6(header, ROUTING_SRH_ADDR, address, segment)
                        .text("Address[" + index + "]: " + ctx.session.addressTexts.ipv6(segment));
            }
        } else {
            ctx.addBytes(header, ROUTING_UNKNOWN_DATA, at + 4, headerLength - 4);
        }
    }

    /**
     * The last address of a routing header with segments left (type 0: the last of its list; type 4, RFC 8754: the
     * first, the list being in reverse order), or null.
     */
    private static Ipv6Address routeDestination(byte[] data, int at, int headerLength) {
        int type = data[at + 2] & 0xFF;
        int segmentsLeft = data[at + 3] & 0xFF;
        int addresses = (headerLength - 8) / 16;
        if (segmentsLeft == 0 || addresses == 0) {
            return null;
        }
        return switch (type) {
            case 0 -> Ipv6Address.read(data, at + 8 + 16 * (addresses - 1));
            case 4 -> Ipv6Address.read(data, at + 8);
            default -> null;
        };
    }

    /** The fragment header (RFC 8200 4.5), then the payload: reassembled when this fragment completes it, else data. */
    private static void dissectFragment(DissectionContext ctx, FieldNode parent, FieldNode ip, byte[] data, int at, int end,
                                        boolean noReassembly) {
        int nextHeader = data[at] & 0xFF;
        int offsetAndFlags = BigEndian.u16(data, at + 2);
        int fragmentOffset = offsetAndFlags & 0xFFF8;
        boolean more = (offsetAndFlags & 1) != 0;
        long identification = BigEndian.u32(data, at + 4);
        FieldNode header = ctx.add(ip, FRAGHDR, at, 8);
        if (header != null) {
            addNextHeader(ctx, header, FRAGHDR_NXT, at, nextHeader);
            ctx.add(header, FRAGHDR_RESERVED_OCTET, at + 1, 1, data[at + 1] & 0xFF);
            ctx.add(header, FRAGHDR_OFFSET, at + 2, 2, fragmentOffset >>> 3)
                    .text("Offset: " + (fragmentOffset >>> 3) + " (" + fragmentOffset + " bytes)");
            ctx.add(header, FRAGHDR_RESERVED_BITS, at + 2, 2, (offsetAndFlags >>> 1) & 3);
            ctx.add(header, FRAGHDR_MORE, at + 2, 2, more ? 1 : 0);
            ctx.add(header, FRAGHDR_IDENT, at + 4, 4, identification);
        }
        int payload = at + 8;
        int payloadLength = end - payload;
        ctx.ipProtocol = nextHeader;
        if (!more && fragmentOffset == 0) {
            // An atomic fragment (RFC 6946): the whole packet, nothing to wait for.
            dispatch(ctx, parent, nextHeader, payload, payloadLength);
            return;
        }
        Ipv4Reassembly.Reassembled whole = null;
        if (!noReassembly && payloadLength > 0) {
            whole = ctx.session.ipv6Reassembly.add(ctx.ipSource, ctx.ipDestination, 0, (int) identification, ctx.frameNumber,
                    fragmentOffset, more, data, payload, payloadLength);
        }
        if (whole != null) {
            dissectReassembled(ctx, parent, ip, whole, nextHeader);
            return;
        }
        StringBuilder info = ctx.setInfo().append("IPv6 fragment (off=").append(fragmentOffset).append(" more=")
                .append(more ? 'y' : 'n').append(" ident=0x");
        String hex = Long.toHexString(identification);
        info.append("0".repeat(8 - hex.length())).append(hex).append(" nxt=").append(nextHeader).append(')');
        DataDissector.dissect(ctx, parent, payload, payloadLength);
    }

    private static void dissectReassembled(DissectionContext ctx, FieldNode parent, FieldNode ip, Ipv4Reassembly.Reassembled whole,
                                           int nextHeader) {
        byte[] bytes = whole.bytes();
        byte[] frameData = ctx.data;
        int previous = ctx.pushDataSource("Reassembled IPv6 (" + bytes.length + " bytes)", bytes, bytes.length);
        if (ip != null) {
            FieldNode list = ctx.add(ip, FRAGMENTS, 0, bytes.length).generated()
                    .text(Ipv4Reassembly.fragmentsHeading(whole, "IPv6"));
            Ipv4Reassembly.addFragments(ctx, list, whole, FRAGMENT_FIELDS);
        }
        dispatch(ctx, parent, nextHeader, 0, bytes.length);
        ctx.popDataSource(previous, frameData);
    }

    /** Wireshark's names of the options it knows, by type byte; null for others. */
    static String optionName(long type) {
        return switch ((int) type) {
            case 0x00 -> "Pad1";
            case 0x01 -> "PadN";
            case 0x04 -> "Tunnel Encapsulation Limit";
            case 0x05 -> "Router Alert";
            case 0x07 -> "CALIPSO";
            case 0x08 -> "SMF_DPD";
            case 0x0F -> "Performance and Diagnostic Metrics";
            case 0x11 -> "IOAM";
            case 0x26 -> "Quick-Start";
            case 0x30 -> "Path MTU Record";
            case 0x63 -> "RPL Option";
            case 0xC2 -> "Jumbo Payload";
            case 0xC9 -> "Home Address";
            case 0xEE -> "ILNP Nonce";
            case 0x8B -> "Line-Identification Option";
            case 0x6D -> "MPL Option";
            case 0x31 -> "IP_DFF";
            default -> null;
        };
    }

    static String actionName(long action) {
        return switch ((int) action) {
            case 0 -> "Skip and continue";
            case 1 -> "Discard packet";
            case 2 -> "Discard and send ICMP Parameter Problem";
            default -> "Discard and send ICMP if not multicast";
        };
    }

    static String routerAlertName(long value) {
        return switch ((int) value) {
            case 0 -> "MLD";
            case 1 -> "RSVP";
            case 2 -> "Active Networks";
            default -> null;
        };
    }

    static String routingTypeName(long type) {
        return switch ((int) type) {
            case 0 -> "Source Route";
            case 1 -> "Nimrod";
            case 2 -> "Type 2 Routing";
            case 3 -> "RPL Source Route Header";
            case 4 -> "Segment Routing";
            case 5 -> "Compact Routing Header 16";
            case 6 -> "Compact Routing Header 32";
            case 253 -> "Experiment 1";
            case 254 -> "Experiment 2";
            default -> null;
        };
    }
}
