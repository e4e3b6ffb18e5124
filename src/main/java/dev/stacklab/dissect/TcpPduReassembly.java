package dev.stacklab.dissect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Wireshark 4.0's TCP desegmentation (desegment_tcp with its default preferences: out-of-order reassembly off,
 * tcp_no_subdissector_on_error on) in one pass. A protocol above TCP that finds its message (PDU) runs past the end of
 * a segment says how much more it needs ({@link DissectionContext#desegmentLength}, from
 * {@link DissectionContext#desegmentOffset}); a multi-segment PDU then covers the sequence numbers from its start to
 * the end it announced. Every later segment of the direction that falls inside it is added at its place, in whatever
 * order it comes (a segment after a lost one is kept, the retransmission fills the hole), and shows "TCP segment data"
 * and "[TCP segment of a reassembled PDU]"; the segment that makes the bytes contiguous up to the end shows
 * "[n Reassembled TCP Segments (...)]" and the message dissected from the reassembled bytes. What tshark's sequence
 * analysis calls a retransmission is not added again ("Retransmitted TCP segment data"), and a segment out of order
 * or retransmitted is not handed to the protocol above on its own.
 *
 * <p>Bounded: the segments being collected hold at most {@link #MAX_BYTES} bytes between them (the oldest message is
 * given up beyond it, its segments then dissected as if new), a message is started only when its part in the first
 * segment is at most {@link #MAX_FIRST_PART} bytes (as in Wireshark), and each direction remembers at most
 * {@link #MAX_PDUS_PER_DIRECTION} messages, the lowest forgotten first.
 */
final class TcpPduReassembly {
    /** Wireshark's DESEGMENT_ONE_MORE_SEGMENT: "I don't know how much more, give me the next segment too". */
    static final int ONE_MORE_SEGMENT = -1;
    static final int MAX_BYTES = 32 * 1024 * 1024;
    static final int MAX_FIRST_PART = 1024 * 1024;
    static final int MAX_PDUS_PER_DIRECTION = 1024;
    private static final long MASK_32 = 0xFFFF_FFFFL;

    static final FieldDef SEGMENT_DATA = FieldDef.bytes("tcp.segment_data", "TCP segment data");
    static final FieldDef SEGMENTS = FieldDef.none("tcp.segments", "Reassembled TCP Segments");
    static final FieldDef SEGMENT = FieldDef.frameNumber("tcp.segment", "TCP Segment");
    static final FieldDef SEGMENT_COUNT = FieldDef.uint("tcp.segment.count", "Segment count");
    static final FieldDef REASSEMBLED_IN = FieldDef.frameNumber("tcp.reassembled_in", "Reassembled PDU in frame");
    static final FieldDef REASSEMBLED_LENGTH = FieldDef.uint("tcp.reassembled.length", "Reassembled TCP length");
    static final FieldDef REASSEMBLED_DATA = FieldDef.bytes("tcp.reassembled.data", "Reassembled TCP Data");
    static final List<FieldDef> FIELDS = List.of(SEGMENT_DATA, SEGMENTS, SEGMENT, SEGMENT_COUNT, REASSEMBLED_IN, REASSEMBLED_LENGTH,
            REASSEMBLED_DATA);

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

    /** One segment's part of a message: Wireshark's fragment_item. */
    private record Fragment(int frame, int offset, int length, byte[] bytes) {
    }

    /** A message spanning segments (Wireshark's tcp_multisegment_pdu with its fragment_head), by relative sequence numbers. */
    static final class Pdu {
        final TcpConversations.Direction direction;
        final long start;
        /** Just past the message's end as far as it is known. */
        long next;
        final int firstFrame;
        int lastFrame;
        /** The protocol asked for the whole of the next segment, however long (DESEGMENT_ONE_MORE_SEGMENT). */
        boolean entireSegment;
        /** Sorted by offset, later ones after earlier ones at the same offset (Wireshark's LINK_FRAG). */
        final List<Fragment> fragments = new ArrayList<>(4);
        /** The length the last segment set (FD_DATALEN_SET), or -1. */
        long totalLength = -1;
        /** How far the bytes are contiguous from the start. */
        long contiguous;
        /** Reassembled, but the protocol wanted more: the next segment reopens it (FD_PARTIAL_REASSEMBLY). */
        boolean partial;
        int reassembledIn;
        long held;
        boolean forgotten;

        Pdu(TcpConversations.Direction direction, long start, long next, int firstFrame) {
            this.direction = direction;
            this.start = start;
            this.next = next;
            this.firstFrame = firstFrame;
            this.lastFrame = firstFrame;
        }

        boolean covers(long sequence) {
            return start <= sequence && sequence < next;
        }
    }

    private final LinkedHashSet<Pdu> collecting = new LinkedHashSet<>();
    private long heldBytes;

    /**
     * The payload of a segment ({@code sequence} relative to the direction's first) handed to {@code dissector} as
     * tshark does it. {@code analysisFlags} are the segment's {@link TcpSequenceAnalysis} flags: a retransmission is
     * shown as retransmitted data (the caller leaves spurious ones alone), an out-of-order segment is only added to a
     * message it falls in.
     */
    void dissect(DissectionContext ctx, FieldNode tcp, TcpConversations.Conversation conversation, TcpConversations.Direction forward,
                 boolean fromClient, long sequence, int offset, int length, int analysisFlags, PduDissector dissector) {
        boolean outOfOrder = (analysisFlags & TcpSequenceAnalysis.OUT_OF_ORDER) != 0;
        boolean retransmission = (analysisFlags & TcpSequenceAnalysis.RETRANSMISSION) != 0;
        long seq = sequence;
        long nextSeq = sequence + length;
        int end = offset + length;
        int at = offset;
        boolean firstPdu = true;
        while (true) {
            ctx.desegmentOffset = 0;
            ctx.desegmentLength = 0;
            int lastFragmentLength = 0;
            boolean mustDesegment = false;
            boolean calledDissector = false;
            int anotherPduFollows = 0;
            int desegmentAt = at;
            Pdu completed = null;
            Pdu pdu = forward.pdus == null ? null : forward.pdus.get(seq);
            if (pdu != null && nextSeq <= pdu.next && pdu.lastFrame != ctx.frameNumber) {
                // A message's first segment seen again: nothing new for the protocol above.
                addSegmentData(ctx, tcp, at, end - at, pdu.firstFrame == ctx.frameNumber ? "" : "Retransmitted ");
                return;
            }
            if (retransmission) {
                // tshark's sequence analysis says this data was sent before: it is not added a second time.
                addSegmentData(ctx, tcp, at, end - at, "Retransmitted ");
                return;
            }
            if (pdu == null && forward.pdus != null) {
                Map.Entry<Long, Pdu> before = forward.pdus.floorEntry(seq - 1);
                pdu = before == null ? null : before.getValue();
            }
            if (pdu != null && pdu.covers(seq)) {
                pdu.lastFrame = ctx.frameNumber;
                int take = pdu.entireSegment ? end - at : (int) (Math.min(nextSeq, pdu.next) - seq);
                lastFragmentLength = take;
                boolean complete = add(ctx, pdu, at, (int) (seq - pdu.start), take, nextSeq < pdu.next);
                if (pdu.forgotten) {
                    // Given up at the bound: from here on the segments are dissected as if new.
                    pdu = null;
                    complete = false;
                } else if (complete && pdu.entireSegment) {
                    pdu.entireSegment = false;
                    pdu.next = Math.max(pdu.next, nextSeq);
                }
                if (pdu != null && pdu.next < nextSeq && pdu.next >= seq && take > 0) {
                    anotherPduFollows = (int) (pdu.next - seq);
                }
                completed = complete ? pdu : null;
            } else {
                calledDissector = true;
                if (!outOfOrder) {
                    dissector.dissect(ctx, ctx.root, at, end - at, conversation, fromClient);
                }
                if (ctx.desegmentLength != 0) {
                    mustDesegment = true;
                    desegmentAt = at + ctx.desegmentOffset;
                }
            }

            if (completed != null && completed.reassembledIn == ctx.frameNumber) {
                byte[] bytes = reassembled(completed);
                int reassembledLength = bytes.length;
                byte[] frameData = ctx.data;
                int previous = ctx.pushDataSource("Reassembled TCP (" + reassembledLength + " bytes)", bytes, reassembledLength);
                // Wireshark moves the list to just after TCP's tree, before the protocol above.
                FieldNode list = addFragmentTree(ctx, completed, reassembledLength);
                ctx.desegmentOffset = 0;
                ctx.desegmentLength = 0;
                // An out-of-order segment completing a message: tcp_no_subdissector_on_error keeps it from the protocol above.
                if (!outOfOrder) {
                    dissector.dissect(ctx, ctx.root, 0, reassembledLength, conversation, fromClient);
                }
                ctx.popDataSource(previous, frameData);
                calledDissector = true;
                if (ctx.desegmentLength != 0) {
                    if (ctx.desegmentOffset == 0) {
                        // Not all of it yet: the same message waits for more, and tshark shows no reassembly here.
                        if (list != null) {
                            ctx.root.truncateFrom(list);
                        }
                        completed.partial = true;
                        completed.reassembledIn = 0;
                        extend(completed, seq, lastFragmentLength, end - at, ctx.desegmentLength);
                    } else {
                        // A message complete, and the start of the next one in the same bytes.
                        Pdu rest = new Pdu(forward, completed.start + ctx.desegmentOffset, completed.next, ctx.frameNumber);
                        extend(rest, seq, lastFragmentLength, end - at, ctx.desegmentLength);
                        byte[] restBytes = Arrays.copyOfRange(bytes, ctx.desegmentOffset, reassembledLength);
                        rest.fragments.add(new Fragment(ctx.frameNumber, 0, restBytes.length, restBytes));
                        rest.contiguous = restBytes.length;
                        finish(completed);
                        store(forward, rest);
                        hold(rest, restBytes.length);
                    }
                    anotherPduFollows = 0;
                    at += lastFragmentLength;
                    seq += lastFragmentLength;
                    if (at < end) {
                        firstPdu = false;
                        continue;
                    }
                } else {
                    addSegmentData(ctx, tcp, at, anotherPduFollows > 0 ? anotherPduFollows : end - at, "");
                    finish(completed);
                }
            }

            if (mustDesegment) {
                long desegmentSeq = seq + (desegmentAt - at);
                if (nextSeq - desegmentSeq <= MAX_FIRST_PART) {
                    long pduEnd = ctx.desegmentLength == ONE_MORE_SEGMENT ? nextSeq + 1 : nextSeq + ctx.desegmentLength;
                    Pdu started = new Pdu(forward, desegmentSeq, pduEnd, ctx.frameNumber);
                    started.entireSegment = ctx.desegmentLength == ONE_MORE_SEGMENT;
                    store(forward, started);
                    add(ctx, started, desegmentAt, 0, (int) (nextSeq - desegmentSeq), nextSeq < pduEnd);
                }
            }

            if (!calledDissector || ctx.desegmentLength != 0) {
                if (completed != null && completed.reassembledIn != 0 && completed.reassembledIn != ctx.frameNumber && !completed.partial) {
                    FieldNode in = ctx.add(tcp, REASSEMBLED_IN, 0, 0, completed.reassembledIn);
                    if (in != null) {
                        in.generated();
                    }
                }
                if (ctx.desegmentOffset == 0) {
                    ctx.setProtocol("TCP");
                    if (firstPdu) {
                        appendNote(ctx);
                    }
                }
                addSegmentData(ctx, tcp, desegmentAt, anotherPduFollows > 0 ? anotherPduFollows : end - desegmentAt, "");
            }
            ctx.desegmentOffset = 0;
            ctx.desegmentLength = 0;
            if (anotherPduFollows == 0) {
                return;
            }
            // What follows the message in this segment: the columns keep what is there (col_set_fence).
            ctx.fenceColumnsForNextPdu();
            firstPdu = false;
            at += anotherPduFollows;
            seq += anotherPduFollows;
        }
    }

    /** Wireshark's new msp->nxtpdu after the reassembled bytes turned out to need {@code wanted} more. */
    private static void extend(Pdu pdu, long seq, int lastFragmentLength, int segmentRemaining, int wanted) {
        if (wanted == ONE_MORE_SEGMENT) {
            pdu.next = Math.max(seq + segmentRemaining, pdu.next) + 1;
            pdu.entireSegment = true;
        } else if (seq + lastFragmentLength >= pdu.next) {
            pdu.next = seq + lastFragmentLength + wanted;
        } else {
            pdu.next += wanted;
        }
    }

    /**
     * Wireshark's fragment_add: puts a segment's part at its offset; true when the message is complete (now, or
     * before).
     */
    private boolean add(DissectionContext ctx, Pdu pdu, int from, int offset, int count, boolean moreFollow) {
        if (pdu.forgotten) {
            return false;
        }
        if (pdu.reassembledIn != 0 && !pdu.partial) {
            return true;
        }
        if (pdu.partial) {
            pdu.partial = false;
            pdu.totalLength = -1;
            pdu.reassembledIn = 0;
        }
        byte[] bytes = Arrays.copyOfRange(ctx.data, from, from + count);
        int index = pdu.fragments.size();
        while (index > 0 && pdu.fragments.get(index - 1).offset() > offset) {
            index--;
        }
        pdu.fragments.add(index, new Fragment(ctx.frameNumber, offset, count, bytes));
        // Segments mostly come in order: the contiguous part grows from this one over those after it.
        for (int i = index; i < pdu.fragments.size() && pdu.fragments.get(i).offset() <= pdu.contiguous; i++) {
            Fragment each = pdu.fragments.get(i);
            pdu.contiguous = Math.max(pdu.contiguous, (long) each.offset() + each.length());
        }
        hold(pdu, count);
        if (pdu.forgotten) {
            return false;
        }
        if (!moreFollow && pdu.totalLength < 0) {
            pdu.totalLength = (long) offset + count;
        }
        if (pdu.totalLength < 0 || pdu.contiguous < pdu.totalLength) {
            return false;
        }
        pdu.reassembledIn = ctx.frameNumber;
        return true;
    }

    /** The message's bytes from its segments, in order of offset, each byte from the first segment that had it. */
    private static byte[] reassembled(Pdu pdu) {
        byte[] bytes = new byte[(int) pdu.totalLength];
        int filled = 0;
        for (Fragment fragment : pdu.fragments) {
            int fragmentEnd = Math.min(fragment.offset() + fragment.length(), bytes.length);
            if (fragmentEnd > filled && fragment.offset() <= filled) {
                System.arraycopy(fragment.bytes(), filled - fragment.offset(), bytes, filled, fragmentEnd - filled);
                filled = fragmentEnd;
            }
        }
        return bytes;
    }

    /** "[3 Reassembled TCP Segments (4200 bytes): #4(1448), #6(1448), #7(1304)]" and its list, in the reassembled source. */
    private static FieldNode addFragmentTree(DissectionContext ctx, Pdu pdu, int length) {
        if (ctx.root == null) {
            return null;
        }
        StringBuilder heading = new StringBuilder(64).append(pdu.fragments.size()).append(" Reassembled TCP Segments (")
                .append(length).append(" bytes): ");
        for (int i = 0; i < pdu.fragments.size(); i++) {
            Fragment fragment = pdu.fragments.get(i);
            heading.append(i == 0 ? "#" : ", #").append(fragment.frame()).append('(').append(fragment.length()).append(')');
        }
        FieldNode list = ctx.add(ctx.root, SEGMENTS, 0, length);
        if (list != null) {
            // Cut as Wireshark cuts a label at ITEM_LABEL_LENGTH.
            list.generated().text(heading.length() > LABEL_LENGTH ? heading.substring(0, LABEL_LENGTH) : heading.toString());
        }
        for (Fragment fragment : pdu.fragments) {
            FieldNode node = ctx.add(list, SEGMENT, fragment.offset(), fragment.length(), fragment.frame());
            if (node != null) {
                node.generated().text("Frame: " + fragment.frame() + ", payload: " + fragment.offset() + "-"
                        + (fragment.offset() + fragment.length() - 1) + " (" + fragment.length() + (fragment.length() == 1 ? " byte)" : " bytes)"));
            }
        }
        if (list != null) {
            ctx.add(list, SEGMENT_COUNT, 0, 0, pdu.fragments.size()).generated();
            ctx.add(list, REASSEMBLED_LENGTH, 0, 0, length).generated();
            ctx.addBytes(list, REASSEMBLED_DATA, 0, length).generated();
        }
        return list;
    }

    /** Wireshark's pdu_store_sequencenumber_of_next_pdu: a message starting at the same number replaces the one before. */
    private void store(TcpConversations.Direction direction, Pdu pdu) {
        if (direction.pdus == null) {
            direction.pdus = new TreeMap<>();
        }
        Pdu replaced = direction.pdus.put(pdu.start, pdu);
        if (replaced != null && replaced != pdu) {
            forget(replaced);
        }
        while (direction.pdus.size() > MAX_PDUS_PER_DIRECTION) {
            forget(direction.pdus.firstEntry().getValue());
        }
    }

    private void hold(Pdu pdu, int count) {
        pdu.held += count;
        heldBytes += count;
        collecting.add(pdu);
        Iterator<Pdu> oldest = collecting.iterator();
        while (heldBytes > MAX_BYTES && oldest.hasNext()) {
            Pdu given = oldest.next();
            oldest.remove();
            release(given);
            given.forgotten = true;
            if (given.direction.pdus != null && given.direction.pdus.get(given.start) == given) {
                given.direction.pdus.remove(given.start);
            }
        }
    }

    /** A message dissected whole: its bytes go, what it covered stays (a segment of it seen again is known). */
    private void finish(Pdu pdu) {
        release(pdu);
        collecting.remove(pdu);
        pdu.fragments.replaceAll(fragment -> new Fragment(fragment.frame(), fragment.offset(), fragment.length(), null));
    }

    private void forget(Pdu pdu) {
        collecting.remove(pdu);
        release(pdu);
        pdu.forgotten = true;
        if (pdu.direction.pdus != null && pdu.direction.pdus.get(pdu.start) == pdu) {
            pdu.direction.pdus.remove(pdu.start);
        }
    }

    private void release(Pdu pdu) {
        heldBytes -= pdu.held;
        pdu.held = 0;
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

    private static void addSegmentData(DissectionContext ctx, FieldNode tcp, int offset, int length, String prefix) {
        FieldNode node = ctx.addBytes(tcp, SEGMENT_DATA, offset, length);
        if (node != null) {
            node.text(prefix + "TCP segment data (" + length + " byte" + (length == 1 ? "" : "s") + ")");
        }
    }
}
