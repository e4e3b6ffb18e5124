package dev.stacklab.runtime;

import dev.stacklab.stack.DropReason;
import dev.stacklab.stack.IcmpError;
import dev.stacklab.stack.Ipv4Datagram;
import dev.stacklab.stack.PathMtuDiscovery;
import dev.stacklab.stack.StackConfig;
import dev.stacklab.stack.StackEvent;
import dev.stacklab.stack.Transport;
import dev.stacklab.stack.TransportContext;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.Ipv4Cidr;
import dev.stacklab.wire.MacAddress;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Output is pulled: a bulk sender on a slow simulated cable is paced by the cable (the engine asks for the next
 * datagram only when the cable's transmit ring has room), and nothing is dropped on the way.
 */
class PulledOutputTest {
    private static final long MS = 1_000_000L;

    /** Sends {@code remaining} numbered datagrams of {@code size} bytes to {@code peer}, one per pull; counts what arrives. */
    private static final class BulkTransport implements Transport {
        final TransportContext context;
        Ipv4Address peer;
        int size;
        int remaining;
        int sent;
        final List<Integer> received = new ArrayList<>();
        long lastArrival;

        BulkTransport(TransportContext context) {
            this.context = context;
        }

        void start(Ipv4Address to, int count, int bytes) {
            peer = to;
            remaining = count;
            size = bytes;
            context.wantsOutput();
        }

        @Override
        public void receive(Ipv4Datagram datagram, long now) {
            byte[] buffer = datagram.buffer();
            int at = datagram.payloadOffset();
            received.add((buffer[at] & 0xFF) << 8 | buffer[at + 1] & 0xFF);
            lastArrival = now;
        }

        @Override
        public void icmpError(IcmpError error, long now) {
        }

        @Override
        public boolean pollOutput(long now) {
            if (remaining == 0) {
                return false;
            }
            remaining--;
            int number = sent++;
            context.send(peer, size, PathMtuDiscovery.DO, (buffer, offset, length) -> {
                buffer[offset] = (byte) (number >> 8);
                buffer[offset + 1] = (byte) number;
            }, now);
            return true;
        }
    }

    private static StackConfig host(int last) {
        return StackConfig.of(MacAddress.parse("02:00:00:00:00:0" + last), new Ipv4Cidr(Ipv4Address.parse("10.0.0." + last), 24), null);
    }

    @Test
    void aBulkSenderOnASlowCableIsPacedByItAndLosesNothing() {
        Simulation simulation = new Simulation(1);
        simulation.setHopDelay(1_000, 10_000_000);
        SimHost a = simulation.addHost("a", host(1));
        SimHost b = simulation.addHost("b", host(2));
        BulkTransport sender = a.stack().installTcp(BulkTransport::new);
        BulkTransport receiver = b.stack().installTcp(BulkTransport::new);
        List<StackEvent.Dropped> drops = new ArrayList<>();
        long[] sentFrames = new long[1];
        simulation.addObserver(new SimulationObserver() {
            @Override
            public void stackEvent(SimHost host, StackEvent event) {
                if (event instanceof StackEvent.Dropped dropped) {
                    drops.add(dropped);
                }
            }

            @Override
            public void frameSent(long timeNanos, SimHost from, byte[] frame) {
                if (from == a) {
                    sentFrames[0]++;
                }
            }
        });
        simulation.runFor(10 * MS);

        int count = 5000;
        int size = 1480;
        sender.start(b.address(), count, size);
        long start = simulation.now();
        simulation.runFor(100 * MS);
        // 1514-byte frames at 10 Mbit/s take 1.21 ms each: about 82 in 100 ms, plus the 64 the ring holds (and ARP).
        assertThat(sender.sent).as("datagrams pulled after 100 ms").isBetween(100, 160);
        assertThat(sentFrames[0]).isBetween(100L, 160L);

        simulation.runFor(10_000 * MS);
        assertThat(receiver.received).hasSize(count);
        for (int i = 0; i < count; i++) {
            assertThat(receiver.received.get(i)).isEqualTo(i & 0xFFFF);
        }
        // The only drops are the two ARP announcements at start, each addressed to the other host's own address.
        assertThat(drops).allSatisfy(drop -> assertThat(drop.timeNanos()).isLessThan(start));
        long expected = count * 1514L * 8 * 1_000_000_000L / 10_000_000;
        assertThat(receiver.lastArrival - start).as("the cable set the pace").isBetween(expected, expected + 10 * MS);
    }

    @Test
    void withoutABandwidthEverythingGoesAtOnceStillWithoutDrops() {
        Simulation simulation = new Simulation(2);
        simulation.setHopDelay(1_000, 0);
        SimHost a = simulation.addHost("a", host(1));
        SimHost b = simulation.addHost("b", host(2));
        BulkTransport sender = a.stack().installTcp(BulkTransport::new);
        BulkTransport receiver = b.stack().installTcp(BulkTransport::new);
        simulation.runFor(10 * MS);
        sender.start(b.address(), 20_000, 200);
        simulation.runUntilIdle(java.time.Duration.ofSeconds(10));
        assertThat(receiver.received).hasSize(20_000);
        assertThat(a.stack().counters().dropped(DropReason.QUEUE_FULL)).isZero();
    }
}
