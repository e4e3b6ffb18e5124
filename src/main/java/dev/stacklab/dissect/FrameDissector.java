package dev.stacklab.dissect;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** The "frame" layer Wireshark puts on top of every packet: number, times and lengths. Hands on to Ethernet. */
final class FrameDissector {
    static final FieldDef FRAME = FieldDef.protocol("frame", "Frame");
    static final FieldDef SECTION_NUMBER = FieldDef.uint("frame.section_number", "Section number");
    static final FieldDef INTERFACE_ID = FieldDef.uint("frame.interface_id", "Interface id");
    static final FieldDef INTERFACE_NAME = FieldDef.string("frame.interface_name", "Interface name");
    static final FieldDef INTERFACE_DESCRIPTION = FieldDef.string("frame.interface_description", "Interface description");
    static final FieldDef ENCAPSULATION = FieldDef.uint("frame.encap_type", "Encapsulation type", FrameDissector::encapsulationName);
    static final FieldDef TIME = FieldDef.string("frame.time", "Arrival Time");
    static final FieldDef TIME_SHIFT = FieldDef.timeNanos("frame.offset_shift", "Time shift for this packet");
    static final FieldDef TIME_EPOCH = FieldDef.timeNanos("frame.time_epoch", "Epoch Time");
    static final FieldDef TIME_DELTA = FieldDef.timeNanos("frame.time_delta", "Time delta from previous captured frame");
    static final FieldDef TIME_DELTA_DISPLAYED = FieldDef.timeNanos("frame.time_delta_displayed", "Time delta from previous displayed frame");
    static final FieldDef TIME_RELATIVE = FieldDef.timeNanos("frame.time_relative", "Time since reference or first frame");
    static final FieldDef NUMBER = FieldDef.uint("frame.number", "Frame Number");
    static final FieldDef LENGTH = FieldDef.uint("frame.len", "Frame Length");
    static final FieldDef CAPTURED_LENGTH = FieldDef.uint("frame.cap_len", "Capture Length");
    static final FieldDef MARKED = FieldDef.bool("frame.marked", "Frame is marked");
    static final FieldDef IGNORED = FieldDef.bool("frame.ignored", "Frame is ignored");
    static final FieldDef PROTOCOLS = FieldDef.string("frame.protocols", "Protocols in frame");
    static final FieldDef RAW = FieldDef.protocol("raw", "Raw packet data");

    // What a pcapng Enhanced Packet Block's options say (draft-ietf-opsawg-pcapng section 4.3.1), as Wireshark's frame
    // dissector shows them: the flags word bit by bit, the packet id, the drop count, the direction, the comments.
    static final FieldDef PACKET_FLAGS = FieldDef.hex("frame.packet_flags", "Packet flags", 8);
    static final FieldDef FLAGS_DIRECTION = FieldDef.hexBits("frame.packet_flags_direction", "Direction", 8, 32, 0x3);
    static final FieldDef FLAGS_RECEPTION_TYPE = FieldDef.bits("frame.packet_flags_reception_type", "Reception type", 32, 0x1C,
            FrameDissector::receptionTypeName);
    static final FieldDef FLAGS_FCS_LENGTH = FieldDef.bits("frame.packet_flags_fcs_length", "FCS length", 32, 0x1E0);
    static final FieldDef FLAGS_RESERVED = FieldDef.bits("frame.packet_flags_reserved", "Reserved", 32, 0xFE00);
    static final FieldDef FLAGS_CRC_ERROR = FieldDef.flag("frame.packet_flags_crc_error", "CRC error", 32, 0x0100_0000);
    static final FieldDef FLAGS_TOO_LONG = FieldDef.flag("frame.packet_flags_packet_too_error", "Packet too long error", 32, 0x0200_0000);
    static final FieldDef FLAGS_TOO_SHORT = FieldDef.flag("frame.packet_flags_packet_too_short_error", "Packet too short error", 32,
            0x0400_0000);
    static final FieldDef FLAGS_INTERFRAME_GAP = FieldDef.flag("frame.packet_flags_wrong_inter_frame_gap_error",
            "Wrong interframe gap error", 32, 0x0800_0000);
    static final FieldDef FLAGS_UNALIGNED = FieldDef.flag("frame.packet_flags_unaligned_frame_error", "Unaligned frame error", 32,
            0x1000_0000);
    static final FieldDef FLAGS_START_DELIMITER = FieldDef.flag("frame.packet_flags_start_frame_delimiter_error",
            "Start frame delimiter error", 32, 0x2000_0000);
    static final FieldDef FLAGS_PREAMBLE = FieldDef.flag("frame.packet_flags_preamble_error", "Preamble error", 32, 0x4000_0000);
    static final FieldDef FLAGS_SYMBOL = FieldDef.flag("frame.packet_flags_symbol_error", "Symbol error", 32, 0x8000_0000L);
    /** The flags word's fields, in the order Wireshark shows them. */
    private static final List<FieldDef> FLAG_FIELDS = List.of(FLAGS_DIRECTION, FLAGS_RECEPTION_TYPE, FLAGS_FCS_LENGTH, FLAGS_RESERVED,
            FLAGS_CRC_ERROR, FLAGS_TOO_LONG, FLAGS_TOO_SHORT, FLAGS_INTERFRAME_GAP, FLAGS_UNALIGNED, FLAGS_START_DELIMITER,
            FLAGS_PREAMBLE, FLAGS_SYMBOL);
    static final FieldDef PACKET_ID = FieldDef.uint("frame.packet_id", "Packet id");
    static final FieldDef INTERFACE_QUEUE = FieldDef.uint("frame.interface_queue", "Interface queue");
    static final FieldDef DROP_COUNT = FieldDef.uint("frame.drop_count", "Drop Count");
    /** Wireshark's P2P_DIR_SENT (0) and P2P_DIR_RECV (1), from the flags' direction. */
    static final FieldDef POINT_TO_POINT_DIRECTION = FieldDef.uint("frame.p2p_dir", "Point-to-Point Direction",
            direction -> direction == 0 ? "Sent" : direction == 1 ? "Received" : null);
    static final FieldDef PACKET_COMMENTS = FieldDef.protocol("pkt_comment", "Packet comments");
    static final FieldDef COMMENT = FieldDef.string("frame.comment", "Comment");
    static final FieldDef COMMENT_EXPERT = FieldDef.none("frame.comment.expert", "Formatted comment");

