package dev.stacklab.stack;

import dev.stacklab.wire.Checksum;
import dev.stacklab.wire.Icmpv4Packet;
import dev.stacklab.wire.IpProtocol;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.Ipv4Cidr;
import dev.stacklab.wire.Ipv4Packet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.stacklab.stack.Frames.IP_A;
import static dev.stacklab.stack.Frames.IP_FAR;
import static dev.stacklab.stack.Frames.IP_GATEWAY;
import static dev.stacklab.stack.Frames.IP_PEER;
import static dev.stacklab.stack.Frames.MAC_A;
import static dev.stacklab.stack.Frames.MAC_PEER;
import static dev.stacklab.stack.Frames.MS;
import static dev.stacklab.stack.Frames.SECOND;
import static dev.stacklab.stack.Frames.arpRequest;
import static dev.stacklab.stack.Frames.echoRequestDatagram;
import static dev.stacklab.stack.Frames.fragment;
import static dev.stacklab.stack.Frames.fragments;
import static dev.stacklab.stack.Frames.icmpOf;
import static dev.stacklab.stack.Frames.info;
import static dev.stacklab.stack.Frames.ipFrame;
import static dev.stacklab.stack.Frames.ipv4;
import static dev.stacklab.stack.Frames.pattern;
import static dev.stacklab.stack.Frames.reassembledPayload;
import static org.assertj.core.api.Assertions.assertThat;

/** IPv4 (RFC 791, RFC 1122 3.2/3.3): checks on input, routing, reassembly and fragmentation. */
class Ipv4Test {
    private final Recorder.Host host = new Recorder.Host(Frames.configA());

    /** The peer is in A's neighbor cache, so answers go out at once. */
    @BeforeEach
    void peerIsKnown() {
        host.answer(arpRequest(MAC_PEER, IP_PEER, IP_A), 0);
    }

    private static byte[] toA(byte[] datagram) {
        return ipFrame(MAC_A, MAC_PEER, datagram);
    }

    @Nested
    class Input {
        @Test
        void aBadHeaderChecksumIsCountedAndDropped() {
            byte[] datagram = echoRequestDatagram(IP_PEER, IP_A, 1, 1, pattern(8));
            datagram[Ipv4Packet.HEADER_CHECKSUM] ^= 0x01;

            assertThat(host.answer(toA(datagram), MS)).isEmpty();
            assertThat(host.counter("dropped: bad checksum")).isEqualTo(1);
            assertThat(host.recorder.drops(DropReason.BAD_CHECKSUM)).singleElement()
                    .satisfies(drop -> assertThat(drop.frame()).isEqualTo(toA(datagram)));
        }

        @Test
        void aDatagramForAnotherAddressIsNotForUs() {
            assertThat(host.answer(toA(echoRequestDatagram(IP_PEER, Frames.IP_B, 1, 1, pattern(8))), MS)).isEmpty();
            assertThat(host.counter("dropped: not for us")).isEqualTo(1);
        }

        @Test
        void aFrameForAnotherMacIsNotForUs() {
            byte[] frame = ipFrame(Frames.MAC_OTHER, MAC_PEER, echoRequestDatagram(IP_PEER, IP_A, 1, 1, pattern(8)));
            assertThat(host.answer(frame, MS)).isEmpty();
            assertThat(host.recorder.drops(DropReason.NOT_FOR_US)).singleElement()
                    .satisfies(drop -> assertThat(drop.detail()).contains("02:00:00:00:00:0d"));
        }

        @Test
        void truncatedDatagramsAreMalformed() {
            byte[] frame = toA(echoRequestDatagram(IP_PEER, IP_A, 1, 1, pattern(8)));
            assertThat(host.answer(Arrays.copyOf(frame, frame.length - 4), MS)).isEmpty();
            assertThat(host.counter("dropped: malformed")).isEqualTo(1);
        }

        @Test
        void theLimitedAndTheDirectedBroadcastAreAccepted() {
            UdpSocket socket = host.stack.udpBind(9, (s, source, port, payload) -> { });
            byte[] limited = Frames.udpDatagram(IP_PEER, Ipv4Address.BROADCAST, 5000, 9, pattern(4));
            byte[] directed = Frames.udpDatagram(IP_PEER, Ipv4Address.parse("10.0.0.255"), 5000, 9, pattern(4));
            host.answer(ipFrame(dev.stacklab.wire.MacAddress.BROADCAST, MAC_PEER, limited), MS);
            host.answer(ipFrame(dev.stacklab.wire.MacAddress.BROADCAST, MAC_PEER, directed), MS);
            assertThat(host.counter("udp datagrams received")).isEqualTo(2);
            socket.close();
        }

