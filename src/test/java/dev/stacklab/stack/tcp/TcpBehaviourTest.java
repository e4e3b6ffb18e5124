package dev.stacklab.stack.tcp;

import dev.stacklab.wire.TcpOption;
import dev.stacklab.wire.TcpRepr;
import dev.stacklab.wire.TcpSeqNumber;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.stacklab.stack.tcp.TcpHarness.LOCAL_ISS;
import static dev.stacklab.stack.tcp.TcpHarness.LOCAL_PORT;
import static dev.stacklab.stack.tcp.TcpHarness.MS;
import static dev.stacklab.stack.tcp.TcpHarness.REMOTE_ISS;
import static dev.stacklab.stack.tcp.TcpHarness.bytes;
import static dev.stacklab.stack.tcp.TcpHarness.fromPeer;
import static dev.stacklab.stack.tcp.TcpHarness.fromPeerPort;
import static dev.stacklab.stack.tcp.TcpHarness.fromUs;
import static dev.stacklab.stack.tcp.TcpHarness.toPeerPort;
import static dev.stacklab.stack.tcp.TcpStatesTest.read;
import static dev.stacklab.stack.tcp.TcpStatesTest.write;
import static org.assertj.core.api.Assertions.assertThat;

/** Timers, windows, congestion control and options, scripted at virtual times like {@link TcpStatesTest}. */
class TcpBehaviourTest {
    static final long US = LOCAL_ISS;
    static final long PEER = REMOTE_ISS;

    /** A passive handshake whose final ACK arrives {@code rttMillis} after the SYN,ACK (one RTT sample). */
    static TcpConnection establishedWithRtt(TcpHarness tcp, long rttMillis, int peerMss, int peerWindow) {
        tcp.listener = tcp.engine.listen(LOCAL_PORT, 8);
        tcp.send(fromPeer().syn().seq(PEER).mss(peerMss).window(peerWindow));
        tcp.recv();
        tcp.at(tcp.now / MS + rttMillis).send(fromPeer().seq(PEER + 1).ack(US + 1).window(peerWindow));
        return tcp.listener.accept();
    }

    @Nested
    class Retransmission {
        @Test
        void theTimeoutDoublesOnEachExpiry() {
            TcpHarness tcp = new TcpHarness();
            TcpConnection connection = tcp.established();
            // The handshake sampled an RTT of 0: RTO = max(0 + G, 200 ms minimum) = 200 ms (RFC 6298 2.3, 2.4).
            assertThat(connection.snapshot().retransmissionTimeoutNanos()).isEqualTo(200 * MS);
            write(connection, "abc");
            TcpHarness.Segment data = fromUs().seq(US + 1).ack(PEER + 1).window(4096).psh().payload("abc");
            tcp.expect(data);
            tcp.at(199).expectNothing();
            tcp.at(200).expect(data);
            tcp.at(599).expectNothing();
            tcp.at(600).expect(data);
            tcp.at(1400).expect(data);
            tcp.at(3000).expect(data);
            assertThat(connection.snapshot().retransmissionTimeoutNanos()).isEqualTo(3200 * MS);
            assertThat(connection.snapshot().retransmissions()).isEqualTo(4);
            // An ACK of new data ends the backoff (RFC 6298 5.7 note).
            tcp.at(3100).send(fromPeer().seq(PEER + 1).ack(US + 4).window(4096));
            assertThat(connection.snapshot().retransmissionTimeoutNanos()).isEqualTo(200 * MS);
        }

        @Test
        void karnNoSampleFromARetransmittedSegment() {
            TcpHarness tcp = new TcpHarness();
            TcpConnection connection = establishedWithRtt(tcp, 100, 1460, 4096);
            // First sample 100 ms: SRTT 100, RTTVAR 50, RTO = 100 + 4*50 = 300 ms.
            assertThat(connection.snapshot().smoothedRttNanos()).isEqualTo(100 * MS);
            assertThat(connection.snapshot().retransmissionTimeoutNanos()).isEqualTo(300 * MS);
            write(connection, "abc");
            tcp.recv();
            tcp.at(400).recv(); // retransmitted at 100 + 300 ms
            tcp.at(450).send(fromPeer().seq(PEER + 1).ack(US + 4).window(4096));
            // Ambiguous: the ACK may be for either copy, so SRTT stays as it was.
            assertThat(connection.snapshot().smoothedRttNanos()).isEqualTo(100 * MS);
            write(connection, "def");
            tcp.recv();
            tcp.at(650).send(fromPeer().seq(PEER + 1).ack(US + 7).window(4096));
            // Sent once, 200 ms: RTTVAR = 3/4*50 + 1/4*100 = 62.5, SRTT = 7/8*100 + 1/8*200 = 112.5.
            assertThat(connection.snapshot().smoothedRttNanos()).isEqualTo(112_500_000L);
            assertThat(connection.snapshot().rttVariationNanos()).isEqualTo(62_500_000L);
            assertThat(connection.snapshot().retransmissionTimeoutNanos()).isEqualTo(362_500_000L);
        }

