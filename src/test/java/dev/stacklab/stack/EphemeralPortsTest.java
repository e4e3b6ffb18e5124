package dev.stacklab.stack;

import dev.stacklab.wire.Ipv4Address;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RFC 6056 ephemeral ports: in 49152-65535, not sequential, never one in use. */
class EphemeralPortsTest {
    private static final Ipv4Address LOCAL = Ipv4Address.parse("10.0.0.1");
    private static final Ipv4Address REMOTE = Ipv4Address.parse("10.0.0.2");

    private static int sequentialSteps(List<Integer> ports) {
        int steps = 0;
        for (int i = 1; i < ports.size(); i++) {
            if (ports.get(i) == ports.get(i - 1) + 1) {
                steps++;
            }
        }
        return steps;
    }

    @Test
    void unconnectedBindsAreRandomInRangeAndSkipBoundPorts() {
        EphemeralPorts ports = new EphemeralPorts(new SplittableRandom(1));
        Set<Integer> bound = new HashSet<>();
        List<Integer> picked = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            int port = ports.pick(bound::contains);
            assertThat(port).isBetween(EphemeralPorts.FIRST, EphemeralPorts.LAST);
            assertThat(bound.add(port)).as("port %d picked twice", port).isTrue();
            picked.add(port);
        }
        assertThat(sequentialSteps(picked)).isLessThan(20);
    }

    @Test
    void connectionsToOneDestinationGetFreshPortsAndOtherDestinationsUnrelatedOnes() {
        EphemeralPorts ports = new EphemeralPorts(new SplittableRandom(2));
        Set<Integer> bound = new HashSet<>();
        List<Integer> toHttp = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            int port = ports.pick(LOCAL, REMOTE, 80, bound::contains);
            assertThat(port).isBetween(EphemeralPorts.FIRST, EphemeralPorts.LAST);
            assertThat(bound.add(port)).isTrue();
            toHttp.add(port);
        }
        // Algorithm 4: one table counter moves on per pick, so a tuple's ports step from a secret offset.
        int toSsh = ports.pick(LOCAL, REMOTE, 22, port -> false);
        int toOther = ports.pick(LOCAL, Ipv4Address.parse("10.0.0.3"), 80, port -> false);
        assertThat(Math.abs(toSsh - toHttp.get(0))).isGreaterThan(100);
        assertThat(Math.abs(toOther - toHttp.get(0))).isGreaterThan(100);
        // Another secret puts the same tuple elsewhere.
        int elsewhere = new EphemeralPorts(new SplittableRandom(3)).pick(LOCAL, REMOTE, 80, port -> false);
        assertThat(elsewhere).isNotEqualTo(toHttp.get(0));
    }

    @Test
    void aBoundPortIsSkippedForConnectionsToo() {
        EphemeralPorts first = new EphemeralPorts(new SplittableRandom(4));
        int wouldPick = first.pick(LOCAL, REMOTE, 80, port -> false);
        EphemeralPorts same = new EphemeralPorts(new SplittableRandom(4));
        int picked = same.pick(LOCAL, REMOTE, 80, port -> port == wouldPick);
        assertThat(picked).isNotEqualTo(wouldPick).isBetween(EphemeralPorts.FIRST, EphemeralPorts.LAST);
    }

    @Test
    void whenEveryPortIsTakenItSaysSo() {
        EphemeralPorts ports = new EphemeralPorts(new SplittableRandom(5));
        assertThatThrownBy(() -> ports.pick(port -> true)).isInstanceOf(IllegalStateException.class).hasMessageContaining("49152-65535");
        assertThatThrownBy(() -> ports.pick(LOCAL, REMOTE, 80, port -> true)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void udpBindZeroUsesThemAndNeverTakesABoundPort() {
        Recorder.Host host = new Recorder.Host(Frames.configA().withEntropy(Entropy.seeded(7)));
        Set<Integer> ports = new HashSet<>();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            int port = host.stack.udpBind(0, (s, a, p, d) -> { }).localPort();
            assertThat(ports.add(port)).isTrue();
            order.add(port);
        }
        assertThat(sequentialSteps(order)).isLessThan(10);
        assertThat(order).allSatisfy(port -> assertThat(port).isBetween(49152, 65535));
    }
}
