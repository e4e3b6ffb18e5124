package dev.stacklab.stack;

import dev.stacklab.wire.Icmpv4Packet;
import dev.stacklab.wire.Icmpv4Repr;
import dev.stacklab.wire.IpProtocol;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.Ipv4Packet;
import dev.stacklab.wire.MacAddress;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.stacklab.stack.Frames.IP_A;
import static dev.stacklab.stack.Frames.IP_B;
import static dev.stacklab.stack.Frames.IP_GATEWAY;
import static dev.stacklab.stack.Frames.IP_PEER;
import static dev.stacklab.stack.Frames.MAC_A;
import static dev.stacklab.stack.Frames.MAC_B;
import static dev.stacklab.stack.Frames.MAC_PEER;
import static dev.stacklab.stack.Frames.MS;
import static dev.stacklab.stack.Frames.SECOND;
import static dev.stacklab.stack.Frames.arpRequest;
import static dev.stacklab.stack.Frames.datagram;
import static dev.stacklab.stack.Frames.icmp;
import static dev.stacklab.stack.Frames.ipFrame;
import static dev.stacklab.stack.Frames.ipv4;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Don't Fragment on our pings (RFC 791 section 3.2, RFC 1191), as iputils' {@code -M do|want|dont}
 * chooses it: what leaves with DF, what is refused locally, what is fragmented here, and the next-hop
 * MTU a router reports back.
 */
class DontFragmentTest {
    /** The largest ICMP payload whose datagram fits a 1500-byte MTU: 1500 - 20 (IPv4) - 8 (ICMP). */
    private static final int LARGEST_FITTING_PAYLOAD = 1472;

    private static PingRequest ping(Ipv4Address target, int payloadSize, PathMtuDiscovery choice) {
        return new PingRequest(target, 0x0df0, 1, payloadSize, 64, SECOND, choice);
    }

    /** The frames {@code to}'s side received from the other (requests and their fragments), in order. */
    private static List<byte[]> framesTo(BackToBack net, MacAddress to) {
        return net.wire.stream().filter(f -> Frames.ethernetDestination(f).equals(to))
                .filter(f -> Frames.protocol(f).equals("ICMP") || Frames.protocol(f).equals("IPv4")).toList();
    }

    @Nested
    class LocalRefusal {
        private final Recorder.Host host = new Recorder.Host(Frames.configA());
        private final List<PingOutcome> outcomes = new ArrayList<>();

        @BeforeEach
        void peerIsKnown() {
            host.answer(arpRequest(MAC_PEER, IP_PEER, IP_A), 0);
        }

        @Test
        void aDontFragmentPingLargerThanTheMtuIsALocalErrorAndNothingLeaves() {
            host.stack.ping(ping(IP_PEER, LARGEST_FITTING_PAYLOAD + 1, PathMtuDiscovery.DO), MS, (r, o) -> outcomes.add(o));

            assertThat(outcomes).containsExactly(new PingOutcome.MessageTooLong(1500));
            assertThat(((PingOutcome.MessageTooLong) outcomes.get(0)).description())
                    .isEqualTo("local error: message too long, mtu=1500");
            assertThat(host.poll(MS)).isEmpty();
            assertThat(host.counter("dropped: " + DropReason.FRAGMENTATION_NEEDED)).isEqualTo(1);
            assertThat(host.counter("ipv4 fragments sent")).isZero();
            assertThat(host.recorder.drops(DropReason.FRAGMENTATION_NEEDED)).singleElement().satisfies(drop -> {
                assertThat(drop.detail()).isEqualTo("1501-byte datagram, MTU 1500");
                assertThat(ipv4(drop.frame()).dontFragment()).isTrue();
            });
            assertThat(host.recorder.of(StackEvent.PingCompleted.class)).singleElement()
                    .satisfies(event -> assertThat(event.outcome()).isEqualTo(new PingOutcome.MessageTooLong(1500)));
            // Completed at once: nothing is left waiting for a timeout.
            assertThat(host.stack.pollAt()).isEqualTo(60 * SECOND);
        }

        @Test
        void theLocalErrorNamesTheStacksOwnMtu() {
            Recorder.Host small = new Recorder.Host(Frames.configA().withMtu(576));
            small.answer(arpRequest(MAC_PEER, IP_PEER, IP_A), 0);
            small.stack.ping(ping(IP_PEER, 1000, PathMtuDiscovery.DO), MS, (r, o) -> outcomes.add(o));
            assertThat(outcomes).containsExactly(new PingOutcome.MessageTooLong(576));
            assertThat(small.poll(MS)).isEmpty();
        }

        @Test
        void noRouteIsStillNetworkUnreachable() {
            host.stack.ping(ping(Frames.IP_FAR, 3000, PathMtuDiscovery.DO), MS, (r, o) -> outcomes.add(o));
            assertThat(outcomes).containsExactly(new PingOutcome.Unreachable(IP_A, 0, "Network is unreachable"));
            assertThat(host.counter("dropped: " + DropReason.NO_ROUTE)).isEqualTo(1);
            assertThat(host.counter("dropped: " + DropReason.FRAGMENTATION_NEEDED)).isZero();
        }
    }

    @Nested
    class OnTheWire {
        private final BackToBack net = new BackToBack(Frames.configA(), Frames.configB());
        private final List<PingOutcome> outcomes = new ArrayList<>();

        private List<byte[]> pingB(int payloadSize, PathMtuDiscovery choice) {
            net.a.stack.ping(ping(IP_B, payloadSize, choice), 0, (r, o) -> outcomes.add(o));
            net.runUntil(SECOND);
            return framesTo(net, MAC_B);
        }