        @Test
        void theRetryLimitAbortsAndSaysWhy() {
            TcpHarness tcp = new TcpHarness(TcpHarness.plainConfig().withRetries(6, 3));
            TcpConnection connection = tcp.established();
            write(connection, "x");
            tcp.recv();
            tcp.at(200).recv();
            tcp.at(600).recv();
            tcp.at(1400).recv();
            assertThat(connection.state()).isEqualTo(TcpState.ESTABLISHED);
            tcp.at(3000).expectNothing();
            assertThat(connection.state()).isEqualTo(TcpState.CLOSED);
            assertThat(connection.closeReason()).isEqualTo(TcpCloseReason.TIMED_OUT);
            assertThat(connection.closeReason().description()).isEqualTo("connection timed out");
            assertThat(tcp.stateChanges()).last().satisfies(change -> {
                assertThat(change.closeReason()).isEqualTo(TcpCloseReason.TIMED_OUT);
                assertThat(change.snapshot().retransmissions()).isEqualTo(3);
            });
        }

        /**
         * After a timeout goes back to SND.UNA, an ACK or RST still carries the highest sequence number sent (RFC 9293's
         * SND.NXT, which retransmission does not move back): the peer may hold everything up to there, and a segment
         * below its RCV.NXT is unacceptable, its ACK field never read. Two stacks both in that state answered each
         * other's unacceptable ACKs with ACKs until both timed out (TcpIntegrityIT, 30 seeds of 100).
         */
        @Test
        void afterATimeoutAcksAndResetsCarryTheHighestSequenceSent() {
            TcpHarness tcp = new TcpHarness();
            TcpConnection connection = tcp.established();
            assertThat(connection.send(bytes(2920, 1), 0, 2920)).isEqualTo(2920);
            assertThat(tcp.drain()).extracting(TcpRepr::payloadLength).containsExactly(1460, 1460);
            // The timeout resends the first segment only (cwnd is one segment).
            assertThat(tcp.at(200).drain()).singleElement().satisfies(resent -> {
                assertThat(resent.sequenceNumber().value()).isEqualTo(US + 1);
                assertThat(resent.payloadLength()).isEqualTo(1460);
            });
            // The peer had both segments all along but its ACK was lost; its data arrives now.
            tcp.at(210).send(fromPeer().seq(PEER + 1).ack(US + 1).window(4096).payload("hi"));
            tcp.at(250).expect(fromUs().seq(US + 2921).ack(PEER + 3).window(4094));
            connection.abort();
            tcp.expect(fromUs().seq(US + 2921).rst());
        }

        @Test
        void theMinimumTimeoutIsConfigurable() {
            TcpHarness tcp = new TcpHarness(TcpHarness.plainConfig().withMinimumRetransmissionTimeout(50 * MS));
            TcpConnection connection = tcp.established();
            assertThat(connection.snapshot().retransmissionTimeoutNanos()).isEqualTo(50 * MS);
            write(connection, "x");
            tcp.recv();
            tcp.at(50).expect(fromUs().seq(US + 1).ack(PEER + 1).window(4096).psh().payload("x"));
        }
    }

    @Nested
    class CongestionControl {
        TcpHarness bigWindows() {
            return new TcpHarness(TcpHarness.plainConfig().withBuffers(65535, 65535).withNagle(false));
        }

        @Test
        void theInitialWindowIsTenSegmentsAndSlowStartAddsOnePerAck() {
            TcpHarness tcp = bigWindows();
            TcpConnection connection = establishedWithRtt(tcp, 0, 1000, 65535);
            assertThat(connection.snapshot().congestionWindow()).isEqualTo(10_000); // RFC 6928
            byte[] data = bytes(20_000, 3);
            assertThat(connection.send(data, 0, data.length)).isEqualTo(20_000);
            List<TcpRepr> flight = tcp.drain();
            assertThat(flight).hasSize(10).allMatch(segment -> segment.payloadLength() == 1000);
            assertThat(flight.get(9).sequenceNumber()).isEqualTo(TcpSeqNumber.of(US + 9001));
            tcp.at(10).send(fromPeer().seq(PEER + 1).ack(US + 1001).window(65535));
            assertThat(connection.snapshot().congestionWindow()).isEqualTo(11_000);
            assertThat(tcp.drain()).extracting(segment -> segment.sequenceNumber().value())
                    .containsExactly(US + 10_001, US + 11_001);
        }

        @Test
        void fastRetransmitAndNewRenoRecovery() {
            TcpHarness tcp = bigWindows();
            TcpConnection connection = establishedWithRtt(tcp, 0, 1000, 65535);
            byte[] data = bytes(12_000, 5);
            connection.send(data, 0, data.length);
            tcp.drain(); // ten segments, US+1 to US+10001
            tcp.at(10).send(fromPeer().seq(PEER + 1).ack(US + 1001).window(65535));
            tcp.drain(); // two more: cwnd 11000
            // The segment at US+1001 was lost: three duplicate ACKs.
            tcp.at(20).send(fromPeer().seq(PEER + 1).ack(US + 1001).window(65535));
            tcp.send(fromPeer().seq(PEER + 1).ack(US + 1001).window(65535));
            tcp.expectNothing();
            tcp.send(fromPeer().seq(PEER + 1).ack(US + 1001).window(65535));
            tcp.expect(fromUs().seq(US + 1001).ack(PEER + 1).window(65535).payload(java.util.Arrays.copyOfRange(data, 1000, 2000)));
            tcp.expectNothing();
            // RFC 6582 3.2 step 1: ssthresh = FlightSize/2 = 11000/2, cwnd = ssthresh + 3*SMSS.
            assertThat(connection.snapshot().slowStartThreshold()).isEqualTo(5_500);
            assertThat(connection.snapshot().congestionWindow()).isEqualTo(8_500);
            // A partial ACK (US+3001, so US+3001 was lost too): that segment goes at once.
            tcp.at(30).send(fromPeer().seq(PEER + 1).ack(US + 3001).window(65535));
            tcp.expect(fromUs().seq(US + 3001).ack(PEER + 1).window(65535).payload(java.util.Arrays.copyOfRange(data, 3000, 4000)));
            // The full ACK ends recovery: cwnd = min(ssthresh, max(FlightSize, SMSS) + SMSS).
            tcp.drain();
            tcp.at(40).send(fromPeer().seq(PEER + 1).ack(US + 12_001).window(65535));
            assertThat(connection.snapshot().congestionWindow()).isEqualTo(2_000);
            assertThat(connection.snapshot().bytesInFlight()).isZero();
            assertThat(connection.snapshot().retransmissions()).isEqualTo(2);
        }