        @Test
        void paddingAfterTheTotalLengthIsIgnored() {
            byte[] frame = Arrays.copyOf(toA(echoRequestDatagram(IP_PEER, IP_A, 1, 1, new byte[0])), 60);
            List<byte[]> sent = host.answer(frame, MS);
            assertThat(sent).hasSize(1);
            assertThat(icmpOf(sent.get(0)).length()).isEqualTo(8);
        }
    }

    @Nested
    class Output {
        @Test
        void datagramsCarryTtl64AndAnIncreasingIdentification() {
            List<byte[]> sent = new ArrayList<>();
            sent.addAll(host.answer(toA(echoRequestDatagram(IP_PEER, IP_A, 1, 1, pattern(8))), MS));
            sent.addAll(host.answer(toA(echoRequestDatagram(IP_PEER, IP_A, 1, 2, pattern(8))), 2 * MS));

            assertThat(sent).extracting(f -> ipv4(f).timeToLive()).containsExactly(64, 64);
            assertThat(ipv4(sent.get(1)).identification()).isEqualTo(ipv4(sent.get(0)).identification() + 1);
            assertThat(sent).allSatisfy(f -> assertThat(ipv4(f).verifyChecksum()).isTrue());
            assertThat(sent).allSatisfy(f -> assertThat(ipv4(f).dontFragment()).isFalse());
        }

        @Test
        void offLinkWithoutAGatewayHasNoRoute() {
            List<PingOutcome> outcomes = new ArrayList<>();
            host.stack.ping(new PingRequest(IP_FAR, 1, 1, 56, 64, SECOND), MS, (r, o) -> outcomes.add(o));

            assertThat(outcomes).containsExactly(new PingOutcome.Unreachable(IP_A, 0, "Network is unreachable"));
            assertThat(host.recorder.drops(DropReason.NO_ROUTE)).hasSize(1);
            assertThat(host.poll(MS)).isEmpty();
        }

        @Test
        void offLinkGoesToTheGatewaysMac() {
            Recorder.Host routed = new Recorder.Host(StackConfig.of(MAC_A, new Ipv4Cidr(IP_A, 24), IP_GATEWAY));
            routed.stack.ping(new PingRequest(IP_FAR, 1, 1, 56, 64, SECOND), 0, (r, o) -> { });
            assertThat(routed.poll(0)).extracting(Frames::info).containsExactly("Who has 10.0.0.254? Tell 10.0.0.1");

            List<byte[]> sent = routed.answer(Frames.arpReply(MAC_PEER, IP_GATEWAY, MAC_A, IP_A), MS);
            assertThat(sent).hasSize(1);
            assertThat(Frames.ethernetDestination(sent.get(0))).isEqualTo(MAC_PEER);
            assertThat(ipv4(sent.get(0)).destination()).isEqualTo(IP_FAR);
        }

        @Test
        void pingingOurOwnAddressLoopsBack() {
            List<PingOutcome> outcomes = new ArrayList<>();
            host.stack.ping(new PingRequest(IP_A, 1, 1, 56, 64, SECOND), MS, (r, o) -> outcomes.add(o));
            assertThat(host.poll(2 * MS)).isEmpty();
            host.poll(2 * MS);
            assertThat(outcomes).singleElement().isInstanceOf(PingOutcome.Reply.class);
        }
    }

    @Nested
    class Reassembly {
        private final byte[] data = pattern(3000);
        private final byte[] request = echoRequestDatagram(IP_PEER, IP_A, 0x42, 7, data);
        /** 3008 bytes of ICMP in pieces of 1480, 1480 and 48. */
        private final List<byte[]> pieces = fragments(request, 1480);

        private void assertEchoedInFull(List<byte[]> sent) {
            assertThat(sent).hasSize(3);
            byte[] icmp = reassembledPayload(sent);
            assertThat(icmp.length).isEqualTo(3008);
            assertThat(icmp[0]).isEqualTo((byte) Icmpv4Packet.TYPE_ECHO_REPLY);
            assertThat(Checksum.compute(icmp, 0, icmp.length)).isZero();
            assertThat(Arrays.copyOfRange(icmp, 8, icmp.length)).isEqualTo(data);
        }

        @ParameterizedTest(name = "order {0}")
        @ValueSource(strings = {"012", "021", "102", "120", "201", "210"})
        void everyOrderOfThreeFragmentsReassembles(String order) {
            assertThat(pieces).hasSize(3);
            List<byte[]> sent = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                sent.addAll(host.answer(toA(pieces.get(order.charAt(i) - '0')), (i + 1) * MS));
                if (i < 2) {
                    assertThat(sent).isEmpty();
                }
            }
            assertEchoedInFull(sent);
            assertThat(host.counter("ipv4 fragments received")).isEqualTo(3);
            assertThat(host.counter("ipv4 datagrams reassembled")).isEqualTo(1);
            assertThat(host.stack.ipv4.reassembler.memoryUsed()).isZero();
        }

