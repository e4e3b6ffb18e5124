package dev.stacklab.app.tcp.ladder;

import dev.stacklab.app.Notifier;
import dev.stacklab.capture.CaptureReader;
import dev.stacklab.link.ImpairmentSettings;
import dev.stacklab.wire.TcpPacket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The ladder's model from real frames: two stacks on the simulation, a's capture fed as the capture panes feed it. */
class LadderViewModelTest {
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final List<String> infos = new CopyOnWriteArrayList<>();
    private final Notifier notifier = new Notifier() {
        @Override
        public void error(String problem, String fix) {
            errors.add(problem + " | " + fix);
        }

        @Override
        public void info(String message) {
            infos.add(message);
        }
    };

    private LadderViewModel ladder(SimulatedTransfer transfer) {
        return new LadderViewModel(transfer, notifier, Runnable::run, Runnable::run);
    }

    @Test
    void theHandshakeIsThreeArrowsWithRelativeNumbersAndTheDataFollows() {
        SimulatedTransfer transfer = new SimulatedTransfer(3, null);
        LadderViewModel ladder = ladder(transfer);
        assertThat(ladder.shownProperty().get()).isNull();
        transfer.transfer(3000);
        transfer.feed();

        ConnectionTrace trace = ladder.shownProperty().get();
        assertThat(trace).isNotNull();
        assertThat(trace.ends().endA()).isEqualTo("10.0.0.1:" + transfer.client.endpoints().localPort());
        assertThat(trace.ends().endB()).isEqualTo("10.0.0.2:9");
        List<LadderSegment> segments = trace.segments();
        assertThat(segments.get(0).flagText()).isEqualTo("[SYN]");
        assertThat(segments.get(0).fromA()).isTrue();
        assertThat(segments.get(0).label()).startsWith("[SYN] Seq=0 Win=");
        assertThat(segments.get(1).flagText()).isEqualTo("[SYN, ACK]");
        assertThat(segments.get(1).fromA()).isFalse();
        assertThat(segments.get(1).label()).startsWith("[SYN, ACK] Seq=0 Ack=1 Win=");
        assertThat(segments.get(2).label()).startsWith("[ACK] Seq=1 Ack=1 Win=");
        assertThat(segments.get(2).fromA()).isTrue();
        // The data: from A, consecutive relative sequence numbers from 1, 3000 bytes in all.
        long next = 1;
        long data = 0;
        for (LadderSegment segment : segments) {
            if (segment.fromA() && segment.length() > 0) {
                assertThat(segment.sequence()).isEqualTo(next);
                next += segment.length();
                data += segment.length();
            }
        }
        assertThat(data).isEqualTo(3000);
        LadderSegment lastFromB = segments.stream().filter(s -> !s.fromA() && !s.hasFlag(TcpPacket.FLAG_FIN))
                .reduce((first, second) -> second).orElseThrow();
        assertThat(lastFromB.acknowledgment()).as("B acknowledges the data and A's FIN").isEqualTo(3002);
        assertThat(segments).as("nothing lost, nothing marked").allMatch(segment -> segment.marks() == 0);
        assertThat(segments.stream().mapToInt(LadderSegment::frameNumber)).isSorted();
        assertThat(ladder.summaryProperty().get()).startsWith(trace.ends() + ": " + segments.size() + " segments");
    }

