package dev.stacklab.app.capture;

import dev.stacklab.app.capture.CaptureTestSupport.CollectingNotifier;
import dev.stacklab.app.capture.CaptureTestSupport.UiQueue;
import dev.stacklab.capture.CapturedFrame;
import dev.stacklab.capture.CapturedFrame.Direction;
import dev.stacklab.dissect.DisplayFilter;
import dev.stacklab.dissect.DisplayFilterException;
import dev.stacklab.dissect.Dissector;
import dev.stacklab.dissect.FieldNode;
import dev.stacklab.dissect.FrameSummary;
import dev.stacklab.dissect.FrameTree;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The capture panes' view-model without an FX thread: workers post their results to a queue this thread drains. */
class CaptureViewModelTest {
    private static final int REPLAY = 16;
    @TempDir
    static Path shared;
    private static Path capture;
    private static List<CapturedFrame> frames;

    @TempDir
    Path temp;
    private final CollectingNotifier notifier = new CollectingNotifier();
    private final UiQueue ui = new UiQueue();
    private final AtomicLong clock = new AtomicLong();
    private CaptureViewModel viewModel;

    @BeforeAll
    static void writeCapture() throws IOException {
        capture = CaptureTestSupport.synthCapture(shared.resolve("synth.pcap"), 10 * REPLAY);
        frames = CaptureTestSupport.framesOf(capture, Direction.IN);
    }

    private CaptureViewModel viewModel(int ringCapacity) {
        viewModel = new CaptureViewModel(CaptureTestSupport.context(notifier), ui, ringCapacity, clock::get);
        return viewModel;
    }

    @AfterEach
    void stop() {
        if (viewModel != null) {
            viewModel.shutdown();
        }
    }

    private void acceptInBatches(CaptureViewModel vm, List<CapturedFrame> all, int batch) {
        for (int i = 0; i < all.size(); i += batch) {
            vm.accept(all.subList(i, Math.min(all.size(), i + batch)));
        }
    }

    @Test
    void removedFramesLeaveTheRestNumberedAgainAndSummarizedAsIfTheyNeverCame() {
        CaptureViewModel vm = viewModel(1000);
        List<CapturedFrame> some = frames.subList(0, 40);
        acceptInBatches(vm, some, 10);
        List<String> told = new ArrayList<>();
        vm.addListener(new dev.stacklab.app.CaptureFeed.Listener() {
            @Override
            public void framesAdded(int firstNumber, List<CapturedFrame> added) {
                told.add("added " + firstNumber + "+" + added.size());
            }

            @Override
            public void captureReset() {
                told.add("reset");
            }
        });

        assertThat(vm.removeFrames(new int[] {3, 17, 40})).isTrue();

        List<CapturedFrame> kept = new ArrayList<>(some);
        kept.remove(39);
        kept.remove(16);
        kept.remove(2);
        assertThat(vm.frames()).hasSize(37);
        assertThat(vm.capturedCountProperty().get()).isEqualTo(37);
        assertThat(told).containsExactly("reset", "added 1+37");
        Dissector decode = new Dissector();
        for (int i = 0; i < kept.size(); i++) {
            CapturedFrame frame = kept.get(i);
            FrameSummary expected = decode.summarize(frame.timestampNanos(), frame.bytes(), frame.bytes().length, frame.originalLength());
            PacketRow row = vm.frames().get(i);
            assertThat(row.number()).isEqualTo(i + 1);
            assertThat(row.info()).isEqualTo(expected.info());
            assertThat(row.direction()).isEqualTo(frame.direction());
        }
        assertThat(vm.removeFrames(new int[0])).isTrue();
        assertThat(vm.frames()).hasSize(37);
    }

