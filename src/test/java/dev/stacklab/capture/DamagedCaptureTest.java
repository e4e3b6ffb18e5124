package dev.stacklab.capture;

import dev.stacklab.capture.CaptureVectors.Frame;
import dev.stacklab.capture.CaptureVectors.Vector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static dev.stacklab.capture.CaptureVectors.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Truncated and lying files: the good frames first, then one clear error, quickly and in bounded memory. */
class DamagedCaptureTest {
    static final List<Vector> VECTORS = CaptureVectors.ALL;

    /** A reader may hold its read buffer (at most 1 MiB) and one frame buffer (at most 256 KiB). */
    private static final long ALLOCATION_BOUND = 4L << 20;

    private static final String PCAP_HEADER = "d4c3b2a1 0200 0400 00000000 00000000 00000400 01000000";
    private static final String PCAPNG_HEADER = "0a0d0d0a 1c000000 4d3c2b1a 0100 0000 ffffffffffffffff 1c000000"
            + "01000000 14000000 0100 0000 00000400 14000000";

    @TempDir
    Path directory;

    /** What reading a damaged file gave: the frames, then the error (null for a clean end). */
    record Outcome(List<Frame> frames, CaptureFormatException error) {
    }

    static Outcome readUntilTheEnd(byte[] file) throws IOException {
        List<Frame> frames = new ArrayList<>();
        try (CaptureReader reader = CaptureReader.open(new ByteArrayInputStream(file))) {
            while (reader.next()) {
                frames.add(new Frame(reader.capturedLength(), reader.originalLength(), reader.timestampNanos(), reader.linkType(),
                        HexFormat.of().formatHex(reader.data(), 0, reader.capturedLength())));
            }
        } catch (CaptureFormatException e) {
            return new Outcome(frames, e);
        }
        return new Outcome(frames, null);
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("VECTORS")
    void truncatedAtEveryOffsetGivesTheFramesBeforeTheCutThenAnError(Vector vector) {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            Structure structure = Structure.of(vector.bytes());
            for (int cut = 0; cut < vector.bytes().length; cut++) {
                long fileLength = cut;
                Outcome outcome = readUntilTheEnd(Arrays.copyOf(vector.bytes(), cut));
                int wholeFrames = (int) structure.frameEnds().stream().filter(end -> end <= fileLength).count();
                assertThat(outcome.frames()).as("frames of the file cut at %d", cut)
                        .containsExactlyElementsOf(vector.frames().subList(0, wholeFrames));
                if (structure.recordBoundaries().contains(fileLength)) {
                    assertThat(outcome.error()).as("clean end at record boundary %d", cut).isNull();
                } else {
                    assertThat(outcome.error()).as("error for the file cut at %d", cut).isNotNull();
                    assertThat(outcome.error().offset()).isBetween(0L, (long) cut);
                    assertThat(outcome.error().getMessage()).startsWith("byte offset " + outcome.error().offset() + ": ")
                            .containsAnyOf("truncated", "too short", "empty");
                }
            }
        });
    }

    @Test
    void afterAnErrorTheReaderKeepsReportingIt() throws IOException {
        byte[] cut = Arrays.copyOf(CaptureVectors.PCAP_LITTLE_ENDIAN_MICROSECONDS.bytes(), 50);
        try (CaptureReader reader = CaptureReader.open(new ByteArrayInputStream(cut))) {
            assertThat(reader.next()).isTrue();
            CaptureFormatException first = catchFormatException(reader);
            assertThat(first).hasMessage("byte offset 44: truncated record header: the file ends 6 bytes into the 16-byte header");
            assertThat(catchFormatException(reader)).isSameAs(first);
        }
    }

    @Test
    void pcapHugeCapturedLength() throws IOException {
        assertLyingFileFails(hex(PCAP_HEADER, "00000000 00000000 f0ffffff f0ffffff 0102"),
                "byte offset 32: record claims 4294967280 captured bytes, more than the maximum of 262144");
        assertLyingFileFails(hex(PCAP_HEADER, "00000000 00000000 01000400 01000400 0102"),
                "byte offset 32: record claims 262145 captured bytes, more than the maximum of 262144");
    }

    @Test
    void pcapMaximumCapturedLengthInAShortFileIsTruncation() throws IOException {
        assertLyingFileFails(hex(PCAP_HEADER, "00000000 00000000 00000400 00000400 0102"),
                "byte offset 24: truncated frame: the record header says 262144 captured bytes but the file ends after 2");
    }

    @Test
    void pcapngBlockLengthZeroOrNotAMultipleOf4OrBelowTheMinimum() throws IOException {
        assertLyingFileFails(hex(PCAPNG_HEADER, "06000000 00000000 00000000"),
                "byte offset 52: Enhanced Packet Block length 0 is less than the minimum of 32");
        assertLyingFileFails(hex(PCAPNG_HEADER, "ad0b0080 00000000 00000000"),
                "byte offset 52: block of type 0x80000bad length 0 is less than the minimum of 12");
        assertLyingFileFails(hex(PCAPNG_HEADER, "ad0b0080 08000000 00000000"),
                "byte offset 52: block of type 0x80000bad length 8 is less than the minimum of 12");
        assertLyingFileFails(hex(PCAPNG_HEADER, "ad0b0080 0d000000 00000000 00"),
                "byte offset 52: block of type 0x80000bad length 13 is not a multiple of 4");
        assertLyingFileFails(hex(PCAPNG_HEADER, "01000000 10000000 0100 0000 00000000"),
                "byte offset 52: Interface Description Block length 16 is less than the minimum of 20");
        assertLyingFileFails(hex(PCAPNG_HEADER, "03000000 0c000000 00000000 0c000000"),
                "byte offset 52: Simple Packet Block length 12 is less than the minimum of 16");
        assertLyingFileFails(hex("0a0d0d0a 18000000 4d3c2b1a 0100 0000 ffffffffffffffff 18000000"),
                "byte offset 4: Section Header Block length 24 is less than the minimum of 28");
    }

    @Test
    void pcapngCapturedLengthBeyondItsBlockOrTheMaximum() throws IOException {
        assertLyingFileFails(hex(PCAPNG_HEADER, "06000000 24000000 00000000 00000000 00000000 05000000 05000000 01020304 24000000"),
                "byte offset 68: Enhanced Packet Block claims 5 captured bytes but its length of 36 leaves room for 4");
        assertLyingFileFails(hex(PCAPNG_HEADER, "06000000 fcffffff 00000000 00000000 00000000 f0ffffff f0ffffff 01020304"),
                "byte offset 68: Enhanced Packet Block claims 4294967280 captured bytes but its length of 4294967292 leaves room for 4294967260");
        assertLyingFileFails(hex(PCAPNG_HEADER, "06000000 2c000401 00000000 00000000 00000000 01000400 01000400 01020304"),
                "byte offset 68: frame of 262145 captured bytes is more than the maximum of 262144");
        // An SPB's captured length is its original length cut to the snap length, here 262144, then to the block.
        assertLyingFileFails(hex(PCAPNG_HEADER, "03000000 fcffffff ffffffff 01020304"),
                "byte offset 48: truncated Simple Packet Block: the file ends at offset 64, inside the block");
        String interfaceWithoutSnapLength = "0a0d0d0a 1c000000 4d3c2b1a 0100 0000 ffffffffffffffff 1c000000"
                + "01000000 14000000 0100 0000 00000000 14000000";
        assertLyingFileFails(hex(interfaceWithoutSnapLength, "03000000 fcffffff ffffffff 01020304"),
                "byte offset 56: frame of 4294967276 captured bytes is more than the maximum of 262144");
    }

    @Test
    void pcapngHugeBlockLengthIsTruncationNotAnAllocation() throws IOException {
        assertLyingFileFails(hex(PCAPNG_HEADER, "ad0b0080 fcffffff 00000000 00000000"),
                "byte offset 48: truncated block: the file ends at offset 64, inside the block");
        assertLyingFileFails(hex(PCAPNG_HEADER, "0a0d0d0a fcffffff 4d3c2b1a 0100 0000 ffffffffffffffff 1c000000"),
                "byte offset 48: truncated block: the file ends at offset 76, inside the block");
        assertLyingFileFails(hex(PCAPNG_HEADER, "01000000 fcffffff 0100 0000 00000000 0900 0100 06000000"),
                "byte offset 48: truncated Interface Description Block: the file ends at offset 72, inside the block");
    }

    @Test
    void pcapngLengthsThatDisagree() throws IOException {
        assertLyingFileFails(hex(PCAPNG_HEADER, "ad0b0080 10000000 00000000 14000000"),
                "byte offset 60: the block at offset 48 starts with total length 16 but ends with 20");
        assertLyingFileFails(hex(PCAPNG_HEADER, "01000000 18000000 0100 0000 00000000 0900 0900 18000000"),
                "byte offset 64: option 9 of the Interface Description Block at offset 48 is 9 bytes long, past the end of the block");
    }

    /** The file must fail with {@code message}, within a second, allocating no more than a reader's buffers. */
    private void assertLyingFileFails(byte[] bytes, String message) throws IOException {
        Path file = Files.write(directory.resolve("lying"), bytes);
        assertTimeoutPreemptively(Duration.ofSeconds(1), () -> {
            com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            CaptureFormatException error = null;
            long before = threads.getCurrentThreadAllocatedBytes();
            try (CaptureReader reader = CaptureReader.open(file)) {
                while (reader.next()) {
                    // Frames before the damage, if any.
                }
            } catch (CaptureFormatException e) {
                error = e;
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertThat(error).as("error").isNotNull().hasMessage(message);
            assertThat(allocated).as("bytes allocated").isLessThan(ALLOCATION_BOUND);
        });
    }

    private static CaptureFormatException catchFormatException(CaptureReader reader) {
        try {
            reader.next();
        } catch (CaptureFormatException e) {
            return e;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("no CaptureFormatException");
    }

    /**
     * Where a vector's records (pcap) or blocks (pcapng) end, found by walking the lengths the test
     * vectors are known to hold correctly: the places where a cut file still ends cleanly.
     */
    record Structure(List<Long> recordBoundaries, List<Long> frameEnds) {
        static Structure of(byte[] file) {
            List<Long> boundaries = new ArrayList<>();
            List<Long> frameEnds = new ArrayList<>();
            ByteBuffer bytes = ByteBuffer.wrap(file);
            int magic = bytes.getInt(0);
            if (magic == 0x0A0D0D0A) {
                int offset = 0;
                while (offset < file.length) {
                    int type = bytes.getInt(offset);
                    if (type == 0x0A0D0D0A) {
                        boolean bigEndian = bytes.order(ByteOrder.BIG_ENDIAN).getInt(offset + 8) == 0x1A2B3C4D;
                        bytes.order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
                    }
                    offset += bytes.getInt(offset + 4);
                    if (type == 2 || type == 3 || type == 6) {
                        frameEnds.add((long) offset);
                    }
                    boundaries.add((long) offset);
                }
            } else {
                bytes.order(magic == 0xA1B2C3D4 || magic == 0xA1B23C4D ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
                int offset = 24;
                boundaries.add(24L);
                while (offset < file.length) {
                    offset += 16 + bytes.getInt(offset + 8);
                    frameEnds.add((long) offset);
                    boundaries.add((long) offset);
                }
            }
            return new Structure(boundaries, frameEnds);
        }
    }
}
