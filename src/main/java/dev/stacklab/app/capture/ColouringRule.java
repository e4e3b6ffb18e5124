package dev.stacklab.app.capture;

import dev.stacklab.capture.LinkType;
import dev.stacklab.dissect.FrameSummary;
import dev.stacklab.dissect.SummaryBatch;
import dev.stacklab.wire.BigEndian;
import dev.stacklab.wire.Checksum;

/**
 * Wireshark's default colouring rules ({@code /usr/share/wireshark/colorfilters}), in its order (the first rule
 * that matches colours the row), for the protocols stacklab dissects, after two of stacklab's own: frames an
 * impairment dropped, and malformed frames.
 *
 * <p>Rows are coloured at arrival, a million frames per second, so a rule is decided from the frame's bytes and
 * its summary rather than by evaluating its filter on a full tree; one test holds each decision to the rule's
 * filter evaluated by the dissector, another to the rule tshark itself names ({@code frame.coloring_rule.name}).
 * The colours themselves are named in {@code capture.css}.
 */
enum ColouringRule {
    DROPPED("Dropped by impairment", "(stacklab) a simulated link dropped the frame", "row-dropped"),
    MALFORMED("Malformed", "_ws.malformed", "row-malformed"),
    BAD_TCP("Bad TCP", "tcp.analysis.flags && !tcp.analysis.window_update && !tcp.analysis.keep_alive && !tcp.analysis.keep_alive_ack",
            "row-bad-tcp"),
    ICMP_ERROR("ICMP errors", "icmp.type in {3..5, 11} || icmpv6.type in {1..4}", "row-icmp-error"),
    ARP("ARP", "arp", "row-arp"),
    ICMP("ICMP", "icmp || icmpv6", "row-icmp"),
    TCP_RST("TCP RST", "tcp.flags.reset eq 1", "row-tcp-rst"),
    TTL_LOW("TTL low or unexpected",
            "(ip.dst != 224.0.0.0/4 && ip.ttl < 5 && !pim && !ospf) || (ip.dst == 224.0.0.0/24 && ip.dst != 224.0.0.251 && ip.ttl != 1 && !(vrrp || carp))",
            "row-ttl-low"),
    CHECKSUM_ERROR("Checksum Errors", "ip.checksum.status == \"Bad\"", "row-checksum-error"),
    HTTP("HTTP", "http || tcp.port == 80", "row-http"),
    TCP_SYN_FIN("TCP SYN/FIN", "tcp.flags & 0x02 || tcp.flags.fin == 1", "row-tcp-syn-fin"),
    TCP("TCP", "tcp", "row-tcp"),
    UDP("UDP", "udp", "row-udp"),
    BROADCAST("Broadcast", "eth[0] & 1", "row-broadcast"),
    NONE("No rule", "", "row-plain");

    private static final int ETHERNET_HEADER = 14;
    private static final int SLL_HEADER = 16;
    private static final int SLL2_HEADER = 20;
    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_ARP = 0x0806;
    private static final int ETHERTYPE_IPV6 = 0x86DD;
    private static final int ETHERTYPE_VLAN = 0x8100;
    private static final int ETHERTYPE_QINQ = 0x88A8;
    private static final int VLAN_TAG = 4;
    private static final int IPV6_HEADER = 40;
    private static final int PROTOCOL_ICMP = 1;
    private static final int PROTOCOL_TCP = 6;
    private static final int PROTOCOL_UDP = 17;
    private static final int PROTOCOL_ICMPV6 = 58;
    private static final int PROTOCOL_OSPF = 89;
    private static final int PROTOCOL_PIM = 103;
    private static final int PROTOCOL_VRRP_CARP = 112;
    private static final int IPV6_HOP_BY_HOP = 0;
    private static final int IPV6_ROUTING = 43;
    private static final int IPV6_FRAGMENT = 44;
    private static final int IPV6_DESTINATION_OPTIONS = 60;
    /** Extension headers walked before giving up on finding the transport (a chain longer than this is crafted). */
    private static final int IPV6_EXTENSIONS_WALKED = 8;
    private static final int TCP_FIN = 0x01;
    private static final int TCP_SYN = 0x02;
    private static final int TCP_RST_FLAG = 0x04;
    private static final String ANALYSIS_PREFIX = "[TCP ";

    private final String title;
    private final String filter;
    private final String styleClass;

