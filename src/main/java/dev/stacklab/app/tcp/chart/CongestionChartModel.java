package dev.stacklab.app.tcp.chart;

import dev.stacklab.stack.tcp.TcpEvent;
import dev.stacklab.stack.tcp.TcpSnapshot;

import java.util.List;

/**
 * Our end's congestion control over time, from the TCB snapshots its events carry (RFC 5681): the congestion window,
 * the slow-start threshold (once it is finite) and the bytes in flight, in seconds since data was first in flight. Plain Java; bounded by {@link #POINTS} per series.
 */
public final class CongestionChartModel {
    public static final int POINTS = 4096;

    private final BoundedSeries congestionWindow = new BoundedSeries(POINTS);
    private final BoundedSeries slowStartThreshold = new BoundedSeries(POINTS);
    private final BoundedSeries inFlight = new BoundedSeries(POINTS);
    private final List<ChartSeries> series = List.of(
            new ChartSeries("cwnd", ChartSeries.Style.STEP, "chart-series-1", congestionWindow),
            new ChartSeries("ssthresh", ChartSeries.Style.STEP, "chart-series-2", slowStartThreshold),
            new ChartSeries("bytes in flight", ChartSeries.Style.STEP, "chart-series-3", inFlight));
    private long connectionId = -1;
    private long startNanos;
    private boolean started;
    private long retransmissions;
    private long lastCongestionWindow = -1;
    private long lastThreshold = -1;
    private long lastInFlight = -1;

    /** Follows connection {@code id} from now (-1: none), forgetting the one before. */
    public void follow(long id) {
        if (id == connectionId) {
            return;
        }
        connectionId = id;
        congestionWindow.clear();
        slowStartThreshold.clear();
        inFlight.clear();
        started = false;
        retransmissions = 0;
        lastCongestionWindow = lastThreshold = lastInFlight = -1;
    }

    public long connectionId() {
        return connectionId;
    }

    /** Takes the TCB an event of the followed connection carries; true when the chart changed. */
    public boolean accept(TcpEvent event) {
        if (event.connectionId() != connectionId) {
            return false;
        }
        TcpSnapshot snapshot = null;
        if (event instanceof TcpEvent.StateChanged changed) {
            snapshot = changed.snapshot();
        } else if (event instanceof TcpEvent.Retransmitted retransmitted) {
            retransmissions++;
            snapshot = retransmitted.snapshot();
        } else if (event instanceof TcpEvent.SnapshotTaken taken) {
            snapshot = taken.snapshot();
        }
        if (snapshot == null) {
            return false;
        }
        if (!started) {
            // The chart starts with the first data in flight (more than a SYN's or a FIN's one): the handshake and
            // the idle time before the user sends a block say nothing about congestion control.
            if (snapshot.bytesInFlight() <= 1) {
                return false;
            }
            started = true;
            startNanos = event.timeNanos();
        }
        double seconds = (event.timeNanos() - startNanos) / 1e9;
        boolean changed = false;
        // Only changes become points: a bulk transfer's thousand snapshots a second mostly repeat cwnd.
        if (snapshot.congestionWindow() != lastCongestionWindow) {
            lastCongestionWindow = snapshot.congestionWindow();
            congestionWindow.add(seconds, lastCongestionWindow);
            changed = true;
        }
        long threshold = snapshot.slowStartThreshold();
        if (threshold < Integer.MAX_VALUE && threshold != lastThreshold) {
            lastThreshold = threshold;
            slowStartThreshold.add(seconds, threshold);
            changed = true;
        }
        if (snapshot.bytesInFlight() != lastInFlight) {
            lastInFlight = snapshot.bytesInFlight();
            inFlight.add(seconds, lastInFlight);
            changed = true;
        }
        return changed;
    }

    public List<ChartSeries> series() {
        return series;
    }

    public long retransmissions() {
        return retransmissions;
    }

    public boolean isEmpty() {
        return congestionWindow.isEmpty();
    }
}
