package dev.stacklab.dissect;

import dev.stacklab.wire.BigEndian;
import dev.stacklab.wire.Ipv4Address;

import java.util.List;

/**
 * DNS messages (RFC 1035 section 4) as tshark 4.0 shows them: over UDP and over TCP with the two-byte length before
 * each message (RFC 7766 section 8), and the same messages as Multicast DNS (RFC 6762, port 5353: the top bit of a
 * class is the "QU" or cache-flush bit) and LLMNR (RFC 4795, port 5355: its own flags). Questions and records of
 * every section with the data of A, AAAA, CNAME, PTR, NS, MX, SOA, TXT, SRV and OPT (RFC 6891) records; other types
 * are shown as bytes with Wireshark's note that they are not decoded. Info: "Standard query 0x1234 A example.com",
 * then each record's type and data. A response names its query's frame and the time since it.
 */
final class DnsDissector {
    static final int PORT = 53;
    static final int MDNS_PORT = 5353;
    static final int LLMNR_PORT = 5355;
    private static final int HEADER_LENGTH = 12;

    private static final int KIND_DNS = 0;
    private static final int KIND_MDNS = 1;
    private static final int KIND_LLMNR = 2;

    // RFC 1035 section 4.1.1 flags, and RFC 4035 section 3.2's AD and CD.
    private static final int FLAG_RESPONSE = 0x8000;
    private static final int OPCODE_MASK = 0x7800;
    private static final int FLAG_AUTHORITATIVE = 0x0400;
    private static final int FLAG_TRUNCATED = 0x0200;
    private static final int FLAG_RECURSION_DESIRED = 0x0100;
    private static final int FLAG_RECURSION_AVAILABLE = 0x0080;
    private static final int FLAG_Z = 0x0040;
    private static final int FLAG_AUTHENTICATED = 0x0020;
    private static final int FLAG_CHECKING_DISABLED = 0x0010;
    private static final int RCODE_MASK = 0x000F;
    // RFC 4795 section 2.1.1: LLMNR's C and T bits where DNS has AA and RD.
    private static final int FLAG_CONFLICT = 0x0400;
    private static final int FLAG_TENTATIVE = 0x0100;
    /** RFC 6762 sections 5.4 and 10.2: the class's top bit asks for a unicast answer, or flushes the cache. */
    private static final int CLASS_TOP_BIT = 0x8000;

    static final int TYPE_A = 1;
    static final int TYPE_NS = 2;
    static final int TYPE_CNAME = 5;
    static final int TYPE_SOA = 6;
    static final int TYPE_PTR = 12;
    static final int TYPE_MX = 15;
    static final int TYPE_TXT = 16;
    static final int TYPE_AAAA = 28;
    static final int TYPE_SRV = 33;
    static final int TYPE_OPT = 41;
    private static final int OPTION_COOKIE = 10;