        @Test
        void aDontFragmentPingThatFitsCarriesDfWithAGoodChecksumAndIsAnswered() {
            List<byte[]> requests = pingB(LARGEST_FITTING_PAYLOAD, PathMtuDiscovery.DO);

            assertThat(requests).singleElement().satisfies(request -> {
                Ipv4Packet ip = ipv4(request);
                assertThat(ip.totalLength()).isEqualTo(1500);
                assertThat(ip.dontFragment()).isTrue();
                assertThat(ip.moreFragments()).isFalse();
                assertThat(ip.fragmentOffset()).isZero();
                assertThat(ip.verifyChecksum()).isTrue();
            });
            assertThat(outcomes).singleElement().isInstanceOfSatisfying(PingOutcome.Reply.class,
                    reply -> assertThat(reply.bytes()).isEqualTo(1480));
            assertThat(net.b.counter("ipv4 fragments received")).isZero();
        }

        @Test
        void wantSetsDfOnWhatFits() {
            List<byte[]> requests = pingB(56, PathMtuDiscovery.WANT);
            assertThat(requests).singleElement().satisfies(request -> {
                assertThat(ipv4(request).dontFragment()).isTrue();
                assertThat(ipv4(request).verifyChecksum()).isTrue();
            });
            assertThat(outcomes).singleElement().isInstanceOf(PingOutcome.Reply.class);
        }

        @Test
        void wantFragmentsWhatDoesNotFitAndTheFragmentsGoWithoutDf() {
            List<byte[]> requests = pingB(3000, PathMtuDiscovery.WANT);

            assertThat(requests).extracting(f -> ipv4(f).fragmentOffset()).containsExactly(0, 1480, 2960);
            assertThat(requests).extracting(f -> ipv4(f).dontFragment()).containsOnly(false);
            assertThat(requests).allSatisfy(f -> assertThat(ipv4(f).verifyChecksum()).isTrue());
            assertThat(outcomes).singleElement().isInstanceOfSatisfying(PingOutcome.Reply.class,
                    reply -> assertThat(reply.bytes()).isEqualTo(3008));
            assertThat(net.a.counter("dropped: " + DropReason.FRAGMENTATION_NEEDED)).isZero();
        }

        @Test
        void dontLeavesDfClear() {
            List<byte[]> requests = pingB(56, PathMtuDiscovery.DONT);
            assertThat(requests).singleElement().satisfies(request -> assertThat(ipv4(request).dontFragment()).isFalse());
            assertThat(outcomes).singleElement().isInstanceOf(PingOutcome.Reply.class);
        }

        @Test
        void theSixArgumentRequestKeepsDfClear() {
            net.a.stack.ping(new PingRequest(IP_B, 1, 1, 56, 64, SECOND), 0, (r, o) -> outcomes.add(o));
            net.runUntil(SECOND);
            assertThat(framesTo(net, MAC_B)).singleElement().satisfies(request -> assertThat(ipv4(request).dontFragment()).isFalse());
        }
    }

    @Nested
    class FragmentationNeededFromARouter {
        private final Recorder.Host host = new Recorder.Host(Frames.configA());
        private final List<PingOutcome> outcomes = new ArrayList<>();

        @BeforeEach
        void peerIsKnown() {
            host.answer(arpRequest(MAC_PEER, IP_PEER, IP_A), 0);
        }

        /** Sends our DF ping and returns what a router quotes of it: the IPv4 header and 8 bytes (RFC 792). */
        private byte[] sendAndQuote(int sequence) {
            host.stack.ping(new PingRequest(IP_PEER, 0x0df0, sequence, LARGEST_FITTING_PAYLOAD, 64, SECOND, PathMtuDiscovery.DO),
                    MS, (r, o) -> outcomes.add(o));
            List<byte[]> sent = host.poll(MS);
            assertThat(sent).singleElement().satisfies(request -> assertThat(ipv4(request).dontFragment()).isTrue());
            return Arrays.copyOfRange(sent.get(0), 14, 14 + 28);
        }

        private void routerSays(int code, int nextHopMtu, byte[] quote) {
            byte[] error = datagram(IP_GATEWAY, IP_A, IpProtocol.ICMP, 7,
                    icmp(new Icmpv4Repr.DestinationUnreachable(code, nextHopMtu, quote)));
            host.receive(ipFrame(MAC_A, MAC_PEER, error), 2 * MS);
        }

        @Test
        void theOutcomeCarriesTheNextHopMtuInIputilsWords() {
            routerSays(4, 1400, sendAndQuote(1));

            assertThat(outcomes).containsExactly(
                    new PingOutcome.Unreachable(IP_GATEWAY, 4, "Frag needed and DF set (mtu = 1400)", 1400));
            assertThat(host.recorder.of(StackEvent.IcmpErrorReceived.class)).singleElement().satisfies(event -> {
                assertThat(event.code()).isEqualTo(4);
                assertThat(event.quotedDestination()).isEqualTo(IP_PEER);
            });
            assertThat(host.recorder.of(StackEvent.PingCompleted.class)).singleElement()
                    .satisfies(event -> assertThat(event.outcome()).isEqualTo(outcomes.get(0)));
        }

        @Test
        void aRouterOlderThanRfc1191ReportsMtuZero() {
            routerSays(4, 0, sendAndQuote(1));
            assertThat(outcomes).containsExactly(new PingOutcome.Unreachable(IP_GATEWAY, 4, "Frag needed and DF set (mtu = 0)", 0));
        }

        @Test
        void anErrorQuotingAnotherPingChangesNothing() {
            byte[] quote = sendAndQuote(1);
            quote[20 + Icmpv4Packet.SEQUENCE_NUMBER + 1] = 2;
            routerSays(4, 1400, quote);
            assertThat(outcomes).isEmpty();
        }
    }
}
