package dev.stacklab.runtime;

import dev.stacklab.link.Link;
import dev.stacklab.link.LinkEventListener;
import dev.stacklab.link.VirtualSwitch;
import dev.stacklab.stack.StackConfig;
import dev.stacklab.wire.ArpRepr;
import dev.stacklab.wire.EtherType;
import dev.stacklab.wire.EthernetFrame;
import dev.stacklab.wire.EthernetRepr;
import dev.stacklab.wire.Icmpv4Repr;
import dev.stacklab.wire.IpProtocol;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.Ipv4Cidr;
import dev.stacklab.wire.Ipv4Option;
import dev.stacklab.wire.Ipv4Packet;
import dev.stacklab.wire.Ipv4Repr;
import dev.stacklab.wire.MacAddress;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runner hands the engine a fresh wall-clock reading with every frame, so the IP Timestamp option of an echo reply
 * is the wall clock when the request arrived, whatever the relation between the clocks was when the runner started.
 */
class RunnerWallClockTest {
    private static final MacAddress STACK_MAC = MacAddress.parse("02:00:00:00:00:02");
    private static final MacAddress PEER_MAC = MacAddress.parse("02:00:00:00:00:0c");
    private static final Ipv4Address STACK = Ipv4Address.parse("10.0.0.2");
    private static final Ipv4Address PEER = Ipv4Address.parse("10.0.0.3");
    /** 13:45:10.250 UT on some day: what the wall clock says whenever it is read. */
    private static final long WALL_CLOCK_MILLIS = 20_000 * 86_400_000L + ((13 * 60 + 45) * 60 + 10) * 1000L + 250;

    /** Monotonic time as usual, but an offset to the wall clock that is hours off (as after the wall clock was stepped). */
    private static final Clock STEPPED_WALL_CLOCK = new Clock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public long utcOffsetNanos() {
            return 0;
        }

        @Override
        public long wallClockMillis() {
            return WALL_CLOCK_MILLIS;
        }
    };

    @Test
    void theEchoReplysTimestampIsTheWallClockReadWhenTheRequestArrived() throws Exception {
        VirtualSwitch network = new VirtualSwitch("wall-clock");
        BlockingQueue<byte[]> toPeer = new LinkedBlockingQueue<>();
        try (Link peer = network.attach("peer", PEER_MAC);
             StackRunner runner = new StackRunner(StackConfig.of(STACK_MAC, Ipv4Cidr.parse("10.0.0.2/24"), null),
                     network.attach("stack", STACK_MAC), STEPPED_WALL_CLOCK, StackRunner.DEFAULT_INBOX_FRAMES)) {
            peer.start((frame, length, time) -> toPeer.add(java.util.Arrays.copyOf(frame, length)), LinkEventListener.IGNORE);
            runner.start();
            // The stack learns the peer from its request, so it can answer without asking.
            send(peer, MacAddress.BROADCAST, EtherType.ARP, arp(ArpRepr.EthernetIpv4.request(PEER_MAC, PEER, STACK)));
            List<Long> noStamps = new ArrayList<>(Collections.nCopies(9, 0L));
            Ipv4Option.Timestamp option = new Ipv4Option.Timestamp(5, 0, Ipv4Option.TIMESTAMP_ONLY, List.of(), noStamps);
            byte[] echo = icmp(new Icmpv4Repr.EchoRequest(0x77, 1, new byte[16]));
            send(peer, STACK_MAC, EtherType.IPV4, ipv4(Ipv4Repr.simple(PEER, STACK, IpProtocol.ICMP, 64, 0x4242, false, echo.length)
                    .withOptions(List.of(option)), echo));

            Ipv4Option.Timestamp stamped = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (stamped == null && System.nanoTime() < deadline) {
                byte[] frame = toPeer.poll(100, TimeUnit.MILLISECONDS);
                if (frame != null && EthernetFrame.wrapChecked(frame, 0, frame.length).etherTypeValue() == EtherType.IPV4.value()) {
                    stamped = (Ipv4Option.Timestamp) Ipv4Packet.wrapChecked(frame, EthernetFrame.HEADER_LENGTH, frame.length - 14)
                            .options().get(0);
                }
            }
            assertThat(stamped).as("an echo reply with the option").isNotNull();
            assertThat(stamped.timestamps().get(0)).isEqualTo(WALL_CLOCK_MILLIS % 86_400_000L);
        }
    }

    private static void send(Link link, MacAddress destination, EtherType type, byte[] payload) {
        EthernetRepr header = new EthernetRepr(destination, PEER_MAC, type);
        byte[] frame = new byte[header.bufferLength() + payload.length];
        System.arraycopy(payload, 0, frame, header.emit(frame, 0), payload.length);
        link.send(frame, 0, frame.length);
    }

    private static byte[] arp(ArpRepr.EthernetIpv4 arp) {
        byte[] bytes = new byte[arp.bufferLength()];
        arp.emit(bytes, 0);
        return bytes;
    }

    private static byte[] icmp(Icmpv4Repr message) {
        byte[] bytes = new byte[message.bufferLength()];
        message.emit(bytes, 0);
        return bytes;
    }

    private static byte[] ipv4(Ipv4Repr header, byte[] payload) {
        byte[] datagram = new byte[header.bufferLength() + payload.length];
        System.arraycopy(payload, 0, datagram, header.emit(datagram, 0), payload.length);
        return datagram;
    }
}
