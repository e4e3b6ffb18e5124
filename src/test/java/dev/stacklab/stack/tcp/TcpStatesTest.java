package dev.stacklab.stack.tcp;

import dev.stacklab.wire.TcpFlags;
import dev.stacklab.wire.TcpRepr;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static dev.stacklab.stack.tcp.TcpHarness.LOCAL;
import static dev.stacklab.stack.tcp.TcpHarness.LOCAL_ISS;
import static dev.stacklab.stack.tcp.TcpHarness.LOCAL_PORT;
import static dev.stacklab.stack.tcp.TcpHarness.REMOTE;
import static dev.stacklab.stack.tcp.TcpHarness.REMOTE_ISS;
import static dev.stacklab.stack.tcp.TcpHarness.REMOTE_PORT;
import static dev.stacklab.stack.tcp.TcpHarness.ascii;
import static dev.stacklab.stack.tcp.TcpHarness.fromPeer;
import static dev.stacklab.stack.tcp.TcpHarness.fromUs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every state of RFC 9293 Figure 5, one group each: scripted segments at virtual times, exact segments expected.
 * Our ISS is 10000 and the peer's 20000; no options unless a test turns them on.
 */
class TcpStatesTest {
    static final long US = LOCAL_ISS;
    static final long PEER = REMOTE_ISS;

    static String read(TcpConnection connection) {
        byte[] buffer = new byte[8192];
        int count = connection.receive(buffer, 0, buffer.length);
        return count <= 0 ? "" : new String(buffer, 0, count, java.nio.charset.StandardCharsets.US_ASCII);
    }

    static void write(TcpConnection connection, String text) {
        byte[] data = ascii(text);
        assertThat(connection.send(data, 0, data.length)).isEqualTo(data.length);
    }

    @Nested
    class Closed {
        @Test
        void aSegmentWithAckToAClosedPortGetsAResetAtItsAck() {
            TcpHarness tcp = new TcpHarness();
            tcp.send(fromPeer().seq(PEER).ack(1234).window(100).payload("x"));
            // RFC 9293 3.10.7.1: <SEQ=SEG.ACK><CTL=RST>
            tcp.expect(fromUs().seq(1234).rst());
            tcp.expectNothing();
        }

        @Test
        void aSynToAClosedPortGetsResetAckCoveringIt() {
            TcpHarness tcp = new TcpHarness();
            tcp.send(fromPeer().syn().seq(PEER).window(100).payload("ab"));
            // <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>, the SYN counting one
            tcp.expect(fromUs().seq(0).ack(PEER + 3).rst());
        }

        @Test
        void aResetToAClosedPortIsDropped() {
            TcpHarness tcp = new TcpHarness();
            tcp.send(fromPeer().seq(PEER).rst());
            tcp.send(fromPeer().seq(PEER).ack(5).rst());
            tcp.expectNothing();
            assertThat(tcp.engine.counters().resetsSent()).isZero();
        }
    }

    @Nested
    class Listen {
        @Test
        void aSynIsAnsweredWithSynAckFromSynReceived() {
            TcpHarness tcp = new TcpHarness();
            TcpListener listener = tcp.engine.listen(LOCAL_PORT, 4);
            tcp.send(fromPeer().syn().seq(PEER).mss(1400).window(8000));
            tcp.expect(fromUs().syn().seq(US).ack(PEER + 1).window(4096).mss(1460));
            tcp.expectNothing();
            assertThat(listener.halfOpen()).isEqualTo(1);
            assertThat(listener.accept()).isNull();
            TcpConnection halfOpen = tcp.engine.connection(new TcpEndpoints(LOCAL, LOCAL_PORT, REMOTE, REMOTE_PORT));
            assertThat(halfOpen.state()).isEqualTo(TcpState.SYN_RECEIVED);
            assertThat(tcp.stateChanges()).singleElement().satisfies(change -> {
                assertThat(change.from()).isEqualTo(TcpState.CLOSED);
                assertThat(change.to()).isEqualTo(TcpState.SYN_RECEIVED);
                assertThat(change.cause()).isEqualTo(new TcpCause.Segment(TcpFlags.SYN, dev.stacklab.wire.TcpSeqNumber.of(PEER),
                        dev.stacklab.wire.TcpSeqNumber.ZERO, 8000, 0));
            });
        }

