package dev.stacklab.dissect;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Nine real frames and a small dissector that builds their trees under Wireshark's field names and types,
 * so display filters can be tested without the protocol dissectors. The frames, in order:
 * 1 ARP request, 2 ARP reply, 3 ICMP echo request, 4 echo reply, 5 UDP 40000 → 33434 "hello",
 * 6 ICMP port unreachable quoting frame 5 (so ip.src, ip.dst, udp.* occur twice), 7 TCP SYN with MSS,
 * 8 SYN/ACK, 9 RST from 192.168.1.5 (MAC 00:1b:21:aa:bb:cc, TTL 128). Frame i is at time i-1 seconds.
 */
final class FilterTestFrames {
    static final List<String> FRAMES = List.of(
            "ffffffffffff020000000001080600010800060400010200000000010a0000010000000000000a000002000000000000000000000000000000000000",
            "020000000001020000000002080600010800060400020200000000020a0000020200000000010a000001000000000000000000000000000000000000",
            "02000000000202000000000108004500002412344000400114a30a0000010a00000208004b981ad10001616263646566676800000000000000000000",
            "020000000001020000000002080045000024432140004001e3b50a0000020a000001000053981ad10001616263646566676800000000000000000000",
            "020000000002020000000001080045000021555540004011d1740a0000010a0000029c40829a000d892468656c6c6f00000000000000000000000000",
            "02000000000102000000000208004500003d66660000400100580a0000020a0000010303111e0000000045000021555540004011d1740a0000010a0000029c40829a000d892468656c6c6f",
            "02000000000202000000000108004500002c777740004006af520a0000010a000002d6360050000003e8000000006002faf0aec40000020405b40000",
            "02000000000102000000000208004500002c00004000400626ca0a0000020a0000010050d63600001388000003e96012fe8897930000020405b40000",
            "020000000001001b21aabbcc0800450000280102000080066e20c0a801050a00000101bbd6370000000700000000500400000c390000000000000000");

    static final FieldDef ETH = FieldDef.protocol("eth", "Ethernet II");
    static final FieldDef ETH_DST = FieldDef.mac("eth.dst", "Destination");
    static final FieldDef ETH_SRC = FieldDef.mac("eth.src", "Source");
    static final FieldDef ETH_TYPE = FieldDef.hex("eth.type", "Type", 4);
    static final FieldDef ARP = FieldDef.protocol("arp", "Address Resolution Protocol");
    static final FieldDef ARP_OPCODE = FieldDef.uint("arp.opcode", "Opcode");
    static final FieldDef ARP_SRC_HW = FieldDef.mac("arp.src.hw_mac", "Sender MAC address");
    static final FieldDef ARP_SRC_IP = FieldDef.ipv4("arp.src.proto_ipv4", "Sender IP address");
    static final FieldDef ARP_DST_HW = FieldDef.mac("arp.dst.hw_mac", "Target MAC address");
    static final FieldDef ARP_DST_IP = FieldDef.ipv4("arp.dst.proto_ipv4", "Target IP address");
    static final FieldDef IP = FieldDef.protocol("ip", "Internet Protocol Version 4");
    static final FieldDef IP_ID = FieldDef.hex("ip.id", "Identification", 4);
    static final FieldDef IP_DF = FieldDef.flag("ip.flags.df", "Don't fragment", 8, 0x40);
    static final FieldDef IP_TTL = FieldDef.uint("ip.ttl", "Time to Live");
    static final FieldDef IP_PROTO = FieldDef.bits("ip.proto", "Protocol", 8, 0xFF,
            value -> value == 1 ? "ICMP" : value == 6 ? "TCP" : value == 17 ? "UDP" : null);
    static final FieldDef IP_SRC = FieldDef.ipv4("ip.src", "Source Address");
    static final FieldDef IP_DST = FieldDef.ipv4("ip.dst", "Destination Address");
    static final FieldDef ICMP = FieldDef.protocol("icmp", "Internet Control Message Protocol");
    static final FieldDef ICMP_TYPE = FieldDef.uint("icmp.type", "Type");
    static final FieldDef ICMP_CODE = FieldDef.uint("icmp.code", "Code");
    static final FieldDef UDP = FieldDef.protocol("udp", "User Datagram Protocol");
    static final FieldDef UDP_SRCPORT = FieldDef.uint("udp.srcport", "Source Port");
    static final FieldDef UDP_DSTPORT = FieldDef.uint("udp.dstport", "Destination Port");
    static final FieldDef TCP = FieldDef.protocol("tcp", "Transmission Control Protocol");
    static final FieldDef TCP_SRCPORT = FieldDef.uint("tcp.srcport", "Source Port");
    static final FieldDef TCP_DSTPORT = FieldDef.uint("tcp.dstport", "Destination Port");
    static final FieldDef TCP_FLAGS = FieldDef.hexBits("tcp.flags", "Flags", 3, 16, 0x0FFF);
    static final FieldDef TCP_ACK = FieldDef.flag("tcp.flags.ack", "Acknowledgment", 16, 0x010);
    static final FieldDef TCP_RESET = FieldDef.flag("tcp.flags.reset", "Reset", 16, 0x004);
    static final FieldDef TCP_SYN = FieldDef.flag("tcp.flags.syn", "Syn", 16, 0x002);
    static final FieldDef TCP_OPTIONS = FieldDef.bytes("tcp.options", "Options");
    static final FieldDef TCP_NOP = FieldDef.none("tcp.options.nop", "No-Operation (NOP)");
    static final FieldDef TCP_MSS = FieldDef.uint("tcp.options.mss_val", "MSS Value");
    static final FieldDef TCP_STREAM = FieldDef.int32("tcp.stream.delta", "A signed test field");
    static final FieldDef HTTP_HOST = FieldDef.string("http.host", "Host");

