package dev.stacklab.dissect;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The protocols over TCP (HTTP, TLS, SMTP with the IMF message it carries, DNS) and TCP's desegmentation under any
 * bytes: the input is a connection's payload, cut into segments of one or the other direction (some skipped, as if
 * lost, some held back behind the next or sent twice), each wrapped into an Ethernet, IPv4 and TCP frame with
 * consistent sequence numbers and fed to one dissector, as summaries and as trees. A malformed message must become a
 * note or plain data, never an exception (the "dissector failure" node), nodes stay inside their data source, and what
 * desegmentation holds stays bounded.
 *
 * <p>Input: the first byte picks the server port (HTTP 80, TLS 443, HTTP 8080, SMTP 25, DNS 53); then segments, each a
 * flags byte (bit 0: from the server, bit 1: left out of the capture, bit 2: held back behind the next segment, bit 3:
 * sent twice), a two-byte length and the payload. Seeds in {@code DissectorFuzzTestInputs}' sibling
 * {@code TcpApplicationFuzzTestInputs/dissectStreams/} are the payloads of http.pcap, tls.pcap, smtp.pcap and
 * http-lossy.pcap (scripts/make-http-tls-captures.sh; the lossy one's segments seen out of order or again flagged so),
 * smtp-imf.pcap (scripts/make-smtp-imf-capture.sh) and dns-tcp.pcap (scripts/make-dns-dhcp-captures.sh).
 */
class TcpApplicationFuzzTest {
    private static final int[] SERVER_PORTS = {80, 443, 8080, 25, 53};
    private static final int CLIENT_PORT = 40000;

    @FuzzTest(maxDuration = "60s")
    void dissectStreams(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int serverPort = SERVER_PORTS[(input[0] & 0xFF) % SERVER_PORTS.length];
        Dissector dissector = new Dissector();
        long[] nextSequence = {1000, 900_000};
        int position = 1;
        int frames = 0;
        byte[] heldBack = null;
        while (position + 3 <= input.length && frames < 200) {
            int flags = input[position] & 0xFF;
            int length = Math.min(((input[position + 1] & 0xFF) << 8) | (input[position + 2] & 0xFF), input.length - position - 3);
            length = Math.min(length, 1460);
            byte[] payload = Arrays.copyOfRange(input, position + 3, position + 3 + length);
            position += 3 + length;
            boolean fromServer = (flags & 1) != 0;
            int side = fromServer ? 1 : 0;
            long sequence = nextSequence[side];
            nextSequence[side] += length;
            if ((flags & 2) != 0) {
                continue;
            }
            byte[] frame = frame(fromServer, serverPort, sequence, nextSequence[1 - side], payload);
            if ((flags & 4) != 0 && heldBack == null) {
                heldBack = frame;
                continue;
            }
            check(dissector.dissect(frames++ * 1_000_000L, frame, frame.length, frame.length));
            if ((flags & 8) != 0) {
                check(dissector.dissect(frames++ * 1_000_000L, frame, frame.length, frame.length));
            }
            if (heldBack != null) {
                check(dissector.dissect(frames++ * 1_000_000L, heldBack, heldBack.length, heldBack.length));
                heldBack = null;
            }
        }
        // And the same input again as summaries only, through a fresh dissector.
        Dissector summaries = new Dissector();
        assertThat(summaries.summarize(0, frame(false, serverPort, 1, 1, input), Math.min(input.length + 54, 1514), input.length + 54)
                .info()).isNotNull();
    }

    private static void check(FrameTree tree) {
        tree.forEachField(node -> {
            assertThat(node.displayLine()).doesNotContain("dissector failure");
            assertThat(node.offset()).isNotNegative();
            assertThat(node.length()).isNotNegative();
            FrameTree.DataSource source = tree.dataSources().get(node.dataSource());
            assertThat(node.offset() + node.length()).as("%s ends inside its data source", node.name())
                    .isLessThanOrEqualTo(Math.min(source.length(), source.bytes().length));
            node.fieldValue();
        });
        assertThat(tree.summary().info()).isNotNull();
    }

    /** An Ethernet frame carrying an IPv4 and TCP header (ACK, PSH) and the payload, cut to 1514 bytes. */
    private static byte[] frame(boolean fromServer, int serverPort, long sequence, long ack, byte[] payload) {
        int length = Math.min(payload.length, 1460);
        byte[] frame = new byte[14 + 20 + 20 + length];
        byte[] client = {2, 0, 10, 0, 0, 1};
        byte[] server = {2, 0, 10, 0, 0, 2};
        System.arraycopy(fromServer ? client : server, 0, frame, 0, 6);
        System.arraycopy(fromServer ? server : client, 0, frame, 6, 6);
        frame[12] = 0x08;
        int ip = 14;
        frame[ip] = 0x45;
        int total = 40 + length;
        frame[ip + 2] = (byte) (total >> 8);
        frame[ip + 3] = (byte) total;
        frame[ip + 8] = 64;
        frame[ip + 9] = 6;
        byte[] clientIp = {10, 0, 0, 1};
        byte[] serverIp = {10, 0, 0, 2};
        System.arraycopy(fromServer ? serverIp : clientIp, 0, frame, ip + 12, 4);
        System.arraycopy(fromServer ? clientIp : serverIp, 0, frame, ip + 16, 4);
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += ((frame[ip + i] & 0xFF) << 8) | (frame[ip + i + 1] & 0xFF);
        }
        sum = (sum & 0xFFFF) + (sum >>> 16);
        sum = (sum & 0xFFFF) + (sum >>> 16);
        frame[ip + 10] = (byte) (~sum >> 8);
        frame[ip + 11] = (byte) ~sum;
        int tcp = ip + 20;
        int sourcePort = fromServer ? serverPort : CLIENT_PORT;
        int destinationPort = fromServer ? CLIENT_PORT : serverPort;
        frame[tcp] = (byte) (sourcePort >> 8);
        frame[tcp + 1] = (byte) sourcePort;
        frame[tcp + 2] = (byte) (destinationPort >> 8);
        frame[tcp + 3] = (byte) destinationPort;
        for (int i = 0; i < 4; i++) {
            frame[tcp + 4 + i] = (byte) (sequence >> (24 - 8 * i));
            frame[tcp + 8 + i] = (byte) (ack >> (24 - 8 * i));
        }
        frame[tcp + 12] = 0x50;
        frame[tcp + 13] = 0x18;
        frame[tcp + 14] = (byte) 0xFA;
        System.arraycopy(payload, 0, frame, tcp + 20, length);
        return frame;
    }
}