    static final FieldDef DNS = FieldDef.protocol("dns", "Domain Name System");
    static final FieldDef MDNS = FieldDef.protocol("mdns", "Multicast Domain Name System");
    static final FieldDef LLMNR = FieldDef.protocol("llmnr", "Link-local Multicast Name Resolution");
    static final FieldDef LENGTH = FieldDef.uint("dns.length", "Length");
    static final FieldDef ID = FieldDef.hex("dns.id", "Transaction ID", 4);
    static final FieldDef FLAGS = FieldDef.hex("dns.flags", "Flags", 4);
    static final FieldDef FLAG_RESPONSE_BIT = FieldDef.flag("dns.flags.response", "Response", 16, FLAG_RESPONSE,
            "Message is a response", "Message is a query");
    static final FieldDef FLAG_OPCODE = FieldDef.bits("dns.flags.opcode", "Opcode", 16, OPCODE_MASK, DnsDissector::opcodeName);
    static final FieldDef FLAG_AUTHORITATIVE_BIT = FieldDef.flag("dns.flags.authoritative", "Authoritative", 16, FLAG_AUTHORITATIVE,
            "Server is an authority for domain", "Server is not an authority for domain");
    static final FieldDef FLAG_CONFLICT_QUERY = FieldDef.flag("dns.flags.conflict", "Conflict", 16, FLAG_CONFLICT,
            "The sender received multiple responses", "None");
    static final FieldDef FLAG_CONFLICT_RESPONSE = FieldDef.flag("dns.flags.conflict", "Conflict", 16, FLAG_CONFLICT,
            "The name is not considered unique", "The name is considered unique");
    static final FieldDef FLAG_TRUNCATED_BIT = FieldDef.flag("dns.flags.truncated", "Truncated", 16, FLAG_TRUNCATED,
            "Message is truncated", "Message is not truncated");
    static final FieldDef FLAG_RECURSION_DESIRED_BIT = FieldDef.flag("dns.flags.recdesired", "Recursion desired", 16,
            FLAG_RECURSION_DESIRED, "Do query recursively", "Don't do query recursively");
    static final FieldDef FLAG_TENTATIVE_BIT = FieldDef.flag("dns.flags.tentative", "Tentative", 16, FLAG_TENTATIVE,
            "Tentative", "Not tentative");
    static final FieldDef FLAG_RECURSION_AVAILABLE_BIT = FieldDef.flag("dns.flags.recavail", "Recursion available", 16,
            FLAG_RECURSION_AVAILABLE, "Server can do recursive queries", "Server can't do recursive queries");
    static final FieldDef FLAG_Z_BIT = FieldDef.flag("dns.flags.z", "Z", 16, FLAG_Z, "reserved (1)", "reserved (0)");
    static final FieldDef FLAG_AUTHENTICATED_BIT = FieldDef.flag("dns.flags.authenticated", "Answer authenticated", 16,
            FLAG_AUTHENTICATED, "Answer/authority portion was authenticated by the server",
            "Answer/authority portion was not authenticated by the server");
    static final FieldDef FLAG_AD_BIT = FieldDef.flag("dns.flags.authenticated", "AD bit", 16, FLAG_AUTHENTICATED);
    static final FieldDef FLAG_CHECKING_DISABLED_BIT = FieldDef.flag("dns.flags.checkdisable", "Non-authenticated data", 16,
            FLAG_CHECKING_DISABLED, "Acceptable", "Unacceptable");
    static final FieldDef FLAG_RCODE = FieldDef.bits("dns.flags.rcode", "Reply code", 16, RCODE_MASK, DnsDissector::rcodeName);
    static final FieldDef COUNT_QUERIES = FieldDef.uint("dns.count.queries", "Questions");
    static final FieldDef COUNT_ANSWERS = FieldDef.uint("dns.count.answers", "Answer RRs");
    static final FieldDef COUNT_AUTHORITY = FieldDef.uint("dns.count.auth_rr", "Authority RRs");
    static final FieldDef COUNT_ADDITIONAL = FieldDef.uint("dns.count.add_rr", "Additional RRs");
    static final FieldDef QUERY_NAME = FieldDef.string("dns.qry.name", "Name");
    static final FieldDef QUERY_NAME_LENGTH = FieldDef.uint("dns.qry.name.len", "Name Length");
    static final FieldDef LABEL_COUNT = FieldDef.uint("dns.count.labels", "Label Count");
    static final FieldDef QUERY_TYPE = FieldDef.uint("dns.qry.type", "Type", DnsDissector::typeDescription);
    static final FieldDef QUERY_CLASS = FieldDef.hex("dns.qry.class", "Class", 4, DnsDissector::className);
    static final FieldDef QUERY_CLASS_BITS = new FieldDef("dns.qry.class", "Class", FieldType.UINT, FieldDef.Base.HEX, 4, 16, 0x7FFF,
            DnsDissector::className, null, null);
    static final FieldDef QUERY_UNICAST = FieldDef.flag("dns.qry.qu", "\"QU\" question", 16, CLASS_TOP_BIT, "True", "False");
    static final FieldDef RESPONSE_NAME = FieldDef.string("dns.resp.name", "Name");
    static final FieldDef RESPONSE_TYPE = FieldDef.uint("dns.resp.type", "Type", DnsDissector::typeDescription);
    static final FieldDef RESPONSE_CLASS = FieldDef.hex("dns.resp.class", "Class", 4, DnsDissector::className);
    static final FieldDef RESPONSE_CLASS_BITS = new FieldDef("dns.resp.class", "Class", FieldType.UINT, FieldDef.Base.HEX, 4, 16,
            0x7FFF, DnsDissector::className, null, null);
    static final FieldDef CACHE_FLUSH = FieldDef.flag("dns.resp.cache_flush", "Cache flush", 16, CLASS_TOP_BIT, "True", "False");
    static final FieldDef TTL = FieldDef.uint("dns.resp.ttl", "Time to live");
    static final FieldDef DATA_LENGTH = FieldDef.uint("dns.resp.len", "Data length");
    static final FieldDef A = FieldDef.ipv4("dns.a", "Address");
    // An IPv6 address as Wireshark writes it (RFC 5952 text), kept as that text.
    static final FieldDef AAAA = FieldDef.string("dns.aaaa", "AAAA Address");
    static final FieldDef CNAME = FieldDef.string("dns.cname", "CNAME");
    static final FieldDef NS = FieldDef.string("dns.ns", "Name Server");
    static final FieldDef PTR = FieldDef.string("dns.ptr.domain_name", "Domain Name");
    static final FieldDef MX_PREFERENCE = FieldDef.uint("dns.mx.preference", "Preference");
    static final FieldDef MX_EXCHANGE = FieldDef.string("dns.mx.mail_exchange", "Mail Exchange");
    static final FieldDef SOA_MNAME = FieldDef.string("dns.soa.mname", "Primary name server");
    static final FieldDef SOA_RNAME = FieldDef.string("dns.soa.rname", "Responsible authority's mailbox");
    static final FieldDef SOA_SERIAL = FieldDef.uint("dns.soa.serial_number", "Serial Number");
    static final FieldDef SOA_REFRESH = FieldDef.uint("dns.soa.refresh_interval", "Refresh Interval");
    static final FieldDef SOA_RETRY = FieldDef.uint("dns.soa.retry_interval", "Retry Interval");
    static final FieldDef SOA_EXPIRE = FieldDef.uint("dns.soa.expire_limit", "Expire limit");
    static final FieldDef SOA_MINIMUM = FieldDef.uint("dns.soa.minimum_ttl", "Minimum TTL");
    static final FieldDef TXT_LENGTH = FieldDef.uint("dns.txt.length", "TXT Length");
    static final FieldDef TXT = FieldDef.string("dns.txt", "TXT");
    static final FieldDef SRV_SERVICE = FieldDef.string("dns.srv.service", "Service");
    static final FieldDef SRV_PROTOCOL = FieldDef.string("dns.srv.proto", "Protocol");
    static final FieldDef SRV_NAME = FieldDef.string("dns.srv.name", "Name");
    static final FieldDef SRV_PRIORITY = FieldDef.uint("dns.srv.priority", "Priority");
    static final FieldDef SRV_WEIGHT = FieldDef.uint("dns.srv.weight", "Weight");
    static final FieldDef SRV_PORT = FieldDef.uint("dns.srv.port", "Port");
    static final FieldDef SRV_TARGET = FieldDef.string("dns.srv.target", "Target");
    static final FieldDef UDP_PAYLOAD_SIZE = FieldDef.uint("dns.rr.udp_payload_size", "UDP payload size");
    static final FieldDef EXTENDED_RCODE = FieldDef.hex("dns.resp.ext_rcode", "Higher bits in extended RCODE", 2);
    static final FieldDef EDNS_VERSION = FieldDef.uint("dns.resp.edns0_version", "EDNS0 version");
    static final FieldDef EDNS_Z = FieldDef.hex("dns.resp.z", "Z", 4);
    static final FieldDef EDNS_DO = FieldDef.flag("dns.resp.z.do", "DO bit", 16, 0x8000, "Accepts DNSSEC security RRs",
            "Cannot handle DNSSEC security RRs");
    static final FieldDef EDNS_Z_RESERVED = FieldDef.hexBits("dns.resp.z.reserved", "Reserved", 4, 16, 0x7FFF);
    static final FieldDef OPTION = FieldDef.none("dns.opt", "Option");
    static final FieldDef OPTION_CODE = FieldDef.uint("dns.opt.code", "Option Code", DnsDissector::optionName);
    static final FieldDef OPTION_LENGTH = FieldDef.uint("dns.opt.len", "Option Length");
    static final FieldDef OPTION_DATA = FieldDef.bytes("dns.opt.data", "Option Data");
    static final FieldDef COOKIE_CLIENT = FieldDef.bytes("dns.opt.cookie.client", "Client Cookie");
    // A string, so that a cookie the client has not been given yet reads "<MISSING>" as in tshark.
    static final FieldDef COOKIE_SERVER = FieldDef.string("dns.opt.cookie.server", "Server Cookie");
    static final FieldDef DATA = FieldDef.bytes("dns.data", "Data");
    static final FieldDef UNDECODED_TYPE = FieldDef.none("dns.undecoded.type", "Undecoded option");
    static final FieldDef RESPONSE_IN = FieldDef.frameNumber("dns.response_in", "Response In");
    static final FieldDef RESPONSE_TO = FieldDef.frameNumber("dns.response_to", "Request In");
    static final FieldDef TIME = FieldDef.timeNanos("dns.time", "Time");
    static final FieldDef UNSOLICITED = FieldDef.bool("dns.unsolicited", "Unsolicited");
    static final FieldDef RETRANSMITTED_REQUEST_IN = FieldDef.frameNumber("dns.retransmit_request_in",
            "Retransmitted request. Original request in");
    static final FieldDef RETRANSMITTED_RESPONSE_IN = FieldDef.frameNumber("dns.retransmit_response_in",
            "Retransmitted response. Original response in");
    static final FieldDef RETRANSMISSION = FieldDef.bool("dns.retransmission", "Retransmission");
    static final FieldDef RETRANSMITTED_REQUEST = FieldDef.none("dns.retransmit_request", "DNS query retransmission");
    static final FieldDef RETRANSMITTED_RESPONSE = FieldDef.none("dns.retransmit_response", "DNS response retransmission");

