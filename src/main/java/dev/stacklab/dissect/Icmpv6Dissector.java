package dev.stacklab.dissect;

import dev.stacklab.wire.BigEndian;
import dev.stacklab.wire.Checksum;
import dev.stacklab.wire.Ipv6Address;

import java.util.List;
import java.util.Locale;

/**
 * ICMPv6 (RFC 4443) as tshark 4.0 shows it: the checksum verified over the pseudo-header (RFC 8200 section 8.1), echo
 * with request/reply matching, the errors with the packet they quote (dissected as far as its bytes go, its columns
 * fenced off), Neighbor Discovery (RFC 4861: router and neighbor solicitation and advertisement, redirect) with its
 * options, and MLD (RFC 2710 version 1, RFC 3810 version 2 queries and reports).
 */
final class Icmpv6Dissector {
    static final FieldDef ICMPV6 = FieldDef.protocol("icmpv6", "Internet Control Message Protocol v6");
    static final FieldDef TYPE = FieldDef.uint("icmpv6.type", "Type", Icmpv6Dissector::typeName);
    static final FieldDef CODE = FieldDef.uint("icmpv6.code", "Code");
    static final FieldDef CHECKSUM = FieldDef.hex("icmpv6.checksum", "Checksum", 4);
    static final FieldDef CHECKSUM_STATUS = FieldDef.uint("icmpv6.checksum.status", "Checksum Status", ChecksumStatus::name);
    static final FieldDef RESERVED = FieldDef.bytes("icmpv6.reserved", "Reserved");
    static final FieldDef MTU = FieldDef.uint("icmpv6.mtu", "MTU");
    static final FieldDef POINTER = FieldDef.uint("icmpv6.pointer", "Pointer");
    static final FieldDef ECHO_IDENTIFIER = FieldDef.hex("icmpv6.echo.identifier", "Identifier", 4);
    static final FieldDef ECHO_SEQUENCE = FieldDef.uint("icmpv6.echo.sequence_number", "Sequence");
    static final FieldDef RESPONSE_TO = FieldDef.frameNumber("icmpv6.resp_to", "Response To");
    /** A double in milliseconds in Wireshark; kept here as the text tshark prints for it. */
    static final FieldDef RESPONSE_TIME = FieldDef.string("icmpv6.resptime", "Response Time");

    static final FieldDef RA_CUR_HOP_LIMIT = FieldDef.uint("icmpv6.nd.ra.cur_hop_limit", "Cur hop limit");
    static final FieldDef RA_FLAG = FieldDef.hex("icmpv6.nd.ra.flag", "Flags", 2);
    static final FieldDef RA_FLAG_M = FieldDef.flag("icmpv6.nd.ra.flag.m", "Managed address configuration", 8, 0x80);
    static final FieldDef RA_FLAG_O = FieldDef.flag("icmpv6.nd.ra.flag.o", "Other configuration", 8, 0x40);
    static final FieldDef RA_FLAG_H = FieldDef.flag("icmpv6.nd.ra.flag.h", "Home Agent", 8, 0x20);
    static final FieldDef RA_FLAG_PRF = FieldDef.bits("icmpv6.nd.ra.flag.prf", "Prf (Default Router Preference)", 8, 0x18,
            Icmpv6Dissector::preferenceName);
    static final FieldDef RA_FLAG_P = FieldDef.flag("icmpv6.nd.ra.flag.p", "Proxy", 8, 0x04);
    static final FieldDef RA_FLAG_RSV = FieldDef.bits("icmpv6.nd.ra.flag.rsv", "Reserved", 8, 0x03);
    static final FieldDef RA_ROUTER_LIFETIME = FieldDef.uint("icmpv6.nd.ra.router_lifetime", "Router lifetime (s)");
    static final FieldDef RA_REACHABLE_TIME = FieldDef.uint("icmpv6.nd.ra.reachable_time", "Reachable time (ms)");
    static final FieldDef RA_RETRANS_TIMER = FieldDef.uint("icmpv6.nd.ra.retrans_timer", "Retrans timer (ms)");
    static final FieldDef NS_TARGET = FieldDef.ipv6("icmpv6.nd.ns.target_address", "Target Address");
    static final FieldDef NA_FLAG = FieldDef.hex("icmpv6.nd.na.flag", "Flags", 8);
    static final FieldDef NA_FLAG_R = FieldDef.flag("icmpv6.nd.na.flag.r", "Router", 32, 0x8000_0000L);
    static final FieldDef NA_FLAG_S = FieldDef.flag("icmpv6.nd.na.flag.s", "Solicited", 32, 0x4000_0000L);
    static final FieldDef NA_FLAG_O = FieldDef.flag("icmpv6.nd.na.flag.o", "Override", 32, 0x2000_0000L);
    static final FieldDef NA_FLAG_RSV = FieldDef.bits("icmpv6.nd.na.flag.rsv", "Reserved", 32, 0x1FFF_FFFFL);
    static final FieldDef NA_TARGET = FieldDef.ipv6("icmpv6.nd.na.target_address", "Target Address");
    static final FieldDef RD_TARGET = FieldDef.ipv6("icmpv6.nd.rd.target_address", "Target Address");
    static final FieldDef RD_DESTINATION = FieldDef.ipv6("icmpv6.nd.rd.destination_address", "Destination Address");