        @Test
        void anAckIsAnsweredWithResetAndARstIgnored() {
            TcpHarness tcp = new TcpHarness();
            tcp.engine.listen(LOCAL_PORT, 4);
            tcp.send(fromPeer().seq(PEER).ack(777).window(10));
            tcp.expect(fromUs().seq(777).rst());
            tcp.send(fromPeer().seq(PEER).rst());
            tcp.expectNothing();
        }

        @Test
        void aSecondListenerOnThePortIsRefused() {
            TcpHarness tcp = new TcpHarness();
            tcp.engine.listen(LOCAL_PORT, 4);
            assertThatThrownBy(() -> tcp.engine.listen(LOCAL_PORT, 4)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already has a listener");
        }

        @Test
        void closingTheListenerResetsItsHandshakesAndWaitingConnections() {
            TcpHarness tcp = new TcpHarness();
            TcpListener listener = tcp.engine.listen(LOCAL_PORT, 4);
            tcp.send(TcpHarness.fromPeerPort(1000).syn().seq(PEER).window(4096));
            tcp.recv();
            tcp.send(TcpHarness.fromPeerPort(1000).seq(PEER + 1).ack(US + 1).window(4096));
            tcp.send(TcpHarness.fromPeerPort(1001).syn().seq(PEER).window(4096));
            tcp.recv();
            assertThat(listener.acceptable()).isEqualTo(1);
            assertThat(listener.halfOpen()).isEqualTo(1);
            listener.close();
            assertThat(tcp.drain()).extracting(segment -> segment.destinationPort() + " " + segment.flags())
                    .containsExactlyInAnyOrder("1000 [RST]", "1001 [RST]");
            assertThat(tcp.engine.connections()).isEmpty();
        }

        @Test
        void aClosedListenerLeavesThePortClosed() {
            TcpHarness tcp = new TcpHarness();
            tcp.engine.listen(LOCAL_PORT, 4).close();
            tcp.send(fromPeer().syn().seq(PEER).window(10));
            tcp.expect(fromUs().seq(0).ack(PEER + 1).rst());
        }
    }

    @Nested
    class SynReceived {
        @Test
        void theHandshakeAckEstablishesAndQueuesForAccept() {
            TcpHarness tcp = new TcpHarness();
            TcpConnection connection = tcp.established();
            assertThat(connection.snapshot().sendWindow()).isEqualTo(4096);
            assertThat(tcp.listener.halfOpen()).isZero();
            assertThat(connection.isWritable()).isTrue();
            assertThat(connection.isReadable()).isFalse();
        }

        @Test
        void theSynAckIsRetransmittedWithBackoffThenGivenUp() {
            TcpHarness tcp = new TcpHarness(TcpHarness.plainConfig().withRetries(2, 15));
            TcpListener listener = tcp.engine.listen(LOCAL_PORT, 4);
            tcp.send(fromPeer().syn().seq(PEER).window(4096));
            TcpHarness.Segment synAck = fromUs().syn().seq(US).ack(PEER + 1).window(4096).mss(1460);
            tcp.expect(synAck);
            assertThat(tcp.nextTimerMillis()).isEqualTo(1000);
            tcp.at(999).expectNothing();
            tcp.at(1000).expect(synAck);
            assertThat(tcp.nextTimerMillis()).isEqualTo(3000);
            tcp.at(3000).expect(synAck);
            tcp.at(7000).expectNothing();
            assertThat(tcp.engine.connections()).isEmpty();
            assertThat(listener.halfOpen()).isZero();
            assertThat(tcp.stateChanges()).last().satisfies(change -> {
                assertThat(change.to()).isEqualTo(TcpState.CLOSED);
                assertThat(change.closeReason()).isEqualTo(TcpCloseReason.TIMED_OUT);
                assertThat(change.cause()).isEqualTo(new TcpCause.Timer(TcpTimer.RETRANSMISSION));
            });
        }

        @Test
        void aRetransmittedSynGetsTheSynAckAgain() {
            TcpHarness tcp = new TcpHarness();
            tcp.engine.listen(LOCAL_PORT, 4);
            tcp.send(fromPeer().syn().seq(PEER).window(4096));
            TcpHarness.Segment synAck = fromUs().syn().seq(US).ack(PEER + 1).window(4096).mss(1460);
            tcp.expect(synAck);
            tcp.at(300).send(fromPeer().syn().seq(PEER).window(4096));
            tcp.expect(synAck);
        }

