package dev.stacklab.stack.tcp;

import dev.stacklab.runtime.SimHost;
import dev.stacklab.runtime.Simulation;
import dev.stacklab.stack.StackConfig;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.Ipv4Cidr;
import dev.stacklab.wire.MacAddress;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** TCP installed in two {@code NetStack}s on the runtime's {@link Simulation}: real frames, ARP, IPv4, checksums. */
class TcpSimulationTest {
    static final Ipv4Address B = Ipv4Address.parse("10.0.0.2");

    static StackConfig config(String mac, String cidr) {
        return StackConfig.of(MacAddress.parse(mac), Ipv4Cidr.parse(cidr), null);
    }

    record Lan(Simulation sim, SimHost a, SimHost b, TcpLayer tcpA, TcpLayer tcpB, List<TcpEvent> eventsA, List<TcpEvent> eventsB,
               List<TcpEvent> stackEventsA) {
    }

    static Lan lan(long seed) {
        Simulation sim = new Simulation(seed);
        SimHost a = sim.addHost("a", config("02:00:00:00:00:01", "10.0.0.1/24"));
        SimHost b = sim.addHost("b", config("02:00:00:00:00:02", "10.0.0.2/24"));
        assertThat(sim.runUntilIdle(Duration.ofSeconds(10))).isTrue();
        List<TcpEvent> publishedByA = new ArrayList<>();
        a.addListener(event -> {
            if (event instanceof dev.stacklab.stack.StackEvent.TcpConnectionEvent tcp) {
                publishedByA.add(tcp.event());
            }
        });
        TcpLayer tcpA = TcpLayer.install(a.stack(), TcpConfig.defaults());
        TcpLayer tcpB = TcpLayer.install(b.stack(), TcpConfig.defaults());
        List<TcpEvent> eventsA = new ArrayList<>();
        List<TcpEvent> eventsB = new ArrayList<>();
        tcpA.addListener(eventsA::add);
        tcpB.addListener(eventsB::add);
        return new Lan(sim, a, b, tcpA, tcpB, eventsA, eventsB, publishedByA);
    }

    static List<TcpState> states(List<TcpEvent> events) {
        List<TcpState> states = new ArrayList<>();
        for (TcpEvent event : events) {
            if (event instanceof TcpEvent.StateChanged change) {
                states.add(change.to());
            }
        }
        return states;
    }

    @Test
    void handshakeDataBothWaysAndClose() {
        Lan lan = lan(7);
        Simulation sim = lan.sim();
        TcpListener listener = lan.tcpB().listen(7, 4);
        TcpConnection client = lan.tcpA().connect(B, 7, 0, sim.now());
        sim.runFor(Duration.ofMillis(50));
        TcpConnection server = listener.accept();
        assertThat(server).isNotNull();
        assertThat(client.state()).isEqualTo(TcpState.ESTABLISHED);
        assertThat(server.state()).isEqualTo(TcpState.ESTABLISHED);
        assertThat(client.endpoints().localPort()).isBetween(49152, 65535);
        assertThat(server.endpoints().remotePort()).isEqualTo(client.endpoints().localPort());

        byte[] request = "GET /bytes/300000 HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(client.send(request, 0, request.length)).isEqualTo(request.length);
        sim.runFor(Duration.ofMillis(50));
        byte[] buffer = new byte[64 * 1024];
        int read = server.receive(buffer, 0, buffer.length);
        assertThat(Arrays.copyOf(buffer, read)).isEqualTo(request);

        byte[] response = new byte[300_000];
        new Random(1).nextBytes(response);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        int sent = 0;
        for (int round = 0; round < 10_000 && received.size() < response.length; round++) {
            if (sent < response.length) {
                sent += server.send(response, sent, response.length - sent);
            }
            sim.runFor(Duration.ofMillis(1));
            for (int n; (n = client.receive(buffer, 0, buffer.length)) > 0; ) {
                received.write(buffer, 0, n);
            }
        }
        assertThat(received.toByteArray()).isEqualTo(response);

        client.close();
        sim.runFor(Duration.ofMillis(50));
        assertThat(server.state()).isEqualTo(TcpState.CLOSE_WAIT);
        assertThat(server.receive(buffer, 0, buffer.length)).isEqualTo(-1);
        assertThat(client.state()).isEqualTo(TcpState.FIN_WAIT_2);
        server.close();
        sim.runFor(Duration.ofMillis(50));
        assertThat(server.state()).isEqualTo(TcpState.CLOSED);
        assertThat(server.closeReason()).isEqualTo(TcpCloseReason.NORMAL);
        assertThat(client.state()).isEqualTo(TcpState.TIME_WAIT);
        sim.runFor(Duration.ofSeconds(61));
        assertThat(client.state()).isEqualTo(TcpState.CLOSED);
        assertThat(states(lan.eventsA())).containsExactly(TcpState.SYN_SENT, TcpState.ESTABLISHED, TcpState.FIN_WAIT_1,
                TcpState.FIN_WAIT_2, TcpState.TIME_WAIT, TcpState.CLOSED);
        assertThat(lan.stackEventsA()).as("the same events reach the stack's listeners").isEqualTo(lan.eventsA());
        assertThat(states(lan.eventsB())).containsExactly(TcpState.SYN_RECEIVED, TcpState.ESTABLISHED, TcpState.CLOSE_WAIT,
                TcpState.LAST_ACK, TcpState.CLOSED);
        for (SimHost host : List.of(lan.a(), lan.b())) {
            assertThat(host.stack().counters().byLabel()).containsEntry("dropped: bad checksum", 0L).containsEntry("dropped: malformed", 0L);
        }
        assertThat(sim.runUntilIdle(Duration.ofSeconds(1))).as("nothing left running").isTrue();
    }

