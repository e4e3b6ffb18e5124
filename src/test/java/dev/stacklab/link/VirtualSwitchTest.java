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
import org.junit.jupiter.api.Test;

class VirtualSwitchTest {
    private static final MacAddress A = MacAddress.parse("02:00:00:00:00:0a");
    private static final MacAddress B = MacAddress.parse("02:00:00:00:00:0b");
    private static final MacAddress C = MacAddress.parse("02:00:00:00:00:0c");
    private static final MacAddress MULTICAST = MacAddress.parse("01:00:5e:00:00:01");

    private final VirtualSwitch segment = new VirtualSwitch("lab");
    private final VirtualSwitch.Port portA = segment.addPort("a");
    private final VirtualSwitch.Port portB = segment.addPort("b");
    private final VirtualSwitch.Port portC = segment.addPort("c");

    private List<VirtualSwitch.Port> send(VirtualSwitch.Port ingress, MacAddress destination, MacAddress source) {
        byte[] frame = TestFrames.frame(destination, source, 0);
        return segment.egressPorts(ingress, frame, frame.length);
    }

    @Test
    void unknownUnicastIsFloodedToEveryOtherPortInOrder() {
        assertThat(send(portA, B, A)).containsExactly(portB, portC);
    }

    @Test
    void broadcastAndMulticastAreFloodedEvenWhenTheSenderIsKnown() {
        send(portB, A, B);
        assertThat(send(portB, MacAddress.BROADCAST, B)).containsExactly(portA, portC);
        assertThat(send(portC, MULTICAST, C)).containsExactly(portA, portB);
    }

    @Test
    void learnsSourcesAndForwardsUnicastToTheLearnedPortOnly() {
        send(portA, MacAddress.BROADCAST, A);
        assertThat(segment.learnedPort(A)).contains(portA);
        assertThat(send(portB, A, B)).containsExactly(portA);
        assertThat(send(portA, B, A)).containsExactly(portB);
    }

    @Test
    void neverSendsBackOutOfTheIngressPort() {
        // Two stations behind the same port (as behind another switch): traffic between them is filtered.
        send(portA, MacAddress.BROADCAST, A);
        send(portA, MacAddress.BROADCAST, C);
        assertThat(send(portA, C, A)).isEmpty();
        for (VirtualSwitch.Port ingress : List.of(portA, portB, portC)) {
            assertThat(send(ingress, MacAddress.BROADCAST, B)).doesNotContain(ingress);
        }
    }

    @Test
    void aStationThatMovesIsRelearnedOnItsNewPort() {
        send(portA, MacAddress.BROADCAST, A);
        send(portC, MacAddress.BROADCAST, A);
        assertThat(segment.learnedPort(A)).contains(portC);
        assertThat(send(portB, A, B)).containsExactly(portC);
    }

    @Test
    void groupSourceAddressesAreNotLearned() {
        send(portA, B, MULTICAST);
        assertThat(segment.learnedPort(MULTICAST)).isEmpty();
        assertThat(send(portB, MULTICAST, B)).containsExactly(portA, portC);
    }

    @Test
    void runtFramesGoNowhere() {
        assertThat(segment.egressPorts(portA, new byte[13], 13)).isEmpty();
    }

    @Test
    void removingAPortForgetsItsStations() {
        send(portC, MacAddress.BROADCAST, C);
        segment.removePort(portC);
        assertThat(segment.learnedPort(C)).isEmpty();
        assertThat(send(portA, C, A)).containsExactly(portB);
    }

    @Test
    void attachedLinksDeliverFramesToTheOtherPortsReceiversOnly() throws Exception {
        VirtualSwitch live = new VirtualSwitch("live");
        try (Link a = live.attach("a", A); Link b = live.attach("b", B); Link c = live.attach("c", C)) {
            BlockingQueue<byte[]> atA = new LinkedBlockingQueue<>();
            BlockingQueue<byte[]> atB = new LinkedBlockingQueue<>();
            BlockingQueue<byte[]> atC = new LinkedBlockingQueue<>();
            a.start((frame, length, time) -> atA.add(frame), LinkEventListener.IGNORE);
            b.start((frame, length, time) -> atB.add(frame), LinkEventListener.IGNORE);
            c.start((frame, length, time) -> atC.add(frame), LinkEventListener.IGNORE);

            byte[] broadcast = TestFrames.frame(MacAddress.BROADCAST, A, 1);
            a.send(broadcast, 0, broadcast.length);
            assertThat(atB.poll(30, TimeUnit.SECONDS)).isEqualTo(broadcast).isNotSameAs(broadcast);
            assertThat(atC.poll(30, TimeUnit.SECONDS)).isEqualTo(broadcast);

            // B now knows A's port: the reply reaches A alone.
            byte[] reply = TestFrames.frame(A, B, 2);
            b.send(reply, 0, reply.length);
            assertThat(atA.poll(30, TimeUnit.SECONDS)).isEqualTo(reply);
            assertThat(atC.poll(200, TimeUnit.MILLISECONDS)).isNull();
            assertThat(atA).isEmpty();
            assertThat(a.hardwareAddress()).isEqualTo(A);
            assertThat(a.mtu()).isEqualTo(1500);
        }
    }

