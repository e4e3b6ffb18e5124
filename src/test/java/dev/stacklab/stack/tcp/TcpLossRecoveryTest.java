package dev.stacklab.stack.tcp;

import dev.stacklab.wire.TcpOption;
import dev.stacklab.wire.TcpRepr;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static dev.stacklab.stack.tcp.TcpHarness.LOCAL_ISS;
import static dev.stacklab.stack.tcp.TcpHarness.LOCAL_PORT;
import static dev.stacklab.stack.tcp.TcpHarness.REMOTE_ISS;
import static dev.stacklab.stack.tcp.TcpHarness.bytes;
import static dev.stacklab.stack.tcp.TcpHarness.fromPeer;
import static dev.stacklab.stack.tcp.TcpHarness.fromUs;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Loss recovery, scripted at explicit virtual times: RFC 6675's SACK-based recovery (the scoreboard, pipe, NextSeg()
 * and its rescue retransmission) when SACK is negotiated, and RFC 3042's limited transmit with and without it. Our
 * side sends 1000-byte segments (the peer's MSS) into a 65535-byte window; the initial window is ten segments.
 */
class TcpLossRecoveryTest {
    static final long US = LOCAL_ISS;
    static final long PEER = REMOTE_ISS;
    static final int WINDOW = 65535;

    static TcpHarness sack() {
        return new TcpHarness(TcpConfig.defaults().withOptions(false, false, true).withBuffers(WINDOW, WINDOW).withNagle(false));
    }

    static TcpConnection establishWithSack(TcpHarness tcp) {
        tcp.listener = tcp.engine.listen(LOCAL_PORT, 8);
        tcp.send(fromPeer().syn().seq(PEER).mss(1000).nops(2).option(new TcpOption.SackPermitted()).window(WINDOW));
        tcp.recv();
        tcp.send(fromPeer().seq(PEER + 1).ack(US + 1).window(WINDOW));
        return tcp.listener.accept();
    }

    /** The peer acknowledges {@code ack} and SACKs the given edges (pairs, newest block first). */
    static TcpHarness.Segment ackSack(long ack, long... edges) {
        TcpHarness.Segment segment = fromPeer().seq(PEER + 1).ack(ack).window(WINDOW);
        return edges.length == 0 ? segment : segment.sack(edges);
    }

    static TcpHarness.Segment data(byte[] data, long seq) {
        int from = (int) (seq - US - 1);
        return fromUs().seq(seq).ack(PEER + 1).window(WINDOW).payload(Arrays.copyOfRange(data, from, from + 1000));
    }

    @Nested
    class SackBasedRecovery {
        /**
         * Segments 1 and 3 of ten are lost. The first two duplicate ACKs each let one new segment out (RFC 6675 step 3,
         * limited transmit governed by pipe); the third starts recovery: cwnd = ssthresh = FlightSize / 2 and the first
         * segment again. Segment 3 is resent only once IsLost() holds for it and pipe leaves room (rule 1), new data
         * follows (rule 2), and the cumulative ACK beyond RecoveryPoint ends recovery without growing cwnd.
         */
        @Test
        void theThirdDuplicateStartsRecoveryAndPipeDecidesWhatFollows() {
            TcpHarness tcp = sack();
            TcpConnection connection = establishWithSack(tcp);
            byte[] data = bytes(20_000, 11);
            connection.send(data, 0, data.length);
            assertThat(tcp.drain()).hasSize(10); // US+1 .. US+10001
            tcp.at(10).send(ackSack(US + 1, US + 1001, US + 2001));
            tcp.expect(data(data, US + 10_001));
            tcp.expectNothing();
            tcp.send(ackSack(US + 1, US + 3001, US + 4001, US + 1001, US + 2001));
            tcp.expect(data(data, US + 11_001));
            tcp.expectNothing();
            tcp.send(ackSack(US + 1, US + 3001, US + 5001, US + 1001, US + 2001));
            // (4.2) FlightSize 10,000 (RFC 5681 3.2: without the two limited-transmit segments): ssthresh = cwnd =
            // 5,000, no inflation; (4.3) the first segment at once.
            tcp.expect(data(data, US + 1));
            assertThat(connection.snapshot().slowStartThreshold()).isEqualTo(5_000);
            assertThat(connection.snapshot().congestionWindow()).isEqualTo(5_000);
            // pipe: 8,000 not SACKed above the lost octets (IsLost holds below US+1001 only) + 1,000 resent.
            tcp.expectNothing();
            tcp.send(ackSack(US + 1, US + 3001, US + 6001, US + 1001, US + 2001));
            tcp.expectNothing(); // US+2001 is lost now (3,000 SACKed bytes above it), but pipe is 7,000
            tcp.send(ackSack(US + 1, US + 3001, US + 7001, US + 1001, US + 2001));
            tcp.send(ackSack(US + 1, US + 3001, US + 8001, US + 1001, US + 2001));
            tcp.expectNothing(); // pipe 6,000, then 5,000
            tcp.send(ackSack(US + 1, US + 3001, US + 9001, US + 1001, US + 2001));
            tcp.expect(data(data, US + 2001)); // pipe 4,000: rule (1), the lost segment above HighRxt
            tcp.expectNothing();
            tcp.send(ackSack(US + 1, US + 3001, US + 10_001, US + 1001, US + 2001));
            tcp.expect(data(data, US + 12_001)); // nothing lost is left unsent: rule (2), new data
            tcp.expectNothing();
            // The resent first segment arrives: a partial ACK, recovery goes on.
            tcp.at(20).send(ackSack(US + 2001, US + 3001, US + 10_001));
            tcp.expect(data(data, US + 13_001));
            tcp.expectNothing();
            tcp.send(ackSack(US + 10_001));
            tcp.expect(data(data, US + 14_001));
            tcp.expectNothing();
            // Beyond RecoveryPoint (US+12001): recovery ends; cwnd stays at ssthresh.
            tcp.send(ackSack(US + 12_001));
            assertThat(connection.snapshot().congestionWindow()).isEqualTo(5_000);
            assertThat(connection.snapshot().retransmissions()).isEqualTo(2);
            // Out of recovery: the usual window again, 5,000 less the 3,000 outstanding.
            assertThat(tcp.drain()).extracting(segment -> segment.sequenceNumber().value())
                    .containsExactly(US + 15_001, US + 16_001);
        }

        /** RFC 6675 step (2): three segments SACKed above the first make it lost at the first duplicate ACK. */
        @Test
        void threeSegmentsSackedAboveTheFirstStartRecoveryAtOnce() {
            TcpHarness tcp = sack();
            TcpConnection connection = establishWithSack(tcp);
            byte[] data = bytes(10_000, 12);
            connection.send(data, 0, data.length);
            assertThat(tcp.drain()).hasSize(10);
            tcp.at(10).send(ackSack(US + 1, US + 1001, US + 4001));
            tcp.expect(data(data, US + 1));
            assertThat(connection.snapshot().slowStartThreshold()).isEqualTo(5_000);
            assertThat(connection.snapshot().congestionWindow()).isEqualTo(5_000);
        }

        /**
         * The first and the last segment are lost. Recovery resends the first; its ACK leaves the last outstanding with
         * nothing SACKed above it, so neither rule (1) nor (3) applies: rule (4) resends it at once, once per recovery,
         * instead of waiting for the retransmission timeout.
         */
        @Test
        void aRescueRetransmissionResendsTheLostTail() {
            TcpHarness tcp = sack();
            TcpConnection connection = establishWithSack(tcp);
            byte[] data = bytes(5_000, 13);
            connection.send(data, 0, data.length);
            assertThat(tcp.drain()).hasSize(5);
            tcp.at(10).send(ackSack(US + 1, US + 1001, US + 2001));
            tcp.send(ackSack(US + 1, US + 1001, US + 3001));
            tcp.expectNothing(); // no new data for limited transmit
            tcp.send(ackSack(US + 1, US + 1001, US + 4001));
            tcp.expect(data(data, US + 1));
            tcp.expectNothing(); // cwnd 2,500, pipe 2,000
            tcp.at(20).send(ackSack(US + 4001));
            tcp.expect(data(data, US + 4001).psh()); // the last of the data: PSH
            tcp.expectNothing();
            assertThat(connection.snapshot().retransmissions()).isEqualTo(2);
            tcp.send(ackSack(US + 5001));
            assertThat(connection.snapshot().bytesInFlight()).isZero();
        }

        /** RFC 6675 5.1: after a timeout, duplicate ACKs start no recovery until what was sent before it is acknowledged. */
        @Test
        void afterATimeoutDuplicatesWaitForTheDataSentBeforeIt() {
            TcpHarness tcp = sack();
            TcpConnection connection = establishWithSack(tcp);
            byte[] data = bytes(5_000, 14);
            connection.send(data, 0, data.length);
            assertThat(tcp.drain()).hasSize(5);
            tcp.at(1000).expect(data(data, US + 1)); // the timeout (1 s initial RTO): cwnd one segment
            tcp.expectNothing();
            tcp.send(ackSack(US + 1, US + 1001, US + 2001));
            tcp.send(ackSack(US + 1, US + 1001, US + 3001));
            tcp.send(ackSack(US + 1, US + 1001, US + 4001));
            tcp.expectNothing();
            assertThat(connection.snapshot().retransmissions()).isEqualTo(1);
        }
    }

    @Nested
    class LimitedTransmit {
        /** RFC 3042 without SACK: each of the first two duplicate ACKs sends one new segment beyond cwnd; the third resends. */
        @Test
        void theFirstTwoDuplicatesEachSendANewSegment() {
            TcpHarness tcp = new TcpHarness(TcpHarness.plainConfig().withBuffers(WINDOW, WINDOW).withNagle(false));
            TcpConnection connection = TcpBehaviourTest.establishedWithRtt(tcp, 0, 1000, WINDOW);
            byte[] data = bytes(14_000, 15);
            connection.send(data, 0, data.length);
            List<TcpRepr> flight = tcp.drain();
            assertThat(flight).hasSize(10);
            tcp.at(10).send(ackSack(US + 1));
            tcp.expect(data(data, US + 10_001));
            tcp.expectNothing();
            tcp.send(ackSack(US + 1));
            tcp.expect(data(data, US + 11_001));
            tcp.expectNothing();
            tcp.send(ackSack(US + 1));
            tcp.expect(data(data, US + 1));
            assertThat(connection.snapshot().congestionWindow()).isEqualTo(5_000 + 3 * 1000); // RFC 6582 3.2 step 1, unchanged
            assertThat(connection.snapshot().slowStartThreshold()).isEqualTo(5_000);
        }
    }
    @Nested
    class RttSamples {
        /**
         * An ACK that echoes the timestamp of the segment first sent, arriving after the retransmission timeout resent
         * it, says nothing of the round trip (the wait for the timeout is in it): no sample. The next echo of a segment
         * sent after the timeout is one.
         */
        @Test
        void anEchoFromBeforeTheTimeoutGivesNoSample() {
            TcpHarness tcp = new TcpHarness(TcpConfig.defaults().withOptions(false, true, false).withBuffers(4096, 4096));
            tcp.listener = tcp.engine.listen(LOCAL_PORT, 8);
            tcp.at(1000).send(fromPeer().syn().seq(PEER).mss(1460).timestamps(500, 0).window(4096));
            tcp.recv();
            tcp.at(1040).send(fromPeer().seq(PEER + 1).ack(US + 1).window(4096).timestamps(540, 1000));
            TcpConnection connection = tcp.listener.accept();
            assertThat(connection.snapshot().smoothedRttNanos()).isEqualTo(40 * TcpHarness.MS);
            TcpStatesTest.write(connection, "hi");
            tcp.expect(fromUs().seq(US + 1).ack(PEER + 1).window(4096).timestamps(1040, 540).psh().payload("hi"));
            // SRTT 40 ms, RTTVAR 20 ms: RTO max(40 + 80, 200 ms minimum) = 200 ms.
            tcp.at(1240).expect(fromUs().seq(US + 1).ack(PEER + 1).window(4096).timestamps(1240, 540).psh().payload("hi"));
            tcp.at(1300).send(fromPeer().seq(PEER + 1).ack(US + 3).window(4096).timestamps(600, 1040));
            assertThat(connection.snapshot().smoothedRttNanos()).as("260 ms taken as a sample would make 67.5 ms")
                    .isEqualTo(40 * TcpHarness.MS);
            TcpStatesTest.write(connection, "yo");
            tcp.expect(fromUs().seq(US + 3).ack(PEER + 1).window(4096).timestamps(1300, 600).psh().payload("yo"));
            tcp.at(1350).send(fromPeer().seq(PEER + 1).ack(US + 5).window(4096).timestamps(650, 1300));
            assertThat(connection.snapshot().smoothedRttNanos()).isEqualTo((7 * 40 + 50) * TcpHarness.MS / 8);
        }
    }
}
