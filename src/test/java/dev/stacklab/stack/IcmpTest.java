package dev.stacklab.stack;

import dev.stacklab.wire.Checksum;
import dev.stacklab.wire.Icmpv4Packet;
import dev.stacklab.wire.Icmpv4Repr;
import dev.stacklab.wire.IpProtocol;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.MacAddress;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static dev.stacklab.stack.Frames.IP_A;
import static dev.stacklab.stack.Frames.IP_GATEWAY;
import static dev.stacklab.stack.Frames.IP_PEER;
import static dev.stacklab.stack.Frames.MAC_A;
import static dev.stacklab.stack.Frames.MAC_PEER;
import static dev.stacklab.stack.Frames.MS;
import static dev.stacklab.stack.Frames.SECOND;
import static dev.stacklab.stack.Frames.arpRequest;
import static dev.stacklab.stack.Frames.datagram;
import static dev.stacklab.stack.Frames.echoRequestDatagram;
import static dev.stacklab.stack.Frames.icmp;
import static dev.stacklab.stack.Frames.icmpOf;
import static dev.stacklab.stack.Frames.info;
import static dev.stacklab.stack.Frames.ipFrame;
import static dev.stacklab.stack.Frames.ipv4;
import static dev.stacklab.stack.Frames.pattern;
import static dev.stacklab.stack.Frames.udpDatagram;
import static org.assertj.core.api.Assertions.assertThat;

/** ICMP (RFC 792, RFC 1122 3.2.2): the echo responder, the ping client, and the rules for errors. */
class IcmpTest {
    private final Recorder.Host host = new Recorder.Host(Frames.configA());

    @BeforeEach
    void peerIsKnown() {
        host.answer(arpRequest(MAC_PEER, IP_PEER, IP_A), 0);
    }

    private static byte[] toA(byte[] datagram) {
        return ipFrame(MAC_A, MAC_PEER, datagram);
    }

    private static byte[] payloadOf(byte[] frame) {
        return Arrays.copyOfRange(frame, 14 + 20, frame.length);
    }

    @Nested
    class EchoResponder {
        @Test
        void theReplyCarriesTheRequestsDataByteForByte() {
            byte[] data = HexFormat.of().parseHex("4f1e6a6600000000a1b2030000000000101112131415161718191a1b1c1d1e1f");
            List<byte[]> sent = host.answer(toA(echoRequestDatagram(IP_PEER, IP_A, 0x1f2e, 3, data)), MS);

            assertThat(sent).hasSize(1);
            byte[] reply = sent.get(0);
            assertThat(Frames.ethernetDestination(reply)).isEqualTo(MAC_PEER);
            assertThat(ipv4(reply).source()).isEqualTo(IP_A);
            assertThat(ipv4(reply).destination()).isEqualTo(IP_PEER);
            assertThat(ipv4(reply).protocol()).isEqualTo(IpProtocol.ICMP);
            // Encode-then-compare: exactly the echo reply the wire codec makes for the same fields.
            assertThat(payloadOf(reply)).isEqualTo(icmp(new Icmpv4Repr.EchoReply(0x1f2e, 3, data)));
            assertThat(info(reply)).isEqualTo("Echo (ping) reply    id=0x1f2e, seq=3/768, ttl=64");
            assertThat(host.counter("icmp echo replies sent")).isEqualTo(1);
        }

        @Test
        void anEchoToTheBroadcastAddressIsIgnored() {
            byte[] request = echoRequestDatagram(IP_PEER, Ipv4Address.parse("10.0.0.255"), 1, 1, pattern(8));
            assertThat(host.answer(ipFrame(MacAddress.BROADCAST, MAC_PEER, request), MS)).isEmpty();
        }

        @Test
        void aBadIcmpChecksumIsCountedAndNotAnswered() {
            byte[] request = echoRequestDatagram(IP_PEER, IP_A, 1, 1, pattern(8));
            request[20 + Icmpv4Packet.CHECKSUM] ^= 0x10;
            assertThat(host.answer(toA(request), MS)).isEmpty();
            assertThat(host.counter("dropped: bad checksum")).isEqualTo(1);
        }
    }

    @Nested
    class PingClient {
        private final List<PingOutcome> outcomes = new ArrayList<>();

        private byte[] sendPing(int seq, long now) {
            host.stack.ping(new PingRequest(IP_PEER, 0x0abc, seq, 56, 64, SECOND), now, (r, o) -> outcomes.add(o));
            List<byte[]> sent = host.poll(now);
            assertThat(sent).hasSize(1);
            return sent.get(0);
        }

        private byte[] replyTo(byte[] request, Ipv4Address from, int ttl) {
            Icmpv4Packet echo = icmpOf(request);
            byte[] data = Arrays.copyOfRange(request, echo.bodyOffset(), echo.bodyOffset() + echo.bodyLength());
            byte[] message = icmp(new Icmpv4Repr.EchoReply(echo.identifier(), echo.sequenceNumber(), data));
            return toA(Frames.ipv4Payload(dev.stacklab.wire.Ipv4Repr.simple(from, IP_A, IpProtocol.ICMP, ttl, 9, false,
                    message.length), message));
        }

