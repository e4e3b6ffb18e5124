package dev.stacklab.app.tcp.chart;

import dev.stacklab.app.Notifier;
import dev.stacklab.app.tcp.ladder.LadderViewModel;
import dev.stacklab.app.tcp.ladder.SimulatedTransferAccess;
import dev.stacklab.link.ImpairmentSettings;
import dev.stacklab.stack.tcp.TcpEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Both charts from a real bulk transfer with loss between two stacks in the Simulation. */
class ChartsFromSimulationTest {
    private static final Notifier QUIET = new Notifier() {
        @Override
        public void error(String problem, String fix) {
            throw new AssertionError(problem);
        }

        @Override
        public void info(String message) {
        }
    };

    @Test
    void aLossyBulkTransferGivesASawtoothCwndAndASequenceChartWithItsRetransmissions() {
        SimulatedTransferAccess transfer = new SimulatedTransferAccess(11, ImpairmentSettings.NONE.withLoss(0.03));
        List<TcpEvent> events = new ArrayList<>();
        transfer.clientEvents(events::add);
        LadderViewModel ladder = new LadderViewModel(transfer.feed(), QUIET, Runnable::run, Runnable::run);
        List<Integer> blocks = new ArrayList<>();
        ChartsViewModel charts = new ChartsViewModel(ladder, bytes -> {
            blocks.add(bytes);
            return null;
        });
        long revision = charts.revisionProperty().get();
        transfer.transfer(400_000);
        long connection = transfer.clientConnectionId();
        charts.follow(connection);
        events.forEach(charts::tcpEvent);
        transfer.feedAll();

        CongestionChartModel congestion = charts.congestion();
        ChartSeries cwnd = congestion.series().get(0);
        ChartSeries ssthresh = congestion.series().get(1);
        assertThat(cwnd.points().size()).as("cwnd moved many times").isGreaterThan(20);
        assertThat(ssthresh.points().isEmpty()).as("a loss made ssthresh finite").isFalse();
        assertThat(congestion.retransmissions()).isPositive();
        boolean fell = false;
        for (int i = 1; i < cwnd.points().size(); i++) {
            fell |= cwnd.points().y(i) < cwnd.points().y(i - 1) / 1.5;
            assertThat(cwnd.points().x(i)).isGreaterThanOrEqualTo(cwnd.points().x(i - 1));
        }
        assertThat(fell).as("cwnd cut back after a loss").isTrue();

        SequenceChartModel sequence = charts.sequence();
        assertThat(sequence.showsA()).as("the client sent the bulk").isTrue();
        assertThat(sequence.bytesShown()).as("every byte, and the resent ones again").isGreaterThanOrEqualTo(400_000);
        BoundedSeries data = sequence.series().get(0).points();
        BoundedSeries acks = sequence.series().get(1).points();
        BoundedSeries edge = sequence.series().get(2).points();
        assertThat(java.util.stream.IntStream.range(0, data.size()).filter(data::flagged).count())
                .as("retransmissions flagged").isPositive();
        assertThat(acks.y(acks.size() - 1)).as("the last ACK covers the data and the FIN").isEqualTo(400_002);
        for (int i = 0; i < edge.size(); i++) {
            assertThat(edge.y(i)).as("the window's edge is above the ACK").isGreaterThan(0);
        }
        assertThat(charts.revisionProperty().get()).isGreaterThan(revision);

        charts.blockSizeProperty().set("12x");
        charts.sendBlock();
        assertThat(charts.messageProperty().get()).isEqualTo("Block size: '12x' is not a whole number of bytes from 1 to 67108864");
        charts.blockSizeProperty().set("5000");
        charts.sendBlock();
        assertThat(blocks).containsExactly(5000);
        assertThat(charts.messageProperty().get()).isNull();
    }
}