    static final FieldDef OPT = FieldDef.none("icmpv6.opt", "ICMPv6 Option");
    static final FieldDef OPT_TYPE = FieldDef.uint("icmpv6.opt.type", "Type", Icmpv6Dissector::optionName);
    static final FieldDef OPT_LENGTH = FieldDef.uint("icmpv6.opt.length", "Length");
    static final FieldDef OPT_RESERVED = FieldDef.none("icmpv6.opt.reserved", "Reserved");
    static final FieldDef OPT_PADDING = FieldDef.none("icmpv6.opt.padding", "Padding");
    static final FieldDef OPT_LINKADDR = FieldDef.mac("icmpv6.opt.linkaddr", "Link-layer address");
    static final FieldDef OPT_SRC_LINKADDR = FieldDef.mac("icmpv6.opt.src_linkaddr", "Source Link-layer address");
    static final FieldDef OPT_TARGET_LINKADDR = FieldDef.mac("icmpv6.opt.target_linkaddr", "Target Link-layer address");
    static final FieldDef OPT_PREFIX_LENGTH = FieldDef.uint("icmpv6.opt.prefix.length", "Prefix Length");
    static final FieldDef OPT_PREFIX_FLAG = FieldDef.hex("icmpv6.opt.prefix.flag", "Flag", 2);
    static final FieldDef OPT_PREFIX_FLAG_L = FieldDef.flag("icmpv6.opt.prefix.flag.l", "On-link flag(L)", 8, 0x80);
    static final FieldDef OPT_PREFIX_FLAG_A = FieldDef.flag("icmpv6.opt.prefix.flag.a", "Autonomous address-configuration flag(A)", 8, 0x40);
    static final FieldDef OPT_PREFIX_FLAG_R = FieldDef.flag("icmpv6.opt.prefix.flag.r", "Router address flag(R)", 8, 0x20);
    static final FieldDef OPT_PREFIX_FLAG_RESERVED = FieldDef.bits("icmpv6.opt.prefix.flag.reserved", "Reserved", 8, 0x1F);
    static final FieldDef OPT_PREFIX_VALID = FieldDef.uint("icmpv6.opt.prefix.valid_lifetime", "Valid Lifetime", Icmpv6Dissector::lifetimeName);
    static final FieldDef OPT_PREFIX_PREFERRED = FieldDef.uint("icmpv6.opt.prefix.preferred_lifetime", "Preferred Lifetime",
            Icmpv6Dissector::lifetimeName);
    static final FieldDef OPT_PREFIX = FieldDef.ipv6("icmpv6.opt.prefix", "Prefix");
    static final FieldDef OPT_NONCE = FieldDef.bytes("icmpv6.opt.nonce", "Nonce");
    static final FieldDef OPT_REDIRECTED_PACKET = FieldDef.none("icmpv6.opt.redirected_packet", "Redirected Packet");
    static final FieldDef OPT_MTU = FieldDef.uint("icmpv6.opt.mtu", "MTU");
    static final FieldDef OPT_RDNSS_LIFETIME = FieldDef.uint("icmpv6.opt.rdnss.lifetime", "Lifetime", Icmpv6Dissector::lifetimeName);
    static final FieldDef OPT_RDNSS = FieldDef.ipv6("icmpv6.opt.rdnss", "Recursive DNS Servers");
    static final FieldDef OPT_DNSSL_LIFETIME = FieldDef.uint("icmpv6.opt.dnssl.lifetime", "Lifetime", Icmpv6Dissector::lifetimeName);
    static final FieldDef OPT_DNSSL = FieldDef.string("icmpv6.opt.dnssl", "Domain Names");

    static final FieldDef MLD_MAXIMUM_RESPONSE_DELAY = FieldDef.uint("icmpv6.mld.maximum_response_delay", "Maximum Response Delay [ms]");
    static final FieldDef MLD_MULTICAST_ADDRESS = FieldDef.ipv6("icmpv6.mld.multicast_address", "Multicast Address");
    static final FieldDef MLD_MAXIMUM_RESPONSE_CODE = FieldDef.uint("icmpv6.mld.maximum_response_code", "Maximum Response Code");
    static final FieldDef MLD_FLAG = FieldDef.hex("icmpv6.mld.flag", "Flags", 2);
    static final FieldDef MLD_FLAG_S = FieldDef.flag("icmpv6.mld.flag.s", "Suppress Router-Side Processing", 8, 0x08, "True", "False");
    static final FieldDef MLD_FLAG_QRV = FieldDef.bits("icmpv6.mld.flag.qrv", "QRV (Querier's Robustness Variable)", 8, 0x07);
    static final FieldDef MLD_FLAG_RESERVED = FieldDef.bits("icmpv6.mld.flag.reserved", "Reserved", 8, 0xF0);
    static final FieldDef MLD_QQI = FieldDef.uint("icmpv6.mld.qqi", "QQIC (Querier's Query Interval Code)");
    static final FieldDef MLD_NB_SOURCES = FieldDef.uint("icmpv6.mld.nb_sources", "Number of Sources");
    static final FieldDef MLD_SOURCE_ADDRESS = FieldDef.ipv6("icmpv6.mld.source_address", "Source Address");
    static final FieldDef MLDR_NB_RECORDS = FieldDef.uint("icmpv6.mldr.nb_mcast_records", "Number of Multicast Address Records");
    static final FieldDef MLDR_MAR = FieldDef.none("icmpv6.mldr.mar", "Multicast Address Record");
    static final FieldDef MLDR_RECORD_TYPE = FieldDef.uint("icmpv6.mldr.mar.record_type", "Record Type", Icmpv6Dissector::recordTypeName);
    static final FieldDef MLDR_AUX_DATA_LEN = FieldDef.uint("icmpv6.mldr.mar.aux_data_len", "Aux Data Len");
    static final FieldDef MLDR_NB_SOURCES = FieldDef.uint("icmpv6.mldr.mar.nb_sources", "Number of Sources");
    static final FieldDef MLDR_MULTICAST_ADDRESS = FieldDef.ipv6("icmpv6.mldr.mar.multicast_address", "Multicast Address");
    static final FieldDef MLDR_SOURCE_ADDRESS = FieldDef.ipv6("icmpv6.mldr.mar.source_address", "Source Address");
    static final FieldDef MLDR_AUXILIARY_DATA = FieldDef.bytes("icmpv6.mldr.mar.auxiliary_data", "Auxiliary Data");