    @Test
    void sendingWithAnOffsetForwardsOnlyTheGivenBytes() throws Exception {
        VirtualSwitch live = new VirtualSwitch("live");
        try (Link a = live.attach("a", A); Link b = live.attach("b", B)) {
            BlockingQueue<byte[]> atB = new LinkedBlockingQueue<>();
            a.start((frame, length, time) -> { }, LinkEventListener.IGNORE);
            b.start((frame, length, time) -> atB.add(frame), LinkEventListener.IGNORE);
            byte[] frame = TestFrames.frame(B, A, 7);
            byte[] padded = new byte[frame.length + 10];
            System.arraycopy(frame, 0, padded, 5, frame.length);
            a.send(padded, 5, frame.length);
            assertThat(atB.poll(30, TimeUnit.SECONDS)).isEqualTo(frame);
        }
    }

    @Test
    void aFloodFillsTheBoundedQueueThenDropsAndReportsEveryExtraFrame() throws Exception {
        VirtualSwitch live = new VirtualSwitch("live");
        List<LinkEvent> events = new CopyOnWriteArrayList<>();
        Object gate = new Object();
        try (Link a = live.attach("a", A); Link b = live.attach("b", B)) {
            a.start((frame, length, time) -> { }, LinkEventListener.IGNORE);
            // B's receiver blocks on the first frame, so its queue fills behind it.
            b.start((frame, length, time) -> {
                synchronized (gate) {
                    try {
                        gate.wait(5000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }, events::add);
            int extra = 50;
            for (int i = 0; i < VirtualSwitch.RECEIVE_QUEUE_FRAMES + 1 + extra; i++) {
                byte[] frame = TestFrames.frame(B, A, i);
                a.send(frame, 0, frame.length);
            }
            // Frame 0 may or may not have been taken by the reader yet: at least `extra` drops, at most one more.
            long dropped = VirtualSwitch.droppedFrames(b);
            assertThat(dropped).isBetween((long) extra, (long) extra + 1);
            assertThat(events).hasSize((int) dropped)
                    .allSatisfy(event -> assertThat(event.kind()).isEqualTo(LinkEvent.Kind.QUEUE_FULL));
            assertThat(events.get(0).message()).contains("receive queue of b is full");
            synchronized (gate) {
                gate.notifyAll();
            }
        }
    }

    @Test
    void oversizedFramesAreRefusedWithAnEvent() {
        VirtualSwitch live = new VirtualSwitch("live");
        List<LinkEvent> events = new CopyOnWriteArrayList<>();
        try (Link a = live.attach("a", A, 1500)) {
            a.start((frame, length, time) -> { }, events::add);
            a.send(new byte[1600], 0, 1600);
            assertThat(events).singleElement().satisfies(event -> {
                assertThat(event.kind()).isEqualTo(LinkEvent.Kind.SEND_FAILED);
                assertThat(event.message()).contains("1600-byte frame").contains("MTU of 1500");
            });
        }
    }

    @Test
    void closeJoinsTheReaderWithinASecondAndDetachesThePort() {
        VirtualSwitch live = new VirtualSwitch("live");
        Link a = live.attach("a", A);
        List<Thread> readers = new ArrayList<>();
        a.start((frame, length, time) -> { }, LinkEventListener.IGNORE);
        Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("stacklab-switch-a")).forEach(readers::add);
        long started = System.nanoTime();
        a.close();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
        assertThat(readers).singleElement().satisfies(thread -> assertThat(thread.isAlive()).isFalse());
        assertThat(live.ports()).isEmpty();
    }
}
