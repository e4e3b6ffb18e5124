package dev.stacklab.dissect;

import dev.stacklab.capture.CaptureReader;
import dev.stacklab.capture.SampleCapture;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The summary line both faces print: tshark's default columns, padded as tshark pads them. */
class SummaryLineTest {
    @Test
    void padsNumberTimeAndAddressesAsTsharkDoes() {
        FrameSummary arp = new FrameSummary(4, 503_038_000L, "0e:8e:5f:d9:cf:bb", "Broadcast", "ARP", 42,
                "Who has 10.77.0.2? Tell 10.77.0.1", false);
        assertThat(SummaryLine.of(arp))
                .isEqualTo("    4   0.503038 0e:8e:5f:d9:cf:bb → Broadcast    ARP 42 Who has 10.77.0.2? Tell 10.77.0.1");
        FrameSummary late = new FrameSummary(123_456, 86_400_000_000_000L, "10.77.0.1", "10.77.0.2", "UDP", 44, "35873 → 9999 Len=2", false);
        assertThat(SummaryLine.of(late))
                .isEqualTo("123456 86400.000000    10.77.0.1 → 10.77.0.2    UDP 44 35873 → 9999 Len=2");
    }

    @Test
    void appendsToABuilderWithoutALineEnd() {
        StringBuilder out = new StringBuilder("kept:");
        SummaryLine.appendTo(out, new FrameSummary(1, 0, "a", "b", "Ethernet", 60, "", false));
        assertThat(out).hasToString("kept:    1   0.000000            a → b            Ethernet 60 ");
    }

    /** tshark cuts the time to the decimals shown (a pcapng time in units of 10^-7 s, 12.3456789 s, shows as 12.345678). */
    @Test
    void secondsAreCutToTheMicrosecondWithSixDecimals() {
        assertThat(SummaryLine.seconds(0)).isEqualTo("0.000000");
        assertThat(SummaryLine.seconds(1_499)).isEqualTo("0.000001");
        assertThat(SummaryLine.seconds(1_999)).isEqualTo("0.000001");
        assertThat(SummaryLine.seconds(12_345_678_900L)).isEqualTo("12.345678");
        assertThat(SummaryLine.seconds(2_000_000_001L)).isEqualTo("2.000000");
        assertThat(SummaryLine.seconds(-1_250_000L)).isEqualTo("-0.001250");
        assertThat(SummaryLine.seconds(-999L)).as("no sign on a time shown as zero").isEqualTo("0.000000");
    }

    @Test
    void secondsHaveTheDecimalsTheFileRecords() {
        assertThat(SummaryLine.seconds(10_740L, 9)).isEqualTo("0.000010740");
        assertThat(SummaryLine.seconds(12_345_678_900L, 3)).isEqualTo("12.345");
        assertThat(SummaryLine.seconds(12_345_678_900L, 2)).isEqualTo("12.34");
        assertThat(SummaryLine.seconds(12_345_678_900L, 1)).isEqualTo("12.3");
        assertThat(SummaryLine.seconds(12_345_678_900L, 0)).isEqualTo("12");
        assertThat(SummaryLine.seconds(-1_500_000_000L, 0)).isEqualTo("-1");
        FrameSummary nanoseconds = new FrameSummary(2, 10_740L, 9, "127.0.0.1", "127.0.0.1", "ICMP", 98, "Echo (ping) reply", false);
        assertThat(SummaryLine.of(nanoseconds)).isEqualTo("    2 0.000010740    127.0.0.1 → 127.0.0.1    ICMP 98 Echo (ping) reply");
        FrameSummary seconds = new FrameSummary(3, 7_900_000_000L, 0, "a", "b", "UDP", 42, "", false);
        assertThat(SummaryLine.of(seconds)).isEqualTo("    3          7            a → b            UDP 42 ");
    }

    @Test
    void isTheLineOfWhatTheDissectorSummarized() {
        Dissector dissector = new Dissector();
        byte[] arpRequest = HexFormat.of().parseHex(
                "ffffffffffff0e8e5fd9cfbb080600010800060400010e8e5fd9cfbb0a4d00010000000000000a4d0002");
        FrameSummary summary = dissector.summarize(7_000_000_000L, arpRequest, arpRequest.length, arpRequest.length);
        assertThat(SummaryLine.of(summary)).endsWith(" → Broadcast    ARP 42 Who has 10.77.0.2? Tell 10.77.0.1")
                .startsWith("    1   0.000000 ");
    }