    static final List<FieldDef> FIELDS = List.of(ICMPV6, TYPE, CODE, CHECKSUM, CHECKSUM_STATUS, RESERVED, MTU, POINTER,
            ECHO_IDENTIFIER, ECHO_SEQUENCE, RESPONSE_TO, RESPONSE_TIME, RA_CUR_HOP_LIMIT, RA_FLAG, RA_FLAG_M, RA_FLAG_O, RA_FLAG_H,
            RA_FLAG_PRF, RA_FLAG_P, RA_FLAG_RSV, RA_ROUTER_LIFETIME, RA_REACHABLE_TIME, RA_RETRANS_TIMER, NS_TARGET, NA_FLAG,
            NA_FLAG_R, NA_FLAG_S, NA_FLAG_O, NA_FLAG_RSV, NA_TARGET, RD_TARGET, RD_DESTINATION, OPT, OPT_TYPE, OPT_LENGTH,
            OPT_RESERVED, OPT_PADDING, OPT_LINKADDR, OPT_SRC_LINKADDR, OPT_TARGET_LINKADDR, OPT_PREFIX_LENGTH, OPT_PREFIX_FLAG,
            OPT_PREFIX_FLAG_L, OPT_PREFIX_FLAG_A, OPT_PREFIX_FLAG_R, OPT_PREFIX_FLAG_RESERVED, OPT_PREFIX_VALID,
            OPT_PREFIX_PREFERRED, OPT_PREFIX, OPT_NONCE, OPT_REDIRECTED_PACKET, OPT_MTU, OPT_RDNSS_LIFETIME, OPT_RDNSS,
            OPT_DNSSL_LIFETIME, OPT_DNSSL, MLD_MAXIMUM_RESPONSE_DELAY, MLD_MULTICAST_ADDRESS, MLD_MAXIMUM_RESPONSE_CODE, MLD_FLAG,
            MLD_FLAG_S, MLD_FLAG_QRV, MLD_FLAG_RESERVED, MLD_QQI, MLD_NB_SOURCES, MLD_SOURCE_ADDRESS, MLDR_NB_RECORDS, MLDR_MAR,
            MLDR_RECORD_TYPE, MLDR_AUX_DATA_LEN, MLDR_NB_SOURCES, MLDR_MULTICAST_ADDRESS, MLDR_SOURCE_ADDRESS, MLDR_AUXILIARY_DATA);

    private static final int TYPE_DESTINATION_UNREACHABLE = 1;
    private static final int TYPE_PACKET_TOO_BIG = 2;
    private static final int TYPE_TIME_EXCEEDED = 3;
    private static final int TYPE_PARAMETER_PROBLEM = 4;
    private static final int TYPE_ECHO_REQUEST = 128;
    private static final int TYPE_ECHO_REPLY = 129;
    private static final int TYPE_MLD_QUERY = 130;
    private static final int TYPE_MLD_REPORT = 131;
    private static final int TYPE_MLD_DONE = 132;
    private static final int TYPE_ROUTER_SOLICITATION = 133;
    private static final int TYPE_ROUTER_ADVERTISEMENT = 134;
    private static final int TYPE_NEIGHBOR_SOLICITATION = 135;
    private static final int TYPE_NEIGHBOR_ADVERTISEMENT = 136;
    private static final int TYPE_REDIRECT = 137;
    private static final int TYPE_MLD_REPORT_V2 = 143;
    private static final int OPTION_SOURCE_LINK_ADDRESS = 1;
    private static final int OPTION_TARGET_LINK_ADDRESS = 2;
    private static final int OPTION_PREFIX_INFORMATION = 3;
    private static final int OPTION_REDIRECTED_HEADER = 4;
    private static final int OPTION_MTU = 5;
    private static final int OPTION_NONCE = 14;
    private static final int OPTION_RDNSS = 25;
    private static final int OPTION_DNSSL = 31;
    private static final int HEADER_LENGTH = 4;
    /** An MLDv1 message is 24 bytes; a version 2 query at least 28 (RFC 3810 section 8.1). */
    private static final int MLD_V2_QUERY_LENGTH = 28;
    /** Errors quoted in errors are not followed further than this (a quoted redirect holding a quoted error ...). */
    private static final int MAXIMUM_QUOTE_DEPTH = 2;

    private static final NodeText CORRECT_CHECKSUM_LINE = node -> "Checksum: " + FieldNode.hex(node.value(), 4) + " [correct]";
    private static final NodeText QUOTED_CHECKSUM_LINE = node -> "Checksum: " + FieldNode.hex(node.value(), 4)
            + " [unverified] [in ICMP error packet]";
    private static final NodeText OPTION_LENGTH_LINE = node -> "Length: " + node.value() + " (" + node.value() * 8 + " bytes)";
    private static final NodeText LINK_ADDRESS_LINE = node -> node.def().label() + ": " + EthernetDissector.display(node.value());

    private Icmpv6Dissector() {
    }