        @Test
        void anExactResetReturnsToListenAndTheListenerGoesOn() {
            TcpHarness tcp = new TcpHarness();
            TcpListener listener = tcp.engine.listen(LOCAL_PORT, 4);
            tcp.send(fromPeer().syn().seq(PEER).window(4096));
            tcp.recv();
            tcp.send(fromPeer().seq(PEER + 1).rst());
            tcp.expectNothing();
            assertThat(tcp.engine.connections()).isEmpty();
            assertThat(listener.halfOpen()).isZero();
            tcp.send(fromPeer().syn().seq(PEER + 5000).window(4096));
            tcp.expect(fromUs().syn().seq(US).ack(PEER + 5001).window(4096).mss(1460));
        }

        @Test
        void anAckOfSomethingNotSentGetsAReset() {
            TcpHarness tcp = new TcpHarness();
            tcp.engine.listen(LOCAL_PORT, 4);
            tcp.send(fromPeer().syn().seq(PEER).window(4096));
            tcp.recv();
            tcp.send(fromPeer().seq(PEER + 1).ack(US + 50).window(4096));
            tcp.expect(fromUs().seq(US + 50).rst());
        }

        @Test
        void dataOnTheHandshakeAckIsKept() {
            TcpHarness tcp = new TcpHarness();
            TcpConnection connection = tcp.establishedPassive(fromPeer().syn().seq(PEER).window(4096),
                    fromPeer().seq(PEER + 1).ack(US + 1).window(4096).psh().payload("GET /"));
            assertThat(read(connection)).isEqualTo("GET /");
            // Reading 5 bytes frees less than the SWS threshold (RFC 9293 3.8.6.2.2): the right edge stays.
            tcp.at(200).expect(fromUs().seq(US + 1).ack(PEER + 6).window(4091));
        }
    }

    @Nested
    class SynSent {
        TcpConnection connect(TcpHarness tcp) {
            return tcp.engine.connect(LOCAL, LOCAL_PORT, REMOTE, REMOTE_PORT, tcp.now);
        }

        @Test
        void connectSendsSynAndTheSynAckEstablishes() {
            TcpHarness tcp = new TcpHarness();
            TcpConnection connection = connect(tcp);
            assertThat(connection.state()).isEqualTo(TcpState.SYN_SENT);
            tcp.expect(fromUs().syn().seq(US).window(4096).mss(1460));
            tcp.at(10).send(fromPeer().syn().seq(PEER).ack(US + 1).window(3000).mss(1200));
            tcp.expect(fromUs().seq(US + 1).ack(PEER + 1).window(4096));
            assertThat(connection.state()).isEqualTo(TcpState.ESTABLISHED);
            assertThat(connection.snapshot().smoothedRttNanos()).isEqualTo(10 * TcpHarness.MS);
            assertThat(connection.snapshot().sendWindow()).isEqualTo(3000);
        }

        @Test
        void dataQueuedBeforeTheHandshakeFollowsTheAck() {
            TcpHarness tcp = new TcpHarness();
            TcpConnection connection = connect(tcp);
            tcp.recv();
            write(connection, "hello");
            tcp.expectNothing();
            tcp.send(fromPeer().syn().seq(PEER).ack(US + 1).window(3000));
            tcp.expect(fromUs().seq(US + 1).ack(PEER + 1).window(4096).psh().payload("hello"));
        }

        @Test
        void aResetWithAnAcceptableAckIsRefused() {
            TcpHarness tcp = new TcpHarness();
            TcpConnection connection = connect(tcp);
            tcp.recv();
            tcp.send(fromPeer().seq(0).ack(US + 1).rst());
            assertThat(connection.state()).isEqualTo(TcpState.CLOSED);
            assertThat(connection.closeReason()).isEqualTo(TcpCloseReason.REFUSED);
            assertThatThrownBy(() -> write(connection, "x")).hasMessage("connection refused");
        }

        @Test
        void aResetWithoutAckOrWithAWrongAckIsIgnored() {
            TcpHarness tcp = new TcpHarness();
            TcpConnection connection = connect(tcp);
            tcp.recv();
            tcp.send(fromPeer().seq(0).rst());
            tcp.send(fromPeer().seq(0).ack(US + 7).rst());
            tcp.expectNothing();
            assertThat(connection.state()).isEqualTo(TcpState.SYN_SENT);
        }

