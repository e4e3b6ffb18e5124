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
 * chooses it: what leaves with DF, what is refused locally, what is fragmented here, the next-hop
 * MTU a router reports back, and the path MTU the stack learns from it.
 */
class DontFragmentTest {
    /** The largest ICMP payload whose datagram fits a 1500-byte MTU: 1500 - 20 (IPv4) - 8 (ICMP). */
    private static final int LARGEST_FITTING_PAYLOAD = 1472;

    /** One host that knows the peer's MAC, for scripting what the peer or a router sends it. */
    private final Recorder.Host host = new Recorder.Host(Frames.configA());
    private final List<PingOutcome> outcomes = new ArrayList<>();

    @BeforeEach
    void peerIsKnown() {
        host.answer(arpRequest(MAC_PEER, IP_PEER, IP_A), 0);
    }

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
        /** Sends our DF ping and returns what a router quotes of it: the IPv4 header and 8 bytes (RFC 792). */
        private byte[] sendAndQuote(int sequence) {
            return sendAndQuote(sequence, LARGEST_FITTING_PAYLOAD);
        }

        private byte[] sendAndQuote(int sequence, int payloadSize) {
            host.stack.ping(new PingRequest(IP_PEER, 0x0df0, sequence, payloadSize, 64, SECOND, PathMtuDiscovery.DO),
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
        void anErrorQuotingAnotherPingCompletesNoPing() {
            byte[] quote = sendAndQuote(1);
            quote[20 + Icmpv4Packet.SEQUENCE_NUMBER + 1] = 2;
            routerSays(4, 1400, quote);
            assertThat(outcomes).isEmpty();
        }

        /** Our next request of {@code payloadSize} to the peer, and the frames it went out in. */
        private List<byte[]> pingAgain(int sequence, int payloadSize, PathMtuDiscovery choice, long now) {
            host.stack.ping(new PingRequest(IP_PEER, 0x0df0, sequence, payloadSize, 64, SECOND, choice), now, (r, o) -> outcomes.add(o));
            return host.poll(now);
        }

        @Test
        void theLearnedPathMtuMakesWantFragmentToItAndDoRefuseWithIt() {
            routerSays(4, 1400, sendAndQuote(1));
            outcomes.clear();

            List<byte[]> fragments = pingAgain(2, LARGEST_FITTING_PAYLOAD, PathMtuDiscovery.WANT, 3 * MS);
            // (1400 - 20) rounded down to a multiple of 8 = 1376 data bytes, then the remaining 104.
            assertThat(fragments).extracting(f -> ipv4(f).payloadLength()).containsExactly(1376, 104);
            assertThat(fragments).extracting(f -> ipv4(f).dontFragment()).containsOnly(false);

            assertThat(pingAgain(3, LARGEST_FITTING_PAYLOAD, PathMtuDiscovery.DO, 4 * MS)).isEmpty();
            assertThat(outcomes).containsExactly(new PingOutcome.MessageTooLong(1400));

            List<byte[]> fitting = pingAgain(4, 1400 - 28, PathMtuDiscovery.DO, 5 * MS);
            assertThat(fitting).singleElement().satisfies(f -> {
                assertThat(ipv4(f).totalLength()).isEqualTo(1400);
                assertThat(ipv4(f).dontFragment()).isTrue();
            });
            assertThat(host.recorder.of(StackEvent.PathMtuChanged.class))
                    .containsExactly(new StackEvent.PathMtuChanged(2 * MS, IP_PEER, 1500, 1400));
            assertThat(host.stack.ipv4.pathMtus.mtuFor(Frames.IP_B.bits())).as("another destination").isEqualTo(1500);
        }

        @Test
        void theEstimateNeverRisesFromAnErrorAndExpiresAfterTenMinutes() {
            routerSays(4, 1400, sendAndQuote(1));
            routerSays(4, 1450, sendAndQuote(2, 1400 - 28));
            assertThat(host.stack.ipv4.pathMtus.mtuFor(IP_PEER.bits())).isEqualTo(1400);

            long expiry = 2 * MS + PathMtuCache.ESTIMATE_LIFETIME_NANOS;
            assertThat(host.stack.pollAt()).isLessThanOrEqualTo(expiry);
            host.poll(expiry - 1);
            assertThat(host.stack.ipv4.pathMtus.mtuFor(IP_PEER.bits())).isEqualTo(1400);
            host.poll(expiry);
            assertThat(host.stack.ipv4.pathMtus.mtuFor(IP_PEER.bits())).isEqualTo(1500);
            assertThat(host.recorder.of(StackEvent.PathMtuChanged.class)).last()
                    .isEqualTo(new StackEvent.PathMtuChanged(expiry, IP_PEER, 1400, 1500));
        }

        @Test
        void aRouterReportingNoMtuGetsRfc1191sPlateauBelowTheDatagramAndNothingGoesBelow68() {
            routerSays(4, 0, sendAndQuote(1));
            assertThat(host.stack.ipv4.pathMtus.mtuFor(IP_PEER.bits())).as("the plateau below 1500").isEqualTo(1492);
            routerSays(4, 20, sendAndQuote(2, 1492 - 28));
            assertThat(host.stack.ipv4.pathMtus.mtuFor(IP_PEER.bits())).isEqualTo(PathMtuCache.MIN_MTU);
        }

        @Test
        void aFullCacheForgetsTheEstimateClosestToExpiry() {
            PathMtuCache cache = host.stack.ipv4.pathMtus;
            int first = Ipv4Address.parse("198.51.100.0").bits();
            for (int i = 0; i <= PathMtuCache.MAX_DESTINATIONS; i++) {
                cache.fragmentationNeeded(first + i, 1400, 1500, i * MS);
            }
            assertThat(cache.mtuFor(first)).as("the oldest, forgotten").isEqualTo(1500);
            assertThat(cache.mtuFor(first + 1)).isEqualTo(1400);
            assertThat(cache.mtuFor(first + PathMtuCache.MAX_DESTINATIONS)).isEqualTo(1400);
        }

        @Test
        void otherUnreachableCodesLeaveThePathMtuAlone() {
            routerSays(1, 0, sendAndQuote(1));
            assertThat(host.stack.ipv4.pathMtus.mtuFor(IP_PEER.bits())).isEqualTo(1500);
            assertThat(host.recorder.of(StackEvent.PathMtuChanged.class)).isEmpty();
        }
    }
}
