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

    /** Records [left, right) as held by the peer, if it lies in (SND.UNA, highest sent]. */
    void add(int left, int right, int unacknowledged, int highestSent) {
        if (!TcpSeqNumber.before(left, right) || TcpSeqNumber.before(left, unacknowledged)
                || TcpSeqNumber.after(right, highestSent)) {
            return; // RFC 2018 section 5: blocks outside the window are ignored (and RFC 2883 D-SACKs below SND.UNA)
        }
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
