package dev.stacklab.stack.tcp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.stacklab.runtime.SimHost;
import dev.stacklab.runtime.Simulation;
import dev.stacklab.stack.StackConfig;
import dev.stacklab.wire.Checksum;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.Ipv4Cidr;
import dev.stacklab.wire.MacAddress;
import dev.stacklab.wire.TcpSeqNumber;

import java.util.Optional;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two stacks in the {@link Simulation} exchange a stream each way while the fuzz input decides, TCP frame by TCP
 * frame, what the wire does to it: pass it, lose it, duplicate it, hold it back so later frames overtake it, flip a
 * bit, or change a field with the checksums made right again (truncate the payload, set the flags, move SEQ or ACK,
 * set the window, overwrite the options). After every frame delivered: no exception has left an engine (the
 * simulation would throw it), every connection has SND.UNA at or before SND.NXT (mod 2^32), its buffers, window,
 * flight and out-of-order queue stay within the configured sizes, each stack holds no more connections than its
 * limit, and what each application has read is a prefix of what the other side sent. Once the input runs out the
 * wire is clean, so a run ends when both connections have closed or the network goes quiet; an input that never
 * changed a frame must deliver both streams whole and close both ends normally.
 *
 * <p>Changes that keep the checksums right never put payload where it does not belong (a moved SEQ or an added
 * SYN drops the payload, truncation keeps a prefix): TCP cannot tell such forgeries from the truth, so they could
 * only test the checksum, not the engine. Flipped bits are left for the checksums to find.
 *
 * <p>Under {@code mvn verify} this replays the inputs in
 * {@code src/test/resources/dev/stacklab/stack/tcp/TcpMangleFuzzTestInputs/mangledSegments/} (each a few tens of
 * milliseconds); {@code JAZZER_FUZZ=1 mvn -o test -Dtest=TcpMangleFuzzTest} fuzzes for {@code maxDuration}.
 */
class TcpMangleFuzzTest {
    static final int BUFFER = 8192;
    static final int STREAM = 30_000;
    static final int PORT = 80;
    static final int MAX_STEPS = 20_000;
    static final TcpConfig CONFIG = TcpConfig.defaults().withBuffers(BUFFER, BUFFER).withRetries(3, 5)
            .withMaximumSegmentLifetime(TcpConfig.SECOND).withLimits(8, 16);

    @FuzzTest(maxDuration = "60s")
    void mangledSegments(byte[] input) {
        Simulation sim = new Simulation(1);
        SimHost a = sim.addHost("a", StackConfig.of(MacAddress.parse("02:00:00:00:00:01"), Ipv4Cidr.parse("10.0.0.1/24"), null));
        SimHost b = sim.addHost("b", StackConfig.of(MacAddress.parse("02:00:00:00:00:02"), Ipv4Cidr.parse("10.0.0.2/24"), null));
        TcpLayer tcpA = TcpLayer.install(a.stack(), CONFIG);
        TcpLayer tcpB = TcpLayer.install(b.stack(), CONFIG);
        Wire wire = new Wire(sim, input);
        a.loseSending(frame -> wire.mangle(frame, b));
        b.loseSending(frame -> wire.mangle(frame, a));

        byte[] up = new byte[STREAM];
        byte[] down = new byte[STREAM];
        new SplittableRandom(1).nextBytes(up);
        new SplittableRandom(2).nextBytes(down);
        TcpListener listener = tcpB.listen(PORT, 4);
        App client = new App(tcpA.connect(b.address(), PORT, 0, sim.now()), up, down);
        App server = null;
        for (int step = 0; step < MAX_STEPS; step++) {
            if (server == null) {
                TcpConnection accepted = listener.accept();
                server = accepted == null ? null : new App(accepted, down, up);
            }
            client.exchange();
            if (server != null) {
                server.exchange();
            }
            checkInvariants(tcpA);
            checkInvariants(tcpB);
            if (client.connection.isClosed() && (server == null || server.connection.isClosed())) {
                break;
            }
            Optional<?> delivered = sim.step();
            if (delivered.isEmpty() && sim.step().isEmpty()) {
                break; // quiet for two hours of virtual time: nothing more will happen
            }
        }
        if (wire.changed == 0) {
            assertThat(server).as("the handshake finished").isNotNull();
            assertThat(server.received).as("bytes the server read").isEqualTo(STREAM);
            assertThat(client.received).as("bytes the client read").isEqualTo(STREAM);
            assertThat(client.connection.closeReason()).isEqualTo(TcpCloseReason.NORMAL);
            assertThat(server.connection.closeReason()).isEqualTo(TcpCloseReason.NORMAL);
        }
    }