        @Test
        void aTimeoutShrinksTheWindowToOneSegmentAndGoesBackToSndUna() {
            TcpHarness tcp = bigWindows();
            TcpConnection connection = establishedWithRtt(tcp, 0, 1000, 65535);
            byte[] data = bytes(3000, 9);
            connection.send(data, 0, data.length);
            assertThat(tcp.drain()).hasSize(3);
            tcp.at(200).expect(fromUs().seq(US + 1).ack(PEER + 1).window(65535).payload(java.util.Arrays.copyOfRange(data, 0, 1000)));
            tcp.expectNothing(); // cwnd is one segment (RFC 5681 3.1, loss window)
            assertThat(connection.snapshot().congestionWindow()).isEqualTo(1000);
            assertThat(connection.snapshot().slowStartThreshold()).isEqualTo(2000);
            tcp.at(210).send(fromPeer().seq(PEER + 1).ack(US + 1001).window(65535));
            assertThat(tcp.drain()).extracting(segment -> segment.sequenceNumber().value())
                    .containsExactly(US + 1001, US + 2001);
        }
    }

    @Nested
    class FlowControl {
        @Test
        void aZeroWindowIsProbedByThePersistTimerWithBackoff() {
            TcpHarness tcp = new TcpHarness();
            TcpConnection connection = tcp.established();
            tcp.send(fromPeer().seq(PEER + 1).ack(US + 1).window(0));
            write(connection, "hello");
            tcp.expectNothing();
            TcpHarness.Segment probe = fromUs().seq(US + 1).ack(PEER + 1).window(4096).payload("h");
            assertThat(tcp.nextTimerMillis()).isEqualTo(200);
            tcp.at(200).expect(probe);
            tcp.expectNothing();
            tcp.at(210).send(fromPeer().seq(PEER + 1).ack(US + 1).window(0));
            assertThat(tcp.nextTimerMillis()).isEqualTo(600);
            tcp.at(600).expect(probe);
            assertThat(tcp.nextTimerMillis()).isEqualTo(1400);
            tcp.at(1400).expect(probe);
            // The window opens: the data flows, no longer as probes.
            tcp.at(1500).send(fromPeer().seq(PEER + 1).ack(US + 1).window(4096));
            tcp.expect(fromUs().seq(US + 1).ack(PEER + 1).window(4096).psh().payload("hello"));
            assertThat(connection.state()).isEqualTo(TcpState.ESTABLISHED);
        }

        @Test
        void aProbeTheReceiverTakesMovesTheData() {
            TcpHarness tcp = new TcpHarness();
            TcpConnection connection = tcp.established();
            tcp.send(fromPeer().seq(PEER + 1).ack(US + 1).window(0));
            write(connection, "hello");
            tcp.expectNothing();
            tcp.at(200).expect(fromUs().seq(US + 1).ack(PEER + 1).window(4096).payload("h"));
            tcp.at(210).send(fromPeer().seq(PEER + 1).ack(US + 2).window(4095));
            tcp.expect(fromUs().seq(US + 2).ack(PEER + 1).window(4096).psh().payload("ello"));
            assertThat(connection.snapshot().sendUnacknowledged()).isEqualTo(TcpSeqNumber.of(US + 2));
        }

        @Test
        void ourWindowClosesAsTheBufferFillsAndReopensWhenRead() {
            TcpHarness tcp = new TcpHarness();
            TcpConnection connection = tcp.established();
            tcp.send(fromPeer().seq(PEER + 1).ack(US + 1).window(4096).payload(bytes(1460, 0)));
            tcp.send(fromPeer().seq(PEER + 1461).ack(US + 1).window(4096).payload(bytes(1460, 0)));
            tcp.expect(fromUs().seq(US + 1).ack(PEER + 2921).window(4096 - 2920));
            tcp.send(fromPeer().seq(PEER + 2921).ack(US + 1).window(4096).payload(bytes(1176, 0)));
            tcp.at(200).expect(fromUs().seq(US + 1).ack(PEER + 4097).window(0));
            // A zero-window probe: its byte is not taken, the ACK repeats the closed window.
            tcp.send(fromPeer().seq(PEER + 4097).ack(US + 1).window(4096).payload("p"));
            tcp.expect(fromUs().seq(US + 1).ack(PEER + 4097).window(0));
            // Reading 1000 bytes frees less than one MSS: no update (receiver SWS avoidance).
            connection.receive(new byte[1000], 0, 1000);
            tcp.expectNothing();
            connection.receive(new byte[1000], 0, 1000);
            tcp.expect(fromUs().seq(US + 1).ack(PEER + 4097).window(2000));
        }