    static void dissect(DissectionContext ctx, FieldNode parent, int offset, int length) {
        ctx.setProtocol("ICMPv6");
        StringBuilder info = ctx.setInfo();
        byte[] data = ctx.data;
        if (length < HEADER_LENGTH) {
            ctx.malformed("ICMPv6: message of " + length + " bytes is shorter than the 4-byte header", offset + Math.max(0, length));
            return;
        }
        FieldNode icmp = ctx.add(parent, ICMPV6, offset, length);
        int type = data[offset] & 0xFF;
        int code = data[offset + 1] & 0xFF;
        String typeName = typeName(type);
        String codeName = codeName(type, code);
        info.append(typeName == null ? "Unknown (" + type + ")" : typeName);
        if (codeName != null) {
            info.append(" (").append(codeName).append(')');
        }
        FieldNode typeNode = ctx.add(icmp, TYPE, offset, 1, type);
        if (typeNode != null && typeName == null) {
            typeNode.text("Type: Unknown (" + type + ")");
        }
        FieldNode codeNode = ctx.add(icmp, CODE, offset + 1, 1, code);
        if (codeNode != null && codeName != null) {
            codeNode.text("Code: " + code + " (" + codeName + ")");
        }
        addChecksum(ctx, icmp, data, offset, length);
        int body = offset + HEADER_LENGTH;
        int end = offset + length;
        try {
            switch (type) {
                case TYPE_DESTINATION_UNREACHABLE, TYPE_TIME_EXCEEDED -> {
                    need(end - body, 4, "its unused word");
                    ctx.addBytes(icmp, RESERVED, body, 4);
                    dissectQuoted(ctx, icmp, body + 4, end - body - 4);
                }
                case TYPE_PACKET_TOO_BIG -> {
                    need(end - body, 4, "its MTU");
                    ctx.add(icmp, MTU, body, 4, BigEndian.u32(data, body));
                    dissectQuoted(ctx, icmp, body + 4, end - body - 4);
                }
                case TYPE_PARAMETER_PROBLEM -> {
                    need(end - body, 4, "its pointer");
                    ctx.add(icmp, POINTER, body, 4, BigEndian.u32(data, body));
                    dissectQuoted(ctx, icmp, body + 4, end - body - 4);
                }
                case TYPE_ECHO_REQUEST, TYPE_ECHO_REPLY -> dissectEcho(ctx, icmp, data, offset, body, end, type, info);
                case TYPE_MLD_QUERY, TYPE_MLD_REPORT, TYPE_MLD_DONE -> dissectMld(ctx, icmp, data, body, end, type);
                case TYPE_MLD_REPORT_V2 -> dissectMldv2Report(ctx, icmp, data, body, end);
                case TYPE_ROUTER_SOLICITATION -> {
                    need(end - body, 4, "its reserved word");
                    ctx.addBytes(icmp, RESERVED, body, 4);
                    dissectOptions(ctx, icmp, data, body + 4, end, info);
                }
                case TYPE_ROUTER_ADVERTISEMENT -> dissectRouterAdvertisement(ctx, icmp, data, body, end, info);
                case TYPE_NEIGHBOR_SOLICITATION -> {
                    need(end - body, 20, "its target address");
                    ctx.addBytes(icmp, RESERVED, body, 4);
                    Ipv6Address target = Ipv6Address.read(data, body + 4);
                    ctx.addIpv6(icmp, NS_TARGET, body + 4, target);
                    info.append(" for ").append(ctx.session.addressTexts.ipv6(target));
                    dissectOptions(ctx, icmp, data, body + 20, end, info);
                }
                case TYPE_NEIGHBOR_ADVERTISEMENT -> dissectNeighborAdvertisement(ctx, icmp, data, body, end, info);
                case TYPE_REDIRECT -> {
                    need(end - body, 36, "its target and destination addresses");
                    ctx.addBytes(icmp, RESERVED, body, 4);
                    ctx.addIpv6(icmp, RD_TARGET, body + 4, Ipv6Address.read(data, body + 4));
                    ctx.addIpv6(icmp, RD_DESTINATION, body + 20, Ipv6Address.read(data, body + 20));
                    dissectOptions(ctx, icmp, data, body + 36, end, info);
                }
                default -> DataDissector.dissect(ctx, icmp, body, end - body);
            }
        } catch (TooShort tooShort) {
            ctx.malformed("ICMPv6: " + typeNameOrNumber(type) + " of " + length + " bytes has no room for " + tooShort.getMessage(), end);
        }
    }

    /** Thrown, without a stack, when a message is too short for a part it must have. */
    private static final class TooShort extends Exception {
        TooShort(String what) {
            super(what, null, false, false);
        }
    }

    private static void need(int available, int needed, String what) throws TooShort {
        if (available < needed) {
            throw new TooShort(what);
        }
    }

    private static void addChecksum(DissectionContext ctx, FieldNode icmp, byte[] data, int offset, int length) {
        if (icmp == null) {
            // The verdict shows only in the tree; the columns do not depend on it.
            return;
        }
        int checksum = BigEndian.u16(data, offset + 2);
        FieldNode checksumNode = ctx.add(icmp, CHECKSUM, offset + 2, 2, checksum);
        if (ctx.quoteDepth > 0 || ctx.ipv6Source == null) {
            // A quoted message is usually cut short, so Wireshark does not check it.
            checksumNode.text(QUOTED_CHECKSUM_LINE);
            ChecksumStatus.add(ctx, icmp, CHECKSUM_STATUS, offset + 2, ChecksumStatus.UNVERIFIED);
            return;
        }
        // RFC 8200 section 8.1: the pseudo-header is the addresses, the upper-layer length and the next header (58).
        int sum = Checksum.add(0, ctx.ipv6Source.toBytes(), 0, 16);
        sum = Checksum.add(sum, ctx.ipv6Destination.toBytes(), 0, 16);
        sum = Checksum.addWord(sum, length >>> 16);
        sum = Checksum.addWord(sum, length & 0xFFFF);
        sum = Checksum.addWord(sum, 58);
        int withoutChecksum = Checksum.add(Checksum.add(sum, data, offset, 2), data, offset + 4, length - 4);
        if (Checksum.verify(Checksum.add(sum, data, offset, length))) {
            checksumNode.text(CORRECT_CHECKSUM_LINE);
            ChecksumStatus.add(ctx, icmp, CHECKSUM_STATUS, offset + 2, ChecksumStatus.GOOD);
        } else {
            String expected = FieldNode.hex(Checksum.finish(withoutChecksum), 4);
            checksumNode.text("Checksum: " + FieldNode.hex(checksum, 4) + " incorrect, should be " + expected);
            ctx.addExpert(checksumNode, offset + 2, 2, "Warning/Checksum", "Bad checksum [should be " + expected + "]");
            ChecksumStatus.add(ctx, icmp, CHECKSUM_STATUS, offset + 2, ChecksumStatus.BAD);
        }
    }

    private static void dissectEcho(DissectionContext ctx, FieldNode icmp, byte[] data, int offset, int body, int end, int type,
                                    StringBuilder info) throws TooShort {
        need(end - body, 4, "its identifier and sequence number");
        int identifier = BigEndian.u16(data, body);
        int sequence = BigEndian.u16(data, body + 2);
        ctx.add(icmp, ECHO_IDENTIFIER, body, 2, identifier);
        ctx.add(icmp, ECHO_SEQUENCE, body + 2, 2, sequence);
        info.append(" id=0x");
        String hex = Integer.toHexString(identifier);
        info.append("0".repeat(4 - hex.length())).append(hex).append(", seq=").append(sequence);
        if (ctx.ipTtl >= 0) {
            info.append(", hop limit=").append(ctx.ipTtl);
        }
        if (ctx.quoteDepth == 0) {
            int checksum = BigEndian.u16(data, offset + 2);
            IcmpTransactions transactions = ctx.session.icmpv6Transactions;
            if (type == TYPE_ECHO_REQUEST) {
                // The reply sums 0x0100 more than the request: only the type changes, from 128 to 129.
                transactions.request(ctx.ipSource, ctx.ipDestination, identifier, sequence, checksum, 0x0100,
                        ctx.frameNumber, ctx.timestampNanos);
            } else {
                IcmpTransactions.Transaction request = transactions.reply(ctx.ipSource, ctx.ipDestination, identifier, sequence,
                        checksum, ctx.frameNumber);
                if (request != null) {
                    info.append(" (request in ").append(request.requestFrame).append(')');
                    if (icmp != null) {
                        ctx.add(icmp, RESPONSE_TO, offset, 0, request.requestFrame).generated();
                        long nanos = ctx.timestampNanos - request.requestTimestampNanos;
                        double milliseconds = nanos / 1_000_000.0;
                        ctx.addString(icmp, RESPONSE_TIME, offset, 0, new LazyString(() -> IcmpDissector.formatDouble(nanos)))
                                .text(node -> "Response Time: " + String.format(Locale.ROOT, "%.3f", milliseconds) + " ms").generated();
                    }
                }
            }
        }
        DataDissector.dissect(ctx, icmp, body + 4, end - body - 4);
    }