    private static void checkInvariants(TcpLayer tcp) {
        TcpEngine engine = tcp.engine();
        assertThat(engine.connections().size()).as("connections held").isLessThanOrEqualTo(CONFIG.maximumConnections());
        for (TcpConnection connection : engine.connections()) {
            TcpSnapshot snapshot = connection.snapshot();
            assertThat(TcpSeqNumber.atOrBefore(snapshot.sendUnacknowledged().bits(), snapshot.sendNext().bits()))
                    .as("SND.UNA <= SND.NXT in %s", snapshot).isTrue();
            assertThat(connection.available()).as("bytes waiting to be read").isBetween(0, BUFFER);
            assertThat(connection.unacknowledgedBytes()).as("bytes waiting to be acknowledged").isBetween(0, BUFFER);
            assertThat(snapshot.receiveWindow()).as("receive window").isBetween(0L, (long) BUFFER);
            // The send buffer's data, plus a SYN and a FIN.
            assertThat(snapshot.bytesInFlight()).as("bytes in flight").isBetween(0L, BUFFER + 2L);
            assertThat(snapshot.outOfOrderSegments()).as("out-of-order ranges").isBetween(0, BUFFER);
        }
    }

    /** One application: sends its stream and closes, reads the peer's and checks each byte against what was sent. */
    private static final class App {
        final TcpConnection connection;
        final byte[] toSend;
        final byte[] expected;
        final byte[] buffer = new byte[4096];
        int sent;
        int received;
        boolean ended;

        App(TcpConnection connection, byte[] toSend, byte[] expected) {
            this.connection = connection;
            this.toSend = toSend;
            this.expected = expected;
        }