        @Test
        void nagleHoldsSmallSegmentsWhileDataIsUnacknowledged() {
            TcpHarness tcp = new TcpHarness();
            TcpConnection connection = tcp.established();
            write(connection, "a");
            tcp.expect(fromUs().seq(US + 1).ack(PEER + 1).window(4096).psh().payload("a"));
            write(connection, "b");
            write(connection, "c");
            tcp.expectNothing();
            tcp.at(20).send(fromPeer().seq(PEER + 1).ack(US + 2).window(4096));
            tcp.expect(fromUs().seq(US + 2).ack(PEER + 1).window(4096).psh().payload("bc"));
        }

        @Test
        void withoutNagleEveryWriteGoesAtOnce() {
            TcpHarness tcp = new TcpHarness();
            TcpConnection connection = tcp.established();
            connection.setNagle(false);
            write(connection, "a");
            tcp.expect(fromUs().seq(US + 1).ack(PEER + 1).window(4096).psh().payload("a"));
            write(connection, "b");
            tcp.expect(fromUs().seq(US + 2).ack(PEER + 1).window(4096).psh().payload("b"));
        }

        @Test
        void theSendWindowLimitsWhatIsInFlight() {
            TcpHarness tcp = new TcpHarness(TcpHarness.plainConfig().withNagle(false));
            TcpConnection connection = tcp.establishedPassive(fromPeer().syn().seq(PEER).mss(1000).window(2500),
                    fromPeer().seq(PEER + 1).ack(US + 1).window(2500));
            connection.send(bytes(4000, 1), 0, 4000);
            // 500 bytes would fit, but that is under half the largest window the peer offered: sender SWS
            // avoidance (RFC 9293 3.8.6.2.1) holds them back.
            assertThat(tcp.drain()).extracting(TcpRepr::payloadLength).containsExactly(1000, 1000);
            tcp.send(fromPeer().seq(PEER + 1).ack(US + 1001).window(2500));
            assertThat(tcp.drain()).extracting(TcpRepr::payloadLength).containsExactly(1000);
        }

        @Test
        void windowScalingIsNegotiatedAndApplied() {
            TcpHarness tcp = new TcpHarness(TcpConfig.defaults().withOptions(true, false, false).withBuffers(262_144, 4096));
            tcp.listener = tcp.engine.listen(LOCAL_PORT, 8);
            tcp.send(fromPeer().syn().seq(PEER).mss(1460).nops(1).option(new TcpOption.WindowScale(7)).window(65535));
            // 256 KiB needs a shift of 3 to fit 16 bits (RFC 7323 2.3); a SYN's own window is never scaled.
            tcp.expect(fromUs().syn().seq(US).ack(PEER + 1).window(65535).mss(1460).nops(1).option(new TcpOption.WindowScale(3)));
            tcp.send(fromPeer().seq(PEER + 1).ack(US + 1).window(100));
            TcpConnection connection = tcp.listener.accept();
            assertThat(connection.snapshot().sendWindow()).isEqualTo(100 << 7);
            tcp.send(fromPeer().seq(PEER + 1).ack(US + 1).window(100).payload("abc"));
            tcp.at(200).expect(fromUs().seq(US + 1).ack(PEER + 4).window((262_144 - 3) >> 3));
        }

        @Test
        void withoutTheOptionFromThePeerNeitherSideScales() {
            TcpHarness tcp = new TcpHarness(TcpConfig.defaults().withOptions(true, false, false).withBuffers(262_144, 4096));
            tcp.listener = tcp.engine.listen(LOCAL_PORT, 8);
            tcp.send(fromPeer().syn().seq(PEER).mss(1460).window(65535));
            tcp.expect(fromUs().syn().seq(US).ack(PEER + 1).window(65535).mss(1460));
            tcp.send(fromPeer().seq(PEER + 1).ack(US + 1).window(100));
            assertThat(tcp.listener.accept().snapshot().sendWindow()).isEqualTo(100);
        }
    }

    @Nested
    class SelectiveAcknowledgments {
        TcpHarness sack() {
            return new TcpHarness(TcpConfig.defaults().withOptions(false, false, true).withBuffers(4096, 4096).withNagle(false));
        }

        TcpConnection establish(TcpHarness tcp, int peerMss) {
            tcp.listener = tcp.engine.listen(LOCAL_PORT, 8);
            tcp.send(fromPeer().syn().seq(PEER).mss(peerMss).nops(2).option(new TcpOption.SackPermitted()).window(4096));
            tcp.expect(fromUs().syn().seq(US).ack(PEER + 1).window(4096).mss(1460).nops(2).option(new TcpOption.SackPermitted()));
            tcp.send(fromPeer().seq(PEER + 1).ack(US + 1).window(4096));
            return tcp.listener.accept();
        }

        @Test
        void outOfOrderDataIsReportedInSackBlocksAtOnce() {
            TcpHarness tcp = sack();
            TcpConnection connection = establish(tcp, 1460);
            tcp.send(fromPeer().seq(PEER + 101).ack(US + 1).window(4096).payload("xyz"));
            tcp.expect(fromUs().seq(US + 1).ack(PEER + 1).window(4096).sack(PEER + 101, PEER + 104));
            tcp.send(fromPeer().seq(PEER + 201).ack(US + 1).window(4096).payload("123"));
            // RFC 2018 section 4: the block with the newest segment comes first.
            tcp.expect(fromUs().seq(US + 1).ack(PEER + 1).window(4096).sack(PEER + 201, PEER + 204, PEER + 101, PEER + 104));
            assertThat(connection.snapshot().outOfOrderSegments()).isEqualTo(2);
            tcp.send(fromPeer().seq(PEER + 1).ack(US + 1).window(4096).payload(bytes(100, 0)));
            // The hole filled: an immediate ACK up to the next hole (RFC 5681 4.2), one block left.
            tcp.expect(fromUs().seq(US + 1).ack(PEER + 104).window(4096 - 103).sack(PEER + 201, PEER + 204));
            assertThat(connection.available()).isEqualTo(103);
            assertThat(connection.snapshot().outOfOrderSegments()).isEqualTo(1);
        }

