package dev.stacklab.dissect;

import dev.stacklab.wire.BigEndian;
import dev.stacklab.wire.MalformedPacketException;
import dev.stacklab.wire.TcpOption;
import dev.stacklab.wire.TcpPacket;
import dev.stacklab.wire.TcpSeqNumber;

import java.util.List;

/**
 * TCP (RFC 9293) as Wireshark 4.0 shows it in a single pass: ports, relative sequence and
 * acknowledgment numbers per connection, flags, window with the scale learned from the handshake,
 * checksum (unverified, Wireshark's default), options, per-stream times, and the SEQ/ACK analysis
 * fields a first pass can know (which segment an ACK acknowledges and its RTT, the handshake RTT,
 * bytes in flight, bytes since the last PSH).
 */
final class TcpDissector {
    static final FieldDef TCP = FieldDef.protocol("tcp", "Transmission Control Protocol");
    static final FieldDef SOURCE_PORT = FieldDef.uint("tcp.srcport", "Source Port");
    static final FieldDef DESTINATION_PORT = FieldDef.uint("tcp.dstport", "Destination Port");
    static final FieldDef PORT = FieldDef.uint("tcp.port", "Source or Destination Port");
    static final FieldDef STREAM = FieldDef.uint("tcp.stream", "Stream index");
    static final FieldDef COMPLETENESS = FieldDef.uint("tcp.completeness", "Conversation completeness");
    static final FieldDef LENGTH = FieldDef.uint("tcp.len", "TCP Segment Len");
    static final FieldDef SEQUENCE = FieldDef.uint("tcp.seq", "Sequence Number");
    static final FieldDef SEQUENCE_RAW = FieldDef.uint("tcp.seq_raw", "Sequence Number (raw)");
    static final FieldDef NEXT_SEQUENCE = FieldDef.uint("tcp.nxtseq", "Next Sequence Number");
    static final FieldDef ACK = FieldDef.uint("tcp.ack", "Acknowledgment Number");
    static final FieldDef ACK_RAW = FieldDef.uint("tcp.ack_raw", "Acknowledgment number (raw)");
    static final FieldDef HEADER_LENGTH = FieldDef.uint("tcp.hdr_len", "Header Length");
    static final FieldDef FLAGS = FieldDef.hex("tcp.flags", "Flags", 4);
    static final FieldDef FLAG_RESERVED = FieldDef.flag("tcp.flags.res", "Reserved", 12, TcpPacket.FLAGS_RESERVED);
    static final FieldDef FLAG_AE = FieldDef.flag("tcp.flags.ae", "Accurate ECN", 12, TcpPacket.FLAG_NS);
    static final FieldDef FLAG_CWR = FieldDef.flag("tcp.flags.cwr", "Congestion Window Reduced", 12, TcpPacket.FLAG_CWR);
    static final FieldDef FLAG_ECE = FieldDef.flag("tcp.flags.ece", "ECN-Echo", 12, TcpPacket.FLAG_ECE);
    static final FieldDef FLAG_URG = FieldDef.flag("tcp.flags.urg", "Urgent", 12, TcpPacket.FLAG_URG);
    static final FieldDef FLAG_ACK = FieldDef.flag("tcp.flags.ack", "Acknowledgment", 12, TcpPacket.FLAG_ACK);
    static final FieldDef FLAG_PUSH = FieldDef.flag("tcp.flags.push", "Push", 12, TcpPacket.FLAG_PSH);
    static final FieldDef FLAG_RESET = FieldDef.flag("tcp.flags.reset", "Reset", 12, TcpPacket.FLAG_RST);
    static final FieldDef FLAG_SYN = FieldDef.flag("tcp.flags.syn", "Syn", 12, TcpPacket.FLAG_SYN);
    static final FieldDef FLAG_FIN = FieldDef.flag("tcp.flags.fin", "Fin", 12, TcpPacket.FLAG_FIN);
    static final FieldDef FLAGS_STRING = FieldDef.string("tcp.flags.str", "TCP Flags");
    static final FieldDef WINDOW = FieldDef.uint("tcp.window_size_value", "Window");
    static final FieldDef WINDOW_CALCULATED = FieldDef.uint("tcp.window_size", "Calculated window size");
    static final FieldDef WINDOW_SCALE_FACTOR = FieldDef.int32("tcp.window_size_scalefactor", "Window size scaling factor");
    static final FieldDef CHECKSUM = FieldDef.hex("tcp.checksum", "Checksum", 4);
    static final FieldDef CHECKSUM_STATUS = FieldDef.uint("tcp.checksum.status", "Checksum Status", ChecksumStatus::name);
    static final FieldDef URGENT_POINTER = FieldDef.uint("tcp.urgent_pointer", "Urgent Pointer");
    static final FieldDef OPTIONS = FieldDef.bytes("tcp.options", "TCP Options");
    static final FieldDef OPTION_KIND = FieldDef.uint("tcp.option_kind", "Kind", TcpDissector::optionKindName);
    static final FieldDef OPTION_LENGTH = FieldDef.uint("tcp.option_len", "Length");
    // Each option is a protocol in Wireshark, whose field value tshark prints as the option's bytes.
    static final FieldDef OPTION_EOL = FieldDef.bytes("tcp.options.eol", "TCP Option - End of Option List (EOL)");
    static final FieldDef OPTION_NOP = FieldDef.bytes("tcp.options.nop", "TCP Option - No-Operation (NOP)");
    static final FieldDef OPTION_MSS = FieldDef.bytes("tcp.options.mss", "TCP Option - Maximum segment size");
    static final FieldDef OPTION_MSS_VALUE = FieldDef.uint("tcp.options.mss_val", "MSS Value");
    static final FieldDef OPTION_WSCALE = FieldDef.bytes("tcp.options.wscale", "TCP Option - Window scale");
    static final FieldDef OPTION_WSCALE_SHIFT = FieldDef.uint("tcp.options.wscale.shift", "Shift count");
    static final FieldDef OPTION_WSCALE_MULTIPLIER = FieldDef.uint("tcp.options.wscale.multiplier", "Multiplier");
    static final FieldDef OPTION_SACK_PERMITTED = FieldDef.bytes("tcp.options.sack_perm", "TCP Option - SACK permitted");
    static final FieldDef OPTION_SACK = FieldDef.bytes("tcp.options.sack", "TCP Option - SACK");
    static final FieldDef OPTION_SACK_LEFT = FieldDef.uint("tcp.options.sack_le", "TCP SACK Left Edge");
    static final FieldDef OPTION_SACK_RIGHT = FieldDef.uint("tcp.options.sack_re", "TCP SACK Right Edge");
    static final FieldDef OPTION_SACK_COUNT = FieldDef.uint("tcp.options.sack.count", "TCP SACK Count");
    static final FieldDef OPTION_DSACK_LEFT = FieldDef.uint("tcp.options.sack.dsack_le", "TCP D-SACK Left Edge");
    static final FieldDef OPTION_DSACK_RIGHT = FieldDef.uint("tcp.options.sack.dsack_re", "TCP D-SACK Right Edge");
    static final FieldDef OPTION_DSACK = FieldDef.none("tcp.options.sack.dsack", "D-SACK Sequence");
    static final FieldDef OPTION_TIMESTAMP = FieldDef.bytes("tcp.options.timestamp", "TCP Option - Timestamps");
    static final FieldDef OPTION_TSVAL = FieldDef.uint("tcp.options.timestamp.tsval", "Timestamp value");
    static final FieldDef OPTION_TSECR = FieldDef.uint("tcp.options.timestamp.tsecr", "Timestamp echo reply");
    static final FieldDef TIME_RELATIVE = FieldDef.timeNanos("tcp.time_relative", "Time since first frame in this TCP stream");
    static final FieldDef TIME_DELTA = FieldDef.timeNanos("tcp.time_delta", "Time since previous frame in this TCP stream");
    static final FieldDef PAYLOAD = FieldDef.bytes("tcp.payload", "TCP payload");
    static final FieldDef PDU_SIZE = FieldDef.uint("tcp.pdu.size", "PDU Size");

