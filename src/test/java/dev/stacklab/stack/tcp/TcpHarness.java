package dev.stacklab.stack.tcp;

import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.TcpFlags;
import dev.stacklab.wire.TcpOption;
import dev.stacklab.wire.TcpRepr;
import dev.stacklab.wire.TcpSeqNumber;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scripted virtual-time tests of one {@link TcpEngine}, in the manner of smoltcp's socket/tcp.rs:
 * feed this segment at time t, expect exactly that segment back. Our side is 192.168.1.1:80 with
 * ISS 10000; the peer is 192.168.1.2:49500 with ISS 20000. Timestamps tick in milliseconds with no
 * offset, so TSval is the virtual time in ms.
 */
final class TcpHarness {
    static final Ipv4Address LOCAL = Ipv4Address.parse("192.168.1.1");
    static final Ipv4Address REMOTE = Ipv4Address.parse("192.168.1.2");
    static final int LOCAL_PORT = 80;
    static final int REMOTE_PORT = 49500;
    static final int LOCAL_ISS = 10_000;
    static final int REMOTE_ISS = 20_000;
    static final long MS = 1_000_000L;

    /** Plain connections: no options offered, 4 KiB buffers, so segments read short. */
    static TcpConfig plainConfig() {
        return TcpConfig.defaults().withOptions(false, false, false).withBuffers(4096, 4096);
    }

    final TcpEngine engine;
    final List<TcpEvent> events = new ArrayList<>();
    long now;
    int localIss = LOCAL_ISS;

    TcpHarness(TcpConfig config) {
        TcpSecrets secrets = new TcpSecrets() {
            @Override
            public int initialSequenceNumber(TcpEndpoints endpoints, long nowNanos) {
                return localIss;
            }

            @Override
            public int timestampOffset(TcpEndpoints endpoints) {
                return 0;
            }

            @Override
            public int ephemeralPort(TcpEndpoints withoutLocalPort, IntPredicate inUse) {
                for (int port = 49152; port <= 65535; port++) {
                    if (!inUse.test(port)) {
                        return port;
                    }
                }
                return 0;
            }
        };
        engine = new TcpEngine(config, secrets, 1500, events::add);
    }

    TcpHarness() {
        this(plainConfig());
    }

    /** Moves virtual time to {@code millis} and fires due timers. */
    TcpHarness at(long millis) {
        now = millis * MS;
        engine.onTimers(now);
        return this;
    }

    /** Delivers a segment from the peer at the current time. */
    void send(Segment segment) {
        engine.receive(REMOTE, LOCAL, segment.build(), now);
    }

    /** The next segment our side sends now, or null. */
    TcpRepr recv() {
        TcpOutput output = engine.nextOutput(now);
        if (output == null) {
            return null;
        }
        assertThat(output.source()).isEqualTo(LOCAL);
        assertThat(output.destination()).isEqualTo(REMOTE);
        return output.segment();
    }

    void expect(Segment expected) {
        TcpRepr actual = recv();
        assertThat(actual).as("at %d ms", now / MS).isEqualTo(expected.build());
    }

    void expectNothing() {
        assertThat(recv()).as("at %d ms", now / MS).isNull();
    }

    List<TcpRepr> drain() {
        List<TcpRepr> out = new ArrayList<>();
        for (TcpRepr segment = recv(); segment != null; segment = recv()) {
            out.add(segment);
        }
        return out;
    }

    /** The time of the next timer, in ms, once nothing more is to be sent now (asserted). */
    long nextTimerMillis() {
        expectNothing();
        return engine.pollAt() / MS;
    }

    List<TcpEvent.StateChanged> stateChanges() {
        List<TcpEvent.StateChanged> changes = new ArrayList<>();
        for (TcpEvent event : events) {
            if (event instanceof TcpEvent.StateChanged change) {
                changes.add(change);
            }
        }
        return changes;
    }

    // ------------------------------------------------------------ connection set-ups

    TcpListener listener;

