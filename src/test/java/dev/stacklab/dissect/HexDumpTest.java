package dev.stacklab.dissect;

import dev.stacklab.capture.LinkType;
import dev.stacklab.capture.PcapWriter;
import dev.stacklab.testsupport.Prerequisites;
import dev.stacklab.testsupport.Processes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The hex dump both faces show, held against {@code tshark -x}. */
class HexDumpTest {
    private static final byte[] ARP_REQUEST = HexFormat.of().parseHex(
            "ffffffffffff0e8e5fd9cfbb080600010800060400010e8e5fd9cfbb0a4d00010000000000000a4d0002");

    @Test
    void rowsShowOffsetHexAndAscii() {
        assertThat(HexDump.of(ARP_REQUEST, 0, ARP_REQUEST.length)).isEqualTo("""
                0000  ff ff ff ff ff ff 0e 8e 5f d9 cf bb 08 06 00 01   ........_.......
                0010  08 00 06 04 00 01 0e 8e 5f d9 cf bb 0a 4d 00 01   ........_....M..
                0020  00 00 00 00 00 00 0a 4d 00 02                     .......M..
                """);
        assertThat(HexDump.rowCount(0)).isZero();
        assertThat(HexDump.of(ARP_REQUEST, 0, 0)).isEmpty();
    }

    @Test
    void aRangeCountsItsOffsetsFromZero() {
        // The sender addresses of the ARP request: offsets restart at 0000, as under tshark -V's data heading.
        assertThat(HexDump.appendRow(new StringBuilder(), ARP_REQUEST, 22, 10, 0))
                .hasToString("0000  0e 8e 5f d9 cf bb 0a 4d 00 01                     .._....M..");
        assertThatThrownBy(() -> HexDump.appendRow(new StringBuilder(), ARP_REQUEST, 22, 10, 1))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void columnsLocateEachByteInItsRow() {
        byte[] bytes = new byte[0x10020];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 7 + 0x20);
        }
        for (int row : new int[] {0, 1, 0xFFF, 0x1000, 0x1001}) {
            String text = HexDump.appendRow(new StringBuilder(), bytes, 0, bytes.length, row).toString();
            for (int i = 0; i < HexDump.BYTES_PER_ROW; i++) {
                int octet = bytes[row * 16 + i] & 0xFF;
                int hex = HexDump.hexColumn(row, i);
                assertThat(text.substring(hex, hex + 2)).isEqualTo(String.format("%02x", octet));
                char ascii = text.charAt(HexDump.asciiColumn(row, i));
                assertThat(ascii).isEqualTo(octet >= 0x20 && octet < 0x7F ? (char) octet : '.');
            }
        }
    }

    @Test
    void agreesWithTsharkX(@TempDir Path directory) throws IOException {
        Prerequisites.requireCommand("tshark");
        // Every byte value (for the ASCII column's edges) and rows that end full, short and at one byte; an
        // unknown EtherType, so that tshark shows the frame as its only data source.
        List<byte[]> frames = List.of(ARP_REQUEST, frame(60), frame(64), frame(65), frame(300), frame(1514));
        Path file = directory.resolve("bytes.pcap");
        try (PcapWriter writer = PcapWriter.create(file, LinkType.ETHERNET)) {
            for (byte[] frame : frames) {
                writer.write(1_000_000_000L, frame, 0, frame.length, frame.length);
            }
        }
        StringBuilder expected = new StringBuilder();
        for (byte[] frame : frames) {
            expected.append(HexDump.of(frame, 0, frame.length)).append('\n');
        }
        Processes.Result tshark = Processes.run(List.of("tshark", "-x", "-r", file.toString()), 60);
        assertThat(tshark.exitCode()).isZero();
        assertThat(tshark.stdout()).isEqualTo(expected.toString());
    }

    private static byte[] frame(int length) {
        byte[] frame = new byte[length];
        for (int i = 0; i < length; i++) {
            frame[i] = (byte) (i * 31 + 5);
        }
        frame[12] = (byte) 0x88;
        frame[13] = (byte) 0xB5; // IEEE 802 local experimental EtherType: tshark dissects it as data only
        return frame;
    }
}