    static final List<FieldDef> FIELDS = List.of(TCP, SOURCE_PORT, DESTINATION_PORT, PORT, STREAM, COMPLETENESS, LENGTH, SEQUENCE, SEQUENCE_RAW,
            NEXT_SEQUENCE, ACK, ACK_RAW, HEADER_LENGTH, FLAGS, FLAG_RESERVED, FLAG_AE, FLAG_CWR, FLAG_ECE, FLAG_URG, FLAG_ACK,
            FLAG_PUSH, FLAG_RESET, FLAG_SYN, FLAG_FIN, FLAGS_STRING, WINDOW, WINDOW_CALCULATED, WINDOW_SCALE_FACTOR, CHECKSUM,
            CHECKSUM_STATUS, URGENT_POINTER, OPTIONS, OPTION_KIND, OPTION_LENGTH, OPTION_EOL, OPTION_NOP, OPTION_MSS,
            OPTION_MSS_VALUE, OPTION_WSCALE, OPTION_WSCALE_SHIFT, OPTION_WSCALE_MULTIPLIER, OPTION_SACK_PERMITTED, OPTION_SACK,
            OPTION_SACK_LEFT, OPTION_SACK_RIGHT, OPTION_SACK_COUNT, OPTION_DSACK_LEFT, OPTION_DSACK_RIGHT, OPTION_DSACK, OPTION_TIMESTAMP, OPTION_TSVAL, OPTION_TSECR, TIME_RELATIVE,
            TIME_DELTA, PAYLOAD, PDU_SIZE);

    private static final long MASK_32 = 0xFFFF_FFFFL;
    /** Flag names in the order Wireshark lists them, lowest bit first. */
    private static final String[] FLAG_NAMES = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR", "AE"};
    /** Wireshark's tcp.flags.str letters, highest bit first. */
    private static final String FLAG_LETTERS = "RRRACEUAPRSF";
    /** RFC 7323 section 2.3: shifts above 14 are treated as 14. */
    private static final int MAXIMUM_WINDOW_SHIFT = 14;

    // Tree lines built from the node when shown (see NodeText).
    private static final NodeText RELATIVE_SEQUENCE_LINE = node -> node.def().label() + ": " + node.value() + "    (relative sequence number)";
    private static final NodeText RELATIVE_ACK_LINE = node -> node.def().label() + ": " + node.value() + "    (relative ack number)";
    private static final NodeText PAYLOAD_LINE = node -> "TCP payload (" + node.length() + " byte" + (node.length() == 1 ? "" : "s") + ")";
    static final NodeText UNVERIFIED_CHECKSUM_LINE = node -> "Checksum: " + FieldNode.hex(node.value(), 4) + " [unverified]";
    private static final NodeText MSS_LINE = node -> OPTION_MSS.label() + ": " + node.child(OPTION_MSS_VALUE).value() + " bytes";
    private static final NodeText WINDOW_SCALE_LINE = node -> OPTION_WSCALE.label() + ": " + node.child(OPTION_WSCALE_SHIFT).value()
            + " (multiply by " + node.child(OPTION_WSCALE_MULTIPLIER).value() + ")";
    private static final NodeText TIMESTAMPS_LINE = node -> OPTION_TIMESTAMP.label() + ": TSval " + node.child(OPTION_TSVAL).value()
            + ", TSecr " + node.child(OPTION_TSECR).value();
    private static final NodeText HEADER_LENGTH_LINE = node -> {
        long headerLength = node.value();
        long words = headerLength / 4;
        StringBuilder bits = new StringBuilder(16);
        for (int bit = 3; bit >= 0; bit--) {
            bits.append((words >>> bit) & 1);
        }
        return bits + " .... = Header Length: " + headerLength + " bytes (" + words + ")";
    };
    private static final NodeText FLAGS_LINE = node -> {
        int flags = (int) node.value();
        StringBuilder names = new StringBuilder();
        appendFlagNames(names, flags);
        String hex = Integer.toHexString(flags);
        return "Flags: 0x" + "0".repeat(3 - hex.length()) + hex + " (" + (names.length() == 0 ? "<None>" : names) + ")";
    };
    private static final NodeText WINDOW_SCALE_FACTOR_LINE = node -> "Window size scaling factor: "
            + (node.value() == TcpConversations.WINDOW_SCALE_UNKNOWN ? "-1 (unknown)"
            : node.value() == TcpConversations.WINDOW_SCALE_NONE ? "-2 (no window scaling used)" : Long.toString(node.value()));
    private static final NodeText OPTIONS_LINE = TcpDissector::optionsLine;
    private static final String[] FLAG_LETTERS_BY_FLAGS = new String[1 << 12];

