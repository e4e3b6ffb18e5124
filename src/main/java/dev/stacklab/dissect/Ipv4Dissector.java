package dev.stacklab.dissect;

import dev.stacklab.wire.BigEndian;
import dev.stacklab.wire.Checksum;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.Ipv4Option;
import dev.stacklab.wire.Ipv4Packet;
import dev.stacklab.wire.MalformedPacketException;

import java.util.List;

/**
 * IPv4 (RFC 791) as tshark 4.0 shows it: header fields, options, display reassembly of fragments,
 * then the payload by protocol number. The header checksum is always verified (as tshark does with
 * {@code -o ip.check_checksum:TRUE}; its default leaves it unverified): the verdict, the status, the
 * calculated value and, when bad, an error note.
 */
final class Ipv4Dissector {
    static final FieldDef IP = FieldDef.protocol("ip", "Internet Protocol Version 4");
    static final FieldDef VERSION = FieldDef.bits("ip.version", "Version", 8, 0xF0);
    /** Holds the length in bytes as tshark prints it; its line shows the IHL bits itself. */
    static final FieldDef HDR_LEN = FieldDef.uint("ip.hdr_len", "Header Length");
    static final FieldDef DSFIELD = FieldDef.hex("ip.dsfield", "Differentiated Services Field", 2);
    static final FieldDef DSCP = FieldDef.bits("ip.dsfield.dscp", "Differentiated Services Codepoint", 8, 0xFC, Ipv4Dissector::dscpName);
    static final FieldDef ECN = FieldDef.bits("ip.dsfield.ecn", "Explicit Congestion Notification", 8, 0x03, Ipv4Dissector::ecnName);
    static final FieldDef LEN = FieldDef.uint("ip.len", "Total Length");
    static final FieldDef ID = FieldDef.hex("ip.id", "Identification", 4);
    static final FieldDef FLAGS = FieldDef.hexBits("ip.flags", "Flags", 2, 8, 0xE0);
    static final FieldDef FLAG_RB = FieldDef.flag("ip.flags.rb", "Reserved bit", 8, 0x80);
    static final FieldDef FLAG_DF = FieldDef.flag("ip.flags.df", "Don't fragment", 8, 0x40);
    static final FieldDef FLAG_MF = FieldDef.flag("ip.flags.mf", "More fragments", 8, 0x20);
    /** Holds the raw 13-bit value, as tshark prints it; its line shows the offset in bytes. */
    static final FieldDef FRAG_OFFSET = FieldDef.bits("ip.frag_offset", "Fragment Offset", 16, 0x1FFF);
    static final FieldDef TTL = FieldDef.uint("ip.ttl", "Time to Live");
    static final FieldDef PROTO = FieldDef.uint("ip.proto", "Protocol", IpProtocolNames::name);
    static final FieldDef CHECKSUM = FieldDef.hex("ip.checksum", "Header Checksum", 4);
    static final FieldDef CHECKSUM_STATUS = FieldDef.uint("ip.checksum.status", "Header checksum status");
    static final FieldDef CHECKSUM_CALCULATED = FieldDef.hex("ip.checksum_calculated", "Calculated Checksum", 4);
    static final FieldDef SRC = FieldDef.ipv4("ip.src", "Source Address");
    static final FieldDef ADDR = FieldDef.ipv4("ip.addr", "Source or Destination Address");
    static final FieldDef SRC_HOST = FieldDef.string("ip.src_host", "Source Host");
    static final FieldDef HOST = FieldDef.string("ip.host", "Source or Destination Host");
    static final FieldDef DST = FieldDef.ipv4("ip.dst", "Destination Address");
    static final FieldDef DST_HOST = FieldDef.string("ip.dst_host", "Destination Host");

