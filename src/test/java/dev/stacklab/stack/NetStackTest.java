package dev.stacklab.stack;

import dev.stacklab.wire.EtherType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.stacklab.stack.Frames.IP_A;
import static dev.stacklab.stack.Frames.IP_PEER;
import static dev.stacklab.stack.Frames.MAC_A;
import static dev.stacklab.stack.Frames.MAC_PEER;
import static dev.stacklab.stack.Frames.MS;
import static dev.stacklab.stack.Frames.arpRequest;
import static dev.stacklab.stack.Frames.echoRequestDatagram;
import static dev.stacklab.stack.Frames.ipFrame;
import static dev.stacklab.stack.Frames.pattern;
import static org.assertj.core.api.Assertions.assertThat;

/** The engine's frame: dispatch, the transmit queue, pollAt, events and counters. */
class NetStackTest {
    private final Recorder.Host host = new Recorder.Host(Frames.configA());

    @Test
    void anIdleStackHasNothingToDo() {
        assertThat(host.stack.pollAt()).isEqualTo(Long.MAX_VALUE);
        assertThat(host.poll(0)).isEmpty();
    }

    @Test
    void pollAtIsNowWhileFramesWait() {
        host.receive(arpRequest(MAC_PEER, IP_PEER, IP_A), 5 * MS);
        assertThat(host.stack.pollAt()).isLessThanOrEqualTo(5 * MS);
        host.poll(5 * MS);
        assertThat(host.stack.pollAt()).isEqualTo(5 * MS + 60_000 * MS);
    }

    @Test
    void everyFrameInAndOutIsPublishedAsACopy() {
        byte[] request = arpRequest(MAC_PEER, IP_PEER, IP_A);
        List<byte[]> sent = host.answer(request, 5 * MS);
        request[0] = 0;

        StackEvent.FrameReceived in = host.recorder.of(StackEvent.FrameReceived.class).get(0);
        StackEvent.FrameSent out = host.recorder.of(StackEvent.FrameSent.class).get(0);
        assertThat(in.frame()[0]).isEqualTo((byte) 0xFF);
        assertThat(in.timeNanos()).isEqualTo(5 * MS);
        assertThat(out.frame()).isEqualTo(sent.get(0)).isNotSameAs(sent.get(0));
        assertThat(host.counter("frames received")).isEqualTo(1);
        assertThat(host.counter("frames sent")).isEqualTo(1);
        assertThat(host.counter("bytes sent")).isEqualTo(42);
    }

    @Test
    void frameEventsCanBeTurnedOff() {
        host.stack.publishFrameEvents(false);
        host.answer(arpRequest(MAC_PEER, IP_PEER, IP_A), 0);
        assertThat(host.recorder.of(StackEvent.FrameReceived.class)).isEmpty();
        assertThat(host.recorder.of(StackEvent.NeighborChanged.class)).hasSize(1);
    }

    @Test
    void aShortFrameIsMalformedAndAnUnknownEtherTypeUnsupported() {
        host.answer(new byte[10], 0);
        host.answer(Frames.ethernet(MAC_A, MAC_PEER, EtherType.IPV6, new byte[40]), 0);
        host.answer(Frames.ethernet(MAC_A, MAC_PEER, EtherType.VLAN, new byte[40]), 0);

        assertThat(host.recorder.of(StackEvent.Dropped.class)).extracting(StackEvent.Dropped::reason)
                .containsExactly(DropReason.MALFORMED, DropReason.UNSUPPORTED_PROTOCOL, DropReason.NOT_FOR_US);
    }

    @Test
    void theTransmitQueueIsBounded() {
        host.answer(arpRequest(MAC_PEER, IP_PEER, IP_A), 0);
        byte[] request = ipFrame(MAC_A, MAC_PEER, echoRequestDatagram(IP_PEER, IP_A, 1, 1, pattern(8)));
        for (int i = 0; i < NetStack.TRANSMIT_QUEUE_CAPACITY + 10; i++) {
            host.receive(request, MS);
        }
        assertThat(host.poll(MS)).hasSize(NetStack.TRANSMIT_QUEUE_CAPACITY);
        assertThat(host.counter("dropped: queue full")).isEqualTo(10);
    }

    @Test
    void countersKeepAStableOrderWithEveryDropReason() {
        List<String> names = new ArrayList<>(host.stack.counters().byLabel().keySet());
        assertThat(names).startsWith("frames received", "bytes received", "frames sent", "bytes sent");
        assertThat(names).endsWith("dropped: malformed", "dropped: bad checksum", "dropped: not for us", "dropped: no route",
                "dropped: queue full", "dropped: unsupported protocol", "dropped: reassembly timeout",
                "dropped: reassembly memory limit", "dropped: neighbor unreachable", "dropped: fragmentation needed but DF set",
                "dropped: port unreachable");
        host.answer(arpRequest(MAC_PEER, IP_PEER, IP_A), 0);
        assertThat(new ArrayList<>(host.stack.counters().byLabel().keySet())).isEqualTo(names);
    }

    @Test
    void twoStacksPingEachOther() {
        BackToBack net = new BackToBack(Frames.configA(), Frames.configB());
        net.a.stack.start(0);
        net.b.stack.start(0);
        List<PingOutcome> outcomes = new ArrayList<>();
        for (int seq = 1; seq <= 3; seq++) {
            net.a.stack.ping(new PingRequest(Frames.IP_B, 7, seq, 56, 64, Frames.SECOND), net.now(), (r, o) -> outcomes.add(o));
            net.runUntil(net.now() + Frames.SECOND);
        }
        assertThat(outcomes).hasSize(3).allSatisfy(o -> assertThat(o).isInstanceOf(PingOutcome.Reply.class));
        assertThat(outcomes.subList(1, 3)).extracting(o -> ((PingOutcome.Reply) o).roundTripNanos())
                .containsOnly(2 * BackToBack.LATENCY);
        // B's announcement names 10.0.0.2, which A is resolving: RFC 826's merge fills A's entry from it,
        // so the first request leaves before B's ARP reply arrives.
        assertThat(Frames.infos(net.wire)).startsWith("ARP Announcement for 10.0.0.1", "Who has 10.0.0.2? Tell 10.0.0.1",
                "ARP Announcement for 10.0.0.2", "Echo (ping) request  id=0x0007, seq=1/256, ttl=64",
                "10.0.0.2 is at 02:00:00:00:00:0b", "Echo (ping) reply    id=0x0007, seq=1/256, ttl=64 (request in 4)");
    }
}
