package dev.stacklab.stack;

import dev.stacklab.wire.Ipv4Address;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

import static dev.stacklab.stack.Frames.IP_B;
import static dev.stacklab.stack.Frames.IP_PEER;
import static dev.stacklab.stack.Frames.MAC_A;
import static dev.stacklab.stack.Frames.MAC_OTHER;
import static dev.stacklab.stack.Frames.MAC_PEER;
import static dev.stacklab.stack.Frames.MS;
import static dev.stacklab.stack.Frames.SECOND;
import static dev.stacklab.stack.Frames.arpReply;
import static dev.stacklab.stack.Frames.arpRequest;
import static dev.stacklab.stack.Frames.info;
import static org.assertj.core.api.Assertions.assertThat;

/** RFC 5227 section 2.1.1's probe, scripted at explicit virtual times. */
class AddressConflictDetectionTest {
    private final List<Long> sentAt = new ArrayList<>();
    private final List<byte[]> sent = new ArrayList<>();

    private AddressConflictDetection probing(ProbeTiming timing) {
        AddressConflictDetection detection = new AddressConflictDetection(MAC_A, IP_B, timing, new SplittableRandom(7));
        detection.start(0);
        return detection;
    }

    /** Polls whenever the probe asks to, up to {@code until}, recording what it sends. */
    private void runUntil(AddressConflictDetection detection, long until) {
        while (detection.pollAt() <= until) {
            long now = detection.pollAt();
            detection.poll(now, (frame, offset, length) -> {
                sentAt.add(now);
                sent.add(java.util.Arrays.copyOfRange(frame, offset, offset + length));
            });
        }
    }

    @Test
    void sendsThreeProbesWithRfc5227sRandomGapsThenDecidesFreeAfterAnnounceWait() {
        AddressConflictDetection detection = probing(ProbeTiming.RFC_5227);

        runUntil(detection, 60 * SECOND);

        assertThat(sent).hasSize(3);
        assertThat(sentAt.get(0)).isBetween(0L, SECOND);
        assertThat(sentAt.get(1) - sentAt.get(0)).isBetween(SECOND, 2 * SECOND);
        assertThat(sentAt.get(2) - sentAt.get(1)).isBetween(SECOND, 2 * SECOND);
        assertThat(detection.isFree()).isTrue();
        assertThat(detection.pollAt()).isEqualTo(Long.MAX_VALUE);
        // Decided exactly ANNOUNCE_WAIT after the last probe: the same seed gives the same times, and one
        // nanosecond earlier it was still listening.
        long decidedAt = sentAt.get(2) + 2 * SECOND;
        AddressConflictDetection again = probing(ProbeTiming.RFC_5227);
        runUntil(again, decidedAt - 1);
        assertThat(again.isDecided()).isFalse();
        runUntil(again, decidedAt);
        assertThat(again.isFree()).isTrue();
    }

    @Test
    void aProbeIsABroadcastRequestFromZeroZeroZeroZeroAsWiresharkNamesIt() {
        AddressConflictDetection detection = probing(ProbeTiming.QUICK);

        runUntil(detection, 0);

        assertThat(sent).hasSize(1);
        assertThat(info(sent.get(0))).isEqualTo("Who has 10.0.0.2? (ARP Probe)");
        assertThat(HexFormat.of().formatHex(sent.get(0))).isEqualTo(
                "ffffffffffff" + "02000000000a" + "0806"
                        + "0001" + "0800" + "06" + "04" + "0001"
                        + "02000000000a" + "00000000"
                        + "000000000000" + "0a000002");
    }

    @Test
    void aReplyFromTheAddressMeansItIsTakenAtOnce() {
        AddressConflictDetection detection = probing(ProbeTiming.RFC_5227);
        runUntil(detection, detection.pollAt());

        // Linux answers a probe to the prober's MAC, with target IP 0.0.0.0.
        byte[] reply = arpReply(MAC_PEER, IP_B, MAC_A, Ipv4Address.UNSPECIFIED);
        detection.receive(reply, reply.length, 1500 * MS);

        assertThat(detection.isDecided()).isTrue();
        assertThat(detection.conflict()).isEqualTo(new AddressConflictDetection.Conflict(MAC_PEER, AddressConflictDetection.Evidence.REPLY));
        runUntil(detection, 60 * SECOND);
        assertThat(sent).as("no more probes once decided").hasSize(1);
    }

    @Test
    void aRequestOrAnnouncementFromTheAddressMeansItIsTaken() {
        AddressConflictDetection detection = probing(ProbeTiming.RFC_5227);

        byte[] announcement = arpRequest(MAC_PEER, IP_B, IP_B);
        detection.receive(announcement, announcement.length, 10 * MS);

        assertThat(detection.conflict()).isEqualTo(new AddressConflictDetection.Conflict(MAC_PEER, AddressConflictDetection.Evidence.REQUEST));
    }

    @Test
    void anotherStationProbingForTheSameAddressTakesItFromBoth() {
        AddressConflictDetection detection = probing(ProbeTiming.RFC_5227);

        byte[] theirProbe = arpRequest(MAC_OTHER, Ipv4Address.UNSPECIFIED, IP_B);
        detection.receive(theirProbe, theirProbe.length, 10 * MS);

        assertThat(detection.conflict()).isEqualTo(new AddressConflictDetection.Conflict(MAC_OTHER, AddressConflictDetection.Evidence.PROBE));
    }

    @Test
    void ourOwnProbesSeenAgainAndOtherAddressesTrafficLeaveTheAddressFree() {
        AddressConflictDetection detection = probing(ProbeTiming.QUICK);
        runUntil(detection, 0);

        byte[] ownProbe = sent.get(0);
        detection.receive(ownProbe, ownProbe.length, 1 * MS);
        byte[] otherProbe = arpRequest(MAC_OTHER, Ipv4Address.UNSPECIFIED, IP_PEER);
        detection.receive(otherProbe, otherProbe.length, 2 * MS);
        byte[] askingForIt = arpRequest(MAC_PEER, IP_PEER, IP_B);
        detection.receive(askingForIt, askingForIt.length, 3 * MS);
        byte[] truncated = java.util.Arrays.copyOf(askingForIt, 20);
        detection.receive(truncated, truncated.length, 4 * MS);
        runUntil(detection, SECOND);

        assertThat(detection.isFree()).isTrue();
        assertThat(detection.probesSent()).isEqualTo(3);
    }

    @Test
    void quickTimingDecidesWithinItsLongestAndRfcTimingWithinSevenSeconds() {
        AddressConflictDetection detection = probing(ProbeTiming.QUICK);
        runUntil(detection, ProbeTiming.QUICK.longest().toNanos());
        assertThat(detection.isFree()).isTrue();
        assertThat(ProbeTiming.RFC_5227.longest()).hasSeconds(7);
    }
}