    private static final NodeText COMPLETENESS_LINE =
            node -> node.def().label() + ": " + TcpConversations.describeCompleteness((int) node.value());

    private TcpDissector() {
    }

    static void dissect(DissectionContext ctx, FieldNode parent, int offset, int length) {
        ctx.setProtocol("TCP");
        byte[] data = ctx.data;
        FieldNode tcp = ctx.add(parent, TCP, offset, Math.max(0, Math.min(length, TcpPacket.MINIMUM_HEADER_LENGTH)));
        StringBuilder info = ctx.setInfo();
        if (length < 4) {
            ctx.malformed("TCP: segment of " + length + " bytes has no room for its ports", offset + length);
            return;
        }
        int sourcePort = BigEndian.u16(data, offset + TcpPacket.SOURCE_PORT);
        int destinationPort = BigEndian.u16(data, offset + TcpPacket.DESTINATION_PORT);
        info.append(sourcePort).append(" → ").append(destinationPort);
        ctx.add(tcp, SOURCE_PORT, offset + TcpPacket.SOURCE_PORT, 2, sourcePort);
        ctx.add(tcp, DESTINATION_PORT, offset + TcpPacket.DESTINATION_PORT, 2, destinationPort);
        addHidden(ctx, tcp, PORT, offset + TcpPacket.SOURCE_PORT, sourcePort);
        addHidden(ctx, tcp, PORT, offset + TcpPacket.DESTINATION_PORT, destinationPort);
        if (ctx.quoteDepth > 0) {
            dissectQuoted(ctx, tcp, offset, length, sourcePort, destinationPort);
            return;
        }
        if (length < TcpPacket.MINIMUM_HEADER_LENGTH) {
            label(tcp, sourcePort, destinationPort, -1, -1, -1);
            ctx.malformed("TCP: segment of " + length + " bytes is shorter than the 20-byte header", offset + length);
            return;
        }

        long sequence = BigEndian.u32(data, offset + TcpPacket.SEQUENCE_NUMBER);
        long ack = BigEndian.u32(data, offset + TcpPacket.ACKNOWLEDGMENT_NUMBER);
        int headerLength = TcpPacket.headerLength(data, offset);
        int flags = BigEndian.u16(data, offset + TcpPacket.DATA_OFFSET) & 0x0FFF;
        int window = BigEndian.u16(data, offset + TcpPacket.WINDOW);
        int checksum = BigEndian.u16(data, offset + TcpPacket.CHECKSUM);
        int urgentPointer = BigEndian.u16(data, offset + TcpPacket.URGENT_POINTER);
        boolean syn = (flags & TcpPacket.FLAG_SYN) != 0;
        boolean hasAck = (flags & TcpPacket.FLAG_ACK) != 0;

        TcpConversations.Conversation conversation = ctx.session.tcpConversations.find(ctx.ipSource, sourcePort,
                ctx.ipDestination, destinationPort, syn && !hasAck, sequence, ctx.timestampNanos);
        boolean firstDirection = conversation.isFirstDirection(ctx.ipSource, sourcePort);
        TcpConversations.Direction forward = firstDirection ? conversation.first : conversation.second;
        TcpConversations.Direction reverse = firstDirection ? conversation.second : conversation.first;
        FieldNode stream = ctx.add(tcp, STREAM, offset, 0, conversation.streamIndex);
        if (stream != null) {
            stream.generated();
        }

        if (headerLength > length) {
            // Wireshark gives up before its analysis here, so the numbers stay absolute.
            addFlagsAndInfo(ctx, tcp, info, offset, flags);
            info.append(" Seq=").append(sequence);
            if (hasAck) {
                info.append(" Ack=").append(ack);
            }
            info.append(" Win=").append(window);
            label(tcp, sourcePort, destinationPort, sequence, hasAck ? ack : -1, -1);
            ctx.add(tcp, SEQUENCE, offset + TcpPacket.SEQUENCE_NUMBER, 4, sequence);
            ctx.add(tcp, SEQUENCE_RAW, offset + TcpPacket.SEQUENCE_NUMBER, 4, sequence);
            ctx.add(tcp, ACK, offset + TcpPacket.ACKNOWLEDGMENT_NUMBER, 4, ack);
            ctx.add(tcp, ACK_RAW, offset + TcpPacket.ACKNOWLEDGMENT_NUMBER, 4, ack);
            addHeaderLength(ctx, tcp, offset, headerLength);
            addWindow(ctx, tcp, offset, window, window, syn, forward.windowScale);
            addChecksumAndUrgentPointer(ctx, tcp, offset, checksum, urgentPointer);
            addTimes(ctx, tcp, offset, conversation);
            ctx.malformed("TCP: header length " + headerLength + " is beyond the " + length + "-byte segment",
                    offset + TcpPacket.DATA_OFFSET);
            return;
        }

        // Relative numbers, RFC-free but as Wireshark does: each direction's base is its SYN's
        // sequence number, or one before the first sequence number seen when the SYN was missed.
        boolean directionKnownBefore = forward.baseSet;
        if (!forward.baseSet) {
            forward.baseSequence = syn ? sequence : (sequence - 1) & MASK_32;
            forward.baseSet = true;
        }
        if (!reverse.baseSet && hasAck) {
            reverse.baseSequence = (ack - 1) & MASK_32;
            reverse.baseSet = true;
        }
        boolean bogusHeader = headerLength < TcpPacket.MINIMUM_HEADER_LENGTH;
        int segmentLength = length - headerLength;
        long relativeSequence = (sequence - forward.baseSequence) & MASK_32;
        long relativeAck = hasAck ? (ack - reverse.baseSequence) & MASK_32 : ack;
        long sequenceLength = segmentLength + (syn ? 1 : 0) + ((flags & TcpPacket.FLAG_FIN) != 0 ? 1 : 0);

        // What the connection showed before this segment; then this segment's part.
        int completeness = conversation.completeness;
        FieldNode completenessNode = ctx.add(tcp, COMPLETENESS, offset, 0, completeness);
        if (completenessNode != null) {
            completenessNode.generated().text(COMPLETENESS_LINE);
        }
        if (syn && !hasAck && conversation.completeness == 0 && TcpApplications.announcedElsewhere(ctx, conversation, destinationPort)) {
            // A connection another protocol announced (FTP's data connection) already exists for tshark when its SYN
            // comes, and the SYN does not count toward its completeness.
            flags &= ~TcpPacket.FLAG_SYN;
            TcpConversations.recordCompleteness(conversation, flags, segmentLength, directionKnownBefore);
            flags |= TcpPacket.FLAG_SYN;
        } else {
            TcpConversations.recordCompleteness(conversation, flags, segmentLength, directionKnownBefore);
        }
        FieldNode lengthNode = ctx.add(tcp, LENGTH, offset, 0, segmentLength);
        if (lengthNode != null) {
            lengthNode.generated();
        }
        FieldNode sequenceNode = ctx.add(tcp, SEQUENCE, offset + TcpPacket.SEQUENCE_NUMBER, 4, relativeSequence);
        if (sequenceNode != null) {
            sequenceNode.text(RELATIVE_SEQUENCE_LINE);
        }
        ctx.add(tcp, SEQUENCE_RAW, offset + TcpPacket.SEQUENCE_NUMBER, 4, sequence);
        if (bogusHeader) {
            addFlagsAndInfo(ctx, null, info, offset, flags);
            info.append(" Seq=").append(relativeSequence);
            if (hasAck) {
                info.append(" Ack=").append(relativeAck);
            }
            info.append(" Win=").append(window).append(", bogus TCP header length (").append(headerLength)
                    .append(", must be at least 20)");
            label(tcp, sourcePort, destinationPort, relativeSequence, -1, -1);
            addHeaderLength(ctx, tcp, offset, headerLength);
            ctx.malformed("TCP: data offset " + headerLength / 4 + " is under the minimum of 5 words (bogus TCP header length "
                    + headerLength + ", must be at least 20)", offset + TcpPacket.DATA_OFFSET);
            conversation.previousTimestampNanos = ctx.timestampNanos;
            return;
        }
        long nextSequence = (relativeSequence + sequenceLength) & MASK_32;
        FieldNode nextNode = ctx.add(tcp, NEXT_SEQUENCE, offset, 0, nextSequence);
        if (nextNode != null) {
            nextNode.text(RELATIVE_SEQUENCE_LINE).generated();
        }
        FieldNode ackNode = ctx.add(tcp, ACK, offset + TcpPacket.ACKNOWLEDGMENT_NUMBER, 4, relativeAck);
        if (ackNode != null && hasAck) {
            ackNode.text(RELATIVE_ACK_LINE);
        }
        ctx.add(tcp, ACK_RAW, offset + TcpPacket.ACKNOWLEDGMENT_NUMBER, 4, ack);
        addHeaderLength(ctx, tcp, offset, headerLength);
        addFlagsAndInfo(ctx, tcp, info, offset, flags);
        info.append(" Seq=").append(relativeSequence);
        if (hasAck) {
            info.append(" Ack=").append(relativeAck);
        }

        // Window scaling (RFC 7323 section 2.2): never applied to a SYN's window.
        long calculatedWindow = !syn && forward.windowScale >= 0 ? (long) window << forward.windowScale : window;
        addWindow(ctx, tcp, offset, window, calculatedWindow, syn, forward.windowScale);
        info.append(" Win=").append(calculatedWindow);
        if ((flags & TcpPacket.FLAG_URG) != 0) {
            info.append(" Urg=").append(urgentPointer);
        }
        info.append(" Len=").append(segmentLength);

        addChecksumAndUrgentPointer(ctx, tcp, offset, checksum, urgentPointer);

        MalformedPacketException badOption = null;
        forward.sackedBytes = 0;
        if (headerLength > TcpPacket.MINIMUM_HEADER_LENGTH) {
            badOption = dissectOptions(ctx, tcp, info, offset, headerLength, forward, reverse, syn, hasAck ? ack : -1);
        }
        if (syn) {
            verifyWindowScaling(forward, reverse, hasAck);
        }

        TcpSequenceAnalysis.Result analysis = TcpSequenceAnalysis.analyze(ctx, conversation, forward, reverse, flags, sequence, ack,
                segmentLength, window);
        addConnectionNotes(ctx, tcp, offset, flags, sourcePort, destinationPort, forward, reverse);
        label(tcp, sourcePort, destinationPort, relativeSequence, hasAck ? relativeAck : -1, segmentLength);
        addTimes(ctx, tcp, offset, conversation);
        if (tcp != null && analysis.present) {
            TcpSequenceAnalysis.addTree(ctx, tcp, offset, conversation, analysis);
        }
        int beforeNotes = info.length();
        TcpSequenceAnalysis.prependInfo(info, analysis);
        // col_prepend_fence_fstr: the notes stay when the protocol above writes its own Info.
        ctx.fenceInfo(info.length() - beforeNotes);

        if (segmentLength > 0) {
            int payloadOffset = offset + headerLength;
            FieldNode payload = ctx.addBytes(tcp, PAYLOAD, payloadOffset, segmentLength);
            if (payload != null) {
                payload.text(PAYLOAD_LINE);
            }
            int analysisFlags = analysis.flags;
            ctx.tcpTree = tcp;
            ctx.sourcePort = sourcePort;
            ctx.destinationPort = destinationPort;
            if ((analysisFlags & (TcpSequenceAnalysis.RETRANSMISSION | TcpSequenceAnalysis.SPURIOUS_RETRANSMISSION)) != 0) {
                // Wireshark keeps data sent again from the protocol above (desegment_tcp), and names only a plain
                // retransmission's.
                if ((analysisFlags & TcpSequenceAnalysis.RETRANSMISSION) != 0) {
                    FieldNode retransmitted = ctx.addBytes(tcp, TcpPduReassembly.SEGMENT_DATA, payloadOffset, segmentLength);
                    if (retransmitted != null) {
                        retransmitted.text("Retransmitted TCP segment data (" + segmentLength + " byte" + (segmentLength == 1 ? "" : "s") + ")");
                    }
                }
            } else if (TcpApplications.dissect(ctx, tcp, conversation, forward, firstDirection, sourcePort, destinationPort,
                    relativeSequence, analysisFlags, payloadOffset, segmentLength)) {
                // Handed to the protocol above by port; an out-of-order segment only joins a message it falls in.
            } else if ((analysisFlags & TcpSequenceAnalysis.OUT_OF_ORDER) != 0) {
                // tcp_no_subdissector_on_error: not handed to the protocol above on its own.
            } else if (EchoDissector.claims(sourcePort, destinationPort, segmentLength)) {
                EchoDissector.dissect(ctx, ctx.root, payloadOffset, segmentLength, destinationPort);
            } else {
                DataDissector.dissectUnclaimed(ctx, payloadOffset, segmentLength, PortProtocols.tcp(sourcePort, destinationPort));
            }
        }
        if (badOption != null) {
            ctx.malformed(badOption);
        }
    }