    // The hidden either-direction fields as a dissector would define them: other instances than the registry's.
    static final FieldDef HIDDEN_ETH_ADDR = FieldDef.mac("eth.addr", "Address");
    static final FieldDef HIDDEN_IP_ADDR = FieldDef.ipv4("ip.addr", "Source or Destination Address");
    static final FieldDef HIDDEN_TCP_PORT = FieldDef.uint("tcp.port", "Source or Destination Port");
    static final FieldDef HIDDEN_UDP_PORT = FieldDef.uint("udp.port", "Source or Destination Port");

    private static final Map<String, FieldDef> FIELDS = new HashMap<>();

    static {
        for (FieldDef def : List.of(ETH, ETH_DST, ETH_SRC, ETH_TYPE, ARP, ARP_OPCODE, ARP_SRC_HW, ARP_SRC_IP, ARP_DST_HW,
                ARP_DST_IP, IP, IP_ID, IP_DF, IP_TTL, IP_PROTO, IP_SRC, IP_DST, ICMP, ICMP_TYPE, ICMP_CODE, UDP, UDP_SRCPORT,
                UDP_DSTPORT, TCP, TCP_SRCPORT, TCP_DSTPORT, TCP_FLAGS, TCP_ACK, TCP_RESET, TCP_SYN, TCP_OPTIONS, TCP_NOP,
                TCP_MSS, TCP_STREAM, HTTP_HOST)) {
            FIELDS.put(def.name(), def);
        }
    }

    /** The test's protocol fields, then the registry (frame.*, data.*, the either-direction names). */
    static final Function<String, FieldDef> LOOKUP = name -> {
        FieldDef def = FIELDS.get(name);
        return def != null ? def : FieldRegistry.lookup(name);
    };

    private final byte[] bytes;
    private final FieldNode root;
    private final boolean hiddenFields;

    private FilterTestFrames(byte[] bytes, boolean hiddenFields) {
        this.bytes = bytes;
        this.root = new FieldNode(DissectionContext.ROOT, 0, bytes.length, 0, null, 0);
        this.hiddenFields = hiddenFields;
    }