        @Test
        void duplicatesAreHarmless() {
            List<byte[]> sent = new ArrayList<>();
            sent.addAll(host.answer(toA(pieces.get(1)), MS));
            sent.addAll(host.answer(toA(pieces.get(1)), 2 * MS));
            sent.addAll(host.answer(toA(pieces.get(0)), 3 * MS));
            sent.addAll(host.answer(toA(pieces.get(0)), 4 * MS));
            sent.addAll(host.answer(toA(pieces.get(2)), 5 * MS));
            assertEchoedInFull(sent);
            // A late duplicate starts a new datagram that never completes; it is not answered.
            assertThat(host.answer(toA(pieces.get(2)), 6 * MS)).isEmpty();
        }

        @Test
        void overlappingFragmentsOnlyFillHoles() {
            // [0,1480), then a forged [1472,2960) whose first 8 bytes disagree, then the rest.
            byte[] forged = echoRequestDatagram(IP_PEER, IP_A, 0x42, 7, data);
            Arrays.fill(forged, 20 + 1472, 20 + 1480, (byte) 0xEE);
            List<byte[]> sent = new ArrayList<>();
            sent.addAll(host.answer(toA(fragment(request, 0, 1480, true)), MS));
            sent.addAll(host.answer(toA(fragment(forged, 1472, 1488, true)), 2 * MS));
            sent.addAll(host.answer(toA(fragment(request, 2960, 48, false)), 3 * MS));
            assertEchoedInFull(sent);
        }

        @Test
        void incompleteDatagramsTimeOutAfterThirtySecondsWithTimeExceeded() {
            host.answer(toA(pieces.get(0)), SECOND);
            host.answer(toA(pieces.get(2)), 20 * SECOND);
            // RFC 1122 3.3.2: the timer runs from the first fragment and is not restarted by later ones.
            assertThat(host.stack.pollAt()).isEqualTo(31 * SECOND);
            assertThat(host.poll(31 * SECOND - 1)).isEmpty();

            List<byte[]> sent = host.poll(31 * SECOND);

            assertThat(host.recorder.drops(DropReason.REASSEMBLY_TIMEOUT)).hasSize(1);
            assertThat(sent).extracting(Frames::info).singleElement().asString()
                    .startsWith("Time-to-live exceeded (Fragment reassembly time exceeded)");
            Icmpv4Packet error = icmpOf(sent.get(0));
            // The quote: fragment zero's header and the first 8 bytes of its data (the echo header).
            assertThat(error.bodyLength()).isEqualTo(28);
            assertThat(Arrays.copyOfRange(sent.get(0), error.bodyOffset(), error.bodyOffset() + 28))
                    .isEqualTo(Arrays.copyOf(pieces.get(0), 28));
            // The missing piece alone now starts a new datagram.
            assertThat(host.answer(toA(pieces.get(1)), 32 * SECOND)).isEmpty();
        }

        @Test
        void noTimeExceededWithoutFragmentZero() {
            host.answer(toA(pieces.get(1)), 0);
            assertThat(host.poll(30 * SECOND)).isEmpty();
            assertThat(host.recorder.drops(DropReason.REASSEMBLY_TIMEOUT)).hasSize(1);
        }

        @Test
        void memoryIsCappedByEvictingTheOldest() {
            host.stack.ipv4.reassembler.limitMemory(20_000);
            for (int id = 1; id <= 10; id++) {
                byte[] big = Frames.datagram(IP_PEER, IP_A, IpProtocol.UDP, id, pattern(6000));
                host.answer(toA(fragment(big, 1480, 1480, true)), id * MS);
                assertThat(host.stack.ipv4.reassembler.memoryUsed()).isLessThanOrEqualTo(20_000);
            }
            assertThat(host.recorder.drops(DropReason.REASSEMBLY_MEMORY)).isNotEmpty();
            assertThat(host.stack.ipv4.reassembler.datagramsInProgress()).isLessThan(10);

            // A datagram that cannot fit at all is dropped, and does not take the others with it.
            host.stack.ipv4.reassembler.limitMemory(5_000);
            byte[] huge = Frames.datagram(IP_PEER, IP_A, IpProtocol.UDP, 99, pattern(60_000));
            host.answer(toA(fragment(huge, 59_000, 1000, false)), SECOND);
            assertThat(host.stack.ipv4.reassembler.memoryUsed()).isLessThanOrEqualTo(20_000);
        }