    @Test
    void lossIsMarkedAsLostAndEveryResendAsARetransmissionWithTheDuplicateAcksThatAskedForIt() {
        // a's sending loses 8% of its frames (seeded): data segments are lost and sent again.
        SimulatedTransfer transfer = new SimulatedTransfer(11, ImpairmentSettings.NONE.withLoss(0.08));
        LadderViewModel ladder = ladder(transfer);
        transfer.transfer(200_000);
        transfer.feed();
        ConnectionTrace trace = ladder.shownProperty().get();
        List<LadderSegment> segments = trace.segments();

        List<LadderSegment> lost = segments.stream().filter(s -> s.has(LadderMark.LOST)).toList();
        List<LadderSegment> retransmitted = segments.stream()
                .filter(s -> s.has(LadderMark.RETRANSMISSION) || s.has(LadderMark.FAST_RETRANSMISSION)).toList();
        List<LadderSegment> duplicateAcks = segments.stream().filter(s -> s.has(LadderMark.DUPLICATE_ACK)).toList();
        assertThat(lost).as("the impairment's losses").isNotEmpty().allMatch(LadderSegment::fromA);
        assertThat(lost).allMatch(s -> s.note().startsWith("dropped"));
        assertThat(retransmitted).as("A's resends, as many as its engine counted")
                .hasSize((int) transfer.tcpA.engine().counters().retransmissions()).allMatch(LadderSegment::fromA);
        assertThat(duplicateAcks).as("B's duplicate ACKs after a gap").isNotEmpty().allMatch(s -> !s.fromA());
        assertThat(segments).anyMatch(s -> s.has(LadderMark.FAST_RETRANSMISSION));
        assertThat(trace.retransmissions()).isEqualTo(retransmitted.size());
        assertThat(trace.duplicateAcks()).isEqualTo(duplicateAcks.size());

        // Every data segment lost was sent again later, marked as a retransmission.
        for (LadderSegment gone : lost) {
            if (gone.length() > 0) {
                assertThat(retransmitted).as("a resend of SEQ %d", gone.sequence())
                        .anyMatch(s -> s.frameNumber() > gone.frameNumber() && s.sequence() <= gone.sequence()
                                && s.sequence() + s.length() >= gone.sequence() + gone.length());
            }
        }
        // A duplicate ACK repeats the ACK before it from B, numbered from 1 in a run.
        for (LadderSegment duplicate : duplicateAcks) {
            int index = segments.indexOf(duplicate);
            LadderSegment previousFromB = null;
            for (int i = index - 1; i >= 0 && previousFromB == null; i--) {
                if (!segments.get(i).fromA()) {
                    previousFromB = segments.get(i);
                }
            }
            assertThat(previousFromB).isNotNull();
            assertThat(previousFromB.acknowledgment()).isEqualTo(duplicate.acknowledgment());
            assertThat(duplicate.duplicateAckNumber()).isEqualTo(previousFromB.duplicateAckNumber() + 1);
            assertThat(duplicate.markText()).contains("dup ACK #" + duplicate.duplicateAckNumber());
        }
        assertThat(ladder.summaryProperty().get()).contains("retransmission").contains("duplicate ACK").contains("lost on the wire");
    }

    @Test
    void segmentsOvertakenOnTheWireAreMarkedOutOfOrderNotAsRetransmissions() {
        // b's sending holds 10% of its frames back 4 ms: later segments reach a (the capture) before them.
        SimulatedTransfer transfer = new SimulatedTransfer(6, null)
                .impairServerSending(ImpairmentSettings.NONE.withReorder(0.10).withDelay(java.time.Duration.ofMillis(4)));
        LadderViewModel ladder = ladder(transfer);
        transfer.transferFromServer(150_000);
        transfer.feed();
        List<LadderSegment> segments = ladder.shownProperty().get().segments();
        List<LadderSegment> overtaken = segments.stream().filter(s -> s.has(LadderMark.OUT_OF_ORDER)).toList();
        assertThat(overtaken).as("segments that arrived after later ones").isNotEmpty().allMatch(s -> !s.fromA());
        // Overtaking draws dup ACKs and so fast retransmits (spurious ones): the ladder marks those as b counted them.
        assertThat(segments.stream().filter(s -> s.has(LadderMark.RETRANSMISSION) || s.has(LadderMark.FAST_RETRANSMISSION)))
                .hasSize((int) transfer.tcpB.engine().counters().retransmissions());
        for (LadderSegment late : overtaken) {
            List<LadderSegment> before = segments.subList(0, segments.indexOf(late));
            assertThat(before).as("a segment beyond SEQ %d came before it", late.sequence())
                    .anyMatch(s -> !s.fromA() && s.length() > 0 && s.sequence() > late.sequence());
            assertThat(before).as("SEQ %d is new, not sent again", late.sequence())
                    .noneMatch(s -> !s.fromA() && s.length() > 0 && s.sequence() <= late.sequence()
                            && s.sequence() + s.length() >= late.sequence() + late.length());
        }
        assertThat(ladder.summaryProperty().get()).contains("out of order");
    }

    @Test
    void clickingAnArrowSelectsItsFrameAndSelectingAFrameHighlightsItsArrow() {
        SimulatedTransfer transfer = new SimulatedTransfer(5, null);
        LadderViewModel ladder = ladder(transfer);
        transfer.transfer(1000);
        transfer.feed();
        ConnectionTrace trace = ladder.shownProperty().get();

        ladder.arrowClicked(1);
        assertThat(transfer.selectedFrameNumberProperty().get()).isEqualTo(trace.segments().get(1).frameNumber());
        assertThat(ladder.selectedIndexProperty().get()).isEqualTo(1);

        transfer.selectFrame(trace.segments().get(4).frameNumber());
        assertThat(ladder.selectedIndexProperty().get()).isEqualTo(4);
        // An ARP frame (not in the ladder) takes the highlight away.
        int arpFrame = 0;
        for (int i = 0; i < transfer.captured.size() && arpFrame == 0; i++) {
            if (trace.indexOfFrame(i + 1) < 0) {
                arpFrame = i + 1;
            }
        }
        assertThat(arpFrame).as("the capture holds ARP frames too").isPositive();
        transfer.selectFrame(arpFrame);
        assertThat(ladder.selectedIndexProperty().get()).isEqualTo(-1);
    }

