package dev.stacklab.app.capture;

import dev.stacklab.capture.CapturedFrame.Direction;
import dev.stacklab.capture.CaptureReader;
import dev.stacklab.capture.SampleCapture;
import dev.stacklab.dissect.Dissector;
import dev.stacklab.dissect.FrameInterface;
import dev.stacklab.dissect.FrameSummary;
import dev.stacklab.dissect.SummaryBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The column store: what goes in comes out (bytes, times, lengths, texts in any script), and the ring lets arenas go. */
class FrameStoreTest {
    @TempDir
    Path temp;

    private static byte[] frame(int number, int length) {
        byte[] bytes = new byte[length];
        new Random(number).nextBytes(bytes);
        return bytes;
    }

    private static FrameSummary summary(int number) {
        return new FrameSummary(number, 0, "10.0.0." + number % 250, "Intel_é" + number, number % 2 == 0 ? "TCP" : "ICMP",
                60 + number % 1400, "40000 → 80 [SYN] Seq=" + number + " 🙂 " + "x".repeat(number % 300), false);
    }

    /** Each frame keeps the pcapng interface it came on, through runs, interfaces alternating, and the ring dropping. */
    @Test
    void framesKeepTheirInterfaceAsTheRingMovesOn() {
        FrameStore store = new FrameStore(4);
        FrameInterface eth0 = new FrameInterface(1, 0, "eth0", null);
        FrameInterface wlan0 = new FrameInterface(1, 1, "wlan0", "the radio");
        FrameInterface[] on = {eth0, eth0, eth0, wlan0, eth0, wlan0, wlan0, null};
        for (int number = 1; number <= on.length; number++) {
            store.add(number * 1_000L, Direction.IN, frame(number, 60), 60, summary(number), ColouringRule.ARP);
            if (on[number - 1] != null) {
                store.captureInterface(number, on[number - 1]);
            }
            for (int held = Math.max(1, number - 3); held <= number; held++) {
                // A frame added without one (a live frame) continues the last run, as it came after it.
                FrameInterface expected = on[held - 1] != null ? on[held - 1] : on[held - 2];
                assertThat(store.captureInterface(held)).as("frame %d after %d added", held, number).isEqualTo(expected);
            }
        }
        FrameStore.FrameChunk chunk = new FrameStore.FrameChunk(8);
        store.copy(5, 8, chunk);
        assertThat(Arrays.asList(chunk.interfaces).subList(0, chunk.count)).containsExactly(eth0, wlan0, wlan0, wlan0);
        FrameStore pcap = new FrameStore(4);
        pcap.add(1_000L, Direction.IN, frame(1, 60), 60, summary(1), ColouringRule.ARP);
        assertThat(pcap.captureInterface(1)).as("a pcap file's frame").isNull();
    }

    @Test
    void framesAndTheirColumnsComeBackAsTheyWent() {
        FrameStore store = new FrameStore(10_000);
        for (int number = 1; number <= 5_000; number++) {
            byte[] bytes = frame(number, 14 + number % 1500);
            byte[] reused = Arrays.copyOf(bytes, bytes.length + 100);
            store.add(1_000_000_000L + number * 1_000L, number % 3 == 0 ? Direction.IN : Direction.OUT, reused, bytes.length,
                    60 + number % 1400, summary(number), ColouringRule.values()[number % ColouringRule.values().length]);
            Arrays.fill(reused, (byte) 0);
        }
        assertThat(store.size()).isEqualTo(5_000);
        for (int number = 1; number <= 5_000; number += 7) {
            PacketRow row = store.row(number);
            FrameSummary expected = summary(number);
            assertThat(row.number()).isEqualTo(number);
            assertThat(row.relativeTimeNanos()).isEqualTo((number - 1) * 1_000L);
            assertThat(row.source()).isEqualTo(expected.source());
            assertThat(row.destination()).isEqualTo(expected.destination());
            assertThat(row.protocol()).isEqualTo(expected.protocol());
            assertThat(row.info()).isEqualTo(expected.info());
            assertThat(row.length()).isEqualTo(60 + number % 1400);
            assertThat(row.direction()).isEqualTo(number % 3 == 0 ? Direction.IN : Direction.OUT);
            assertThat(row.colour()).isEqualTo(ColouringRule.values()[number % ColouringRule.values().length]);
            assertThat(store.bytes(number)).isEqualTo(frame(number, 14 + number % 1500));
        }
        FrameStore.FrameChunk chunk = new FrameStore.FrameChunk(64);
        assertThat(store.copy(100, 64, chunk)).isEqualTo(100);
        assertThat(chunk.count).isEqualTo(64);
        for (int i = 0; i < chunk.count; i++) {
            byte[] expected = frame(100 + i, 14 + (100 + i) % 1500);
            assertThat(Arrays.copyOf(chunk.frame(i), chunk.capturedLengths[i])).isEqualTo(expected);
            assertThat(Arrays.copyOfRange(chunk.arenas[i], chunk.offsets[i], chunk.offsets[i] + chunk.capturedLengths[i])).isEqualTo(expected);
        }
    }