    @Test
    void batchesBecomeRowsWithDecodesTexts() {
        CaptureViewModel vm = viewModel(1000);
        long revision = vm.revisionProperty().get();
        acceptInBatches(vm, frames, 50);

        assertThat(vm.frames()).hasSize(frames.size());
        assertThat(vm.capturedCountProperty().get()).isEqualTo(frames.size());
        assertThat(vm.revisionProperty().get()).isEqualTo(revision + 4);
        Dissector decode = new Dissector();
        for (int i = 0; i < frames.size(); i++) {
            CapturedFrame frame = frames.get(i);
            FrameSummary expected = decode.summarize(frame.timestampNanos(), frame.bytes(), frame.bytes().length, frame.originalLength());
            PacketRow row = vm.frames().get(i);
            assertThat(row.number()).isEqualTo(i + 1);
            assertThat(row.info()).isEqualTo(expected.info());
            assertThat(row.source()).isEqualTo(expected.source());
            assertThat(row.protocol()).isEqualTo(expected.protocol());
            assertThat(row.time()).isEqualTo(dev.stacklab.dissect.SummaryLine.seconds(expected.relativeTimeNanos()));
            assertThat(row.direction()).isEqualTo(Direction.IN);
        }
        assertThat(vm.frames().get(13).colour()).isEqualTo(ColouringRule.TCP_RST);
        assertThat(vm.frames().get(0).colour()).isEqualTo(ColouringRule.ARP);
        assertThat(vm.frames().get(15).colour()).isEqualTo(ColouringRule.ICMP_ERROR);
    }

    @Test
    void theRingKeepsTheNewestFramesWithTheirNumbersAndCountsTheRest() {
        CaptureViewModel vm = viewModel(100);
        acceptInBatches(vm, frames, 30);

        assertThat(vm.frames()).hasSize(100);
        assertThat(vm.frames().get(0).number()).isEqualTo(frames.size() - 99);
        assertThat(vm.frames().get(99).number()).isEqualTo(frames.size());
        assertThat(vm.ringDroppedProperty().get()).isEqualTo(frames.size() - 100);
        assertThat(vm.capturedCountProperty().get()).isEqualTo(frames.size());
        assertThat(vm.countsTextProperty().get()).contains("ring dropped " + (frames.size() - 100));
    }

    @Test
    void theFilterFieldSaysWhetherItsTextIsAFilterAndWhereNot() {
        CaptureViewModel vm = viewModel(100);
        assertThat(vm.filterStateProperty().get()).isEqualTo(CaptureViewModel.FilterState.EMPTY);
        vm.filterTextProperty().set("tcp.port == 8080");
        assertThat(vm.filterStateProperty().get()).isEqualTo(CaptureViewModel.FilterState.VALID);
        assertThat(vm.filterErrorProperty().get()).isEmpty();
        vm.filterTextProperty().set("icmp && ipx.src == 1");
        assertThat(vm.filterStateProperty().get()).isEqualTo(CaptureViewModel.FilterState.INVALID);
        assertThat(vm.filterErrorColumnProperty().get()).isEqualTo(9);
        assertThat(vm.filterErrorProperty().get()).contains("ipx.src").contains("column 9");
        vm.filterTextProperty().set("tcp.port == ");
        assertThat(vm.filterStateProperty().get()).isEqualTo(CaptureViewModel.FilterState.INVALID);
        vm.filterTextProperty().set(" ");
        assertThat(vm.filterStateProperty().get()).isEqualTo(CaptureViewModel.FilterState.EMPTY);
    }

    @Test
    void applyingAFilterShrinksTheListAndLiveFramesAreFilteredAsTheyArrive() throws InterruptedException {
        CaptureViewModel vm = viewModel(1000);
        List<CapturedFrame> first = frames.subList(0, 8 * REPLAY);
        acceptInBatches(vm, first, 40);
        vm.filterTextProperty().set("arp || tcp.flags.reset == 1");
        vm.applyFilter();
        assertThat(vm.busyProperty().get()).isTrue();
        ui.runUntil(() -> !vm.busyProperty().get());

        assertThat(vm.frames()).hasSize(8 * 3);
        assertThat(vm.frames()).allMatch(row -> row.protocol().equals("ARP") || row.colour() == ColouringRule.TCP_RST);
        assertThat(vm.appliedFilterTextProperty().get()).isEqualTo("arp || tcp.flags.reset == 1");
        assertThat(vm.countsTextProperty().get()).startsWith("Displayed: 24 of 128");

        acceptInBatches(vm, frames.subList(8 * REPLAY, frames.size()), 7);
        assertThat(vm.frames()).hasSize(10 * 3);
        assertThat(vm.frames().get(29).number()).isEqualTo(9 * REPLAY + 14);

        vm.filterTextProperty().set("");
        vm.applyFilter();
        assertThat(vm.frames()).hasSize(frames.size());
    }

