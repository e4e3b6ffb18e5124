package dev.stacklab.runtime;

import dev.stacklab.link.FrameSink;
import dev.stacklab.link.Link;
import dev.stacklab.link.LinkEventListener;
import dev.stacklab.link.VirtualSwitch;
import dev.stacklab.stack.Counter;
import dev.stacklab.stack.NeighborEntry;
import dev.stacklab.stack.NeighborState;
import dev.stacklab.stack.PingOutcome;
import dev.stacklab.stack.PingRequest;
import dev.stacklab.stack.StackConfig;
import dev.stacklab.stack.StackEvent;
import dev.stacklab.stack.UdpSocket;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.Ipv4Cidr;
import dev.stacklab.wire.MacAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Real threads, real time: runners joined by the real-time ports of a {@link VirtualSwitch}. */
class StackRunnerTest {
    private static final Ipv4Address A = Ipv4Address.parse("10.0.0.1");
    private static final Ipv4Address B = Ipv4Address.parse("10.0.0.2");
    private static final MacAddress MAC_A = MacAddress.parse("02:00:00:00:00:01");
    private static final MacAddress MAC_B = MacAddress.parse("02:00:00:00:00:02");

    private final VirtualSwitch network = new VirtualSwitch("test");
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
    }

    private StackRunner runner(String name, MacAddress mac, String cidr) {
        StackRunner runner = new StackRunner(StackConfig.of(mac, Ipv4Cidr.parse(cidr), null), network.attach(name, mac));
        toClose.add(runner);
        return runner;
    }

    /**
     * A ping that must be answered: its timeout is generous, as a loaded machine may hold the runner threads back for
     * a while (a reply that comes sooner ends the wait sooner).
     */
    private static PingRequest ping(Ipv4Address target, int sequence) {
        return new PingRequest(target, 0x4242, sequence, 56, 64, 10_000_000_000L);
    }

    @Test
    void twoRunnersPingEachOther() throws Exception {
        StackRunner a = runner("a", MAC_A, "10.0.0.1/24").start();
        StackRunner b = runner("b", MAC_B, "10.0.0.2/24").start();

        PingOutcome aToB = a.ping(ping(B, 1)).get(30, TimeUnit.SECONDS);
        PingOutcome bToA = b.ping(ping(A, 1)).get(30, TimeUnit.SECONDS);

        assertThat(aToB).isInstanceOfSatisfying(PingOutcome.Reply.class, reply -> {
            assertThat(reply.from()).isEqualTo(B);
            // Nanoseconds, and within the request's timeout (the reply came in time).
            assertThat(reply.roundTripNanos()).isPositive().isLessThan(10_000_000_000L);
        });
        assertThat(bToA).isInstanceOf(PingOutcome.Reply.class);
        assertThat(a.resolve(B).get(30, TimeUnit.SECONDS)).contains(MAC_B);
        List<NeighborEntry> neighbors = a.neighbors().get(30, TimeUnit.SECONDS);
        assertThat(neighbors).anySatisfy(entry -> {
            assertThat(entry.address()).isEqualTo(B);
            assertThat(entry.state()).isEqualTo(NeighborState.REACHABLE);
        });
    }

    @Test
    void listenersHearStackEventsOnTheRunnerThread() throws Exception {
        StackRunner a = runner("a", MAC_A, "10.0.0.1/24");
        BlockingQueue<String> threads = new LinkedBlockingQueue<>();
        a.addListener(new RunnerListener() {
            @Override
            public void stackEvent(StackEvent event) {
                if (event instanceof StackEvent.FrameSent) {
                    threads.add(Thread.currentThread().getName());
                }
            }
        });
        a.start();
        // The gratuitous announcement at start is a frame sent, seen because the listener came first.
        assertThat(threads.poll(30, TimeUnit.SECONDS)).isEqualTo("stacklab-stack-a");
    }

    @Test
    void udpEchoServiceAnswersThroughTheRunner() throws Exception {
        StackRunner a = runner("a", MAC_A, "10.0.0.1/24").start();
        StackRunner b = runner("b", MAC_B, "10.0.0.2/24").start();
        UdpEchoService echo = UdpEchoService.start(b, UdpEchoService.ECHO_PORT).get(30, TimeUnit.SECONDS);
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        UdpSocket socket = a.udpBind(0, (s, source, sourcePort, payload) ->
                received.add(source + ":" + sourcePort + " " + new String(payload, StandardCharsets.US_ASCII))).get(30, TimeUnit.SECONDS);
        byte[] payload = "ping over udp".getBytes(StandardCharsets.US_ASCII);

        socket.send(B, UdpEchoService.ECHO_PORT, payload, 0, payload.length);
        // The runner copied the payload: changing the array now must not change what is sent.
        payload[0] = 'X';

        assertThat(received.poll(30, TimeUnit.SECONDS)).isEqualTo("10.0.0.2:7 ping over udp");
        assertThat(socket.localPort()).isBetween(49152, 65535);
        assertThat(echo.echoedDatagrams()).isEqualTo(1);
        assertThat(UdpEchoService.start(b, UdpEchoService.ECHO_PORT))
                .as("the port is taken").failsWithin(30, TimeUnit.SECONDS);
    }

    @Test
    void closeStopsWithinASecondAndFailsWhatWaits() throws Exception {
        StackRunner a = runner("a", MAC_A, "10.0.0.1/24").start();
        // Nobody has this address: the ping waits for ARP, well beyond the close.
        CompletableFuture<PingOutcome> waiting = a.ping(new PingRequest(Ipv4Address.parse("10.0.0.77"), 1, 1, 56, 64, 30_000_000_000L));
        a.counters().get(30, TimeUnit.SECONDS);

        long start = System.nanoTime();
        a.close();
        long elapsed = System.nanoTime() - start;

        assertThat(elapsed).isLessThan(1_000_000_000L);
        assertThat(a.isRunning()).isFalse();
        assertThatThrownBy(() -> waiting.get(1, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThat(a.counters()).isCompletedExceptionally();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(thread ->
                thread.getName().equals("stacklab-stack-a") || thread.getName().equals("stacklab-switch-a"));
    }

    @Test
    void aFailingCommandFailsItsFutureAndTheRunnerGoesOn() throws Exception {
        StackRunner a = runner("a", MAC_A, "10.0.0.1/24").start();
        CompletableFuture<Object> failing = a.submit((stack, now) -> {
            throw new IllegalArgumentException("boom");
        });
        assertThatThrownBy(() -> failing.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalArgumentException.class);
        assertThat(a.submit((stack, now) -> stack.config().address()).get(30, TimeUnit.SECONDS))
                .isEqualTo(Ipv4Cidr.parse("10.0.0.1/24"));
    }

    @Test
    void aFloodFillsTheBoundedInboxAndIsCountedNotQueued() throws Exception {
        HandFedLink link = new HandFedLink();
        StackRunner runner = new StackRunner(StackConfig.of(MAC_A, Ipv4Cidr.parse("10.0.0.1/24"), null), link,
                SystemClock.INSTANCE, 16);
        toClose.add(runner);
        List<String> problems = new CopyOnWriteArrayList<>();
        runner.addListener(new RunnerListener() {
            @Override
            public void problem(String message, Throwable cause) {
                problems.add(message);
            }
        });
        runner.start();
        // Hold the runner thread so that nothing drains the inbox while the flood arrives.
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch holding = new CountDownLatch(1);
        runner.submit((stack, now) -> {
            holding.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        });
        assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();

        for (int i = 0; i < 1000; i++) {
            link.sink.frameReceived(new byte[60], 60, System.nanoTime());
        }
        assertThat(runner.droppedFrames()).isEqualTo(1000 - 16);
        release.countDown();

        // Commands and frames wait in separate queues, so a command submitted now may run before the queued frames
        // are taken: wait until the engine has seen them rather than racing it.
        HostCounters counters = runner.counters().get(30, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (counters.engine().get(Counter.FRAMES_RECEIVED) < 16 && System.nanoTime() < deadline) {
            Thread.sleep(5);
            counters = runner.counters().get(30, TimeUnit.SECONDS);
        }
        assertThat(counters.framesDroppedInboxFull()).isEqualTo(984L);
        assertThat(counters.byLabel()).containsEntry("runner: frames dropped (inbox full)", 984L);
        // The 16 queued frames reached the engine (which dropped them: they are all zeros), and no more.
        assertThat(counters.engine().get(Counter.FRAMES_RECEIVED)).isEqualTo(16L);
        assertThat(problems).anySatisfy(message -> assertThat(message).contains("inbox").contains("984"));
    }

    @Test
    void anEngineExceptionIsReportedAndTheRunnerGoesOn() throws Exception {
        HandFedLink link = new HandFedLink();
        StackRunner runner = new StackRunner(StackConfig.of(MAC_A, Ipv4Cidr.parse("10.0.0.1/24"), null), link);
        toClose.add(runner);
        BlockingQueue<Throwable> problems = new LinkedBlockingQueue<>();
        runner.addListener(new RunnerListener() {
            @Override
            public void problem(String message, Throwable cause) {
                problems.add(cause);
            }
        });
        runner.start();

        // A link that breaks its contract (a negative length) makes the engine throw while copying the frame.
        link.sink.frameReceived(new byte[60], -1, System.nanoTime());

        assertThat(problems.poll(30, TimeUnit.SECONDS)).isInstanceOf(RuntimeException.class);
        assertThat(runner.submit((stack, now) -> "still here").get(30, TimeUnit.SECONDS)).isEqualTo("still here");
        assertThat(runner.engineFailures()).isEqualTo(1);
        assertThat(runner.isRunning()).isTrue();
    }

    @Test
    void aProblemNobodyListensForIsLoggedThroughSlf4j() throws Exception {
        // With no listener, the runner's problems go to the one logging backend (SLF4J, slf4j-simple on stderr).
        PrintStream originalErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            HandFedLink link = new HandFedLink();
            StackRunner runner = new StackRunner(StackConfig.of(MAC_A, Ipv4Cidr.parse("10.0.0.1/24"), null), link);
            toClose.add(runner);
            runner.start();
            link.sink.frameReceived(new byte[60], -1, System.nanoTime());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!err.toString(StandardCharsets.UTF_8).contains("WARN dev.stacklab.runtime.StackRunner - ")
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        } finally {
            System.setErr(originalErr);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("WARN dev.stacklab.runtime.StackRunner - ");
    }

    @Test
    void anEngineThatKeepsFailingStopsTheRunnerAndSaysWhy() throws Exception {
        HandFedLink link = new HandFedLink();
        StackRunner runner = new StackRunner(StackConfig.of(MAC_A, Ipv4Cidr.parse("10.0.0.1/24"), null), link);
        toClose.add(runner);
        BlockingQueue<String> problems = new LinkedBlockingQueue<>();
        runner.addListener(new RunnerListener() {
            @Override
            public void problem(String message, Throwable cause) {
                problems.add(message);
            }
        });
        runner.start();

        for (int i = 0; i < StackRunner.MAX_CONSECUTIVE_FAILURES; i++) {
            link.sink.frameReceived(new byte[60], -1, System.nanoTime());
        }

        String last = null;
        for (String message; (message = problems.poll(30, TimeUnit.SECONDS)) != null; ) {
            last = message;
            if (message.contains("stopped")) {
                break;
            }
        }
        assertThat(last).contains(StackRunner.MAX_CONSECUTIVE_FAILURES + " times in a row").endsWith("stopped");
        assertThat(runner.stoppedBy()).isNotNull();
        assertThatThrownBy(() -> runner.counters().get(30, TimeUnit.SECONDS))
                .hasCauseInstanceOf(IllegalStateException.class).hasMessageContaining("stopped");
    }

    /** A link the test feeds by hand: the frames it "receives" are whatever the test hands to the sink. */
    private static final class HandFedLink implements Link {
        volatile FrameSink sink;

        @Override
        public String name() {
            return "hand-fed";
        }

        @Override
        public MacAddress hardwareAddress() {
            return null;
        }

        @Override
        public int mtu() {
            return 1500;
        }

        @Override
        public void start(FrameSink receiver, LinkEventListener events) {
            sink = receiver;
        }

        @Override
        public void send(byte[] frame, int offset, int length) {
        }

        @Override
        public void close() {
        }
    }

    @Test
    void pingFacadeSendsCountRequestsAndSummarizes() throws Exception {
        StackRunner a = runner("a", MAC_A, "10.0.0.1/24").start();
        runner("b", MAC_B, "10.0.0.2/24").start();
        List<PingResult> seen = new ArrayList<>();
        PingSettings settings = PingSettings.to(B).withCount(3).withInterval(java.time.Duration.ofMillis(50))
                .withTimeout(java.time.Duration.ofSeconds(10));

        PingSummary summary = new Ping(a, settings).run(seen::add);

        assertThat(seen).extracting(PingResult::sequence).containsExactlyInAnyOrder(1, 2, 3);
        assertThat(seen).allMatch(PingResult::isReply);
        assertThat(summary.transmitted()).isEqualTo(3);
        assertThat(summary.received()).isEqualTo(3);
        assertThat(summary.lossPercent()).isZero();
        assertThat(summary.minNanos()).isPositive().isLessThanOrEqualTo(summary.avgNanos());
        assertThat(summary.avgNanos()).isLessThanOrEqualTo(summary.maxNanos());
        // Three requests 50 ms apart: at least 100 ms from the first to the last.
        assertThat(summary.elapsedNanos()).isGreaterThanOrEqualTo(100_000_000L);
    }

    @Test
    void pingFacadeWithoutCountRunsUntilStopped() throws Exception {
        StackRunner a = runner("a", MAC_A, "10.0.0.1/24").start();
        runner("b", MAC_B, "10.0.0.2/24").start();
        Ping ping = new Ping(a, PingSettings.to(B).withInterval(java.time.Duration.ofMillis(20)));

        PingSummary summary = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60),
                () -> ping.run(result -> {
                    if (result.sequence() == 3) {
                        ping.stop();
                    }
                }));

        assertThat(summary.received()).isGreaterThanOrEqualTo(3);
        assertThat(summary.transmitted()).isGreaterThanOrEqualTo(summary.received());
    }

    @Test
    void hostLibraryApiPingsAndResolves() throws Exception {
        runner("a", MAC_A, "10.0.0.1/24").start();
        MacAddress portMac = MacAddress.parse("02:00:00:00:00:0b");
        // The ping's timeout set generously (the default is 1 s): ARP and the echo must both get through the runner
        // threads, which a loaded machine may hold back.
        try (Host host = Host.onLink(network.attach("host", portMac)).address("10.0.0.2/24").gateway("10.0.0.1")
                .pingTimeout(java.time.Duration.ofSeconds(10)).start()) {
            assertThat(host.config().mac()).as("the link's own MAC by default").isEqualTo(portMac);
            assertThat(host.config().gateway()).isEqualTo(A);

            java.time.Duration rtt = host.ping(A, 1);
            Optional<MacAddress> mac = host.resolve(A);

            assertThat(rtt).isPositive().isLessThan(java.time.Duration.ofSeconds(10));
            assertThat(mac).contains(MAC_A);
            assertThat(host.counters().byLabel()).containsKey("runner: engine failures");
        }
    }

    @Test
    void hostOnALinkWithoutAnAddressSaysWhichFlagIsMissing() {
        Link link = network.attach("bare", MAC_B);
        assertThatThrownBy(() -> Host.onLink(link).start()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--ip");
    }

    @Test
    void randomMacIsLocallyAdministeredUnicast() {
        MacAddress mac = HostBuilder.randomLocalMac();
        assertThat(mac.bits() >>> 40).isEqualTo(0x02);
        assertThat(mac.isUnicast()).isTrue();
        assertThat(HostBuilder.randomLocalMac()).isNotEqualTo(mac);
    }
}