    static final FieldDef OPT_EOL = FieldDef.bytes("ip.options.eol", "IP Option - End of Options List (EOL)");
    static final FieldDef OPT_NOP = FieldDef.bytes("ip.options.nop", "IP Option - No-Operation (NOP)");
    static final FieldDef OPT_RECORD_ROUTE = FieldDef.bytes("ip.options.record_route", "IP Option - Record Route");
    static final FieldDef OPT_ROUTER_ALERT = FieldDef.bytes("ip.options.routeralert", "IP Option - Router Alert");
    static final FieldDef OPT_SECURITY = FieldDef.bytes("ip.options.security", "IP Option - Security");
    static final FieldDef OPT_LOOSE_ROUTE = FieldDef.bytes("ip.options.route", "IP Option - Loose Source Route");
    static final FieldDef OPT_TIMESTAMP = FieldDef.bytes("ip.options.timestamp", "IP Option - Time Stamp");
    static final FieldDef OPT_EXT_SECURITY = FieldDef.bytes("ip.options.ext_security", "IP Option - Extended Security");
    static final FieldDef OPT_CIPSO = FieldDef.bytes("ip.options.cipso", "IP Option - Commercial Security");
    static final FieldDef OPT_SID = FieldDef.bytes("ip.options.sid", "IP Option - Stream ID");
    static final FieldDef OPT_STRICT_ROUTE = FieldDef.bytes("ip.options.source_route", "IP Option - Strict Source Route");
    static final FieldDef OPT_MTU_PROBE = FieldDef.bytes("ip.options.mtu_probe", "IP Option - MTU Probe");
    static final FieldDef OPT_MTU_REPLY = FieldDef.bytes("ip.options.mtu_reply", "IP Option - MTU Reply");
    static final FieldDef OPT_TRACEROUTE = FieldDef.bytes("ip.options.traceroute", "IP Option - Traceroute");
    static final FieldDef OPT_SDB = FieldDef.bytes("ip.options.sdb", "IP Option - Selective Directed Broadcast");
    static final FieldDef OPT_QUICK_START = FieldDef.bytes("ip.options.qs", "IP Option - Quick-Start");
    static final FieldDef OPT_TYPE = FieldDef.uint("ip.opt.type", "Type");
    static final FieldDef OPT_TYPE_COPY = FieldDef.flag("ip.opt.type.copy", "Copy on fragmentation", 8, 0x80, "Yes", "No");
    static final FieldDef OPT_TYPE_CLASS = FieldDef.bits("ip.opt.type.class", "Class", 8, 0x60, Ipv4Dissector::optionClassName);
    static final FieldDef OPT_TYPE_NUMBER = FieldDef.bits("ip.opt.type.number", "Number", 8, 0x1F, Ipv4Dissector::optionNumberName);
    static final FieldDef OPT_LEN = FieldDef.uint("ip.opt.len", "Length");
    static final FieldDef OPT_PTR = FieldDef.uint("ip.opt.ptr", "Pointer");
    static final FieldDef OPT_RA = FieldDef.uint("ip.opt.ra", "Router Alert", v -> v == 0 ? "Router shall examine packet" : null);
    static final FieldDef REC_RT = FieldDef.ipv4("ip.rec_rt", "Recorded Route");
    static final FieldDef EMPTY_RT = FieldDef.ipv4("ip.empty_rt", "Empty Route");
    static final FieldDef EMPTY_RT_HOST = FieldDef.string("ip.empty_rt_host", "Empty Route Host");
    static final FieldDef REC_RT_HOST = FieldDef.string("ip.rec_rt_host", "Recorded Route Host");
    static final FieldDef SRC_RT = FieldDef.ipv4("ip.src_rt", "Source Route");
    static final FieldDef SRC_RT_HOST = FieldDef.string("ip.src_rt_host", "Source Route Host");
    static final FieldDef CUR_RT = FieldDef.ipv4("ip.cur_rt", "Current Route");
    static final FieldDef CUR_RT_HOST = FieldDef.string("ip.cur_rt_host", "Current Route Host");
    // Wireshark's expert fields for a header that makes no sense: notes, not a malformed packet (tshark 4.0 dissects on).
    static final FieldDef BOGUS_VERSION = FieldDef.none("ip.bogus_ip_version", "Bogus IP version");
    static final FieldDef BOGUS_HEADER_LENGTH = FieldDef.none("ip.bogus_header_length", "Bogus IP header length");
    static final FieldDef BOGUS_LENGTH = FieldDef.none("ip.bogus_ip_length", "Bogus IP length");
    static final FieldDef OPT_LEN_INVALID = FieldDef.none("ip.opt.len.invalid", "Invalid length for option");
    static final FieldDef OPT_PTR_BEFORE_ADDRESS = FieldDef.none("ip.opt.ptr.before_address", "Pointer points before first address");
    static final FieldDef OPT_PTR_MIDDLE_ADDRESS = FieldDef.none("ip.opt.ptr.middle_address", "Pointer points to middle of address");
    static final FieldDef OPT_OVERFLOW = FieldDef.bits("ip.opt.overflow", "Overflow", 8, 0xF0);
    static final FieldDef OPT_FLAG = FieldDef.hexBits("ip.opt.flag", "Flag", 2, 8, 0x0F);
    static final FieldDef OPT_TIME_STAMP = FieldDef.uint("ip.opt.time_stamp", "Time stamp");
    static final FieldDef OPT_TIME_STAMP_ADDR = FieldDef.ipv4("ip.opt.time_stamp_addr", "Address");

    static final FieldDef FRAGMENTS = FieldDef.bytes("ip.fragments", "IPv4 Fragments");
    static final FieldDef FRAGMENT = FieldDef.frameNumber("ip.fragment", "IPv4 Fragment");
    static final FieldDef FRAGMENT_OVERLAP = FieldDef.bool("ip.fragment.overlap", "Fragment overlap");
    static final FieldDef FRAGMENT_OVERLAP_CONFLICT = FieldDef.bool("ip.fragment.overlap.conflict", "Conflicting data in fragment overlap");
    static final FieldDef FRAGMENT_COUNT = FieldDef.uint("ip.fragment.count", "Fragment count");
    static final FieldDef REASSEMBLED_LENGTH = FieldDef.uint("ip.reassembled.length", "Reassembled IPv4 length");
    static final FieldDef REASSEMBLED_DATA = FieldDef.bytes("ip.reassembled.data", "Reassembled IPv4 data");
    private static final Ipv4Reassembly.FragmentFields FRAGMENT_FIELDS = new Ipv4Reassembly.FragmentFields(
            FRAGMENT, FRAGMENT_OVERLAP, FRAGMENT_OVERLAP_CONFLICT, FRAGMENT_COUNT, REASSEMBLED_LENGTH, REASSEMBLED_DATA);

