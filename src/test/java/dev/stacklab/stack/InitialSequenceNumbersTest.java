package dev.stacklab.stack;

import dev.stacklab.wire.Ipv4Address;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 6528 ISNs: a 4 µs clock plus a keyed hash of the four-tuple. */
class InitialSequenceNumbersTest {
    private static final Ipv4Address LOCAL = Ipv4Address.parse("10.0.0.1");
    private static final Ipv4Address REMOTE = Ipv4Address.parse("10.0.0.2");
    private final InitialSequenceNumbers isn = new InitialSequenceNumbers(0x0706050403020100L, 0x0F0E0D0C0B0A0908L);

    @Test
    void forOneTupleTheIsnGrowsByOneEveryFourMicroseconds() {
        int at0 = isn.next(LOCAL, 40000, REMOTE, 80, 0);
        assertThat(isn.next(LOCAL, 40000, REMOTE, 80, 3_999)).isEqualTo(at0);
        assertThat(isn.next(LOCAL, 40000, REMOTE, 80, 4_000)).isEqualTo(at0 + 1);
        assertThat(isn.next(LOCAL, 40000, REMOTE, 80, 1_000_000_000L)).isEqualTo(at0 + 250_000);
        // Monotonic in sequence space (RFC 9293 3.4: compared modulo 2^32) across a minute of connections.
        int previous = at0;
        for (long t = 1_000_000; t < 60_000_000_000L; t += 7_777_777) {
            int next = isn.next(LOCAL, 40000, REMOTE, 80, t);
            assertThat(next - previous).isPositive();
            previous = next;
        }
    }

    @Test
    void differentTuplesGetUnrelatedOffsets() {
        Set<Integer> seen = new HashSet<>();
        for (int port = 40000; port < 41000; port++) {
            seen.add(isn.next(LOCAL, port, REMOTE, 80, 0));
        }
        seen.add(isn.next(REMOTE, 40000, LOCAL, 80, 0));
        seen.add(isn.next(LOCAL, 40000, REMOTE, 81, 0));
        assertThat(seen).hasSize(1002);
        // Not a counter in disguise: neighbouring ports are far apart.
        int a = isn.next(LOCAL, 40000, REMOTE, 80, 0);
        int b = isn.next(LOCAL, 40001, REMOTE, 80, 0);
        assertThat(Math.abs((long) a - b)).isGreaterThan(1_000_000L);
    }

    @Test
    void anotherSecretGivesOtherIsnsAndTheSameSecretTheSame() {
        InitialSequenceNumbers other = new InitialSequenceNumbers(1, 2);
        InitialSequenceNumbers same = new InitialSequenceNumbers(0x0706050403020100L, 0x0F0E0D0C0B0A0908L);
        assertThat(other.next(LOCAL, 40000, REMOTE, 80, 0)).isNotEqualTo(isn.next(LOCAL, 40000, REMOTE, 80, 0));
        assertThat(same.next(LOCAL, 40000, REMOTE, 80, 12345)).isEqualTo(isn.next(LOCAL, 40000, REMOTE, 80, 12345));
    }

    /** The reference vector of SipHash-2-4 (the paper's appendix A): key 00..0f, message 00..0f. */
    @Test
    void sipHashMatchesItsReferenceVector() {
        SipHash hash = new SipHash(0x0706050403020100L, 0x0F0E0D0C0B0A0908L);
        assertThat(hash.hash(0x0706050403020100L, 0x0F0E0D0C0B0A0908L)).isEqualTo(0x3f2acc7f57c29bdbL);
    }

    @Test
    void aStacksSecretComesFromItsEntropy() {
        NetStack seededOnce = new NetStack(Frames.configA().withEntropy(Entropy.seeded(42)), StackEventListener.NONE);
        NetStack seededAgain = new NetStack(Frames.configA().withEntropy(Entropy.seeded(42)), StackEventListener.NONE);
        NetStack secure = new NetStack(Frames.configA(), StackEventListener.NONE);
        int first = seededOnce.initialSequenceNumbers().next(LOCAL, 1, REMOTE, 2, 0);
        assertThat(seededAgain.initialSequenceNumbers().next(LOCAL, 1, REMOTE, 2, 0)).isEqualTo(first);
        assertThat(secure.initialSequenceNumbers().next(LOCAL, 1, REMOTE, 2, 0)).isNotEqualTo(first);
        assertThat(Frames.configA().entropy()).isEqualTo(Entropy.secure());
    }
}
