package dev.stacklab.app.tcp.chart;

import dev.stacklab.app.tcp.ladder.LadderMark;
import dev.stacklab.app.tcp.ladder.LadderSegment;

import java.util.List;

/**
 * The sequence-number-over-time chart of Stevens and tcptrace for the connection the ladder shows: each data segment
 * as a bar from its first to one past its last sequence number (retransmissions flagged), the receiver's
 * acknowledgments as a step line under them and the right edge of its window (ACK + window) above. The direction
 * drawn is the one that has sent more data (the bulk sender). Sequence numbers are relative, as in the ladder.
 * Plain Java; bounded by {@link #POINTS} per series.
 */
public final class SequenceChartModel {
    public static final int POINTS = 8192;

    /** One direction's series: what one end sends, and what the other acknowledges and offers. */
    private static final class Direction {
        final BoundedSeries data = new BoundedSeries(POINTS);
        final BoundedSeries acknowledged = new BoundedSeries(POINTS);
        final BoundedSeries windowEdge = new BoundedSeries(POINTS);
        final List<ChartSeries> series = List.of(
                new ChartSeries("data segments (red: retransmitted)", ChartSeries.Style.BARS, "chart-series-1", data),
                new ChartSeries("ACK", ChartSeries.Style.STEP, "chart-series-3", acknowledged),
                new ChartSeries("receive window's edge", ChartSeries.Style.STEP, "chart-series-4", windowEdge));
        long bytes;
        long lastAck = -1;
        long lastEdge = -1;

        void clear() {
            data.clear();
            acknowledged.clear();
            windowEdge.clear();
            bytes = 0;
            lastAck = lastEdge = -1;
        }
    }

    private final Direction fromA = new Direction();
    private final Direction fromB = new Direction();
    private long startNanos;

    /** Starts again for a connection whose first segment was captured at {@code startNanos}. */
    public void reset(long startNanos) {
        this.startNanos = startNanos;
        fromA.clear();
        fromB.clear();
    }

    public void accept(LadderSegment segment) {
        double seconds = (segment.timeNanos() - startNanos) / 1e9;
        Direction sent = segment.fromA() ? fromA : fromB;
        Direction acknowledgedBy = segment.fromA() ? fromB : fromA;
        if (segment.length() > 0) {
            sent.bytes += segment.length();
            boolean resent = segment.has(LadderMark.RETRANSMISSION) || segment.has(LadderMark.FAST_RETRANSMISSION);
            sent.data.add(seconds, segment.sequence(), segment.sequence() + segment.length(), resent);
        }
        if (segment.acknowledgment() >= 0 && !segment.has(LadderMark.LOST)) {
            // This end acknowledges the other's data: the other direction's ACK line and window edge.
            long edge = segment.acknowledgment() + segment.window();
            if (segment.acknowledgment() != acknowledgedBy.lastAck) {
                acknowledgedBy.lastAck = segment.acknowledgment();
                acknowledgedBy.acknowledged.add(seconds, segment.acknowledgment());
            }
            if (edge != acknowledgedBy.lastEdge) {
                acknowledgedBy.lastEdge = edge;
                acknowledgedBy.windowEdge.add(seconds, edge);
            }
        }
    }

    /** Whether the chart shows end A's data (else B's): the direction that has sent more. */
    public boolean showsA() {
        return fromA.bytes >= fromB.bytes;
    }

    public List<ChartSeries> series() {
        return (showsA() ? fromA : fromB).series;
    }

    /** Data bytes sent in the direction shown. */
    public long bytesShown() {
        return (showsA() ? fromA : fromB).bytes;
    }

    public boolean isEmpty() {
        return fromA.data.isEmpty() && fromB.data.isEmpty();
    }
}