    /** A listener on port 80 and a finished passive handshake; returns the accepted connection in ESTABLISHED. */
    TcpConnection establishedPassive(Segment synOptions, Segment ackOptions) {
        listener = engine.listen(LOCAL_PORT, 8);
        send(synOptions);
        TcpRepr synAck = recv();
        assertThat(synAck.flags()).isEqualTo(TcpFlags.SYN_ACK);
        send(ackOptions);
        TcpConnection connection = listener.accept();
        assertThat(connection).isNotNull();
        assertThat(connection.state()).isEqualTo(TcpState.ESTABLISHED);
        return connection;
    }

    /** A plain established connection (no options): peer window 4096, peer MSS 1460 unless given otherwise. */
    TcpConnection established() {
        return establishedPassive(fromPeer().syn().seq(REMOTE_ISS).mss(1460).window(4096),
                fromPeer().seq(REMOTE_ISS + 1).ack(LOCAL_ISS + 1).window(4096));
    }

    // ------------------------------------------------------------ segments

    static Segment fromPeer() {
        return new Segment(REMOTE_PORT, LOCAL_PORT);
    }

    static Segment fromPeerPort(int port) {
        return new Segment(port, LOCAL_PORT);
    }

    static Segment toPeerPort(int port) {
        return new Segment(LOCAL_PORT, port);
    }

    static Segment fromUs() {
        return new Segment(LOCAL_PORT, REMOTE_PORT);
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] bytes(int count, int seed) {
        byte[] data = new byte[count];
        for (int i = 0; i < count; i++) {
            data[i] = (byte) (seed + i * 7);
        }
        return data;
    }

    /** A segment under construction: ACK set by {@link #ack}, other flags by name. */
    static final class Segment {
        private final int sourcePort;
        private final int destinationPort;
        private long seq;
        private long ack;
        private TcpFlags flags = TcpFlags.NONE;
        private int window;
        private final List<TcpOption> options = new ArrayList<>();
        private byte[] payload = new byte[0];

        Segment(int sourcePort, int destinationPort) {
            this.sourcePort = sourcePort;
            this.destinationPort = destinationPort;
        }

        Segment seq(long value) {
            seq = value;
            return this;
        }

        Segment ack(long value) {
            ack = value;
            flags = flags.with(TcpFlags.ACK);
            return this;
        }

        Segment syn() {
            flags = flags.with(TcpFlags.SYN);
            return this;
        }

        Segment fin() {
            flags = flags.with(TcpFlags.FIN);
            return this;
        }

        Segment rst() {
            flags = flags.with(TcpFlags.RST);
            return this;
        }

        Segment psh() {
            flags = flags.with(TcpFlags.PSH);
            return this;
        }

        Segment window(int value) {
            window = value;
            return this;
        }

        Segment mss(int value) {
            options.add(new TcpOption.MaximumSegmentSize(value));
            return this;
        }

        Segment option(TcpOption option) {
            options.add(option);
            return this;
        }

        Segment timestamps(long value, long echo) {
            options.add(new TcpOption.NoOperation());
            options.add(new TcpOption.NoOperation());
            options.add(new TcpOption.Timestamps(value, echo));
            return this;
        }

        Segment sack(long... edges) {
            List<TcpOption.SackBlock> blocks = new ArrayList<>();
            for (int i = 0; i < edges.length; i += 2) {
                blocks.add(new TcpOption.SackBlock(edges[i], edges[i + 1]));
            }
            options.add(new TcpOption.NoOperation());
            options.add(new TcpOption.NoOperation());
            options.add(new TcpOption.Sack(blocks));
            return this;
        }

        Segment nops(int count) {
            for (int i = 0; i < count; i++) {
                options.add(new TcpOption.NoOperation());
            }
            return this;
        }

        Segment payload(byte[] data) {
            payload = Arrays.copyOf(data, data.length);
            return this;
        }

        Segment payload(String text) {
            return payload(ascii(text));
        }

        TcpRepr build() {
            return new TcpRepr(sourcePort, destinationPort, TcpSeqNumber.of(seq), TcpSeqNumber.of(ack), flags, window, 0,
                    options, payload);
        }
    }
}
