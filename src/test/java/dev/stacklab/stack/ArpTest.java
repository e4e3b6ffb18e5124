package dev.stacklab.stack;

import dev.stacklab.wire.ArpPacket;
import dev.stacklab.wire.EthernetFrame;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.MacAddress;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.stacklab.stack.Frames.IP_A;
import static dev.stacklab.stack.Frames.IP_B;
import static dev.stacklab.stack.Frames.IP_PEER;
import static dev.stacklab.stack.Frames.MAC_A;
import static dev.stacklab.stack.Frames.MAC_OTHER;
import static dev.stacklab.stack.Frames.MAC_PEER;
import static dev.stacklab.stack.Frames.MS;
import static dev.stacklab.stack.Frames.SECOND;
import static dev.stacklab.stack.Frames.arpReply;
import static dev.stacklab.stack.Frames.arpRequest;
import static dev.stacklab.stack.Frames.ethernetDestination;
import static dev.stacklab.stack.Frames.info;
import static org.assertj.core.api.Assertions.assertThat;

/** ARP and the neighbor cache (RFC 826, RFC 1122 2.3.2), scripted frame by frame at explicit virtual times. */
class ArpTest {
    private final Recorder.Host host = new Recorder.Host(Frames.configA());

    private PingRequest ping(Ipv4Address target, int seq) {
        return new PingRequest(target, 0x77, seq, 56, 64, 10 * SECOND);
    }

    @Nested
    class Answering {
        @Test
        void repliesToARequestForOurAddressAndLearnsTheAsker() {
            List<byte[]> sent = host.answer(arpRequest(MAC_PEER, IP_PEER, IP_A), 0);

            assertThat(sent).hasSize(1);
            assertThat(info(sent.get(0))).isEqualTo("10.0.0.1 is at 02:00:00:00:00:0a");
            assertThat(ethernetDestination(sent.get(0))).isEqualTo(MAC_PEER);
            assertThat(host.stack.neighbors()).containsExactly(
                    new NeighborEntry(IP_PEER, MAC_PEER, NeighborState.REACHABLE, 0, 60 * SECOND));
            assertThat(host.counter("arp replies sent")).isEqualTo(1);
        }

        @Test
        void ignoresARequestForAnotherHostAndLearnsNothing() {
            List<byte[]> sent = host.answer(arpRequest(MAC_PEER, IP_PEER, IP_B), 0);

            assertThat(sent).isEmpty();
            assertThat(host.stack.neighbors()).isEmpty();
            assertThat(host.recorder.drops(DropReason.NOT_FOR_US)).hasSize(1);
        }

        @Test
        void announcesItselfGratuitouslyAtStart() {
            host.stack.start(0);
            List<byte[]> sent = host.poll(0);

            assertThat(sent).hasSize(1);
            assertThat(info(sent.get(0))).isEqualTo("ARP Announcement for 10.0.0.1");
            assertThat(ethernetDestination(sent.get(0))).isEqualTo(MacAddress.BROADCAST);
        }

        @Test
        void answersAnAddressProbeFromSenderZero() {
            // RFC 5227 2.1.1: a host probing for our address; the reply tells it the address is taken.
            List<byte[]> sent = host.answer(arpRequest(MAC_PEER, Ipv4Address.UNSPECIFIED, IP_A), 0);

            assertThat(sent).extracting(Frames::info).containsExactly("10.0.0.1 is at 02:00:00:00:00:0a");
            assertThat(host.stack.neighbors()).isEmpty();
        }
    }

    @Nested
    class Resolving {
        @Test
        void threeRequestsOneSecondApartThenHostUnreachable() {
            List<PingOutcome> outcomes = new ArrayList<>();
            host.stack.ping(ping(IP_PEER, 1), 0, (request, outcome) -> outcomes.add(outcome));

            List<Long> requestTimes = new ArrayList<>();
            for (long t = 0; t <= 5 * SECOND; t += 100 * MS) {
                for (byte[] frame : host.poll(t)) {
                    assertThat(info(frame)).isEqualTo("Who has 10.0.0.3? Tell 10.0.0.1");
                    assertThat(ethernetDestination(frame)).isEqualTo(MacAddress.BROADCAST);
                    requestTimes.add(t);
                }
                if (t < 3 * SECOND) {
                    assertThat(outcomes).as("at %d ms", t / MS).isEmpty();
                }
            }

            assertThat(requestTimes).containsExactly(0L, SECOND, 2 * SECOND);
            assertThat(outcomes).containsExactly(new PingOutcome.HostUnreachable(IP_PEER));
            assertThat(host.recorder.drops(DropReason.NEIGHBOR_UNREACHABLE)).hasSize(1);
            assertThat(host.stack.neighbors()).extracting(NeighborEntry::state).containsExactly(NeighborState.FAILED);
            assertThat(host.stack.pollAt()).isEqualTo(Long.MAX_VALUE);
        }