        @Test
        void sackBlocksTakeTheirRoomFromTheData() {
            TcpHarness tcp = sack();
            TcpConnection connection = establish(tcp, 1460);
            tcp.send(fromPeer().seq(PEER + 101).ack(US + 1).window(4096).payload("xyz"));
            tcp.recv();
            connection.send(bytes(3000, 1), 0, 3000);
            // Each data segment carries NOP NOP and one SACK block (12 bytes): 1460 - 12 bytes of data, so the
            // datagram stays within the MTU (an oversized one with DF would never leave).
            assertThat(tcp.drain()).extracting(TcpRepr::payloadLength).containsExactly(1448, 1448, 104);
        }

        /**
         * A peer that is itself receiving out of order sends segments shortened by its SACK blocks (1460 - 12 bytes
         * here): they are as full as it can make them, and every second one is acknowledged at once (RFC 5681 4.2).
         * Counted as less than full, they waited 40 ms each for the delayed ACK: under TcpIntegrityIT's 10% loss, slow
         * start after every timeout crawled at one segment per 40 ms.
         */
        @Test
        void segmentsShortenedByTheirSackBlocksAreFullSized() {
            TcpHarness tcp = sack();
            establish(tcp, 1460);
            tcp.send(fromPeer().seq(PEER + 1).ack(US + 1).window(4096).sack(US + 101, US + 201).payload(bytes(1448, 0)));
            tcp.expectNothing();
            tcp.send(fromPeer().seq(PEER + 1449).ack(US + 1).window(4096).sack(US + 101, US + 201).payload(bytes(1448, 0)));
            tcp.expect(fromUs().seq(US + 1).ack(PEER + 2897).window(4096 - 2896));
        }

        @Test
        void whatThePeerHoldsIsNotSentAgain() {
            TcpHarness tcp = sack();
            TcpConnection connection = establish(tcp, 1000);
            connection.send(bytes(3000, 2), 0, 3000);
            assertThat(tcp.drain()).hasSize(3);
            // The first two segments were lost; the third arrived.
            tcp.at(10).send(fromPeer().seq(PEER + 1).ack(US + 1).window(4096).sack(US + 2001, US + 3001));
            tcp.at(200).expect(fromUs().seq(US + 1).ack(PEER + 1).window(4096).payload(java.util.Arrays.copyOfRange(bytes(3000, 2), 0, 1000)));
            tcp.at(210).send(fromPeer().seq(PEER + 1).ack(US + 1001).window(4096).sack(US + 2001, US + 3001));
            tcp.expect(fromUs().seq(US + 1001).ack(PEER + 1).window(4096).payload(java.util.Arrays.copyOfRange(bytes(3000, 2), 1000, 2000)));
            tcp.expectNothing(); // US+2001 to US+3001 is held by the peer
            tcp.send(fromPeer().seq(PEER + 1).ack(US + 3001).window(4096));
            assertThat(connection.snapshot().bytesInFlight()).isZero();
        }
    }

    @Nested
    class Timestamps {
        TcpHarness stamps() {
            return new TcpHarness(TcpConfig.defaults().withOptions(false, true, false).withBuffers(4096, 4096));
        }

        TcpConnection establish(TcpHarness tcp) {
            tcp.listener = tcp.engine.listen(LOCAL_PORT, 8);
            tcp.at(1000).send(fromPeer().syn().seq(PEER).mss(1460).timestamps(500, 0).window(4096));
            tcp.expect(fromUs().syn().seq(US).ack(PEER + 1).window(4096).mss(1460).timestamps(1000, 500));
            tcp.at(1040).send(fromPeer().seq(PEER + 1).ack(US + 1).window(4096).timestamps(540, 1000));
            return tcp.listener.accept();
        }

        @Test
        void theRttComesFromTheEchoedTimestamp() {
            TcpHarness tcp = stamps();
            TcpConnection connection = establish(tcp);
            assertThat(connection.snapshot().smoothedRttNanos()).isEqualTo(40 * MS);
            write(connection, "hi");
            // Data segments carry 12 bytes of options (RFC 7323 3.2: every segment once negotiated).
            tcp.expect(fromUs().seq(US + 1).ack(PEER + 1).window(4096).timestamps(1040, 540).psh().payload("hi"));
        }

        @Test
        void pawsDropsAnOldTimestampAndAcknowledges() {
            TcpHarness tcp = stamps();
            TcpConnection connection = establish(tcp);
            tcp.at(1100).send(fromPeer().seq(PEER + 1).ack(US + 1).window(4096).timestamps(600, 1000).payload("new"));
            assertThat(read(connection)).isEqualTo("new");
            tcp.at(1300).expect(fromUs().seq(US + 1).ack(PEER + 4).window(4093).timestamps(1300, 600));
            // An old duplicate: TSval 550 < TS.Recent 600 (RFC 7323 5.3 R1).
            tcp.send(fromPeer().seq(PEER + 4).ack(US + 1).window(4096).timestamps(550, 1000).payload("old"));
            tcp.expect(fromUs().seq(US + 1).ack(PEER + 4).window(4093).timestamps(1300, 600));
            assertThat(connection.available()).isZero();
            assertThat(tcp.engine.counters().pawsRejected()).isEqualTo(1);
        }

