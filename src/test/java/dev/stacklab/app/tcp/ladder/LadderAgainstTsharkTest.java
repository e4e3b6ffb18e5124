package dev.stacklab.app.tcp.ladder;

import dev.stacklab.app.Notifier;
import dev.stacklab.link.ImpairmentSettings;
import dev.stacklab.testsupport.Prerequisites;
import dev.stacklab.testsupport.Processes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ladder's marks against Wireshark's TCP analysis: a lossy transfer between two stacks in the Simulation, the
 * connection's frames exported as pcap from the ladder, and tshark's retransmission and duplicate-ACK flags read
 * frame by frame from that file.
 */
class LadderAgainstTsharkTest {
    private static final Notifier LOUD = new Notifier() {
        @Override
        public void error(String problem, String fix) {
            throw new AssertionError(problem + " | " + fix);
        }

        @Override
        public void info(String message) {
        }
    };

    @Test
    void retransmissionsAndDuplicateAcksAreTheFramesTsharkFlags(@TempDir Path folder) {
        Prerequisites.requireCommand("tshark");
        SimulatedTransfer transfer = new SimulatedTransfer(11, ImpairmentSettings.NONE.withLoss(0.08));
        LadderViewModel ladder = new LadderViewModel(transfer, LOUD, Runnable::run, Runnable::run);
        transfer.transfer(200_000);
        transfer.feed();
        List<LadderSegment> segments = ladder.shownProperty().get().segments();
        Path file = folder.resolve("connection.pcap");
        ladder.exportPcap(file);

        // The export holds the segments in order: pcap frame n is segment n - 1.
        List<String> lines = Processes.run(List.of("tshark", "-r", file.toString(), "-T", "fields", "-E", "separator=;",
                "-e", "frame.number", "-e", "tcp.analysis.retransmission", "-e", "tcp.analysis.fast_retransmission",
                "-e", "tcp.analysis.duplicate_ack_num"), 60).orThrow(List.of("tshark")).stdout().lines().toList();
        assertThat(lines).hasSize(segments.size());
        TreeSet<Integer> theirRetransmissions = new TreeSet<>();
        TreeSet<Integer> theirFast = new TreeSet<>();
        List<String> theirDuplicates = new ArrayList<>();
        for (String line : lines) {
            String[] fields = line.split(";", -1);
            int index = Integer.parseInt(fields[0]) - 1;
            if (!fields[1].isEmpty() || !fields[2].isEmpty()) {
                theirRetransmissions.add(index);
            }
            if (!fields[2].isEmpty()) {
                theirFast.add(index);
            }
            if (!fields[3].isEmpty()) {
                theirDuplicates.add(index + "#" + fields[3]);
            }
        }
        TreeSet<Integer> ourRetransmissions = new TreeSet<>();
        TreeSet<Integer> ourFast = new TreeSet<>();
        List<String> ourDuplicates = new ArrayList<>();
        for (int i = 0; i < segments.size(); i++) {
            LadderSegment segment = segments.get(i);
            if (segment.has(LadderMark.RETRANSMISSION) || segment.has(LadderMark.FAST_RETRANSMISSION)) {
                ourRetransmissions.add(i);
            }
            if (segment.has(LadderMark.FAST_RETRANSMISSION)) {
                ourFast.add(i);
            }
            if (segment.has(LadderMark.DUPLICATE_ACK)) {
                ourDuplicates.add(i + "#" + segment.duplicateAckNumber());
            }
        }
        assertThat(ourRetransmissions).as("retransmissions").isNotEmpty().isEqualTo(theirRetransmissions);
        assertThat(ourFast).as("fast retransmissions").isNotEmpty().isEqualTo(theirFast);
        assertThat(ourDuplicates).as("duplicate ACKs and their numbers").isNotEmpty().isEqualTo(theirDuplicates);
    }
}