        @Test
        void pollAtNamesEachRetry() {
            host.stack.ping(ping(IP_PEER, 1), 0, (request, outcome) -> { });
            assertThat(host.stack.pollAt()).isLessThanOrEqualTo(0);
            host.poll(0);
            assertThat(host.stack.pollAt()).isEqualTo(SECOND);
            host.poll(SECOND);
            assertThat(host.stack.pollAt()).isEqualTo(2 * SECOND);
        }

        @Test
        void theFirstPingWaitsForArpAndIsNotLost() {
            List<PingOutcome> outcomes = new ArrayList<>();
            host.stack.ping(ping(IP_PEER, 1), 0, (request, outcome) -> outcomes.add(outcome));
            assertThat(host.poll(0)).extracting(Frames::info).containsExactly("Who has 10.0.0.3? Tell 10.0.0.1");

            List<byte[]> sent = host.answer(arpReply(MAC_PEER, IP_PEER, MAC_A, IP_A), 3 * MS);

            assertThat(sent).hasSize(1);
            assertThat(info(sent.get(0))).startsWith("Echo (ping) request  id=0x0077, seq=1/256, ttl=64");
            assertThat(ethernetDestination(sent.get(0))).isEqualTo(MAC_PEER);
            assertThat(host.recorder.of(StackEvent.NeighborChanged.class)).last().satisfies(change -> {
                assertThat(change.previousState()).isEqualTo(NeighborState.INCOMPLETE);
                assertThat(change.state()).isEqualTo(NeighborState.REACHABLE);
                assertThat(change.mac()).isEqualTo(MAC_PEER);
            });
        }

        @Test
        void aSecondDatagramWhileResolvingSendsNoExtraRequest() {
            host.stack.ping(ping(IP_PEER, 1), 0, (request, outcome) -> { });
            host.stack.ping(ping(IP_PEER, 2), 200 * MS, (request, outcome) -> { });

            assertThat(host.poll(200 * MS)).hasSize(1);
            List<byte[]> sent = host.answer(arpReply(MAC_PEER, IP_PEER, MAC_A, IP_A), 300 * MS);
            assertThat(sent).extracting(f -> Frames.icmpOf(f).sequenceNumber()).containsExactly(1, 2);
        }

        @Test
        void resolveAnswersFromTheCacheOrByArp() {
            List<MacAddress> answers = new ArrayList<>();
            host.stack.resolve(IP_PEER, 0, (address, mac) -> answers.add(mac));
            assertThat(host.poll(0)).extracting(Frames::info).containsExactly("Who has 10.0.0.3? Tell 10.0.0.1");
            assertThat(answers).isEmpty();

            host.answer(arpReply(MAC_PEER, IP_PEER, MAC_A, IP_A), 5 * MS);
            host.stack.resolve(IP_PEER, 6 * MS, (address, mac) -> answers.add(mac));

            assertThat(answers).containsExactly(MAC_PEER, MAC_PEER);
            assertThat(host.poll(6 * MS)).isEmpty();
        }

        @Test
        void resolveOfANonAnsweringAddressHearsNull() {
            List<MacAddress> answers = new ArrayList<>();
            host.stack.resolve(IP_PEER, 0, (address, mac) -> answers.add(mac == null ? MacAddress.ZERO : mac));
            for (long t = 0; t <= 3 * SECOND; t += 500 * MS) {
                host.poll(t);
            }
            assertThat(answers).containsExactly(MacAddress.ZERO);
        }
    }

    @Nested
    class Merging {
        @Test
        void anUnsolicitedReplyCreatesNoEntry() {
            List<byte[]> sent = host.answer(arpReply(MAC_PEER, IP_PEER, MAC_A, IP_A), 0);

            assertThat(sent).isEmpty();
            assertThat(host.stack.neighbors()).isEmpty();
            assertThat(host.recorder.drops(DropReason.NOT_FOR_US)).singleElement()
                    .satisfies(drop -> assertThat(drop.detail()).contains("unsolicited"));
        }

