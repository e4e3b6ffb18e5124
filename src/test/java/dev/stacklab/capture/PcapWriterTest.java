package dev.stacklab.capture;

import dev.stacklab.testsupport.Prerequisites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static dev.stacklab.capture.CaptureVectors.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PcapWriterTest {
    /** An ARP request, who has 10.0.0.2? Tell 10.0.0.1. */
    static final byte[] ARP_REQUEST = hex(
            "ffffffffffff 020000000001 0806",
            "0001 0800 06 04 0001 020000000001 0a000001 000000000000 0a000002");
    static final long T0 = 1_700_000_000_123_456_789L;

    @TempDir
    Path directory;

    @Test
    void writesTheFileHeaderAndRecordsByteForByte() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PcapWriter writer = new PcapWriter(out, LinkType.ETHERNET, 65535, false)) {
            writer.write(T0, hex("aa01020304bb"), 1, 4, 60);
        }
        assertThat(HexFormat.of().formatHex(out.toByteArray())).isEqualTo(HexFormat.of().formatHex(hex(
                "d4c3b2a1 0200 0400 00000000 00000000 ffff0000 01000000",
                "00f15365 40e20100 04000000 3c000000 01020304")));
    }

    @Test
    void nanosecondFilesKeepEveryNanosecond() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PcapWriter writer = new PcapWriter(out, LinkType.RAW, 1500, true)) {
            writer.write(T0, ARP_REQUEST, 0, 2, 42);
        }
        assertThat(HexFormat.of().formatHex(out.toByteArray())).isEqualTo(HexFormat.of().formatHex(hex(
                "4d3cb2a1 0200 0400 00000000 00000000 dc050000 65000000",
                "00f15365 15cd5b07 02000000 2a000000 ffff")));
    }

    @Test
    void roundTripsThroughTheReader() throws IOException {
        for (boolean nanosecond : new boolean[] {false, true}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (PcapWriter writer = new PcapWriter(out, LinkType.ETHERNET, PcapWriter.DEFAULT_SNAP_LENGTH, nanosecond)) {
                for (int i = 0; i < 100; i++) {
                    byte[] frame = new byte[i * 13];
                    for (int j = 0; j < frame.length; j++) {
                        frame[j] = (byte) (i + j);
                    }
                    writer.write(T0 + i * 1_000_001L, frame, 0, frame.length, frame.length + i % 3);
                }
            }
            try (CaptureReader reader = CaptureReader.open(new ByteArrayInputStream(out.toByteArray()))) {
                assertThat(reader.format()).contains(nanosecond ? "nanosecond" : "microsecond");
                for (int i = 0; i < 100; i++) {
                    assertThat(reader.next()).isTrue();
                    long expected = T0 + i * 1_000_001L;
                    assertThat(reader.timestampNanos()).isEqualTo(nanosecond ? expected : expected / 1000 * 1000);
                    assertThat(reader.capturedLength()).isEqualTo(i * 13);
                    assertThat(reader.originalLength()).isEqualTo(i * 13 + i % 3);
                    assertThat(reader.linkType()).isEqualTo(LinkType.ETHERNET);
                    for (int j = 0; j < reader.capturedLength(); j++) {
                        assertThat(reader.data()[j]).isEqualTo((byte) (i + j));
                    }
                }
                assertThat(reader.next()).isFalse();
            }
        }
    }

    @Test
    void keepsOnlyTheSnapLengthOfALongerFrame() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PcapWriter writer = new PcapWriter(out, LinkType.ETHERNET, 14, false)) {
            writer.write(T0, ARP_REQUEST, 0, ARP_REQUEST.length, ARP_REQUEST.length);
        }
        try (CaptureReader reader = CaptureReader.open(new ByteArrayInputStream(out.toByteArray()))) {
            assertThat(reader.next()).isTrue();
            assertThat(reader.capturedLength()).isEqualTo(14);
            assertThat(reader.originalLength()).isEqualTo(42);
        }
    }

    @Test
    void rejectsWhatPcapCannotHold() throws IOException {
        PcapWriter writer = new PcapWriter(new ByteArrayOutputStream(), LinkType.ETHERNET, 65535, false);
        assertThatThrownBy(() -> writer.write(-1, ARP_REQUEST, 0, 42, 42)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outside what pcap can hold");
        assertThatThrownBy(() -> writer.write(1L << 62, ARP_REQUEST, 0, 42, 42)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> writer.write(T0, ARP_REQUEST, 0, 42, 41)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("captured length 42");
        assertThatThrownBy(() -> new PcapWriter(new ByteArrayOutputStream(), 70000, 65535, false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PcapWriter(new ByteArrayOutputStream(), 1, 0, false))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tsharkAndCapinfosReadWrittenFilesWithoutAWarning() throws Exception {
        Prerequisites.requireCommand("tshark");
        Prerequisites.requireCommand("capinfos");
        for (boolean nanosecond : new boolean[] {false, true}) {
            Path file = directory.resolve(nanosecond ? "written-ns.pcap" : "written-us.pcap");
            List<String> expected = new ArrayList<>();
            try (PcapWriter writer = PcapWriter.create(file, LinkType.ETHERNET, nanosecond)) {
                for (int i = 0; i < 5; i++) {
                    long time = T0 + i * 250_000_123L;
                    int captured = ARP_REQUEST.length - i;
                    writer.write(time, ARP_REQUEST, 0, captured, ARP_REQUEST.length);
                    long written = nanosecond ? time : time / 1000 * 1000;
                    expected.add(ARP_REQUEST.length + "\t" + captured + "\t" + TsharkAgreementTest.epochSeconds(written)
                            + "\tARP");
                }
            }

            ExternalCommand tshark = ExternalCommand.run("tshark", "-r", file.toString(), "-T", "fields",
                    "-e", "frame.len", "-e", "frame.cap_len", "-e", "frame.time_epoch", "-e", "_ws.col.Protocol");
            assertThat(tshark.complaints()).as("tshark warnings").isEmpty();
            assertThat(tshark.exitCode()).isZero();
            assertThat(tshark.outputLines()).containsExactlyElementsOf(expected);

            ExternalCommand capinfos = ExternalCommand.run("capinfos", file.toString());
            assertThat(capinfos.complaints()).as("capinfos warnings").isEmpty();
            assertThat(capinfos.exitCode()).isZero();
            assertThat(capinfos.standardOutput())
                    .containsPattern("File type:\\s+Wireshark/tcpdump/... - " + (nanosecond ? "nanosecond pcap" : "pcap"))
                    .containsPattern("File encapsulation:\\s+Ethernet")
                    .containsPattern("File timestamp precision:\\s+" + (nanosecond ? "nanoseconds \\(9\\)" : "microseconds \\(6\\)"))
                    .containsPattern("Packet size limit:\\s+file hdr: 262144 bytes")
                    .containsPattern("Number of packets:\\s+5\\n");
        }
    }

    @Test
    void createWritesAFileTheReaderOpens() throws IOException {
        Path file = directory.resolve("created.pcap");
        try (PcapWriter writer = PcapWriter.create(file, LinkType.ETHERNET)) {
            writer.write(T0, ARP_REQUEST, 0, 42, 42);
        }
        assertThat(Files.size(file)).isEqualTo(24 + 16 + 42);
        try (CaptureReader reader = CaptureReader.open(file)) {
            assertThat(reader.format()).isEqualTo("pcap (microsecond, little-endian)");
            assertThat(reader.next()).isTrue();
            assertThat(reader.timestampNanos()).isEqualTo(1_700_000_000_123_456_000L);
            assertThat(reader.next()).isFalse();
        }
    }
}
