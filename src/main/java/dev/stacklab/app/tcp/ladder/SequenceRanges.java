package dev.stacklab.app.tcp.ladder;

import java.util.Map;
import java.util.TreeMap;

/**
 * The sequence space one end has sent, as disjoint ranges [start, end) merged as they touch: a connection with a few
 * losses holds a few ranges, whatever its length. Tells a retransmission (all of it sent before) from a segment that
 * fills a gap for the first time (out of order).
 */
final class SequenceRanges {
    private final TreeMap<Long, Long> ranges = new TreeMap<>();

    /** Whether [start, end) was sent before, all of it. */
    boolean covers(long start, long end) {
        Map.Entry<Long, Long> below = ranges.floorEntry(start);
        return below != null && below.getValue() >= end;
    }

    void add(long start, long end) {
        long from = start;
        long to = end;
        Map.Entry<Long, Long> below = ranges.floorEntry(start);
        if (below != null && below.getValue() >= start) {
            from = below.getKey();
            to = Math.max(to, below.getValue());
        }
        for (Map.Entry<Long, Long> next = ranges.ceilingEntry(from); next != null && next.getKey() <= to;
             next = ranges.ceilingEntry(from)) {
            to = Math.max(to, next.getValue());
            ranges.remove(next.getKey());
        }
        ranges.put(from, to);
    }

    int size() {
        return ranges.size();
    }
}