        @Test
        void anUnacceptableAckGetsAReset() {
            TcpHarness tcp = new TcpHarness();
            connect(tcp);
            tcp.recv();
            tcp.send(fromPeer().syn().seq(PEER).ack(US).window(10));
            tcp.expect(fromUs().seq(US).rst());
        }

        @Test
        void theSynIsRetransmittedWithBackoffAndTheConnectionTimesOut() {
            TcpHarness tcp = new TcpHarness(TcpHarness.plainConfig().withRetries(3, 15));
            TcpConnection connection = connect(tcp);
            TcpHarness.Segment syn = fromUs().syn().seq(US).window(4096).mss(1460);
            tcp.expect(syn);
            tcp.at(1000).expect(syn);
            tcp.at(2999).expectNothing();
            tcp.at(3000).expect(syn);
            tcp.at(7000).expect(syn);
            tcp.at(14_999).expectNothing();
            tcp.at(15_000).expectNothing();
            assertThat(connection.state()).isEqualTo(TcpState.CLOSED);
            assertThat(connection.closeReason()).isEqualTo(TcpCloseReason.TIMED_OUT);
            assertThat(connection.snapshot().retransmissions()).isEqualTo(3);
        }

        @Test
        void afterARetransmittedSynTheRtoIsThreeSecondsWithoutASample() {
            TcpHarness tcp = new TcpHarness();
            TcpConnection connection = connect(tcp);
            tcp.recv();
            tcp.at(1000).recv();
            tcp.at(1500).send(fromPeer().syn().seq(PEER).ack(US + 1).window(3000));
            // RFC 6298 5.7, Karn: the SYN was retransmitted, so no sample; the RTO becomes 3 s.
            assertThat(connection.snapshot().retransmissionTimeoutNanos()).isEqualTo(3_000 * TcpHarness.MS);
            assertThat(connection.snapshot().smoothedRttNanos()).isZero();
        }

        @Test
        void simultaneousOpen() {
            // RFC 9293 Figure 8: both sides send SYN; each answers with SYN,ACK; both reach ESTABLISHED.
            TcpHarness tcp = new TcpHarness();
            TcpConnection connection = connect(tcp);
            tcp.expect(fromUs().syn().seq(US).window(4096).mss(1460));
            tcp.send(fromPeer().syn().seq(PEER).window(4096).mss(1460));
            assertThat(connection.state()).isEqualTo(TcpState.SYN_RECEIVED);
            tcp.expect(fromUs().syn().seq(US).ack(PEER + 1).window(4096).mss(1460));
            tcp.send(fromPeer().syn().seq(PEER).ack(US + 1).window(4096).mss(1460));
            assertThat(connection.state()).isEqualTo(TcpState.ESTABLISHED);
            tcp.expectNothing();
            assertThat(tcp.stateChanges()).extracting(TcpEvent.StateChanged::to)
                    .containsExactly(TcpState.SYN_SENT, TcpState.SYN_RECEIVED, TcpState.ESTABLISHED);
        }

        @Test
        void closeInSynSentJustCloses() {
            TcpHarness tcp = new TcpHarness();
            TcpConnection connection = connect(tcp);
            tcp.recv();
            connection.close();
            tcp.expectNothing();
            assertThat(connection.state()).isEqualTo(TcpState.CLOSED);
        }

        @Test
        void withoutAnMssOptionThePeerGets536ByteSegments() {
            TcpHarness tcp = new TcpHarness(TcpHarness.plainConfig().withNagle(false));
            TcpConnection connection = connect(tcp);
            tcp.recv();
            tcp.send(fromPeer().syn().seq(PEER).ack(US + 1).window(4096));
            tcp.recv();
            byte[] data = TcpHarness.bytes(1000, 1);
            connection.send(data, 0, data.length);
            assertThat(tcp.drain()).extracting(TcpRepr::payloadLength).containsExactly(536, 464);
        }
    }

    @Nested
    class Established {
        @Test
        void dataIsAcknowledgedAfterTheDelayedAckTime() {
            TcpHarness tcp = new TcpHarness();
            TcpConnection connection = tcp.established();
            tcp.at(1000).send(fromPeer().seq(PEER + 1).ack(US + 1).window(4096).payload("abcdef"));
            tcp.expectNothing();
            assertThat(read(connection)).isEqualTo("abcdef");
            tcp.at(1039).expectNothing();
            // 40 ms later (the default delayed ACK). The window's right edge stays where it was: 6 freed bytes are
            // below the SWS threshold.
            tcp.at(1040).expect(fromUs().seq(US + 1).ack(PEER + 7).window(4090));
        }