    /** "[PDU Size: 51]": the size of one message of the protocol above, which Wireshark notes in TCP's tree. */
    static void addPduSize(DissectionContext ctx, FieldNode tcp, int offset, int size) {
        FieldNode node = ctx.add(tcp, PDU_SIZE, offset, size, size);
        if (node != null) {
            node.generated();
        }
    }

    private static void addWindow(DissectionContext ctx, FieldNode tcp, int offset, int window, long calculatedWindow, boolean syn,
                                  int scale) {
        ctx.add(tcp, WINDOW, offset + TcpPacket.WINDOW, 2, window);
        FieldNode calculated = ctx.add(tcp, WINDOW_CALCULATED, offset + TcpPacket.WINDOW, 2, calculatedWindow);
        if (calculated != null) {
            calculated.generated();
            if (!syn) {
                ctx.add(tcp, WINDOW_SCALE_FACTOR, offset + TcpPacket.WINDOW, 2, scale < 0 ? scale : 1L << scale)
                        .text(WINDOW_SCALE_FACTOR_LINE).generated();
            }
        }
    }

    private static void addChecksumAndUrgentPointer(DissectionContext ctx, FieldNode tcp, int offset, int checksum, int urgentPointer) {
        FieldNode checksumNode = ctx.add(tcp, CHECKSUM, offset + TcpPacket.CHECKSUM, 2, checksum);
        if (checksumNode != null) {
            // Wireshark leaves TCP checksums unverified unless asked to check them.
            checksumNode.text(UNVERIFIED_CHECKSUM_LINE);
        }
        ChecksumStatus.add(ctx, tcp, CHECKSUM_STATUS, offset + TcpPacket.CHECKSUM, ChecksumStatus.UNVERIFIED);
        ctx.add(tcp, URGENT_POINTER, offset + TcpPacket.URGENT_POINTER, 2, urgentPointer);
    }