    static final List<FieldDef> FIELDS = List.of(BOGUS_VERSION, BOGUS_HEADER_LENGTH, BOGUS_LENGTH, OPT_LEN_INVALID, IP, VERSION, HDR_LEN, DSFIELD, DSCP, ECN, LEN, ID, FLAGS, FLAG_RB, FLAG_DF,
            FLAG_MF, FRAG_OFFSET, TTL, PROTO, CHECKSUM, CHECKSUM_STATUS, CHECKSUM_CALCULATED, SRC, ADDR, SRC_HOST, HOST, DST, DST_HOST,
            OPT_EOL, OPT_NOP, OPT_RECORD_ROUTE, OPT_ROUTER_ALERT, OPT_SECURITY, OPT_LOOSE_ROUTE, OPT_TIMESTAMP,
            OPT_EXT_SECURITY, OPT_CIPSO, OPT_SID, OPT_STRICT_ROUTE, OPT_MTU_PROBE, OPT_MTU_REPLY, OPT_TRACEROUTE, OPT_SDB,
            OPT_QUICK_START, OPT_TYPE, OPT_TYPE_COPY, OPT_TYPE_CLASS, OPT_TYPE_NUMBER, OPT_LEN, OPT_PTR, OPT_RA, REC_RT,
            OPT_OVERFLOW, OPT_FLAG, OPT_TIME_STAMP, OPT_TIME_STAMP_ADDR, EMPTY_RT_HOST, REC_RT_HOST, SRC_RT, SRC_RT_HOST,
            CUR_RT, CUR_RT_HOST, OPT_PTR_BEFORE_ADDRESS, OPT_PTR_MIDDLE_ADDRESS,
            EMPTY_RT, FRAGMENTS, FRAGMENT, FRAGMENT_OVERLAP, FRAGMENT_OVERLAP_CONFLICT, FRAGMENT_COUNT,
            REASSEMBLED_LENGTH, REASSEMBLED_DATA);

    private static final int PROTOCOL_ICMP = 1;
    private static final int PROTOCOL_TCP = 6;
    private static final int PROTOCOL_UDP = 17;
    private static final int OPTION_ROUTER_ALERT = 148;

    // Tree lines built from the node when shown (see NodeText).
    private static final NodeText HEADER_LENGTH_LINE = node -> {
        int headerLength = (int) node.value();
        return ".... " + bits4(headerLength / 4) + " = Header Length: " + headerLength + " bytes (" + headerLength / 4 + ")";
    };
    private static final NodeText DSFIELD_LINE = node -> {
        int dsField = (int) node.value();
        return "Differentiated Services Field: " + FieldNode.hex(dsField, 2) + " (DSCP: " + dscpShortName(dsField >>> 2)
                + ", ECN: " + ecnShortName(dsField & 3) + ")";
    };
    private static final NodeText IDENTIFICATION_LINE = node -> "Identification: " + FieldNode.hex(node.value(), 4) + " (" + node.value() + ")";
    private static final NodeText FLAGS_LINE = node -> flagsText((int) node.value());
    private static final NodeText FRAGMENT_OFFSET_LINE = node -> "Fragment Offset: " + node.value() * 8;

    private Ipv4Dissector() {
    }

    /** Bytes the datagram occupies when its total length is sane (what follows is Ethernet padding). */
    static int claimedLength(byte[] data, int offset, int length) {
        if (length < 4 || (data[offset] & 0xF0) != 0x40) {
            return length;
        }
        int headerLength = (data[offset] & 0x0F) * 4;
        int totalLength = BigEndian.u16(data, offset + Ipv4Packet.TOTAL_LENGTH);
        if (headerLength < Ipv4Packet.MIN_HEADER_LENGTH || totalLength < headerLength || totalLength > length) {
            return length;
        }
        return totalLength;
    }