        @Test
        void everySecondFullSegmentIsAcknowledgedAtOnce() {
            TcpHarness tcp = new TcpHarness(TcpHarness.plainConfig().withBuffers(8192, 4096));
            tcp.establishedPassive(fromPeer().syn().seq(PEER).window(4096).mss(1460),
                    fromPeer().seq(PEER + 1).ack(US + 1).window(4096));
            tcp.send(fromPeer().seq(PEER + 1).ack(US + 1).window(4096).payload(TcpHarness.bytes(1460, 0)));
            tcp.expectNothing();
            tcp.send(fromPeer().seq(PEER + 1461).ack(US + 1).window(4096).payload(TcpHarness.bytes(1460, 0)));
            tcp.expect(fromUs().seq(US + 1).ack(PEER + 2921).window(8192 - 2920));
        }

        @Test
        void sentDataIsAcknowledged() {
            TcpHarness tcp = new TcpHarness();
            TcpConnection connection = tcp.established();
            write(connection, "hello");
            tcp.expect(fromUs().seq(US + 1).ack(PEER + 1).window(4096).psh().payload("hello"));
            assertThat(connection.snapshot().bytesInFlight()).isEqualTo(5);
            tcp.at(20).send(fromPeer().seq(PEER + 1).ack(US + 6).window(4096));
            assertThat(connection.snapshot().bytesInFlight()).isZero();
            assertThat(connection.unacknowledgedBytes()).isZero();
            assertThat(tcp.nextTimerMillis()).as("no timer left").isEqualTo(Long.MAX_VALUE / TcpHarness.MS);
        }

        @Test
        void anOutOfWindowSegmentIsAnsweredWithAnAck() {
            TcpHarness tcp = new TcpHarness();
            tcp.established();
            tcp.send(fromPeer().seq(PEER + 100_000).ack(US + 1).window(4096).payload("zz"));
            tcp.expect(fromUs().seq(US + 1).ack(PEER + 1).window(4096));
            tcp.send(fromPeer().seq(PEER - 10).ack(US + 1).window(4096).payload("old"));
            tcp.expect(fromUs().seq(US + 1).ack(PEER + 1).window(4096));
        }

        @Test
        void anAckForUnsentDataIsAnsweredAndDropped() {
            TcpHarness tcp = new TcpHarness();
            TcpConnection connection = tcp.established();
            tcp.send(fromPeer().seq(PEER + 1).ack(US + 1000).window(4096).payload("data"));
            tcp.expect(fromUs().seq(US + 1).ack(PEER + 1).window(4096));
            assertThat(connection.available()).isZero();
        }

        @Test
        void aFinMovesToCloseWaitWithAnImmediateAck() {
            TcpHarness tcp = new TcpHarness();
            TcpConnection connection = tcp.established();
            tcp.send(fromPeer().seq(PEER + 1).ack(US + 1).window(4096).fin().payload("bye"));
            // The right edge stays put, so the FIN's sequence number comes off the window too.
            tcp.expect(fromUs().seq(US + 1).ack(PEER + 5).window(4092));
            assertThat(connection.state()).isEqualTo(TcpState.CLOSE_WAIT);
            assertThat(read(connection)).isEqualTo("bye");
            byte[] buffer = new byte[10];
            assertThat(connection.receive(buffer, 0, 10)).isEqualTo(-1);
            assertThat(connection.isReadable()).isTrue();
        }

        @Test
        void abortSendsAResetAtSndNxt() {
            TcpHarness tcp = new TcpHarness();
            TcpConnection connection = tcp.established();
            write(connection, "abc");
            tcp.recv();
            connection.abort();
            tcp.expect(fromUs().seq(US + 4).rst());
            tcp.expectNothing();
            assertThat(connection.closeReason()).isEqualTo(TcpCloseReason.ABORTED);
            assertThat(tcp.engine.connections()).isEmpty();
        }
    }

    @Nested
    class FinWait1 {
        @Test
        void closeSendsFinAndItsAckLeadsToFinWait2() {
            TcpHarness tcp = new TcpHarness();
            TcpConnection connection = tcp.established();
            connection.close();
            assertThat(connection.state()).isEqualTo(TcpState.FIN_WAIT_1);
            tcp.expect(fromUs().seq(US + 1).ack(PEER + 1).window(4096).fin());
            tcp.send(fromPeer().seq(PEER + 1).ack(US + 2).window(4096));
            assertThat(connection.state()).isEqualTo(TcpState.FIN_WAIT_2);
            tcp.expectNothing();
        }

