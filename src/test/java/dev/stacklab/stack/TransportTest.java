package dev.stacklab.stack;

import dev.stacklab.wire.Icmpv4Packet;
import dev.stacklab.wire.Icmpv4Repr;
import dev.stacklab.wire.IpProtocol;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.Ipv4Packet;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static dev.stacklab.stack.Frames.IP_A;
import static dev.stacklab.stack.Frames.IP_FAR;
import static dev.stacklab.stack.Frames.IP_PEER;
import static dev.stacklab.stack.Frames.MAC_A;
import static dev.stacklab.stack.Frames.MAC_PEER;
import static dev.stacklab.stack.Frames.MS;
import static dev.stacklab.stack.Frames.arpRequest;
import static dev.stacklab.stack.Frames.datagram;
import static dev.stacklab.stack.Frames.icmp;
import static dev.stacklab.stack.Frames.ipFrame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The three transport entry points (receive, ICMP error, output pulled by the link), as TCP will use them. */
class TransportTest {
    /**
     * A TCP SYN from 10.0.0.3:40000 to 10.0.0.1:80, SEQ 0x01020304, header only (RFC 9293 3.1). The checksum is not
     * right: the recording transport below does not check it, and nothing else reads it.
     */
    private static final byte[] SYN = HexFormat.of().parseHex("9c400050" + "01020304" + "00000000" + "5002faf0" + "00000000");

    /** Records what the engine hands it; sends {@code toSend} datagrams of 4 bytes when asked. */
    private static final class RecordingTransport implements Transport {
        final TransportContext context;
        final List<String> received = new ArrayList<>();
        final List<IcmpError> errors = new ArrayList<>();
        int toSend;
        int pulls;

        RecordingTransport(TransportContext context) {
            this.context = context;
        }

        @Override
        public void receive(Ipv4Datagram datagram, long now) {
            received.add(datagram.source() + " -> " + datagram.destination() + " " + datagram.protocol().displayName() + " "
                    + HexFormat.of().formatHex(datagram.buffer(), datagram.payloadOffset(), datagram.payloadOffset() + 8)
                    + " (" + datagram.payloadLength() + " bytes) at " + now);
        }

        @Override
        public void icmpError(IcmpError error, long now) {
            errors.add(error);
        }

        @Override
        public boolean pollOutput(long now) {
            pulls++;
            if (toSend == 0) {
                return false;
            }
            toSend--;
            context.send(IP_PEER, 4, PathMtuDiscovery.DO, (buffer, offset, length) -> buffer[offset] = (byte) toSend, now);
            return true;
        }
    }

    private static Recorder.Host hostKnowingPeer() {
        Recorder.Host host = new Recorder.Host(Frames.configA());
        host.answer(arpRequest(MAC_PEER, IP_PEER, IP_A), 0);
        return host;
    }

    @Test
    void withoutTcpATcpSegmentIsAnsweredWithProtocolUnreachableAsBefore() {
        Recorder.Host host = hostKnowingPeer();
        List<byte[]> answer = host.answer(ipFrame(MAC_A, MAC_PEER, datagram(IP_PEER, IP_A, IpProtocol.TCP, 7, SYN)), MS);
        assertThat(answer).hasSize(1);
        Icmpv4Packet unreachable = Frames.icmpOf(answer.get(0));
        assertThat(unreachable.type()).isEqualTo(Icmpv4Packet.TYPE_DESTINATION_UNREACHABLE);
        assertThat(unreachable.code()).isEqualTo(IcmpError.CODE_PROTOCOL_UNREACHABLE);
        assertThat(host.recorder.drops(DropReason.UNSUPPORTED_PROTOCOL)).hasSize(1);
    }

    @Test
    void anInstalledTcpReceivesTcpDatagramsAndNothingIsAnsweredForIt() {
        Recorder.Host host = hostKnowingPeer();
        RecordingTransport tcp = host.stack.installTcp(RecordingTransport::new);
        assertThat(tcp.context.protocol()).isEqualTo(IpProtocol.TCP);
        assertThat(tcp.context.localAddress()).isEqualTo(IP_A);

        List<byte[]> answer = host.answer(ipFrame(MAC_A, MAC_PEER, datagram(IP_PEER, IP_A, IpProtocol.TCP, 7, SYN)), 5 * MS);

        assertThat(answer).isEmpty();
        assertThat(tcp.received).containsExactly("10.0.0.3 -> 10.0.0.1 TCP 9c40005001020304 (20 bytes) at 5000000");
        assertThat(host.recorder.drops(DropReason.UNSUPPORTED_PROTOCOL)).isEmpty();
        assertThatThrownBy(() -> host.stack.installTcp(RecordingTransport::new)).isInstanceOf(IllegalStateException.class);
    }

