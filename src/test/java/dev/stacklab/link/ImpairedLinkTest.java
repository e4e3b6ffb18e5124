package dev.stacklab.link;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stacklab.wire.MacAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** ImpairedLink in real time, over a VirtualSwitch: two ports, A impaired, B plain. */
class ImpairedLinkTest {
    private static final MacAddress A = MacAddress.parse("02:00:00:00:00:0a");
    private static final MacAddress B = MacAddress.parse("02:00:00:00:00:0b");

    private final VirtualSwitch segment = new VirtualSwitch("lab");
    private final BlockingQueue<byte[]> atA = new LinkedBlockingQueue<>();
    private final BlockingQueue<Long> arrivalsAtB = new LinkedBlockingQueue<>();
    private final BlockingQueue<byte[]> atB = new LinkedBlockingQueue<>();
    private final List<LinkEvent> events = new CopyOnWriteArrayList<>();
    private final List<Link> opened = new ArrayList<>();

    private Link impaired(Impairments outbound, Impairments inbound) {
        Link a = new ImpairedLink(segment.attach("a", A), outbound, inbound);
        Link b = segment.attach("b", B);
        opened.add(a);
        opened.add(b);
        a.start((frame, length, time) -> atA.add(frame), events::add);
        b.start((frame, length, time) -> {
            arrivalsAtB.add(System.nanoTime());
            atB.add(frame);
        }, LinkEventListener.IGNORE);
        return a;
    }

    private Link plainB() {
        return opened.get(1);
    }

    @AfterEach
    void closeLinks() {
        opened.forEach(Link::close);
    }

    @Test
    void outboundDelayHoldsFramesBackForTheirTime() throws Exception {
        Link a = impaired(new Impairments(ImpairmentSettings.NONE.withDelay(Duration.ofMillis(80)), 1), null);
        byte[] frame = TestFrames.frame(B, A, 1);
        long sent = System.nanoTime();
        a.send(frame, 0, frame.length);
        // The caller may reuse its array at once: the delayed frame is a copy.
        frame[20] = 99;
        assertThat(atB.poll(30, TimeUnit.SECONDS)).isEqualTo(TestFrames.frame(B, A, 1));
        long delay = arrivalsAtB.take() - sent;
        // Never sooner than the delay; later by however long the threads waited to run (up to seconds on a loaded
        // machine, nowhere near the 80 s a delay taken in the wrong unit would be).
        assertThat(Duration.ofNanos(delay)).isBetween(Duration.ofMillis(80), Duration.ofSeconds(5));
    }

    @Test
    void outboundLossDropsEveryFrameAndReportsEachDrop() throws Exception {
        Link a = impaired(new Impairments(ImpairmentSettings.NONE.withLoss(1), 1), null);
        for (int i = 0; i < 5; i++) {
            byte[] frame = TestFrames.frame(B, A, i);
            a.send(frame, 0, frame.length);
        }
        assertThat(atB.poll(200, TimeUnit.MILLISECONDS)).isNull();
        assertThat(events).hasSize(5).allSatisfy(event -> {
            assertThat(event.kind()).isEqualTo(LinkEvent.Kind.DROPPED);
            assertThat(event.direction()).isEqualTo(LinkEvent.Direction.SEND);
            assertThat(event.linkName()).isEqualTo("a");
        });
    }

    @Test
    void inboundDuplicationDeliversEveryFrameTwiceOnOneThread() throws Exception {
        List<String> threads = new CopyOnWriteArrayList<>();
        Link a = new ImpairedLink(segment.attach("a", A), null, new Impairments(ImpairmentSettings.NONE.withDuplicate(1), 1));
        opened.add(a);
        opened.add(segment.attach("b", B));
        a.start((frame, length, time) -> {
            threads.add(Thread.currentThread().getName());
            atA.add(frame);
        }, events::add);
        plainB().start((frame, length, time) -> { }, LinkEventListener.IGNORE);
        for (int i = 0; i < 3; i++) {
            byte[] frame = TestFrames.frame(A, B, i);
            plainB().send(frame, 0, frame.length);
        }
        List<Integer> received = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            byte[] frame = atA.poll(30, TimeUnit.SECONDS);
            assertThat(frame).isNotNull();
            received.add(TestFrames.sequence(frame));
        }
        assertThat(received).containsExactly(0, 0, 1, 1, 2, 2);
        assertThat(threads).containsOnly("stacklab-impair-a");
        assertThat(events).extracting(LinkEvent::kind).containsOnly(LinkEvent.Kind.DUPLICATED).hasSize(3);
    }

    @Test
    void settingsChangedWhileRunningApplyFromTheNextFrame() throws Exception {
        Impairments outbound = new Impairments(ImpairmentSettings.NONE.withLoss(1), 1);
        Link a = impaired(outbound, null);
        byte[] first = TestFrames.frame(B, A, 1);
        a.send(first, 0, first.length);
        outbound.setSettings(ImpairmentSettings.NONE);
        byte[] second = TestFrames.frame(B, A, 2);
        a.send(second, 0, second.length);
        assertThat(atB.poll(30, TimeUnit.SECONDS)).isEqualTo(second);
        assertThat(atB.poll(100, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void closeDropsFramesStillWaitingAndReturnsWithinASecond() throws Exception {
        Link a = impaired(new Impairments(ImpairmentSettings.NONE.withDelay(Duration.ofSeconds(30)), 1), null);
        byte[] frame = TestFrames.frame(B, A, 1);
        a.send(frame, 0, frame.length);
        assertThat(((ImpairedLink) a).pendingFrames()).isEqualTo(1);
        long started = System.nanoTime();
        a.close();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
        assertThat(Thread.getAllStackTraces().keySet()).noneSatisfy(thread ->
                assertThat(thread.getName()).isIn("stacklab-impair-a", "stacklab-switch-a"));
        assertThat(atB.poll(100, TimeUnit.MILLISECONDS)).isNull();
    }
}
