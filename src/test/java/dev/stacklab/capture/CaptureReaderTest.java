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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static dev.stacklab.capture.CaptureVectors.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CaptureReaderTest {
    static final List<Vector> VECTORS = CaptureVectors.ALL;

    @TempDir
    Path directory;

    /** Every frame of a reader, copied out of its reused buffer. */
    static List<Frame> readAll(CaptureReader reader) throws IOException {
        List<Frame> frames = new ArrayList<>();
        while (reader.next()) {
            frames.add(new Frame(reader.capturedLength(), reader.originalLength(), reader.timestampNanos(), reader.linkType(),
                    HexFormat.of().formatHex(reader.data(), 0, reader.capturedLength())));
        }
        return frames;
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("VECTORS")
    void readsEveryVariantFromAFile(Vector vector) throws IOException {
        Path file = directory.resolve(vector.name());
        Files.write(file, vector.bytes());
        try (CaptureReader reader = CaptureReader.open(file)) {
            assertThat(reader.format()).isEqualTo(vector.format());
            assertThat(readAll(reader)).containsExactlyElementsOf(vector.frames());
            assertThat(reader.next()).as("stays at the end").isFalse();
        }
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("VECTORS")
    void readsEveryVariantFromAStream(Vector vector) throws IOException {
        try (CaptureReader reader = CaptureReader.open(new ByteArrayInputStream(vector.bytes()))) {
            assertThat(readAll(reader)).containsExactlyElementsOf(vector.frames());
        }
    }

    @Test
    void rejectsAFileThatIsNeitherPcapNorPcapng() throws IOException {
        Path file = directory.resolve("text");
        Files.writeString(file, "GET / HTTP/1.1\r\n");
        assertThatThrownBy(() -> CaptureReader.open(file))
                .isInstanceOf(CaptureFormatException.class)
                .hasMessage("byte offset 0: magic number 0x47455420 is neither classic pcap (a1b2c3d4 / a1b23c4d, "
                        + "either byte order) nor pcapng (0a0d0d0a)");
    }

    @Test
    void rejectsEmptyAndTinyFiles() {
        assertThatThrownBy(() -> CaptureReader.open(new ByteArrayInputStream(new byte[0])))
                .isInstanceOf(CaptureFormatException.class).hasMessageContaining("the file is empty");
        assertThatThrownBy(() -> CaptureReader.open(new ByteArrayInputStream(hex("d4c3b2"))))
                .isInstanceOf(CaptureFormatException.class).hasMessageContaining("only 3 bytes long");
    }

    @Test
    void rejectsArchaicPcapVersion() {
        byte[] version1 = hex("d4c3b2a1 0100 0000 00000000 00000000 00000400 01000000");
        assertThatThrownBy(() -> CaptureReader.open(new ByteArrayInputStream(version1)))
                .isInstanceOf(CaptureFormatException.class)
                .hasMessage("byte offset 4: unsupported pcap version 1.0");
    }

    @Test
    void pcapLinkTypeIgnoresTheFcsBitsAboveIt() throws IOException {
        // Bit 28 set: "FCS length present" (draft-ietf-opsawg-pcap section 8.2), link type still Ethernet.
        byte[] withFcsBits = hex("d4c3b2a1 0200 0400 00000000 00000000 00000400 01000010");
        try (CaptureReader reader = CaptureReader.open(new ByteArrayInputStream(withFcsBits))) {
            assertThat(reader.linkType()).isEqualTo(LinkType.ETHERNET);
            assertThat(reader.next()).isFalse();
        }
    }

    @Test
    void pcapngRejectsAVersionOtherThan1() {
        byte[] version2 = hex("0a0d0d0a 1c000000 4d3c2b1a 0200 0000 ffffffffffffffff 1c000000");
        assertThatThrownBy(() -> CaptureReader.open(new ByteArrayInputStream(version2)))
                .isInstanceOf(CaptureFormatException.class)
                .hasMessage("byte offset 12: unsupported pcapng version 2.0");
    }

    @Test
    void pcapngRejectsABadByteOrderMagic() {
        byte[] badMagic = hex("0a0d0d0a 1c000000 4d3c2b1b 0100 0000 ffffffffffffffff 1c000000");
        assertThatThrownBy(() -> CaptureReader.open(new ByteArrayInputStream(badMagic)))
                .isInstanceOf(CaptureFormatException.class)
                .hasMessageStartingWith("byte offset 8: Section Header Block byte-order magic is 0x4d3c2b1b");
    }

    @Test
    void pcapngPacketOnAnUndescribedInterfaceIsAnError() throws IOException {
        byte[] file = hex(
                "0a0d0d0a 1c000000 4d3c2b1a 0100 0000 ffffffffffffffff 1c000000",
                "01000000 14000000 0100 0000 00000400 14000000",
                "06000000 20000000 01000000 00000000 00000000 00000000 00000000 20000000");
        try (CaptureReader reader = CaptureReader.open(new ByteArrayInputStream(file))) {
            assertThatThrownBy(reader::next)
                    .isInstanceOf(CaptureFormatException.class)
                    .hasMessage("byte offset 56: Enhanced Packet Block refers to interface 1 but the section describes 1 interface");
        }
    }

    @Test
    void pcapngSimplePacketBeforeAnyInterfaceIsAnError() throws IOException {
        byte[] file = hex(
                "0a0d0d0a 1c000000 4d3c2b1a 0100 0000 ffffffffffffffff 1c000000",
                "03000000 14000000 04000000 0a0b0c0d 14000000");
        try (CaptureReader reader = CaptureReader.open(new ByteArrayInputStream(file))) {
            assertThatThrownBy(reader::next)
                    .isInstanceOf(CaptureFormatException.class)
                    .hasMessage("byte offset 28: Simple Packet Block refers to interface 0 but the section describes 0 interfaces");
        }
    }

    @Test
    void pcapngSecondSectionForgetsTheInterfacesOfTheFirst() throws IOException {
        byte[] file = hex(
                "0a0d0d0a 1c000000 4d3c2b1a 0100 0000 ffffffffffffffff 1c000000",
                "01000000 14000000 0100 0000 00000400 14000000",
                "0a0d0d0a 1c000000 4d3c2b1a 0100 0000 ffffffffffffffff 1c000000",
                "06000000 20000000 00000000 00000000 00000000 00000000 00000000 20000000");
        try (CaptureReader reader = CaptureReader.open(new ByteArrayInputStream(file))) {
            assertThatThrownBy(reader::next)
                    .isInstanceOf(CaptureFormatException.class)
                    .hasMessageContaining("refers to interface 0 but the section describes 0 interfaces");
        }
    }

    @Test
    void pcapngFramesNameTheirInterfaceAndSection() throws IOException {
        byte[] file = hex(
                "0a0d0d0a 1c000000 4d3c2b1a 0100 0000 ffffffffffffffff 1c000000",
                "01000000 2c000000 0100 0000 00000400",                            // IDB 0: Ethernet
                "0200 0200 6c6f 0000",                                              //   if_name "lo"
                "0300 0800 4c6f6f706261636b",                                       //   if_description "Loopback"
                "0000 0000 2c000000",
                "01000000 14000000 0100 0000 00000400 14000000",                   // IDB 1: no name
                "06000000 24000000 01000000 240a0600 40222018 04000000 04000000 01020304 24000000",
                "0a0d0d0a 1c000000 4d3c2b1a 0100 0000 ffffffffffffffff 1c000000",  // section 2
                "01000000 20000000 0100 0000 00000400 0200 0400 65746830 00000000 20000000", // if_name "eth0"
                "06000000 24000000 00000000 240a0600 40222018 04000000 04000000 05060708 24000000");
        try (CaptureReader reader = CaptureReader.open(new ByteArrayInputStream(file))) {
            assertThat(reader.next()).isTrue();
            assertThat(reader.captureInterface()).isEqualTo(new CaptureInterface(1, 1, null, null));
            assertThat(reader.next()).isTrue();
            assertThat(reader.captureInterface()).isEqualTo(new CaptureInterface(2, 0, "eth0", null));
            assertThat(reader.next()).isFalse();
        }
        byte[] named = hex(
                "0a0d0d0a 1c000000 4d3c2b1a 0100 0000 ffffffffffffffff 1c000000",
                "01000000 2c000000 0100 0000 00000400",
                "0200 0200 6c6f 0000",
                "0300 0800 4c6f6f706261636b",
                "0000 0000 2c000000",
                "06000000 24000000 00000000 240a0600 40222018 04000000 04000000 01020304 24000000");
        try (CaptureReader reader = CaptureReader.open(new ByteArrayInputStream(named))) {
            assertThat(reader.next()).isTrue();
            assertThat(reader.captureInterface()).isEqualTo(new CaptureInterface(1, 0, "lo", "Loopback"));
        }
        try (CaptureReader reader = CaptureReader.open(new ByteArrayInputStream(CaptureVectors.PCAP_LITTLE_ENDIAN_MICROSECONDS.bytes()))) {
            assertThat(reader.next()).isTrue();
            assertThat(reader.captureInterface()).isNull();
        }
    }

    @Test
    void pcapngDecimalAndBinaryTimestampResolutions() {
        // if_tsresol: 10^-e for e = 0, 3, 6, 9, 12; 2^-e for e = 0, 10, 20, 32, 40.
        long units = 1_700_000_000L;
        assertThat(new PcapngInterface(1, 0, 0, false, 0, null, null).nanos(units)).isEqualTo(1_700_000_000_000_000_000L);
        assertThat(new PcapngInterface(1, 0, 3, false, 0, null, null).nanos(units)).isEqualTo(1_700_000_000_000_000L);
        assertThat(new PcapngInterface(1, 0, 6, false, 0, null, null).nanos(units)).isEqualTo(1_700_000_000_000L);
        assertThat(new PcapngInterface(1, 0, 9, false, 0, null, null).nanos(units)).isEqualTo(1_700_000_000L);
        assertThat(new PcapngInterface(1, 0, 12, false, 0, null, null).nanos(units)).isEqualTo(1_700_000L);
        assertThat(new PcapngInterface(1, 0, 0, true, 0, null, null).nanos(3)).isEqualTo(3_000_000_000L);
        assertThat(new PcapngInterface(1, 0, 10, true, 0, null, null).nanos((5L << 10) | 512)).isEqualTo(5_500_000_000L);
        assertThat(new PcapngInterface(1, 0, 20, true, 0, null, null).nanos((units << 20) | (1 << 18))).isEqualTo(1_700_000_000_250_000_000L);
        assertThat(new PcapngInterface(1, 0, 32, true, 0, null, null).nanos((units << 32) | (3L << 30))).isEqualTo(1_700_000_000_750_000_000L);
        assertThat(new PcapngInterface(1, 0, 40, true, 0, null, null).nanos((1L << 40) | (1L << 39))).isEqualTo(1_500_000_000L);
        assertThat(new PcapngInterface(1, 0, 6, false, 1_000, null, null).nanos(1)).isEqualTo(1_000_000_001_000L);
    }

    @Test
    void readsAMillionFramesInBoundedMemory() throws IOException {
        Path file = directory.resolve("million.pcap");
        byte[] frame = new byte[60];
        try (PcapWriter writer = PcapWriter.create(file, LinkType.ETHERNET)) {
            for (int i = 0; i < 1_000_000; i++) {
                frame[0] = (byte) i;
                writer.write(1_700_000_000_000_000_000L + i * 1000L, frame, 0, frame.length, frame.length);
            }
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        int frames = 0;
        long lastTimestamp = 0;
        try (CaptureReader reader = CaptureReader.open(file)) {
            while (reader.next()) {
                if (reader.data()[0] != (byte) frames) {
                    throw new AssertionError("frame " + frames + " has the wrong bytes");
                }
                lastTimestamp = reader.timestampNanos();
                frames++;
            }
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(frames).isEqualTo(1_000_000);
        assertThat(lastTimestamp).isEqualTo(1_700_000_000_000_000_000L + 999_999_000L);
        // The 1 MiB read buffer and one frame buffer; nothing per frame.
        assertThat(allocated).as("bytes allocated while reading").isLessThan(4L << 20);
    }

    @Test
    void dataIsOneReusedBufferThatGrowsOnlyForALargerFrame() throws IOException {
        byte[] file = hex(
                "d4c3b2a1 0200 0400 00000000 00000000 00000400 01000000",
                "00000000 00000000 02000000 02000000 aabb",
                "00000000 00000000 01000000 01000000 cc");
        try (CaptureReader reader = CaptureReader.open(new ByteArrayInputStream(file))) {
            assertThat(reader.next()).isTrue();
            byte[] first = reader.data();
            assertThat(reader.next()).isTrue();
            assertThat(reader.data()).isSameAs(first);
            assertThat(Arrays.copyOf(reader.data(), reader.capturedLength())).containsExactly(0xcc);
        }
    }
}