        @Test
        void aSegmentWithoutTimestampsIsDropped() {
            TcpHarness tcp = stamps();
            TcpConnection connection = establish(tcp);
            tcp.send(fromPeer().seq(PEER + 1).ack(US + 1).window(4096).payload("bare"));
            tcp.expectNothing();
            assertThat(connection.available()).isZero();
        }
    }

    @Nested
    class Rfc5961 {
        @Test
        void aResetInTheWindowButNotAtRcvNxtGetsAChallengeAck() {
            TcpHarness tcp = new TcpHarness();
            TcpConnection connection = tcp.established();
            tcp.send(fromPeer().seq(PEER + 100).rst());
            tcp.expect(fromUs().seq(US + 1).ack(PEER + 1).window(4096));
            assertThat(connection.state()).isEqualTo(TcpState.ESTABLISHED);
            tcp.send(fromPeer().seq(PEER + 1).rst());
            assertThat(connection.state()).isEqualTo(TcpState.CLOSED);
            assertThat(connection.closeReason()).isEqualTo(TcpCloseReason.RESET_BY_PEER);
            byte[] buffer = new byte[4];
            assertThat(connection.receive(buffer, 0, 4)).isEqualTo(-1);
        }

        @Test
        void aResetOutsideTheWindowIsDroppedSilently() {
            TcpHarness tcp = new TcpHarness();
            TcpConnection connection = tcp.established();
            tcp.send(fromPeer().seq(PEER + 10_000).rst());
            tcp.send(fromPeer().seq(PEER - 1).rst());
            tcp.expectNothing();
            assertThat(connection.state()).isEqualTo(TcpState.ESTABLISHED);
        }

        @Test
        void aSynInASynchronizedStateGetsAChallengeAck() {
            TcpHarness tcp = new TcpHarness();
            TcpConnection connection = tcp.established();
            tcp.send(fromPeer().syn().seq(PEER + 1).window(4096));
            tcp.expect(fromUs().seq(US + 1).ack(PEER + 1).window(4096));
            tcp.send(fromPeer().syn().seq(PEER + 999_999).window(4096));
            tcp.expect(fromUs().seq(US + 1).ack(PEER + 1).window(4096));
            assertThat(connection.state()).isEqualTo(TcpState.ESTABLISHED);
        }

        @Test
        void challengeAcksAreRateLimited() {
            TcpHarness tcp = new TcpHarness();
            tcp.established();
            for (int i = 0; i < 15; i++) {
                tcp.send(fromPeer().seq(PEER + 50).rst());
            }
            assertThat(tcp.drain()).hasSize(1); // the flags coalesce; the counters show the limit
            assertThat(tcp.engine.counters().challengeAcksSent()).isEqualTo(10);
            assertThat(tcp.engine.counters().challengeAcksSuppressed()).isEqualTo(5);
            tcp.at(1000).send(fromPeer().seq(PEER + 50).rst());
            tcp.expect(fromUs().seq(US + 1).ack(PEER + 1).window(4096));
        }

        @Test
        void anAckOlderThanTheWindowIsAnsweredAndItsDataDropped() {
            TcpHarness tcp = new TcpHarness();
            TcpConnection connection = tcp.established();
            tcp.send(fromPeer().seq(PEER + 1).ack(US + 1 - 5000).window(4096).payload("forged"));
            tcp.expect(fromUs().seq(US + 1).ack(PEER + 1).window(4096));
            assertThat(connection.available()).isZero();
        }
    }

    @Nested
    class Listener {
        @Test
        void aSynFloodFillsOnlyTheSynQueueAndEstablishedConnectionsGoOn() {
            TcpHarness tcp = new TcpHarness(TcpHarness.plainConfig().withLimits(4, 100));
            TcpConnection established = tcp.established();
            for (int port = 1000; port < 1100; port++) {
                tcp.send(fromPeerPort(port).syn().seq(PEER + port).window(4096));
            }
            List<TcpRepr> answers = tcp.drain();
            assertThat(answers).hasSize(4);
            assertThat(tcp.listener.halfOpen()).isEqualTo(4);
            assertThat(tcp.engine.counters().synsDropped()).isEqualTo(96);
            assertThat(tcp.engine.connections()).hasSize(5);
            write(established, "still here");
            tcp.expect(fromUs().seq(US + 1).ack(PEER + 1).window(4096).psh().payload("still here"));
            // The half-open ones give up after their SYN,ACK retries (1+2+4+...+64 s) and make room again.
            for (long millis = 1000; millis <= 130_000; millis += 1000) {
                tcp.at(millis);
                tcp.drain();
            }
            assertThat(tcp.listener.halfOpen()).isZero();
            tcp.send(fromPeerPort(2000).syn().seq(PEER).window(4096));
            tcp.expect(toPeerPort(2000).syn().seq(US).ack(PEER + 1).window(4096).mss(1460));
        }

