package dev.stacklab.dissect;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** Damaged and cut-short frames: dissected as far as they go, marked malformed, never an exception. */
class TransportMalformedTest {
    private static final HexFormat HEX = HexFormat.of();
    // Ethernet and IPv4 headers (protocol TCP, total length patched per case) from the kernel capture.
    private static final String ETHERNET = "26ddbf8dc434fefb3dec2bbd0800";
    // PSH+ACK data segment header from the capture, without options: ports 59166 → 8080.
    private static final String TCP_HEADER = "e71e1f9093fa66ab2d5fc6f8" + "5018" + "003f772c0000";

    @Test
    void everyPrefixOfEveryFrameDissectsWithoutException() {
        for (String frame : TransportAgainstTsharkTest.FRAMES) {
            String[] parts = frame.split(" ");
            byte[] bytes = HEX.parseHex(parts[1]);
            for (int length = 0; length <= bytes.length; length++) {
                byte[] prefix = java.util.Arrays.copyOf(bytes, length);
                TransportFrames frames = new TransportFrames();
                assertThatCode(() -> {
                    FrameTree tree = frames.dissect(0, prefix);
                    frames.summarize(0, prefix);
                    if (tree != null) {
                        assertThat(tree.fieldValues("_ws.malformed")).doesNotContain("dissector failure");
                        FieldNode malformed = tree.find("_ws.malformed");
                        assertThat(malformed == null || !malformed.displayLine().contains("dissector failure")).isTrue();
                    }
                }).as("frame %s cut to %d bytes", parts[1].substring(0, 20), length).doesNotThrowAnyException();
            }
        }
    }

    @Test
    void aTransportHeaderCutShortIsMalformed() {
        // Frame 12 (TCP data), frame 7 (UDP) and frame 3 (ICMP echo) cut inside their transport headers.
        int[][] cases = {{11, 34 + 10}, {6, 34 + 6}, {2, 34 + 4}};
        for (int[] c : cases) {
            byte[] bytes = HEX.parseHex(TransportAgainstTsharkTest.FRAMES[c[0]].split(" ")[1]);
            byte[] cut = ipv4(java.util.Arrays.copyOfRange(bytes, 34, c[1]), bytes[23]);
            FrameTree tree = new TransportFrames().dissect(0, cut);
            assertThat(tree.find("_ws.malformed")).as("frame %d cut to %d", c[0] + 1, c[1]).isNotNull();
            assertThat(tree.summary().malformed()).isTrue();
        }
    }

    @Test
    void dataOffsetUnderFiveIsMalformedWithWiresharksNote() {
        FrameTree tree = dissectTcp("e71e1f9093fa66ab2d5fc6f8" + "4018" + "003f772c0000");
        assertThat(tree.find("_ws.malformed")).isNotNull();
        assertThat(tree.summary().info()).startsWith(
                "59166 → 8080 [PSH, ACK] Seq=1 Ack=1 Win=63, bogus TCP header length (16, must be at least 20)");
        assertThat(tree.fieldValues("tcp.hdr_len")).isEqualTo("16");
    }

    @Test
    void dataOffsetBeyondTheSegmentIsMalformed() {
        FrameTree tree = dissectTcp("e71e1f9093fa66ab2d5fc6f8" + "f018" + "003f772c0000");
        assertThat(tree.find("_ws.malformed").displayLine()).contains("header length 60 is beyond the 20-byte segment");
        // As tshark 4.0.17: the numbers stay absolute, since the analysis never ran.
        assertThat(tree.summary().info()).isEqualTo("59166 → 8080 [PSH, ACK] Seq=2482661035 Ack=761251576 Win=63[Malformed Packet]");
    }

    @Test
    void illegalOptionLengthsAreMalformedAndTheRestIsStillShown() {
        String[] options = {"02000000", "02010000", "080a0000", "01010102", "02050000"};
        for (String option : options) {
            FrameTree tree = dissectTcp(TCP_HEADER.replace("5018", "6018") + option + "6869");
            assertThat(tree.find("_ws.malformed")).as(option).isNotNull();
            assertThat(tree.find("_ws.malformed").displayLine()).as(option).contains("option kind");
            assertThat(tree.fieldValues("tcp.options")).isEqualTo(option);
            assertThat(tree.fieldValues("tcp.payload")).isEqualTo("6869");
            assertThat(tree.summary().info()).isEqualTo("59166 → 8080 [PSH, ACK] Seq=1 Ack=1 Win=63 Len=2[Malformed Packet]");
        }
    }

    @Test
    void udpLengthFieldsThatLie() {
        // From tshark 4.0.17 on the same datagrams.
        FrameTree tooShort = dissect(17, "9c409c410004000068690a");
        assertThat(tooShort.summary().info()).isEqualTo("40000 → 40001 [BAD UDP LENGTH 4 < 8]");
        assertThat(tooShort.fieldValues("udp.checksum")).isEmpty();
        FrameTree tooLong = dissect(17, "9c409c41002000008f7c68690a");
        assertThat(tooLong.summary().info()).isEqualTo("40000 → 40001 [BAD UDP LENGTH 32 > IP PAYLOAD LENGTH] Len=24");
        FrameTree zero = dissect(17, "9c409c41000b000068690a");
        assertThat(zero.fieldValues("udp.checksum.status")).isEqualTo("3");
    }

    private static FrameTree dissectTcp(String segment) {
        return dissect(6, segment);
    }

    private static FrameTree dissect(int protocol, String transport) {
        return new TransportFrames().dissect(0, ipv4(HEX.parseHex(transport), (byte) protocol));
    }

    /** An Ethernet frame with an IPv4 header (10.44.0.1 → 10.44.0.2, TTL 64) around {@code transport}. */
    static byte[] ipv4(byte[] transport, byte protocol) {
        byte[] frame = new byte[34 + transport.length];
        System.arraycopy(HEX.parseHex(ETHERNET), 0, frame, 0, 14);
        byte[] ip = HEX.parseHex("4500" + String.format("%04x", 20 + transport.length) + "123440004000" + "0000" + "0a2c00010a2c0002");
        ip[9] = protocol;
        System.arraycopy(ip, 0, frame, 14, 20);
        System.arraycopy(transport, 0, frame, 34, transport.length);
        return frame;
    }
}