    /** An ICMP error from {@code reporter} quoting our TCP segment to IP_FAR: its header and the segment's first 8 bytes. */
    private static byte[] errorAboutOurSegment(Icmpv4Repr error) {
        return ipFrame(MAC_A, MAC_PEER, datagram(IP_PEER, IP_A, IpProtocol.ICMP, 9, icmp(error)));
    }

    private static byte[] ourSegmentQuote(int totalLength) {
        byte[] quote = datagram(IP_A, IP_FAR, IpProtocol.TCP, 0x55, HexFormat.of().parseHex("c0010050" + "a1b2c3d4"));
        quote[Ipv4Packet.TOTAL_LENGTH] = (byte) (totalLength >> 8);
        quote[Ipv4Packet.TOTAL_LENGTH + 1] = (byte) totalLength;
        return quote;
    }

    @Test
    void icmpErrorsQuotingTcpReachTheTcpTransportWithPortsSequenceAndMtu() {
        Recorder.Host host = hostKnowingPeer();
        RecordingTransport tcp = host.stack.installTcp(RecordingTransport::new);

        host.answer(errorAboutOurSegment(new Icmpv4Repr.DestinationUnreachable(IcmpError.CODE_PORT_UNREACHABLE, 0,
                ourSegmentQuote(28))), MS);
        host.answer(errorAboutOurSegment(new Icmpv4Repr.DestinationUnreachable(IcmpError.CODE_FRAGMENTATION_NEEDED, 1400,
                ourSegmentQuote(1500))), 2 * MS);
        host.answer(errorAboutOurSegment(new Icmpv4Repr.TimeExceeded(0, ourSegmentQuote(28))), 3 * MS);

        assertThat(tcp.errors).hasSize(3);
        IcmpError refused = tcp.errors.get(0);
        assertThat(refused.isPortUnreachable()).isTrue();
        assertThat(refused.reportedBy()).isEqualTo(IP_PEER);
        assertThat(refused.quotedSource()).isEqualTo(IP_A);
        assertThat(refused.quotedDestination()).isEqualTo(IP_FAR);
        assertThat(refused.quotedSourcePort()).isEqualTo(0xc001);
        assertThat(refused.quotedDestinationPort()).isEqualTo(80);
        assertThat(refused.quotedSecondWord()).isEqualTo(0xa1b2c3d4L);
        assertThat(refused.nextHopMtu()).isZero();

        IcmpError tooBig = tcp.errors.get(1);
        assertThat(tooBig.isFragmentationNeeded()).isTrue();
        assertThat(tooBig.nextHopMtu()).isEqualTo(1400);
        assertThat(tooBig.quotedTotalLength()).isEqualTo(1500);
        // RFC 1191: the engine lowered its estimate before telling TCP, so TCP's new MSS is 1400 - 40.
        assertThat(tcp.context.pathMtu(IP_FAR)).isEqualTo(1400);

        IcmpError expired = tcp.errors.get(2);
        assertThat(expired.type()).isEqualTo(IcmpError.TIME_EXCEEDED);
        assertThat(expired.isPortUnreachable()).isFalse();
    }

    @Test
    void outputIsPulledOnlyWhenTheLinkHasRoomAndNothingIsDropped() {
        Recorder.Host host = hostKnowingPeer();
        RecordingTransport tcp = host.stack.installTcp(RecordingTransport::new);
        long arpEntryExpiry = 60 * Frames.SECOND;
        assertThat(host.stack.pollAt()).isEqualTo(arpEntryExpiry);

        tcp.toSend = 3;
        tcp.context.wantsOutput();
        assertThat(host.stack.pollAt()).isEqualTo(0);

        List<byte[]> sent = new ArrayList<>();
        boolean[] room = {false};
        FrameTransmitter link = new FrameTransmitter() {
            @Override
            public void transmit(byte[] frame, int offset, int length) {
                sent.add(java.util.Arrays.copyOfRange(frame, offset, offset + length));
                room[0] = false;
            }

            @Override
            public boolean hasRoom() {
                return room[0];
            }
        };
        host.stack.poll(MS, link);
        assertThat(sent).isEmpty();
        assertThat(tcp.pulls).isZero();
        assertThat(host.stack.pollAt()).as("output still waits").isEqualTo(MS);

        for (int frame = 1; frame <= 3; frame++) {
            room[0] = true;
            host.stack.poll(MS + frame, link);
            assertThat(sent).hasSize(frame);
        }
        assertThat(sent).extracting(frame -> Frames.ipv4(frame).protocol()).containsOnly(IpProtocol.TCP);
        assertThat(sent).extracting(frame -> Frames.ipv4(frame).dontFragment()).containsOnly(true);
        assertThat(sent).extracting(frame -> frame[14 + 20] & 0xFF).containsExactly(2, 1, 0);

        room[0] = true;
        host.stack.poll(2 * MS, link);
        assertThat(tcp.pulls).as("asked once more, said nothing left").isEqualTo(4);
        assertThat(host.stack.pollAt()).isEqualTo(arpEntryExpiry);
        assertThat(host.recorder.of(StackEvent.Dropped.class)).isEmpty();
        assertThat(host.counter("frames sent")).isEqualTo(4);  // the ARP reply and three segments
    }