        @Test
        void aFullAcceptQueueLeavesTheHandshakeUnfinished() {
            TcpHarness tcp = new TcpHarness();
            TcpListener listener = tcp.engine.listen(LOCAL_PORT, 1);
            for (int port = 1000; port < 1002; port++) {
                tcp.send(fromPeerPort(port).syn().seq(PEER).window(4096));
                tcp.recv();
                tcp.send(fromPeerPort(port).seq(PEER + 1).ack(US + 1).window(4096));
            }
            assertThat(listener.acceptable()).isEqualTo(1);
            assertThat(listener.halfOpen()).isEqualTo(1);
            assertThat(listener.accept().endpoints().remotePort()).isEqualTo(1000);
            // Room again: the second handshake completes with the peer's next ACK.
            tcp.send(fromPeerPort(1001).seq(PEER + 1).ack(US + 1).window(4096));
            assertThat(listener.accept().endpoints().remotePort()).isEqualTo(1001);
        }
    }

    @Nested
    class KeepAlive {
        @Test
        void isOffByDefault() {
            TcpHarness tcp = new TcpHarness();
            tcp.established();
            assertThat(tcp.nextTimerMillis()).isEqualTo(Long.MAX_VALUE / MS);
        }

        @Test
        void unansweredProbesDropTheConnection() {
            TcpHarness tcp = new TcpHarness(TcpHarness.plainConfig().withKeepAlive(10 * TcpConfig.SECOND, TcpConfig.SECOND, 3));
            TcpConnection connection = tcp.established();
            TcpHarness.Segment probe = fromUs().seq(US).ack(PEER + 1).window(4096);
            tcp.at(10_000).expect(probe);
            tcp.at(11_000).expect(probe);
            // An answer resets the count and the idle time.
            tcp.send(fromPeer().seq(PEER + 1).ack(US + 1).window(4096));
            tcp.at(12_000).expectNothing();
            tcp.at(21_000).expect(probe);
            tcp.at(22_000).expect(probe);
            tcp.at(23_000).expect(probe);
            tcp.at(24_000).expectNothing();
            assertThat(connection.closeReason()).isEqualTo(TcpCloseReason.KEEPALIVE_TIMED_OUT);
        }
    }

    @Nested
    class Snapshots {
        @Test
        void onRequestEverySegmentInAndOutIsFollowedByTheTcb() {
            TcpHarness tcp = new TcpHarness();
            TcpConnection connection = tcp.established();
            tcp.engine.publishSnapshots(true);
            tcp.events.clear();
            write(connection, "abc");
            tcp.recv();
            tcp.at(30).send(fromPeer().seq(PEER + 1).ack(US + 4).window(4000));
            List<TcpSnapshot> snapshots = tcp.events.stream().filter(TcpEvent.SnapshotTaken.class::isInstance)
                    .map(event -> ((TcpEvent.SnapshotTaken) event).snapshot()).toList();
            assertThat(snapshots).hasSize(2);
            assertThat(snapshots.get(0).sendNext()).isEqualTo(TcpSeqNumber.of(US + 4));
            assertThat(snapshots.get(0).bytesInFlight()).isEqualTo(3);
            assertThat(snapshots.get(1).sendUnacknowledged()).isEqualTo(TcpSeqNumber.of(US + 4));
            assertThat(snapshots.get(1).sendWindow()).isEqualTo(4000);
            assertThat(snapshots.get(1).smoothedRttNanos()).isEqualTo(3_750_000L); // 7/8 * 0 + 1/8 * 30 ms
        }
    }

    @Nested
    class Release {
        @Test
        void unreadDataMakesReleaseAReset() {
            TcpHarness tcp = new TcpHarness();
            TcpConnection connection = tcp.established();
            tcp.send(fromPeer().seq(PEER + 1).ack(US + 1).window(4096).payload("unread"));
            connection.release();
            tcp.expect(fromUs().seq(US + 1).rst());
            assertThat(connection.closeReason()).isEqualTo(TcpCloseReason.ABORTED);
        }

        @Test
        void dataAfterReleaseIsAnsweredWithAReset() {
            TcpHarness tcp = new TcpHarness();
            TcpConnection connection = tcp.established();
            connection.release();
            tcp.expect(fromUs().seq(US + 1).ack(PEER + 1).window(4096).fin());
            tcp.send(fromPeer().seq(PEER + 1).ack(US + 2).window(4096).payload("too late"));
            tcp.expect(fromUs().seq(US + 2).rst());
            assertThat(connection.state()).isEqualTo(TcpState.CLOSED);
        }

        @Test
        void aReleasedConnectionGivesUpOnFinWait2After2Msl() {
            TcpHarness tcp = new TcpHarness();
            TcpConnection connection = tcp.established();
            connection.release();
            tcp.recv();
            tcp.send(fromPeer().seq(PEER + 1).ack(US + 2).window(4096));
            assertThat(connection.state()).isEqualTo(TcpState.FIN_WAIT_2);
            assertThat(tcp.nextTimerMillis()).isEqualTo(60_000);
            tcp.at(60_000);
            assertThat(connection.state()).isEqualTo(TcpState.CLOSED);
            assertThat(tcp.stateChanges()).last().extracting(TcpEvent.StateChanged::cause)
                    .isEqualTo(new TcpCause.Timer(TcpTimer.FIN_WAIT_2));
        }

        @Test
        void aHalfClosedConnectionWaitsInFinWait2AsLongAsItTakes() {
            TcpHarness tcp = new TcpHarness();
            TcpConnection connection = tcp.established();
            connection.shutdownOutput();
            tcp.recv();
            tcp.send(fromPeer().seq(PEER + 1).ack(US + 2).window(4096));
            assertThat(tcp.nextTimerMillis()).isEqualTo(Long.MAX_VALUE / MS);
            assertThat(connection.state()).isEqualTo(TcpState.FIN_WAIT_2);
        }
    }