    /** Times within the stream; the stream's "previous frame" becomes this one. */
    /**
     * Wireshark's "Chat" expert notes that mark a connection's life: the opening SYN and SYN+ACK,
     * each FIN (the first one "initiates" the close, the answering one "undergoes" it) and RST.
     */
    private static void addConnectionNotes(DissectionContext ctx, FieldNode tcp, int offset, int flags, int sourcePort,
                                           int destinationPort, TcpConversations.Direction forward, TcpConversations.Direction reverse) {
        boolean fin = (flags & TcpPacket.FLAG_FIN) != 0;
        if (tcp != null) {
            // Each note hangs under the flag that caused it, as in Wireshark's tree.
            int at = offset + TcpPacket.DATA_OFFSET;
            if ((flags & TcpPacket.FLAG_SYN) != 0) {
                ctx.addExpert(ctx.find(tcp, FLAG_SYN), at, 2, "Chat/Sequence", (flags & TcpPacket.FLAG_ACK) != 0
                        ? "Connection establish acknowledge (SYN+ACK): server port " + sourcePort
                        : "Connection establish request (SYN): server port " + destinationPort);
            }
            if ((flags & TcpPacket.FLAG_RST) != 0) {
                ctx.addExpert(ctx.find(tcp, FLAG_RESET), at, 2, "Warning/Sequence", "Connection reset (RST)");
            }
            if (fin) {
                ctx.addExpert(ctx.find(tcp, FLAG_FIN), at, 2, "Chat/Sequence", "Connection finish (FIN)");
                ctx.addExpert(ctx.find(tcp, FLAGS_STRING), at, 2, "Note/Sequence", reverse.finSent
                        ? "This frame undergoes the connection closing" : "This frame initiates the connection closing");
            }
        }
        if (fin) {
            forward.finSent = true;
        }
    }

    private static void addTimes(DissectionContext ctx, FieldNode tcp, int offset, TcpConversations.Conversation conversation) {
        if (tcp != null) {
            FrameDissector.addStreamTimes(ctx, tcp, offset, TIME_RELATIVE, TIME_DELTA, conversation.firstTimestampNanos,
                    conversation.previousTimestampNanos);
        }
        conversation.previousTimestampNanos = ctx.timestampNanos;
    }

    /** Wireshark's verify_tcp_window_scaling: a SYN without the option means neither side scales. */
    private static void verifyWindowScaling(TcpConversations.Direction forward, TcpConversations.Direction reverse, boolean synAck) {
        if (forward.windowScale == TcpConversations.WINDOW_SCALE_UNKNOWN) {
            forward.windowScale = TcpConversations.WINDOW_SCALE_NONE;
            reverse.windowScale = TcpConversations.WINDOW_SCALE_NONE;
        } else if (synAck && reverse.windowScale == TcpConversations.WINDOW_SCALE_NONE) {
            forward.windowScale = TcpConversations.WINDOW_SCALE_NONE;
        }
    }