    @Test
    void aConnectionToAPortNobodyListensOnIsRefused() {
        Lan lan = lan(8);
        TcpConnection client = lan.tcpA().connect(B, 81, 0, lan.sim().now());
        lan.sim().runFor(Duration.ofMillis(50));
        assertThat(client.state()).isEqualTo(TcpState.CLOSED);
        assertThat(client.closeReason()).isEqualTo(TcpCloseReason.REFUSED);
    }

    @Test
    void aTransferThroughAnImpairedLinkArrivesIntactAndRepeatsWithItsSeed() {
        String first = impairedTransfer(21, 0.05);
        assertThat(impairedTransfer(21, 0.05)).as("the same seed, the same run").isEqualTo(first);
    }

    /** The impairments (10% loss, 5% reordering, 2% duplication, 1% corruption), a few seeds. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(longs = {31, 32, 33, 34, 35})
    void tenPercentLossBothWays(long seed) {
        impairedTransfer(seed, 0.10);
    }

    /** 200 kB each way with the given loss, 2% duplication, 5% reordering and 1% corruption on both hosts' sending side. */
    private static String impairedTransfer(long seed, double loss) {
        Lan lan = lan(seed);
        Simulation sim = lan.sim();
        dev.stacklab.link.ImpairmentSettings impaired = dev.stacklab.link.ImpairmentSettings.NONE.withLoss(loss)
                .withDuplicate(0.02).withReorder(0.05).withCorrupt(0.01).withDelay(Duration.ofMillis(2));
        lan.a().impairSending(impaired);
        lan.b().impairSending(impaired);
        TcpListener listener = lan.tcpB().listen(9, 4);
        TcpConnection client = lan.tcpA().connect(B, 9, 0, sim.now());
        TcpConnection server = null;
        byte[] up = new byte[200_000];
        byte[] down = new byte[200_000];
        new Random(seed).nextBytes(up);
        new Random(seed + 1).nextBytes(down);
        ByteArrayOutputStream serverGot = new ByteArrayOutputStream();
        ByteArrayOutputStream clientGot = new ByteArrayOutputStream();
        int upSent = 0;
        int downSent = 0;
        byte[] buffer = new byte[64 * 1024];
        for (int round = 0; round < 60_000 && (serverGot.size() < up.length || clientGot.size() < down.length); round++) {
            if (server == null) {
                server = listener.accept();
            }
            if (client.isWritable() && upSent < up.length) {
                upSent += client.send(up, upSent, up.length - upSent);
            }
            if (server != null && server.isWritable() && downSent < down.length) {
                downSent += server.send(down, downSent, down.length - downSent);
            }
            sim.runFor(Duration.ofMillis(1));
            for (int n; (n = client.receive(buffer, 0, buffer.length)) > 0; ) {
                clientGot.write(buffer, 0, n);
            }
            for (int n; server != null && (n = server.receive(buffer, 0, buffer.length)) > 0; ) {
                serverGot.write(buffer, 0, n);
            }
        }
        assertThat(Arrays.mismatch(serverGot.toByteArray(), up)).as("first differing byte of %d up", serverGot.size()).isEqualTo(-1);
        assertThat(Arrays.mismatch(clientGot.toByteArray(), down)).as("first differing byte of %d down", clientGot.size()).isEqualTo(-1);
        client.close();
        server.close();
        sim.runFor(Duration.ofSeconds(90));
        assertThat(client.closeReason()).isEqualTo(TcpCloseReason.NORMAL);
        assertThat(server.closeReason()).isEqualTo(TcpCloseReason.NORMAL);
        assertThat(lan.tcpA().engine().counters().retransmissions()).as("losses were repaired").isPositive();
        return sim.now() + " " + lan.tcpA().engine().counters().segmentsSent() + " " + lan.tcpB().engine().counters().segmentsSent()
                + " " + client.snapshot() + " " + server.snapshot();
    }
}
