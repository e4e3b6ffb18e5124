package dev.stacklab.dissect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Frames and bytes per interval of the capture, as tshark -z io,stat,INTERVAL[,FILTER]... and Wireshark's I/O Graph
 * count them: interval i holds the frames whose time is in [start + i * interval, start + (i + 1) * interval), so a
 * frame exactly on a boundary opens the next interval; bytes are frame lengths on the wire (frame.len), not what was
 * captured of them.
 *
 * <p>Memory grows with the number of intervals, never with the number of frames: two primitive arrays per column that
 * grow by doubling, 16 bytes per interval and column. A caller picks an interval that keeps {@link #intervals()}
 * reasonable for the capture's length (a day at 1 ms is 86.4 million intervals, 1.4 GB a column): tshark's and
 * Wireshark's own defaults are 1 s, or the whole capture as one interval.
 *
 * <p>Not thread-safe: one thread adds and reads.
 */
public final class IoStatistics {
    private static final int FIRST_CAPACITY = 64;
    /** The most intervals an array can hold; a frame further from the start is refused rather than counted wrong. */
    private static final int MAX_INTERVALS = Integer.MAX_VALUE - 8;

    private final long intervalNanos;
    private final long captureStartNanos;
    private final List<DisplayFilter> columnFilters;
    private final DisplayFilter[] filters;
    private long[][] frames;
    private long[][] bytes;
    private int intervals;

    /**
     * Counts in intervals of intervalNanos (> 0) from captureStartNanos (the capture's first frame); one column per
     * filter, a null filter meaning every frame (tshark's io,stat with no filter has one such column).
     */
    public IoStatistics(long intervalNanos, long captureStartNanos, List<DisplayFilter> columns) {
        if (intervalNanos <= 0) {
            throw new IllegalArgumentException("interval " + intervalNanos + " ns is not > 0");
        }
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("no columns: give a null filter for one counting every frame");
        }
        this.intervalNanos = intervalNanos;
        this.captureStartNanos = captureStartNanos;
        // A copy that keeps nulls (List.copyOf refuses them), so the caller's list may change afterwards.
        this.columnFilters = Collections.unmodifiableList(new ArrayList<>(columns));
        this.filters = columnFilters.toArray(new DisplayFilter[0]);
        this.frames = new long[filters.length][FIRST_CAPACITY];
        this.bytes = new long[filters.length][FIRST_CAPACITY];
    }

    /**
     * Adds one frame, in capture order, with its full tree (Dissector.dissect): each column whose filter matches counts
     * it. A frame timed before the capture's start (a clock stepped back) counts in the first interval; one earlier
     * than frames already added counts in its own interval.
     *
     * @throws IllegalArgumentException if the frame lies more intervals from the start than an array can hold
     */
    public void add(long timestampNanos, FrameTree tree) {
        int interval = intervalOf(timestampNanos);
        ensureCapacity(interval + 1);
        long length = frameLength(tree);
        for (int column = 0; column < filters.length; column++) {
            DisplayFilter filter = filters[column];
            if (filter == null || filter.matches(tree)) {
                frames[column][interval]++;
                bytes[column][interval] += length;
            }
        }
        // A frame no column counts still lengthens the capture: the intervals up to it exist, with zeros.
        intervals = Math.max(intervals, interval + 1);
    }

    public long intervalNanos() {
        return intervalNanos;
    }

    /** The capture's first frame's time, from which interval 0 starts. */
    public long captureStartNanos() {
        return captureStartNanos;
    }

    public int columns() {
        return filters.length;
    }

    /** The filters of the columns, in order; null for a column counting every frame. */
    public List<DisplayFilter> columnFilters() {
        return columnFilters;
    }

    /** How many intervals from the start to the last frame added (0 before any frame). */
    public int intervals() {
        return intervals;
    }

    /** Frames of that column in that interval (0 &lt;= interval &lt; {@link #intervals()}). */
    public long frames(int column, int interval) {
        checkInterval(interval);
        return frames[column][interval];
    }

    /** Bytes on the wire (frame.len) of the frames of that column in that interval. */
    public long bytes(int column, int interval) {
        checkInterval(interval);
        return bytes[column][interval];
    }

    /** The interval a frame of that time falls in. */
    private int intervalOf(long timestampNanos) {
        long sinceStart = timestampNanos - captureStartNanos;
        if (sinceStart <= 0) {
            return 0;
        }
        long interval = sinceStart / intervalNanos;
        if (interval >= MAX_INTERVALS) {
            throw new IllegalArgumentException("a frame " + sinceStart + " ns after the start is " + interval
                    + " intervals of " + intervalNanos + " ns away: more than can be counted; choose a longer interval");
        }
        return (int) interval;
    }

    private void ensureCapacity(int needed) {
        int capacity = frames[0].length;
        if (needed <= capacity) {
            return;
        }
        int grown = (int) Math.min(MAX_INTERVALS, Math.max((long) capacity * 2, needed));
        for (int column = 0; column < filters.length; column++) {
            frames[column] = Arrays.copyOf(frames[column], grown);
            bytes[column] = Arrays.copyOf(bytes[column], grown);
        }
    }

    private void checkInterval(int interval) {
        if (interval < 0 || interval >= intervals) {
            throw new IndexOutOfBoundsException("interval " + interval + " of " + intervals);
        }
    }

    /** frame.len: the frame's length on the wire, which a snap length may have cut the captured bytes short of. */
    private static long frameLength(FrameTree tree) {
        FieldNode frame = tree.firstLayer();
        FieldNode length = frame == null ? null : frame.child(FrameDissector.LENGTH);
        return length != null ? length.value() : tree.summary().length();
    }
}