    /**
     * The options, each as Wireshark shows it, with their Info column notes (MSS=, SACK_PERM, TSval=,
     * TSecr=, WS=, SLE=/SRE=). Returns the problem when an option's length is illegal; the options
     * before it are shown, and the caller marks the frame once the rest is dissected.
     */
    private static MalformedPacketException dissectOptions(DissectionContext ctx, FieldNode tcp, StringBuilder info, int offset,
                                                           int headerLength, TcpConversations.Direction forward,
                                                           TcpConversations.Direction reverse, boolean syn, long ack) {
        byte[] data = ctx.data;
        int start = offset + TcpPacket.OPTIONS;
        int end = offset + headerLength;
        FieldNode options = ctx.addBytes(tcp, OPTIONS, start, end - start);
        if (options != null) {
            options.text(OPTIONS_LINE);
        }
        int infoMark = info.length();
        int at = start;
        MalformedPacketException problem = null;
        while (at < end) {
            int optionLength;
            try {
                optionLength = TcpOption.checkedLength(data, at, end);
            } catch (MalformedPacketException e) {
                problem = e;
                // Wireshark adds no option notes to the Info column when an option is bad.
                info.setLength(infoMark);
                break;
            }
            int kind = BigEndian.u8(data, at);
            switch (kind) {
                case TcpOption.KIND_END_OF_LIST -> {
                    FieldNode node = ctx.addBytes(options, OPTION_EOL, at, 1);
                    if (node != null) {
                        node.text(OPTION_EOL.label());
                    }
                    ctx.add(node, OPTION_KIND, at, 1, kind);
                }
                case TcpOption.KIND_NO_OPERATION -> {
                    FieldNode node = ctx.addBytes(options, OPTION_NOP, at, 1);
                    if (node != null) {
                        node.text(OPTION_NOP.label());
                    }
                    ctx.add(node, OPTION_KIND, at, 1, kind);
                }
                case TcpOption.KIND_MAXIMUM_SEGMENT_SIZE -> {
                    int mss = BigEndian.u16(data, at + 2);
                    FieldNode node = ctx.addBytes(options, OPTION_MSS, at, optionLength);
                    if (node != null) {
                        node.text(MSS_LINE);
                    }
                    addKindAndLength(ctx, node, at, kind, optionLength);
                    ctx.add(node, OPTION_MSS_VALUE, at + 2, 2, mss);
                    info.append(" MSS=").append(mss);
                }
                case TcpOption.KIND_WINDOW_SCALE -> {
                    int shift = BigEndian.u8(data, at + 2);
                    int multiplier = 1 << Math.min(shift, MAXIMUM_WINDOW_SHIFT);
                    FieldNode node = ctx.addBytes(options, OPTION_WSCALE, at, optionLength);
                    if (node != null) {
                        node.text(WINDOW_SCALE_LINE);
                    }
                    addKindAndLength(ctx, node, at, kind, optionLength);
                    ctx.add(node, OPTION_WSCALE_SHIFT, at + 2, 1, shift);
                    FieldNode multiplierNode = ctx.add(node, OPTION_WSCALE_MULTIPLIER, at + 2, 1, multiplier);
                    if (multiplierNode != null) {
                        multiplierNode.generated();
                    }
                    if (syn) {
                        forward.windowScale = Math.min(shift, MAXIMUM_WINDOW_SHIFT);
                    }
                    info.append(" WS=").append(multiplier);
                }
                case TcpOption.KIND_SACK_PERMITTED -> {
                    FieldNode node = ctx.addBytes(options, OPTION_SACK_PERMITTED, at, optionLength);
                    if (node != null) {
                        node.text(OPTION_SACK_PERMITTED.label());
                    }
                    addKindAndLength(ctx, node, at, kind, optionLength);
                    info.append(" SACK_PERM");
                }
                case TcpOption.KIND_SACK -> {
                    FieldNode node = ctx.addBytes(options, OPTION_SACK, at, optionLength);
                    addKindAndLength(ctx, node, at, kind, optionLength);
                    StringBuilder label = node == null ? null : new StringBuilder(OPTION_SACK.label());
                    int blocks = 0;
                    for (int edge = at + 2; edge < at + optionLength; edge += TcpOption.SACK_BLOCK_LENGTH) {
                        // Edges are shown relative to the base of the data they acknowledge.
                        long left = (BigEndian.u32(data, edge) - reverse.baseSequence) & MASK_32;
                        long right = (BigEndian.u32(data, edge + 4) - reverse.baseSequence) & MASK_32;
                        if (node != null) {
                            ctx.add(node, OPTION_SACK_LEFT, edge, 4, left).text("left edge = " + left + " (relative)");
                            ctx.add(node, OPTION_SACK_RIGHT, edge + 4, 4, right).text("right edge = " + right + " (relative)");
                            label.append(' ').append(left).append('-').append(right);
                        }
                        info.append(" SLE=").append(left).append(" SRE=").append(right);
                        forward.sackedBytes += (right - left) & MASK_32;
                        blocks++;
                    }
                    if (node != null) {
                        node.text(label.toString());
                        ctx.add(node, OPTION_SACK_COUNT, at, 0, blocks).generated();
                        addDuplicateSack(ctx, node, data, at, optionLength, ack, reverse.baseSequence);
                    }
                }
                case TcpOption.KIND_TIMESTAMPS -> {
                    long value = BigEndian.u32(data, at + 2);
                    long echo = BigEndian.u32(data, at + 6);
                    FieldNode node = ctx.addBytes(options, OPTION_TIMESTAMP, at, optionLength);
                    if (node != null) {
                        node.text(TIMESTAMPS_LINE);
                    }
                    addKindAndLength(ctx, node, at, kind, optionLength);
                    ctx.add(node, OPTION_TSVAL, at + 2, 4, value);
                    ctx.add(node, OPTION_TSECR, at + 6, 4, echo);
                    info.append(" TSval=").append(value).append(" TSecr=").append(echo);
                }
                default -> {
                    FieldNode node = ctx.addText(options, at, optionLength, "TCP Option - Unknown (kind " + kind + ")");
                    addKindAndLength(ctx, node, at, kind, optionLength);
                }
            }
            at += optionLength;
            if (kind == TcpOption.KIND_END_OF_LIST) {
                break;
            }
        }
        return problem;
    }