    static void dissect(DissectionContext ctx, FieldNode parent, int offset, int length) {
        byte[] data = ctx.data;
        boolean quoted = ctx.quoteDepth > 0;
        ctx.setProtocol("IPv4");
        ctx.setInfo();
        if (length <= 0) {
            ctx.malformed(problem(data, offset, length));
            return;
        }
        int version = (data[offset] & 0xFF) >>> 4;
        int headerLength = (data[offset] & 0x0F) * 4;
        FieldNode ip = ctx.add(parent, IP, offset, Math.min(Math.max(headerLength, 1), length));
        FieldNode versionNode = ctx.add(ip, VERSION, offset, 1, version);
        if (version != 4) {
            ctx.setInfo().append("Bogus IPv4 version (").append(version).append(", must be 4)");
            ctx.addExpert(versionNode, offset, 1, "Error/Protocol", "Bogus IPv4 version", BOGUS_VERSION);
            if (version == 6) {
                // As tshark 4.0 does (a cooked capture may carry IPv6 under the IPv4 EtherType): on as IPv6.
                Ipv6Dissector.dissect(ctx, parent, offset, length);
            }
            return;
        }
        FieldNode hdrLen = ctx.add(ip, HDR_LEN, offset, 1, headerLength);
        if (hdrLen != null) {
            hdrLen.text(HEADER_LENGTH_LINE);
        }
        if (headerLength < Ipv4Packet.MIN_HEADER_LENGTH) {
            String text = "Bogus IP header length (" + headerLength + ", must be at least 20)";
            ctx.setInfo().append(text);
            ctx.addExpert(hdrLen, offset, 1, "Error/Protocol", text, BOGUS_HEADER_LENGTH);
            return;
        }
        if (length < 2) {
            ctx.malformed(problem(data, offset, length));
            return;
        }
        int dsField = data[offset + Ipv4Packet.DS_FIELD] & 0xFF;
        FieldNode ds = ctx.add(ip, DSFIELD, offset + Ipv4Packet.DS_FIELD, 1, dsField);
        if (ds != null) {
            ds.text(DSFIELD_LINE);
            FieldNode dscp = ctx.add(ds, DSCP, offset + Ipv4Packet.DS_FIELD, 1, dsField >>> 2);
            if (dscpName(dsField >>> 2) == null) {
                dscp.text("Differentiated Services Codepoint: Unknown (" + (dsField >>> 2) + ")");
            }
            ctx.add(ds, ECN, offset + Ipv4Packet.DS_FIELD, 1, dsField & 3);
        }
        if (length < 4) {
            ctx.malformed(problem(data, offset, length));
            return;
        }
        int totalLength = BigEndian.u16(data, offset + Ipv4Packet.TOTAL_LENGTH);
        FieldNode len = ctx.add(ip, LEN, offset + Ipv4Packet.TOTAL_LENGTH, 2, totalLength);
        if (totalLength < headerLength && !(quoted && totalLength == 0)) {
            if (len != null) {
                len.text("Total Length: " + totalLength + " bytes (bogus, less than header length " + headerLength + ")");
            }
            ctx.setInfo().append("Bogus IP length (").append(totalLength).append(", less than header length ")
                    .append(headerLength).append(')');
            ctx.addExpert(len, offset + Ipv4Packet.TOTAL_LENGTH, 2, "Error/Protocol", BOGUS_LENGTH.label(), BOGUS_LENGTH);
            return;
        }
        // A total length beyond the bytes: tshark notes it and goes on with what is there; so do we.
        boolean lengthProblem = totalLength > length && !quoted;
        if (lengthProblem) {
            ctx.addExpert(len, offset + Ipv4Packet.TOTAL_LENGTH, 2, "Error/Protocol",
                    "IPv4 total length exceeds packet length (" + length + " bytes)", BOGUS_LENGTH);
        }
        if (length < Ipv4Packet.MIN_HEADER_LENGTH) {
            addFixedFieldsPresent(ctx, ip, data, offset, length, false);
            ctx.malformed(problem(data, offset, length));
            return;
        }
        int identification = BigEndian.u16(data, offset + Ipv4Packet.IDENTIFICATION);
        int flagsAndOffset = BigEndian.u16(data, offset + Ipv4Packet.FLAGS_AND_FRAGMENT_OFFSET);
        int protocol = data[offset + Ipv4Packet.PROTOCOL] & 0xFF;
        int source = BigEndian.i32(data, offset + Ipv4Packet.SOURCE);
        int nextHop = BigEndian.i32(data, offset + Ipv4Packet.DESTINATION);
        // On a source route still under way the header names the next hop; the datagram's destination is the
        // route's last address, and Wireshark shows and filters by that (RFC 791 3.1, Loose Source Route).
        int routeEnd = headerLength <= length ? sourceRouteDestination(data, offset, headerLength) : 0;
        int destination = routeEnd != 0 ? routeEnd : nextHop;
        ctx.setIpv4Addresses(source, destination);
        if (ip != null) {
            addFixedFieldsPresent(ctx, ip, data, offset, length, routeEnd != 0);
            ip.text(node -> "Internet Protocol Version 4, Src: " + new Ipv4Address(source) + ", Dst: " + new Ipv4Address(destination)
                    + (routeEnd != 0 ? ", Via: " + new Ipv4Address(nextHop) : ""));
        }
        if (headerLength > length) {
            ctx.malformed(problem(data, offset, length));
            return;
        }
        if (headerLength > Ipv4Packet.MIN_HEADER_LENGTH) {
            dissectOptions(ctx, ip, data, offset + Ipv4Packet.OPTIONS, headerLength - Ipv4Packet.MIN_HEADER_LENGTH);
        }

        int payloadOffset = offset + headerLength;
        int payloadLength = Math.min(totalLength, length) - headerLength;
        int fragmentOffset = (flagsAndOffset & Ipv4Packet.FRAGMENT_OFFSET_MASK) * 8;
        boolean moreFragments = (flagsAndOffset & Ipv4Packet.FLAG_MORE_FRAGMENTS) != 0;
        ctx.ipSource = source;
        ctx.ipDestination = destination;
        ctx.ipProtocol = protocol;
        ctx.ipVersion = 4;
        ctx.ipTtl = data[offset + Ipv4Packet.TIME_TO_LIVE] & 0xFF;

        if (moreFragments || fragmentOffset != 0) {
            Ipv4Reassembly.Reassembled whole = null;
            if (!quoted && !lengthProblem && payloadLength > 0) {
                whole = ctx.session.ipv4Reassembly.add(source, destination, protocol, identification, ctx.frameNumber,
                        fragmentOffset, moreFragments, data, payloadOffset, payloadLength);
            }
            if (whole != null) {
                dissectReassembled(ctx, parent, ip, whole, protocol);
            } else if (fragmentOffset == 0 && (quoted || lengthProblem)) {
                // A first fragment that cannot be reassembled: its start is still worth showing.
                dispatch(ctx, parent, protocol, payloadOffset, payloadLength);
            } else {
                StringBuilder info = ctx.setInfo().append("Fragmented IP protocol (proto=");
                String name = IpProtocolNames.name(protocol);
                info.append(name == null ? "Unknown" : name).append(' ').append(protocol).append(", off=")
                        .append(fragmentOffset).append(", ID=");
                appendHex4(info, identification);
                info.append(')');
                DataDissector.dissect(ctx, parent, payloadOffset, payloadLength);
            }
        } else {
            dispatch(ctx, parent, protocol, payloadOffset, payloadLength);
        }
    }

    private static void dispatch(DissectionContext ctx, FieldNode parent, int protocol, int offset, int length) {
        switch (protocol) {
            case PROTOCOL_ICMP -> IcmpDissector.dissect(ctx, parent, offset, length);
            case PROTOCOL_TCP -> TcpDissector.dissect(ctx, parent, offset, length);
            case PROTOCOL_UDP -> UdpDissector.dissect(ctx, parent, offset, length);
            default -> {
                DataDissector.dissect(ctx, parent, offset, length);
                String name = IpProtocolNames.name(protocol);
                ctx.setInfo().append(name == null ? "Unknown" : name).append(" (").append(protocol).append(')');
            }
        }
    }