    /** The nine frames' trees; with {@code hiddenFields}, also ip.addr, tcp.port, ... as Wireshark's dissectors add them. */
    static List<FrameTree> trees(boolean hiddenFields) {
        List<FrameTree> trees = new ArrayList<>();
        for (int i = 0; i < FRAMES.size(); i++) {
            trees.add(tree(i + 1, HexFormat.of().parseHex(FRAMES.get(i)), hiddenFields));
        }
        return trees;
    }

    static FrameTree tree(int number, byte[] bytes, boolean hiddenFields) {
        FilterTestFrames frame = new FilterTestFrames(bytes, hiddenFields);
        frame.dissect(number);
        return new FrameTree(frame.root, List.of(new FrameTree.DataSource("Frame", bytes, bytes.length)), null);
    }

    /** A tree built by hand, for tests that need unusual shapes: the root's children are given. */
    static FrameTree treeOf(byte[] bytes, FieldNode... layers) {
        FieldNode root = new FieldNode(DissectionContext.ROOT, 0, bytes.length, 0, null, 0);
        for (FieldNode layer : layers) {
            root.add(layer);
        }
        return new FrameTree(root, List.of(new FrameTree.DataSource("Frame", bytes, bytes.length)), null);
    }

    static FieldNode node(FieldDef def, long value, FieldNode... children) {
        FieldNode node = new FieldNode(def, 0, 0, value, null, 0);
        for (FieldNode child : children) {
            node.add(child);
        }
        return node;
    }

    static FieldNode stringNode(FieldDef def, String value) {
        return new FieldNode(def, 0, value.length(), 0, value, 0);
    }

    private void dissect(int number) {
        FieldNode frame = add(root, FrameDissector.FRAME, 0, bytes.length, 0);
        add(frame, FrameDissector.TIME_DELTA, 0, 0, number == 1 ? 0 : 1_000_000_000L);
        add(frame, FrameDissector.TIME_RELATIVE, 0, 0, (number - 1) * 1_000_000_000L);
        add(frame, FrameDissector.NUMBER, 0, 0, number);
        add(frame, FrameDissector.LENGTH, 0, 0, bytes.length);
        FieldNode eth = add(root, ETH, 0, 14, 0);
        add(eth, ETH_DST, 0, 6, u48(0));
        if (hiddenFields) {
            add(eth, HIDDEN_ETH_ADDR, 0, 6, u48(0)).hidden();
        }
        add(eth, ETH_SRC, 6, 6, u48(6));
        if (hiddenFields) {
            add(eth, HIDDEN_ETH_ADDR, 6, 6, u48(6)).hidden();
        }
        int type = u16(12);
        add(eth, ETH_TYPE, 12, 2, type);
        if (type == 0x0806) {
            FieldNode arp = add(root, ARP, 14, 28, 0);
            add(arp, ARP_OPCODE, 20, 2, u16(20));
            add(arp, ARP_SRC_HW, 22, 6, u48(22));
            add(arp, ARP_SRC_IP, 28, 4, u32(28));
            add(arp, ARP_DST_HW, 32, 6, u48(32));
            add(arp, ARP_DST_IP, 38, 4, u32(38));
        } else if (type == 0x0800) {
            ipv4(root, 14);
        }
    }

