package dev.stacklab.capture;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.stacklab.capture.CaptureVectors.hex;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Enhanced Packet Block options a pcapng reader hands on (draft-ietf-opsawg-pcapng section 4.3.1), what it makes of
 * malformed ones (a problem named beside a frame that is still read, never an exception), and the time precision each
 * file and interface gives the Time column.
 */
class PcapngPacketOptionsTest {
    private static final String SECTION = "0a0d0d0a 1c000000 4d3c2b1a 0100 0000 ffffffffffffffff 1c000000";
    private static final String ETHERNET_INTERFACE = "01000000 14000000 0100 0000 00000400 14000000";
    private static final byte[] FRAME = {1, 2, 3, 4, 5};

    /** An option in little-endian order, its value padded to 32 bits. */
    private static byte[] option(int code, byte[] value) {
        ByteBuffer out = ByteBuffer.allocate(4 + (value.length + 3) / 4 * 4).order(ByteOrder.LITTLE_ENDIAN);
        out.putShort((short) code).putShort((short) value.length).put(value);
        return out.array();
    }

    private static byte[] u32(long value) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) value).array();
    }

    private static byte[] u64(long value) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
    }

    /** An EPB on interface 0 holding {@link #FRAME}, then {@code options} as given (with no end-of-options unless given). */
    private static byte[] enhancedPacket(byte[]... options) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] option : options) {
            body.writeBytes(option);
        }
        int length = 28 + 8 + body.size() + 4;
        ByteBuffer out = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(6).putInt(length).putInt(0).putInt(0).putInt(1_000_000).putInt(FRAME.length).putInt(FRAME.length);
        out.put(FRAME).put(new byte[3]).put(body.toByteArray()).putInt(length);
        return out.array();
    }

    private static CaptureReader open(byte[]... packets) throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes(hex(SECTION, ETHERNET_INTERFACE));
        for (byte[] packet : packets) {
            file.writeBytes(packet);
        }
        return CaptureReader.open(new ByteArrayInputStream(file.toByteArray()));
    }

    @Test
    void flagsDropsPacketIdQueueAndCommentsAreRead() throws IOException {
        byte[] inboundBroadcastWithCrcError = u32(0x0100_000D);
        try (CaptureReader reader = open(
                enhancedPacket(option(1, "first".getBytes(StandardCharsets.UTF_8)), option(2, inboundBroadcastWithCrcError),
                        option(3, hex("02 00112233445566778899aabbccddeeff")), option(4, u64(17)), option(5, u64(0x1234)),
                        option(6, u32(2)), option(1, "zweiter ✓".getBytes(StandardCharsets.UTF_8)), option(0, new byte[0])),
                enhancedPacket(),
                enhancedPacket(option(2, u32(2)), option(0, new byte[0]), option(1, "after the end".getBytes(StandardCharsets.UTF_8))))) {
            assertThat(reader.next()).isTrue();
            assertThat(reader.capturedLength()).isEqualTo(FRAME.length);
            PacketBlockOptions options = reader.packetOptions();
            assertThat(options).isEqualTo(new PacketBlockOptions(0x0100_000DL, 17L, 0x1234L, 2L, List.of("first", "zweiter ✓"), List.of()));
            assertThat(options.direction()).isEqualTo(PacketBlockOptions.DIRECTION_INBOUND);
            assertThat(reader.next()).isTrue();
            assertThat(reader.packetOptions()).as("a block without options").isNull();
            assertThat(reader.next()).isTrue();
            assertThat(reader.packetOptions().direction()).isEqualTo(PacketBlockOptions.DIRECTION_OUTBOUND);
            assertThat(reader.packetOptions().comments()).as("nothing counts after opt_endofopt").isEmpty();
            assertThat(reader.next()).isFalse();
        }
    }

    @Test
    void malformedOptionsAreNamedAndTheFramesStillRead() throws IOException {
        byte[] overlong = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 1).putShort((short) 200).putInt(0).array();
        try (CaptureReader reader = open(
                enhancedPacket(option(2, hex("0100")), option(4, u32(5)), option(1, "kept".getBytes(StandardCharsets.UTF_8))),
                enhancedPacket(option(2, u32(1)), overlong),
                enhancedPacket(option(5, new byte[0]), option(6, u64(1))))) {
            assertThat(reader.next()).isTrue();
            assertThat(reader.packetOptions()).isEqualTo(new PacketBlockOptions(null, null, null, null, List.of("kept"),
                    List.of("option epb_flags (2) is 2 bytes long, not 4", "option epb_dropcount (4) is 4 bytes long, not 8")));
            assertThat(reader.next()).isTrue();
            assertThat(reader.data()[0]).isEqualTo((byte) 1);
            assertThat(reader.packetOptions()).isEqualTo(new PacketBlockOptions(1L, null, null, null, List.of(),
                    List.of("option opt_comment (1) is 200 bytes long, but only 4 bytes of the block are left")));
            assertThat(reader.next()).isTrue();
            assertThat(reader.packetOptions().problems()).containsExactly("option epb_packetid (5) is 0 bytes long, not 8",
                    "option epb_queue (6) is 8 bytes long, not 4");
            assertThat(reader.next()).isFalse();
        }
    }

    @Test
    void aBlockOfThousandsOfCommentsKeepsTheFirstFewHundred() throws IOException {
        byte[][] comments = new byte[PcapngReader.MAX_COMMENTS + 10][];
        for (int i = 0; i < comments.length; i++) {
            comments[i] = option(1, ("c" + i).getBytes(StandardCharsets.UTF_8));
        }
        try (CaptureReader reader = open(enhancedPacket(comments))) {
            assertThat(reader.next()).isTrue();
            assertThat(reader.packetOptions().comments()).hasSize(PcapngReader.MAX_COMMENTS).startsWith("c0", "c1");
            assertThat(reader.packetOptions().problems()).containsExactly("10 more comments than the 256 shown");
        }
    }

    @Test
    void theObsoletePacketBlocksFlagsAreRead() throws IOException {
        // Packet Block (appendix A): 16-bit interface id, drops count, then as the EPB; pack_flags is option 2.
        byte[] packet = hex("02000000 30000000 0000 ffff 00000000 40420f00 01000000 01000000 aa000000",
                "0200 0400 02000000 00000000 30000000");
        try (CaptureReader reader = open(packet)) {
            assertThat(reader.next()).isTrue();
            assertThat(reader.packetOptions().flags()).isEqualTo(2L);
        }
    }

    @Test
    void theTimePrecisionIsThatOfTheFileOrInterface() throws IOException {
        try (CaptureReader reader = CaptureReader.open(new ByteArrayInputStream(CaptureVectors.PCAP_LITTLE_ENDIAN_MICROSECONDS.bytes()))) {
            assertThat(reader.next()).isTrue();
            assertThat(reader.timestampPrecision()).isEqualTo(6);
        }
        try (CaptureReader reader = CaptureReader.open(new ByteArrayInputStream(CaptureVectors.PCAP_BIG_ENDIAN_NANOSECONDS.bytes()))) {
            assertThat(reader.next()).isTrue();
            assertThat(reader.timestampPrecision()).isEqualTo(9);
        }
        // if_tsresol 10^-e: 0 to 3 as they are, 4 and 5 as milliseconds, 7 and 8 as microseconds, 9 and finer as nanoseconds.
        int[] decimal = {0, 1, 2, 3, 3, 3, 6, 6, 6, 9, 9, 9, 9};
        for (int e = 0; e < decimal.length; e++) {
            assertThat(new PcapngInterface(1, 0, e, false, 0, null, null).timestampPrecision()).as("10^-%d", e).isEqualTo(decimal[e]);
        }
        // 2^-e: 16 units a second are tenths, 128 hundredths, 1024 milliseconds, 2^20 microseconds, 2^30 nanoseconds.
        int[][] binary = {{0, 0}, {3, 0}, {4, 1}, {6, 1}, {7, 2}, {9, 2}, {10, 3}, {19, 3}, {20, 6}, {29, 6}, {30, 9}, {64, 9}};
        for (int[] pair : binary) {
            assertThat(new PcapngInterface(1, 0, pair[0], true, 0, null, null).timestampPrecision()).as("2^-%d", pair[0]).isEqualTo(pair[1]);
        }
        // Each frame has its interface's precision: interface 1 counts milliseconds (if_tsresol 3).
        byte[] file = hex(SECTION, ETHERNET_INTERFACE,
                "01000000 1c000000 0100 0000 00000400 0900 0100 03000000 1c000000",
                "06000000 24000000 01000000 00000000 40420f00 04000000 04000000 01020304 24000000",
                "06000000 24000000 00000000 00000000 40420f00 04000000 04000000 01020304 24000000");
        try (CaptureReader reader = CaptureReader.open(new ByteArrayInputStream(file))) {
            assertThat(reader.next()).isTrue();
            assertThat(reader.timestampPrecision()).isEqualTo(3);
            assertThat(reader.next()).isTrue();
            assertThat(reader.timestampPrecision()).isEqualTo(6);
        }
    }
}