    static final List<FieldDef> FIELDS = List.of(FRAME, SECTION_NUMBER, INTERFACE_ID, INTERFACE_NAME, INTERFACE_DESCRIPTION, ENCAPSULATION, TIME, TIME_SHIFT, TIME_EPOCH, TIME_DELTA, TIME_DELTA_DISPLAYED,
            TIME_RELATIVE, NUMBER, LENGTH, CAPTURED_LENGTH, MARKED, IGNORED, PROTOCOLS, RAW, PACKET_FLAGS, FLAGS_DIRECTION,
            FLAGS_RECEPTION_TYPE, FLAGS_FCS_LENGTH, FLAGS_RESERVED, FLAGS_CRC_ERROR, FLAGS_TOO_LONG, FLAGS_TOO_SHORT,
            FLAGS_INTERFRAME_GAP, FLAGS_UNALIGNED, FLAGS_START_DELIMITER, FLAGS_PREAMBLE, FLAGS_SYMBOL, PACKET_ID, INTERFACE_QUEUE,
            DROP_COUNT, POINT_TO_POINT_DIRECTION, PACKET_COMMENTS, COMMENT, COMMENT_EXPERT);

    // LINKTYPE_ values of the link types stacklab reads, and Wireshark's WTAP_ENCAP_ numbers for them.
    static final int LINK_TYPE_ETHERNET = 1;
    static final int LINK_TYPE_RAW = 101;
    static final int LINK_TYPE_LINUX_SLL = 113;
    static final int LINK_TYPE_IPV4 = 228;
    static final int LINK_TYPE_IPV6 = 229;
    static final int LINK_TYPE_LINUX_SLL2 = 276;
    private static final int ENCAPSULATION_ETHERNET = 1;
    private static final int ENCAPSULATION_RAW_IP = 7;
    private static final int ENCAPSULATION_SLL = 25;
    private static final int ENCAPSULATION_RAW_IPV4 = 129;
    private static final int ENCAPSULATION_RAW_IPV6 = 130;
    private static final int ENCAPSULATION_SLL2 = 210;
    /** "Nov  5, 2023 09:00:05": tshark's arrival time, in the local time zone, then nanoseconds and the zone's abbreviation. */
    private static final DateTimeFormatter ARRIVAL_TIME = DateTimeFormatter.ofPattern("MMM ppd, yyyy HH:mm:ss", Locale.ENGLISH);
    private static final DateTimeFormatter ZONE_ABBREVIATION = DateTimeFormatter.ofPattern("zzz", Locale.ENGLISH);

