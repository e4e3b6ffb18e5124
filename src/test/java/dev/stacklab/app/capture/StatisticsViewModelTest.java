package dev.stacklab.app.capture;

import dev.stacklab.app.capture.CaptureTestSupport.CollectingNotifier;
import dev.stacklab.app.capture.CaptureTestSupport.UiQueue;
import dev.stacklab.capture.CaptureReader;
import dev.stacklab.dissect.CaptureStatistics;
import dev.stacklab.dissect.Conversation;
import dev.stacklab.dissect.ConversationType;
import dev.stacklab.dissect.Dissector;
import dev.stacklab.dissect.ExpertItem;
import dev.stacklab.dissect.FrameTree;
import dev.stacklab.dissect.IoStatistics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Statistics window's view-model without an FX thread: it gathers over the capture pane's frames what
 * {@link CaptureStatistics} gathers reading the file itself, limits to the display filter, and turns rows into filters
 * and selections. (CaptureStatistics' own numbers are held to tshark's -z output in the dissect tests.)
 */
class StatisticsViewModelTest {
    private static final Path LOSSY = Path.of("src/test/resources/dev/stacklab/dissect/http-lossy.pcap");
    private static final Path DNS = Path.of("src/test/resources/dev/stacklab/dissect/dns.pcap");

    private final CollectingNotifier notifier = new CollectingNotifier();
    private final UiQueue ui = new UiQueue();
    private final AtomicLong clock = new AtomicLong();
    private CaptureViewModel capture;

    @AfterEach
    void stop() {
        if (capture != null) {
            capture.shutdown();
        }
    }

    private CaptureViewModel opened(Path file) throws InterruptedException {
        capture = new CaptureViewModel(CaptureTestSupport.context(notifier), ui, 100_000, clock::get);
        capture.openFile(file);
        ui.runUntil(() -> capture.capturedCountProperty().get() > 0 && !capture.busyProperty().get());
        assertThat(notifier.errors).isEmpty();
        return capture;
    }

    private StatisticsViewModel gathered(StatisticsViewModel statistics) throws InterruptedException {
        statistics.refresh();
        assertThat(statistics.busyProperty().get()).isTrue();
        ui.runUntil(() -> !statistics.busyProperty().get());
        return statistics;
    }

    /** The file read straight through a dissector of its own: what the window must show. */
    private static CaptureStatistics readStraight(Path file) throws IOException {
        CaptureStatistics statistics = new CaptureStatistics();
        Dissector dissector = new Dissector();
        try (CaptureReader reader = CaptureReader.open(file)) {
            int number = 0;
            while (reader.next()) {
                dissector.linkType(reader.linkType());
                FrameTree tree = dissector.dissect(reader.timestampNanos(), reader.data(), reader.capturedLength(), reader.originalLength());
                statistics.add(++number, reader.timestampNanos(), tree);
            }
        }
        return statistics;
    }

    private static List<String> described(List<ExpertItem> items) {
        return items.stream().map(item -> item.severity() + "/" + item.group() + "/" + item.protocol() + ": " + item.summary()
                + " ×" + item.count() + " " + Arrays.toString(item.frameNumbers())).toList();
    }

    @Test
    void theWindowCountsWhatTheFileHolds() throws Exception {
        CaptureViewModel vm = opened(LOSSY);
        StatisticsViewModel statistics = gathered(new StatisticsViewModel(vm, StatisticsViewModel.Tab.EXPERT_INFORMATION));
        CaptureStatistics expected = readStraight(LOSSY);

        for (ConversationType type : ConversationType.values()) {
            assertThat(statistics.conversations(type)).as(type.label()).containsExactlyElementsOf(expected.conversations(type));
            assertThat(statistics.endpoints(type)).as(type.label()).containsExactlyElementsOf(expected.endpoints(type));
        }
        assertThat(statistics.hierarchyProperty().get()).isEqualTo(expected.protocolHierarchy());
        assertThat(described(statistics.expertItems())).isEqualTo(described(expected.expertItems()));
        // The lossy transfers are two TCP conversations (tshark -z conv,tcp) with retransmissions: the expert list says so.
        assertThat(statistics.conversations(ConversationType.TCP)).hasSize(2);
        assertThat(statistics.tabTitle(ConversationType.TCP, false)).isEqualTo("TCP · 2");
        assertThat(statistics.expertItems()).anySatisfy(item -> assertThat(item.summary()).containsIgnoringCase("retransmission"));
        assertThat(statistics.summaryProperty().get()).startsWith(String.format("%,d frames (all held), gathered at ", vm.capturedCountProperty().get()));
        assertThat(statistics.hierarchyProperty().get().frames()).isEqualTo(vm.capturedCountProperty().get());
    }