    /** The completing fragment: the fragment list, then the datagram's upper layers from its own data source. */
    private static void dissectReassembled(DissectionContext ctx, FieldNode parent, FieldNode ip, Ipv4Reassembly.Reassembled whole,
                                           int protocol) {
        byte[] bytes = whole.bytes();
        byte[] frameData = ctx.data;
        int previous = ctx.pushDataSource("Reassembled IPv4 (" + bytes.length + " bytes)", bytes, bytes.length);
        if (ip != null) {
            FieldNode list = ctx.addBytes(ip, FRAGMENTS, 0, bytes.length).generated()
                    .text(Ipv4Reassembly.fragmentsHeading(whole, "IPv4"));
            Ipv4Reassembly.addFragments(ctx, list, whole, FRAGMENT_FIELDS);
        }
        dispatch(ctx, parent, protocol, 0, bytes.length);
        ctx.popDataSource(previous, frameData);
    }

    /** The fields of the fixed header from Identification on, each only if its bytes are present. */
    private static void addFixedFieldsPresent(DissectionContext ctx, FieldNode ip, byte[] data, int offset, int length,
                                              boolean sourceRouted) {
        if (ip == null) {
            return;
        }
        if (length >= 6) {
            int identification = BigEndian.u16(data, offset + Ipv4Packet.IDENTIFICATION);
            ctx.add(ip, ID, offset + Ipv4Packet.IDENTIFICATION, 2, identification)
                    .text(IDENTIFICATION_LINE);
        }
        if (length >= 8) {
            int flagsAndOffset = BigEndian.u16(data, offset + Ipv4Packet.FLAGS_AND_FRAGMENT_OFFSET);
            int flags = flagsAndOffset >>> 13;
            int at = offset + Ipv4Packet.FLAGS_AND_FRAGMENT_OFFSET;
            FieldNode flagsNode = ctx.add(ip, FLAGS, at, 1, flags).text(FLAGS_LINE);
            ctx.add(flagsNode, FLAG_RB, at, 1, (flags >>> 2) & 1);
            ctx.add(flagsNode, FLAG_DF, at, 1, (flags >>> 1) & 1);
            ctx.add(flagsNode, FLAG_MF, at, 1, flags & 1);
            int fragmentOffset = flagsAndOffset & Ipv4Packet.FRAGMENT_OFFSET_MASK;
            ctx.add(ip, FRAG_OFFSET, at, 2, fragmentOffset).text(FRAGMENT_OFFSET_LINE);
        }
        if (length >= 9) {
            ctx.add(ip, TTL, offset + Ipv4Packet.TIME_TO_LIVE, 1, data[offset + Ipv4Packet.TIME_TO_LIVE] & 0xFF);
        }
        if (length >= 10) {
            int protocol = data[offset + Ipv4Packet.PROTOCOL] & 0xFF;
            FieldNode node = ctx.add(ip, PROTO, offset + Ipv4Packet.PROTOCOL, 1, protocol);
            if (IpProtocolNames.name(protocol) == null) {
                node.text("Protocol: Unknown (" + protocol + ")");
            }
        }
        // Verifying costs a pass over the header, so only when there is a tree to show the verdict in.
        if (length >= 12 && ip != null) {
            int checksum = BigEndian.u16(data, offset + Ipv4Packet.HEADER_CHECKSUM);
            int headerLength = (data[offset] & 0x0F) * 4;
            FieldNode checksumNode = ctx.add(ip, CHECKSUM, offset + Ipv4Packet.HEADER_CHECKSUM, 2, checksum);
            if (headerLength <= length) {
                int calculated = expectedChecksum(data, offset, headerLength);
                // Summed with the checksum in it, as Wireshark checks: both zeros of ones' complement pass (RFC 1624).
                boolean good = Checksum.verify(Checksum.add(0, data, offset, headerLength));
                if (checksumNode != null) {
                    String calculatedText = FieldNode.hex(calculated, 4);
                    checksumNode.text(node -> "Header Checksum: " + FieldNode.hex(node.value(), 4) + (good ? " [correct]"
                            : " incorrect, should be " + calculatedText + "(may be caused by \"IP checksum offload\"?)"));
                    if (!good) {
                        ctx.addExpert(checksumNode, offset + Ipv4Packet.HEADER_CHECKSUM, 2, "Error/Checksum",
                                "Bad checksum [should be " + calculatedText + "]");
                    }
                }
                ChecksumStatus.add(ctx, ip, CHECKSUM_STATUS, offset + Ipv4Packet.HEADER_CHECKSUM, good ? ChecksumStatus.GOOD : ChecksumStatus.BAD);
                FieldNode calculatedNode = ctx.add(ip, CHECKSUM_CALCULATED, offset + Ipv4Packet.HEADER_CHECKSUM, 2, calculated);
                if (calculatedNode != null) {
                    calculatedNode.generated();
                }
            } else {
                if (checksumNode != null) {
                    checksumNode.text(node -> "Header Checksum: " + FieldNode.hex(node.value(), 4) + " [header incomplete, not verified]");
                }
                ChecksumStatus.add(ctx, ip, CHECKSUM_STATUS, offset + Ipv4Packet.HEADER_CHECKSUM, ChecksumStatus.UNVERIFIED);
            }
        }
        if (length >= 16) {
            int source = BigEndian.i32(data, offset + Ipv4Packet.SOURCE);
            addAddress(ctx, ip, offset + Ipv4Packet.SOURCE, source, SRC, SRC_HOST, "Source");
        }
        if (length >= 20) {
            int destination = BigEndian.i32(data, offset + Ipv4Packet.DESTINATION);
            if (sourceRouted) {
                // The next hop; the destination itself is shown at the end of the route option.
                ctx.add(ip, CUR_RT, offset + Ipv4Packet.DESTINATION, 4, destination);
                ctx.addString(ip, CUR_RT_HOST, offset + Ipv4Packet.DESTINATION, 4, ctx.session.addressTexts.ipv4(destination)).hidden();
            } else {
                addAddress(ctx, ip, offset + Ipv4Packet.DESTINATION, destination, DST, DST_HOST, "Destination");
            }
        }
    }