    /** "Frame 1: 98 bytes on wire (784 bits), 98 bytes captured (784 bits)", from the node's children. */
    private static final NodeText FRAME_LINE = node -> {
        long number = node.child(NUMBER).value();
        long original = node.child(LENGTH).value();
        long captured = node.child(CAPTURED_LENGTH).value();
        String line = "Frame " + number + ": " + original + " bytes on wire (" + original * 8 + " bits), " + captured
                + " bytes captured (" + captured * 8 + " bits)";
        FieldNode interfaceId = node.child(INTERFACE_ID);
        if (interfaceId != null) {
            line += " on interface " + interfaceId.child(INTERFACE_NAME).object() + ", id " + interfaceId.value();
        }
        FieldNode flags = node.child(PACKET_FLAGS);
        long direction = flags == null ? 0 : flags.value() & 0x3;
        return direction == FrameOptions.DIRECTION_INBOUND ? line + " (inbound)"
                : direction == FrameOptions.DIRECTION_OUTBOUND ? line + " (outbound)" : line;
    };
    /** "Direction: Inbound (0x1)": the tree shows the bits' own hex digits, where -T fields prints all eight. */
    private static final NodeText DIRECTION_LINE = node -> "Direction: " + directionName(node.value()) + " (0x"
            + Long.toHexString(node.value()) + ")";
    /** "Time delta from previous captured frame: 0.000010000 seconds". */
    static final NodeText SECONDS_LINE = node -> node.def().label() + ": " + FieldNode.seconds(node.value()) + " seconds";
    /**
     * The "[Timestamps]" subtree TCP and UDP give each segment of a stream: the time since the stream's first frame
     * and since its previous one, under the protocol's own field names.
     */
    static void addStreamTimes(DissectionContext ctx, FieldNode parent, int offset, FieldDef relativeDef, FieldDef deltaDef,
                               long firstNanos, long previousNanos) {
        FieldNode times = ctx.addText(parent, offset, 0, "Timestamps").generated();
        ctx.add(times, relativeDef, offset, 0, ctx.timestampNanos - firstNanos).text(SECONDS_LINE).generated();
        ctx.add(times, deltaDef, offset, 0, ctx.timestampNanos - previousNanos).text(SECONDS_LINE).generated();
    }

    /** "Frame Length: 98 bytes (784 bits)". */
    private static final NodeText BYTES_LINE = node -> node.def().label() + ": " + node.value() + " bytes (" + node.value() * 8 + " bits)";

    private FrameDissector() {
    }