    @Test
    void aBigCaptureIsFilteredOnTwoThreadsAsOnePassWould() throws InterruptedException, IOException, DisplayFilterException {
        Path big = CaptureTestSupport.synthCapture(temp.resolve("big.pcap"), CaptureViewModel.SPLIT_FILTER_FROM + 12_345);
        // Fields that depend on every earlier frame (the conversation's index), on the frames just before (bytes in
        // flight, the request an ICMP reply answers) and on none (the flags).
        String text = "tcp.flags.syn == 1 && tcp.stream >= 1000 || tcp.analysis.bytes_in_flight > 100 && tcp.stream < 500 || icmp.resp_to"
                + " || tcp.flags.reset == 1";
        List<Integer> expected = new ArrayList<>();
        Dissector onePass = new Dissector();
        DisplayFilter filter = DisplayFilter.compile(text);
        int number = 0;
        for (CapturedFrame frame : CaptureTestSupport.framesOf(big, Direction.UNKNOWN)) {
            number++;
            byte[] bytes = frame.bytes();
            if (filter.matches(onePass.dissect(frame.timestampNanos(), bytes, bytes.length, frame.originalLength()))) {
                expected.add(number);
            } else {
                onePass.frameFilteredOut();
            }
        }
        assertThat(expected).hasSizeBetween(100, number - 100);

        CaptureViewModel vm = viewModel(1_000_000);
        // However busy the machine running the test is, the filter uses its second thread.
        vm.secondCoreFree = () -> true;
        vm.openFile(big);
        ui.runUntil(() -> vm.capturedCountProperty().get() == CaptureViewModel.SPLIT_FILTER_FROM + 12_345 && !vm.busyProperty().get());
        vm.filterTextProperty().set(text);
        vm.applyFilter();
        ui.runUntil(() -> !vm.busyProperty().get());
        assertThat(vm.frames().stream().map(PacketRow::number).toList()).isEqualTo(expected);
    }

    @Test
    void aLongListTakesNewFramesEverySoOftenAndTheLastOnesAfterAWhile() {
        CaptureViewModel vm = viewModel(1_000_000);
        while (vm.frames().size() <= CaptureViewModel.LISTED_EVERY_PULSE_UP_TO) {
            vm.accept(frames);
        }
        long revision = vm.revisionProperty().get();
        int listed = vm.frames().size();
        vm.accept(frames);
        // Within the hold (the test's clock stands still) the frames are captured and counted, not listed yet.
        assertThat(vm.capturedCountProperty().get()).isEqualTo(listed + frames.size());
        assertThat(vm.frames()).hasSize(listed);
        assertThat(vm.framesWaitingProperty().get()).isTrue();
        assertThat(vm.listArrivedIfDue()).isTrue();
        assertThat(vm.revisionProperty().get()).isEqualTo(revision);

        clock.addAndGet(listed * CaptureViewModel.LIST_HOLD_NANOS_PER_ROW);
        assertThat(vm.listArrivedIfDue()).isFalse();
        assertThat(vm.frames()).hasSize(listed + frames.size());
        assertThat(vm.frames().get(vm.frames().size() - 1).number()).isEqualTo(listed + frames.size());
        assertThat(vm.framesWaitingProperty().get()).isFalse();
        assertThat(vm.revisionProperty().get()).isEqualTo(revision + 1);

        // A frame another pane selects is listed at once, so that the list can show it.
        vm.accept(frames);
        int newest = (int) vm.capturedCountProperty().get();
        vm.selectFrame(newest);
        assertThat(vm.displayedIndexesOf(vm.selectionRequestProperty().get())).containsExactly(vm.frames().size() - 1);
        assertThat(vm.framesWaitingProperty().get()).isFalse();
    }

    @Test
    void anInvalidFilterIsNotApplied() {
        CaptureViewModel vm = viewModel(1000);
        acceptInBatches(vm, frames, 100);
        vm.filterTextProperty().set("tcp.flags.syn ==== 1");
        vm.applyFilter();
        assertThat(vm.busyProperty().get()).isFalse();
        assertThat(vm.frames()).hasSize(frames.size());
        assertThat(vm.filterStateProperty().get()).isEqualTo(CaptureViewModel.FilterState.INVALID);
    }

