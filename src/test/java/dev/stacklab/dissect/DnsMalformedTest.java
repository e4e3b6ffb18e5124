package dev.stacklab.dissect;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DNS messages no resolver writes: compression pointers that loop or point forward, counts beyond the message,
 * records cut short. Each is dissected as far as it goes and marked malformed, in bounded work, never an exception.
 */
class DnsMalformedTest {
    private static final HexFormat HEX = HexFormat.of();
    // Ethernet, IPv4 (10.81.0.1 → 10.81.0.2, protocol UDP; lengths patched below) and UDP 53 → 40000 without checksum.
    private static final String ETHERNET = "02000a51000202000a5100010800";
    private static final String HEADER_RESPONSE_ONE_ANSWER = "4885" + "8180" + "0000" + "0001" + "0000" + "0000";

    @Test
    void aPointerToItselfIsMalformedNotALoop() {
        // The answer's owner name is a pointer to its own offset (12).
        FrameTree tree = dissect(HEADER_RESPONSE_ONE_ANSWER + "c00c" + "0001" + "0001" + "0000012c" + "0004" + "0a510001");
        assertMalformed(tree, "pointer loop");
        assertThat(tree.summary().info()).startsWith("Standard query response 0x4885");
    }

    @Test
    void twoPointersThatPointAtEachOtherAreMalformed() {
        // Question 1 at 12 is "a" then a pointer to 17; question 2 at 17 is a pointer back to 12.
        String header = "0001" + "0100" + "0002" + "0000" + "0000" + "0000";
        FrameTree tree = dissect(header + "0161" + "c011" + "00010001" + "c00c" + "00010001");
        assertMalformed(tree, "pointer");
    }

    @Test
    void aLongChainOfBackwardPointersEndsAndIsRead() {
        // The question "x" at offset 12; answer 1 (a private type) carries 2,000 pointers, each to the one before it,
        // the first to "x"; answer 2's owner points to the last of them. Legal, and read in bounded work.
        int chain = 2_000;
        StringBuilder message = new StringBuilder("0001" + "8180" + "0001" + "0002" + "0000" + "0000");
        message.append("017800").append("00010001");
        message.append("c00c").append("ff78").append("0001").append("0000012c").append(String.format("%04x", 2 * chain));
        int rdata = 31;
        for (int i = 0; i < chain; i++) {
            message.append(String.format("%04x", 0xC000 | (i == 0 ? 12 : rdata + 2 * (i - 1))));
        }
        message.append(String.format("%04x", 0xC000 | (rdata + 2 * (chain - 1))))
                .append("0001").append("0001").append("0000012c").append("0004").append("0a510001");
        FrameTree tree = dissect(message.toString());
        assertThat(tree.find("_ws.malformed")).isNull();
        assertThat(tree.fieldValues("dns.resp.name")).isEqualTo("x,x");
        assertThat(tree.fieldValues("dns.a")).isEqualTo("10.81.0.1");
    }

    @Test
    void countsBeyondTheMessageStopAtItsEnd() {
        String header = "0002" + "8180" + "ffff" + "ffff" + "ffff" + "ffff";
        FrameTree tree = dissect(header + "0161" + "00" + "00010001");
        assertMalformed(tree, "past the end");
        assertThat(tree.fieldValues("dns.qry.name")).isEqualTo("a");
    }

    @Test
    void aRecordCutInsideItsDataIsMalformed() {
        FrameTree tree = dissect(HEADER_RESPONSE_ONE_ANSWER + "0161" + "00" + "0001" + "0001" + "0000012c" + "0004" + "0a51");
        assertMalformed(tree, "runs past the end of the message");
    }

    @Test
    void aNameLongerThan255BytesIsMalformed() {
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            name.append("3f").append("61".repeat(63));
        }
        FrameTree tree = dissect("0003" + "0100" + "0001" + "0000" + "0000" + "0000" + name + "00" + "00010001");
        assertMalformed(tree, "longer than 255 bytes");
    }

    @Test
    void aTcpMessageOverTwoSegmentsWaitsForTheRest() {
        // Only the length and half the header: the rest would come in the next segment, so the segment waits for it
        // (tshark's tcp_dissect_pdus asks TCP for the 45 bytes still missing).
        String tcp = "9c40" + "0035" + "00000001" + "00000001" + "5018" + "ffff" + "0000" + "0000";
        byte[] frame = frame(6, tcp + "0031" + "553d0120");
        FrameTree tree = new Dissector().dissect(0, frame, frame.length, frame.length);
        assertThat(tree.find("_ws.malformed")).isNull();
        assertThat(tree.find("dns")).isNull();
        assertThat(tree.find("tcp.segment_data").displayLine()).isEqualTo("TCP segment data (6 bytes)");
        assertThat(tree.summary().protocol()).isEqualTo("TCP");
        assertThat(tree.summary().info()).endsWith("[TCP segment of a reassembled PDU]");
    }

    private static void assertMalformed(FrameTree tree, String problem) {
        FieldNode malformed = tree.find("_ws.malformed");
        assertThat(malformed).isNotNull();
        assertThat(malformed.displayLine()).contains(problem).doesNotContain("dissector failure");
        assertThat(tree.summary().info()).endsWith("[Malformed Packet]");
    }

    private static FrameTree dissect(String dnsMessage) {
        byte[] frame = frame(17, "0035" + "9c40" + String.format("%04x", 8 + dnsMessage.length() / 2) + "0000" + dnsMessage);
        return new Dissector().dissect(0, frame, frame.length, frame.length);
    }

    /** An Ethernet frame with an IPv4 header (no options, checksum left zero) around {@code transport}. */
    private static byte[] frame(int protocol, String transport) {
        int totalLength = 20 + transport.length() / 2;
        String ip = "4500" + String.format("%04x", totalLength) + "0000" + "4000" + "40" + String.format("%02x", protocol) + "0000"
                + "0a510001" + "0a510002";
        return HEX.parseHex(ETHERNET + ip + transport);
    }
}