    static void dissect(DissectionContext ctx) {
        FrameOptions options = ctx.frameOptions;
        if (options != null && !options.comments().isEmpty()) {
            addComments(ctx, options.comments());
        }
        FieldNode frame = ctx.add(ctx.root, FRAME, 0, ctx.capturedLength);
        if (frame != null) {
            frame.text(FRAME_LINE);
            DissectionSession session = ctx.session;
            FrameInterface captureInterface = ctx.frameInterface;
            if (captureInterface != null) {
                ctx.add(frame, SECTION_NUMBER, 0, 0, captureInterface.sectionNumber());
                FieldNode id = ctx.add(frame, INTERFACE_ID, 0, 0, captureInterface.id())
                        .text("Interface id: " + captureInterface.id() + " (" + captureInterface.shownName() + ")");
                ctx.addString(id, INTERFACE_NAME, 0, 0, captureInterface.shownName());
                if (captureInterface.description() != null) {
                    ctx.addString(id, INTERFACE_DESCRIPTION, 0, 0, captureInterface.description());
                }
            }
            if (options != null && options.queue() != null) {
                ctx.add(frame, INTERFACE_QUEUE, 0, 0, options.queue());
            }
            if (options != null && options.flags() != null) {
                addFlags(ctx, frame, options.flags());
            }
            if (options != null && options.packetId() != null) {
                ctx.add(frame, PACKET_ID, 0, 0, options.packetId());
            }
            ctx.add(frame, ENCAPSULATION, 0, 0, encapsulation(ctx.linkType));
            long timestampNanos = ctx.timestampNanos;
            ctx.addString(frame, TIME, 0, 0, new LazyString(() -> arrivalTime(timestampNanos)))
                    .text(node -> "Arrival Time: " + node.object());
            ctx.add(frame, TIME_SHIFT, 0, 0, 0).generated().text(SECONDS_LINE);
            ctx.add(frame, TIME_EPOCH, 0, 0, ctx.timestampNanos).text(SECONDS_LINE);
            ctx.add(frame, TIME_DELTA, 0, 0, ctx.timestampNanos - session.previousTimestampNanos).generated().text(SECONDS_LINE);
            long sinceDisplayed = session.previousDisplayedTimestampNanos == Long.MIN_VALUE
                    ? 0 : ctx.timestampNanos - session.previousDisplayedTimestampNanos;
            ctx.add(frame, TIME_DELTA_DISPLAYED, 0, 0, sinceDisplayed).generated().text(SECONDS_LINE);
            ctx.add(frame, TIME_RELATIVE, 0, 0, ctx.timestampNanos - session.firstTimestampNanos).generated().text(SECONDS_LINE);
            ctx.add(frame, NUMBER, 0, 0, ctx.frameNumber);
            ctx.add(frame, LENGTH, 0, 0, ctx.originalLength).text(BYTES_LINE);
            ctx.add(frame, CAPTURED_LENGTH, 0, 0, ctx.capturedLength).text(BYTES_LINE);
            if (options != null && options.dropCount() != null) {
                ctx.add(frame, DROP_COUNT, 0, 0, options.dropCount());
            }
            ctx.add(frame, MARKED, 0, 0, 0).generated().text("Frame is marked: False");
            ctx.add(frame, IGNORED, 0, 0, 0).generated().text("Frame is ignored: False");
            if (options != null) {
                int direction = options.direction();
                if (direction == FrameOptions.DIRECTION_INBOUND || direction == FrameOptions.DIRECTION_OUTBOUND) {
                    ctx.add(frame, POINT_TO_POINT_DIRECTION, 0, 0, direction == FrameOptions.DIRECTION_INBOUND ? 1 : 0);
                }
                for (String problem : options.problems()) {
                    // tshark refuses such a file; the frame itself is sound, so it is shown with the note.
                    ctx.addExpert(frame, 0, 0, "Warning/Malformed", "Capture file: " + problem);
                }
            }
        }
        switch (ctx.linkType) {
            case LINK_TYPE_LINUX_SLL -> SllDissector.dissectV1(ctx, ctx.root, ctx.capturedLength);
            case LINK_TYPE_LINUX_SLL2 -> SllDissector.dissectV2(ctx, ctx.root, ctx.capturedLength);
            case LINK_TYPE_RAW, LINK_TYPE_IPV4, LINK_TYPE_IPV6 -> {
                // LINKTYPE_RAW may hold IPv4 or IPv6, so Wireshark puts a layer of its own before the IP header and picks
                // the version by the first nibble.
                boolean ipv6 = ctx.linkType == LINK_TYPE_IPV6;
                if (ctx.linkType == LINK_TYPE_RAW) {
                    ctx.add(ctx.root, RAW, 0, 0);
                    ipv6 = ctx.capturedLength > 0 && (ctx.data[0] & 0xF0) == 0x60;
                }
                ctx.setProtocol("Raw");
                ctx.setInfo();
                if (ipv6) {
                    Ipv6Dissector.dissect(ctx, ctx.root, 0, ctx.capturedLength);
                } else {
                    Ipv4Dissector.dissect(ctx, ctx.root, 0, ctx.capturedLength);
                }
            }
            default -> EthernetDissector.dissect(ctx, ctx.root, 0, ctx.capturedLength);
        }
        if (frame != null) {
            // Known only now: the protocols the frame turned out to hold.
            FieldNode root = ctx.root;
            ctx.addString(frame, PROTOCOLS, 0, 0, new LazyString(() -> protocolsInFrame(root))).generated();
        }
    }

    /**
     * The "Packet comments" tree tshark puts before the Frame section: each comment, with an expert note of severity
     * and group Comment under it (so that the expert view lists it).
     */
    private static void addComments(DissectionContext ctx, List<String> comments) {
        FieldNode tree = ctx.add(ctx.root, PACKET_COMMENTS, 0, 0);
        for (String comment : comments) {
            FieldNode node = ctx.addString(tree, COMMENT, 0, 0, comment);
            if (node != null) {
                node.text(comment);
            }
            ctx.addExpert(node, 0, 0, "Comment/Comment", comment, COMMENT_EXPERT);
        }
    }