        @Test
        void aFragmentWhoseLengthIsNotAMultipleOfEightIsMalformed() {
            host.answer(toA(fragment(request, 0, 1477, true)), MS);
            assertThat(host.recorder.drops(DropReason.MALFORMED)).singleElement()
                    .satisfies(drop -> assertThat(drop.detail()).contains("multiple of 8"));
        }

        @Test
        void fragmentsThatDisagreeOnTheLengthDiscardTheDatagram() {
            host.answer(toA(fragment(request, 2960, 48, false)), MS);
            host.answer(toA(fragment(request, 1480, 520, false)), 2 * MS);
            assertThat(host.recorder.drops(DropReason.MALFORMED)).hasSize(1);
            assertThat(host.stack.ipv4.reassembler.datagramsInProgress()).isZero();
        }
    }

    @Nested
    class Fragmentation {
        @Test
        void aBigEchoReplyIsCutToTheMtu() {
            BackToBack net = new BackToBack(Frames.configA(), Frames.configB());
            List<PingOutcome> outcomes = new ArrayList<>();
            net.b.stack.ping(new PingRequest(IP_A, 0x99, 1, 3000, 64, SECOND), 0, (r, o) -> outcomes.add(o));
            net.runUntil(SECOND);

            List<byte[]> replies = net.b.recorder.of(StackEvent.FrameReceived.class).stream()
                    .map(StackEvent.FrameReceived::frame).filter(f -> Frames.protocol(f).equals("IPv4") || Frames.protocol(f).equals("ICMP"))
                    .toList();
            assertThat(replies).hasSize(3);
            assertThat(replies).allSatisfy(f -> assertThat(f.length - 14).isLessThanOrEqualTo(1500));
            assertThat(replies).extracting(f -> ipv4(f).payloadLength()).containsExactly(1480, 1480, 48);
            assertThat(outcomes).singleElement().isInstanceOfSatisfying(PingOutcome.Reply.class, reply -> {
                assertThat(reply.bytes()).isEqualTo(3008);
                assertThat(reply.from()).isEqualTo(IP_A);
            });
        }

        @Test
        void ourOwnFourThousandBytePingIsFragmentedAndAnsweredByAnotherStack() {
            BackToBack net = new BackToBack(Frames.configA(), Frames.configB());
            List<PingOutcome> outcomes = new ArrayList<>();
            net.a.stack.ping(new PingRequest(Frames.IP_B, 0x99, 1, 4000, 64, SECOND), 0, (r, o) -> outcomes.add(o));
            net.runUntil(SECOND);

            List<byte[]> requests = net.wire.stream().filter(f -> Frames.ethernetDestination(f).equals(Frames.MAC_B)).toList();
            assertThat(requests).hasSize(3);
            assertThat(requests).extracting(f -> ipv4(f).fragmentOffset()).containsExactly(0, 1480, 2960);
            assertThat(requests).extracting(f -> ipv4(f).moreFragments()).containsExactly(true, true, false);
            assertThat(requests).extracting(f -> ipv4(f).identification()).containsOnly(ipv4(requests.get(0)).identification());
            assertThat(outcomes).singleElement().isInstanceOfSatisfying(PingOutcome.Reply.class, reply -> {
                assertThat(reply.bytes()).isEqualTo(4008);
                // ARP first, then the datagram: the first ping's time includes resolution, as on Linux.
                assertThat(reply.roundTripNanos()).isEqualTo(4 * BackToBack.LATENCY);
            });
            assertThat(net.b.counter("ipv4 datagrams reassembled")).isEqualTo(1);
            assertThat(Frames.infos(requests)).last().asString().startsWith("Echo (ping) request  id=0x0099, seq=1/256, ttl=64");
        }

        @Test
        void aSmallerMtuCutsSmallerPieces() {
            BackToBack net = new BackToBack(Frames.configA().withMtu(576), Frames.configB());
            List<PingOutcome> outcomes = new ArrayList<>();
            net.a.stack.ping(new PingRequest(Frames.IP_B, 1, 1, 1000, 64, SECOND), 0, (r, o) -> outcomes.add(o));
            net.runUntil(SECOND);
            List<byte[]> requests = net.wire.stream().filter(f -> Frames.ethernetDestination(f).equals(Frames.MAC_B)).toList();
            assertThat(requests).extracting(f -> ipv4(f).payloadLength()).containsExactly(552, 456);
            assertThat(outcomes).singleElement().isInstanceOf(PingOutcome.Reply.class);
        }
    }
}
