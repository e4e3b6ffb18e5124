package dev.stacklab.stack.tcp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * CUBIC's window (RFC 9438) driven by ACKs at explicit times: the reduction by beta_cubic, W_max and K, the concave
 * return to W_max and the convex probing beyond it, fast convergence, and the Reno-friendly region. MSS 1000 bytes,
 * so a window of N segments is N,000 bytes.
 */
class CubicTest {
    static final int MSS = 1000;
    static final long SECOND = 1_000_000_000L;
    static final long RTT = 100_000_000L;

    /** Slow start from the initial window to {@code segments}, one ACK of one segment at a time. */
    static Cubic grownTo(int segments) {
        Cubic cubic = new Cubic(MSS);
        int sent = 1;
        while (cubic.congestionWindow() < (long) segments * MSS) {
            cubic.onNewAck(sent += MSS, MSS, cubic.congestionWindow(), sent + 100 * MSS, 0, RTT);
        }
        assertThat(cubic.congestionWindow()).isEqualTo((long) segments * MSS);
        return cubic;
    }

    /** One window's worth of one-segment ACKs at {@code now}; returns the window after them. */
    static long aWindowOfAcks(Cubic cubic, long now, int[] ack) {
        return aWindowOfAcks(cubic, now, ack, RTT);
    }

    static long aWindowOfAcks(Cubic cubic, long now, int[] ack, long rtt) {
        long acks = cubic.congestionWindow() / MSS;
        for (long i = 0; i < acks; i++) {
            ack[0] += MSS;
            cubic.onNewAck(ack[0], MSS, cubic.congestionWindow(), ack[0] + 200 * MSS, now, rtt);
        }
        return cubic.congestionWindow();
    }

    @Test
    void aLossCutsTheWindowToSevenTenthsAndSetsTheCubicsPlateau() {
        Cubic cubic = grownTo(100);
        cubic.onLossRecoveryStart(100 * MSS, 1 + 100 * MSS);
        // RFC 9438 4.6: ssthresh = flight * 0.7; 4.7: W_max = the window at the event (no earlier one to converge to).
        assertThat(cubic.slowStartThreshold()).isEqualTo(70 * MSS);
        assertThat(cubic.congestionWindow()).isEqualTo(70 * MSS);
        assertThat(cubic.windowMaxBytes()).isEqualTo(100 * MSS);
        cubic.onLossRecoveryEnd();
        int[] ack = {1 + 100 * MSS};
        aWindowOfAcks(cubic, 10 * SECOND, ack);
        // 4.2: K = cbrt(W_max (1 - beta) / C) = cbrt(100 * 0.3 / 0.4) = 4.217 s from the first ACK in avoidance.
        assertThat(cubic.timeToWindowMaxNanos() / 1e9).isCloseTo(Math.cbrt(75), within(1e-6));
    }

    /**
     * A window of 1,000 segments (a long fat path: Reno's estimate, 0.53 segments per round trip, stays far below):
     * concave back to W_max by K = cbrt(1000 * 0.3 / 0.4) = 9.09 s, flat around it, convex beyond.
     */
    @Test
    void theWindowClimbsBackToWmaxByKAndProbesBeyondItAfterwards() {
        Cubic cubic = grownTo(1000);
        cubic.onLossRecoveryStart(1000 * MSS, 1 + 1000 * MSS);
        cubic.onLossRecoveryEnd();
        int[] ack = {1 + 1000 * MSS};
        long start = 50 * SECOND;
        long previous = cubic.congestionWindow();
        double k = Math.cbrt(750); // 9.09 s
        long growthEarly = 0;
        long growthNearK = 0;
        int rounds = 0;
        for (long t = start; t <= start + (long) ((k + 3) * SECOND); t += RTT) {
            long window = aWindowOfAcks(cubic, t, ack);
            double since = (t - start) / 1e9;
            if (since < 1) {
                growthEarly += window - previous;
            }
            if (Math.abs(since - k) < 0.5) {
                growthNearK += window - previous;
            }
            // Never shrinking, and never beyond W_cubic one RTT ahead, unless in the Reno-friendly region, where the
            // window grows by at most one segment per round trip (4.3).
            rounds++;
            assertThat(window).isGreaterThanOrEqualTo(previous);
            assertThat((double) window / MSS).isLessThanOrEqualTo(Math.max(cubic.windowCubic(since + RTT / 1e9), 700 + rounds) + 1e-6);
            previous = window;
        }
        // Concave: fast at first, flat near W_max (4.4); then convex beyond it (4.5).
        assertThat(growthEarly).isGreaterThan(3 * growthNearK);
        assertThat(previous).isGreaterThan(1000 * MSS + 5 * MSS);
        assertThat((double) previous / MSS).isCloseTo(cubic.windowCubic(k + 3), within(3.0));
    }