        void exchange() {
            if (sent < toSend.length && connection.isWritable()) {
                sent += connection.send(toSend, sent, toSend.length - sent);
                if (sent == toSend.length) {
                    connection.close();
                }
            }
            while (!ended) {
                int n = connection.receive(buffer, 0, buffer.length);
                if (n < 0) {
                    ended = true;
                } else if (n == 0) {
                    return;
                } else {
                    assertThat(received + n).as("read more than the peer sent").isLessThanOrEqualTo(expected.length);
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] != expected[received + i]) {
                            throw new AssertionError("byte " + (received + i) + " read is not the byte sent there (" + connection + ")");
                        }
                    }
                    received += n;
                }
            }
        }
    }

    /**
     * The wire between the hosts, following the input: one byte picks what happens to each TCP frame, the bytes after
     * it say where or how much. Frames other than TCP (ARP) pass, as does everything once the input is used up.
     */
    static final class Wire {
        static final int ETHERNET = 14;

        private final Simulation sim;
        private final byte[] script;
        private int position;
        int changed;

        Wire(Simulation sim, byte[] script) {
            this.sim = sim;
            this.script = script;
        }

        private int next() {
            return position < script.length ? script[position++] & 0xFF : 0;
        }

        private int nextShort() {
            return next() << 8 | next();
        }

        private int nextInt() {
            return nextShort() << 16 | nextShort();
        }

        /** Decides the fate of one frame on its way to {@code to}: true to take it off the wire. May change it in place. */
        boolean mangle(byte[] frame, SimHost to) {
            if (position >= script.length || !isTcp(frame)) {
                return false;
            }
            int action = next() & 0x0F;
            if (action >= 10) {
                return false; // passes untouched: 6 in 16
            }
            changed++;
            int ip = ETHERNET;
            int ipHeader = (frame[ip] & 0x0F) * 4;
            int tcp = ip + ipHeader;
            int tcpLength = u16(frame, ip + 2) - ipHeader;
            int tcpHeader = (frame[tcp + 12] >>> 4 & 0x0F) * 4;
            switch (action) {
                case 0 -> {
                    return true; // lost
                }
                case 1 -> {
                    // Duplicated: the copy arrives up to 25.5 ms later.
                    byte[] copy = frame.clone();
                    sim.schedule(sim.now() + next() * 100_000L, () -> to.stack().receive(copy, copy.length, sim.now()));
                    return false;
                }
                case 2 -> {
                    // Held back 1 to 256 ms, so that later frames overtake it.
                    byte[] copy = frame.clone();
                    sim.schedule(sim.now() + (1 + next()) * 1_000_000L, () -> to.stack().receive(copy, copy.length, sim.now()));
                    return true;
                }
                case 3 -> {
                    // One bit flipped after the Ethernet header; the checksums are left to find it.
                    int bit = nextShort() % ((frame.length - ETHERNET) * 8);
                    frame[ETHERNET + bit / 8] ^= (byte) (0x80 >>> (bit % 8));
                    return false;
                }
                case 4 -> {
                    // Truncated: IP's total length shortened (the rest becomes Ethernet padding), the payload a prefix.
                    int newLength = nextShort() % (tcpLength + 1);
                    setTcpLength(frame, ipHeader, newLength);
                }
                case 5 -> {
                    int flags = next();
                    frame[tcp + 13] = (byte) flags;
                    if ((flags & 0x02) != 0) {
                        setTcpLength(frame, ipHeader, tcpHeader); // a SYN takes a sequence number: no payload after it
                    }
                }
                case 6 -> {
                    put32(frame, tcp + 4, u32(frame, tcp + 4) + nextInt());
                    setTcpLength(frame, ipHeader, tcpHeader);
                }
                case 7 -> put32(frame, tcp + 8, u32(frame, tcp + 8) + nextInt());
                case 8 -> {
                    frame[tcp + 14] = (byte) next();
                    frame[tcp + 15] = (byte) next();
                }
                default -> {
                    for (int at = tcp + 20; at < tcp + tcpHeader; at++) {
                        frame[at] = (byte) next();
                    }
                }
            }
            fixChecksums(frame, ipHeader);
            return false;
        }

        static boolean isTcp(byte[] frame) {
            return frame.length >= ETHERNET + 40 && u16(frame, 12) == 0x0800 && (frame[ETHERNET] & 0xF0) == 0x40
                    && frame[ETHERNET + 9] == 6;
        }

        /** Shortens the TCP segment to {@code tcpLength} through IP's total length (into the header, it is malformed). */
        private static void setTcpLength(byte[] frame, int ipHeader, int tcpLength) {
            if (tcpLength < u16(frame, ETHERNET + 2) - ipHeader) {
                int total = ipHeader + tcpLength;
                frame[ETHERNET + 2] = (byte) (total >>> 8);
                frame[ETHERNET + 3] = (byte) total;
            }
        }

        private static void fixChecksums(byte[] frame, int ipHeader) {
            int ip = ETHERNET;
            frame[ip + 10] = 0;
            frame[ip + 11] = 0;
            int ipChecksum = Checksum.compute(frame, ip, ipHeader);
            frame[ip + 10] = (byte) (ipChecksum >>> 8);
            frame[ip + 11] = (byte) ipChecksum;
            int tcp = ip + ipHeader;
            int tcpLength = Math.min(u16(frame, ip + 2) - ipHeader, frame.length - tcp);
            if (tcpLength < 18) {
                return;
            }
            frame[tcp + 16] = 0;
            frame[tcp + 17] = 0;
            int sum = Checksum.pseudoHeader(new Ipv4Address((int) u32(frame, ip + 12)), new Ipv4Address((int) u32(frame, ip + 16)), 6, tcpLength);
            int tcpChecksum = Checksum.finish(Checksum.add(sum, frame, tcp, tcpLength));
            frame[tcp + 16] = (byte) (tcpChecksum >>> 8);
            frame[tcp + 17] = (byte) tcpChecksum;
        }

        private static int u16(byte[] bytes, int at) {
            return (bytes[at] & 0xFF) << 8 | bytes[at + 1] & 0xFF;
        }

        private static long u32(byte[] bytes, int at) {
            return (long) u16(bytes, at) << 16 | u16(bytes, at + 2);
        }

        private static void put32(byte[] bytes, int at, long value) {
            for (int i = 0; i < 4; i++) {
                bytes[at + i] = (byte) (value >>> (24 - 8 * i));
            }
        }
    }
}