        @Test
        void theFinFollowsQueuedData() {
            TcpHarness tcp = new TcpHarness();
            TcpConnection connection = tcp.established();
            write(connection, "last words");
            connection.close();
            tcp.expect(fromUs().seq(US + 1).ack(PEER + 1).window(4096).psh().fin().payload("last words"));
            assertThatThrownBy(() -> write(connection, "more")).isInstanceOf(IllegalStateException.class);
        }

        @Test
        void finAndAckTogetherLeadToTimeWait() {
            TcpHarness tcp = new TcpHarness();
            TcpConnection connection = tcp.established();
            connection.close();
            tcp.recv();
            tcp.send(fromPeer().seq(PEER + 1).ack(US + 2).window(4096).fin());
            tcp.expect(fromUs().seq(US + 2).ack(PEER + 2).window(4095));
            assertThat(connection.state()).isEqualTo(TcpState.TIME_WAIT);
        }

        @Test
        void simultaneousCloseGoesThroughClosing() {
            TcpHarness tcp = new TcpHarness();
            TcpConnection connection = tcp.established();
            connection.close();
            tcp.expect(fromUs().seq(US + 1).ack(PEER + 1).window(4096).fin());
            tcp.send(fromPeer().seq(PEER + 1).ack(US + 1).window(4096).fin());
            assertThat(connection.state()).isEqualTo(TcpState.CLOSING);
            tcp.expect(fromUs().seq(US + 2).ack(PEER + 2).window(4095));
            tcp.send(fromPeer().seq(PEER + 2).ack(US + 2).window(4096));
            assertThat(connection.state()).isEqualTo(TcpState.TIME_WAIT);
            assertThat(tcp.stateChanges()).extracting(TcpEvent.StateChanged::to).containsSubsequence(
                    TcpState.ESTABLISHED, TcpState.FIN_WAIT_1, TcpState.CLOSING, TcpState.TIME_WAIT);
        }

        @Test
        void theFinIsRetransmitted() {
            TcpHarness tcp = new TcpHarness();
            TcpConnection connection = tcp.established();
            connection.close();
            TcpHarness.Segment fin = fromUs().seq(US + 1).ack(PEER + 1).window(4096).fin();
            tcp.expect(fin);
            tcp.at(1000).expect(fin);
            tcp.at(3000).expect(fin);
        }
    }

    @Nested
    class FinWait2 {
        @Test
        void dataStillArrivesAndTheFinLeadsToTimeWait() {
            TcpHarness tcp = new TcpHarness();
            TcpConnection connection = tcp.established();
            connection.close();
            tcp.recv();
            tcp.send(fromPeer().seq(PEER + 1).ack(US + 2).window(4096));
            tcp.send(fromPeer().seq(PEER + 1).ack(US + 2).window(4096).payload("half"));
            assertThat(read(connection)).isEqualTo("half");
            tcp.send(fromPeer().seq(PEER + 5).ack(US + 2).window(4096).fin());
            tcp.expect(fromUs().seq(US + 2).ack(PEER + 6).window(4091));
            assertThat(connection.state()).isEqualTo(TcpState.TIME_WAIT);
        }
    }

    @Nested
    class CloseWait {
        @Test
        void weMaySendThenCloseToLastAckAndClosed() {
            TcpHarness tcp = new TcpHarness();
            TcpConnection connection = tcp.established();
            tcp.send(fromPeer().seq(PEER + 1).ack(US + 1).window(4096).fin());
            tcp.expect(fromUs().seq(US + 1).ack(PEER + 2).window(4095));
            write(connection, "reply");
            tcp.expect(fromUs().seq(US + 1).ack(PEER + 2).window(4095).psh().payload("reply"));
            connection.close();
            assertThat(connection.state()).isEqualTo(TcpState.LAST_ACK);
            tcp.expect(fromUs().seq(US + 6).ack(PEER + 2).window(4095).fin());
            tcp.send(fromPeer().seq(PEER + 2).ack(US + 7).window(4096));
            assertThat(connection.state()).isEqualTo(TcpState.CLOSED);
            assertThat(connection.closeReason()).isEqualTo(TcpCloseReason.NORMAL);
            assertThat(tcp.engine.connections()).isEmpty();
        }
    }

