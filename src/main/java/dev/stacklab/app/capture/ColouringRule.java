package dev.stacklab.app.capture;

import dev.stacklab.dissect.FrameSummary;
import dev.stacklab.dissect.SummaryBatch;
import dev.stacklab.wire.BigEndian;
import dev.stacklab.wire.Checksum;

/**
 * Wireshark's default colouring rules ({@code /usr/share/wireshark/colorfilters}), in its order (the first rule
 * that matches colours the row), for the protocols stacklab dissects, after two of stacklab's own: frames an
 * impairment dropped, and malformed frames. Wireshark's "Bad TCP" joins when the dissector does TCP analysis.
 *
 * <p>Rows are coloured at arrival, a million frames per second, so a rule is decided from the frame's bytes and
 * its summary rather than by evaluating its filter on a full tree; a test holds each decision to the rule's
 * filter evaluated by the dissector. The colours themselves are named in {@code capture.css}.
 */
enum ColouringRule {
    DROPPED("Dropped by impairment", "(stacklab) a simulated link dropped the frame", "row-dropped"),
    MALFORMED("Malformed", "_ws.malformed", "row-malformed"),
    ICMP_ERROR("ICMP errors", "icmp.type in {3..5, 11}", "row-icmp-error"),
    ARP("ARP", "arp", "row-arp"),
    ICMP("ICMP", "icmp", "row-icmp"),
    TCP_RST("TCP RST", "tcp.flags.reset eq 1", "row-tcp-rst"),
    TTL_LOW("TTL low or unexpected",
            "(ip.dst != 224.0.0.0/4 && ip.ttl < 5) || (ip.dst == 224.0.0.0/24 && ip.dst != 224.0.0.251 && ip.ttl != 1)",
            "row-ttl-low"),
    CHECKSUM_ERROR("Checksum Errors", "ip.checksum.status == \"Bad\"", "row-checksum-error"),
    HTTP("HTTP", "tcp.port == 80", "row-http"),
    TCP_SYN_FIN("TCP SYN/FIN", "tcp.flags & 0x02 || tcp.flags.fin == 1", "row-tcp-syn-fin"),
    TCP("TCP", "tcp", "row-tcp"),
    UDP("UDP", "udp", "row-udp"),
    BROADCAST("Broadcast", "eth[0] & 1", "row-broadcast"),
    NONE("No rule", "", "row-plain");

    private static final int ETHERNET_HEADER = 14;
    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_ARP = 0x0806;
    private static final int ETHERTYPE_VLAN = 0x8100;
    private static final int ETHERTYPE_QINQ = 0x88A8;
    private static final int VLAN_TAG = 4;
    private static final int PROTOCOL_ICMP = 1;
    private static final int PROTOCOL_TCP = 6;
    private static final int PROTOCOL_UDP = 17;
    private static final int TCP_FIN = 0x01;
    private static final int TCP_SYN = 0x02;
    private static final int TCP_RST_FLAG = 0x04;

    private final String title;
    private final String filter;
    private final String styleClass;

    ColouringRule(String title, String filter, String styleClass) {
        this.title = title;
        this.filter = filter;
        this.styleClass = styleClass;
    }

    /** The rule's name, as Wireshark's colouring rules dialog shows it. */
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

    /** The first rule that matches the frame. */
    static ColouringRule of(byte[] frame, int length, FrameSummary summary, boolean dropped) {
        return of(frame, length, summary.malformed(), summary.protocol(), summary.info()::startsWith, dropped);
    }

    /** The first rule that matches the frame whose summary is {@code index} of {@code columns}. */
    static ColouringRule of(byte[] frame, int length, SummaryBatch columns, int index, boolean dropped) {
        return of(frame, length, columns.malformed(index), columns.protocol(index), prefix -> columns.infoStartsWith(index, prefix), dropped);
    }

    /** Tells whether the frame's Info column starts with a text. */
    private interface InfoPrefix {
        boolean startsWith(String prefix);
    }

    private static ColouringRule of(byte[] frame, int length, boolean malformed, String protocolColumn, InfoPrefix info, boolean dropped) {
        if (dropped) {
            return DROPPED;
        }
        if (malformed) {
            return MALFORMED;
        }
        if (length < ETHERNET_HEADER) {
            return NONE;
        }
        boolean broadcast = (frame[0] & 1) != 0;
        int at = 12;
        int type = BigEndian.u16(frame, at);
        while ((type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ) && at + VLAN_TAG + 2 <= length) {
            at += VLAN_TAG;
            type = BigEndian.u16(frame, at);
        }
        int ip = at + 2;
        if (type == ETHERTYPE_ARP) {
            return ARP;
        }
        if (type != ETHERTYPE_IPV4 || ip + 20 > length) {
            return broadcast ? BROADCAST : NONE;
        }
        return ipv4(frame, length, ip, protocolColumn, info, broadcast);
    }

    private static ColouringRule ipv4(byte[] frame, int length, int ip, String protocolColumn, InfoPrefix info, boolean broadcast) {
        int headerLength = (frame[ip] & 0x0F) * 4;
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
            if (error) {
                return ICMP_ERROR;
            }
            return ICMP;
        }
        int tcpFlags = transport && protocol == PROTOCOL_TCP && headerHere && transportAt + 14 <= length
                ? frame[transportAt + 13] & 0xFF : 0;
        if ((tcpFlags & TCP_RST_FLAG) != 0) {
            return TCP_RST;
        }
        boolean multicast = (destination & 0xF000_0000) == 0xE000_0000;
        boolean localMulticast = (destination & 0xFFFF_FF00) == 0xE000_0000;
        if ((!multicast && ttl < 5) || (localMulticast && destination != 0xE000_00FB && ttl != 1)) {
            return TTL_LOW;
        }
        if (headerLength >= 20 && ip + headerLength <= length && !Checksum.verify(Checksum.add(0, frame, ip, headerLength))) {
            return CHECKSUM_ERROR;
        }
        if (transport && protocol == PROTOCOL_TCP) {
            if (headerHere && transportAt + 4 <= length
                    && (BigEndian.u16(frame, transportAt) == 80 || BigEndian.u16(frame, transportAt + 2) == 80)) {
                return HTTP;
            }
            if ((tcpFlags & (TCP_SYN | TCP_FIN)) != 0) {
                return TCP_SYN_FIN;
            }
            return TCP;
        }
        if (transport && protocol == PROTOCOL_UDP) {
            return UDP;
        }
        return broadcast ? BROADCAST : NONE;
    }

    /** Destination unreachable, source quench, redirect, time exceeded: Wireshark's "ICMP errors". */
    private static boolean isIcmpError(int type) {
        return (type >= 3 && type <= 5) || type == 11;
    }

    /** The same for a reassembled message, whose ICMP header is in an earlier fragment: its Info names the type. */
    private static boolean isIcmpErrorInfo(InfoPrefix info) {
        return info.startsWith("Destination unreachable") || info.startsWith("Source quench") || info.startsWith("Redirect")
                || info.startsWith("Time-to-live exceeded");
    }
}
