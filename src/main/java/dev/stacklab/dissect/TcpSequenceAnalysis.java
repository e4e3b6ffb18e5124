package dev.stacklab.dissect;

import dev.stacklab.wire.TcpPacket;
import dev.stacklab.wire.TcpSeqNumber;

import java.util.List;

/**
 * Wireshark 4.0's single-pass TCP sequence analysis (tcp_analyze_sequence_number): what each segment
 * is in the light of the segments before it on its connection (retransmission, fast or spurious
 * retransmission, out-of-order, a gap before it, an ACK of data never seen, duplicate ACK, zero
 * window and its probes, window update, window full, keep-alive and its ACK), which earlier segment
 * an ACK acknowledges, and bytes in flight; then the "SEQ/ACK analysis" subtree, its expert notes and
 * the Info column's "[TCP Retransmission] " prefixes, as tshark prints them.
 *
 * <p>Works on raw sequence numbers, in capture order, from the state {@link TcpConversations} keeps per
 * direction, so the summary of a frame (the app's live packet list) and its tree agree without a
 * second pass. Memory is bounded by {@link TcpConversations}: a fixed number of connections, and of
 * unacknowledged segments per direction.
 */
final class TcpSequenceAnalysis {
    // Wireshark's TCP_A_* bits.
    static final int RETRANSMISSION = 0x0001;
    static final int LOST_PACKET = 0x0002;
    static final int ACK_LOST_PACKET = 0x0004;
    static final int KEEP_ALIVE = 0x0008;
    static final int DUPLICATE_ACK_SENT = 0x0010;
    static final int ZERO_WINDOW = 0x0020;
    static final int ZERO_WINDOW_PROBE = 0x0040;
    static final int ZERO_WINDOW_PROBE_ACK = 0x0080;
    static final int KEEP_ALIVE_ACK = 0x0100;
    static final int OUT_OF_ORDER = 0x0200;
    static final int FAST_RETRANSMISSION = 0x0400;
    static final int WINDOW_UPDATE = 0x0800;
    static final int WINDOW_FULL = 0x1000;
    static final int SPURIOUS_RETRANSMISSION = 0x4000;

    static final FieldDef ANALYSIS = FieldDef.none("tcp.analysis", "SEQ/ACK analysis");
    static final FieldDef ACKS_FRAME = FieldDef.frameNumber("tcp.analysis.acks_frame", "This is an ACK to the segment in frame");
    static final FieldDef ACK_RTT = FieldDef.timeNanos("tcp.analysis.ack_rtt", "The RTT to ACK the segment was");
    static final FieldDef INITIAL_RTT = FieldDef.timeNanos("tcp.analysis.initial_rtt", "iRTT");
    static final FieldDef BYTES_IN_FLIGHT = FieldDef.uint("tcp.analysis.bytes_in_flight", "Bytes in flight");
    static final FieldDef PUSH_BYTES_SENT = FieldDef.uint("tcp.analysis.push_bytes_sent", "Bytes sent since last PSH flag");
    static final FieldDef FLAGS = FieldDef.none("tcp.analysis.flags", "TCP Analysis Flags");
    static final FieldDef RTO = FieldDef.timeNanos("tcp.analysis.rto", "The RTO for this segment was");
    static final FieldDef RTO_FRAME = FieldDef.frameNumber("tcp.analysis.rto_frame", "RTO based on delta from frame");
    /** The "This is a TCP duplicate ack" line and the "Duplicate ACK (#1)" expert note share this name, as in Wireshark. */
    static final FieldDef DUPLICATE_ACK = FieldDef.none("tcp.analysis.duplicate_ack", "Duplicate ACK");
    static final FieldDef DUPLICATE_ACK_NUMBER = FieldDef.uint("tcp.analysis.duplicate_ack_num", "Duplicate ACK #");
    static final FieldDef DUPLICATE_ACK_FRAME = FieldDef.frameNumber("tcp.analysis.duplicate_ack_frame", "Duplicate to the ACK in frame");
    // The expert notes, each filterable by its own name.
    static final FieldDef EXPERT_RETRANSMISSION = FieldDef.none("tcp.analysis.retransmission", "This frame is a (suspected) retransmission");
    static final FieldDef EXPERT_FAST_RETRANSMISSION = FieldDef.none("tcp.analysis.fast_retransmission",
            "This frame is a (suspected) fast retransmission");
    static final FieldDef EXPERT_SPURIOUS_RETRANSMISSION = FieldDef.none("tcp.analysis.spurious_retransmission",
            "This frame is a (suspected) spurious retransmission");
    static final FieldDef EXPERT_OUT_OF_ORDER = FieldDef.none("tcp.analysis.out_of_order", "This frame is a (suspected) out-of-order segment");
    static final FieldDef EXPERT_LOST_SEGMENT = FieldDef.none("tcp.analysis.lost_segment",
            "Previous segment(s) not captured (common at capture start)");
    static final FieldDef EXPERT_ACK_LOST_SEGMENT = FieldDef.none("tcp.analysis.ack_lost_segment",
            "ACKed segment that wasn't captured (common at capture start)");
    static final FieldDef EXPERT_WINDOW_UPDATE = FieldDef.none("tcp.analysis.window_update", "TCP window update");
    static final FieldDef EXPERT_WINDOW_FULL = FieldDef.none("tcp.analysis.window_full",
            "TCP window specified by the receiver is now completely full");
    static final FieldDef EXPERT_KEEP_ALIVE = FieldDef.none("tcp.analysis.keep_alive", "TCP keep-alive segment");
    static final FieldDef EXPERT_KEEP_ALIVE_ACK = FieldDef.none("tcp.analysis.keep_alive_ack", "ACK to a TCP keep-alive segment");
    static final FieldDef EXPERT_ZERO_WINDOW_PROBE = FieldDef.none("tcp.analysis.zero_window_probe", "TCP Zero Window Probe");
    static final FieldDef EXPERT_ZERO_WINDOW = FieldDef.none("tcp.analysis.zero_window", "TCP Zero Window segment");
    static final FieldDef EXPERT_ZERO_WINDOW_PROBE_ACK = FieldDef.none("tcp.analysis.zero_window_probe_ack", "ACK to a TCP Zero Window Probe");