    ColouringRule(String title, String filter, String styleClass) {
        this.title = title;
        this.filter = filter;
        this.styleClass = styleClass;
    }

    /** The rule's name, as Wireshark's colouring rules dialog shows it (and tshark's frame.coloring_rule.name). */
    String title() {
        return title;
    }

    /** The rule as Wireshark writes it (for the legend). */
    String filter() {
        return filter;
    }

    /** The row's style class in capture.css. */
    String styleClass() {
        return styleClass;
    }

    /** The first rule that matches the frame, whose first byte is of link type {@code linkType} (a LINKTYPE_ value). */
    static ColouringRule of(int linkType, byte[] frame, int length, FrameSummary summary, boolean dropped) {
        String info = summary.info();
        return of(linkType, frame, length, summary.malformed(), summary.protocol(), new InfoText() {
            @Override
            public int length() {
                return info.length();
            }

            @Override
            public char charAt(int at) {
                return info.charAt(at);
            }
        }, dropped);
    }

    /** The first rule that matches the frame whose summary is {@code index} of {@code columns}. */
    static ColouringRule of(int linkType, byte[] frame, int length, SummaryBatch columns, int index, boolean dropped) {
        char[] chars = columns.infoChars();
        int start = columns.infoStart(index);
        int infoLength = columns.infoEnd(index) - start;
        return of(linkType, frame, length, columns.malformed(index), columns.protocol(index), new InfoText() {
            @Override
            public int length() {
                return infoLength;
            }

            @Override
            public char charAt(int at) {
                return chars[start + at];
            }
        }, dropped);
    }

    /** The frame's Info column, read in place (a summary's string, or a batch's characters). */
    private interface InfoText {
        int length();

        char charAt(int at);

        default boolean startsWith(String prefix) {
            return regionMatches(0, prefix);
        }

        default boolean regionMatches(int at, String text) {
            if (at < 0 || length() - at < text.length()) {
                return false;
            }
            for (int i = 0; i < text.length(); i++) {
                if (charAt(at + i) != text.charAt(i)) {
                    return false;
                }
            }
            return true;
        }
    }

    private static ColouringRule of(int linkType, byte[] frame, int length, boolean malformed, String protocolColumn, InfoText info,
                                    boolean dropped) {
        if (dropped) {
            return DROPPED;
        }
        if (malformed) {
            return MALFORMED;
        }
        // "Bad TCP" comes first in Wireshark's list; its flags are the bracketed notes the TCP analysis puts first in Info.
        if (isBadTcp(info)) {
            return BAD_TCP;
        }
        // Where the network layer starts, and what it is, for each link type the dissector reads. Only Ethernet
        // has the eth[0] the Broadcast rule tests.
        int type;
        int network;
        boolean broadcast = false;
        switch (linkType) {
            case LinkType.ETHERNET -> {
                if (length < ETHERNET_HEADER) {
                    return NONE;
                }
                broadcast = (frame[0] & 1) != 0;
                int at = 12;
                type = BigEndian.u16(frame, at);
                while ((type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ) && at + VLAN_TAG + 2 <= length) {
                    at += VLAN_TAG;
                    type = BigEndian.u16(frame, at);
                }
                network = at + 2;
            }
            case LinkType.LINUX_SLL -> {
                if (length < SLL_HEADER) {
                    return NONE;
                }
                type = BigEndian.u16(frame, SLL_HEADER - 2);
                network = SLL_HEADER;
            }
            case LinkType.LINUX_SLL2 -> {
                if (length < SLL2_HEADER) {
                    return NONE;
                }
                type = BigEndian.u16(frame, 0);
                network = SLL2_HEADER;
            }
            case LinkType.RAW, LinkType.IPV4, LinkType.IPV6 -> {
                if (length < 1) {
                    return NONE;
                }
                int version = (frame[0] & 0xFF) >>> 4;
                type = version == 4 ? ETHERTYPE_IPV4 : version == 6 ? ETHERTYPE_IPV6 : -1;
                network = 0;
            }
            default -> {
                return NONE;
            }
        }
        ColouringRule otherwise = broadcast ? BROADCAST : NONE;
        if (type == ETHERTYPE_ARP) {
            return ARP;
        }
        if (type == ETHERTYPE_IPV4 && network + 20 <= length) {
            return ipv4(frame, length, network, protocolColumn, info, otherwise);
        }
        if (type == ETHERTYPE_IPV6 && network + IPV6_HEADER <= length) {
            return ipv6(frame, length, network, protocolColumn, info, otherwise);
        }
        return otherwise;
    }