    @Test
    void columnsTakenFromTheDissectorsBatchReadAsItsSummaries() throws java.io.IOException {
        FrameStore store = new FrameStore(10_000);
        Dissector batched = new Dissector();
        Dissector summaries = new Dissector();
        SummaryBatch columns = new SummaryBatch(1);
        java.util.List<FrameSummary> expected = new java.util.ArrayList<>();
        for (var source : java.util.List.of(SampleCapture.open(), java.nio.file.Files.newInputStream(CaptureTestSupport.synthCapture(temp.resolve("synth.pcap"), 64)))) {
            try (CaptureReader reader = CaptureReader.open(source)) {
                while (reader.next()) {
                    byte[] bytes = reader.data();
                    int length = reader.capturedLength();
                    columns.clear();
                    batched.summarizeInto(reader.timestampNanos(), bytes, length, reader.originalLength(), columns);
                    store.add(reader.timestampNanos(), Direction.UNKNOWN, bytes, length, reader.originalLength(), columns, 0, ColouringRule.NONE);
                    expected.add(summaries.summarize(reader.timestampNanos(), bytes, length, reader.originalLength()));
                }
            }
        }
        assertThat(store.size()).isEqualTo(expected.size()).isGreaterThan(64);
        for (FrameSummary summary : expected) {
            PacketRow row = store.row(summary.number());
            assertThat(List.of(row.source(), row.destination(), row.protocol(), row.info()))
                    .as("frame %d", summary.number())
                    .containsExactly(summary.source(), summary.destination(), summary.protocol(), summary.info());
        }
    }

    @Test
    void theRingDropsTheOldestAndLetsTheirArenasGo() {
        int capacity = 3_000;
        FrameStore store = new FrameStore(capacity);
        int total = 40_000;
        for (int number = 1; number <= total; number++) {
            byte[] bytes = frame(number, 1000);
            store.add(number, Direction.UNKNOWN, bytes, bytes.length, summary(number), ColouringRule.ARP);
        }
        assertThat(store.size()).isEqualTo(capacity);
        assertThat(store.ringDropped()).isEqualTo(total - capacity);
        assertThat(store.firstNumber()).isEqualTo(total - capacity + 1);
        assertThat(store.row(total).info()).isEqualTo(summary(total).info());
        assertThat(store.bytes(total - capacity + 1)).isEqualTo(frame(total - capacity + 1, 1000));
        assertThatThrownBy(() -> store.row(total - capacity)).isInstanceOf(IndexOutOfBoundsException.class);
        // About 1,100 bytes a record: the arenas held are those of the last 3,000 frames, not of all 40,000.
        long held = (long) store.arenaCount() * FrameStore.ARENA_BYTES;
        assertThat(held).isLessThan(capacity * 1_400L + 2L * FrameStore.ARENA_BYTES);
    }

    @Test
    void aRingOfOneKeepsOnlyTheNewestArena() {
        FrameStore store = new FrameStore(1);
        for (int number = 1; number <= 20_000; number++) {
            byte[] bytes = frame(number, 1500);
            store.add(number, Direction.UNKNOWN, bytes, bytes.length, summary(number), ColouringRule.ARP);
        }
        assertThat(store.size()).isEqualTo(1);
        assertThat(store.row(20_000).info()).isEqualTo(summary(20_000).info());
        assertThat(store.arenaCount()).isLessThanOrEqualTo(2);
    }
}
