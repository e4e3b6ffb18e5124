package dev.stacklab.dissect;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Wireshark 4.0's TCP desegmentation (desegment_pdus) in one pass: a protocol above TCP that finds its message
 * (PDU) runs past the end of a segment says how much more it needs ({@link DissectionContext#desegmentLength},
 * from {@link DissectionContext#desegmentOffset}); the segment then shows "TCP segment data" and "[TCP segment of a
 * reassembled PDU]", the following segments of its direction are collected, and the segment that completes the
 * message shows "[n Reassembled TCP Segments (...)]" and the message dissected from the reassembled bytes.
 *
 * <p>Bounded: the messages being collected hold at most {@link #MAX_BYTES} bytes between them (a message announcing a
 * huge length grows only as its bytes arrive, and the oldest are given up beyond the bound), and one message at most
 * {@link #MAX_PDU_LENGTH}. A given-up message's segments show as plain TCP data from then on.
 */
final class TcpPduReassembly {
    /** Wireshark's DESEGMENT_ONE_MORE_SEGMENT: "I don't know how much more, give me the next segment too". */
    static final int ONE_MORE_SEGMENT = -1;
    static final int MAX_BYTES = 32 * 1024 * 1024;
    static final int MAX_PDU_LENGTH = 16 * 1024 * 1024;
    private static final long MASK_32 = 0xFFFF_FFFFL;

    static final FieldDef SEGMENT_DATA = FieldDef.bytes("tcp.segment_data", "TCP segment data");
    static final FieldDef SEGMENTS = FieldDef.none("tcp.segments", "Reassembled TCP Segments");
    static final FieldDef SEGMENT = FieldDef.frameNumber("tcp.segment", "TCP Segment");
    static final FieldDef SEGMENT_COUNT = FieldDef.uint("tcp.segment.count", "Segment count");
    static final FieldDef REASSEMBLED_LENGTH = FieldDef.uint("tcp.reassembled.length", "Reassembled TCP length");
    static final FieldDef REASSEMBLED_DATA = FieldDef.bytes("tcp.reassembled.data", "Reassembled TCP Data");
    static final List<FieldDef> FIELDS = List.of(SEGMENT_DATA, SEGMENTS, SEGMENT, SEGMENT_COUNT, REASSEMBLED_LENGTH, REASSEMBLED_DATA);

    private static final NodeText SEGMENT_DATA_LINE = node -> "TCP segment data (" + node.length() + " byte"
            + (node.length() == 1 ? "" : "s") + ")";
    private static final int LABEL_LENGTH = 239;
    private static final String SEGMENT_NOTE = "[TCP segment of a reassembled PDU]";

    /** A protocol that runs over TCP and can ask for more of the stream (HTTP, TLS, ...). */
    interface PduDissector {
        /**
         * Dissects the PDUs in {@code [offset, offset + length)} of {@code ctx.data}; when the last one is cut short, sets
         * {@code ctx.desegmentOffset} to where it starts and {@code ctx.desegmentLength} to the bytes still missing
         * (or {@link #ONE_MORE_SEGMENT}).
         */
        void dissect(DissectionContext ctx, FieldNode parent, int offset, int length, TcpConversations.Conversation conversation,
                     boolean fromClient);
    }

    /** One message being collected in one direction. */
    static final class Pending {
        final long startSequence;
        /** Raw sequence number just past the message, or -1 while it waits for one more segment. */
        long endSequence;
        long nextSequence;
        byte[] bytes;
        int length;
        final List<int[]> segments = new ArrayList<>(4); // {frame, offset, length}
        boolean abandoned;

        Pending(long startSequence) {
            this.startSequence = startSequence;
            this.nextSequence = startSequence;
        }
    }

    private final LinkedHashSet<Pending> pending = new LinkedHashSet<>();
    private long heldBytes;

    /**
     * The payload of an in-order segment handed to {@code dissector} as tshark does it, with the segments before it in
     * the same message. {@code forward} holds the direction's message being collected.
     */
    void dissect(DissectionContext ctx, FieldNode tcp, TcpConversations.Conversation conversation, TcpConversations.Direction forward,
                 boolean fromClient, long sequence, int offset, int length, PduDissector dissector) {
        Pending message = forward.pendingPdu;
        if (message != null && (message.abandoned || message.nextSequence != sequence)) {
            // Given up, or a gap or overlap before this segment: tshark would wait for the hole to be filled; one pass
            // starts again from this segment instead.
            forget(message);
            forward.pendingPdu = null;
            message = null;
        }
        int at = offset;
        int remaining = length;
        if (message != null) {
            boolean complete = message.endSequence < 0 || !after(message.endSequence, (sequence + remaining) & MASK_32);
            int take = message.endSequence < 0 ? remaining : (int) Math.min(remaining, (message.endSequence - sequence) & MASK_32);
            if (!append(ctx, message, at, complete ? take : remaining)) {
                forward.pendingPdu = null;
                DataDissector.dissect(ctx, ctx.root, at, remaining);
                return;
            }
            addSegmentData(ctx, tcp, at, complete ? take : remaining);
            if (!complete) {
                appendNote(ctx);
                return;
            }
            forward.pendingPdu = null;
            dissectReassembled(ctx, tcp, conversation, forward, fromClient, message, dissector);
            at += take;
            remaining -= take;
            sequence = (sequence + take) & MASK_32;
            if (remaining == 0 || forward.pendingPdu != null) {
                return;
            }
        }
        ctx.desegmentOffset = 0;
        ctx.desegmentLength = 0;
        dissector.dissect(ctx, ctx.root, at, remaining, conversation, fromClient);
        if (ctx.desegmentLength != 0) {
            int start = at + ctx.desegmentOffset;
            int held = at + remaining - start;
            Pending next = new Pending((sequence + ctx.desegmentOffset) & MASK_32);
            next.endSequence = ctx.desegmentLength == ONE_MORE_SEGMENT ? -1 : (sequence + remaining + ctx.desegmentLength) & MASK_32;
            if (ctx.desegmentLength != ONE_MORE_SEGMENT && ctx.desegmentLength > MAX_PDU_LENGTH) {
                return;
            }
            pending.add(next);
            if (append(ctx, next, start, held)) {
                forward.pendingPdu = next;
            }
            addSegmentData(ctx, tcp, start, held);
            if (ctx.desegmentOffset == 0) {
                ctx.setProtocol("TCP");
                appendNote(ctx);
            }
        }
    }

    /** The message is complete: its segments listed, then dissected again from its own bytes. */
    private void dissectReassembled(DissectionContext ctx, FieldNode tcp, TcpConversations.Conversation conversation,
                                    TcpConversations.Direction forward, boolean fromClient, Pending message, PduDissector dissector) {
        byte[] bytes = message.bytes;
        int length = message.length;
        byte[] frameData = ctx.data;
        int previous = ctx.pushDataSource("Reassembled TCP (" + length + " bytes)", bytes, length);
        FieldNode list = null;
        if (ctx.root != null) {
            StringBuilder heading = new StringBuilder(64).append(message.segments.size()).append(" Reassembled TCP Segments (")
                    .append(length).append(" bytes): ");
            for (int i = 0; i < message.segments.size(); i++) {
                int[] segment = message.segments.get(i);
                heading.append(i == 0 ? "#" : ", #").append(segment[0]).append('(').append(segment[2]).append(')');
            }
            list = ctx.add(ctx.root, SEGMENTS, 0, length);
            if (list != null) {
                // Cut as Wireshark cuts a label at ITEM_LABEL_LENGTH.
                list.generated().text(heading.length() > LABEL_LENGTH ? heading.substring(0, LABEL_LENGTH) : heading.toString());
            }
            for (int[] segment : message.segments) {
                FieldNode node = ctx.add(list, SEGMENT, segment[1], segment[2], segment[0]);
                if (node != null) {
                    node.generated().text("Frame: " + segment[0] + ", payload: " + segment[1] + "-" + (segment[1] + segment[2] - 1)
                            + " (" + segment[2] + " bytes)");
                }
            }
            if (list != null) {
                ctx.add(list, SEGMENT_COUNT, 0, 0, message.segments.size()).generated();
                ctx.add(list, REASSEMBLED_LENGTH, 0, 0, length).generated();
                ctx.addBytes(list, REASSEMBLED_DATA, 0, length).generated();
            }
        }
        ctx.desegmentOffset = 0;
        ctx.desegmentLength = 0;
        dissector.dissect(ctx, ctx.root, 0, length, conversation, fromClient);
        ctx.popDataSource(previous, frameData);
        if (ctx.desegmentLength != 0) {
            if (ctx.desegmentOffset == 0) {
                // Still not all of it: the same message waits for more, and tshark shows no reassembly yet.
                if (list != null && ctx.root != null) {
                    ctx.root.truncateFrom(list);
                }
                message.endSequence = ctx.desegmentLength == ONE_MORE_SEGMENT ? -1
                        : (message.startSequence + length + ctx.desegmentLength) & MASK_32;
                if (ctx.desegmentLength == ONE_MORE_SEGMENT || ctx.desegmentLength <= MAX_PDU_LENGTH) {
                    forward.pendingPdu = message;
                    pending.add(message);
                } else {
                    forget(message);
                }
                ctx.setProtocol("TCP");
                appendNote(ctx);
            } else {
                // A message complete, and the start of the next one in the same bytes.
                Pending next = new Pending((message.startSequence + ctx.desegmentOffset) & MASK_32);
                next.endSequence = ctx.desegmentLength == ONE_MORE_SEGMENT ? -1
                        : (message.startSequence + length + ctx.desegmentLength) & MASK_32;
                int[] last = message.segments.get(message.segments.size() - 1);
                next.bytes = java.util.Arrays.copyOfRange(bytes, ctx.desegmentOffset, length);
                next.length = length - ctx.desegmentOffset;
                next.nextSequence = message.nextSequence;
                next.segments.add(new int[]{last[0], 0, next.length});
                forget(message);
                pending.add(next);
                heldBytes += next.bytes.length;
                forward.pendingPdu = next;
            }
        } else {
            forget(message);
        }
    }

    /** Adds a segment's bytes to a message; false when the bound was reached and the message was given up. */
    private boolean append(DissectionContext ctx, Pending message, int from, int count) {
        int needed = message.length + count;
        if (needed > MAX_PDU_LENGTH) {
            forget(message);
            return false;
        }
        if (message.bytes == null || needed > message.bytes.length) {
            int capacity = Math.max(needed, message.bytes == null ? Math.max(count, 256) : message.bytes.length * 2);
            capacity = Math.min(capacity, MAX_PDU_LENGTH);
            heldBytes += capacity - (message.bytes == null ? 0 : message.bytes.length);
            message.bytes = message.bytes == null ? new byte[capacity] : java.util.Arrays.copyOf(message.bytes, capacity);
        }
        System.arraycopy(ctx.data, from, message.bytes, message.length, count);
        message.segments.add(new int[]{ctx.frameNumber, message.length, count});
        message.length = needed;
        message.nextSequence = (message.nextSequence + count) & MASK_32;
        evictBeyondBounds(message);
        return !message.abandoned;
    }

    private void evictBeyondBounds(Pending keep) {
        Iterator<Pending> oldest = pending.iterator();
        while (heldBytes > MAX_BYTES && oldest.hasNext()) {
            Pending message = oldest.next();
            oldest.remove();
            release(message);
            if (message == keep) {
                break;
            }
        }
    }

    private void forget(Pending message) {
        pending.remove(message);
        release(message);
    }

    private void release(Pending message) {
        if (!message.abandoned && message.bytes != null) {
            heldBytes -= message.bytes.length;
        }
        message.abandoned = true;
        message.bytes = null;
    }

    long bytesHeld() {
        return heldBytes;
    }

    /** Wireshark's col_append_sep_str: the separator only after something. */
    private static void appendNote(DissectionContext ctx) {
        StringBuilder info = ctx.appendInfo();
        if (info.length() > 0) {
            info.append(' ');
        }
        info.append(SEGMENT_NOTE);
    }

    private static void addSegmentData(DissectionContext ctx, FieldNode tcp, int offset, int length) {
        FieldNode node = ctx.addBytes(tcp, SEGMENT_DATA, offset, length);
        if (node != null) {
            node.text(SEGMENT_DATA_LINE);
        }
    }

    /** Whether raw sequence number a is after b, modulo 2^32. */
    private static boolean after(long a, long b) {
        return (int) (a - b) > 0;
    }
}