    @Test
    void limitedToTheDisplayFilterOnlyTheFramesShownCount() throws Exception {
        CaptureViewModel vm = opened(DNS);
        StatisticsViewModel statistics = gathered(new StatisticsViewModel(vm, StatisticsViewModel.Tab.CONVERSATIONS));
        assertThat(statistics.canLimitProperty().get()).as("no filter yet").isFalse();
        List<Conversation> all = List.copyOf(statistics.conversations(ConversationType.UDP));
        assertThat(all).hasSizeGreaterThan(2);

        // A conversation's own filter shows exactly its frames in the packet list.
        Conversation first = all.get(0);
        statistics.applyFilter(first.filter());
        ui.runUntil(() -> !vm.busyProperty().get() && vm.appliedFilterTextProperty().get().equals(first.filter()));
        assertThat(vm.displayedCountProperty().get()).isEqualTo((int) first.frames());

        statistics.limitToDisplayFilterProperty().set(true);
        assertThat(statistics.busyProperty().get()).as("limiting gathers again").isTrue();
        ui.runUntil(() -> !statistics.busyProperty().get());
        assertThat(statistics.canLimitProperty().get()).isTrue();
        assertThat(statistics.conversations(ConversationType.UDP)).containsExactly(first);
        assertThat(statistics.hierarchyProperty().get().frames()).isEqualTo(first.frames());
        assertThat(statistics.summaryProperty().get()).startsWith(first.frames() + " frames shown by display filter " + first.filter());

        // Unticked, everything counts again.
        statistics.limitToDisplayFilterProperty().set(false);
        ui.runUntil(() -> !statistics.busyProperty().get());
        assertThat(statistics.conversations(ConversationType.UDP)).containsExactlyElementsOf(all);
    }

    @Test
    void preparingAFilterOnlyFillsTheFieldAndAnExpertFrameIsSelected() throws Exception {
        CaptureViewModel vm = opened(LOSSY);
        StatisticsViewModel statistics = gathered(new StatisticsViewModel(vm, StatisticsViewModel.Tab.EXPERT_INFORMATION));
        Conversation only = statistics.conversations(ConversationType.TCP).get(0);
        statistics.prepareFilter(only.filter());
        assertThat(vm.filterTextProperty().get()).isEqualTo(only.filter());
        assertThat(vm.appliedFilterTextProperty().get()).isEmpty();

        ExpertItem warning = statistics.expertItems().stream().filter(item -> item.severity().equals("Warning")).findFirst().orElseThrow();
        int frame = warning.frameNumbers()[warning.frameNumbers().length - 1];
        statistics.selectFrame(frame);
        assertThat(vm.selectionRequestProperty().get()).containsExactly(frame);
    }

    @Test
    void aCancelledPassReportsNothing() throws Exception {
        CaptureViewModel vm = opened(LOSSY);
        StatisticsViewModel statistics = new StatisticsViewModel(vm, StatisticsViewModel.Tab.CONVERSATIONS);
        statistics.refresh();
        statistics.cancel();
        assertThat(statistics.busyProperty().get()).isFalse();
        // A second pass, asked for after the first was cancelled, is the only one that reports.
        StatisticsViewModel other = gathered(new StatisticsViewModel(vm, StatisticsViewModel.Tab.CONVERSATIONS));
        assertThat(other.conversations(ConversationType.TCP)).hasSize(2);
        assertThat(statistics.conversations(ConversationType.TCP)).isEmpty();
        assertThat(statistics.hierarchyProperty().get()).isNull();
    }

    @Test
    void tablesCopyAsCsv() throws Exception {
        CaptureViewModel vm = opened(DNS);
        StatisticsViewModel statistics = gathered(new StatisticsViewModel(vm, StatisticsViewModel.Tab.CONVERSATIONS));
        List<String> lines = statistics.conversationsCsv(ConversationType.UDP).lines().toList();
        assertThat(lines.get(0)).startsWith("Address A,Port A,Address B,Port B,Packets,Bytes,");
        assertThat(lines).hasSize(1 + statistics.conversations(ConversationType.UDP).size());
        Conversation first = statistics.conversations(ConversationType.UDP).get(0);
        assertThat(lines.get(1)).startsWith(first.addressA() + "," + StatisticsViewModel.port(first.portA()) + "," + first.addressB() + ","
                + StatisticsViewModel.port(first.portB()) + ","
                + first.frames() + "," + first.bytes() + ",");
        List<String> endpoints = statistics.endpointsCsv(ConversationType.IPV4).lines().toList();
        assertThat(endpoints.get(0)).isEqualTo("Address,Port,Packets,Bytes,Tx Packets,Tx Bytes,Rx Packets,Rx Bytes");
        assertThat(endpoints.get(1)).startsWith(statistics.endpoints(ConversationType.IPV4).get(0).address() + ",,");
    }