    private static void dissectMld(DissectionContext ctx, FieldNode icmp, byte[] data, int body, int end, int type) throws TooShort {
        need(end - body, 20, "its multicast address");
        boolean version2Query = type == TYPE_MLD_QUERY && end - body >= MLD_V2_QUERY_LENGTH - HEADER_LENGTH;
        ctx.add(icmp, version2Query ? MLD_MAXIMUM_RESPONSE_CODE : MLD_MAXIMUM_RESPONSE_DELAY, body, 2, BigEndian.u16(data, body));
        ctx.addBytes(icmp, RESERVED, body + 2, 2);
        ctx.addIpv6(icmp, MLD_MULTICAST_ADDRESS, body + 4, Ipv6Address.read(data, body + 4));
        if (!version2Query) {
            return;
        }
        int flags = data[body + 20] & 0xFF;
        FieldNode flagsNode = ctx.add(icmp, MLD_FLAG, body + 20, 1, flags);
        if (flagsNode != null) {
            flagsNode.text("Flags: " + FieldNode.hex(flags, 2) + ((flags & 0x08) != 0 ? ", Suppress Router-Side Processing" : ""));
            ctx.add(flagsNode, MLD_FLAG_S, body + 20, 1, (flags >>> 3) & 1);
            ctx.add(flagsNode, MLD_FLAG_QRV, body + 20, 1, flags & 7);
            ctx.add(flagsNode, MLD_FLAG_RESERVED, body + 20, 1, flags >>> 4);
        }
        ctx.add(icmp, MLD_QQI, body + 21, 1, data[body + 21] & 0xFF);
        int sources = BigEndian.u16(data, body + 22);
        ctx.add(icmp, MLD_NB_SOURCES, body + 22, 2, sources);
        int at = body + 24;
        for (int i = 0; i < sources && at + 16 <= end; i++, at += 16) {
            ctx.addIpv6(icmp, MLD_SOURCE_ADDRESS, at, Ipv6Address.read(data, at));
        }
        if (at < body + 24 + 16L * sources) {
            ctx.malformed("ICMPv6: MLDv2 query lists " + sources + " sources, more than its bytes hold", end);
        }
    }

    private static void dissectMldv2Report(DissectionContext ctx, FieldNode icmp, byte[] data, int body, int end) throws TooShort {
        need(end - body, 4, "its record count");
        ctx.addBytes(icmp, RESERVED, body, 2);
        int records = BigEndian.u16(data, body + 2);
        ctx.add(icmp, MLDR_NB_RECORDS, body + 2, 2, records);
        int at = body + 4;
        for (int i = 0; i < records; i++) {
            if (end - at < 20) {
                ctx.malformed("ICMPv6: MLDv2 report lists " + records + " records, more than its bytes hold", at);
                return;
            }
            int recordType = data[at] & 0xFF;
            int auxiliaryWords = data[at + 1] & 0xFF;
            int sources = BigEndian.u16(data, at + 2);
            int recordLength = 20 + 16 * sources + 4 * auxiliaryWords;
            if (end - at < recordLength) {
                ctx.malformed("ICMPv6: MLDv2 address record of " + recordLength + " bytes goes past the message's end", at);
                return;
            }
            Ipv6Address group = Ipv6Address.read(data, at + 4);
            String recordName = recordTypeName(recordType);
            FieldNode record = ctx.add(icmp, MLDR_MAR, at, recordLength);
            if (record != null) {
                record.text("Multicast Address Record " + (recordName == null ? "Unknown" : recordName) + ": "
                        + ctx.session.addressTexts.ipv6(group));
                ctx.add(record, MLDR_RECORD_TYPE, at, 1, recordType);
                ctx.add(record, MLDR_AUX_DATA_LEN, at + 1, 1, auxiliaryWords);
                ctx.add(record, MLDR_NB_SOURCES, at + 2, 2, sources);
                ctx.addIpv6(record, MLDR_MULTICAST_ADDRESS, at + 4, group);
                for (int source = 0; source < sources; source++) {
                    int sourceAt = at + 20 + 16 * source;
                    ctx.addIpv6(record, MLDR_SOURCE_ADDRESS, sourceAt, Ipv6Address.read(data, sourceAt));
                }
                if (auxiliaryWords > 0) {
                    ctx.addBytes(record, MLDR_AUXILIARY_DATA, at + 20 + 16 * sources, 4 * auxiliaryWords);
                }
            }
            at += recordLength;
        }
    }

