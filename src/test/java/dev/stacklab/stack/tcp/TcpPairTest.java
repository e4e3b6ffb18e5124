package dev.stacklab.stack.tcp;

import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.MalformedPacketException;
import dev.stacklab.wire.TcpPacket;
import dev.stacklab.wire.TcpRepr;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.function.IntPredicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two TCP engines joined by an in-memory path that loses, reorders and duplicates segments (seeded), every
 * segment going through {@link TcpRepr#emit} and {@link TcpRepr#parse} on the way: what arrives equals what
 * was sent, both ways, and both ends close cleanly.
 */
class TcpPairTest {
    static final Ipv4Address A = Ipv4Address.parse("10.0.0.1");
    static final Ipv4Address B = Ipv4Address.parse("10.0.0.2");
    static final long MS = 1_000_000L;

    record InFlight(long arrival, long order, boolean toB, byte[] bytes) {
    }

    static TcpSecrets secrets(int iss) {
        return new TcpSecrets() {
            @Override
            public int initialSequenceNumber(TcpEndpoints endpoints, long nowNanos) {
                return iss + (int) (nowNanos / 4000);
            }

            @Override
            public int timestampOffset(TcpEndpoints endpoints) {
                return iss;
            }

            @Override
            public int ephemeralPort(TcpEndpoints withoutLocalPort, IntPredicate inUse) {
                return 50_000;
            }
        };
    }

    /** The path: 5 ms one way, plus up to 5 ms jitter (which reorders), with loss and duplication. */
    static final class Path {
        final Random random;
        final double loss;
        final double duplicate;
        final double corrupt;
        long corruptDropped;
        final PriorityQueue<InFlight> inFlight = new PriorityQueue<>((x, y) -> x.arrival != y.arrival
                ? Long.compare(x.arrival, y.arrival) : Long.compare(x.order, y.order));
        long order;
        long sent;

        Path(long seed, double loss, double duplicate, double corrupt) {
            this.random = new Random(seed);
            this.loss = loss;
            this.duplicate = duplicate;
            this.corrupt = corrupt;
        }

        void carry(TcpOutput output, boolean toB, long now) {
            sent++;
            byte[] bytes = new byte[output.segment().bufferLength()];
            output.segment().emit(bytes, 0, output.source(), output.destination());
            int copies = random.nextDouble() < duplicate ? 2 : 1;
            for (int i = 0; i < copies; i++) {
                if (random.nextDouble() < loss) {
                    continue;
                }
                long delay = 5 * MS + (long) (random.nextDouble() * 5 * MS);
                byte[] copy = bytes.clone();
                if (random.nextDouble() < corrupt) {
                    copy[random.nextInt(copy.length)] ^= (byte) (1 << random.nextInt(8));
                }
                inFlight.add(new InFlight(now + delay, order++, toB, copy));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void bulkBothWaysThroughLossReorderingAndDuplicationThenClose(long seed) throws MalformedPacketException {
        transfer(seed, 64 * 1024);
    }

    /** Buffers of 4 KiB: windows close and reopen all the time, zero-window probes and window updates get lost too. */
    @ParameterizedTest
    @ValueSource(longs = {21, 22, 23, 24, 25})
    void smallBuffersThroughTheSameImpairments(long seed) throws MalformedPacketException {
        transfer(seed, 4096);
    }

    private static void transfer(long seed, int bufferSize) throws MalformedPacketException {
        TcpConfig config = TcpConfig.defaults().withBuffers(bufferSize, bufferSize);
        TcpEngine a = new TcpEngine(config, secrets(1_000_000), 1500, TcpEventListener.NONE);
        TcpEngine b = new TcpEngine(config, secrets(-5), 1500, TcpEventListener.NONE);
        Path path = new Path(seed, 0.10, 0.02, 0.01);
        TcpListener listener = b.listen(7, 4);
        TcpConnection client = a.connect(A, 0, B, 7, 0);
        TcpConnection server = null;

        byte[] upload = new byte[300_000];
        byte[] download = new byte[200_000];
        new Random(seed * 31).nextBytes(upload);
        new Random(seed * 37).nextBytes(download);
        int uploaded = 0;
        int downloaded = 0;
        ByteArrayOutputStream serverGot = new ByteArrayOutputStream();
        ByteArrayOutputStream clientGot = new ByteArrayOutputStream();
        boolean clientClosed = false;
        boolean serverClosed = false;
        byte[] buffer = new byte[16 * 1024];
        long now = 0;
        for (int step = 0; step < 2_000_000; step++) {
            // Applications: write what fits, read what is there, close after the last byte and the peer's FIN.
            if (server == null) {
                server = listener.accept();
            }
            if (client.isWritable() && uploaded < upload.length) {
                uploaded += client.send(upload, uploaded, upload.length - uploaded);
            }
            if (uploaded == upload.length && !clientClosed) {
                client.close();
                clientClosed = true;
            }
            for (int n; (n = client.receive(buffer, 0, buffer.length)) > 0; ) {
                clientGot.write(buffer, 0, n);
            }
            if (server != null) {
                if (server.isWritable() && downloaded < download.length) {
                    downloaded += server.send(download, downloaded, download.length - downloaded);
                }
                for (int n; (n = server.receive(buffer, 0, buffer.length)) > 0; ) {
                    serverGot.write(buffer, 0, n);
                }
                if (downloaded == download.length && !serverClosed && serverGot.size() == upload.length) {
                    server.close();
                    serverClosed = true;
                }
            }
            for (TcpOutput output; (output = a.nextOutput(now)) != null; ) {
                path.carry(output, true, now);
            }
            for (TcpOutput output; (output = b.nextOutput(now)) != null; ) {
                path.carry(output, false, now);
            }
            if (client.isClosed() && server != null && server.isClosed()) {
                break;
            }
            long next = Math.min(Math.min(a.pollAt(), b.pollAt()),
                    path.inFlight.isEmpty() ? Long.MAX_VALUE : path.inFlight.peek().arrival());
            assertThat(next).as("something left to happen at step %d", step).isNotEqualTo(Long.MAX_VALUE);
            now = Math.max(now, next);
            while (!path.inFlight.isEmpty() && path.inFlight.peek().arrival() <= now) {
                InFlight segment = path.inFlight.poll();
                Ipv4Address source = segment.toB() ? A : B;
                Ipv4Address destination = segment.toB() ? B : A;
                TcpRepr repr;
                try {
                    repr = TcpRepr.parse(TcpPacket.wrapChecked(segment.bytes(), 0, segment.bytes().length), source, destination);
                } catch (MalformedPacketException e) {
                    path.corruptDropped++; // the checksum caught the flipped bit, as the IP layer would
                    continue;
                }
                (segment.toB() ? b : a).receive(source, destination, repr, now);
            }
            a.onTimers(now);
            b.onTimers(now);
            TcpSnapshot snapshot = client.snapshot();
            assertThat(dev.stacklab.wire.TcpSeqNumber.atOrBefore(snapshot.sendUnacknowledged().bits(), snapshot.sendNext().bits()))
                    .as("SND.UNA <= SND.NXT").isTrue();
        }
        assertThat(Arrays.equals(serverGot.toByteArray(), upload)).as("upload intact").isTrue();
        assertThat(Arrays.equals(clientGot.toByteArray(), download)).as("download intact").isTrue();
        assertThat(client.closeReason()).isEqualTo(TcpCloseReason.NORMAL);
        assertThat(server.closeReason()).isEqualTo(TcpCloseReason.NORMAL);
        assertThat(a.connections()).isEmpty();
        assertThat(b.connections()).isEmpty();
        assertThat(a.counters().retransmissions() + b.counters().retransmissions()).as("losses were repaired").isPositive();
    }
}