        @Test
        void aMatchingReplyCompletesWithTheRoundTripTime() {
            byte[] request = sendPing(1, 10 * MS);
            host.receive(replyTo(request, IP_PEER, 63), 10 * MS + 420_000);

            assertThat(outcomes).containsExactly(new PingOutcome.Reply(IP_PEER, 64, 63, 420_000));
            assertThat(host.recorder.of(StackEvent.PingCompleted.class)).singleElement()
                    .satisfies(event -> assertThat(event.outcome()).isEqualTo(outcomes.get(0)));
        }

        @Test
        void theRequestLooksLikeIputils() {
            byte[] request = sendPing(5, 3 * SECOND + 250 * MS);
            Icmpv4Packet echo = icmpOf(request);
            assertThat(echo.length()).isEqualTo(64);
            assertThat(echo.identifier()).isEqualTo(0x0abc);
            assertThat(echo.sequenceNumber()).isEqualTo(5);
            assertThat(echo.checksumValid()).isTrue();
            byte[] data = payloadOf(request);
            // struct timeval {3 s, 250000 us}, little-endian, then bytes 0x10, 0x11, ...
            assertThat(Arrays.copyOfRange(data, 8, 24)).isEqualTo(HexFormat.of().parseHex("0300000000000000" + "90d0030000000000"));
            assertThat(data[24]).isEqualTo((byte) 0x10);
            assertThat(data[25]).isEqualTo((byte) 0x11);
            assertThat(data[63]).isEqualTo((byte) 0x37);
        }

        @Test
        void aReplyFromSomeoneElseOrWithAnotherSequenceDoesNotCount() {
            byte[] request = sendPing(1, 0);
            host.receive(replyTo(request, Ipv4Address.parse("10.0.0.9"), 64), MS);
            byte[] other = sendPing(2, 2 * MS);
            host.receive(replyTo(other, IP_PEER, 64), 3 * MS);

            assertThat(outcomes).containsExactly(new PingOutcome.Reply(IP_PEER, 64, 64, MS));
            assertThat(host.counter("ping replies unmatched")).isEqualTo(1);
        }

        @Test
        void noAnswerIsATimeoutAtTheDeadline() {
            sendPing(1, 0);
            assertThat(host.stack.pollAt()).isEqualTo(SECOND);
            host.poll(SECOND - 1);
            assertThat(outcomes).isEmpty();
            host.poll(SECOND);
            assertThat(outcomes).containsExactly(new PingOutcome.Timeout());
            // Nothing left for the ping table: the next deadline is the peer's ARP entry turning stale.
            assertThat(host.stack.pollAt()).isEqualTo(60 * SECOND);
        }

        @Test
        void destinationUnreachableQuotingOurRequestIsReportedAgainstIt() {
            byte[] request = sendPing(1, 0);
            byte[] quote = Arrays.copyOfRange(request, 14, 14 + 28);
            byte[] error = datagram(IP_GATEWAY, IP_A, IpProtocol.ICMP, 1, icmp(new Icmpv4Repr.DestinationUnreachable(1, 0, quote)));
            host.receive(toA(error), 5 * MS);

            assertThat(outcomes).containsExactly(new PingOutcome.Unreachable(IP_GATEWAY, 1, "Destination Host Unreachable"));
            assertThat(host.recorder.of(StackEvent.IcmpErrorReceived.class)).singleElement().satisfies(event -> {
                assertThat(event.quotedProtocol()).isEqualTo(IpProtocol.ICMP);
                assertThat(event.quotedDestination()).isEqualTo(IP_PEER);
            });
        }

        @Test
        void timeExceededQuotingOurRequestIsReportedAgainstIt() {
            byte[] request = sendPing(1, 0);
            byte[] quote = Arrays.copyOfRange(request, 14, 14 + 28);
            byte[] error = datagram(IP_GATEWAY, IP_A, IpProtocol.ICMP, 1, icmp(new Icmpv4Repr.TimeExceeded(0, quote)));
            host.receive(toA(error), 5 * MS);

            assertThat(outcomes).containsExactly(new PingOutcome.TimeExceeded(IP_GATEWAY, 0));
        }

        @Test
        void anErrorQuotingAnotherSequenceChangesNothing() {
            byte[] request = sendPing(1, 0);
            byte[] quote = Arrays.copyOfRange(request, 14, 14 + 28);
            quote[20 + Icmpv4Packet.SEQUENCE_NUMBER + 1] = 9;
            host.receive(toA(datagram(IP_GATEWAY, IP_A, IpProtocol.ICMP, 1, icmp(new Icmpv4Repr.TimeExceeded(0, quote)))), MS);
            assertThat(outcomes).isEmpty();
        }
    }