    private static void dissectRouterAdvertisement(DissectionContext ctx, FieldNode icmp, byte[] data, int body, int end,
                                                   StringBuilder info) throws TooShort {
        need(end - body, 12, "its hop limit, flags, lifetime and timers");
        ctx.add(icmp, RA_CUR_HOP_LIMIT, body, 1, data[body] & 0xFF);
        int flags = data[body + 1] & 0xFF;
        FieldNode flagsNode = ctx.add(icmp, RA_FLAG, body + 1, 1, flags);
        if (flagsNode != null) {
            StringBuilder text = new StringBuilder("Flags: ").append(FieldNode.hex(flags, 2));
            if ((flags & 0x80) != 0) {
                text.append(", Managed address configuration");
            }
            if ((flags & 0x40) != 0) {
                text.append(", Other configuration");
            }
            if ((flags & 0x20) != 0) {
                text.append(", Home Agent");
            }
            text.append(", Prf (Default Router Preference): ").append(preferenceName((flags >>> 3) & 3));
            if ((flags & 0x04) != 0) {
                text.append(", Proxy");
            }
            flagsNode.text(text.toString());
            ctx.add(flagsNode, RA_FLAG_M, body + 1, 1, (flags >>> 7) & 1);
            ctx.add(flagsNode, RA_FLAG_O, body + 1, 1, (flags >>> 6) & 1);
            ctx.add(flagsNode, RA_FLAG_H, body + 1, 1, (flags >>> 5) & 1);
            ctx.add(flagsNode, RA_FLAG_PRF, body + 1, 1, (flags >>> 3) & 3);
            ctx.add(flagsNode, RA_FLAG_P, body + 1, 1, (flags >>> 2) & 1);
            ctx.add(flagsNode, RA_FLAG_RSV, body + 1, 1, flags & 3);
        }
        ctx.add(icmp, RA_ROUTER_LIFETIME, body + 2, 2, BigEndian.u16(data, body + 2));
        ctx.add(icmp, RA_REACHABLE_TIME, body + 4, 4, BigEndian.u32(data, body + 4));
        ctx.add(icmp, RA_RETRANS_TIMER, body + 8, 4, BigEndian.u32(data, body + 8));
        dissectOptions(ctx, icmp, data, body + 12, end, info);
    }

    private static void dissectNeighborAdvertisement(DissectionContext ctx, FieldNode icmp, byte[] data, int body, int end,
                                                     StringBuilder info) throws TooShort {
        need(end - body, 20, "its target address");
        long flags = BigEndian.u32(data, body);
        Ipv6Address target = Ipv6Address.read(data, body + 4);
        FieldNode flagsNode = ctx.add(icmp, NA_FLAG, body, 4, flags);
        StringBuilder names = new StringBuilder();
        appendFlag(names, flags, 0x8000_0000L, "rtr");
        appendFlag(names, flags, 0x4000_0000L, "sol");
        appendFlag(names, flags, 0x2000_0000L, "ovr");
        if (flagsNode != null) {
            StringBuilder text = new StringBuilder("Flags: ").append(FieldNode.hex(flags, 8));
            if ((flags & 0x8000_0000L) != 0) {
                text.append(", Router");
            }
            if ((flags & 0x4000_0000L) != 0) {
                text.append(", Solicited");
            }
            if ((flags & 0x2000_0000L) != 0) {
                text.append(", Override");
            }
            flagsNode.text(text.toString());
            ctx.add(flagsNode, NA_FLAG_R, body, 4, (flags >>> 31) & 1);
            ctx.add(flagsNode, NA_FLAG_S, body, 4, (flags >>> 30) & 1);
            ctx.add(flagsNode, NA_FLAG_O, body, 4, (flags >>> 29) & 1);
            ctx.add(flagsNode, NA_FLAG_RSV, body, 4, flags & 0x1FFF_FFFFL);
        }
        ctx.addIpv6(icmp, NA_TARGET, body + 4, target);
        info.append(' ').append(ctx.session.addressTexts.ipv6(target));
        if (names.length() > 0) {
            info.append(" (").append(names).append(')');
        }
        dissectOptions(ctx, icmp, data, body + 20, end, info);
    }

    private static void appendFlag(StringBuilder names, long flags, long bit, String name) {
        if ((flags & bit) != 0) {
            if (names.length() > 0) {
                names.append(", ");
            }
            names.append(name);
        }
    }

    /** Neighbor Discovery options (RFC 4861 section 4.6, RFC 8106 for the DNS ones), each a type, a length in 8-byte units and its value. */
    private static void dissectOptions(DissectionContext ctx, FieldNode icmp, byte[] data, int at, int end, StringBuilder info) {
        while (at < end) {
            if (end - at < 2) {
                ctx.malformed("ICMPv6: option header goes past the message's end", at);
                return;
            }
            int type = data[at] & 0xFF;
            int units = data[at + 1] & 0xFF;
            int optionLength = units * 8;
            if (units == 0) {
                FieldNode option = ctx.add(icmp, OPT, at, 2);
                if (option != null) {
                    option.text("ICMPv6 Option (" + optionNameOrUnknown(type) + ")");
                    ctx.add(option, OPT_TYPE, at, 1, type);
                    ctx.add(option, OPT_LENGTH, at + 1, 1, 0).text(OPTION_LENGTH_LINE);
                }
                ctx.malformed("ICMPv6: option of length 0 (RFC 4861 section 4.6: nodes must discard such packets)", at + 1);
                return;
            }
            if (end - at < optionLength) {
                ctx.malformed("ICMPv6: option of " + optionLength + " bytes goes past the message's end", at);
                return;
            }
            dissectOption(ctx, icmp, data, at, type, units, optionLength, info);
            at += optionLength;
        }
    }

