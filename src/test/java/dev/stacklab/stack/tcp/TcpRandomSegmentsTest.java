package dev.stacklab.stack.tcp;

import dev.stacklab.wire.TcpFlags;
import dev.stacklab.wire.TcpOption;
import dev.stacklab.wire.TcpRepr;
import dev.stacklab.wire.TcpSeqNumber;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.stacklab.stack.tcp.TcpHarness.LOCAL;
import static dev.stacklab.stack.tcp.TcpHarness.LOCAL_ISS;
import static dev.stacklab.stack.tcp.TcpHarness.LOCAL_PORT;
import static dev.stacklab.stack.tcp.TcpHarness.REMOTE;
import static dev.stacklab.stack.tcp.TcpHarness.REMOTE_ISS;
import static dev.stacklab.stack.tcp.TcpHarness.REMOTE_PORT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeded random segments, near and far from the expected sequence numbers, with any flags and options, thrown
 * at connections in every state the script reaches: nothing throws, every segment out can be emitted, SND.UNA
 * never passes SND.NXT, and no buffer grows past its bound.
 */
class TcpRandomSegmentsTest {
    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13, 14, 15, 16})
    void randomSegmentsKeepTheInvariants(long seed) {
        Random random = new Random(seed);
        TcpHarness tcp = new TcpHarness(TcpConfig.defaults().withBuffers(4096, 4096).withLimits(8, 64));
        TcpListener listener = tcp.engine.listen(LOCAL_PORT, 4);
        List<TcpConnection> connections = new ArrayList<>();
        connections.add(tcp.engine.connect(LOCAL, 40_000, REMOTE, REMOTE_PORT, 0));
        byte[] scratch = new byte[8192];
        for (int i = 0; i < 20_000; i++) {
            tcp.now += random.nextInt(50) * TcpHarness.MS;
            tcp.engine.onTimers(tcp.now);
            int localPort = random.nextBoolean() ? LOCAL_PORT : 40_000;
            int remotePort = localPort == 40_000 ? REMOTE_PORT : REMOTE_PORT + random.nextInt(3);
            TcpConnection target = tcp.engine.connection(new TcpEndpoints(LOCAL, localPort, REMOTE, remotePort));
            long seq;
            long ack;
            if (target != null && random.nextInt(10) < 8) {
                // Mostly what the connection expects, give or take a little: that is what drives it through its states.
                TcpSnapshot expected = target.snapshot();
                seq = (expected.receiveNext().value() + (random.nextInt(4) == 0 ? random.nextInt(200) - 100 : 0)) & 0xFFFF_FFFFL;
                ack = (expected.sendNext().value() - (random.nextInt(3) == 0 ? random.nextInt(2000) : 0)) & 0xFFFF_FFFFL;
            } else {
                long base = random.nextBoolean() ? REMOTE_ISS : random.nextInt() & 0xFFFF_FFFFL;
                seq = (base + random.nextInt(9000) - 1000) & 0xFFFF_FFFFL;
                ack = (LOCAL_ISS + random.nextInt(9000) - 1000) & 0xFFFF_FFFFL;
            }
            int pick = random.nextInt(100);
            TcpFlags flags = pick < 60 ? TcpFlags.ACK : pick < 68 ? TcpFlags.FIN_ACK : pick < 76 ? TcpFlags.SYN
                    : pick < 84 ? TcpFlags.SYN_ACK : pick < 88 ? TcpFlags.RST : pick < 90 ? TcpFlags.RST_ACK
                    : new TcpFlags(random.nextInt(0x40));
            List<TcpOption> options = new ArrayList<>();
            if (random.nextInt(4) == 0) {
                options.add(new TcpOption.MaximumSegmentSize(random.nextInt(1600)));
            }
            if (random.nextInt(4) == 0) {
                options.add(new TcpOption.WindowScale(random.nextInt(20)));
            }
            if (random.nextInt(3) == 0) {
                options.add(new TcpOption.Timestamps(random.nextInt(5000), random.nextInt(5000)));
            }
            if (random.nextInt(4) == 0) {
                options.add(new TcpOption.SackPermitted());
            }
            if (random.nextInt(4) == 0) {
                long left = (ack + random.nextInt(4000)) & 0xFFFF_FFFFL;
                options.add(new TcpOption.Sack(List.of(new TcpOption.SackBlock(left, (left + random.nextInt(3000)) & 0xFFFF_FFFFL))));
            }
            byte[] payload = new byte[random.nextInt(4) == 0 ? random.nextInt(1500) : 0];
            TcpRepr segment = new TcpRepr(remotePort, localPort, TcpSeqNumber.of(seq), TcpSeqNumber.of(ack), flags,
                    random.nextInt(0x10000), 0, options, payload);
            tcp.engine.receive(REMOTE, LOCAL, segment, tcp.now);
            for (TcpOutput output; (output = tcp.engine.nextOutput(tcp.now)) != null; ) {
                byte[] wire = new byte[output.segment().bufferLength()];
                output.segment().emit(wire, 0, output.source(), output.destination());
            }
            TcpConnection accepted = listener.accept();
            if (accepted != null) {
                connections.add(accepted);
            }
            for (TcpConnection connection : connections) {
                if (random.nextInt(10) == 0 && connection.isWritable()) {
                    connection.send(scratch, 0, random.nextInt(3000));
                }
                if (random.nextInt(5) == 0) {
                    connection.receive(scratch, 0, scratch.length);
                }
                if (random.nextInt(200) == 0) {
                    connection.close();
                }
                TcpSnapshot snapshot = connection.snapshot();
                assertThat(TcpSeqNumber.atOrBefore(snapshot.sendUnacknowledged().bits(), snapshot.sendNext().bits()))
                        .as("SND.UNA <= SND.NXT in %s", snapshot).isTrue();
                assertThat(connection.available()).isBetween(0, 4096);
                assertThat(connection.unacknowledgedBytes()).isBetween(0, 4096);
                assertThat(snapshot.receiveWindow()).isBetween(0L, 4096L);
            }
            assertThat(tcp.engine.connections().size()).isLessThanOrEqualTo(64);
        }
        assertThat(tcp.engine.counters().segmentsReceived()).isEqualTo(20_000);
        java.util.Set<TcpState> reached = java.util.EnumSet.noneOf(TcpState.class);
        tcp.stateChanges().forEach(change -> reached.add(change.to()));
        assertThat(reached).as("states the random segments drove connections through")
                .contains(TcpState.ESTABLISHED, TcpState.CLOSE_WAIT, TcpState.FIN_WAIT_1, TcpState.CLOSED);
    }
}