    static final List<FieldDef> FIELDS = List.of(ANALYSIS, ACKS_FRAME, ACK_RTT, INITIAL_RTT, BYTES_IN_FLIGHT, PUSH_BYTES_SENT, FLAGS, RTO,
            RTO_FRAME, DUPLICATE_ACK, DUPLICATE_ACK_NUMBER, DUPLICATE_ACK_FRAME, EXPERT_RETRANSMISSION, EXPERT_FAST_RETRANSMISSION,
            EXPERT_SPURIOUS_RETRANSMISSION, EXPERT_OUT_OF_ORDER, EXPERT_LOST_SEGMENT, EXPERT_ACK_LOST_SEGMENT, EXPERT_WINDOW_UPDATE,
            EXPERT_WINDOW_FULL, EXPERT_KEEP_ALIVE, EXPERT_KEEP_ALIVE_ACK, EXPERT_ZERO_WINDOW_PROBE,
            EXPERT_ZERO_WINDOW, EXPERT_ZERO_WINDOW_PROBE_ACK);

    private static final long MASK_32 = 0xFFFF_FFFFL;
    /** Wireshark's limit for a fast retransmission: within 20 ms of the last duplicate ACK. */
    private static final long FAST_RETRANSMISSION_WINDOW_NANOS = 20_000_000L;
    /** Out-of-order when sooner than this after the highest segment, while the handshake RTT is unknown. */
    private static final long DEFAULT_OUT_OF_ORDER_NANOS = 3_000_000L;
    private static final NodeText INITIAL_RTT_LINE = node -> "iRTT: " + FieldNode.seconds(node.value()) + " seconds";
    private static final int NO_SYN_FIN_RST = TcpPacket.FLAG_SYN | TcpPacket.FLAG_FIN | TcpPacket.FLAG_RST;

    private TcpSequenceAnalysis() {
    }

    /** What the analysis found for one segment (Wireshark's tcp_acked), shown in its "SEQ/ACK analysis" subtree. */
    static final class Result {
        boolean present;
        int flags;
        int acksFrame;
        long ackRttNanos;
        long bytesInFlight;
        long pushBytesSent;
        int duplicateAckNumber;
        int duplicateAckFrame;
        long rtoNanos;
        int rtoFrame;
        /** Scratch for prependInfo's notes, reused from segment to segment. */
        final StringBuilder notes = new StringBuilder(64);

        void reset() {
            present = false;
            flags = 0;
            acksFrame = 0;
            ackRttNanos = 0;
            bytesInFlight = 0;
            pushBytesSent = 0;
            duplicateAckNumber = 0;
            duplicateAckFrame = 0;
            rtoNanos = 0;
            rtoFrame = 0;
        }

