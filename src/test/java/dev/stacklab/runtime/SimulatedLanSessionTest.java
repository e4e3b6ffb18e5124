package dev.stacklab.runtime;

import dev.stacklab.capture.CapturedFrame;
import dev.stacklab.link.ImpairmentSettings;
import dev.stacklab.stack.PingOutcome;
import dev.stacklab.stack.PingRequest;
import dev.stacklab.stack.UdpSocket;
import dev.stacklab.wire.EtherType;
import dev.stacklab.wire.Ipv4Address;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The app's default network, for real: runner threads, a real-time switch, real impairments. */
class SimulatedLanSessionTest {
    private static final Ipv4Address SERVER = SimulatedLanSession.PEERS.get(0).address();
    private static final Ipv4Address PEER = SimulatedLanSession.PEERS.get(1).address();

    /**
     * The timeout of a ping that must be answered: generous, as a loaded machine may hold the runner threads back for
     * a while; a reply that comes sooner ends the wait sooner.
     */
    private static final Duration ANSWERED = Duration.ofSeconds(10);

    private final SimulatedLanSession session = SimulatedLanSession.start();
    private final List<CapturedFrame> captured = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        session.close();
    }

    private StackRunner ours() {
        return session.stack().orElseThrow();
    }

    private PingOutcome ping(Ipv4Address target, int sequence, Duration timeout) throws Exception {
        return ours().ping(new PingRequest(target, 0x5151, sequence, 56, 64, timeout.toNanos()))
                .get(timeout.toMillis() + 5000, TimeUnit.MILLISECONDS);
    }

    @Test
    void ourHostPingsBothPeersAndTheCaptureSeesBothDirections() throws Exception {
        session.addCaptureListener(captured::add);
        long before = Instant.now().toEpochMilli() * 1_000_000L;

        assertThat(ping(SERVER, 1, ANSWERED)).isInstanceOfSatisfying(PingOutcome.Reply.class,
                reply -> assertThat(reply.from()).isEqualTo(SERVER));
        assertThat(ping(PEER, 2, ANSWERED)).isInstanceOfSatisfying(PingOutcome.Reply.class,
                reply -> assertThat(reply.from()).isEqualTo(PEER));

        long after = Instant.now().toEpochMilli() * 1_000_000L + 1_000_000L;
        // ARP request out, reply in, echo request out, reply in: for each peer.
        assertThat(captured).filteredOn(frame -> isIcmp(frame) && frame.direction() == CapturedFrame.Direction.OUT).hasSize(2);
        assertThat(captured).filteredOn(frame -> isIcmp(frame) && frame.direction() == CapturedFrame.Direction.IN).hasSize(2);
        assertThat(captured).filteredOn(frame -> etherType(frame) == EtherType.ARP.value()).hasSizeGreaterThanOrEqualTo(4);
        assertThat(captured).allSatisfy(frame -> {
            assertThat(frame.timestampNanos()).isBetween(before, after);
            assertThat(frame.note()).isNull();
        });
        // In order: each echo reply comes after its request.
        int firstRequest = indexOf(frame -> isIcmp(frame) && frame.direction() == CapturedFrame.Direction.OUT);
        int firstReply = indexOf(frame -> isIcmp(frame) && frame.direction() == CapturedFrame.Direction.IN);
        assertThat(firstRequest).isLessThan(firstReply);
    }

    @Test
    void theServerEchoesUdpOnPort7() throws Exception {
        CompletableFuture<String> echoed = new CompletableFuture<>();
        UdpSocket socket = ours().udpBind(0, (from, source, sourcePort, payload) -> {
            if (source.equals(SERVER) && sourcePort == UdpEchoService.ECHO_PORT) {
                echoed.complete(new String(payload, StandardCharsets.UTF_8));
            }
        }).get(30, TimeUnit.SECONDS);
        byte[] payload = "hello, lab".getBytes(StandardCharsets.UTF_8);

        socket.send(SERVER, UdpEchoService.ECHO_PORT, payload, 0, payload.length);

        assertThat(echoed.get(30, TimeUnit.SECONDS)).isEqualTo("hello, lab");
    }

    @Test
    void lossChangedWhileRunningTakesEffectAndLostFramesAreCapturedWithANote() throws Exception {
        assertThat(ping(SERVER, 1, ANSWERED)).isInstanceOf(PingOutcome.Reply.class);
        session.addCaptureListener(captured::add);

        session.setImpairments(ImpairmentSettings.NONE.withLoss(1.0));
        assertThat(session.impairments().loss()).isEqualTo(1.0);
        assertThat(ping(SERVER, 2, Duration.ofMillis(500))).isInstanceOf(PingOutcome.Timeout.class);
        assertThat(captured).filteredOn(this::isIcmp).singleElement().satisfies(frame -> {
            assertThat(frame.direction()).isEqualTo(CapturedFrame.Direction.OUT);
            assertThat(frame.isDropped()).isTrue();
            assertThat(frame.note()).isEqualTo("dropped by impairment: loss");
        });

        session.setImpairments(ImpairmentSettings.NONE);
        assertThat(ping(SERVER, 3, ANSWERED)).isInstanceOf(PingOutcome.Reply.class);
    }

    @Test
    void delayChangedWhileRunningLengthensTheRoundTrip() throws Exception {
        assertThat(ping(SERVER, 1, ANSWERED)).isInstanceOf(PingOutcome.Reply.class);

        session.setImpairments(ImpairmentSettings.NONE.withDelay(Duration.ofMillis(100)));
        PingOutcome delayed = ping(SERVER, 2, ANSWERED);

        // 100 ms on the way out and 100 ms on the way back.
        assertThat(delayed).isInstanceOfSatisfying(PingOutcome.Reply.class,
                reply -> assertThat(reply.roundTripNanos()).isGreaterThanOrEqualTo(200_000_000L));
    }

    @Test
    void aReplyLostOnTheWayInIsCapturedAsADroppedIncomingFrame() throws Exception {
        assertThat(ping(SERVER, 1, ANSWERED)).isInstanceOf(PingOutcome.Reply.class);
        session.addCaptureListener(captured::add);
        session.setImpairments(ImpairmentSettings.NONE, ImpairmentSettings.NONE.withLoss(1.0));

        assertThat(ping(SERVER, 2, Duration.ofMillis(500))).isInstanceOf(PingOutcome.Timeout.class);
        // The ping may time out before the server's reply has come back to be lost: wait for it.
        waitFor(() -> captured.stream().filter(this::isIcmp).count() >= 2);

        assertThat(captured).filteredOn(this::isIcmp).satisfiesExactly(
                request -> {
                    assertThat(request.direction()).isEqualTo(CapturedFrame.Direction.OUT);
                    assertThat(request.note()).isNull();
                },
                reply -> {
                    assertThat(reply.direction()).isEqualTo(CapturedFrame.Direction.IN);
                    assertThat(reply.note()).isEqualTo("dropped by impairment: loss");
                    assertThat(reply.bytes()[34]).as("ICMP type").isEqualTo((byte) 0);
                });
    }

    @Test
    void framesDamagedOrDoubledOnTheWayInAreCapturedWithANote() throws Exception {
        assertThat(ping(SERVER, 1, ANSWERED)).isInstanceOf(PingOutcome.Reply.class);
        session.addCaptureListener(captured::add);

        session.setImpairments(ImpairmentSettings.NONE, ImpairmentSettings.NONE.withCorrupt(1.0));
        ping(SERVER, 2, Duration.ofMillis(500));
        // The damaged reply may come back after the ping timed out: it must be in before the next settings, which
        // would double it instead.
        waitFor(() -> captured.stream().anyMatch(frame -> frame.direction() == CapturedFrame.Direction.IN));
        session.setImpairments(ImpairmentSettings.NONE, ImpairmentSettings.NONE.withDuplicate(1.0));
        assertThat(ping(SERVER, 3, ANSWERED)).isInstanceOf(PingOutcome.Reply.class);
        waitFor(() -> captured.stream().filter(frame -> frame.direction() == CapturedFrame.Direction.IN).count() >= 3);

        List<CapturedFrame> in = captured.stream().filter(frame -> frame.direction() == CapturedFrame.Direction.IN).toList();
        assertThat(in).hasSize(3);
        assertThat(in.get(0).note()).startsWith("corrupted by impairment: one bit of byte ");
        assertThat(in.get(1).note()).isNull();
        assertThat(in.get(2).note()).isEqualTo("duplicated by impairment");
        assertThat(in.get(2).bytes()).isEqualTo(in.get(1).bytes());
    }

    /** Waits for what another thread does (the test's assertions then say whether it happened): up to 30 s. */
    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    private int indexOf(java.util.function.Predicate<CapturedFrame> predicate) {
        for (int i = 0; i < captured.size(); i++) {
            if (predicate.test(captured.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private boolean isIcmp(CapturedFrame frame) {
        return etherType(frame) == EtherType.IPV4.value() && frame.bytes().length > 23 && frame.bytes()[23] == 1;
    }

    private static int etherType(CapturedFrame frame) {
        return (frame.bytes()[12] & 0xFF) << 8 | frame.bytes()[13] & 0xFF;
    }
}