        @Test
        void anyArpNamingAKnownSenderUpdatesItAndAMacChangeIsAnnounced() {
            host.answer(arpRequest(MAC_PEER, IP_PEER, IP_A), 0);
            // A gratuitous ARP from the same IP with a new MAC, not even addressed to us (RFC 826 merge flag).
            host.answer(arpRequest(MAC_OTHER, IP_PEER, IP_PEER), 5 * SECOND);

            assertThat(host.stack.neighbors()).containsExactly(
                    new NeighborEntry(IP_PEER, MAC_OTHER, NeighborState.REACHABLE, 5 * SECOND, 65 * SECOND));
            StackEvent.NeighborChanged change = host.recorder.of(StackEvent.NeighborChanged.class).get(1);
            assertThat(change.previousMac()).isEqualTo(MAC_PEER);
            assertThat(change.mac()).isEqualTo(MAC_OTHER);
            assertThat(change.timeNanos()).isEqualTo(5 * SECOND);
        }

        @Test
        void anotherHostClaimingOurAddressIsAConflict() {
            List<byte[]> sent = host.answer(arpRequest(MAC_OTHER, IP_A, IP_A), 7 * MS);

            assertThat(sent).isEmpty();
            assertThat(host.recorder.of(StackEvent.AddressConflict.class))
                    .containsExactly(new StackEvent.AddressConflict(7 * MS, IP_A, MAC_OTHER));
            assertThat(host.stack.neighbors()).isEmpty();
            assertThat(host.counter("address conflicts")).isEqualTo(1);
        }

        @Test
        void malformedAndForeignArpIsDropped() {
            byte[] truncated = java.util.Arrays.copyOf(arpRequest(MAC_PEER, IP_PEER, IP_A), EthernetFrame.HEADER_LENGTH + 20);
            host.answer(truncated, 0);
            byte[] otherHardware = arpRequest(MAC_PEER, IP_PEER, IP_A);
            otherHardware[EthernetFrame.HEADER_LENGTH + ArpPacket.HARDWARE_TYPE + 1] = 6;
            host.answer(otherHardware, 0);

            assertThat(host.counter("dropped: malformed")).isEqualTo(1);
            assertThat(host.counter("dropped: unsupported protocol")).isEqualTo(1);
            assertThat(host.poll(0)).isEmpty();
        }
    }

    @Nested
    class Expiry {
        private void learnPeer() {
            host.answer(arpRequest(MAC_PEER, IP_PEER, IP_A), 0);
        }

        @Test
        void reachableTurnsStaleAfterSixtySeconds() {
            learnPeer();
            assertThat(host.stack.pollAt()).isEqualTo(60 * SECOND);
            host.poll(60 * SECOND - 1);
            assertThat(host.stack.neighbors()).extracting(NeighborEntry::state).containsExactly(NeighborState.REACHABLE);
            host.poll(60 * SECOND);
            assertThat(host.stack.neighbors()).extracting(NeighborEntry::state).containsExactly(NeighborState.STALE);
            assertThat(host.recorder.of(StackEvent.NeighborChanged.class)).last()
                    .satisfies(change -> assertThat(change.state()).isEqualTo(NeighborState.STALE));
        }

        @Test
        void usingAStaleEntrySendsAtOnceAndProbesTheCachedMac() {
            learnPeer();
            host.poll(61 * SECOND);
            host.stack.ping(ping(IP_PEER, 1), 70 * SECOND, (request, outcome) -> { });
            List<byte[]> sent = host.poll(70 * SECOND);

            assertThat(sent).extracting(Frames::protocol).containsExactly("ICMP", "ARP");
            assertThat(ethernetDestination(sent.get(0))).isEqualTo(MAC_PEER);
            // RFC 1122 2.3.2.1's unicast poll: the request goes to the MAC we believe in.
            assertThat(info(sent.get(1))).isEqualTo("Who has 10.0.0.3? Tell 10.0.0.1");
            assertThat(ethernetDestination(sent.get(1))).isEqualTo(MAC_PEER);

            host.answer(arpReply(MAC_PEER, IP_PEER, MAC_A, IP_A), 70 * SECOND + MS);
            assertThat(host.stack.neighbors()).extracting(NeighborEntry::state).containsExactly(NeighborState.REACHABLE);
        }