    static final List<FieldDef> FIELDS = List.of(DNS, MDNS, LLMNR, LENGTH, ID, FLAGS, FLAG_RESPONSE_BIT, FLAG_OPCODE,
            FLAG_AUTHORITATIVE_BIT, FLAG_CONFLICT_RESPONSE, FLAG_TRUNCATED_BIT, FLAG_RECURSION_DESIRED_BIT, FLAG_TENTATIVE_BIT,
            FLAG_RECURSION_AVAILABLE_BIT, FLAG_Z_BIT, FLAG_AUTHENTICATED_BIT, FLAG_CHECKING_DISABLED_BIT, FLAG_RCODE,
            COUNT_QUERIES, COUNT_ANSWERS, COUNT_AUTHORITY, COUNT_ADDITIONAL, QUERY_NAME, QUERY_NAME_LENGTH, LABEL_COUNT,
            QUERY_TYPE, QUERY_CLASS, QUERY_UNICAST, RESPONSE_NAME, RESPONSE_TYPE, RESPONSE_CLASS, CACHE_FLUSH, TTL, DATA_LENGTH,
            A, AAAA, CNAME, NS, PTR, MX_PREFERENCE, MX_EXCHANGE, SOA_MNAME, SOA_RNAME, SOA_SERIAL, SOA_REFRESH, SOA_RETRY,
            SOA_EXPIRE, SOA_MINIMUM, TXT_LENGTH, TXT, SRV_SERVICE, SRV_PROTOCOL, SRV_NAME, SRV_PRIORITY, SRV_WEIGHT, SRV_PORT,
            SRV_TARGET, UDP_PAYLOAD_SIZE, EXTENDED_RCODE, EDNS_VERSION, EDNS_Z, EDNS_DO, EDNS_Z_RESERVED, OPTION, OPTION_CODE,
            OPTION_LENGTH, OPTION_DATA, COOKIE_CLIENT, COOKIE_SERVER, DATA, UNDECODED_TYPE, RESPONSE_IN, RESPONSE_TO, TIME,
            UNSOLICITED, RETRANSMITTED_REQUEST_IN, RETRANSMITTED_RESPONSE_IN, RETRANSMISSION, RETRANSMITTED_REQUEST, RETRANSMITTED_RESPONSE);

    private static final NodeText TIME_LINE = node -> "Time: " + FieldNode.seconds(node.value()) + " seconds";
    private static final NodeText TTL_LINE = node -> node.def().label() + ": " + node.value() + " (" + durationText(node.value()) + ")";

    private DnsDissector() {
    }

    /** Whether a UDP datagram between these ports is DNS, mDNS or LLMNR (Wireshark's registered ports). */
    static boolean claimsUdp(int sourcePort, int destinationPort) {
        return kind(sourcePort, destinationPort) >= 0;
    }

    /** Whether a TCP segment between these ports carries DNS (port 53 only: mDNS and LLMNR over TCP are rare). */
    static boolean claimsTcp(int sourcePort, int destinationPort) {
        return sourcePort == PORT || destinationPort == PORT;
    }

    private static int kind(int sourcePort, int destinationPort) {
        if (sourcePort == MDNS_PORT || destinationPort == MDNS_PORT) {
            return KIND_MDNS;
        }
        if (sourcePort == LLMNR_PORT || destinationPort == LLMNR_PORT) {
            return KIND_LLMNR;
        }
        return sourcePort == PORT || destinationPort == PORT ? KIND_DNS : -1;
    }

    static void dissectUdp(DissectionContext ctx, int offset, int length, int sourcePort, int destinationPort) {
        dissectMessage(ctx, offset, length, sourcePort, destinationPort, kind(sourcePort, destinationPort), false, -1);
    }

    /**
     * DNS over TCP (RFC 7766 section 8): each message after its two-byte length, as Wireshark's tcp_dissect_pdus hands
     * them over, through {@link TcpPduReassembly}: a message cut at the end of a segment (or even its length) asks for
     * the rest, several in one segment are each dissected, the Info column showing the last.
     */
    static final TcpPduReassembly.PduDissector TCP = DnsDissector::dissectTcpMessages;