    /**
     * RFC 2883 section 4: a first SACK block below the cumulative ACK, or inside the second block, reports data
     * received twice (D-SACK); Wireshark shows its edges again and warns.
     */
    private static void addDuplicateSack(DissectionContext ctx, FieldNode sack, byte[] data, int at, int optionLength, long ack,
                                         long base) {
        if (optionLength < 2 + TcpOption.SACK_BLOCK_LENGTH || ack < 0) {
            return;
        }
        long left = BigEndian.u32(data, at + 2);
        long right = BigEndian.u32(data, at + 6);
        boolean duplicate = TcpSeqNumber.after(ack, left);
        if (!duplicate && optionLength >= 2 + 2 * TcpOption.SACK_BLOCK_LENGTH) {
            long secondLeft = BigEndian.u32(data, at + 10);
            long secondRight = BigEndian.u32(data, at + 14);
            duplicate = !TcpSeqNumber.after(secondLeft, left) && !TcpSeqNumber.after(right, secondRight);
        }
        if (!duplicate) {
            return;
        }
        long relativeLeft = (left - base) & MASK_32;
        long relativeRight = (right - base) & MASK_32;
        ctx.add(sack, OPTION_DSACK_LEFT, at + 2, 4, relativeLeft).generated().text("D-SACK Left Edge = " + relativeLeft + " (relative)");
        ctx.add(sack, OPTION_DSACK_RIGHT, at + 6, 4, relativeRight).generated()
                .text("D-SACK Right Edge = " + relativeRight + " (relative)");
        FieldNode sequence = ctx.add(sack, OPTION_DSACK, at + 2, TcpOption.SACK_BLOCK_LENGTH).text(OPTION_DSACK.label());
        ctx.addExpert(sequence, at + 2, TcpOption.SACK_BLOCK_LENGTH, "Warning/Sequence", OPTION_DSACK.label(), OPTION_DSACK);
    }

    /** The options heading from the options shown below it: "Options: (12 bytes), No-Operation (NOP), ...". */
    private static String optionsLine(FieldNode options) {
        StringBuilder line = new StringBuilder(96).append("Options: (").append(options.length()).append(" bytes)");
        for (FieldNode option = options.firstChild(); option != null; option = option.nextSibling()) {
            line.append(", ").append(optionSummaryName(option.def()));
        }
        return line.toString();
    }

    private static String optionSummaryName(FieldDef option) {
        if (option == OPTION_EOL) {
            return "End of Option List (EOL)";
        } else if (option == OPTION_NOP) {
            return "No-Operation (NOP)";
        } else if (option == OPTION_MSS) {
            return "Maximum segment size";
        } else if (option == OPTION_WSCALE) {
            return "Window scale";
        } else if (option == OPTION_SACK_PERMITTED) {
            return "SACK permitted";
        } else if (option == OPTION_SACK) {
            return "SACK";
        } else if (option == OPTION_TIMESTAMP) {
            return "Timestamps";
        }
        return "Unknown";
    }

    private static void addKindAndLength(DissectionContext ctx, FieldNode node, int at, int kind, int optionLength) {
        ctx.add(node, OPTION_KIND, at, 1, kind);
        ctx.add(node, OPTION_LENGTH, at + 1, 1, optionLength);
    }

    static String optionKindName(long kind) {
        return switch ((int) kind) {
            case TcpOption.KIND_END_OF_LIST -> "End of Option List";
            case TcpOption.KIND_NO_OPERATION -> "No-Operation";
            case TcpOption.KIND_MAXIMUM_SEGMENT_SIZE -> "Maximum Segment Size";
            case TcpOption.KIND_WINDOW_SCALE -> "Window Scale";
            case TcpOption.KIND_SACK_PERMITTED -> "SACK Permitted";
            case TcpOption.KIND_SACK -> "SACK";
            case TcpOption.KIND_TIMESTAMPS -> "Time Stamp Option";
            default -> null;
        };
    }

    private static void addHeaderLength(DissectionContext ctx, FieldNode tcp, int offset, int headerLength) {
        FieldNode node = ctx.add(tcp, HEADER_LENGTH, offset + TcpPacket.DATA_OFFSET, 1, headerLength);
        if (node != null) {
            node.text(HEADER_LENGTH_LINE);
        }
    }

    /** The flags node with every bit, and "[SYN, ACK]" in the Info column. */
    private static void addFlagsAndInfo(DissectionContext ctx, FieldNode tcp, StringBuilder info, int offset, int flags) {
        info.append(" [");
        int mark = info.length();
        appendFlagNames(info, flags);
        if (info.length() == mark) {
            info.append("<None>");
        }
        info.append(']');
        FieldNode node = ctx.add(tcp, FLAGS, offset + TcpPacket.DATA_OFFSET, 2, flags);
        if (node == null) {
            return;
        }
        node.text(FLAGS_LINE);
        int at = offset + TcpPacket.DATA_OFFSET;
        ctx.add(node, FLAG_RESERVED, at, 2, (flags & TcpPacket.FLAGS_RESERVED) >>> 9);
        ctx.add(node, FLAG_AE, at, 2, (flags >>> 8) & 1);
        ctx.add(node, FLAG_CWR, at, 2, (flags >>> 7) & 1);
        ctx.add(node, FLAG_ECE, at, 2, (flags >>> 6) & 1);
        ctx.add(node, FLAG_URG, at, 2, (flags >>> 5) & 1);
        ctx.add(node, FLAG_ACK, at, 2, (flags >>> 4) & 1);
        ctx.add(node, FLAG_PUSH, at, 2, (flags >>> 3) & 1);
        ctx.add(node, FLAG_RESET, at, 2, (flags >>> 2) & 1);
        ctx.add(node, FLAG_SYN, at, 2, (flags >>> 1) & 1);
        ctx.add(node, FLAG_FIN, at, 2, flags & 1);
        ctx.addString(node, FLAGS_STRING, at, 2, flagLetters(flags)).generated();
    }

