package dev.stacklab.runtime;

import dev.stacklab.link.ImpairmentSettings;
import dev.stacklab.link.LinkEvent;
import dev.stacklab.stack.PathMtuDiscovery;
import dev.stacklab.stack.PingOutcome;
import dev.stacklab.stack.PingRequest;
import dev.stacklab.stack.StackConfig;
import dev.stacklab.stack.StackEvent;
import dev.stacklab.wire.BigEndian;
import dev.stacklab.wire.EtherType;
import dev.stacklab.wire.EthernetFrame;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.Ipv4Cidr;
import dev.stacklab.wire.MacAddress;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class SimulationTest {
    private static final long SECOND = 1_000_000_000L;
    private static final Ipv4Address A = Ipv4Address.parse("10.0.0.1");
    private static final Ipv4Address B = Ipv4Address.parse("10.0.0.2");

    private static StackConfig config(String mac, String cidr) {
        return StackConfig.of(MacAddress.parse(mac), Ipv4Cidr.parse(cidr), null);
    }

    private static PingRequest ping(Ipv4Address target, int sequence) {
        return new PingRequest(target, 0x1234, sequence, 56, 64, SECOND);
    }

    /** Two hosts on the switch, after their start-up announcements have died down. */
    private static Simulation twoHosts(long seed) {
        Simulation sim = new Simulation(seed);
        sim.addHost("a", config("02:00:00:00:00:01", "10.0.0.1/24"));
        sim.addHost("b", config("02:00:00:00:00:02", "10.0.0.2/24"));
        assertThat(sim.runUntilIdle(Duration.ofSeconds(10))).as("idle after the announcements").isTrue();
        return sim;
    }

    private static SimHost host(Simulation sim, String name) {
        return sim.host(name).orElseThrow();
    }

    @Test
    void twoStacksPingEachOther() {
        Simulation sim = twoHosts(1);
        SimHost a = host(sim, "a");
        SimHost b = host(sim, "b");

        SimFuture<PingOutcome> aToB = a.ping(ping(B, 1));
        assertThat(sim.runUntilDone(aToB, Duration.ofSeconds(2))).isTrue();
        SimFuture<PingOutcome> bToA = b.ping(ping(A, 1));
        assertThat(sim.runUntilDone(bToA, Duration.ofSeconds(2))).isTrue();

        assertThat(aToB.get()).isInstanceOfSatisfying(PingOutcome.Reply.class, reply -> {
            assertThat(reply.from()).isEqualTo(B);
            assertThat(reply.bytes()).isEqualTo(64);
            assertThat(reply.ttl()).isEqualTo(64);
        });
        assertThat(bToA.get()).isInstanceOf(PingOutcome.Reply.class);
    }

    @Test
    void dontFragmentPingsAreRefusedLocallyWhenTooBigAndFragmentedOnlyWhenWanted() {
        Simulation sim = twoHosts(1);
        SimHost a = host(sim, "a");
        SimFuture<PingOutcome> refused = a.ping(new PingRequest(B, 0x1234, 1, 3000, 64, SECOND, PathMtuDiscovery.DO));
        SimFuture<PingOutcome> fragmented = a.ping(new PingRequest(B, 0x1234, 2, 3000, 64, SECOND, PathMtuDiscovery.WANT));
        assertThat(sim.runUntilDone(fragmented, Duration.ofSeconds(2))).isTrue();

        assertThat(refused.get()).isEqualTo(new PingOutcome.MessageTooLong(1500));
        assertThat(fragmented.get()).isInstanceOfSatisfying(PingOutcome.Reply.class, reply -> assertThat(reply.bytes()).isEqualTo(3008));
    }

    @Test
    void roundTripTimeIsFourHopsOfPropagationAndSerialization() {
        Simulation sim = twoHosts(1);
        SimHost a = host(sim, "a");
        sim.runUntilDone(a.ping(ping(B, 1)), Duration.ofSeconds(2));
        // Resolved now: the second ping is four hops of a 98-byte frame, 1 µs + 784 ns each at 1 Gbit/s.
        SimFuture<PingOutcome> second = a.ping(ping(B, 2));
        sim.runUntilDone(second, Duration.ofSeconds(2));
        assertThat(((PingOutcome.Reply) second.get()).roundTripNanos()).isEqualTo(4 * (1_000 + 784));

        sim.setHopDelay(10_000, 0);
        SimFuture<PingOutcome> third = a.ping(ping(B, 3));
        sim.runUntilDone(third, Duration.ofSeconds(2));
        assertThat(((PingOutcome.Reply) third.get()).roundTripNanos()).isEqualTo(40_000);
    }

    @Test
    void theSameSeedGivesTheSameTraceAndAnotherSeedAnother() {
        List<String> first = impairedTrace(42);
        List<String> again = impairedTrace(42);
        List<String> other = impairedTrace(43);

        assertThat(first).hasSizeGreaterThan(50);
        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    /** Pings through loss, jitter, duplication and corruption, recording everything the observer sees. */
    private static List<String> impairedTrace(long seed) {
        Simulation sim = new Simulation(seed);
        List<String> trace = new ArrayList<>();
        HexFormat hex = HexFormat.of();
        sim.addObserver(new SimulationObserver() {
            @Override
            public void frameSent(long timeNanos, SimHost from, byte[] frame) {
                trace.add(timeNanos + " sent " + from.name() + " " + hex.formatHex(frame));
            }

            @Override
            public void frameDelivered(SimFrame frame) {
                trace.add(frame.deliveredAtNanos() + " delivered " + frame.to().name() + " " + hex.formatHex(frame.frame()));
            }

            @Override
            public void linkEvent(LinkEvent event) {
                trace.add(event.timestampNanos() + " " + event);
            }

            @Override
            public void stackEvent(SimHost host, StackEvent event) {
                if (event instanceof StackEvent.PingCompleted completed) {
                    trace.add(event.timeNanos() + " " + host.name() + " " + completed.outcome());
                }
            }
        });
        SimHost a = sim.addHost("a", config("02:00:00:00:00:01", "10.0.0.1/24"));
        SimHost b = sim.addHost("b", config("02:00:00:00:00:02", "10.0.0.2/24"));
        b.impairCable(ImpairmentSettings.NONE.withLoss(0.2).withJitter(Duration.ofMillis(3))
                .withDelay(Duration.ofMillis(5)).withDuplicate(0.1).withCorrupt(0.05));
        for (int i = 0; i < 30; i++) {
            int sequence = i + 1;
            sim.schedule(i * 100_000_000L, () -> a.ping(ping(B, sequence)));
        }
        sim.runFor(Duration.ofSeconds(10));
        return trace;
    }

    @Test
    void lossProducesTimeoutsAndTheSameOnesForTheSameSeed() {
        List<String> first = outcomesThroughLoss(7);
        List<String> again = outcomesThroughLoss(7);

        assertThat(first).hasSize(20);
        assertThat(first).contains("Reply", "Timeout");
        assertThat(again).isEqualTo(first);
    }

    private static List<String> outcomesThroughLoss(long seed) {
        Simulation sim = twoHosts(seed);
        SimHost a = host(sim, "a");
        host(sim, "b").impairReceiving(ImpairmentSettings.NONE.withLoss(0.5));
        List<String> outcomes = new ArrayList<>();
        for (int sequence = 1; sequence <= 20; sequence++) {
            SimFuture<PingOutcome> future = a.ping(new PingRequest(B, 0x1234, sequence, 56, 64, SECOND / 2));
            assertThat(sim.runUntilDone(future, Duration.ofSeconds(5))).as("ping %d ended", sequence).isTrue();
            outcomes.add(future.get().getClass().getSimpleName());
        }
        return outcomes;
    }

    @Test
    void stepReleasesOneFrameAtATime() {
        Simulation sim = twoHosts(3);
        SimHost a = host(sim, "a");
        SimHost b = host(sim, "b");
        long delivered = sim.deliveredFrames();
        SimFuture<PingOutcome> future = a.ping(ping(B, 1));

        SimFrame arpRequest = sim.step().orElseThrow();
        assertThat(sim.deliveredFrames()).isEqualTo(delivered + 1);
        assertThat(arpRequest.from()).isSameAs(a);
        assertThat(arpRequest.to()).isSameAs(b);
        assertThat(etherType(arpRequest)).isEqualTo(EtherType.ARP.value());
        assertThat(future.isDone()).isFalse();

        SimFrame arpReply = sim.step().orElseThrow();
        assertThat(arpReply.from()).isSameAs(b);
        assertThat(etherType(arpReply)).isEqualTo(EtherType.ARP.value());
        assertThat(future.isDone()).isFalse();

        SimFrame request = sim.step().orElseThrow();
        assertThat(request.from()).isSameAs(a);
        assertThat(etherType(request)).isEqualTo(EtherType.IPV4.value());
        assertThat(future.isDone()).isFalse();

        SimFrame reply = sim.step().orElseThrow();
        assertThat(reply.from()).isSameAs(b);
        assertThat(reply.deliveredAtNanos()).isGreaterThan(request.deliveredAtNanos());
        assertThat(sim.deliveredFrames()).isEqualTo(delivered + 4);
        // The reply was delivered; the engine reports the outcome as it handles it, within that step.
        assertThat(future.isDone()).isTrue();
        assertThat(future.get()).isInstanceOf(PingOutcome.Reply.class);
    }

    private static int etherType(SimFrame frame) {
        return BigEndian.u16(frame.frame(), EthernetFrame.TYPE);
    }

    @Test
    void stepOnAnIdleNetworkReleasesNothing() {
        Simulation sim = twoHosts(3);
        assertThat(sim.step()).isEmpty();
        assertThat(sim.isIdle()).isTrue();
    }

    @Test
    void udpEchoServiceAnswersInTheSimulation() {
        Simulation sim = twoHosts(5);
        SimHost a = host(sim, "a");
        UdpEchoService echo = UdpEchoService.start(host(sim, "b").stack(), UdpEchoService.ECHO_PORT);
        List<String> received = new ArrayList<>();
        var socket = a.udpBind(0, (s, source, sourcePort, payload) ->
                received.add(source + ":" + sourcePort + " " + new String(payload, StandardCharsets.US_ASCII)));
        byte[] hello = "hello, echo".getBytes(StandardCharsets.US_ASCII);
        socket.send(B, UdpEchoService.ECHO_PORT, hello, 0, hello.length);

        sim.runFor(Duration.ofMillis(100));

        assertThat(received).containsExactly("10.0.0.2:7 hello, echo");
        assertThat(echo.echoedDatagrams()).isEqualTo(1);
    }

    @Test
    void nobodyAnsweringArpMakesThePingHostUnreachable() {
        Simulation sim = twoHosts(9);
        SimHost a = host(sim, "a");
        SimFuture<PingOutcome> future = a.ping(new PingRequest(Ipv4Address.parse("10.0.0.99"), 1, 1, 56, 64, 10 * SECOND));
        assertThat(sim.runUntilDone(future, Duration.ofSeconds(10))).isTrue();
        assertThat(future.get()).isInstanceOf(PingOutcome.HostUnreachable.class);
        SimFuture<Optional<MacAddress>> resolved = a.resolve(B);
        sim.runUntilDone(resolved, Duration.ofSeconds(5));
        assertThat(resolved.get()).contains(MacAddress.parse("02:00:00:00:00:02"));
    }

    @Test
    void runUntilMovesTheClockAndScheduledActionsRunInOrder() {
        Simulation sim = new Simulation(0);
        List<String> order = new ArrayList<>();
        sim.schedule(2_000, () -> order.add("second at " + sim.now()));
        sim.schedule(1_000, () -> order.add("first at " + sim.now()));
        sim.schedule(2_000, () -> order.add("third at " + sim.now()));

        sim.runUntil(1_500);
        assertThat(order).containsExactly("first at 1000");
        assertThat(sim.now()).isEqualTo(1_500);
        sim.runFor(Duration.ofSeconds(1));
        assertThat(order).containsExactly("first at 1000", "second at 2000", "third at 2000");
        assertThat(sim.now()).isEqualTo(1_500 + SECOND);
        assertThat(sim.isIdle()).isTrue();
    }
}