    private static void dissectTcpMessages(DissectionContext ctx, FieldNode parent, int offset, int length,
                                           TcpConversations.Conversation conversation, boolean fromClient) {
        int at = offset;
        int end = offset + length;
        while (at < end) {
            if (end - at < 2) {
                ctx.desegmentOffset = at - offset;
                ctx.desegmentLength = TcpPduReassembly.ONE_MORE_SEGMENT;
                return;
            }
            int messageLength = BigEndian.u16(ctx.data, at);
            if (end - at < 2 + messageLength) {
                ctx.desegmentOffset = at - offset;
                ctx.desegmentLength = 2 + messageLength - (end - at);
                return;
            }
            TcpDissector.addPduSize(ctx, ctx.tcpTree, at, 2 + messageLength);
            dissectMessage(ctx, at + 2, messageLength, ctx.sourcePort, ctx.destinationPort, KIND_DNS, false, at);
            at += 2 + messageLength;
        }
    }

    /**
     * One message of {@code length} bytes at {@code offset}; {@code lengthOffset} is where its TCP length field is,
     * or -1 over UDP.
     */
    private static void dissectMessage(DissectionContext ctx, int offset, int length, int sourcePort, int destinationPort, int kind,
                                       boolean appendInfo, int lengthOffset) {
        byte[] data = ctx.data;
        ctx.setProtocol(kind == KIND_MDNS ? "MDNS" : kind == KIND_LLMNR ? "LLMNR" : "DNS");
        StringBuilder info = appendInfo ? ctx.appendInfo() : ctx.setInfo();
        FieldDef protocolDef = kind == KIND_MDNS ? MDNS : kind == KIND_LLMNR ? LLMNR : DNS;
        int treeOffset = lengthOffset >= 0 ? lengthOffset : offset;
        FieldNode dns = ctx.add(ctx.root, protocolDef, treeOffset, length + (offset - treeOffset));
        if (lengthOffset >= 0) {
            ctx.add(dns, LENGTH, lengthOffset, 2, length);
        }
        if (length < HEADER_LENGTH) {
            if (dns != null) {
                dns.text(protocolDef.label());
            }
            ctx.malformed(protocolDef.label() + ": message of " + length + " bytes is shorter than the 12-byte header", offset + length);
            return;
        }
        int id = BigEndian.u16(data, offset);
        int flags = BigEndian.u16(data, offset + 2);
        boolean response = (flags & FLAG_RESPONSE) != 0;
        int opcode = (flags & OPCODE_MASK) >>> 11;
        int rcode = flags & RCODE_MASK;
        if (dns != null) {
            dns.text(protocolDef.label() + (response ? " (response)" : " (query)"));
        }
        String operation = opcodeInfo(opcode, response);
        info.append(operation).append(" 0x").append(hex4(id));
        if (response && rcode != 0) {
            info.append(' ').append(rcodeName(rcode));
        }
        FieldNode idNode = ctx.add(dns, ID, offset, 2, id);
        addFlags(ctx, dns, offset + 2, flags, kind, operation);
        int questions = BigEndian.u16(data, offset + 4);
        int answers = BigEndian.u16(data, offset + 6);
        int authorities = BigEndian.u16(data, offset + 8);
        int additionals = BigEndian.u16(data, offset + 10);
        ctx.add(dns, COUNT_QUERIES, offset + 4, 2, questions);
        ctx.add(dns, COUNT_ANSWERS, offset + 6, 2, answers);
        ctx.add(dns, COUNT_AUTHORITY, offset + 8, 2, authorities);
        ctx.add(dns, COUNT_ADDITIONAL, offset + 10, 2, additionals);

        Message message = new Message(ctx, offset, offset + length, kind, info);
        int at = offset + HEADER_LENGTH;
        String problem = null;
        if (questions > 0) {
            FieldNode section = ctx.addText(dns, at, 0, "Queries");
            for (int i = 0; i < questions && problem == null; i++) {
                at = message.question(section, at);
                problem = message.problem;
            }
        }
        String[] sectionNames = {"Answers", "Authoritative nameservers", "Additional records"};
        int[] counts = {answers, authorities, additionals};
        for (int s = 0; s < 3 && problem == null; s++) {
            if (counts[s] == 0) {
                continue;
            }
            FieldNode section = ctx.addText(dns, at, 0, sectionNames[s]);
            for (int i = 0; i < counts[s] && problem == null; i++) {
                at = message.record(section, at);
                problem = message.problem;
            }
        }
        link(ctx, dns, idNode, offset, response, id, sourcePort, destinationPort, lengthOffset >= 0);
        if (problem != null) {
            ctx.malformed(protocolDef.label() + ": " + problem, Math.min(at, offset + length));
        }
    }

    private static void addFlags(DissectionContext ctx, FieldNode dns, int offset, int flags, int kind, String operation) {
        FieldNode node = ctx.add(dns, FLAGS, offset, 2, flags);
        if (node == null) {
            return;
        }
        boolean response = (flags & FLAG_RESPONSE) != 0;
        node.text("Flags: 0x" + hex4(flags) + " " + operation + (response ? ", " + rcodeName(flags & RCODE_MASK) : ""));
        ctx.add(node, FLAG_RESPONSE_BIT, offset, 2, response ? 1 : 0);
        ctx.add(node, FLAG_OPCODE, offset, 2, (flags & OPCODE_MASK) >>> 11);
        if (kind == KIND_LLMNR) {
            ctx.add(node, response ? FLAG_CONFLICT_RESPONSE : FLAG_CONFLICT_QUERY, offset, 2, bit(flags, FLAG_CONFLICT));
            ctx.add(node, FLAG_TRUNCATED_BIT, offset, 2, bit(flags, FLAG_TRUNCATED));
            ctx.add(node, FLAG_TENTATIVE_BIT, offset, 2, bit(flags, FLAG_TENTATIVE));
            if (response) {
                ctx.add(node, FLAG_RCODE, offset, 2, flags & RCODE_MASK);
            }
            return;
        }
        if (response) {
            ctx.add(node, FLAG_AUTHORITATIVE_BIT, offset, 2, bit(flags, FLAG_AUTHORITATIVE));
        }
        ctx.add(node, FLAG_TRUNCATED_BIT, offset, 2, bit(flags, FLAG_TRUNCATED));
        ctx.add(node, FLAG_RECURSION_DESIRED_BIT, offset, 2, bit(flags, FLAG_RECURSION_DESIRED));
        if (response) {
            ctx.add(node, FLAG_RECURSION_AVAILABLE_BIT, offset, 2, bit(flags, FLAG_RECURSION_AVAILABLE));
        }
        ctx.add(node, FLAG_Z_BIT, offset, 2, bit(flags, FLAG_Z));
        if (response) {
            ctx.add(node, FLAG_AUTHENTICATED_BIT, offset, 2, bit(flags, FLAG_AUTHENTICATED));
        } else if ((flags & FLAG_AUTHENTICATED) != 0) {
            // In a query the AD bit asks for it in the answer (RFC 6840 section 5.7); Wireshark shows it only when set.
            ctx.add(node, FLAG_AD_BIT, offset, 2, 1);
        }
        ctx.add(node, FLAG_CHECKING_DISABLED_BIT, offset, 2, bit(flags, FLAG_CHECKING_DISABLED));
        if (response) {
            ctx.add(node, FLAG_RCODE, offset, 2, flags & RCODE_MASK);
        }
    }