    @Nested
    class Errors {
        @Test
        void udpToAClosedPortGetsPortUnreachableQuotingTheDatagram() {
            byte[] datagram = udpDatagram(IP_PEER, IP_A, 40000, 9999, pattern(12));
            List<byte[]> sent = host.answer(toA(datagram), MS);

            assertThat(sent).hasSize(1);
            assertThat(info(sent.get(0))).startsWith("Destination unreachable (Port unreachable)");
            assertThat(payloadOf(sent.get(0))).isEqualTo(icmp(new Icmpv4Repr.DestinationUnreachable(3, 0, datagram)));
            assertThat(host.recorder.drops(DropReason.PORT_UNREACHABLE)).hasSize(1);
        }

        @Test
        void theQuoteStopsSoThatTheErrorFitsIn576Bytes() {
            byte[] datagram = udpDatagram(IP_PEER, IP_A, 40000, 9999, pattern(1400));
            List<byte[]> sent = host.answer(toA(datagram), MS);

            assertThat(ipv4(sent.get(0)).totalLength()).isEqualTo(576);
            Icmpv4Packet error = icmpOf(sent.get(0));
            assertThat(Arrays.copyOfRange(sent.get(0), error.bodyOffset(), error.bodyOffset() + error.bodyLength()))
                    .isEqualTo(Arrays.copyOf(datagram, 548));
            assertThat(Checksum.compute(sent.get(0), 34, error.length())).isZero();
        }

        @Test
        void anUnsupportedProtocolGetsProtocolUnreachable() {
            byte[] tcp = datagram(IP_PEER, IP_A, IpProtocol.TCP, 5, pattern(20));
            List<byte[]> sent = host.answer(toA(tcp), MS);

            assertThat(sent).extracting(Frames::info).singleElement().asString()
                    .startsWith("Destination unreachable (Protocol unreachable)");
            assertThat(host.counter("dropped: unsupported protocol")).isEqualTo(1);
        }

        @Test
        void noErrorForABroadcastDatagram() {
            byte[] datagram = udpDatagram(IP_PEER, Ipv4Address.BROADCAST, 68, 67, pattern(12));
            assertThat(host.answer(ipFrame(MacAddress.BROADCAST, MAC_PEER, datagram), MS)).isEmpty();
            // Link-layer broadcast of a datagram to our unicast address: RFC 1122 3.2.2 forbids it too.
            byte[] unicast = udpDatagram(IP_PEER, IP_A, 68, 67, pattern(12));
            assertThat(host.answer(ipFrame(MacAddress.BROADCAST, MAC_PEER, unicast), MS)).isEmpty();
            assertThat(host.counter("icmp errors sent")).isZero();
        }

        @Test
        void noErrorAboutAnIcmpError() {
            // An ICMP error in fragments whose reassembly times out: no Time Exceeded about it.
            byte[] quote = Arrays.copyOf(udpDatagram(IP_A, IP_PEER, 1, 2, pattern(2000)), 1600);
            byte[] error = datagram(IP_PEER, IP_A, IpProtocol.ICMP, 77, icmp(new Icmpv4Repr.DestinationUnreachable(3, 0, quote)));
            host.answer(toA(Frames.fragment(error, 0, 1480, true)), 0);
            assertThat(host.poll(30 * SECOND)).isEmpty();
            assertThat(host.recorder.drops(DropReason.REASSEMBLY_TIMEOUT)).hasSize(1);

            // The same for an echo request does get one: the rule, not a bug, kept the first one quiet.
            byte[] echo = echoRequestDatagram(IP_PEER, IP_A, 1, 1, pattern(2000));
            host.answer(toA(Frames.fragment(echo, 0, 1480, true)), 31 * SECOND);
            assertThat(host.poll(61 * SECOND)).extracting(Frames::protocol).containsExactly("ICMP", "ARP");
        }

        @Test
        void errorsAreRateLimitedByATokenBucket() {
            for (int i = 0; i < 100; i++) {
                host.receive(toA(udpDatagram(IP_PEER, IP_A, 40000, 1000 + i, pattern(4))), SECOND);
            }
            assertThat(host.poll(SECOND)).hasSize(IcmpRateLimiter.DEFAULT_BURST);
            assertThat(host.counter("icmp errors rate-limited")).isEqualTo(50);

            // 1000 per second: 10 ms later, ten more tokens.
            for (int i = 0; i < 100; i++) {
                host.receive(toA(udpDatagram(IP_PEER, IP_A, 40000, 1000 + i, pattern(4))), SECOND + 10 * MS);
            }
            assertThat(host.poll(SECOND + 10 * MS)).hasSize(10);
        }

        @Test
        void echoRepliesAreNotRateLimited() {
            host.stack.icmp.limitErrors(1, 1);
            for (int i = 0; i < 200; i++) {
                host.receive(toA(echoRequestDatagram(IP_PEER, IP_A, 1, i, pattern(8))), SECOND);
            }
            assertThat(host.poll(SECOND)).hasSize(200);
        }
    }
}