    @Nested
    class IcmpErrors {
        @Test
        void fragmentationNeededLowersTheMssAndResends() {
            TcpHarness tcp = new TcpHarness(TcpHarness.plainConfig().withNagle(false));
            TcpConnection connection = tcp.established();
            connection.send(bytes(3000, 4), 0, 3000);
            assertThat(tcp.drain()).extracting(TcpRepr::payloadLength).containsExactly(1460, 1460, 80);
            // A quote outside SND.UNA..SND.MAX is not believed (RFC 5927 4.1).
            tcp.engine.receiveIcmpError(TcpHarness.LOCAL, LOCAL_PORT, TcpHarness.REMOTE, TcpHarness.REMOTE_PORT, 3, 4, 1000,
                    US + 50_000, tcp.now);
            tcp.expectNothing();
            tcp.engine.receiveIcmpError(TcpHarness.LOCAL, LOCAL_PORT, TcpHarness.REMOTE, TcpHarness.REMOTE_PORT, 3, 4, 1000,
                    US + 1, tcp.now);
            // RFC 1191: the MSS becomes 1000 - 40, and what was too big goes again in smaller segments.
            assertThat(tcp.drain()).extracting(TcpRepr::payloadLength).containsExactly(960, 960, 960, 120);
        }

        @Test
        void portUnreachableRefusesAConnectionStillOpening() {
            TcpHarness tcp = new TcpHarness();
            TcpConnection connection = tcp.engine.connect(TcpHarness.LOCAL, 40_000, TcpHarness.REMOTE, 7, 0);
            tcp.recv();
            tcp.engine.receiveIcmpError(TcpHarness.LOCAL, 40_000, TcpHarness.REMOTE, 7, 3, 3, 0, US, tcp.now);
            assertThat(connection.closeReason()).isEqualTo(TcpCloseReason.REFUSED);
            assertThat(tcp.stateChanges()).last().extracting(TcpEvent.StateChanged::cause).isEqualTo(new TcpCause.IcmpError(3, 3));
        }

        @Test
        void softErrorsLeaveAnEstablishedConnectionAlone() {
            TcpHarness tcp = new TcpHarness();
            TcpConnection connection = tcp.established();
            tcp.engine.receiveIcmpError(TcpHarness.LOCAL, LOCAL_PORT, TcpHarness.REMOTE, TcpHarness.REMOTE_PORT, 3, 1, 0, US + 1, tcp.now);
            assertThat(connection.state()).isEqualTo(TcpState.ESTABLISHED);
        }
    }

    @Nested
    class Reassembly {
        @Test
        void aFinAheadOfAHoleWaitsForTheHole() {
            TcpHarness tcp = new TcpHarness();
            TcpConnection connection = tcp.established();
            tcp.send(fromPeer().seq(PEER + 4).ack(US + 1).window(4096).fin());
            tcp.expect(fromUs().seq(US + 1).ack(PEER + 1).window(4096));
            assertThat(connection.state()).isEqualTo(TcpState.ESTABLISHED);
            tcp.send(fromPeer().seq(PEER + 1).ack(US + 1).window(4096).payload("abc"));
            tcp.expect(fromUs().seq(US + 1).ack(PEER + 5).window(4092));
            assertThat(connection.state()).isEqualTo(TcpState.CLOSE_WAIT);
            assertThat(read(connection)).isEqualTo("abc");
        }

        @Test
        void overlappingRetransmissionsAreTrimmedToWhatIsNew() {
            TcpHarness tcp = new TcpHarness();
            TcpConnection connection = tcp.established();
            tcp.send(fromPeer().seq(PEER + 1).ack(US + 1).window(4096).payload("abcd"));
            tcp.send(fromPeer().seq(PEER + 3).ack(US + 1).window(4096).payload("cdefg"));
            tcp.send(fromPeer().seq(PEER + 10).ack(US + 1).window(4096).payload("jk"));
            tcp.send(fromPeer().seq(PEER + 6).ack(US + 1).window(4096).payload("fghij"));
            assertThat(read(connection)).isEqualTo("abcdefghijk");
        }

        @Test
        void theDelayedAckNeverWaitsLongerThanItsTime() {
            TcpHarness tcp = new TcpHarness();
            tcp.established();
            tcp.at(0).send(fromPeer().seq(PEER + 1).ack(US + 1).window(4096).payload("a"));
            tcp.at(30).send(fromPeer().seq(PEER + 2).ack(US + 1).window(4096).payload("b"));
            tcp.expectNothing();
            // The delayed-ACK time (40 ms) after the first unacknowledged segment, not after the latest (RFC 9293 3.8.6.3).
            tcp.at(40).expect(fromUs().seq(US + 1).ack(PEER + 3).window(4094));
        }

        @Test
        void withoutDelayedAcksEachSegmentOfDataIsAcknowledgedAtOnce() {
            TcpHarness tcp = new TcpHarness();
            TcpConnection connection = tcp.established();
            connection.setDelayedAck(false);
            tcp.at(0).send(fromPeer().seq(PEER + 1).ack(US + 1).window(4096).payload("a"));
            tcp.expect(fromUs().seq(US + 1).ack(PEER + 2).window(4095));
            connection.setDelayedAck(true);
            tcp.at(10).send(fromPeer().seq(PEER + 2).ack(US + 1).window(4096).payload("b"));
            tcp.expectNothing();
            tcp.at(50).expect(fromUs().seq(US + 1).ack(PEER + 3).window(4094));
        }
    }
}
