package dev.stacklab.runtime;

import dev.stacklab.link.ImpairedLink;
import dev.stacklab.link.ImpairmentSettings;
import dev.stacklab.link.Impairments;
import dev.stacklab.link.VirtualSwitch;
import dev.stacklab.stack.tcp.CongestionAlgorithm;
import dev.stacklab.stack.tcp.TcpCloseReason;
import dev.stacklab.stack.tcp.TcpConfig;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.MacAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.SocketTimeoutException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The blocking TCP facades between two hosts, each a stack on its own runner thread, on a real-time
 * {@link VirtualSwitch}; the client's cable can be impaired.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TcpSocketTest {
    private static final Ipv4Address SERVER = Ipv4Address.parse("10.0.0.1");
    private static final Duration CONNECT = Duration.ofSeconds(30);

    private VirtualSwitch lan;
    private Host server;
    private Host client;
    private Impairments clientOut;

    @BeforeEach
    void startHosts() throws Exception {
        lan = new VirtualSwitch("test LAN");
        server = Host.onLink(lan.attach("server", MacAddress.parse("02:00:00:00:00:01"))).address("10.0.0.1/24").start();
        clientOut = new Impairments(ImpairmentSettings.NONE, 42);
        client = Host.onLink(new ImpairedLink(lan.attach("client", MacAddress.parse("02:00:00:00:00:02")), clientOut, null))
                .address("10.0.0.2/24").start();
    }

    @AfterEach
    void stopHosts() {
        client.close();
        server.close();
    }

    @Test
    void oneMebibyteEachWayThroughAnEchoArrivesIntactWithTwoPercentLoss() throws Exception {
        clientOut.setSettings(ImpairmentSettings.NONE.withLoss(0.02));
        byte[] sent = new byte[1 << 20];
        new Random(7).nextBytes(sent);
        try (TcpServerSocket listener = TcpServerSocket.listen(server.runner(), 7, 4)) {
            CompletableFuture<Long> echoed = CompletableFuture.supplyAsync(() -> {
                try (TcpSocket connection = listener.accept(CONNECT)) {
                    long total = 0;
                    byte[] buffer = new byte[8192];
                    InputStream in = connection.getInputStream();
                    OutputStream out = connection.getOutputStream();
                    for (int n; (n = in.read(buffer)) >= 0; ) {
                        out.write(buffer, 0, n);
                        total += n;
                    }
                    return total; // the client's FIN read: close sends ours after the echo
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (TcpSocket socket = TcpSocket.connect(client.runner(), SERVER, 7, CONNECT)) {
                CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                    try {
                        socket.getOutputStream().write(sent);
                        socket.shutdownOutput();
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                });
                byte[] received = socket.getInputStream().readAllBytes();
                writer.get(30, TimeUnit.SECONDS);

                assertThat(echoed.get(30, TimeUnit.SECONDS)).isEqualTo(sent.length);
                assertThat(received).hasSize(sent.length);
                assertThat(sha256(received)).isEqualTo(sha256(sent));
                assertThat(socket.snapshot().retransmissions()).as("2% loss costs retransmissions").isPositive();
                assertThat(socket.awaitClosed(CONNECT)).as("both FINs exchanged").isTrue();
            }
        }
    }

    @Test
    void aSocketChoosesCubicBeforeItWritesAndNotAfter() throws Exception {
        try (TcpServerSocket listener = TcpServerSocket.listen(server.runner(), 80, 4);
             TcpSocket socket = TcpSocket.connect(client.runner(), SERVER, 80, CONNECT)) {
            TcpSocket accepted = listener.accept(CONNECT);
            assertThat(socket.congestionControl()).isEqualTo(CongestionAlgorithm.NEW_RENO);
            socket.setCongestionControl(CongestionAlgorithm.CUBIC);
            assertThat(socket.congestionControl()).isEqualTo(CongestionAlgorithm.CUBIC);
            socket.getOutputStream().write("through CUBIC".getBytes());
            assertThat(accepted.getInputStream().readNBytes(13)).isEqualTo("through CUBIC".getBytes());
            assertThatThrownBy(() -> socket.setCongestionControl(CongestionAlgorithm.NEW_RENO))
                    .isInstanceOf(TcpException.class)
                    .hasMessage("set TCP_CONGESTION failed: the congestion control is chosen before any data is sent");
            assertThat(socket.congestionControl()).isEqualTo(CongestionAlgorithm.CUBIC);
            accepted.close();
        }
    }

    @Test
    void connectingToAPortNobodyListensOnIsRefused() {
        assertThatThrownBy(() -> TcpSocket.connect(client.runner(), SERVER, 81, CONNECT))
                .isInstanceOf(TcpException.class)
                .hasMessage("connection refused by 10.0.0.1:81")
                .satisfies(e -> assertThat(((TcpException) e).closeReason()).isEqualTo(TcpCloseReason.REFUSED));
    }

    @Test
    void aPeersAbortReachesTheReaderAsResetByPeer() throws Exception {
        try (TcpServerSocket listener = TcpServerSocket.listen(server.runner(), 80, 4);
             TcpSocket socket = TcpSocket.connect(client.runner(), SERVER, 80, CONNECT)) {
            TcpSocket accepted = listener.accept(CONNECT);
            accepted.getOutputStream().write("before the reset".getBytes());
            byte[] first = new byte[16];
            assertThat(socket.getInputStream().readNBytes(first, 0, 16)).isEqualTo(16);
            accepted.abort();

            assertThatThrownBy(() -> socket.getInputStream().read())
                    .isInstanceOf(TcpException.class)
                    .hasMessage("connection reset by peer 10.0.0.1:80");
            assertThatThrownBy(() -> socket.getOutputStream().write(1))
                    .isInstanceOf(TcpException.class)
                    .hasMessageContaining("reset by peer");
        }
    }

    @Test
    void anUnansweredTransferTimesOutAfterTheRetryLimit() throws Exception {
        client.runner().installTcp(TcpConfig.defaults().withRetries(2, 3)).get(30, TimeUnit.SECONDS);
        try (TcpServerSocket listener = TcpServerSocket.listen(server.runner(), 9, 4);
             TcpSocket socket = TcpSocket.connect(client.runner(), SERVER, 9, CONNECT)) {
            listener.accept(CONNECT);
            clientOut.setSettings(ImpairmentSettings.NONE.withLoss(1.0));
            socket.getOutputStream().write(new byte[1000]);

            assertThatThrownBy(() -> socket.getInputStream().read())
                    .isInstanceOf(TcpException.class)
                    .hasMessage("connection to 10.0.0.1:9 timed out after 3 retransmissions");
        }
    }

    @Test
    void anAddressOffTheSubnetWithoutAGatewayIsUnreachable() {
        assertThatThrownBy(() -> TcpSocket.connect(client.runner(), Ipv4Address.parse("192.0.2.1"), 80, CONNECT))
                .isInstanceOf(TcpException.class)
                .hasMessage("network unreachable: 192.0.2.1 is off the subnet 10.0.0.2/24 and there is no gateway");
    }

    @Test
    void acceptTimesOutAndAPortListensOnce() throws Exception {
        try (TcpServerSocket listener = TcpServerSocket.listen(server.runner(), 80, 4)) {
            assertThatThrownBy(() -> listener.accept(Duration.ofMillis(200)))
                    .isInstanceOf(SocketTimeoutException.class)
                    .hasMessage("accept on TCP port 80 timed out after 200 ms");
            assertThatThrownBy(() -> TcpServerSocket.listen(server.runner(), 80, 4))
                    .isInstanceOf(BindException.class)
                    .hasMessage("cannot listen on TCP port 80: port 80 already has a listener");
        }
    }

    @Test
    void aHalfCloseLetsThePeerAnswerAfterOurFin() throws Exception {
        try (TcpServerSocket listener = TcpServerSocket.listen(server.runner(), 80, 4);
             TcpSocket socket = TcpSocket.connect(client.runner(), SERVER, 80, CONNECT)) {
            TcpSocket accepted = listener.accept(CONNECT);
            socket.getOutputStream().write("question".getBytes());
            socket.shutdownOutput();
            ByteArrayOutputStream asked = new ByteArrayOutputStream();
            accepted.getInputStream().transferTo(asked);
            assertThat(asked.toString()).isEqualTo("question");
            accepted.getOutputStream().write("answer".getBytes());
            accepted.close();

            assertThat(new String(socket.getInputStream().readAllBytes())).isEqualTo("answer");
            assertThat(socket.awaitClosed(CONNECT)).isTrue();
        }
    }

    @Test
    void aBlockingCallOnTheStacksOwnThreadIsRefusedRatherThanWaitingForever() {
        CompletableFuture<TcpSocket> onRunner = client.runner().submit((stack, now) -> {
            try {
                return TcpSocket.connect(client.runner(), SERVER, 80, CONNECT);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThatThrownBy(() -> onRunner.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class)
                .hasMessageContaining("on the stack's own thread");
    }

    private static byte[] sha256(byte[] data) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }
}