        private void flag(int bit) {
            present = true;
            flags |= bit;
        }
    }

    /**
     * Analyses one segment with raw sequence and acknowledgment numbers and its unscaled window,
     * updating both directions' state. The returned result is the session's scratch object, valid
     * until the next segment.
     */
    static Result analyze(DissectionContext ctx, TcpConversations.Conversation conversation, TcpConversations.Direction forward,
                          TcpConversations.Direction reverse, int flags, long sequence, long ack, int segmentLength, int window) {
        // One per session, reused: the summary path allocates nothing per segment here.
        Result result = ctx.session.tcpConversations.analysis;
        result.reset();
        boolean syn = (flags & TcpPacket.FLAG_SYN) != 0;
        boolean fin = (flags & TcpPacket.FLAG_FIN) != 0;
        boolean hasAck = (flags & TcpPacket.FLAG_ACK) != 0;
        boolean noSynFinRst = (flags & NO_SYN_FIN_RST) == 0;
        long now = ctx.timestampNanos;
        if (syn && !hasAck) {
            conversation.latestSynNanos = now;
        } else if (hasAck && !syn && conversation.initialRttNanos < 0 && conversation.latestSynNanos != Long.MIN_VALUE) {
            conversation.initialRttNanos = now - conversation.latestSynNanos;
        }
        if (hasAck) {
            reverse.bytesInFlightValid = true;
        }
        long expected = forward.nextSequence;

        checks:
        {
            // Zero window probe: one byte at the next sequence number into a closed window.
            if (segmentLength == 1 && sequence == expected && reverse.window == 0) {
                result.flag(ZERO_WINDOW_PROBE);
                break checks;
            }
            if (window == 0 && (flags & NO_SYN_FIN_RST) == 0) {
                result.flag(ZERO_WINDOW);
            }
            // A gap: this segment starts beyond everything seen so far.
            if (expected != 0 && TcpSeqNumber.after(sequence, expected) && (flags & TcpPacket.FLAG_RST) == 0) {
                result.flag(LOST_PACKET);
                forward.bytesInFlightValid = false;
            }
            // Keep-alive: 0 or 1 byte, one before the next sequence number.
            if ((segmentLength == 0 || segmentLength == 1) && sequence == ((expected - 1) & MASK_32) && noSynFinRst) {
                result.flag(KEEP_ALIVE);
            }
            boolean repeatsLastAck = segmentLength == 0 && sequence == expected && ack == forward.lastAck && noSynFinRst;
            if (repeatsLastAck && window != 0 && window != forward.window) {
                result.flag(WINDOW_UPDATE);
            }
            // Window full: the data reaches the right edge of the window the receiver last offered.
            if (segmentLength > 0 && reverse.windowScale != TcpConversations.WINDOW_SCALE_UNKNOWN && noSynFinRst) {
                int shift = reverse.windowFromSyn || reverse.windowScale == TcpConversations.WINDOW_SCALE_NONE ? 0 : reverse.windowScale;
                if (((sequence + segmentLength) & MASK_32) == ((reverse.lastAck + (reverse.window << shift)) & MASK_32)) {
                    result.flag(WINDOW_FULL);
                }
            }
            if (repeatsLastAck && window != 0 && window == forward.window && (reverse.lastSegmentFlags & KEEP_ALIVE) != 0) {
                result.flag(KEEP_ALIVE_ACK);
                break checks;
            }
            if (repeatsLastAck && window == 0 && forward.window == 0 && (reverse.lastSegmentFlags & ZERO_WINDOW_PROBE) != 0) {
                result.flag(ZERO_WINDOW_PROBE_ACK);
                break checks;
            }
            if (repeatsLastAck && window != 0 && window == forward.window) {
                forward.duplicateAckCount++;
                result.flag(DUPLICATE_ACK_SENT);
                result.duplicateAckNumber = forward.duplicateAckCount;
                result.duplicateAckFrame = forward.lastNonDuplicateAckFrame;
            }
        }
        if (ack != forward.lastAck) {
            forward.lastNonDuplicateAckFrame = ctx.frameNumber;
            forward.duplicateAckCount = 0;
        }

        // An ACK beyond everything the other side was seen to send without a gap.
        if (reverse.maxSequenceToBeAcked != 0 && TcpSeqNumber.after(ack, reverse.maxSequenceToBeAcked) && hasAck) {
            result.flag(ACK_LOST_PACKET);
            // Said once per gap: what the other side sent after it counts as seen from here on.
            reverse.maxSequenceToBeAcked = reverse.nextSequence;
        }

        if (segmentLength > 0 || syn || fin) {
            classifyRepeatedData(result, conversation, forward, reverse, flags, sequence, segmentLength, now);
        }

        long nextSequence = (sequence + segmentLength) & MASK_32;
        if ((segmentLength > 0 || syn || fin)) {
            if (syn || fin) {
                nextSequence = (nextSequence + 1) & MASK_32;
            }
            forward.addSegment(sequence, nextSequence, ctx.frameNumber, now);
        }
        boolean probe = (result.flags & ZERO_WINDOW_PROBE) != 0;
        if ((TcpSeqNumber.after(nextSequence, forward.nextSequence) || forward.nextSequence == 0) && !probe) {
            forward.nextSequence = nextSequence;
            forward.nextSequenceFrame = ctx.frameNumber;
            forward.nextSequenceTime = now;
        }
        if ((sequence == forward.maxSequenceToBeAcked || forward.maxSequenceToBeAcked == 0) && !probe) {
            forward.maxSequenceToBeAcked = forward.nextSequence;
        }
        forward.window = window;
        forward.windowFromSyn = syn;
        forward.lastAck = ack;
        forward.lastAckTime = now;
        forward.lastSegmentFlags = result.flags;

        if (hasAck) {
            // Wireshark walks its list newest first; the oldest exact match is the one it keeps.
            for (int i = reverse.segmentCount - 1; i >= 0; i--) {
                long segmentSequence = reverse.segmentSequence[i];
                long segmentNext = reverse.segmentNextSequence[i];
                if (ack == segmentNext) {
                    result.present = true;
                    result.acksFrame = reverse.segmentFrame[i];
                    result.ackRttNanos = now - reverse.segmentTime[i];
                } else if (TcpSeqNumber.after(ack, segmentSequence) && !TcpSeqNumber.after(ack, segmentNext)) {
                    reverse.segmentSequence[i] = ack;
                    continue;
                } else if (TcpSeqNumber.after(segmentNext, ack)) {
                    continue;
                }
                reverse.removeSegment(i);
            }
        }

        if (segmentLength > 0 && forward.segmentCount > 0 && forward.bytesInFlightValid) {
            long firstSequence = (forward.segmentSequence[0] - forward.baseSequence) & MASK_32;
            long lastSequence = (forward.segmentNextSequence[0] - forward.baseSequence) & MASK_32;
            for (int i = 1; i < forward.segmentCount; i++) {
                lastSequence = Math.max(lastSequence, (forward.segmentNextSequence[i] - forward.baseSequence) & MASK_32);
                firstSequence = Math.min(firstSequence, (forward.segmentSequence[i] - forward.baseSequence) & MASK_32);
            }
            // What the other side's latest SACK blocks report received is not in flight (unsigned, as Wireshark's).
            long inFlight = (lastSequence - firstSequence - reverse.sackedBytes) & MASK_32;
            if (inFlight > 0 && inFlight < 2_000_000_000L) {
                result.present = true;
                result.bytesInFlight = syn || fin ? inFlight - 1 : inFlight;
            }
            boolean push = (flags & TcpPacket.FLAG_PSH) != 0;
            if (push && !forward.pushSetLast) {
                forward.pushBytesSent += segmentLength;
                forward.pushSetLast = true;
            } else if (push) {
                forward.pushBytesSent = segmentLength;
            } else if (forward.pushSetLast) {
                forward.pushBytesSent = segmentLength;
                forward.pushSetLast = false;
            } else {
                forward.pushBytesSent += segmentLength;
            }
            result.present = true;
            result.pushBytesSent = forward.pushBytesSent;
        }
        return result;
    }