    private static int expectedChecksum(byte[] data, int offset, int headerLength) {
        int sum = Checksum.add(0, data, offset, Ipv4Packet.HEADER_CHECKSUM);
        sum = Checksum.add(sum, data, offset + Ipv4Packet.HEADER_CHECKSUM + 2, headerLength - Ipv4Packet.HEADER_CHECKSUM - 2);
        return Checksum.finish(sum);
    }

    private static void addAddress(DissectionContext ctx, FieldNode ip, int at, int address, FieldDef def, FieldDef hostDef,
                                   String label) {
        String text = ctx.session.addressTexts.ipv4(address);
        ctx.add(ip, def, at, 4, address);
        // Hidden nodes are never drawn, so they get no text of their own.
        ctx.add(ip, ADDR, at, 4, address).hidden();
        ctx.addString(ip, hostDef, at, 4, text).hidden();
        ctx.addString(ip, HOST, at, 4, text).hidden();
    }

    /**
     * The options area, as Wireshark's option dissector shows it; an option whose length is bad gets tshark's warning
     * note, and the options stop there.
     */
    private static void dissectOptions(DissectionContext ctx, FieldNode ip, byte[] data, int start, int length) {
        FieldNode area = ctx.addText(ip, start, length, null);
        StringBuilder heading = area == null ? null : new StringBuilder("Options: (").append(length).append(" bytes)");
        int end = start + length;
        int at = start;
        while (at < end) {
            int type = data[at] & 0xFF;
            if (type == Ipv4Option.TYPE_END_OF_OPTION_LIST) {
                addTypeTree(ctx, ctx.addBytes(area, OPT_EOL, at, 1), at, type, OPT_EOL.label());
                break;
            }
            if (type == Ipv4Option.TYPE_NO_OPERATION) {
                addTypeTree(ctx, ctx.addBytes(area, OPT_NOP, at, 1), at, type, OPT_NOP.label());
                at++;
                continue;
            }
            String name = optionName(type);
            String shownName = name == null ? "Unknown (" + FieldNode.hex(type, 2) + ")" : name;
            if (at + 1 >= end) {
                badOptionLength(ctx, area, at, 1, shownName + " (length byte past end of options)");
                break;
            }
            int optionLength = data[at + 1] & 0xFF;
            int minimum = type == Ipv4Option.TYPE_RECORD_ROUTE ? 3 : 2;
            if (optionLength < minimum) {
                String text = shownName + " (with too-short option length = " + optionLength + (optionLength == 1 ? " byte)" : " bytes)");
                badOptionLength(ctx, area, at, 2, text);
                break;
            }
            if (at + optionLength > end) {
                String text = shownName + " (option length = " + optionLength + " bytes says option goes past end of options)";
                badOptionLength(ctx, area, at, end - at, text);
                break;
            }
            if (name == null) {
                ctx.addText(area, at, optionLength, shownName + " (" + optionLength + " bytes)");
            } else {
                if (heading != null) {
                    heading.append(", ").append(name);
                }
                dissectOption(ctx, area, data, at, type, optionLength, name);
            }
            at += optionLength;
        }
        if (area != null) {
            area.text(heading.toString());
        }
    }

    private static void badOptionLength(DissectionContext ctx, FieldNode area, int at, int length, String text) {
        ctx.addExpert(ctx.addText(area, at, length, text), at, length, "Warning/Protocol", text, OPT_LEN_INVALID);
    }

    private static void dissectOption(DissectionContext ctx, FieldNode area, byte[] data, int at, int type, int optionLength,
                                      String name) {
        if (area == null) {
            return;
        }
        FieldNode option = ctx.addBytes(area, optionField(type), at, optionLength)
                .text("IP Option - " + name + " (" + optionLength + " bytes)");
        addTypeTree(ctx, option, at, type, null);
        ctx.add(option, OPT_LEN, at + 1, 1, optionLength);
        if (type == Ipv4Option.TYPE_RECORD_ROUTE || isSourceRoute(type)) {
            addRouteOption(ctx, option, data, at, type, optionLength);
        } else if (type == Ipv4Option.TYPE_TIMESTAMP && optionLength >= 4) {
            addTimestampOption(ctx, option, data, at, optionLength);
        } else if (type == OPTION_ROUTER_ALERT && optionLength == 4) {
            int value = BigEndian.u16(data, at + 2);
            ctx.add(option, OPT_RA, at + 2, 2, value);
            if (value == 0) {
                option.text("IP Option - " + name + " (" + optionLength + " bytes): Router shall examine packet (0)");
            }
        }
    }

    private static boolean isSourceRoute(int type) {
        return type == Ipv4Option.TYPE_LOOSE_SOURCE_ROUTE || type == Ipv4Option.TYPE_STRICT_SOURCE_ROUTE;
    }