    /** "Packet flags: 0x00000001" and the word's fields below it. */
    private static void addFlags(DissectionContext ctx, FieldNode frame, long flags) {
        FieldNode word = ctx.add(frame, PACKET_FLAGS, 0, 0, flags);
        for (FieldDef field : FLAG_FIELDS) {
            long bits = (flags & field.bitmask()) >>> Long.numberOfTrailingZeros(field.bitmask());
            FieldNode node = ctx.add(word, field, 0, 0, bits);
            if (field == FLAGS_DIRECTION && node != null) {
                node.text(DIRECTION_LINE);
            }
        }
    }

    private static String directionName(long direction) {
        return direction == FrameOptions.DIRECTION_INBOUND ? "Inbound" : direction == FrameOptions.DIRECTION_OUTBOUND ? "Outbound" : "Unknown";
    }

    /** Wireshark's names for the reception type (bits 2-4), "Unknown" for the values pcapng leaves unassigned. */
    private static String receptionTypeName(long type) {
        return switch ((int) type) {
            case 0 -> "Not specified";
            case 1 -> "Unicast";
            case 2 -> "Multicast";
            case 3 -> "Broadcast";
            case 4 -> "Promiscuous";
            default -> "Unknown";
        };
    }

    /**
     * "eth:ethertype:ip:icmp:data": every protocol layer in the order dissected (those of a datagram quoted in an
     * ICMP error too), with Wireshark's "ethertype" dispatch layer after each layer that names the next by EtherType.
     */
    private static String protocolsInFrame(FieldNode root) {
        StringBuilder protocols = new StringBuilder(48);
        FieldNode previous = null;
        for (FieldNode layer : root.children()) {
            // Several messages of one protocol from the same bytes (DNS messages in one TCP segment) are one call of
            // its dissector, so one layer, as Wireshark's tcp_dissect_pdus counts them.
            boolean sameCall = previous != null && previous.def() == layer.def() && previous.dataSource() == layer.dataSource()
                    && layer.def().type() == FieldType.PROTOCOL;
            if (!sameCall) {
                appendProtocols(layer, protocols);
            }
            previous = layer;
        }
        return protocols.toString();
    }

    private static void appendProtocols(FieldNode node, StringBuilder protocols) {
        if (node.def().type() == FieldType.PROTOCOL && node.def() != FRAME && node.def() != PACKET_COMMENTS) {
            if (protocols.length() > 0) {
                protocols.append(':');
            }
            String name = node.name();
            protocols.append(name);
            if (name.equals("eth") || name.equals("vlan") || name.equals("ieee8021ad") || name.equals("sll")) {
                protocols.append(":ethertype");
            }
        }
        for (FieldNode child : node.children()) {
            appendProtocols(child, protocols);
        }
    }

    private static String arrivalTime(long epochNanos) {
        Instant instant = Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
        var local = instant.atZone(ZoneId.systemDefault());
        String nanos = Integer.toString(local.getNano());
        return ARRIVAL_TIME.format(local) + "." + "0".repeat(9 - nanos.length()) + nanos + " " + ZONE_ABBREVIATION.format(local);
    }

    /** Whether {@code decode} and the dissector read frames of this LINKTYPE_ value. */
    static boolean readsLinkType(int linkType) {
        return linkType == LINK_TYPE_ETHERNET || linkType == LINK_TYPE_LINUX_SLL || linkType == LINK_TYPE_LINUX_SLL2
                || linkType == LINK_TYPE_RAW || linkType == LINK_TYPE_IPV4 || linkType == LINK_TYPE_IPV6;
    }

    private static int encapsulation(int linkType) {
        return switch (linkType) {
            case LINK_TYPE_LINUX_SLL -> ENCAPSULATION_SLL;
            case LINK_TYPE_LINUX_SLL2 -> ENCAPSULATION_SLL2;
            case LINK_TYPE_RAW -> ENCAPSULATION_RAW_IP;
            case LINK_TYPE_IPV4 -> ENCAPSULATION_RAW_IPV4;
            case LINK_TYPE_IPV6 -> ENCAPSULATION_RAW_IPV6;
            default -> ENCAPSULATION_ETHERNET;
        };
    }

    private static String encapsulationName(long encapsulation) {
        return switch ((int) encapsulation) {
            case ENCAPSULATION_ETHERNET -> "Ethernet";
            case ENCAPSULATION_RAW_IP -> "Raw IP";
            case ENCAPSULATION_SLL -> "Linux cooked-mode capture v1";
            case ENCAPSULATION_RAW_IPV4 -> "Raw IPv4";
            case ENCAPSULATION_RAW_IPV6 -> "Raw IPv6";
            case ENCAPSULATION_SLL2 -> "Linux cooked-mode capture v2";
            default -> null;
        };
    }
}