    /** Data (or SYN, FIN) that does not advance the sequence: spurious, fast, out-of-order or plain retransmission. */
    private static void classifyRepeatedData(Result result, TcpConversations.Conversation conversation, TcpConversations.Direction forward,
                                             TcpConversations.Direction reverse, int flags, long sequence, int segmentLength, long now) {
        if ((result.flags & KEEP_ALIVE) != 0) {
            return;
        }
        long expected = forward.nextSequence;
        boolean notAdvanced = expected != 0 && TcpSeqNumber.after(expected, sequence);
        // More than one byte starting one before the next sequence number adds new data (after a zero window probe).
        if (segmentLength > 1 && ((expected - 1) & MASK_32) == sequence) {
            notAdvanced = false;
        }
        if (segmentLength > 0 && reverse.lastAck != 0 && !TcpSeqNumber.after((sequence + segmentLength) & MASK_32, reverse.lastAck)) {
            result.flag(SPURIOUS_RETRANSMISSION);
            return;
        }
        if (notAdvanced && reverse.duplicateAckCount >= 2 && reverse.lastAck == sequence
                && now - reverse.lastAckTime < FAST_RETRANSMISSION_WINDOW_NANOS) {
            result.flag(FAST_RETRANSMISSION);
            return;
        }
        long threshold = conversation.initialRttNanos > 0 ? conversation.initialRttNanos : DEFAULT_OUT_OF_ORDER_NANOS;
        int synOrFin = (flags & (TcpPacket.FLAG_SYN | TcpPacket.FLAG_FIN)) != 0 ? 1 : 0;
        if (notAdvanced && now - forward.nextSequenceTime < threshold && expected != ((sequence + segmentLength + synOrFin) & MASK_32)) {
            result.flag(OUT_OF_ORDER);
            return;
        }
        if (notAdvanced) {
            result.flag(RETRANSMISSION);
            // The RTO from the oldest unacknowledged segment, the one most likely sent again here.
            if (forward.segmentCount > 0) {
                result.rtoNanos = now - forward.segmentTime[0];
                result.rtoFrame = forward.segmentFrame[0];
            } else {
                result.rtoNanos = now - forward.nextSequenceTime;
                result.rtoFrame = forward.nextSequenceFrame;
            }
        }
    }

