package dev.stacklab.dissect;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * TCP desegmentation's bounds, which real captures do not reach: a message announcing more than memory allows, and
 * messages started but never finished. (What it shows is held to tshark line for line on http-lossy.pcap and
 * dns-tcp.pcap by RealCapturesAgainstTsharkTest.)
 */
class TcpPduReassemblyTest {
    private static final int CLIENT_PORT = 40000;

    @Test
    void aResponseAnnouncingTwoGigabytesHoldsAtMostTheBound() {
        Dissector dissector = new Dissector();
        long[] next = {1000, 500_000};
        send(dissector, 0, false, 80, next, "GET /huge HTTP/1.1\r\nHost: lab\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        FrameSummary header = send(dissector, 1, true, 80, next,
                "HTTP/1.1 200 OK\r\nContent-Length: 2000000000\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(header.info()).endsWith("[TCP segment of a reassembled PDU]");
        byte[] body = new byte[1448];
        Arrays.fill(body, (byte) 'x');
        int segments = TcpPduReassembly.MAX_BYTES / body.length + 2_000;
        FrameSummary last = null;
        for (int i = 0; i < segments; i++) {
            last = send(dissector, 2 + i, true, 80, next, body);
            assertThat(dissector.reassemblyBytesHeld()).isLessThanOrEqualTo(TcpPduReassembly.MAX_BYTES);
        }
        // Given up at the bound: the rest of the body is shown as HTTP's continuation data, as if the start were lost.
        assertThat(last.protocol()).isEqualTo("HTTP");
        assertThat(last.info()).isEqualTo("Continuation");
    }

    @Test
    void requestsWhoseHeadersNeverEndAreForgottenOldestFirst() {
        Dissector dissector = new Dissector();
        // Each connection's request stops inside its headers: every one waits for a segment that never comes, 40 MB
        // between them.
        int connections = 10_000;
        for (int connection = 0; connection < connections; connection++) {
            long[] sequence = {1000, 500_000};
            byte[] start = ("GET /" + connection + " HTTP/1.1\r\nHost: lab\r\nX-Pad: " + "p".repeat(4_000)).getBytes(StandardCharsets.US_ASCII);
            FrameSummary summary = send(dissector, connection, false, 80, sequence, start, 30_000 + connection);
            assertThat(summary.info()).endsWith("[TCP segment of a reassembled PDU]");
            assertThat(dissector.reassemblyBytesHeld()).isLessThanOrEqualTo(TcpPduReassembly.MAX_BYTES);
        }
        assertThat(dissector.reassemblyBytesHeld()).isGreaterThan(TcpPduReassembly.MAX_BYTES - 5_000L);
    }

    private static FrameSummary send(Dissector dissector, int index, boolean fromServer, int serverPort, long[] next, byte[] payload) {
        return send(dissector, index, fromServer, serverPort, next, payload, CLIENT_PORT);
    }

    private static FrameSummary send(Dissector dissector, int index, boolean fromServer, int serverPort, long[] next, byte[] payload,
                                     int clientPort) {
        int side = fromServer ? 1 : 0;
        byte[] frame = frame(fromServer, serverPort, clientPort, next[side], next[1 - side], payload);
        next[side] += payload.length;
        return dissector.summarize(index * 1_000_000L, frame, frame.length, frame.length);
    }

    /** An Ethernet frame with IPv4 and TCP (ACK, PSH) headers around the payload. */
    private static byte[] frame(boolean fromServer, int serverPort, int clientPort, long sequence, long ack, byte[] payload) {
        byte[] frame = new byte[14 + 20 + 20 + payload.length];
        frame[0] = 2;
        frame[5] = (byte) (fromServer ? 1 : 2);
        frame[6] = 2;
        frame[11] = (byte) (fromServer ? 2 : 1);
        frame[12] = 0x08;
        int ip = 14;
        frame[ip] = 0x45;
        int total = 40 + payload.length;
        frame[ip + 2] = (byte) (total >> 8);
        frame[ip + 3] = (byte) total;
        frame[ip + 8] = 64;
        frame[ip + 9] = 6;
        byte[] client = {10, 0, 0, 1};
        byte[] server = {10, 0, 0, 2};
        System.arraycopy(fromServer ? server : client, 0, frame, ip + 12, 4);
        System.arraycopy(fromServer ? client : server, 0, frame, ip + 16, 4);
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += ((frame[ip + i] & 0xFF) << 8) | (frame[ip + i + 1] & 0xFF);
        }
        sum = (sum & 0xFFFF) + (sum >>> 16);
        sum = (sum & 0xFFFF) + (sum >>> 16);
        frame[ip + 10] = (byte) (~sum >> 8);
        frame[ip + 11] = (byte) ~sum;
        int tcp = ip + 20;
        int sourcePort = fromServer ? serverPort : clientPort;
        int destinationPort = fromServer ? clientPort : serverPort;
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
        System.arraycopy(payload, 0, frame, tcp + 20, payload.length);
        return frame;
    }
}
