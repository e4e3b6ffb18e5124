package dev.stacklab.app.tcp.chart;

import java.util.Arrays;

/**
 * Points (x, y) in the order they arrive, at most {@code capacity} of them: when full, every other point is let go
 * (the last one always stays), so the whole run stays on the chart at half the detail, memory stays bounded and an
 * hour-long transfer costs as much as a minute's. A point may carry a flag (a retransmitted segment, say).
 */
public final class BoundedSeries {
    private final int capacity;
    private double[] xs = new double[64];
    private double[] ys = new double[64];
    private double[] tops = new double[64];
    private boolean[] flags = new boolean[64];
    private int size;
    /** Points let go so far. */
    private long thinned;

    public BoundedSeries(int capacity) {
        if (capacity < 4) {
            throw new IllegalArgumentException("capacity " + capacity + " < 4");
        }
        this.capacity = capacity;
    }

    public void add(double x, double y) {
        add(x, y, y, false);
    }

    /** A point with a vertical extent (a segment from its first to one past its last sequence number). */
    public void add(double x, double y, double top, boolean flag) {
        if (size == capacity) {
            thin();
        }
        if (size == xs.length) {
            int grown = Math.min(capacity, size * 2);
            xs = Arrays.copyOf(xs, grown);
            ys = Arrays.copyOf(ys, grown);
            tops = Arrays.copyOf(tops, grown);
            flags = Arrays.copyOf(flags, grown);
        }
        xs[size] = x;
        ys[size] = y;
        tops[size] = top;
        flags[size] = flag;
        size++;
    }

    /** Keeps every other point, flagged ones and the last one always. */
    private void thin() {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (i % 2 == 0 || flags[i] || i == size - 1) {
                xs[kept] = xs[i];
                ys[kept] = ys[i];
                tops[kept] = tops[i];
                flags[kept] = flags[i];
                kept++;
            }
        }
        if (kept >= capacity) {
            // Flagged points alone fill it: let the oldest half go instead.
            int drop = capacity / 2;
            System.arraycopy(xs, drop, xs, 0, kept - drop);
            System.arraycopy(ys, drop, ys, 0, kept - drop);
            System.arraycopy(tops, drop, tops, 0, kept - drop);
            System.arraycopy(flags, drop, flags, 0, kept - drop);
            kept -= drop;
        }
        thinned += size - kept;
        size = kept;
    }

    public void clear() {
        size = 0;
        thinned = 0;
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return capacity;
    }

    public long thinned() {
        return thinned;
    }

    public double x(int index) {
        return xs[index];
    }

    public double y(int index) {
        return ys[index];
    }

    public double top(int index) {
        return tops[index];
    }

    public boolean flagged(int index) {
        return flags[index];
    }

    public boolean isEmpty() {
        return size == 0;
    }
}