    @Test
    void theLadderFollowsTheConnectionAskedForAndForgetsAClearedCapture() {
        SimulatedTransfer transfer = new SimulatedTransfer(8, null);
        LadderViewModel ladder = ladder(transfer);
        transfer.transfer(500);
        int firstPort = transfer.client.endpoints().localPort();
        transfer.feed();
        transfer.transfer(700);
        transfer.feed();
        int secondPort = transfer.client.endpoints().localPort();
        assertThat(secondPort).isNotEqualTo(firstPort);
        assertThat(ladder.shownProperty().get().ends().portA()).as("the latest").isEqualTo(secondPort);

        ladder.follow(SimulatedTransfer.A, firstPort, SimulatedTransfer.B, 9);
        assertThat(ladder.shownProperty().get().ends().portA()).isEqualTo(firstPort);
        long revision = ladder.revisionProperty().get();
        transfer.reset();
        assertThat(ladder.shownProperty().get()).isNull();
        assertThat(ladder.revisionProperty().get()).isGreaterThan(revision);
    }

    @Test
    void theSvgHoldsTheEndsAnArrowPerSegmentAndTheMarks(@TempDir Path folder) throws Exception {
        SimulatedTransfer transfer = new SimulatedTransfer(11, ImpairmentSettings.NONE.withLoss(0.08));
        LadderViewModel ladder = ladder(transfer);
        transfer.transfer(60_000);
        transfer.feed();
        ConnectionTrace trace = ladder.shownProperty().get();
        Path file = folder.resolve("ladder.svg");
        ladder.exportSvg(file, LadderPalette.LIGHT);

        String svg = Files.readString(file);
        assertThat(svg).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"").endsWith("</svg>\n");
        assertThat(svg).contains(">" + trace.ends().endA() + "</text>").contains(">10.0.0.2:9</text>");
        assertThat(svg).contains(">[SYN] Seq=0 Win=").contains(">[SYN, ACK] Seq=0 Ack=1 Win=");
        long arrowheads = svg.lines().filter(line -> line.startsWith("<polygon")).count();
        long lost = trace.segments().stream().filter(s -> s.has(LadderMark.LOST)).count();
        assertThat(arrowheads).as("one head per delivered segment").isEqualTo(trace.segments().size() - lost);
        assertThat(svg).contains("stroke-dasharray").as("lost arrows dashed");
        assertThat(svg).contains("fill=\"#cf222e\" font-weight=\"bold\">retransmission").contains(">dup ACK #1</text>");
        assertThat(infos).anyMatch(info -> info.startsWith("Saved the ladder of " + trace.segments().size() + " segments"));
        assertThat(errors).isEmpty();
    }

    @Test
    void theConnectionsFramesGoToAPcapAndAFolderThatIsNotThereIsANotification(@TempDir Path folder) throws Exception {
        SimulatedTransfer transfer = new SimulatedTransfer(4, null);
        LadderViewModel ladder = ladder(transfer);
        transfer.transfer(2000);
        transfer.feed();
        ConnectionTrace trace = ladder.shownProperty().get();
        Path file = folder.resolve("connection.pcap");
        ladder.exportPcap(file);
        List<byte[]> read = new ArrayList<>();
        try (CaptureReader reader = CaptureReader.open(file)) {
            while (reader.next()) {
                read.add(java.util.Arrays.copyOf(reader.data(), reader.capturedLength()));
            }
        }
        assertThat(read).hasSize(trace.segments().size());
        assertThat(read.get(0)).isEqualTo(transfer.captured.get(trace.segments().get(0).frameNumber() - 1).bytes());

        ladder.exportPcap(folder.resolve("missing").resolve("x.pcap"));
        assertThat(errors).singleElement().asString().contains("no such folder").contains("Choose a folder you can write to");
    }

    @Test
    void exportingWithoutAConnectionSaysWhatToDo(@TempDir Path folder) {
        SimulatedTransfer transfer = new SimulatedTransfer(4, null);
        LadderViewModel ladder = ladder(transfer);
        ladder.exportSvg(folder.resolve("x.svg"), LadderPalette.LIGHT);
        assertThat(errors).singleElement().asString().startsWith("No TCP connection to export the ladder of yet")
                .contains("Connect");
        assertThat(folder.resolve("x.svg")).doesNotExist();
    }
}