    /**
     * Links a response to its query (Wireshark's single pass: a query cannot name a response yet to come), and marks
     * a query or response sent again, with an expert note on its transaction ID.
     */
    private static void link(DissectionContext ctx, FieldNode dns, FieldNode idNode, int offset, boolean response, int id,
                             int sourcePort, int destinationPort, boolean tcp) {
        if (ctx.quoteDepth > 0) {
            return;
        }
        DnsTransactions transactions = ctx.session.dnsTransactions;
        if (!response) {
            DnsTransactions.Transaction query = transactions.query(tcp, ctx.ipSource, sourcePort, ctx.ipDestination, destinationPort, id,
                    ctx.frameNumber, ctx.timestampNanos);
            if (dns != null && transactions.retransmission) {
                ctx.addExpert(idNode, offset, 2, "Warning/Protocol", "DNS query retransmission. Original request in frame "
                        + query.requestFrame, RETRANSMITTED_REQUEST);
                ctx.add(dns, RETRANSMITTED_REQUEST_IN, offset, 0, query.requestFrame).generated();
                ctx.add(dns, RETRANSMISSION, offset, 0, 1).generated();
            }
            return;
        }
        DnsTransactions.Transaction query = transactions.response(tcp, ctx.ipSource, sourcePort, ctx.ipDestination, destinationPort, id,
                ctx.frameNumber);
        if (dns == null) {
            return;
        }
        if (query == null) {
            ctx.add(dns, UNSOLICITED, offset, 0, 1).generated();
        } else if (transactions.retransmission) {
            ctx.addExpert(idNode, offset, 2, "Warning/Protocol", "DNS response retransmission. Original response in frame "
                    + query.responseFrame, RETRANSMITTED_RESPONSE);
            ctx.add(dns, RETRANSMITTED_RESPONSE_IN, offset, 0, query.responseFrame).generated();
            ctx.add(dns, RETRANSMISSION, offset, 0, 1).generated();
        } else {
            ctx.add(dns, RESPONSE_TO, offset, 0, query.requestFrame).generated();
            ctx.add(dns, TIME, offset, 0, ctx.timestampNanos - query.requestTimestampNanos).generated().text(TIME_LINE);
        }
    }

    /** The questions and records of one message, read in order; {@link #problem} says why reading stopped. */
    private static final class Message {
        private final DissectionContext ctx;
        private final int start;
        private final int end;
        private final int kind;
        private final StringBuilder info;
        private final DnsNames.Name name = new DnsNames.Name();
        String problem;

        Message(DissectionContext ctx, int start, int end, int kind, StringBuilder info) {
            this.ctx = ctx;
            this.start = start;
            this.end = end;
            this.kind = kind;
            this.info = info;
        }

        private String readName(int at) {
            DnsNames.read(ctx.data, start, end, at, name);
            if (name.problem != null && problem == null) {
                problem = name.problem;
            }
            return name.text;
        }

        /** The question at {@code at}; returns where the next part starts. */
        int question(FieldNode section, int at) {
            String text = readName(at);
            int nameLength = name.length;
            int labels = name.labelCount;
            if (problem != null) {
                return at + nameLength;
            }
            int fixed = at + nameLength;
            if (fixed + 4 > end) {
                problem = "question for " + text + " runs past the end of the message";
                return end;
            }
            int type = BigEndian.u16(ctx.data, fixed);
            int classField = BigEndian.u16(ctx.data, fixed + 2);
            boolean unicast = kind == KIND_MDNS && (classField & CLASS_TOP_BIT) != 0;
            int dnsClass = kind == KIND_MDNS ? classField & 0x7FFF : classField;
            info.append(' ').append(typeName(type)).append(' ').append(text);
            if (kind == KIND_MDNS) {
                info.append(unicast ? ", \"QU\" question" : ", \"QM\" question");
            }
            if (section == null) {
                return fixed + 4;
            }
            String line = text + ": type " + typeName(type) + ", class " + classText(dnsClass)
                    + (kind == KIND_MDNS ? (unicast ? ", \"QU\" question" : ", \"QM\" question") : "");
            FieldNode node = ctx.addText(section, at, fixed + 4 - at, line);
            ctx.addString(node, QUERY_NAME, at, nameLength, text);
            FieldNode nameLengthNode = ctx.add(node, QUERY_NAME_LENGTH, at, nameLength, text.equals(DnsNames.ROOT) ? 0 : text.length());
            if (nameLengthNode != null) {
                nameLengthNode.generated();
            }
            FieldNode labelNode = ctx.add(node, LABEL_COUNT, at, nameLength, labels);
            if (labelNode != null) {
                labelNode.generated();
            }
            ctx.add(node, QUERY_TYPE, fixed, 2, type);
            if (kind == KIND_MDNS) {
                ctx.add(node, QUERY_CLASS_BITS, fixed + 2, 2, dnsClass);
                ctx.add(node, QUERY_UNICAST, fixed + 2, 2, unicast ? 1 : 0);
            } else {
                ctx.add(node, QUERY_CLASS, fixed + 2, 2, dnsClass);
            }
            return fixed + 4;
        }