    /**
     * Whether Info starts with TCP analysis notes ("[TCP Dup ACK 12#1] ", "[TCP Retransmission] ") and none of them
     * is one the "Bad TCP" rule leaves out: a window update, a keep-alive or its ACK (the rule's "&& !" terms rule
     * out the frame even when it has other flags too). "[TCP segment of a reassembled PDU]" is no analysis flag.
     */
    private static boolean isBadTcp(InfoText info) {
        boolean flagged = false;
        int at = 0;
        while (info.regionMatches(at, ANALYSIS_PREFIX)) {
            int nameStart = at + ANALYSIS_PREFIX.length();
            int close = nameStart;
            while (close < info.length() && info.charAt(close) != ']') {
                close++;
            }
            if (close == info.length()) {
                break;
            }
            if (info.regionMatches(nameStart, "Window Update]") || info.regionMatches(nameStart, "Keep-Alive]")
                    || info.regionMatches(nameStart, "Keep-Alive ACK]")) {
                return false;
            }
            if (!info.regionMatches(nameStart, "segment of a reassembled PDU]")) {
                flagged = true;
            }
            at = close + 1;
            while (at < info.length() && info.charAt(at) == ' ') {
                at++;
            }
        }
        return flagged;
    }

    private static ColouringRule ipv4(byte[] frame, int length, int ip, String protocolColumn, InfoText info, ColouringRule otherwise) {
        int headerLength = (frame[ip] & 0x0F) * 4;
        // A bogus header length, or a total length shorter than the header, ends the dissection at IPv4's first
        // fields, before TTL, checksum or transport (as tshark does: "Bogus IP header length (16, ...)").
        if (headerLength < 20 || BigEndian.u16(frame, ip + 2) < headerLength) {
            return otherwise;
        }
        int fragment = BigEndian.u16(frame, ip + 6);
        boolean moreFragments = (fragment & 0x2000) != 0;
        int fragmentOffset = fragment & 0x1FFF;
        int protocol = frame[ip + 9] & 0xFF;
        int ttl = frame[ip + 8] & 0xFF;
        int destination = BigEndian.i32(frame, ip + 16);
        // The transport layer is in the tree when the datagram is whole, or reassembled on the fragment that completed
        // it (in any order; the summary then names the transport, not "IPv4"); its header is in this frame's bytes
        // only when this is the datagram's first (or only) fragment.
        boolean fragmented = fragmentOffset != 0 || moreFragments;
        boolean transport = !fragmented || !protocolColumn.equals("IPv4");
        int transportAt = ip + headerLength;
        boolean headerHere = fragmentOffset == 0 && headerLength >= 20 && transportAt <= length;

        if (transport && protocol == PROTOCOL_ICMP) {
            boolean error = headerHere && transportAt + 1 <= length ? isIcmpError(frame[transportAt] & 0xFF)
                    : isIcmpErrorInfo(info);
            return error ? ICMP_ERROR : ICMP;
        }
        int tcpFlags = transport && protocol == PROTOCOL_TCP && headerHere && transportAt + 14 <= length
                ? frame[transportAt + 13] & 0xFF : 0;
        if ((tcpFlags & TCP_RST_FLAG) != 0) {
            return TCP_RST;
        }
        boolean multicast = (destination & 0xF000_0000) == 0xE000_0000;
        boolean localMulticast = (destination & 0xFFFF_FF00) == 0xE000_0000;
        // PIM and OSPF speak with a TTL of 1 on purpose, and VRRP/CARP advertise to 224.0.0.18 with 255.
        if ((!multicast && ttl < 5 && protocol != PROTOCOL_PIM && protocol != PROTOCOL_OSPF)
                || (localMulticast && destination != 0xE000_00FB && ttl != 1 && protocol != PROTOCOL_VRRP_CARP)) {
            return TTL_LOW;
        }
        if (headerLength >= 20 && ip + headerLength <= length && !Checksum.verify(Checksum.add(0, frame, ip, headerLength))) {
            return CHECKSUM_ERROR;
        }
        return transport ? transport(frame, length, protocol, transportAt, headerHere, tcpFlags, protocolColumn, otherwise) : otherwise;
    }

