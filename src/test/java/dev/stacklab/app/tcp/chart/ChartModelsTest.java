package dev.stacklab.app.tcp.chart;

import dev.stacklab.stack.tcp.TcpEvent;
import dev.stacklab.stack.tcp.TcpState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The charts' bounded series. The models on real frames and events: {@code ChartsFromSimulationTest}. */
class ChartModelsTest {
    @Test
    void aSeriesStaysWithinItsCapacityKeepingTheLastPointAndTheFlaggedOnes() {
        BoundedSeries series = new BoundedSeries(100);
        for (int i = 0; i < 100_000; i++) {
            series.add(i, i * 2.0, i * 2.0 + 1, i % 5000 == 0);
        }
        assertThat(series.size()).isLessThanOrEqualTo(100).isGreaterThanOrEqualTo(50);
        assertThat(series.x(series.size() - 1)).as("the newest point stays").isEqualTo(99_999);
        assertThat(series.x(0)).as("the first point stays: the chart still starts at the start").isZero();
        assertThat(series.thinned()).isEqualTo(100_000 - series.size());
        for (int i = 1; i < series.size(); i++) {
            assertThat(series.x(i)).as("still in order").isGreaterThan(series.x(i - 1));
            assertThat(series.y(i)).isEqualTo(series.x(i) * 2.0);
            assertThat(series.top(i)).isEqualTo(series.y(i) + 1);
        }
        long flagged = java.util.stream.IntStream.range(0, series.size()).filter(series::flagged).count();
        assertThat(flagged).as("flagged points (retransmissions) are all kept while they fit").isEqualTo(20);
    }

    @Test
    void aSeriesOfFlaggedPointsOnlyStillStaysBounded() {
        BoundedSeries series = new BoundedSeries(16);
        for (int i = 0; i < 1000; i++) {
            series.add(i, i, i, true);
        }
        assertThat(series.size()).isLessThanOrEqualTo(16);
        assertThat(series.x(series.size() - 1)).isEqualTo(999);
    }

    @Test
    void ticksAreRoundNumbersOfSecondsAndBytes() {
        assertThat(TimeChart.niceStep(0.13)).isEqualTo(0.2);
        assertThat(TimeChart.niceStep(3.1)).isEqualTo(5);
        assertThat(TimeChart.niceBytes(300_000)).isEqualTo(500 * 1024);
        assertThat(TimeChart.bytes(512 * 1024, 128 * 1024)).isEqualTo("512 KiB");
        assertThat(TimeChart.bytes(1.5 * 1024 * 1024, 512 * 1024)).isEqualTo("1.5 MiB");
        assertThat(TimeChart.bytes(1024 * 1024, 512 * 1024)).as("one unit on an axis").isEqualTo("1 MiB");
        assertThat(TimeChart.seconds(0.25, 0.05)).isEqualTo("0.25");
    }

    @Test
    void theCongestionChartFollowsOnlyItsConnectionAndDropsInfiniteThresholds() {
        CongestionChartModel model = new CongestionChartModel();
        model.follow(7);
        assertThat(model.accept(new TcpEvent.StateChanged(0, 8, null, TcpState.CLOSED, TcpState.SYN_SENT, null, null,
                null))).as("another connection").isFalse();
        assertThat(model.isEmpty()).isTrue();
    }
}