    /** The Info column's notes, prepended as Wireshark's col_prepend_fence_fstr does (the last one printed comes first). */
    static void prependInfo(StringBuilder info, Result result) {
        int flags = result.flags;
        if (flags == 0) {
            return;
        }
        StringBuilder notes = result.notes;
        notes.setLength(0);
        // Built in reverse of Wireshark's printing order, since each of its notes goes in front of the others.
        if ((flags & ZERO_WINDOW_PROBE_ACK) != 0) {
            notes.append("[TCP ZeroWindowProbeAck] ");
        }
        if ((flags & ZERO_WINDOW) != 0) {
            notes.append("[TCP ZeroWindow] ");
        }
        if ((flags & ZERO_WINDOW_PROBE) != 0) {
            notes.append("[TCP ZeroWindowProbe] ");
        }
        if ((flags & DUPLICATE_ACK_SENT) != 0 && result.duplicateAckNumber != 0) {
            notes.append("[TCP Dup ACK ").append(result.duplicateAckFrame).append('#').append(result.duplicateAckNumber).append("] ");
        }
        if ((flags & KEEP_ALIVE_ACK) != 0) {
            notes.append("[TCP Keep-Alive ACK] ");
        }
        if ((flags & KEEP_ALIVE) != 0) {
            notes.append("[TCP Keep-Alive] ");
        }
        if ((flags & WINDOW_FULL) != 0) {
            notes.append("[TCP Window Full] ");
        }
        if ((flags & WINDOW_UPDATE) != 0) {
            notes.append("[TCP Window Update] ");
        }
        if ((flags & ACK_LOST_PACKET) != 0) {
            notes.append("[TCP ACKed unseen segment] ");
        }
        if ((flags & LOST_PACKET) != 0) {
            notes.append("[TCP Previous segment not captured] ");
        }
        if ((flags & OUT_OF_ORDER) != 0) {
            notes.append("[TCP Out-Of-Order] ");
        }
        if ((flags & SPURIOUS_RETRANSMISSION) != 0) {
            notes.append("[TCP Spurious Retransmission] ");
        }
        if ((flags & FAST_RETRANSMISSION) != 0) {
            notes.append("[TCP Fast Retransmission] ");
        }
        if ((flags & RETRANSMISSION) != 0) {
            notes.append("[TCP Retransmission] ");
        }
        info.insert(0, notes);
    }

