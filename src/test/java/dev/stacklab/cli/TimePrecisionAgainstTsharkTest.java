package dev.stacklab.cli;

import dev.stacklab.capture.CaptureReader;
import dev.stacklab.testsupport.Prerequisites;
import dev.stacklab.testsupport.Processes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Time column shows as many decimals as the file records, as tshark's does: ping-lo.pcapng (dumpcap's pings on a
 * namespace's loopback, in nanoseconds) as it is, as a nanosecond and a microsecond pcap (editcap), and rewritten here
 * with every other pcapng timestamp resolution ({@code if_tsresol} 10^-0 to 10^-9, 2^-4 to 2^-30), each time cut to
 * the file's unit. {@code decode} and {@code decode -V} must print what tshark prints, line for line.
 */
class TimePrecisionAgainstTsharkTest {
    private static final String RESOURCE = "/dev/stacklab/capture/ping-lo.pcapng";
    /** if_tsresol values: a power of ten, or 0x80 and a power of two. */
    private static final int[] RESOLUTIONS = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0x80 | 4, 0x80 | 7, 0x80 | 9, 0x80 | 10, 0x80 | 20, 0x80 | 30};

    @TempDir
    Path directory;

    @BeforeAll
    static void requireTshark() {
        Prerequisites.requireCommand("tshark");
        Prerequisites.requireCommand("editcap");
    }

    private record Frame(long timestampNanos, byte[] bytes) {
    }

    @Test
    void everyResolutionShowsAsTsharkShowsIt() throws IOException {
        Path original = directory.resolve("ping-lo.pcapng");
        try (InputStream in = TimePrecisionAgainstTsharkTest.class.getResourceAsStream(RESOURCE)) {
            Files.copy(in, original);
        }
        List<Frame> frames = new ArrayList<>();
        try (CaptureReader reader = CaptureReader.open(original)) {
            while (reader.next()) {
                frames.add(new Frame(reader.timestampNanos(), Arrays.copyOf(reader.data(), reader.capturedLength())));
            }
        }
        assertThat(frames).hasSizeGreaterThanOrEqualTo(4);
        List<Path> files = new ArrayList<>(List.of(original));
        for (String format : List.of("nsecpcap", "pcap")) {
            Path converted = directory.resolve("ping-lo-" + format + ".pcap");
            List<String> editcap = List.of("editcap", "-F", format, original.toString(), converted.toString());
            Processes.run(editcap, 60).orThrow(editcap);
            files.add(converted);
        }
        for (int resolution : RESOLUTIONS) {
            Path file = directory.resolve("ping-lo-tsresol-" + Integer.toHexString(resolution) + ".pcapng");
            Files.write(file, pcapng(resolution, frames));
            files.add(file);
        }
        List<String> decimals = new ArrayList<>();
        for (Path file : files) {
            List<String> theirs = tshark("-r", file.toString());
            assertThat(theirs).as("tshark %s", file).hasSameSizeAs(frames);
            assertThat(decode(file.toString())).as("decode %s", file.getFileName()).containsExactlyElementsOf(theirs);
            assertThat(decode("-V", file.toString())).as("decode -V %s", file.getFileName())
                    .containsExactlyElementsOf(tshark("-r", file.toString(), "-V"));
            String secondFrameTime = theirs.get(1).trim().split(" +")[1];
            decimals.add(secondFrameTime.contains(".") ? secondFrameTime.substring(secondFrameTime.indexOf('.') + 1) : "");
        }
        // The files did show times of every width: nanoseconds, microseconds, milliseconds, hundredths, tenths, seconds.
        assertThat(decimals.stream().map(String::length).distinct().sorted().toList()).containsExactly(0, 1, 2, 3, 6, 9);
        assertThat(decimals.get(0)).as("ping-lo.pcapng's reply, 10,740 ns after its request").isEqualTo("000010740");
    }

    /** One section, one Ethernet interface with {@code if_tsresol} = {@code resolution}, an EPB per frame. */
    private static byte[] pcapng(int resolution, List<Frame> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(block(0x0A0D0D0A, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0).putLong(-1).array()));
        out.writeBytes(block(1, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
                .putShort((short) 1).putShort((short) 0).putInt(0)
                .putShort((short) 9).putShort((short) 1).put((byte) resolution).put(new byte[3]).array()));
        for (Frame frame : frames) {
            long units = units(frame.timestampNanos(), resolution);
            int padded = (frame.bytes().length + 3) / 4 * 4;
            out.writeBytes(block(6, ByteBuffer.allocate(20 + padded).order(ByteOrder.LITTLE_ENDIAN)
                    .putInt(0).putInt((int) (units >>> 32)).putInt((int) units).putInt(frame.bytes().length)
                    .putInt(frame.bytes().length).put(frame.bytes()).array()));
        }
        return out.toByteArray();
    }

    /** The time in the interface's units, cut (a writer keeps what its unit can hold). */
    private static long units(long nanos, int resolution) {
        long seconds = nanos / 1_000_000_000L;
        long fraction = nanos % 1_000_000_000L;
        if ((resolution & 0x80) != 0) {
            int shift = resolution & 0x7F;
            return (seconds << shift) + (fraction << shift) / 1_000_000_000L;
        }
        long perSecond = (long) Math.pow(10, resolution);
        return seconds * perSecond + fraction / (1_000_000_000L / perSecond);
    }

    private static byte[] block(int type, byte[] body) {
        int length = 12 + body.length;
        return ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN).putInt(type).putInt(length).put(body).putInt(length).array();
    }

    private static List<String> tshark(String... args) {
        // decode checks IPv4 header checksums, as tshark does when asked to.
        List<String> command = new ArrayList<>(List.of("tshark", "-o", "ip.check_checksum:TRUE"));
        command.addAll(List.of(args));
        return Processes.run(command, 120).orThrow(command).stdout().lines().toList();
    }

    private static List<String> decode(String... args) {
        List<String> command = new ArrayList<>(List.of("decode"));
        command.addAll(List.of(args));
        CommandRun run = CommandRun.of(command.toArray(String[]::new));
        assertThat(run.exitCode()).as("decode exit code; stderr: %s", run.err()).isZero();
        return run.out().lines().toList();
    }
}