    @Test
    void theUtf8LineHasTheBytesOfTheStringLine() {
        FrameSummary[] summaries = {
            new FrameSummary(4, 503_038_000L, "0e:8e:5f:d9:cf:bb", "Broadcast", "ARP", 42, "Who has 10.77.0.2? Tell 10.77.0.1", false),
            new FrameSummary(123_456, 86_400_000_000_000L, "10.77.0.1", "10.77.0.2", "UDP", 44, "35873 → 9999 Len=2", false),
            new FrameSummary(1_234_567, -1_250_000L, "a", "a-very-long-destination", "Ethernet", 60, "é 😀 \uD800", true),
            new FrameSummary(-3, 1_499, "", "", "", 0, "", false),
            new FrameSummary(9, 123_456_789_012L, 9, "a", "b", "UDP", 42, "", false),
            new FrameSummary(10, -123_456_789_012L, 3, "a", "b", "UDP", 42, "", false),
            new FrameSummary(11, 123_456_789_012L, 0, "a", "b", "UDP", 42, "", false),
            new FrameSummary(12, -999L, 6, "a", "b", "UDP", 42, "", false),
        };
        for (FrameSummary summary : summaries) {
            Utf8Text out = new Utf8Text(4);
            SummaryLine.appendTo(out, summary);
            assertThat(Arrays.copyOf(out.bytes(), out.length())).as(summary.toString())
                    .isEqualTo(SummaryLine.of(summary).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Dissector.summarizeLine writes, frame by frame, the bytes of the line of what summarize returns. */
    @Test
    void summarizeLineWritesTheLineOfEveryFrameOfRealCaptures() throws IOException {
        int frames = 0;
        for (String resource : List.of("/dev/stacklab/capture/" + SampleCapture.NAME, "l3-kernel.pcap", "l3-crafted.pcap",
                "/dev/stacklab/capture/ping-lo.pcapng")) {
            InputStream in = SummaryLineTest.class.getResourceAsStream(resource);
            assertThat(in).as(resource).isNotNull();
            Dissector strings = new Dissector();
            Dissector bytes = new Dissector();
            Utf8Text out = new Utf8Text(16);
            try (CaptureReader reader = CaptureReader.open(in)) {
                while (reader.next()) {
                    FrameSummary summary = strings.summarize(reader.timestampNanos(), reader.data(), reader.capturedLength(),
                            reader.originalLength());
                    out.clear();
                    bytes.summarizeLine(reader.timestampNanos(), reader.data(), reader.capturedLength(), reader.originalLength(), out);
                    assertThat(new String(out.bytes(), 0, out.length(), StandardCharsets.UTF_8)).as(resource)
                            .isEqualTo(SummaryLine.of(summary));
                    frames++;
                }
            }
        }
        assertThat(frames).isGreaterThan(50);
    }

    /** A batch of columns, filled by summarizeInto and written by appendLine, holds the lines summarizeLine writes. */
    @Test
    void aBatchWritesTheLinesSummarizeLineWrites() throws IOException {
        for (int capacity : new int[] {1, 3, 1024}) {
            InputStream in = SummaryLineTest.class.getResourceAsStream("/dev/stacklab/capture/" + SampleCapture.NAME);
            Dissector direct = new Dissector();
            Dissector batched = new Dissector();
            Utf8Text expected = new Utf8Text(16);
            Utf8Text written = new Utf8Text(16);
            SummaryBatch batch = new SummaryBatch(capacity);
            int frames = 0;
            try (CaptureReader reader = CaptureReader.open(in)) {
                while (reader.next()) {
                    direct.summarizeLine(reader.timestampNanos(), reader.data(), reader.capturedLength(), reader.originalLength(), expected);
                    expected.appendAscii('\n');
                    batched.summarizeInto(reader.timestampNanos(), reader.data(), reader.capturedLength(), reader.originalLength(), batch);
                    frames++;
                    if (batch.isFull()) {
                        writeAndClear(batch, written);
                    }
                }
            }
            writeAndClear(batch, written);
            assertThat(frames).isGreaterThan(20);
            assertThat(new String(written.bytes(), 0, written.length(), StandardCharsets.UTF_8)).as("batches of %d", capacity)
                    .isEqualTo(new String(expected.bytes(), 0, expected.length(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aFullBatchTakesNoMoreSummaries() {
        byte[] arpRequest = HexFormat.of().parseHex(
                "ffffffffffff0e8e5fd9cfbb080600010800060400010e8e5fd9cfbb0a4d00010000000000000a4d0002");
        SummaryBatch batch = new SummaryBatch(1);
        Dissector dissector = new Dissector();
        dissector.summarizeInto(0, arpRequest, arpRequest.length, arpRequest.length, batch);
        assertThat(batch.isFull()).isTrue();
        org.assertj.core.api.Assertions.assertThatIllegalStateException()
                .isThrownBy(() -> dissector.summarizeInto(0, arpRequest, arpRequest.length, arpRequest.length, batch));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> batch.appendLine(1, new Utf8Text(16)))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    private static void writeAndClear(SummaryBatch batch, Utf8Text out) {
        for (int i = 0; i < batch.size(); i++) {
            batch.appendLine(i, out).appendAscii('\n');
        }
        batch.clear();
    }
}
