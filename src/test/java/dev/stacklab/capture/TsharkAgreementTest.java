package dev.stacklab.capture;

import dev.stacklab.capture.CaptureVectors.Frame;
import dev.stacklab.capture.CaptureVectors.Vector;
import dev.stacklab.testsupport.Prerequisites;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * tshark is the oracle: every literal-byte capture must read, without a complaint, as the same frames
 * with the same lengths and times in tshark as in stacklab.
 */
class TsharkAgreementTest {
    static final List<Vector> VECTORS = CaptureVectors.ALL;

    @TempDir
    Path directory;

    @BeforeAll
    static void requireTshark() {
        Prerequisites.requireCommand("tshark");
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("VECTORS")
    void tsharkReadsTheSameFrames(Vector vector) throws Exception {
        Path file = directory.resolve(vector.name());
        Files.write(file, vector.bytes());

        ExternalCommand tshark = ExternalCommand.run("tshark", "-r", file.toString(),
                "-T", "fields", "-e", "frame.len", "-e", "frame.cap_len", "-e", "frame.time_epoch");

        assertThat(tshark.complaints()).as("tshark warnings").isEmpty();
        assertThat(tshark.exitCode()).isZero();
        List<String> stacklab;
        try (CaptureReader reader = CaptureReader.open(file)) {
            stacklab = CaptureReaderTest.readAll(reader).stream().map(TsharkAgreementTest::asTsharkFields).toList();
        }
        assertThat(stacklab).containsExactlyElementsOf(tshark.outputLines());
    }

    /**
     * Real captures of pings on a namespace's loopback: tshark's own pcapng (SHB and IDB options,
     * nanosecond if_tsresol, EPB options, an Interface Statistics Block) and tcpdump's classic pcap.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ping-lo.pcapng", "ping-lo.pcap"})
    void tsharkReadsRealCapturesAsStacklabDoes(String resource) throws Exception {
        Path file = directory.resolve(resource);
        try (InputStream in = TsharkAgreementTest.class.getResourceAsStream(resource)) {
            Files.copy(in, file);
        }

        ExternalCommand tshark = ExternalCommand.run("tshark", "-r", file.toString(),
                "-T", "fields", "-e", "frame.len", "-e", "frame.cap_len", "-e", "frame.time_epoch");

        assertThat(tshark.complaints()).as("tshark warnings").isEmpty();
        List<Frame> frames;
        try (CaptureReader reader = CaptureReader.open(file)) {
            frames = CaptureReaderTest.readAll(reader);
        }
        assertThat(frames).hasSizeGreaterThanOrEqualTo(4).allSatisfy(frame -> {
            assertThat(frame.linkType()).isEqualTo(LinkType.ETHERNET);
            // Loopback frames: zero MAC addresses, IPv4.
            assertThat(frame.dataHex()).startsWith("000000000000" + "000000000000" + "0800");
        });
        assertThat(frames.stream().map(TsharkAgreementTest::asTsharkFields).toList())
                .containsExactlyElementsOf(tshark.outputLines());
    }

    /** tshark's line for a frame; a frame without a timestamp (pcapng SPB) has an empty time. */
    static String asTsharkFields(Frame frame) {
        String time = frame.timestampNanos() == 0 ? "" : epochSeconds(frame.timestampNanos());
        return frame.originalLength() + "\t" + frame.capturedLength() + "\t" + time;
    }

    /** Seconds since the epoch with nine decimals, as tshark prints {@code frame.time_epoch}. */
    static String epochSeconds(long nanos) {
        return Math.floorDiv(nanos, 1_000_000_000L) + "." + String.format("%09d", Math.floorMod(nanos, 1_000_000_000L));
    }
}