    /** The "SEQ/ACK analysis" subtree, in tcp_print_sequence_number_analysis's order. */
    static void addTree(DissectionContext ctx, FieldNode tcp, int offset, TcpConversations.Conversation conversation, Result result) {
        FieldNode node = ctx.add(tcp, ANALYSIS, offset, 0).generated();
        if (result.acksFrame != 0) {
            ctx.add(node, ACKS_FRAME, offset, 0, result.acksFrame).generated();
            if (result.ackRttNanos != 0) {
                ctx.add(node, ACK_RTT, offset, 0, result.ackRttNanos).text(FrameDissector.SECONDS_LINE).generated();
            }
        }
        if (conversation.initialRttNanos > 0) {
            ctx.add(node, INITIAL_RTT, offset, 0, conversation.initialRttNanos).text(INITIAL_RTT_LINE).generated();
        }
        if (result.bytesInFlight != 0) {
            ctx.add(node, BYTES_IN_FLIGHT, offset, 0, result.bytesInFlight).generated();
            ctx.add(node, PUSH_BYTES_SENT, offset, 0, result.pushBytesSent).generated();
        }
        int flags = result.flags;
        if (flags == 0) {
            return;
        }
        FieldNode flagsNode = ctx.add(node, FLAGS, offset, 0).generated();
        if ((flags & RETRANSMISSION) != 0) {
            expert(ctx, flagsNode, offset, "Note/Sequence", EXPERT_RETRANSMISSION);
            if (result.rtoNanos != 0) {
                ctx.add(flagsNode, RTO, offset, 0, result.rtoNanos).text(FrameDissector.SECONDS_LINE).generated();
                ctx.add(flagsNode, RTO_FRAME, offset, 0, result.rtoFrame).generated();
            }
        }
        if ((flags & FAST_RETRANSMISSION) != 0) {
            expert(ctx, flagsNode, offset, "Note/Sequence", EXPERT_FAST_RETRANSMISSION);
            expert(ctx, flagsNode, offset, "Note/Sequence", EXPERT_RETRANSMISSION);
        }
        if ((flags & SPURIOUS_RETRANSMISSION) != 0) {
            expert(ctx, flagsNode, offset, "Note/Sequence", EXPERT_SPURIOUS_RETRANSMISSION);
            expert(ctx, flagsNode, offset, "Note/Sequence", EXPERT_RETRANSMISSION);
        }
        if ((flags & OUT_OF_ORDER) != 0) {
            expert(ctx, flagsNode, offset, "Warning/Sequence", EXPERT_OUT_OF_ORDER);
        }
        if ((flags & LOST_PACKET) != 0) {
            expert(ctx, flagsNode, offset, "Warning/Sequence", EXPERT_LOST_SEGMENT);
        }
        if ((flags & ACK_LOST_PACKET) != 0) {
            expert(ctx, flagsNode, offset, "Warning/Sequence", EXPERT_ACK_LOST_SEGMENT);
        }
        if ((flags & WINDOW_UPDATE) != 0) {
            expert(ctx, flagsNode, offset, "Chat/Sequence", EXPERT_WINDOW_UPDATE);
        }
        if ((flags & WINDOW_FULL) != 0) {
            expert(ctx, flagsNode, offset, "Warning/Sequence", EXPERT_WINDOW_FULL);
        }
        if ((flags & KEEP_ALIVE) != 0) {
            expert(ctx, flagsNode, offset, "Note/Sequence", EXPERT_KEEP_ALIVE);
        }
        if ((flags & KEEP_ALIVE_ACK) != 0) {
            expert(ctx, flagsNode, offset, "Note/Sequence", EXPERT_KEEP_ALIVE_ACK);
        }
        if (result.duplicateAckNumber != 0) {
            if ((flags & DUPLICATE_ACK_SENT) != 0) {
                ctx.add(flagsNode, DUPLICATE_ACK, offset, 0).generated().text("This is a TCP duplicate ack");
            }
            ctx.add(node, DUPLICATE_ACK_NUMBER, offset, 0, result.duplicateAckNumber).generated();
            FieldNode frame = ctx.add(node, DUPLICATE_ACK_FRAME, offset, 0, result.duplicateAckFrame).generated();
            ctx.addExpert(frame, offset, 0, "Note/Sequence", "Duplicate ACK (#" + result.duplicateAckNumber + ")", DUPLICATE_ACK);
        }
        if ((flags & ZERO_WINDOW_PROBE) != 0) {
            expert(ctx, flagsNode, offset, "Note/Sequence", EXPERT_ZERO_WINDOW_PROBE);
        }
        if ((flags & ZERO_WINDOW) != 0) {
            expert(ctx, flagsNode, offset, "Warning/Sequence", EXPERT_ZERO_WINDOW);
        }
        if ((flags & ZERO_WINDOW_PROBE_ACK) != 0) {
            expert(ctx, flagsNode, offset, "Note/Sequence", EXPERT_ZERO_WINDOW_PROBE_ACK);
        }
    }

    private static void expert(DissectionContext ctx, FieldNode parent, int offset, String severityAndGroup, FieldDef note) {
        ctx.addExpert(parent, offset, 0, severityAndGroup, note.label(), note);
    }
}