    /** "·······AP···" for PSH+ACK: made once per combination of the 12 flag bits, then shared. */
    private static String flagLetters(int flags) {
        String letters = FLAG_LETTERS_BY_FLAGS[flags];
        if (letters == null) {
            char[] out = new char[12];
            for (int bit = 0; bit < 12; bit++) {
                out[bit] = (flags & (1 << (11 - bit))) != 0 ? FLAG_LETTERS.charAt(bit) : '·';
            }
            letters = new String(out);
            FLAG_LETTERS_BY_FLAGS[flags] = letters;
        }
        return letters;
    }

    private static void appendFlagNames(StringBuilder out, int flags) {
        boolean first = true;
        for (int bit = 0; bit < FLAG_NAMES.length; bit++) {
            if ((flags & (1 << bit)) != 0) {
                if (!first) {
                    out.append(", ");
                }
                out.append(FLAG_NAMES[bit]);
                first = false;
            }
        }
        if ((flags & TcpPacket.FLAGS_RESERVED) != 0) {
            if (!first) {
                out.append(", ");
            }
            out.append("Reserved");
        }
    }

    /** "Transmission Control Protocol, Src Port: 59166, Dst Port: 8080, Seq: 1, Ack: 1, Len: 15"; -1 leaves a part out. */
    private static void label(FieldNode tcp, int sourcePort, int destinationPort, long sequence, long ack, int length) {
        if (tcp == null) {
            return;
        }
        tcp.text(node -> protocolLine(sourcePort, destinationPort, sequence, ack, length));
    }

    private static String protocolLine(int sourcePort, int destinationPort, long sequence, long ack, int length) {
        StringBuilder text = new StringBuilder(96).append("Transmission Control Protocol, Src Port: ").append(sourcePort)
                .append(", Dst Port: ").append(destinationPort);
        if (sequence >= 0) {
            text.append(", Seq: ").append(sequence);
        }
        if (ack >= 0) {
            text.append(", Ack: ").append(ack);
        }
        if (length >= 0) {
            text.append(", Len: ").append(length);
        }
        return text.toString();
    }

    /**
     * The segment an ICMP error quotes: often only its first 8 bytes. As Wireshark, no relative
     * numbers and no analysis; the header fields that are there.
     */
    private static void dissectQuoted(DissectionContext ctx, FieldNode tcp, int offset, int length, int sourcePort,
                                      int destinationPort) {
        byte[] data = ctx.data;
        if (length < 8) {
            label(tcp, sourcePort, destinationPort, -1, -1, -1);
            return;
        }
        long sequence = BigEndian.u32(data, offset + TcpPacket.SEQUENCE_NUMBER);
        ctx.add(tcp, SEQUENCE, offset + TcpPacket.SEQUENCE_NUMBER, 4, sequence);
        int headerLength = length >= TcpPacket.MINIMUM_HEADER_LENGTH ? TcpPacket.headerLength(data, offset) : 0;
        if (length < TcpPacket.MINIMUM_HEADER_LENGTH || headerLength < TcpPacket.MINIMUM_HEADER_LENGTH || headerLength > length) {
            label(tcp, sourcePort, destinationPort, -1, -1, -1);
            return;
        }
        label(tcp, sourcePort, destinationPort, sequence, -1, -1);
        TcpConversations.Conversation conversation = ctx.session.tcpConversations.findQuoted(ctx.ipSource, sourcePort,
                ctx.ipDestination, destinationPort, ctx.timestampNanos);
        FieldNode stream = ctx.add(tcp, STREAM, offset, 0, conversation.streamIndex);
        if (stream != null) {
            stream.generated();
        }
        long ack = BigEndian.u32(data, offset + TcpPacket.ACKNOWLEDGMENT_NUMBER);
        int flags = BigEndian.u16(data, offset + TcpPacket.DATA_OFFSET) & 0x0FFF;
        int window = BigEndian.u16(data, offset + TcpPacket.WINDOW);
        int checksum = BigEndian.u16(data, offset + TcpPacket.CHECKSUM);
        ctx.add(tcp, ACK, offset + TcpPacket.ACKNOWLEDGMENT_NUMBER, 4, ack);
        ctx.add(tcp, ACK_RAW, offset + TcpPacket.ACKNOWLEDGMENT_NUMBER, 4, ack);
        addHeaderLength(ctx, tcp, offset, headerLength);
        addFlagsAndInfo(ctx, tcp, ctx.appendInfo(), offset, flags);
        ctx.add(tcp, WINDOW, offset + TcpPacket.WINDOW, 2, window);
        FieldNode calculated = ctx.add(tcp, WINDOW_CALCULATED, offset + TcpPacket.WINDOW, 2, window);
        if (calculated != null) {
            calculated.generated();
        }
        FieldNode checksumNode = ctx.add(tcp, CHECKSUM, offset + TcpPacket.CHECKSUM, 2, checksum);
        if (checksumNode != null) {
            checksumNode.text(UNVERIFIED_CHECKSUM_LINE);
        }
        ChecksumStatus.add(ctx, tcp, CHECKSUM_STATUS, offset + TcpPacket.CHECKSUM, ChecksumStatus.UNVERIFIED);
        ctx.add(tcp, URGENT_POINTER, offset + TcpPacket.URGENT_POINTER, 2, BigEndian.u16(data, offset + TcpPacket.URGENT_POINTER));
        if (headerLength > TcpPacket.MINIMUM_HEADER_LENGTH) {
            TcpConversations.Direction scratch = new TcpConversations.Direction();
            MalformedPacketException problem = dissectOptions(ctx, tcp, ctx.appendInfo(), offset, headerLength, scratch, scratch, false, -1);
            if (problem != null) {
                ctx.malformed(problem);
            }
        }
    }

    private static void addHidden(DissectionContext ctx, FieldNode parent, FieldDef def, int offset, int value) {
        FieldNode node = ctx.add(parent, def, offset, 2, value);
        if (node != null) {
            node.hidden();
        }
    }
}