        /** The resource record at {@code at}; returns where the next one starts. */
        int record(FieldNode section, int at) {
            String owner = readName(at);
            int nameLength = name.length;
            if (problem != null) {
                return at + nameLength;
            }
            int fixed = at + nameLength;
            if (fixed + 10 > end) {
                problem = "record of " + owner + " runs past the end of the message";
                return end;
            }
            byte[] data = ctx.data;
            int type = BigEndian.u16(data, fixed);
            int classField = BigEndian.u16(data, fixed + 2);
            long ttl = BigEndian.u32(data, fixed + 4);
            int dataLength = BigEndian.u16(data, fixed + 8);
            int rdata = fixed + 10;
            if (rdata + dataLength > end) {
                problem = "data of the " + typeName(type) + " record of " + owner + " (" + dataLength
                        + " bytes) runs past the end of the message";
                return end;
            }
            if (type == TYPE_OPT) {
                opt(section, at, nameLength, owner, classField, ttl, rdata, dataLength);
                return rdata + dataLength;
            }
            boolean cacheFlush = kind == KIND_MDNS && (classField & CLASS_TOP_BIT) != 0;
            int dnsClass = kind == KIND_MDNS ? classField & 0x7FFF : classField;
            info.append(' ').append(typeName(type));
            if (cacheFlush) {
                info.append(", cache flush");
            }
            StringBuilder line = section == null ? null
                    : new StringBuilder(64).append(owner).append(": type ").append(typeName(type)).append(", class ")
                    .append(classText(dnsClass)).append(cacheFlush ? ", cache flush" : "");
            FieldNode node = ctx.addText(section, at, rdata + dataLength - at, "");
            if (type == TYPE_SRV && owner.indexOf('.') > 0 && owner.indexOf('.', owner.indexOf('.') + 1) > 0) {
                // Wireshark splits an SRV record's owner into service, protocol and name (RFC 2782).
                int firstDot = owner.indexOf('.');
                int secondDot = owner.indexOf('.', firstDot + 1);
                ctx.addString(node, SRV_SERVICE, at, nameLength, owner.substring(0, firstDot));
                ctx.addString(node, SRV_PROTOCOL, at, nameLength, owner.substring(firstDot + 1, secondDot));
                ctx.addString(node, SRV_NAME, at, nameLength, owner.substring(secondDot + 1));
            } else {
                ctx.addString(node, RESPONSE_NAME, at, nameLength, owner);
            }
            ctx.add(node, RESPONSE_TYPE, fixed, 2, type);
            if (kind == KIND_MDNS) {
                ctx.add(node, RESPONSE_CLASS_BITS, fixed + 2, 2, dnsClass);
                ctx.add(node, CACHE_FLUSH, fixed + 2, 2, cacheFlush ? 1 : 0);
            } else {
                ctx.add(node, RESPONSE_CLASS, fixed + 2, 2, dnsClass);
            }
            FieldNode ttlNode = ctx.add(node, TTL, fixed + 4, 4, ttl);
            if (ttlNode != null) {
                ttlNode.text(TTL_LINE);
            }
            ctx.add(node, DATA_LENGTH, fixed + 8, 2, dataLength);
            recordData(node, line, type, rdata, dataLength);
            if (node != null) {
                node.text(line.toString());
            }
            return rdata + dataLength;
        }

        /** The data of a record, its part of the record's line ({@code line}, null without a tree) and of the Info column. */
        private void recordData(FieldNode node, StringBuilder line, int type, int rdata, int dataLength) {
            byte[] data = ctx.data;
            int rdataEnd = rdata + dataLength;
            switch (type) {
                case TYPE_A -> {
                    if (dataLength != 4) {
                        undecoded(node, rdata, dataLength, "A record of " + dataLength + " bytes");
                        return;
                    }
                    int address = BigEndian.i32(data, rdata);
                    String text = new Ipv4Address(address).toString();
                    info.append(' ').append(text);
                    append(line, ", addr ", text);
                    ctx.add(node, A, rdata, 4, address & 0xFFFF_FFFFL);
                }
                case TYPE_AAAA -> {
                    if (dataLength != 16) {
                        undecoded(node, rdata, dataLength, "AAAA record of " + dataLength + " bytes");
                        return;
                    }
                    String text = ipv6Text(data, rdata);
                    info.append(' ').append(text);
                    append(line, ", addr ", text);
                    ctx.addString(node, AAAA, rdata, 16, text);
                }
                case TYPE_CNAME, TYPE_NS, TYPE_PTR -> {
                    String target = nameIn(rdata, rdataEnd);
                    info.append(' ').append(target);
                    append(line, type == TYPE_CNAME ? ", cname " : type == TYPE_NS ? ", ns " : ", ", target);
                    ctx.addString(node, type == TYPE_CNAME ? CNAME : type == TYPE_NS ? NS : PTR, rdata, name.length, target);
                }
                case TYPE_MX -> {
                    if (dataLength < 3) {
                        undecoded(node, rdata, dataLength, "MX record of " + dataLength + " bytes");
                        return;
                    }
                    int preference = BigEndian.u16(data, rdata);
                    String exchange = nameIn(rdata + 2, rdataEnd);
                    info.append(' ').append(preference).append(' ').append(exchange);
                    append(line, ", preference " + preference + ", mx ", exchange);
                    ctx.add(node, MX_PREFERENCE, rdata, 2, preference);
                    ctx.addString(node, MX_EXCHANGE, rdata + 2, name.length, exchange);
                }
                case TYPE_SOA -> {
                    String mname = nameIn(rdata, rdataEnd);
                    int mnameLength = name.length;
                    info.append(' ').append(mname);
                    append(line, ", mname ", mname);
                    ctx.addString(node, SOA_MNAME, rdata, mnameLength, mname);
                    int at = rdata + mnameLength;
                    String rname = nameIn(at, rdataEnd);
                    ctx.addString(node, SOA_RNAME, at, name.length, rname);
                    at += name.length;
                    if (problem != null || at + 20 > rdataEnd) {
                        problem = problem != null ? problem : "SOA record is shorter than its names and five numbers";
                        return;
                    }
                    ctx.add(node, SOA_SERIAL, at, 4, BigEndian.u32(data, at));
                    FieldDef[] intervals = {SOA_REFRESH, SOA_RETRY, SOA_EXPIRE, SOA_MINIMUM};
                    for (int i = 0; i < 4; i++) {
                        FieldNode interval = ctx.add(node, intervals[i], at + 4 + 4 * i, 4, BigEndian.u32(data, at + 4 + 4 * i));
                        if (interval != null) {
                            interval.text(TTL_LINE);
                        }
                    }
                }
                case TYPE_TXT -> {
                    int at = rdata;
                    while (at < rdataEnd) {
                        int stringLength = data[at] & 0xFF;
                        ctx.add(node, TXT_LENGTH, at, 1, stringLength);
                        if (at + 1 + stringLength > rdataEnd) {
                            problem = "TXT string of " + stringLength + " bytes runs past its record";
                            return;
                        }
                        if (node != null) {
                            ctx.addString(node, TXT, at + 1, stringLength, characterString(data, at + 1, stringLength));
                        }
                        at += 1 + stringLength;
                    }
                }
                case TYPE_SRV -> {
                    if (dataLength < 7) {
                        undecoded(node, rdata, dataLength, "SRV record of " + dataLength + " bytes");
                        return;
                    }
                    int priority = BigEndian.u16(data, rdata);
                    int weight = BigEndian.u16(data, rdata + 2);
                    int port = BigEndian.u16(data, rdata + 4);
                    String target = nameIn(rdata + 6, rdataEnd);
                    info.append(' ').append(priority).append(' ').append(weight).append(' ').append(port).append(' ').append(target);
                    append(line, ", priority " + priority + ", weight " + weight + ", port " + port + ", target ", target);
                    ctx.add(node, SRV_PRIORITY, rdata, 2, priority);
                    ctx.add(node, SRV_WEIGHT, rdata + 2, 2, weight);
                    ctx.add(node, SRV_PORT, rdata + 4, 2, port);
                    ctx.addString(node, SRV_TARGET, rdata + 6, name.length, target);
                }
                default -> {
                    if (node != null) {
                        ctx.addExpert(node, rdata, dataLength, "Note/Undecoded", "Dissector for DNS Type (" + type
                                + ") code not implemented, Contact Wireshark developers if you want this supported", UNDECODED_TYPE);
                    }
                    if (dataLength > 0) {
                        ctx.addBytes(node, DATA, rdata, dataLength);
                    }
                }
            }
        }