    @Test
    void aLossBelowTheLastPlateauConvergesFast() {
        Cubic cubic = grownTo(100);
        cubic.onLossRecoveryStart(100 * MSS, 1 + 100 * MSS);
        cubic.onLossRecoveryEnd();
        // A second loss at 70 segments, below W_max = 100: W_max = 70 (1 + 0.7) / 2 = 59.5 (4.7).
        cubic.onLossRecoveryStart(70 * MSS, 1 + 200 * MSS);
        assertThat(cubic.windowMaxBytes()).isEqualTo(59_500);
        assertThat(cubic.slowStartThreshold()).isEqualTo(49 * MSS);
    }

    @Test
    void onAShortPathTheWindowGrowsAtLeastAsRenoWould() {
        // 1 ms RTT: the cubic function barely moves in a few RTTs, so the Reno-friendly estimate leads (4.3):
        // alpha_cubic = 3 (1 - 0.7) / (1 + 0.7) = 0.529 segments per window of ACKs.
        Cubic cubic = grownTo(100);
        cubic.onLossRecoveryStart(100 * MSS, 1 + 100 * MSS);
        cubic.onLossRecoveryEnd();
        int[] ack = {1 + 100 * MSS};
        long before = cubic.congestionWindow();
        long t = SECOND;
        for (int round = 0; round < 10; round++, t += 1_000_000L) {
            aWindowOfAcks(cubic, t, ack, 1_000_000L);
        }
        double renoGrowth = 10 * Cubic.ALPHA;
        assertThat((cubic.congestionWindow() - before) / (double) MSS).isCloseTo(renoGrowth, within(0.6));
    }

    @Test
    void aTimeoutLeavesOneSegmentAndTheNewThreshold() {
        Cubic cubic = grownTo(40);
        cubic.onRetransmissionTimeout(40 * MSS, 1 + 40 * MSS);
        assertThat(cubic.congestionWindow()).isEqualTo(MSS);
        assertThat(cubic.slowStartThreshold()).isEqualTo(28 * MSS);
    }
    /** Chosen per connection before data flows (as TCP_CONGESTION): without SACK, the third duplicate ACK cuts to 0.7. */
    @Test
    void aConnectionChoosesCubicBeforeItSendsAndFastRecoveryCutsToSevenTenths() {
        TcpHarness tcp = new TcpHarness(TcpHarness.plainConfig().withBuffers(65535, 65535).withNagle(false));
        TcpConnection connection = TcpBehaviourTest.establishedWithRtt(tcp, 0, 1000, 65535);
        assertThat(connection.congestionAlgorithm()).isEqualTo(CongestionAlgorithm.NEW_RENO);
        connection.setCongestionAlgorithm(CongestionAlgorithm.CUBIC);
        assertThat(connection.congestionAlgorithm()).isEqualTo(CongestionAlgorithm.CUBIC);
        byte[] data = TcpHarness.bytes(10_000, 21);
        connection.send(data, 0, data.length);
        assertThat(tcp.drain()).hasSize(10);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> connection.setCongestionAlgorithm(CongestionAlgorithm.NEW_RENO))
                .isInstanceOf(IllegalStateException.class).hasMessage("the congestion control is chosen before any data is sent");
        for (int i = 0; i < 3; i++) {
            tcp.at(10).send(TcpHarness.fromPeer().seq(TcpHarness.REMOTE_ISS + 1).ack(TcpHarness.LOCAL_ISS + 1).window(65535));
        }
        // RFC 9438 4.6: ssthresh = FlightSize * 0.7 = 7,000; fast recovery inflates by the three duplicates (RFC 5681 3.2).
        assertThat(connection.snapshot().slowStartThreshold()).isEqualTo(7_000);
        assertThat(connection.snapshot().congestionWindow()).isEqualTo(10_000);
        assertThat(tcp.recv().sequenceNumber().value()).isEqualTo(TcpHarness.LOCAL_ISS + 1);
    }

    /** Both stacks on CUBIC through TcpIntegrityIT's impairments: every byte arrives, both ends close. */
    @Test
    void tenMebibytesEachWayThroughLossArriveIntactWithCubic() {
        ImpairedTransfer.Result result = ImpairedTransfer.run(7, TcpIntegrityTest.TEN_MIB,
                TcpConfig.defaults().withCongestionAlgorithm(CongestionAlgorithm.CUBIC), null);
        TcpIntegrityTest.assertIntactAndClosed(result);
        System.out.println("CUBIC " + result.summary());
    }
}