        @Test
        void aStaleEntryWhoseProbesGoUnansweredFails() {
            learnPeer();
            host.poll(61 * SECOND);
            host.stack.ping(ping(IP_PEER, 1), 70 * SECOND, (request, outcome) -> { });
            int probes = 0;
            for (long t = 70 * SECOND; t <= 74 * SECOND; t += 250 * MS) {
                for (byte[] frame : host.poll(t)) {
                    if (Frames.protocol(frame).equals("ARP")) {
                        probes++;
                    }
                }
            }
            assertThat(probes).isEqualTo(3);
            assertThat(host.stack.neighbors()).extracting(NeighborEntry::state).containsExactly(NeighborState.FAILED);

            // The next use starts over with broadcast requests.
            host.stack.ping(ping(IP_PEER, 2), 80 * SECOND, (request, outcome) -> { });
            List<byte[]> sent = host.poll(80 * SECOND);
            assertThat(sent).hasSize(1);
            assertThat(ethernetDestination(sent.get(0))).isEqualTo(MacAddress.BROADCAST);
        }
    }

    @Nested
    class Commands {
        @Test
        void flushForgetsEveryEntryAndSaysSo() {
            host.answer(arpRequest(MAC_PEER, IP_PEER, IP_A), 0);
            host.answer(arpRequest(MAC_OTHER, IP_B, IP_A), MS);

            assertThat(host.stack.flushNeighbors(2 * MS)).isEqualTo(2);

            assertThat(host.stack.neighbors()).isEmpty();
            assertThat(host.recorder.of(StackEvent.NeighborRemoved.class)).containsExactly(
                    new StackEvent.NeighborRemoved(2 * MS, IP_PEER, MAC_PEER, NeighborState.REACHABLE),
                    new StackEvent.NeighborRemoved(2 * MS, IP_B, MAC_OTHER, NeighborState.REACHABLE));
            // The next datagram asks again, by broadcast.
            host.stack.ping(ping(IP_PEER, 1), 3 * MS, (request, outcome) -> { });
            assertThat(host.poll(3 * MS)).extracting(Frames::info).containsExactly("Who has 10.0.0.3? Tell 10.0.0.1");
        }

        @Test
        void flushKeepsAnEntryADatagramWaitsOn() {
            List<PingOutcome> outcomes = new ArrayList<>();
            host.stack.ping(ping(IP_PEER, 1), 0, (request, outcome) -> outcomes.add(outcome));
            host.poll(0);

            assertThat(host.stack.flushNeighbors(MS)).isZero();
            host.answer(arpReply(MAC_PEER, IP_PEER, MAC_A, IP_A), 2 * MS);

            assertThat(host.stack.neighbors()).extracting(NeighborEntry::state).containsExactly(NeighborState.REACHABLE);
            assertThat(host.recorder.of(StackEvent.NeighborRemoved.class)).isEmpty();
        }

        @Test
        void announceBroadcastsOurAddressWhenAsked() {
            host.stack.announce(4 * SECOND);
            List<byte[]> sent = host.poll(4 * SECOND);

            assertThat(sent).extracting(Frames::info).containsExactly("ARP Announcement for 10.0.0.1");
            assertThat(ethernetDestination(sent.get(0))).isEqualTo(MacAddress.BROADCAST);
            assertThat(host.counter("arp requests sent")).isEqualTo(1);
        }

        @Test
        void anEntrysAgeCountsFromItsLastConfirmation() {
            host.answer(arpRequest(MAC_PEER, IP_PEER, IP_A), SECOND);
            host.answer(arpRequest(MAC_PEER, IP_PEER, IP_A), 9 * SECOND);

            assertThat(host.stack.neighbors()).singleElement().satisfies(entry -> {
                assertThat(entry.updatedAtNanos()).isEqualTo(9 * SECOND);
                assertThat(entry.expiresAtNanos()).isEqualTo(69 * SECOND);
            });
            host.poll(69 * SECOND);
            assertThat(host.stack.neighbors()).singleElement().satisfies(entry -> {
                assertThat(entry.state()).isEqualTo(NeighborState.STALE);
                assertThat(entry.updatedAtNanos()).isEqualTo(69 * SECOND);
                assertThat(entry.expiresAtNanos()).isEqualTo(Long.MAX_VALUE);
            });
        }
    }
}