    /**
     * Record Route and the source routes (RFC 791), whose pointer counts from the option's type byte: the slots
     * before it are the route recorded so far. After it, Record Route has empty slots; a source route has the hops
     * still to visit, the first marked next, and its last address, the datagram's destination, shown as such.
     * A pointer inside the fixed part or inside an address is flagged, and the slots are then not interpreted.
     */
    private static void addRouteOption(DissectionContext ctx, FieldNode option, byte[] data, int at, int type, int optionLength) {
        int pointer = data[at + 2] & 0xFF;
        FieldNode pointerNode = ctx.add(option, OPT_PTR, at + 2, 1, pointer);
        if (pointer < 4) {
            ctx.addExpert(pointerNode, at + 2, 1, "Warning/Protocol", OPT_PTR_BEFORE_ADDRESS.label(), OPT_PTR_BEFORE_ADDRESS);
            return;
        }
        if (pointer % 4 != 0) {
            ctx.addExpert(pointerNode, at + 2, 1, "Warning/Protocol", OPT_PTR_MIDDLE_ADDRESS.label(), OPT_PTR_MIDDLE_ADDRESS);
            return;
        }
        boolean sourceRoute = isSourceRoute(type);
        boolean underWay = pointer <= optionLength;
        for (int slot = 3; slot + 4 <= optionLength; slot += 4) {
            int address = BigEndian.i32(data, at + slot);
            String text = ctx.session.addressTexts.ipv4(address);
            boolean next = slot + 1 == pointer;
            if (slot + 1 < pointer) {
                ctx.add(option, REC_RT, at + slot, 4, address).text("Recorded Route: " + text);
                ctx.addString(option, REC_RT_HOST, at + slot, 4, text).hidden();
            } else if (!sourceRoute) {
                ctx.add(option, EMPTY_RT, at + slot, 4, address).text("Empty Route: " + text + (next ? " <- (next)" : ""));
                ctx.addString(option, EMPTY_RT_HOST, at + slot, 4, text).hidden();
            } else if (underWay && slot + 8 > optionLength) {
                addAddress(ctx, option, at + slot, address, DST, DST_HOST, "Destination");
            } else {
                ctx.add(option, SRC_RT, at + slot, 4, address).text("Source Route: " + text + (next ? " <- (next)" : ""));
                ctx.addString(option, SRC_RT_HOST, at + slot, 4, text).hidden();
            }
        }
    }

    /**
     * The destination of a datagram on a loose or strict source route still under way: the route's last address;
     * 0 when the header has no such route, or its options or pointer are malformed.
     */
    private static int sourceRouteDestination(byte[] data, int offset, int headerLength) {
        if (headerLength <= Ipv4Packet.MIN_HEADER_LENGTH) {
            return 0;
        }
        try {
            for (Ipv4Option option : Ipv4Option.parseAll(data, offset + Ipv4Packet.OPTIONS, headerLength - Ipv4Packet.MIN_HEADER_LENGTH)) {
                if (option instanceof Ipv4Option.SourceRoute route && !route.route().isEmpty() && route.malformedByte() < 0
                        && !route.complete()) {
                    return route.route().get(route.route().size() - 1).bits();
                }
            }
        } catch (MalformedPacketException e) {
            // Bad options are reported where they are shown; the header's destination stands.
        }
        return 0;
    }

    /**
     * RFC 791's Internet Timestamp: pointer, overflow count and flag, then every slot, used or not, as Wireshark
     * lists them: a timestamp each (flag 0), or an address and a timestamp each (flags 1 and 3).
     */
    private static void addTimestampOption(DissectionContext ctx, FieldNode option, byte[] data, int at, int optionLength) {
        ctx.add(option, OPT_PTR, at + 2, 1, data[at + 2] & 0xFF);
        int overflowAndFlag = data[at + 3] & 0xFF;
        ctx.add(option, OPT_OVERFLOW, at + 3, 1, overflowAndFlag >>> 4);
        int flag = overflowAndFlag & 0x0F;
        String flagName = switch (flag) {
            case 0 -> "Time stamps only";
            case 1 -> "Time stamp and address";
            case 3 -> "Time stamps for prespecified addresses";
            default -> "Unknown";
        };
        ctx.add(option, OPT_FLAG, at + 3, 1, flag).text("Flag: " + flagName + " (0x" + Integer.toHexString(flag) + ")");
        boolean withAddresses = flag == 1 || flag == 3;
        int slotLength = withAddresses ? 8 : 4;
        for (int slot = at + 4; slot + slotLength <= at + optionLength; slot += slotLength) {
            int stampAt = slot;
            if (withAddresses) {
                int address = BigEndian.i32(data, slot);
                ctx.add(option, OPT_TIME_STAMP_ADDR, slot, 4, address)
                        .text("Address: " + (address == 0 ? "-" : new Ipv4Address(address).toString()));
                stampAt = slot + 4;
            }
            ctx.add(option, OPT_TIME_STAMP, stampAt, 4, BigEndian.u32(data, stampAt));
        }
    }

    private static void addTypeTree(DissectionContext ctx, FieldNode option, int at, int type, String text) {
        if (option == null) {
            return;
        }
        if (text != null) {
            option.text(text);
        }
        FieldNode typeNode = ctx.add(option, OPT_TYPE, at, 1, type);
        ctx.add(typeNode, OPT_TYPE_COPY, at, 1, type >>> 7);
        ctx.add(typeNode, OPT_TYPE_CLASS, at, 1, (type >>> 5) & 3);
        ctx.add(typeNode, OPT_TYPE_NUMBER, at, 1, type & 0x1F);
    }

    private static FieldDef optionField(int type) {
        return switch (type) {
            case 7 -> OPT_RECORD_ROUTE;
            case 148 -> OPT_ROUTER_ALERT;
            case 130 -> OPT_SECURITY;
            case 131 -> OPT_LOOSE_ROUTE;
            case 68 -> OPT_TIMESTAMP;
            case 133 -> OPT_EXT_SECURITY;
            case 134 -> OPT_CIPSO;
            case 136 -> OPT_SID;
            case 137 -> OPT_STRICT_ROUTE;
            case 11 -> OPT_MTU_PROBE;
            case 12 -> OPT_MTU_REPLY;
            case 82 -> OPT_TRACEROUTE;
            case 149 -> OPT_SDB;
            case 25 -> OPT_QUICK_START;
            default -> throw new IllegalArgumentException("no field for option " + type);
        };
    }