        /** A name inside a record's data, which must end within the data. */
        private String nameIn(int at, int rdataEnd) {
            DnsNames.read(ctx.data, start, end, at, name);
            if (name.problem == null && at + name.length > rdataEnd) {
                name.problem = "name " + name.text + " runs past the end of its record";
                name.length = Math.max(0, rdataEnd - at);
            }
            if (name.problem != null && problem == null) {
                problem = name.problem;
            }
            return name.text;
        }

        private void undecoded(FieldNode node, int rdata, int dataLength, String what) {
            problem = what + " is not the size its type has";
            if (dataLength > 0) {
                ctx.addBytes(node, DATA, rdata, dataLength);
            }
        }

        /** The OPT pseudo-record (RFC 6891 section 6.1.2): its class is the UDP payload size, its TTL more flags. */
        private void opt(FieldNode section, int at, int nameLength, String owner, int payloadSize, long ttl, int rdata, int dataLength) {
            info.append(" OPT");
            FieldNode node = ctx.addText(section, at, rdata + dataLength - at, owner + ": type OPT");
            if (node == null) {
                return;
            }
            int fixed = at + nameLength;
            ctx.addString(node, RESPONSE_NAME, at, nameLength, owner);
            ctx.add(node, RESPONSE_TYPE, fixed, 2, TYPE_OPT);
            ctx.add(node, UDP_PAYLOAD_SIZE, fixed + 2, 2, payloadSize);
            ctx.add(node, EXTENDED_RCODE, fixed + 4, 1, (ttl >>> 24) & 0xFF);
            ctx.add(node, EDNS_VERSION, fixed + 5, 1, (ttl >>> 16) & 0xFF);
            int z = (int) (ttl & 0xFFFF);
            FieldNode zNode = ctx.add(node, EDNS_Z, fixed + 6, 2, z);
            ctx.add(zNode, EDNS_DO, fixed + 6, 2, (z & 0x8000) != 0 ? 1 : 0);
            ctx.add(zNode, EDNS_Z_RESERVED, fixed + 6, 2, z & 0x7FFF);
            ctx.add(node, DATA_LENGTH, fixed + 8, 2, dataLength);
            byte[] data = ctx.data;
            int optionAt = rdata;
            int rdataEnd = rdata + dataLength;
            while (rdataEnd - optionAt >= 4) {
                int code = BigEndian.u16(data, optionAt);
                int optionLength = BigEndian.u16(data, optionAt + 2);
                if (optionAt + 4 + optionLength > rdataEnd) {
                    problem = "EDNS option of " + optionLength + " bytes runs past its OPT record";
                    return;
                }
                String optionName = optionName(code);
                FieldNode option = ctx.add(node, OPTION, optionAt, 4 + optionLength);
                if (option != null) {
                    option.text("Option: " + (optionName == null ? "Unknown" : optionName));
                }
                ctx.add(option, OPTION_CODE, optionAt, 2, code);
                ctx.add(option, OPTION_LENGTH, optionAt + 2, 2, optionLength);
                int value = optionAt + 4;
                if (optionLength > 0) {
                    ctx.addBytes(option, OPTION_DATA, value, optionLength);
                }
                if (code == OPTION_COOKIE && optionLength >= 8) {
                    // RFC 7873 section 4: an 8-byte client cookie, then the server's (absent in a first query).
                    ctx.addBytes(option, COOKIE_CLIENT, value, 8);
                    ctx.addString(option, COOKIE_SERVER, value + 8, optionLength - 8,
                            optionLength == 8 ? "<MISSING>" : new ByteSlice(data, value + 8, optionLength - 8).toHex());
                }
                optionAt = value + optionLength;
            }
        }
    }

    private static void append(StringBuilder line, String label, String value) {
        if (line != null) {
            line.append(label).append(value);
        }
    }