    @Test
    void aBusyTransportDoesNotStarveUdp() {
        Recorder.Host host = hostKnowingPeer();
        RecordingTransport tcp = host.stack.installTcp(RecordingTransport::new);
        tcp.toSend = 1000;
        tcp.context.wantsOutput();
        UdpSocket socket = host.stack.udpBind(5000, (s, a, p, d) -> { });
        socket.send(IP_PEER, 9, new byte[] {42}, 0, 1);

        List<byte[]> sent = new ArrayList<>();
        host.stack.poll(MS, (frame, offset, length) -> sent.add(java.util.Arrays.copyOfRange(frame, offset, offset + length)));
        assertThat(sent).hasSize(NetStack.FRAMES_PER_POLL);
        assertThat(sent.subList(0, 3)).extracting(frame -> Frames.ipv4(frame).protocol()).contains(IpProtocol.UDP);
        assertThat(host.stack.pollAt()).as("more TCP output waits").isEqualTo(MS);
    }

    @Test
    void anIcmpErrorAboutAnotherHostsDatagramReachesNoTransport() {
        Recorder.Host host = hostKnowingPeer();
        RecordingTransport tcp = host.stack.installTcp(RecordingTransport::new);
        byte[] quote = datagram(IP_FAR, IP_PEER, IpProtocol.TCP, 1, HexFormat.of().parseHex("c0010050a1b2c3d4"));
        host.answer(errorAboutOurSegment(new Icmpv4Repr.DestinationUnreachable(IcmpError.CODE_PORT_UNREACHABLE, 0, quote)), MS);
        assertThat(tcp.errors).isEmpty();
        assertThat(host.recorder.drops(DropReason.NOT_FOR_US)).hasSize(1);
    }

    /** Sends one 4-byte datagram per pull to each of {@code destinations} in turn, {@code toSend} in all. */
    private static final class SprayingTransport implements Transport {
        final TransportContext context;
        List<Ipv4Address> destinations = List.of();
        int toSend;
        int sent;

        SprayingTransport(TransportContext context) {
            this.context = context;
        }

        @Override
        public void receive(Ipv4Datagram datagram, long now) {
        }

        @Override
        public void icmpError(IcmpError error, long now) {
        }

        @Override
        public boolean pollOutput(long now) {
            if (sent == toSend) {
                return false;
            }
            Ipv4Address to = destinations.get(sent++ % destinations.size());
            context.send(to, 4, PathMtuDiscovery.DO, (buffer, offset, length) -> { }, now);
            return true;
        }
    }

    @Test
    void aSenderThatFillsAnArpQueueWaitsForArpAndLosesNothing() {
        Recorder.Host host = new Recorder.Host(Frames.configA());
        SprayingTransport tcp = host.stack.installTcp(SprayingTransport::new);
        tcp.destinations = List.of(IP_PEER);
        tcp.toSend = 100;
        tcp.context.wantsOutput();

        List<byte[]> sent = host.poll(MS);
        assertThat(sent).extracting(Frames::protocol).containsExactly("ARP");
        assertThat(tcp.sent).as("stopped when the ARP queue was full").isEqualTo(NeighborCache.MAX_PENDING_PER_ENTRY);
        assertThat(host.stack.pollAt()).as("nothing to do until ARP answers or retries").isEqualTo(MS + Frames.SECOND);

        sent = host.answer(Frames.arpReply(MAC_PEER, IP_PEER, MAC_A, IP_A), 2 * MS);
        assertThat(sent).hasSize(100);
        assertThat(host.recorder.drops(DropReason.QUEUE_FULL)).isEmpty();
    }

    @Test
    void aFewDatagramsToEachOfManyUnresolvedHostsDoNotStopTheSender() {
        Recorder.Host host = new Recorder.Host(Frames.configA());
        SprayingTransport tcp = host.stack.installTcp(SprayingTransport::new);
        List<Ipv4Address> peers = new ArrayList<>();
        for (int last = 10; last < 210; last++) {
            peers.add(Ipv4Address.parse("10.0.0." + last));
        }
        tcp.destinations = peers;
        tcp.toSend = 200;
        tcp.context.wantsOutput();
        List<byte[]> sent = host.poll(MS);
        assertThat(tcp.sent).isEqualTo(200);
        assertThat(sent).hasSize(200).extracting(Frames::protocol).containsOnly("ARP");
        assertThat(host.recorder.drops(DropReason.QUEUE_FULL)).isEmpty();
    }
}
