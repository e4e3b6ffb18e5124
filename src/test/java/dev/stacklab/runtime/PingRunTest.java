package dev.stacklab.runtime;

import dev.stacklab.link.VirtualSwitch;
import dev.stacklab.stack.NeighborState;
import dev.stacklab.stack.StackConfig;
import dev.stacklab.stack.StackEvent;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.Ipv4Cidr;
import dev.stacklab.wire.MacAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The non-blocking ping run and the neighbor commands the app's panes use, on two real-time runners. */
class PingRunTest {
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

    /** Records what a run reports, in order, as the text a test can compare. */
    private static final class Recording implements PingRun.Listener {
        final List<String> reports = new CopyOnWriteArrayList<>();
        final CountDownLatch finished = new CountDownLatch(1);

        @Override
        public void sent(int sequence) {
            reports.add("sent " + sequence);
        }

        @Override
        public void result(PingResult result) {
            reports.add(result.sequence() + " " + result.outcome().getClass().getSimpleName());
        }

        @Override
        public void finished(int transmitted, long elapsedNanos, String failure) {
            reports.add("finished " + transmitted + (failure == null ? "" : " " + failure));
            finished.countDown();
        }
    }

    @Test
    void aCountedRunSendsOnScheduleAndEndsWhenAllAreAnswered() throws Exception {
        StackRunner a = runner("a", MAC_A, "10.0.0.1/24").start();
        runner("b", MAC_B, "10.0.0.2/24").start();
        Recording recording = new Recording();

        PingRun.start(a, PingSettings.to(B).withCount(3).withInterval(Duration.ofMillis(50)), recording);

        assertThat(recording.finished.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(recording.reports).filteredOn(r -> r.startsWith("sent")).containsExactly("sent 1", "sent 2", "sent 3");
        assertThat(recording.reports).filteredOn(r -> r.endsWith("Reply")).containsExactlyInAnyOrder("1 Reply", "2 Reply", "3 Reply");
        assertThat(recording.reports).last().isEqualTo("finished 3");
    }

    @Test
    void stopEndsAContinuousRunOnceAndNothingFollows() throws Exception {
        StackRunner a = runner("a", MAC_A, "10.0.0.1/24").start();
        runner("b", MAC_B, "10.0.0.2/24").start();
        Recording recording = new Recording();
        PingRun run = PingRun.start(a, PingSettings.to(B).withInterval(Duration.ofMillis(20)), recording);
        // Sleeping between looks rather than spinning: a spinning test thread takes the CPU the runners need.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (recording.reports.stream().filter(r -> r.endsWith("Reply")).count() < 3) {
            assertThat(System.nanoTime()).as("three replies").isLessThan(deadline);
            Thread.sleep(5);
        }

        run.stop();
        run.stop();
        int after = recording.reports.size();
        Thread.sleep(100);

        assertThat(run.isOver()).isTrue();
        assertThat(recording.reports).hasSize(after);
        assertThat(recording.reports).filteredOn(r -> r.startsWith("finished")).hasSize(1);
    }

    @Test
    void aRunOnAClosedRunnerFinishesWithTheReason() throws Exception {
        StackRunner a = runner("a", MAC_A, "10.0.0.1/24").start();
        a.close();
        Recording recording = new Recording();

        PingRun.start(a, PingSettings.to(B).withCount(2), recording);

        assertThat(recording.finished.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(recording.reports).last().asString().startsWith("finished 1 the stack refused the request: the stack on a is closed");
    }

    @Test
    void neighborCommandsFlushAnnounceAndTellAges() throws Exception {
        StackRunner a = runner("a", MAC_A, "10.0.0.1/24");
        BlockingQueue<StackEvent> events = new LinkedBlockingQueue<>();
        a.addListener(new RunnerListener() {
            @Override
            public void stackEvent(StackEvent event) {
                if (event instanceof StackEvent.NeighborRemoved || event instanceof StackEvent.FrameSent) {
                    events.add(event);
                }
            }
        });
        a.start();
        runner("b", MAC_B, "10.0.0.2/24").start();
        assertThat(a.resolve(B).get(30, TimeUnit.SECONDS)).contains(MAC_B);

        NeighborSnapshot snapshot = a.neighborSnapshot().get(30, TimeUnit.SECONDS);
        assertThat(snapshot.entries()).singleElement().satisfies(entry -> {
            assertThat(entry.state()).isEqualTo(NeighborState.REACHABLE);
            assertThat(snapshot.ageNanos(entry)).isBetween(0L, 5_000_000_000L);
            // REACHABLE for 60 s from the reply: what is left is the rest of that minute.
            assertThat(snapshot.expiresInNanos(entry) + snapshot.ageNanos(entry)).isEqualTo(60_000_000_000L);
        });

        assertThat(a.flushNeighbors().get(30, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(a.neighbors().get(30, TimeUnit.SECONDS)).isEmpty();
        assertThat(events.stream().filter(StackEvent.NeighborRemoved.class::isInstance))
                .singleElement().satisfies(e -> assertThat(((StackEvent.NeighborRemoved) e).address()).isEqualTo(B));

        events.clear();
        a.announce().get(30, TimeUnit.SECONDS);
        StackEvent sent = events.poll(30, TimeUnit.SECONDS);
        assertThat(sent).isInstanceOfSatisfying(StackEvent.FrameSent.class, frame ->
                // An ARP request (opcode 1) from our address for our address, to broadcast.
                assertThat(java.util.HexFormat.of().formatHex(frame.frame(), 0, 42)).startsWith("ffffffffffff020000000001" + "0806")
                        .contains("0001" + "020000000001" + "0a000001" + "000000000000" + "0a000001"));
    }
}