    /** Wireshark's short names of the options it dissects, by full type byte; null for the others. */
    private static String optionName(int type) {
        return switch (type) {
            case 7 -> "Record Route";
            case 148 -> "Router Alert";
            case 130 -> "Security";
            case 131 -> "Loose Source Route";
            case 68 -> "Time Stamp";
            case 133 -> "Extended Security";
            case 134 -> "Commercial Security";
            case 136 -> "Stream ID";
            case 137 -> "Strict Source Route";
            case 11 -> "MTU Probe";
            case 12 -> "MTU Reply";
            case 82 -> "Traceroute";
            case 149 -> "Selective Directed Broadcast";
            case 25 -> "Quick-Start";
            default -> null;
        };
    }

    private static String flagsText(int flags) {
        StringBuilder text = new StringBuilder("Flags: 0x").append(flags);
        if ((flags & 4) != 0) {
            text.append(", Reserved bit");
        }
        if ((flags & 2) != 0) {
            text.append(", Don't fragment");
        }
        if ((flags & 1) != 0) {
            text.append(", More fragments");
        }
        return text.toString();
    }

    private static String bits4(int value) {
        return "" + ((value >>> 3) & 1) + ((value >>> 2) & 1) + ((value >>> 1) & 1) + (value & 1);
    }

    private static void appendHex4(StringBuilder out, int value) {
        for (int shift = 12; shift >= 0; shift -= 4) {
            out.append(Character.forDigit((value >>> shift) & 0xF, 16));
        }
    }

    private static MalformedPacketException problem(byte[] data, int offset, int length) {
        try {
            Ipv4Packet.wrapChecked(data, offset, Math.max(0, length));
            return new MalformedPacketException("IPv4", "ip", offset, "datagram ends early");
        } catch (MalformedPacketException e) {
            return e;
        }
    }

    static String dscpName(long dscp) {
        return switch ((int) dscp) {
            case 0 -> "Default";
            case 1 -> "Lower Effort";
            case 8 -> "Class Selector 1";
            case 10 -> "Assured Forwarding 11";
            case 12 -> "Assured Forwarding 12";
            case 14 -> "Assured Forwarding 13";
            case 16 -> "Class Selector 2";
            case 18 -> "Assured Forwarding 21";
            case 20 -> "Assured Forwarding 22";
            case 22 -> "Assured Forwarding 23";
            case 24 -> "Class Selector 3";
            case 26 -> "Assured Forwarding 31";
            case 28 -> "Assured Forwarding 32";
            case 30 -> "Assured Forwarding 33";
            case 32 -> "Class Selector 4";
            case 34 -> "Assured Forwarding 41";
            case 36 -> "Assured Forwarding 42";
            case 38 -> "Assured Forwarding 43";
            case 40 -> "Class Selector 5";
            case 44 -> "Voice Admit";
            case 46 -> "Expedited Forwarding";
            case 48 -> "Class Selector 6";
            case 56 -> "Class Selector 7";
            default -> null;
        };
    }

    static String dscpShortName(int dscp) {
        return switch (dscp) {
            case 0 -> "CS0";
            case 1 -> "LE";
            case 8 -> "CS1";
            case 10 -> "AF11";
            case 12 -> "AF12";
            case 14 -> "AF13";
            case 16 -> "CS2";
            case 18 -> "AF21";
            case 20 -> "AF22";
            case 22 -> "AF23";
            case 24 -> "CS3";
            case 26 -> "AF31";
            case 28 -> "AF32";
            case 30 -> "AF33";
            case 32 -> "CS4";
            case 34 -> "AF41";
            case 36 -> "AF42";
            case 38 -> "AF43";
            case 40 -> "CS5";
            case 44 -> "VOICE-ADMIT";
            case 46 -> "EF PHB";
            case 48 -> "CS6";
            case 56 -> "CS7";
            default -> "Unknown";
        };
    }

    static String ecnName(long ecn) {
        return switch ((int) ecn) {
            case 0 -> "Not ECN-Capable Transport";
            case 1 -> "ECN-Capable Transport codepoint '01'";
            case 2 -> "ECN-Capable Transport codepoint '10'";
            default -> "Congestion Experienced";
        };
    }

    static String ecnShortName(int ecn) {
        return switch (ecn) {
            case 0 -> "Not-ECT";
            case 1 -> "ECT(1)";
            case 2 -> "ECT(0)";
            default -> "CE";
        };
    }

    static String optionClassName(long optionClass) {
        return switch ((int) optionClass) {
            case 0 -> "Control";
            case 2 -> "Debugging and measurement";
            default -> "Reserved for future use";
        };
    }

    static String optionNumberName(long number) {
        return switch ((int) number) {
            case 0 -> "End of Option List (EOL)";
            case 1 -> "No-Operation (NOP)";
            case 2 -> "Security";
            case 3 -> "Loose source route";
            case 4 -> "Time stamp";
            case 5 -> "Extended security";
            case 6 -> "Commercial IP security option";
            case 7 -> "Record route";
            case 8 -> "Stream identifier";
            case 9 -> "Strict source route";
            case 10 -> "Experimental Measurement";
            case 11 -> "MTU probe";
            case 12 -> "MTU Reply";
            case 13 -> "Experimental Flow Control";
            case 14 -> "Experimental Access Control";
            case 15 -> "Ask Estrin";
            case 16 -> "IMI Traffic Descriptor";
            case 17 -> "Extended Internet Protocol";
            case 18 -> "Traceroute";
            case 19 -> "Address Extension";
            case 20 -> "Router Alert";
            case 21 -> "Selective Directed Broadcast";
            case 22 -> "Unassigned";
            case 23 -> "Dynamic Packet State";
            case 24 -> "Upstream Multicast Packet";
            case 25 -> "Quick-Start";
            case 30 -> "RFC 3692-style experiment";
            default -> null;
        };
    }
}
