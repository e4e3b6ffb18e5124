package dev.stacklab.runtime;

import dev.stacklab.link.VirtualSwitch;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.MacAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The TCP services of stacklab serve, as the simulated LAN's server (10.0.0.1) runs them, used from our host
 * through the blocking facades; and {@link HttpGet} against servers framing bodies each way.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TcpServicesTest {
    private static final Ipv4Address SERVER = SimulatedLanSession.GATEWAY;
    private static final Duration CONNECT = Duration.ofSeconds(30);
    private static SimulatedLanSession lan;

    @BeforeAll
    static void startLan() {
        lan = SimulatedLanSession.start();
    }

    @AfterAll
    static void stopLan() {
        lan.close();
    }

    private static StackRunner us() {
        return lan.stack().orElseThrow();
    }

    @Test
    void echoSendsBackWhatArrivesAndClosesAfterUs() throws Exception {
        try (TcpSocket socket = TcpSocket.connect(us(), SERVER, TcpServices.ECHO_PORT, CONNECT)) {
            socket.getOutputStream().write("hello, echo".getBytes(StandardCharsets.US_ASCII));
            socket.shutdownOutput();
            assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("hello, echo");
        }
    }

    @Test
    void discardTakesEverythingAndAnswersNothing() throws Exception {
        try (TcpSocket socket = TcpSocket.connect(us(), SERVER, TcpServices.DISCARD_PORT, CONNECT)) {
            socket.getOutputStream().write(new byte[200_000]);
            socket.shutdownOutput();
            assertThat(socket.getInputStream().readAllBytes()).isEmpty();
            assertThat(socket.awaitClosed(CONNECT)).isTrue();
        }
    }

    @Test
    void httpKeepsTheConnectionAliveUntilAskedToClose() throws Exception {
        try (TcpSocket socket = TcpSocket.connect(us(), SERVER, TcpServices.HTTP_PORT, CONNECT)) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write("GET / HTTP/1.1\r\nHost: 10.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String index = readResponse(in);
            assertThat(index).startsWith("HTTP/1.1 200 OK\r\n").contains("stacklab").doesNotContain("Connection: close");

            out.write("GET /nothing-here HTTP/1.1\r\nHost: 10.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(readResponse(in)).startsWith("HTTP/1.1 404 Not Found\r\n");

            out.write("GET /bytes/10 HTTP/1.1\r\nHost: 10.0.0.1\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String last = readResponse(in);
            assertThat(last).startsWith("HTTP/1.1 200 OK\r\n").contains("Connection: close\r\n").endsWith("\r\n\r\n" + generated(10));
            assertThat(in.read()).as("the server closed after the response that asked it to").isEqualTo(-1);
        }
    }

    @Test
    void aMebibyteFromBytesArrivesIntact() throws Exception {
        try (TcpSocket socket = TcpSocket.connect(us(), SERVER, TcpServices.HTTP_PORT, CONNECT)) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            HttpGet.Response response = HttpGet.fetch(socket, "10.0.0.1", "/bytes/1048576", body);

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.framing()).isEqualTo(HttpGet.Framing.CONTENT_LENGTH);
            assertThat(response.bodyBytes()).isEqualTo(1 << 20);
            assertThat(sha256(body.toByteArray())).isEqualTo(sha256(generated(1 << 20).getBytes(StandardCharsets.US_ASCII)));
        }
    }

    @Test
    void httpGetReadsChunkedAndCloseDelimitedBodies() throws Exception {
        VirtualSwitch wire = new VirtualSwitch("http test");
        try (Host server = Host.onLink(wire.attach("s", MacAddress.parse("02:00:00:00:01:01"))).address("10.1.0.1/24").start();
             Host client = Host.onLink(wire.attach("c", MacAddress.parse("02:00:00:00:01:02"))).address("10.1.0.2/24").start();
             TcpServerSocket listener = TcpServerSocket.listen(server.runner(), 8080, 4)) {
            Thread serverThread = new Thread(() -> {
                try {
                    for (String response : new String[]{
                            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: y\r\n\r\n",
                            "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the close"}) {
                        try (TcpSocket accepted = listener.accept(CONNECT)) {
                            InputStream in = accepted.getInputStream();
                            while (!readLine(in).isEmpty()) {
                                // the request's lines
                            }
                            accepted.getOutputStream().write(response.getBytes(StandardCharsets.US_ASCII));
                        }
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            serverThread.start();
            Ipv4Address address = Ipv4Address.parse("10.1.0.1");
            ByteArrayOutputStream chunked = new ByteArrayOutputStream();
            try (TcpSocket socket = TcpSocket.connect(client.runner(), address, 8080, CONNECT)) {
                HttpGet.Response response = HttpGet.fetch(socket, "10.1.0.1:8080", "/", chunked);
                assertThat(response.framing()).isEqualTo(HttpGet.Framing.CHUNKED);
                assertThat(response.bodyBytes()).isEqualTo(12);
            }
            ByteArrayOutputStream untilClose = new ByteArrayOutputStream();
            try (TcpSocket socket = TcpSocket.connect(client.runner(), address, 8080, CONNECT)) {
                HttpGet.Response response = HttpGet.fetch(socket, "10.1.0.1:8080", "/", untilClose);
                assertThat(response.framing()).isEqualTo(HttpGet.Framing.CLOSE_DELIMITED);
            }
            serverThread.join(10_000);
            assertThat(chunked.toString(StandardCharsets.US_ASCII)).isEqualTo("hello, world");
            assertThat(untilClose.toString(StandardCharsets.US_ASCII)).isEqualTo("until the close");
        }
    }

    /** A whole response with a Content-Length body, as text. */
    private static String readResponse(InputStream in) throws IOException {
        StringBuilder text = new StringBuilder();
        long length = 0;
        for (String line; !(line = readLine(in)).isEmpty(); ) {
            text.append(line).append("\r\n");
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Long.parseLong(line.substring(15).trim());
            }
        }
        text.append("\r\n");
        text.append(new String(in.readNBytes((int) length), StandardCharsets.ISO_8859_1));
        return text.toString();
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new IOException("end of stream in a line");
            }
            line.append((char) b);
        }
        return line.toString().replaceFirst("\r$", "");
    }

    private static String generated(int count) {
        byte[] bytes = new byte[count];
        for (int i = 0; i < count; i++) {
            bytes[i] = HttpService.generatedByte(i);
        }
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    private static byte[] sha256(byte[] data) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }
}
