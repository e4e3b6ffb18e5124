package dev.stacklab.stack.tcp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 8's integrity test, a few seeds of it: 10 MiB each way at once between two stacks in the simulation, over
 * cables losing 10%, reordering 5%, duplicating 2% and corrupting 1% of the frames each host sends. A seed is some
 * 150 s of virtual time (TIME-WAIT's 60 included; 290 s before RFC 6675's SACK recovery), 23,000 frames and 2,500
 * retransmissions, run in 0.4 to 1.4 s of
 * wall time on two loaded cores: 100 seeds (40 s) are too many for the unit suite, so it runs seeds 1 to 3 (seed 3
 * ended in a mutual timeout before the fix tested by TcpBehaviourTest's afterATimeoutAcksAndResetsCarryTheHighest-
 * SequenceSent) and one seed twice; {@link TcpIntegrityIT} runs all 100 seeds under {@code mvn verify}.
 */
class TcpIntegrityTest {
    static final int TEN_MIB = 10 << 20;

    /** What every seed must show: both streams intact, both connections closed by their FINs, corrupt frames dropped. */
    static void assertIntactAndClosed(ImpairedTransfer.Result result) {
        assertThat(result.upBytes()).as(result.summary()).isEqualTo(TEN_MIB);
        assertThat(result.upReceived()).as("SHA-256 of what the server received; " + result.summary()).isEqualTo(result.upSent());
        assertThat(result.downBytes()).as(result.summary()).isEqualTo(TEN_MIB);
        assertThat(result.downReceived()).as("SHA-256 of what the client received; " + result.summary()).isEqualTo(result.downSent());
        assertThat(result.clientState()).as(result.summary()).isEqualTo(TcpState.CLOSED);
        assertThat(result.serverState()).as(result.summary()).isEqualTo(TcpState.CLOSED);
        assertThat(result.clientClosed()).as(result.summary()).isEqualTo(TcpCloseReason.NORMAL);
        assertThat(result.serverClosed()).as(result.summary()).isEqualTo(TcpCloseReason.NORMAL);
        assertThat(result.retransmissions()).as("losses were repaired; " + result.summary()).isPositive();
        assertThat(result.badChecksumDrops()).as("corrupted frames were caught by a checksum; " + result.summary()).isPositive();
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void tenMebibytesEachWayArriveIntactAndBothEndsClose(long seed) {
        ImpairedTransfer.Result result = ImpairedTransfer.run(seed, TEN_MIB);
        System.out.println(result.summary());
        assertIntactAndClosed(result);
    }

    @Test
    void theSameSeedGivesTheSameTrace() {
        ImpairedTransfer.Result first = ImpairedTransfer.run(4, TEN_MIB);
        ImpairedTransfer.Result second = ImpairedTransfer.run(4, TEN_MIB);
        assertIntactAndClosed(first);
        assertThat(second).as("every frame at the same virtual time, byte for byte").isEqualTo(first);
        assertThat(ImpairedTransfer.run(5, 1 << 20).traceSha256()).as("another seed, another trace").isNotEqualTo(first.traceSha256());
    }
}