    @Nested
    class LastAck {
        @Test
        void theFinIsRetransmittedUntilAcknowledged() {
            TcpHarness tcp = new TcpHarness();
            TcpConnection connection = tcp.established();
            tcp.send(fromPeer().seq(PEER + 1).ack(US + 1).window(4096).fin());
            tcp.recv();
            connection.close();
            TcpHarness.Segment fin = fromUs().seq(US + 1).ack(PEER + 2).window(4095).fin();
            tcp.expect(fin);
            tcp.at(1000).expect(fin);
            tcp.send(fromPeer().seq(PEER + 2).ack(US + 2).window(4096));
            assertThat(connection.state()).isEqualTo(TcpState.CLOSED);
        }
    }

    @Nested
    class Closing {
        @Test
        void anAckThatDoesNotCoverTheFinIsIgnored() {
            TcpHarness tcp = new TcpHarness();
            TcpConnection connection = tcp.established();
            write(connection, "ab");
            connection.close();
            tcp.recv();
            tcp.send(fromPeer().seq(PEER + 1).ack(US + 1).window(4096).fin());
            assertThat(connection.state()).isEqualTo(TcpState.CLOSING);
            tcp.recv();
            tcp.send(fromPeer().seq(PEER + 2).ack(US + 3).window(4096));
            assertThat(connection.state()).isEqualTo(TcpState.CLOSING);
            tcp.send(fromPeer().seq(PEER + 2).ack(US + 4).window(4096));
            assertThat(connection.state()).isEqualTo(TcpState.TIME_WAIT);
        }
    }

    @Nested
    class TimeWait {
        TcpConnection intoTimeWait(TcpHarness tcp) {
            TcpConnection connection = tcp.established();
            connection.close();
            tcp.recv();
            tcp.send(fromPeer().seq(PEER + 1).ack(US + 2).window(4096).fin());
            tcp.expect(fromUs().seq(US + 2).ack(PEER + 2).window(4095));
            assertThat(connection.state()).isEqualTo(TcpState.TIME_WAIT);
            return connection;
        }

        @Test
        void lastsTwiceTheMslThenCloses() {
            TcpHarness tcp = new TcpHarness(TcpHarness.plainConfig().withMaximumSegmentLifetime(30 * TcpConfig.SECOND));
            TcpConnection connection = intoTimeWait(tcp);
            assertThat(tcp.nextTimerMillis()).isEqualTo(60_000);
            tcp.at(59_999);
            assertThat(connection.state()).isEqualTo(TcpState.TIME_WAIT);
            tcp.at(60_000);
            assertThat(connection.state()).isEqualTo(TcpState.CLOSED);
            assertThat(connection.closeReason()).isEqualTo(TcpCloseReason.NORMAL);
            assertThat(tcp.stateChanges()).last().extracting(TcpEvent.StateChanged::cause)
                    .isEqualTo(new TcpCause.Timer(TcpTimer.TIME_WAIT));
            assertThat(tcp.engine.connections()).isEmpty();
        }

        @Test
        void aRetransmittedFinIsAcknowledgedAndRestartsTheWait() {
            TcpHarness tcp = new TcpHarness(TcpHarness.plainConfig().withMaximumSegmentLifetime(TcpConfig.SECOND));
            TcpConnection connection = intoTimeWait(tcp);
            tcp.at(1500).send(fromPeer().seq(PEER + 1).ack(US + 2).window(4096).fin());
            tcp.expect(fromUs().seq(US + 2).ack(PEER + 2).window(4095));
            tcp.at(2000);
            assertThat(connection.state()).isEqualTo(TcpState.TIME_WAIT);
            tcp.at(3500);
            assertThat(connection.state()).isEqualTo(TcpState.CLOSED);
        }

        @Test
        void aNewSynAboveTheOldSequenceSpaceReopens() {
            TcpHarness tcp = new TcpHarness();
            TcpConnection old = intoTimeWait(tcp);
            tcp.localIss = LOCAL_ISS + 100_000;
            tcp.at(5000).send(fromPeer().syn().seq(PEER + 50_000).window(4096));
            assertThat(old.state()).isEqualTo(TcpState.CLOSED);
            tcp.expect(fromUs().syn().seq(US + 100_000).ack(PEER + 50_001).window(4096).mss(1460));
        }
    }
}