    @Test
    void selectingByFilterSelectsMatchingFramesAndLeavesTheDisplayFilterAlone() throws InterruptedException {
        CaptureViewModel vm = viewModel(1000);
        acceptInBatches(vm, frames, 64);
        vm.filterTextProperty().set("tcp");
        vm.applyFilter();
        ui.runUntil(() -> !vm.busyProperty().get());

        vm.selectFramesMatching("tcp.flags.reset == 1");
        ui.runUntil(() -> vm.selectionRequestProperty().get() != null);
        int[] numbers = vm.selectionRequestProperty().get();
        assertThat(numbers).hasSize(10).startsWith(14, 30);
        assertThat(vm.appliedFilterTextProperty().get()).isEqualTo("tcp");
        assertThat(vm.filterTextProperty().get()).isEqualTo("tcp");
        int[] rows = vm.displayedIndexesOf(numbers);
        assertThat(rows).hasSize(10);
        assertThat(vm.frames().get(rows[0]).number()).isEqualTo(14);

        vm.selectFramesMatching("tcp.flags.reset ==");
        assertThat(notifier.errors).singleElement().asString().contains("bad display filter");
    }

    @Test
    void aSelectionWaitsForFramesThatHaveNotArrivedYet() throws InterruptedException {
        CaptureViewModel vm = viewModel(1000);
        acceptInBatches(vm, frames.subList(0, 20), 20);
        vm.selectFramesMatching("icmp.type == 3");
        // The first ICMP error is frame 16; the second (frame 32) has not arrived.
        ui.runUntil(() -> vm.selectionRequestProperty().get() != null);
        assertThat(vm.selectionRequestProperty().get()).containsExactly(16);

        vm.selectFramesMatching("udp.srcport == 35873 && frame.number > 20");
        ui.runUntil(() -> ui != null && vm.selectionRequestProperty().get().length == 1 && pendingSettled(vm));
        vm.accept(frames.subList(20, 40));
        // The datagram and the ICMP error quoting it.
        assertThat(vm.selectionRequestProperty().get()).containsExactly(31, 32);
    }