    private static void dissectOption(DissectionContext ctx, FieldNode icmp, byte[] data, int at, int type, int units, int optionLength,
                                      StringBuilder info) {
        int value = at + 2;
        if ((type == OPTION_SOURCE_LINK_ADDRESS || type == OPTION_TARGET_LINK_ADDRESS) && optionLength == 8) {
            long mac = BigEndian.u48(data, value);
            // Named as the address columns name it, in the heading and the Info column alike.
            String shown = EthernetDissector.resolvedName(mac);
            info.append(type == OPTION_SOURCE_LINK_ADDRESS ? " from " : " is at ").append(shown);
            FieldNode option = optionHeading(ctx, icmp, at, type, units, optionName(type) + " : " + shown);
            if (option != null) {
                ctx.add(option, OPT_LINKADDR, value, 6, mac).text(LINK_ADDRESS_LINE);
                ctx.add(option, type == OPTION_SOURCE_LINK_ADDRESS ? OPT_SRC_LINKADDR : OPT_TARGET_LINKADDR, value, 6, mac).hidden();
            }
            return;
        }
        if (type == OPTION_PREFIX_INFORMATION && optionLength == 32) {
            int prefixLength = data[value] & 0xFF;
            Ipv6Address prefix = Ipv6Address.read(data, at + 16);
            FieldNode option = optionHeading(ctx, icmp, at, type, units,
                    "Prefix information : " + ctx.session.addressTexts.ipv6(prefix) + "/" + prefixLength);
            if (option == null) {
                return;
            }
            ctx.add(option, OPT_PREFIX_LENGTH, value, 1, prefixLength);
            int flags = data[value + 1] & 0xFF;
            StringBuilder text = new StringBuilder("Flag: ").append(FieldNode.hex(flags, 2));
            if ((flags & 0x80) != 0) {
                text.append(", On-link flag(L)");
            }
            if ((flags & 0x40) != 0) {
                text.append(", Autonomous address-configuration flag(A)");
            }
            if ((flags & 0x20) != 0) {
                text.append(", Router address flag(R)");
            }
            FieldNode flagsNode = ctx.add(option, OPT_PREFIX_FLAG, value + 1, 1, flags).text(text.toString());
            ctx.add(flagsNode, OPT_PREFIX_FLAG_L, value + 1, 1, (flags >>> 7) & 1);
            ctx.add(flagsNode, OPT_PREFIX_FLAG_A, value + 1, 1, (flags >>> 6) & 1);
            ctx.add(flagsNode, OPT_PREFIX_FLAG_R, value + 1, 1, (flags >>> 5) & 1);
            ctx.add(flagsNode, OPT_PREFIX_FLAG_RESERVED, value + 1, 1, flags & 0x1F);
            ctx.add(option, OPT_PREFIX_VALID, at + 4, 4, BigEndian.u32(data, at + 4));
            ctx.add(option, OPT_PREFIX_PREFERRED, at + 8, 4, BigEndian.u32(data, at + 8));
            ctx.add(option, OPT_RESERVED, at + 12, 4);
            ctx.addIpv6(option, OPT_PREFIX, at + 16, prefix);
            return;
        }
        if (type == OPTION_MTU && optionLength == 8) {
            long mtu = BigEndian.u32(data, at + 4);
            FieldNode option = optionHeading(ctx, icmp, at, type, units, "MTU : " + mtu);
            ctx.add(option, OPT_RESERVED, value, 2);
            ctx.add(option, OPT_MTU, at + 4, 4, mtu);
            return;
        }
        if (type == OPTION_NONCE) {
            FieldNode option = optionHeading(ctx, icmp, at, type, units, "Nonce");
            ctx.addBytes(option, OPT_NONCE, value, optionLength - 2);
            return;
        }
        if (type == OPTION_RDNSS && optionLength >= 24) {
            StringBuilder servers = new StringBuilder();
            for (int server = at + 8; server + 16 <= at + optionLength; server += 16) {
                servers.append(servers.length() == 0 ? "" : " ").append(ctx.session.addressTexts.ipv6(Ipv6Address.read(data, server)));
            }
            FieldNode option = optionHeading(ctx, icmp, at, type, units, "Recursive DNS Server " + servers);
            if (option == null) {
                return;
            }
            ctx.add(option, OPT_RESERVED, value, 2);
            ctx.add(option, OPT_RDNSS_LIFETIME, at + 4, 4, BigEndian.u32(data, at + 4));
            for (int server = at + 8; server + 16 <= at + optionLength; server += 16) {
                ctx.addIpv6(option, OPT_RDNSS, server, Ipv6Address.read(data, server));
            }
            return;
        }
        if (type == OPTION_DNSSL && optionLength >= 16) {
            int namesEnd = at + optionLength;
            StringBuilder names = new StringBuilder();
            int at8 = at + 8;
            int cursor = at8;
            int lastNameEnd = at8;
            // RFC 8106 section 5.2: names in DNS label form, each ended by a zero label, then zero padding.
            while (cursor < namesEnd && data[cursor] != 0) {
                StringBuilder name = new StringBuilder();
                while (cursor < namesEnd && data[cursor] != 0) {
                    int label = data[cursor] & 0xFF;
                    if (label > 63 || cursor + 1 + label > namesEnd) {
                        cursor = namesEnd;
                        name.setLength(0);
                        break;
                    }
                    if (name.length() > 0) {
                        name.append('.');
                    }
                    name.append(new String(data, cursor + 1, label, java.nio.charset.StandardCharsets.ISO_8859_1));
                    cursor += 1 + label;
                }
                if (name.length() == 0) {
                    break;
                }
                cursor++;
                names.append(names.length() == 0 ? "" : " ").append(name);
                lastNameEnd = cursor;
            }
            FieldNode option = optionHeading(ctx, icmp, at, type, units, "DNS Search List Option " + names);
            if (option == null) {
                return;
            }
            ctx.add(option, OPT_RESERVED, value, 2);
            ctx.add(option, OPT_DNSSL_LIFETIME, at + 4, 4, BigEndian.u32(data, at + 4));
            ctx.addString(option, OPT_DNSSL, at8, lastNameEnd - at8, names.toString());
            if (lastNameEnd < namesEnd) {
                ctx.add(option, OPT_PADDING, lastNameEnd, namesEnd - lastNameEnd);
            }
            return;
        }
        if (type == OPTION_REDIRECTED_HEADER) {
            FieldNode option = optionHeading(ctx, icmp, at, type, units, "Redirected header");
            ctx.add(option, OPT_RESERVED, value, 6);
            ctx.add(option, OPT_REDIRECTED_PACKET, at + 8, optionLength - 8);
            if (option != null) {
                dissectQuoted(ctx, option, at + 8, optionLength - 8);
            }
            return;
        }
        optionHeading(ctx, icmp, at, type, units, optionNameOrUnknown(type));
    }

    private static FieldNode optionHeading(DissectionContext ctx, FieldNode icmp, int at, int type, int units, String what) {
        FieldNode option = ctx.add(icmp, OPT, at, units * 8);
        if (option == null) {
            return null;
        }
        option.text("ICMPv6 Option (" + what + ")");
        ctx.add(option, OPT_TYPE, at, 1, type);
        ctx.add(option, OPT_LENGTH, at + 1, 1, units).text(OPTION_LENGTH_LINE);
        return option;
    }

