package dev.stacklab.stack.tcp;

import dev.stacklab.wire.TcpSeqNumber;

import java.util.ArrayList;
import java.util.List;

/**
 * What a connection received and its application has not read, in one bounded ring: in-order bytes
 * first, then room for the rest of the window, where segments that arrived out of order are written
 * at their place (as smoltcp's assembler does). The free part of the ring is the receive window
 * (RFC 9293 section 3.8.6.2.2), so nothing the window admits can fail to fit.
 *
 * <p>Out-of-order ranges are kept as absolute sequence numbers, newest-touched first available for
 * SACK blocks (RFC 2018 section 4: the first block reports the most recently received segment).
 */
final class ReceiveBuffer {
    /** More holes than this and a new disjoint out-of-order segment is dropped (the sender will resend it). */
    static final int MAXIMUM_OUT_OF_ORDER_RANGES = 32;

    /** One run of out-of-order bytes, [left, right) in sequence space. */
    static final class Range {
        int left;
        int right;
        long touched;

        Range(int left, int right, long touched) {
            this.left = left;
            this.right = right;
            this.touched = touched;
        }
    }

    /** The ring's array starts this small and grows to {@link #capacity} as data needs it. */
    static final int INITIAL_BYTES = 2048;

    private final int capacity;
    private byte[] ring;
    private int head;
    private int readable;
    /** Sorted by left edge, disjoint and not adjacent. */
    private final List<Range> outOfOrder = new ArrayList<>();
    private long touchCounter;

    /**
     * A buffer that may hold {@code capacity} bytes. The array behind it grows only as far as data arrives: a thousand
     * connections that exchange a few bytes each hold a few KiB each, not their whole windows.
     */
    ReceiveBuffer(int capacity) {
        this.capacity = capacity;
        this.ring = new byte[Math.min(capacity, INITIAL_BYTES)];
    }

    int capacity() {
        return capacity;
    }

    /** Makes the array hold at least {@code bytes} from the head, keeping every byte at its distance from the head. */
    private void ensureRoom(int bytes) {
        if (bytes <= ring.length) {
            return;
        }
        byte[] grown = new byte[(int) Math.min(capacity, Math.max(bytes, 2L * ring.length))];
        int first = ring.length - head;
        System.arraycopy(ring, head, grown, 0, first);
        System.arraycopy(ring, 0, grown, first, head);
        ring = grown;
        head = 0;
    }

    /** In-order bytes the application may read. */
    int readable() {
        return readable;
    }

    /** Bytes of room beyond the in-order data: the most the receive window may be. */
    int free() {
        return capacity - readable;
    }

    int outOfOrderRanges() {
        return outOfOrder.size();
    }

    int outOfOrderBytes() {
        int total = 0;
        for (Range range : outOfOrder) {
            total += range.right - range.left;
        }
        return total;
    }

    /**
     * Stores {@code count} bytes of the segment's payload starting at payload index {@code from},
     * whose first byte has sequence number {@code sequence}, given that RCV.NXT is {@code nextExpected}.
     * The caller has trimmed the data to the window, so {@code sequence - nextExpected + count <= free()}.
     *
     * @return how far RCV.NXT moves: 0 when the data was out of order (or duplicated), -1 when it was
     *         dropped because too many holes exist
     */
    int accept(int nextExpected, int sequence, IncomingSegment segment, int from, int count) {
        int offset = sequence - nextExpected;
        if (offset > 0 && !fitsRangeList(sequence, sequence + count)) {
            return -1;
        }
        ensureRoom(readable + offset + count);
        int position = (head + readable + offset) % ring.length;
        int first = Math.min(count, ring.length - position);
        segment.copyPayload(from, ring, position, first);
        segment.copyPayload(from + first, ring, 0, count - first);
        if (offset > 0) {
            addRange(sequence, sequence + count);
            return 0;
        }
        int end = sequence + count;
        // The in-order edge now reaches end; swallow every out-of-order range it touches.
        while (!outOfOrder.isEmpty() && TcpSeqNumber.atOrBefore(outOfOrder.get(0).left, end)) {
            Range range = outOfOrder.remove(0);
            if (TcpSeqNumber.after(range.right, end)) {
                end = range.right;
            }
        }
        int advance = end - nextExpected;
        readable += advance;
        return advance;
    }

    private boolean fitsRangeList(int left, int right) {
        if (outOfOrder.size() < MAXIMUM_OUT_OF_ORDER_RANGES) {
            return true;
        }
        for (Range range : outOfOrder) {
            if (TcpSeqNumber.atOrBefore(range.left, right) && TcpSeqNumber.atOrAfter(range.right, left)) {
                return true;
            }
        }
        return false;
    }

    private void addRange(int left, int right) {
        long touched = ++touchCounter;
        int index = 0;
        while (index < outOfOrder.size() && TcpSeqNumber.before(outOfOrder.get(index).right, left)) {
            index++;
        }
        // Merge every range from index on that overlaps or touches [left, right).
        while (index < outOfOrder.size() && TcpSeqNumber.atOrBefore(outOfOrder.get(index).left, right)) {
            Range overlapping = outOfOrder.remove(index);
            if (TcpSeqNumber.before(overlapping.left, left)) {
                left = overlapping.left;
            }
            if (TcpSeqNumber.after(overlapping.right, right)) {
                right = overlapping.right;
            }
        }
        outOfOrder.add(index, new Range(left, right, touched));
    }

    /** Up to {@code limit} out-of-order ranges, most recently added to first (RFC 2018 section 4). */
    List<Range> rangesNewestFirst(int limit) {
        List<Range> sorted = new ArrayList<>(outOfOrder);
        sorted.sort((a, b) -> Long.compare(b.touched, a.touched));
        return sorted.subList(0, Math.min(limit, sorted.size()));
    }

    /** Copies up to {@code count} in-order bytes to {@code target}; returns how many. */
    int read(byte[] target, int offset, int count) {
        int taken = Math.min(count, readable);
        int first = Math.min(taken, ring.length - head);
        System.arraycopy(ring, head, target, offset, first);
        System.arraycopy(ring, 0, target, offset + first, taken - first);
        head = (head + taken) % ring.length;
        readable -= taken;
        return taken;
    }
}