    private void ipv4(FieldNode parent, int offset) {
        int totalLength = u16(offset + 2);
        FieldNode ip = add(parent, IP, offset, 20, 0);
        add(ip, IP_ID, offset + 4, 2, u16(offset + 4));
        add(ip, IP_DF, offset + 6, 1, (bytes[offset + 6] >> 6) & 1);
        add(ip, IP_TTL, offset + 8, 1, bytes[offset + 8] & 0xFF);
        int protocol = bytes[offset + 9] & 0xFF;
        add(ip, IP_PROTO, offset + 9, 1, protocol);
        add(ip, IP_SRC, offset + 12, 4, u32(offset + 12));
        if (hiddenFields) {
            add(ip, HIDDEN_IP_ADDR, offset + 12, 4, u32(offset + 12)).hidden();
        }
        add(ip, IP_DST, offset + 16, 4, u32(offset + 16));
        if (hiddenFields) {
            add(ip, HIDDEN_IP_ADDR, offset + 16, 4, u32(offset + 16)).hidden();
        }
        // A quoted datagram's layers hang under the ICMP node, as in Wireshark; a frame's under the root.
        FieldNode layers = parent == root ? root : parent;
        int payload = offset + 20;
        int end = Math.min(offset + totalLength, bytes.length);
        switch (protocol) {
            case 1 -> {
                FieldNode icmp = add(layers, ICMP, payload, end - payload, 0);
                int icmpType = bytes[payload] & 0xFF;
                add(icmp, ICMP_TYPE, payload, 1, icmpType);
                add(icmp, ICMP_CODE, payload + 1, 1, bytes[payload + 1] & 0xFF);
                if (icmpType == 3) {
                    ipv4(icmp, payload + 8);
                } else {
                    data(layers, payload + 8, end);
                }
            }
            case 17 -> {
                FieldNode udp = add(layers, UDP, payload, 8, 0);
                add(udp, UDP_SRCPORT, payload, 2, u16(payload));
                if (hiddenFields) {
                    add(udp, HIDDEN_UDP_PORT, payload, 2, u16(payload)).hidden();
                }
                add(udp, UDP_DSTPORT, payload + 2, 2, u16(payload + 2));
                if (hiddenFields) {
                    add(udp, HIDDEN_UDP_PORT, payload + 2, 2, u16(payload + 2)).hidden();
                }
                data(layers, payload + 8, end);
            }
            case 6 -> {
                int headerLength = (bytes[payload + 12] >> 4 & 0xF) * 4;
                FieldNode tcp = add(layers, TCP, payload, headerLength, 0);
                add(tcp, TCP_SRCPORT, payload, 2, u16(payload));
                add(tcp, TCP_DSTPORT, payload + 2, 2, u16(payload + 2));
                if (hiddenFields) {
                    add(tcp, HIDDEN_TCP_PORT, payload, 2, u16(payload)).hidden();
                    add(tcp, HIDDEN_TCP_PORT, payload + 2, 2, u16(payload + 2)).hidden();
                }
                int flags = u16(payload + 12) & 0x0FFF;
                FieldNode flagsNode = add(tcp, TCP_FLAGS, payload + 12, 2, flags);
                add(flagsNode, TCP_ACK, payload + 12, 2, flags >> 4 & 1);
                add(flagsNode, TCP_RESET, payload + 12, 2, flags >> 2 & 1);
                add(flagsNode, TCP_SYN, payload + 12, 2, flags >> 1 & 1);
                if (headerLength > 20 && bytes[payload + 20] == 2) {
                    FieldNode options = tcp.add(new FieldNode(TCP_OPTIONS, payload + 20, headerLength - 20, 0,
                            new ByteSlice(bytes, payload + 20, headerLength - 20), 0));
                    add(options, TCP_MSS, payload + 22, 2, u16(payload + 22));
                }
            }
            default -> data(layers, payload, end);
        }
    }

    private void data(FieldNode parent, int from, int to) {
        if (to > from) {
            FieldNode data = add(parent, DataDissector.DATA, from, to - from, 0);
            data.add(new FieldNode(DataDissector.DATA_DATA, from, to - from, 0, new ByteSlice(bytes, from, to - from), 0));
            add(data, DataDissector.DATA_LEN, from, to - from, to - from);
        }
    }

    private static FieldNode add(FieldNode parent, FieldDef def, int offset, int length, long value) {
        return parent.add(new FieldNode(def, offset, length, value, null, 0));
    }

    private int u16(int offset) {
        return (bytes[offset] & 0xFF) << 8 | (bytes[offset + 1] & 0xFF);
    }

    private long u32(int offset) {
        return (long) u16(offset) << 16 | u16(offset + 2);
    }

    private long u48(int offset) {
        return (long) u16(offset) << 32 | u32(offset + 2);
    }
}