    /**
     * The packet an error (or a redirect) quotes: its IPv6 header and what follows, as far as the bytes go, dissected
     * under {@code parent}; the columns stay this message's.
     */
    private static void dissectQuoted(DissectionContext ctx, FieldNode parent, int offset, int length) {
        if (length <= 0 || ctx.quoteDepth >= MAXIMUM_QUOTE_DEPTH) {
            return;
        }
        boolean fenced = ctx.columnsFenced;
        int ipSource = ctx.ipSource;
        int ipDestination = ctx.ipDestination;
        int ipProtocol = ctx.ipProtocol;
        int ipTtl = ctx.ipTtl;
        int ipVersion = ctx.ipVersion;
        Ipv6Address ipv6Source = ctx.ipv6Source;
        Ipv6Address ipv6Destination = ctx.ipv6Destination;
        ctx.quoteDepth++;
        ctx.columnsFenced = true;
        try {
            Ipv6Dissector.dissect(ctx, parent, offset, length);
        } finally {
            ctx.quoteDepth--;
            ctx.columnsFenced = fenced;
            ctx.ipSource = ipSource;
            ctx.ipDestination = ipDestination;
            ctx.ipProtocol = ipProtocol;
            ctx.ipTtl = ipTtl;
            ctx.ipVersion = ipVersion;
            ctx.ipv6Source = ipv6Source;
            ctx.ipv6Destination = ipv6Destination;
        }
    }

    private static String typeNameOrNumber(int type) {
        String name = typeName(type);
        return name == null ? "type " + type : name;
    }

    /** Wireshark's names for ICMPv6 types ({@code icmpv6_type_val}). */
    static String typeName(long type) {
        return switch ((int) type) {
            case 1 -> "Destination Unreachable";
            case 2 -> "Packet Too Big";
            case 3 -> "Time Exceeded";
            case 4 -> "Parameter Problem";
            case 100, 101, 200, 201 -> "Private experimentation";
            case 127, 255 -> "Reserved for expansion of ICMPv6 error messages";
            case 128 -> "Echo (ping) request";
            case 129 -> "Echo (ping) reply";
            case 130 -> "Multicast Listener Query";
            case 131 -> "Multicast Listener Report";
            case 132 -> "Multicast Listener Done";
            case 133 -> "Router Solicitation";
            case 134 -> "Router Advertisement";
            case 135 -> "Neighbor Solicitation";
            case 136 -> "Neighbor Advertisement";
            case 137 -> "Redirect";
            case 138 -> "Router Renumbering";
            case 139 -> "ICMP Node Information Query";
            case 140 -> "ICMP Node Information Response";
            case 141 -> "Inverse Neighbor Discovery Solicitation Message";
            case 142 -> "Inverse Neighbor Discovery Advertisement Message";
            case 143 -> "Multicast Listener Report Message v2";
            case 144 -> "Home Agent Address Discovery Request Message";
            case 145 -> "Home Agent Address Discovery Reply Message";
            case 146 -> "Mobile Prefix Solicitation";
            case 147 -> "Mobile Prefix Advertisement";
            case 148 -> "Certification Path Solicitation Message";
            case 149 -> "Certification Path Advertisement Message";
            case 150 -> "Experimental Mobility Protocols";
            case 151 -> "Multicast Router Advertisement";
            case 152 -> "Multicast Router Solicitation";
            case 153 -> "Multicast Router Termination";
            case 154 -> "FMIPv6 Messages";
            case 155 -> "RPL Control Message";
            case 156 -> "ILNPv6 Locator Update Message";
            case 157 -> "Duplicate Address Request";
            case 158 -> "Duplicate Address Confirmation";
            case 159 -> "MPL Control Message";
            case 160 -> "Extended Echo request";
            case 161 -> "Extended Echo reply";
            default -> null;
        };
    }

    /** The code's name for the error types (RFC 4443 section 3), null for others. */
    static String codeName(int type, int code) {
        return switch (type) {
            case TYPE_DESTINATION_UNREACHABLE -> switch (code) {
                case 0 -> "no route to destination";
                case 1 -> "Administratively prohibited";
                case 2 -> "Beyond scope of source address";
                case 3 -> "Address unreachable";
                case 4 -> "Port unreachable";
                case 5 -> "Source address failed ingress/egress policy";
                case 6 -> "Reject route to destination";
                case 7 -> "Error in Source Routing Header";
                default -> null;
            };
            case TYPE_TIME_EXCEEDED -> switch (code) {
                case 0 -> "hop limit exceeded in transit";
                case 1 -> "fragment reassembly time exceeded";
                default -> null;
            };
            case TYPE_PARAMETER_PROBLEM -> switch (code) {
                case 0 -> "erroneous header field encountered";
                case 1 -> "unrecognized Next Header type encountered";
                case 2 -> "unrecognized IPv6 option encountered";
                case 3 -> "IPv6 First Fragment has incomplete IPv6 Header Chain";
                default -> null;
            };
            default -> null;
        };
    }

    static String optionName(long type) {
        return switch ((int) type) {
            case 1 -> "Source link-layer address";
            case 2 -> "Target link-layer address";
            case 3 -> "Prefix information";
            case 4 -> "Redirected header";
            case 5 -> "MTU";
            case 6 -> "NBMA Shortcut Limit Option";
            case 7 -> "Advertisement Interval";
            case 8 -> "Home Agent Information";
            case 14 -> "Nonce";
            case 24 -> "Route Information";
            case 25 -> "Recursive DNS Server";
            case 31 -> "DNS Search List Option";
            case 37 -> "Captive-Portal";
            case 38 -> "PREF64 Option";
            default -> null;
        };
    }

    private static String optionNameOrUnknown(int type) {
        String name = optionName(type);
        return name == null ? "Unknown " + type : name;
    }

    static String preferenceName(long preference) {
        return switch ((int) preference) {
            case 0 -> "Medium";
            case 1 -> "High";
            case 2 -> "Reserved";
            default -> "Low";
        };
    }

    static String lifetimeName(long lifetime) {
        return lifetime == 0xFFFF_FFFFL ? "Infinity" : null;
    }

    static String recordTypeName(long type) {
        return switch ((int) type) {
            case 1 -> "Include";
            case 2 -> "Exclude";
            case 3 -> "Changed to include";
            case 4 -> "Changed to exclude";
            case 5 -> "Allow new sources";
            case 6 -> "Block old sources";
            default -> null;
        };
    }
}