    /** True once the worker's answer to the last selection request has been handled (nothing matched yet). */
    private static boolean pendingSettled(CaptureViewModel vm) {
        try {
            var field = CaptureViewModel.class.getDeclaredField("pendingSelection");
            field.setAccessible(true);
            return field.get(vm) != null;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void pausingHoldsNewFramesAndResumingShowsThem() {
        CaptureViewModel vm = viewModel(1000);
        vm.accept(frames.subList(0, 10));
        vm.pausedProperty().set(true);
        vm.accept(frames.subList(10, 30));
        assertThat(vm.frames()).hasSize(10);
        assertThat(vm.countsTextProperty().get()).contains("paused: 20 new frames held");
        vm.pausedProperty().set(false);
        assertThat(vm.frames()).hasSize(30);
        assertThat(vm.frames().get(29).number()).isEqualTo(30);
        vm.clear();
        assertThat(vm.frames()).isEmpty();
        vm.accept(frames.subList(0, 3));
        assertThat(vm.frames().get(0).number()).isEqualTo(1);
    }

    @Test
    void framesPerSecondCountsWhatArrivedSinceTheLastUpdate() {
        CaptureViewModel vm = viewModel(1000);
        vm.accept(frames.subList(0, 50));
        clock.addAndGet(500_000_000L);
        vm.updateRate();
        assertThat(vm.framesPerSecondProperty().get()).isEqualTo(100.0);
        clock.addAndGet(1_000_000_000L);
        vm.updateRate();
        assertThat(vm.framesPerSecondProperty().get()).isZero();
    }

    @Test
    void theSelectedFramesTreeAndTheFieldUnderAByte() throws InterruptedException {
        CaptureViewModel vm = viewModel(1000);
        acceptInBatches(vm, frames, 64);
        vm.select(vm.frames().get(13));
        ui.runUntil(() -> vm.selectedTreeProperty().get() != null);
        FrameTree tree = vm.selectedTreeProperty().get();
        assertThat(tree.summary().number()).isEqualTo(14);
        assertThat(tree.summary().info()).isEqualTo(vm.frames().get(13).info());
        FieldNode flags = tree.find("tcp.flags");
        vm.byteClicked(flags.offset() + 1);
        assertThat(vm.selectedFieldProperty().get().name()).startsWith("tcp.flags");
        assertThat(vm.selectedFieldProperty().get().offset()).isBetween(flags.offset(), flags.offset() + 1);

        // Back to an earlier frame: dissected again from the start, so its cross-frame texts still agree.
        vm.select(vm.frames().get(3));
        ui.runUntil(() -> vm.selectedTreeProperty().get() != null && vm.selectedTreeProperty().get().summary().number() == 4);
        assertThat(vm.selectedTreeProperty().get().summary().info()).isEqualTo(vm.frames().get(3).info()).contains("request in 3");

        vm.setExpanded("/ip", true);
        assertThat(vm.isExpanded("/ip")).isTrue();
        vm.setExpanded("/ip", false);
        assertThat(vm.isExpanded("/ip")).isFalse();
    }

    @Test
    void aTreeAfterTheRingDroppedFramesKeepsTheFrameNumber() throws InterruptedException {
        CaptureViewModel vm = viewModel(40);
        acceptInBatches(vm, frames, 25);
        PacketRow last = vm.frames().get(39);
        vm.select(last);
        ui.runUntil(() -> vm.selectedTreeProperty().get() != null);
        assertThat(vm.selectedTreeProperty().get().fieldValues("frame.number")).isEqualTo(Integer.toString(last.number()));
        assertThat(vm.selectedTreeProperty().get().summary().relativeTimeNanos()).isEqualTo(last.relativeTimeNanos());
    }

    /** Export Displayed Frames writes only what the filter shows: read back, the bytes and times are the originals. */
    @Test
    void exportDisplayedWritesOnlyTheFramesShown() throws InterruptedException, IOException {
        CaptureViewModel vm = viewModel(1000);
        vm.openFile(capture);
        ui.runUntil(() -> vm.capturedCountProperty().get() == frames.size() && !vm.busyProperty().get());
        vm.filterTextProperty().set("frame.number >= 10 && frame.number <= 30 && !(frame.number == 20)");
        vm.applyFilter();
        ui.runUntil(() -> !vm.busyProperty().get() && vm.frames().size() == 20);
        Path exported = temp.resolve("shown.pcap");
        vm.exportDisplayed(exported);
        ui.runUntil(() -> !notifier.infos.isEmpty());
        assertThat(notifier.infos).singleElement().asString()
                .isEqualTo("Saved 20 frames shown by display filter frame.number >= 10 && frame.number <= 30 && !(frame.number == 20) to " + exported);
        List<CapturedFrame> read = CaptureTestSupport.framesOf(exported, Direction.IN);
        assertThat(read).hasSize(20);
        List<Integer> numbers = vm.frames().stream().map(PacketRow::number).toList();
        for (int i = 0; i < read.size(); i++) {
            CapturedFrame original = frames.get(numbers.get(i) - 1);
            assertThat(read.get(i).bytes()).as("frame %d", numbers.get(i)).isEqualTo(original.bytes());
            assertThat(read.get(i).timestampNanos()).isEqualTo(original.timestampNanos());
        }
        assertThat(notifier.errors).isEmpty();
    }

    @Test
    void openSaveAndOpenAgainGiveTheSameRows() throws InterruptedException, IOException {
        CaptureViewModel vm = viewModel(1000);
        vm.openFile(capture);
        ui.runUntil(() -> vm.capturedCountProperty().get() == frames.size() && !vm.busyProperty().get());
        assertThat(vm.sourceTextProperty().get()).isEqualTo("File: synth.pcap");
        List<PacketRow> opened = new ArrayList<>(vm.frames());
        assertThat(opened.get(6).direction()).isEqualTo(Direction.UNKNOWN);

        Path saved = temp.resolve("saved.pcap");
        vm.saveAs(saved);
        ui.runUntil(() -> !notifier.infos.isEmpty());
        assertThat(notifier.infos).singleElement().asString().startsWith("Saved " + frames.size() + " frames");
        assertThat(Files.exists(saved.resolveSibling("saved.pcap.part"))).isFalse();

        CaptureViewModel again = new CaptureViewModel(CaptureTestSupport.context(notifier), ui, 1000, clock::get);
        try {
            again.openFile(saved);
            ui.runUntil(() -> again.capturedCountProperty().get() == frames.size() && !again.busyProperty().get());
            for (int i = 0; i < opened.size(); i++) {
                PacketRow a = opened.get(i);
                PacketRow b = again.frames().get(i);
                // Saved as a nanosecond pcap: the same times, shown with nine decimals as tshark shows that file.
                assertThat(List.of(b.number(), b.time(), b.source(), b.destination(), b.protocol(), b.length(), b.info(), b.colour()))
                        .isEqualTo(List.of(a.number(), dev.stacklab.dissect.SummaryLine.seconds(a.relativeTimeNanos(), 9), a.source(),
                                a.destination(), a.protocol(), a.length(), a.info(), a.colour()));
            }
        } finally {
            again.shutdown();
        }
        assertThat(notifier.errors).isEmpty();

        // Live frames do not mix into a file: they are counted until Clear returns to the live capture.
        vm.accept(frames.subList(0, 5));
        assertThat(vm.frames()).hasSize(frames.size());
        assertThat(vm.missedCountProperty().get()).isEqualTo(5);
        vm.clear();
        vm.accept(frames.subList(0, 5));
        assertThat(vm.frames()).hasSize(5);
        assertThat(vm.sourceTextProperty().get()).startsWith("Live:");
    }

    @Test
    void theSampleOpensInOneCall() throws InterruptedException {
        CaptureViewModel vm = viewModel(1000);
        vm.openSample();
        ui.runUntil(() -> vm.capturedCountProperty().get() > 0 && !vm.busyProperty().get());
        assertThat(vm.sourceTextProperty().get()).isEqualTo("File: " + dev.stacklab.capture.SampleCapture.NAME);
        assertThat(vm.frames().get(0).info()).startsWith("Who has");
        assertThat(vm.frames()).anyMatch(row -> row.colour() == ColouringRule.TCP_RST)
                .anyMatch(row -> row.colour() == ColouringRule.ICMP_ERROR);
        assertThat(notifier.errors).isEmpty();
    }

    /** Files of every link type decode reads open in the panes: raw IPv6 (LINKTYPE_RAW) and tcpdump -i any's cooked v2. */
    @Test
    void rawAndCookedCapturesOpenWithTheirTrees() throws InterruptedException, IOException {
        Path resources = Path.of("src/test/resources/dev/stacklab/dissect");
        for (String name : List.of("raw-ipv6.pcap", "ipv6-cooked.pcap")) {
            CaptureViewModel vm = new CaptureViewModel(CaptureTestSupport.context(notifier), ui, 1000, clock::get);
            try {
                vm.openFile(resources.resolve(name));
                ui.runUntil(() -> vm.capturedCountProperty().get() > 0 && !vm.busyProperty().get());
                assertThat(notifier.errors).isEmpty();
                assertThat(vm.frames()).extracting(PacketRow::protocol).contains("ICMPv6");
                PacketRow echo = vm.frames().stream().filter(row -> row.info().startsWith("Echo (ping) reply")).findFirst().orElseThrow();
                assertThat(echo.source()).contains(":");
                vm.select(echo);
                ui.runUntil(() -> vm.selectedTreeProperty().get() != null);
                assertThat(vm.selectedTreeProperty().get().fieldValues("icmpv6.type")).isEqualTo("129");
                assertThat(vm.selectedTreeProperty().get().fieldValues("ipv6.src")).isEqualTo(echo.source());

                // Saved again with its own link type, it opens to the same rows.
                Path saved = temp.resolve("again-" + name);
                vm.saveAs(saved);
                ui.runUntil(() -> !vm.busyProperty().get() && Files.exists(saved));
                try (var reader = dev.stacklab.capture.CaptureReader.open(saved)) {
                    assertThat(reader.next()).isTrue();
                    assertThat(reader.linkType()).isEqualTo(name.startsWith("raw") ? 101 : 276);
                }
            } finally {
                vm.shutdown();
            }
        }
    }

    /**
     * A pcapng file's packet flags give the rows their direction, its comments and interfaces show in the details tree and filter;
     * a nanosecond file's Time column has nine decimals, as tshark's.
     */
    @Test
    void pcapngDirectionsCommentsInterfacesAndTimePrecisionShow() throws InterruptedException {
        CaptureViewModel vm = new CaptureViewModel(CaptureTestSupport.context(notifier), ui, 1000, clock::get);
        try {
            vm.openFile(Path.of("src/test/resources/dev/stacklab/dissect/pcapng-options.pcapng"));
            ui.runUntil(() -> vm.capturedCountProperty().get() == 16 && !vm.busyProperty().get());
            assertThat(notifier.errors).isEmpty();
            // The client (02:00:0a:51:00:02) sent the odd frames; frames 12 and 13 say no direction.
            assertThat(vm.frames().subList(0, 4)).extracting(PacketRow::direction)
                    .containsExactly(Direction.OUT, Direction.IN, Direction.OUT, Direction.IN);
            assertThat(vm.frames().get(11).direction()).isEqualTo(Direction.UNKNOWN);
            assertThat(vm.frames().get(12).direction()).isEqualTo(Direction.UNKNOWN);
            assertThat(vm.frames().get(0).directionMark()).isEqualTo("← out");

            vm.select(vm.frames().get(2));
            ui.runUntil(() -> vm.selectedTreeProperty().get() != null);
            FrameTree tree = vm.selectedTreeProperty().get();
            assertThat(tree.layers().get(0).displayLine()).isEqualTo("Packet comments");
            assertThat(tree.fieldValues("frame.comment")).isEqualTo("the first query: A www.lab.test,a second comment on the same frame");
            assertThat(tree.fieldValues("frame.packet_flags")).isEqualTo("0x00000002");
            // The Frame line names the interface as tshark -V does (the file gives no name: "unknown").
            assertThat(tree.layers().get(1).displayLine())
                    .isEqualTo("Frame 3: 95 bytes on wire (760 bits), 95 bytes captured (760 bits) on interface unknown, id 0 (outbound)");

            vm.filterTextProperty().set("frame.comment contains \"dropped\" || frame.drop_count > 0");
            vm.applyFilter();
            ui.runUntil(() -> !vm.busyProperty().get());
            assertThat(vm.frames()).extracting(PacketRow::number).containsExactly(14);
        } finally {
            vm.shutdown();
        }
        CaptureViewModel nanoseconds = new CaptureViewModel(CaptureTestSupport.context(notifier), ui, 1000, clock::get);
        try {
            nanoseconds.openFile(Path.of("src/test/resources/dev/stacklab/capture/ping-lo.pcapng"));
            ui.runUntil(() -> nanoseconds.capturedCountProperty().get() == 6 && !nanoseconds.busyProperty().get());
            assertThat(nanoseconds.frames().get(1).time()).isEqualTo("0.000010740");
            nanoseconds.select(nanoseconds.frames().get(1));
            ui.runUntil(() -> nanoseconds.selectedTreeProperty().get() != null);
            FrameTree tree = nanoseconds.selectedTreeProperty().get();
            assertThat(tree.layers().get(0).displayLine()).endsWith(" on interface lo, id 0");
            assertThat(tree.fieldValues("frame.section_number")).isEqualTo("1");
            assertThat(tree.fieldValues("frame.interface_name")).isEqualTo("lo");
            // The interface is a filter field too, as in Wireshark.
            nanoseconds.filterTextProperty().set("frame.interface_name == \"lo\" && frame.number >= 3");
            nanoseconds.applyFilter();
            ui.runUntil(() -> !nanoseconds.busyProperty().get());
            assertThat(nanoseconds.frames()).extracting(PacketRow::number).containsExactly(3, 4, 5, 6);
            nanoseconds.filterTextProperty().set("frame.interface_id == 1");
            nanoseconds.applyFilter();
            ui.runUntil(() -> !nanoseconds.busyProperty().get());
            assertThat(nanoseconds.frames()).isEmpty();
        } finally {
            nanoseconds.shutdown();
        }
    }

    @Test
    void aFileThatIsNotACaptureIsANotificationWithTheFix() throws InterruptedException, IOException {
        CaptureViewModel vm = viewModel(1000);
        Path text = Files.writeString(temp.resolve("notes.txt"), "these are not frames\n");
        vm.openFile(text);
        ui.runUntil(() -> !notifier.errors.isEmpty() && !vm.busyProperty().get());
        assertThat(notifier.errors.get(0)).startsWith("notes.txt is not a capture file");
        assertThat(notifier.fixes.get(0)).contains("pcap or pcapng");
        assertThat(vm.frames()).isEmpty();

        vm.openFile(temp.resolve("missing.pcap"));
        ui.runUntil(() -> notifier.errors.size() == 2);
        assertThat(notifier.errors.get(1)).contains("no such file");

        // A capture cut short: the frames before the damage are shown, and the user is told.
        byte[] whole = Files.readAllBytes(capture);
        Path cut = Files.write(temp.resolve("cut.pcap"), java.util.Arrays.copyOf(whole, whole.length - 10));
        vm.openFile(cut);
        ui.runUntil(() -> notifier.errors.size() == 3 && !vm.busyProperty().get());
        assertThat(notifier.errors.get(2)).contains("damaged after frame " + (frames.size() - 1));
        assertThat(vm.frames()).hasSize(frames.size() - 1);

        Path saveInMissingFolder = temp.resolve("no/such/folder/x.pcap");
        vm.saveAs(saveInMissingFolder);
        ui.runUntil(() -> notifier.errors.size() == 4);
        assertThat(notifier.errors.get(3)).startsWith("Cannot save to");
    }

    /** Go to Packet selects the frame, or says why it cannot: not a number, not held, dropped by the ring, filtered out. */
    @Test
    void goToPacketSelectsTheFrameOrSaysWhyNot() throws InterruptedException {
        CaptureViewModel vm = viewModel(30);
        assertThat(vm.goToFrame("3")).isEqualTo("The capture holds no frames yet");
        acceptInBatches(vm, frames.subList(0, 40), 10);
        ui.runUntil(() -> vm.frames().size() == 30);
        assertThat(vm.goToFrame("")).isEqualTo("Type the number of a frame");
        assertThat(vm.goToFrame("twelve")).isEqualTo("\"twelve\" is not a frame number");
        assertThat(vm.goToFrame("5")).isEqualTo("Frame 5 left the ring: the oldest held is 11");
        assertThat(vm.goToFrame("41")).isEqualTo("No frame 41: the capture holds 11 to 40");
        assertThat(vm.goToFrame(" 25 ")).isNull();
        assertThat(vm.selectionRequestProperty().get()).containsExactly(25);

        vm.filterTextProperty().set("frame.number >= 30");
        vm.applyFilter();
        ui.runUntil(() -> !vm.busyProperty().get() && vm.frames().size() == 11);
        assertThat(vm.goToFrame("25")).isEqualTo("Frame 25 is hidden by the display filter");
        assertThat(vm.goToFrame("33")).isNull();
        assertThat(vm.selectionRequestProperty().get()).containsExactly(33);
    }

    @Test
    void applyAsFilterBuildsWiresharksFilterForTheField() throws InterruptedException {
        CaptureViewModel vm = viewModel(1000);
        acceptInBatches(vm, frames, 64);
        vm.select(vm.frames().get(2));
        ui.runUntil(() -> vm.selectedTreeProperty().get() != null);
        FieldNode source = vm.selectedTreeProperty().get().find("ip.src");
        vm.prepareAsFilter(source);
        assertThat(vm.filterTextProperty().get()).isEqualTo("ip.src == 10.77.0.1");
        assertThat(vm.appliedFilterTextProperty().get()).isEmpty();
        vm.applyAsFilter(vm.selectedTreeProperty().get().find("icmp.type"));
        ui.runUntil(() -> !vm.busyProperty().get());
        assertThat(vm.appliedFilterTextProperty().get()).isEqualTo("icmp.type == 8");
        assertThat(vm.frames()).hasSize(10);
    }
}
