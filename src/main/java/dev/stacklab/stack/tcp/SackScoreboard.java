package dev.stacklab.stack.tcp;

import dev.stacklab.wire.TcpSeqNumber;

import java.util.ArrayList;
import java.util.List;

/**
 * What the peer's SACK blocks say it holds above SND.UNA (RFC 2018 section 5), so that a
 * retransmission skips data that arrived. Bounded: beyond {@link #MAXIMUM_RANGES} the oldest
 * information is forgotten, which only costs a needless retransmission.
 */
final class SackScoreboard {
    static final int MAXIMUM_RANGES = 16;

    private final List<int[]> ranges = new ArrayList<>();

    /**
     * Records [left, right) as held by the peer, if it lies in (SND.UNA, highest sent].
     *
     * @return whether it SACKed bytes not SACKed before: what makes the ACK a duplicate ACK in RFC 6675's sense
     *         (section 2), whatever else it carries
     */
    boolean add(int left, int right, int unacknowledged, int highestSent) {
        if (!TcpSeqNumber.before(left, right) || TcpSeqNumber.before(left, unacknowledged)
                || TcpSeqNumber.after(right, highestSent)) {
            return false; // RFC 2018 section 5: blocks outside the window are ignored (and RFC 2883 D-SACKs below SND.UNA)
        }
        long heldBefore = heldBytes();
        int index = 0;
        while (index < ranges.size() && TcpSeqNumber.before(ranges.get(index)[1], left)) {
            index++;
        }
        while (index < ranges.size() && TcpSeqNumber.atOrBefore(ranges.get(index)[0], right)) {
            int[] overlapping = ranges.remove(index);
            if (TcpSeqNumber.before(overlapping[0], left)) {
                left = overlapping[0];
            }
            if (TcpSeqNumber.after(overlapping[1], right)) {
                right = overlapping[1];
            }
        }
        ranges.add(index, new int[]{left, right});
        if (ranges.size() > MAXIMUM_RANGES) {
            ranges.remove(ranges.size() - 1);
        }
        return heldBytes() > heldBefore;
    }

    /** SND.UNA moved: forget what it covers. */
    void acknowledgedUpTo(int unacknowledged) {
        while (!ranges.isEmpty()) {
            int[] first = ranges.get(0);
            if (TcpSeqNumber.atOrBefore(first[1], unacknowledged)) {
                ranges.remove(0);
            } else {
                if (TcpSeqNumber.before(first[0], unacknowledged)) {
                    first[0] = unacknowledged;
                }
                return;
            }
        }
    }

    /** The end of the SACKed range holding {@code sequence}, or {@code sequence} itself when the peer does not hold it. */
    int skipHeld(int sequence) {
        for (int[] range : ranges) {
            if (TcpSeqNumber.within(sequence, range[0], range[1])) {
                return range[1];
            }
        }
        return sequence;
    }

    /** The start of the first SACKed range after {@code sequence}, or {@code limit} when there is none before it. */
    int nextHeldAfter(int sequence, int limit) {
        for (int[] range : ranges) {
            if (TcpSeqNumber.after(range[0], sequence) && TcpSeqNumber.before(range[0], limit)) {
                return range[0];
            }
        }
        return limit;
    }

    /** The end of the highest SACKed range ("the highest octet covered by any received SACK" plus one), or {@code fallback}. */
    int highestSacked(int fallback) {
        return ranges.isEmpty() ? fallback : ranges.get(ranges.size() - 1)[1];
    }

    /**
     * Where RFC 6675's IsLost() stops holding: every octet below the returned sequence number that is not SACKed is
     * lost, every one at or above it is not (section 4, IsLost: lost when {@code duplicateThreshold} discontiguous
     * SACKed ranges lie above it, or more than (DupThresh - 1) * SMSS SACKed bytes). Walking down from the highest
     * range, it is the left edge of the highest range at which either count is reached; {@code unacknowledged} (no
     * loss) when none is.
     */
    int lossBoundary(int unacknowledged, int duplicateThreshold, int mss) {
        long bytesAbove = 0;
        for (int index = ranges.size() - 1; index >= 0; index--) {
            int[] range = ranges.get(index);
            bytesAbove += range[1] - range[0];
            int rangesAbove = ranges.size() - index;
            if (rangesAbove >= duplicateThreshold || bytesAbove > (long) (duplicateThreshold - 1) * mss) {
                return range[0];
            }
        }
        return unacknowledged;
    }

    /** Bytes in [from, to) that no SACKed range covers. */
    long unsackedBytes(int from, int to) {
        if (!TcpSeqNumber.before(from, to)) {
            return 0;
        }
        long total = to - from;
        for (int[] range : ranges) {
            int left = TcpSeqNumber.after(range[0], from) ? range[0] : from;
            int right = TcpSeqNumber.before(range[1], to) ? range[1] : to;
            if (TcpSeqNumber.before(left, right)) {
                total -= right - left;
            }
        }
        return total;
    }

    /**
     * The highest octet not SACKed below {@code highestSent} plus one, or {@code unacknowledged} when everything
     * outstanding is SACKed: RFC 6675 NextSeg() rule (4) retransmits the segment holding it.
     */
    int highestUnsackedEnd(int unacknowledged, int highestSent) {
        int end = highestSent;
        for (int index = ranges.size() - 1; index >= 0; index--) {
            int[] range = ranges.get(index);
            if (range[1] == end) {
                end = range[0];
            } else {
                break;
            }
        }
        return TcpSeqNumber.after(end, unacknowledged) ? end : unacknowledged;
    }

    /** The start of the gap (unSACKed octets) that ends at {@code end}: the end of the SACKed range below it, or {@code floor}. */
    int gapStartBelow(int end, int floor) {
        int start = floor;
        for (int[] range : ranges) {
            if (TcpSeqNumber.atOrBefore(range[1], end) && TcpSeqNumber.after(range[1], start)) {
                start = range[1];
            }
        }
        return start;
    }

    long heldBytes() {
        long total = 0;
        for (int[] range : ranges) {
            total += range[1] - range[0];
        }
        return total;
    }

    boolean isEmpty() {
        return ranges.isEmpty();
    }

    void clear() {
        ranges.clear();
    }
}