    /** A TXT character-string (RFC 1035 section 3.3): printable bytes as they are, others escaped as Wireshark does. */
    private static String characterString(byte[] data, int offset, int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = offset; i < offset + length; i++) {
            int b = data[i] & 0xFF;
            if (b >= 0x20 && b < 0x7F) {
                text.append((char) b);
            } else {
                text.append('\\').append((char) ('0' + (b >> 6))).append((char) ('0' + ((b >> 3) & 7))).append((char) ('0' + (b & 7)));
            }
        }
        return text.toString();
    }

    /** RFC 5952 section 4: lower case, leading zeros dropped, the longest run of two or more zero groups as "::". */
    static String ipv6Text(byte[] data, int offset) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = BigEndian.u16(data, offset + 2 * i);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder text = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }

    private static int bit(int flags, int mask) {
        return (flags & mask) != 0 ? 1 : 0;
    }

    private static String hex4(int value) {
        String hex = Integer.toHexString(value);
        return "0".repeat(4 - hex.length()) + hex;
    }

    /** "1 hour, 15 minutes": Wireshark's way of writing a number of seconds. */
    static String durationText(long seconds) {
        if (seconds == 0) {
            return "0 seconds";
        }
        long[] amounts = {seconds / 86_400, seconds / 3_600 % 24, seconds / 60 % 60, seconds % 60};
        String[] units = {"day", "hour", "minute", "second"};
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            if (amounts[i] != 0) {
                if (text.length() > 0) {
                    text.append(", ");
                }
                text.append(amounts[i]).append(' ').append(units[i]).append(amounts[i] == 1 ? "" : "s");
            }
        }
        return text.toString();
    }

    /** The first words of the Info column and of the flags line. */
    private static String opcodeInfo(int opcode, boolean response) {
        String name = switch (opcode) {
            case 0 -> "Standard query";
            case 1 -> "Inverse query";
            case 2 -> "Server status request";
            case 4 -> "Zone change notification";
            case 5 -> "Dynamic update";
            default -> "Unknown operation (" + opcode + ")";
        };
        return response ? name + " response" : name;
    }

    private static String opcodeName(long opcode) {
        return switch ((int) opcode) {
            case 0 -> "Standard query";
            case 1 -> "Inverse query";
            case 2 -> "Server status request";
            case 4 -> "Zone change notification";
            case 5 -> "Dynamic update";
            default -> "Unknown operation";
        };
    }

    /** RFC 1035 section 4.1.1, RFC 2136 section 2.2. */
    static String rcodeName(long rcode) {
        return switch ((int) rcode) {
            case 0 -> "No error";
            case 1 -> "Format error";
            case 2 -> "Server failure";
            case 3 -> "No such name";
            case 4 -> "Not implemented";
            case 5 -> "Refused";
            case 6 -> "Name exists";
            case 7 -> "RRset exists";
            case 8 -> "RRset does not exist";
            case 9 -> "Not authoritative";
            case 10 -> "Name out of zone";
            default -> "Unknown error";
        };
    }

    /** The short name in Info and record lines: "A", "SRV", "Unknown (65400)". */
    static String typeName(int type) {
        String name = typeShortName(type);
        return name != null ? name : "Unknown (" + type + ")";
    }

    private static String typeShortName(int type) {
        return switch (type) {
            case TYPE_A -> "A";
            case TYPE_NS -> "NS";
            case TYPE_CNAME -> "CNAME";
            case TYPE_SOA -> "SOA";
            case TYPE_PTR -> "PTR";
            case 13 -> "HINFO";
            case TYPE_MX -> "MX";
            case TYPE_TXT -> "TXT";
            case TYPE_AAAA -> "AAAA";
            case TYPE_SRV -> "SRV";
            case 35 -> "NAPTR";
            case TYPE_OPT -> "OPT";
            case 43 -> "DS";
            case 46 -> "RRSIG";
            case 47 -> "NSEC";
            case 48 -> "DNSKEY";
            case 64 -> "SVCB";
            case 65 -> "HTTPS";
            case 252 -> "AXFR";
            case 255 -> "ANY";
            case 257 -> "CAA";
            default -> null;
        };
    }

    /** "A (Host Address)": the Type line's value name, as Wireshark's dns_types_description_vals. */
    private static String typeDescription(long type) {
        return switch ((int) type) {
            case TYPE_A -> "A (Host Address)";
            case TYPE_NS -> "NS (authoritative Name Server)";
            case TYPE_CNAME -> "CNAME (Canonical NAME for an alias)";
            case TYPE_SOA -> "SOA (Start Of a zone of Authority)";
            case TYPE_PTR -> "PTR (domain name PoinTeR)";
            case 13 -> "HINFO (host information)";
            case TYPE_MX -> "MX (Mail eXchange)";
            case TYPE_TXT -> "TXT (Text strings)";
            case TYPE_AAAA -> "AAAA (IPv6 Address)";
            case TYPE_SRV -> "SRV (Server Selection)";
            case 35 -> "NAPTR (Naming Authority PoinTeR)";
            case TYPE_OPT -> "OPT";
            case 43 -> "DS (Delegation Signer)";
            case 46 -> "RRSIG (Resource Record Signature)";
            case 47 -> "NSEC (Next Secure)";
            case 48 -> "DNSKEY (DNS Public Key)";
            case 64 -> "SVCB (General Purpose Service Endpoints)";
            case 65 -> "HTTPS (HTTPS Specific Service Endpoints)";
            case 252 -> "AXFR (transfer of an entire zone)";
            case 255 -> "* (A request for all records the server/cache has available)";
            case 257 -> "CAA (Certification Authority Restriction)";
            default -> "Unknown";
        };
    }

    private static String className(long dnsClass) {
        return switch ((int) dnsClass) {
            case 1 -> "IN";
            case 3 -> "CH";
            case 4 -> "HS";
            case 254 -> "NONE";
            case 255 -> "ANY";
            default -> null;
        };
    }

    private static String classText(int dnsClass) {
        String name = className(dnsClass);
        return name != null ? name : "Unknown (" + dnsClass + ")";
    }

    /** EDNS option codes (IANA "DNS EDNS0 Option Codes"). */
    private static String optionName(long code) {
        return switch ((int) code) {
            case 3 -> "NSID";
            case 5 -> "DAU - DNSSEC Algorithm Understood (RFC6975)";
            case 6 -> "DHU - DS Hash Understood (RFC6975)";
            case 7 -> "N3U - NSEC3 Hash Understood (RFC6975)";
            case 8 -> "CSUBNET - Client subnet";
            case 9 -> "EDNS EXPIRE (RFC7314)";
            case OPTION_COOKIE -> "COOKIE";
            case 11 -> "EDNS TCP Keepalive";
            case 12 -> "PADDING";
            case 13 -> "CHAIN";
            case 14 -> "EDNS Key Tag";
            case 15 -> "Extended DNS Error";
            default -> null;
        };
    }
}