    /**
     * IPv6: the transport is found past the extension headers (hop-by-hop, routing, fragment, destination
     * options); IPv6 has no header checksum, and the TTL rule names IPv4's fields only.
     */
    private static ColouringRule ipv6(byte[] frame, int length, int ip, String protocolColumn, InfoText info, ColouringRule otherwise) {
        int next = frame[ip + 6] & 0xFF;
        int at = ip + IPV6_HEADER;
        boolean fragmented = false;
        int fragmentOffset = 0;
        boolean chainComplete = true;
        for (int walked = 0; walked < IPV6_EXTENSIONS_WALKED
                && (next == IPV6_HOP_BY_HOP || next == IPV6_ROUTING || next == IPV6_DESTINATION_OPTIONS || next == IPV6_FRAGMENT); walked++) {
            if (at + 8 > length) {
                chainComplete = false;
                break;
            }
            if (next == IPV6_FRAGMENT) {
                int offsetAndFlags = BigEndian.u16(frame, at + 2);
                fragmented = true;
                fragmentOffset = offsetAndFlags >>> 3;
                next = frame[at] & 0xFF;
                at += 8;
            } else {
                next = frame[at] & 0xFF;
                at += ((frame[at + 1] & 0xFF) + 1) * 8;
            }
        }
        if (!chainComplete) {
            return otherwise;
        }
        boolean transport = !fragmented || !protocolColumn.equals("IPv6");
        boolean headerHere = fragmentOffset == 0 && at <= length;
        if (!transport) {
            return otherwise;
        }
        if (next == PROTOCOL_ICMPV6) {
            boolean error = headerHere && at + 1 <= length ? isIcmpv6Error(frame[at] & 0xFF) : isIcmpv6ErrorInfo(info);
            return error ? ICMP_ERROR : ICMP;
        }
        int tcpFlags = next == PROTOCOL_TCP && headerHere && at + 14 <= length ? frame[at + 13] & 0xFF : 0;
        if ((tcpFlags & TCP_RST_FLAG) != 0) {
            return TCP_RST;
        }
        return transport(frame, length, next, at, headerHere, tcpFlags, protocolColumn, otherwise);
    }

    /** The rules after the network layer's own: HTTP, TCP SYN/FIN, TCP, UDP. */
    private static ColouringRule transport(byte[] frame, int length, int protocol, int transportAt, boolean headerHere, int tcpFlags,
                                           String protocolColumn, ColouringRule otherwise) {
        if (protocol == PROTOCOL_TCP) {
            // "http || tcp.port == 80": the HTTP dissector's frames name it in the Protocol column (HTTP, HTTP/XML...).
            if (protocolColumn.startsWith("HTTP") || headerHere && transportAt + 4 <= length
                    && (BigEndian.u16(frame, transportAt) == 80 || BigEndian.u16(frame, transportAt + 2) == 80)) {
                return HTTP;
            }
            if ((tcpFlags & (TCP_SYN | TCP_FIN)) != 0) {
                return TCP_SYN_FIN;
            }
            return TCP;
        }
        if (protocol == PROTOCOL_UDP) {
            return UDP;
        }
        return otherwise;
    }

    /** ICMPv6 destination unreachable, packet too big, time exceeded, parameter problem (types 1 to 4). */
    private static boolean isIcmpv6Error(int type) {
        return type >= 1 && type <= 4;
    }

    /** The same for a reassembled ICMPv6 message, whose header is in an earlier fragment: its Info names the type. */
    private static boolean isIcmpv6ErrorInfo(InfoText info) {
        return info.startsWith("Destination Unreachable") || info.startsWith("Packet Too Big") || info.startsWith("Time Exceeded")
                || info.startsWith("Parameter Problem");
    }

    /** Destination unreachable, source quench, redirect, time exceeded: Wireshark's "ICMP errors". */
    private static boolean isIcmpError(int type) {
        return (type >= 3 && type <= 5) || type == 11;
    }

    /** The same for a reassembled message, whose ICMP header is in an earlier fragment: its Info names the type. */
    private static boolean isIcmpErrorInfo(InfoText info) {
        return info.startsWith("Destination unreachable") || info.startsWith("Source quench") || info.startsWith("Redirect")
                || info.startsWith("Time-to-live exceeded");
    }
}