    /** The I/O graph: every frame counted once, the second line's filter as the packet list's, Auto's interval, a bad filter said. */
    @Test
    void theIoGraphCountsEveryFrameAndTheSecondLinesFilter() throws Exception {
        CaptureViewModel vm = opened(LOSSY);
        StatisticsViewModel statistics = gathered(new StatisticsViewModel(vm, StatisticsViewModel.Tab.IO_GRAPH));
        IoStatistics io = statistics.ioProperty().get();
        // The transfers span 2.53 s: Auto draws them in 10 ms steps (1 ms would be 2,530 points, over its 1,000).
        assertThat(io.intervalNanos()).isEqualTo(10_000_000L);
        assertThat(io.intervals()).isBetween(250, 260);
        assertThat(io.columns()).isEqualTo(2);
        assertThat(statistics.ioFilterCounted()).isEqualTo("tcp.analysis.flags");
        long all = 0;
        long flagged = 0;
        long bytes = 0;
        for (int i = 0; i < io.intervals(); i++) {
            all += io.frames(0, i);
            flagged += io.frames(1, i);
            bytes += io.bytes(0, i);
            assertThat(StatisticsViewModel.ioValue(io, StatisticsViewModel.IoUnit.BITS_PER_SECOND, 0, i)).isEqualTo(io.bytes(0, i) * 800.0);
        }
        assertThat(all).isEqualTo(vm.capturedCountProperty().get());
        assertThat(bytes).isEqualTo(statistics.hierarchyProperty().get().bytes());
        vm.filterTextProperty().set("tcp.analysis.flags");
        vm.applyFilter();
        ui.runUntil(() -> !vm.busyProperty().get() && vm.appliedFilterTextProperty().get().equals("tcp.analysis.flags"));
        assertThat(flagged).isEqualTo(vm.displayedCountProperty().get()).isPositive();

        // A wrong filter is said, and nothing is counted again; a 100 ms interval counts again.
        statistics.ioFilterTextProperty().set("tcp.flags.syn ==");
        statistics.applyIoFilter();
        assertThat(statistics.busyProperty().get()).isFalse();
        assertThat(statistics.ioFilterErrorProperty().get()).startsWith("Second line: ");
        statistics.ioFilterTextProperty().set("");
        statistics.intervalProperty().set(StatisticsViewModel.Interval.MS_100);
        ui.runUntil(() -> !statistics.busyProperty().get());
        assertThat(statistics.ioProperty().get().intervalNanos()).isEqualTo(100_000_000L);
        assertThat(statistics.ioProperty().get().columns()).as("no second line").isEqualTo(1);
        assertThat(StatisticsViewModel.intervalText(100_000_000L)).isEqualTo("100 ms");
        // An interval finer than a chart can draw is counted in the next that fits, and the summary says so.
        assertThat(StatisticsViewModel.Interval.MS_1.nanosFor(3_600_000_000_000L)).isEqualTo(1_000_000_000L);
        assertThat(StatisticsViewModel.Interval.MS_1.nanosFor(2_530_000_000L)).isEqualTo(1_000_000L);
        assertThat(StatisticsViewModel.Interval.AUTO.nanosFor(3_600_000_000_000L)).isEqualTo(10_000_000_000L);
    }

    @Test
    void numbersAreShownAsWiresharkShowsThem() {
        assertThat(StatisticsViewModel.seconds(1_234_567_891L, 6)).isEqualTo("1.234568");
        assertThat(StatisticsViewModel.seconds(5_900_000L, 4)).isEqualTo("0.0059");
        assertThat(StatisticsViewModel.percent(1, 3)).isEqualTo("33.3%");
        assertThat(StatisticsViewModel.percent(1, 0)).isEqualTo("0.0%");
        assertThat(StatisticsViewModel.bitsPerSecond(1000, 1_000_000_000L)).isEqualTo("8.0 k");
        assertThat(StatisticsViewModel.bitsPerSecond(1000, 0)).isEqualTo("N/A");
        assertThat(StatisticsViewModel.port(-1)).isEmpty();
    }
}
