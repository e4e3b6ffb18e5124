package dev.stacklab.runtime;

import dev.stacklab.stack.FrameTransmitter;
import dev.stacklab.stack.NetStack;
import dev.stacklab.stack.StackConfig;
import dev.stacklab.stack.StackEventListener;
import dev.stacklab.stack.tcp.TcpConfig;
import dev.stacklab.stack.tcp.TcpConnection;
import dev.stacklab.stack.tcp.TcpLayer;
import dev.stacklab.stack.tcp.TcpListener;
import dev.stacklab.stack.tcp.TcpState;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.Ipv4Cidr;
import dev.stacklab.wire.MacAddress;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Random;

/**
 * A bulk TCP transfer between two whole stacks in memory, no I/O, on the calling thread: the figure behind
 * issue 8's target of 5 Gbit/s stack to stack ({@code stacklab bench tcp}).
 *
 * <p>Two {@link NetStack}s with TCP installed, joined by a perfect zero-length cable: every Ethernet frame one
 * hands out goes straight into the other's {@code receive}, so each byte crosses Ethernet, ARP, IPv4 (with its
 * header checksum) and TCP (with its checksum over the data) both ways, at a 1500-byte MTU. Time is the real
 * clock, so a stall (a delayed ACK, a retransmission timeout) costs what it would cost on a wire. The client sends
 * a seeded random block over and over; the server compares every byte it reads with the block at its offset, and
 * the run fails on a single wrong or missing byte.
 */
public final class TcpBulkBench {
    private static final int PORT = 5001;
    private static final int BLOCK = 1 << 20;
    private static final int READ_SIZE = 64 * 1024;
    /** A transfer that makes no progress for this long has stalled: the bench fails rather than hangs. */
    private static final long STALL_NANOS = 30_000_000_000L;
    private static final MacAddress CLIENT_MAC = MacAddress.parse("02:00:00:00:00:01");
    private static final MacAddress SERVER_MAC = MacAddress.parse("02:00:00:00:00:02");
    private static final Ipv4Cidr CLIENT_ADDRESS = Ipv4Cidr.parse("10.0.0.1/24");
    private static final Ipv4Cidr SERVER_ADDRESS = Ipv4Cidr.parse("10.0.0.2/24");

    /**
     * What one transfer measured.
     *
     * @param bytesSent       bytes the client's application wrote
     * @param bytesReceived   bytes the server's application read, each compared with what was sent
     * @param elapsedNanos    wall-clock time from the first write to the last byte read
     * @param cpuNanos        the thread's CPU time over the same span
     * @param retransmissions segments either stack sent again
     * @param segmentsSent    segments both stacks sent
     * @param warmUpRounds    unmeasured transfers made first, until one went by without the JIT compiling
     * @param warmUpBytes     bytes those carried in all
     */
    public record Result(long bytesSent, long bytesReceived, long elapsedNanos, long cpuNanos, long retransmissions,
                         long segmentsSent, int warmUpRounds, long warmUpBytes) {
        public double megabitsPerSecond() {
            return bytesReceived * 8e3 / elapsedNanos;
        }

        /** The share of one core the transfer used (1.0: the thread ran all the time). */
        public double cpuShare() {
            return (double) cpuNanos / elapsedNanos;
        }
    }

    private final NetStack client;
    private final NetStack server;
    private final TcpLayer clientTcp;
    private final TcpLayer serverTcp;
    private final FrameTransmitter toServer;
    private final FrameTransmitter toClient;
    private final byte[] block = new byte[BLOCK];
    private long now;

    private TcpBulkBench(long seed) {
        new Random(seed).nextBytes(block);
        client = new NetStack(StackConfig.of(CLIENT_MAC, CLIENT_ADDRESS, null), StackEventListener.NONE);
        server = new NetStack(StackConfig.of(SERVER_MAC, SERVER_ADDRESS, null), StackEventListener.NONE);
        clientTcp = TcpLayer.install(client, TcpConfig.defaults());
        serverTcp = TcpLayer.install(server, TcpConfig.defaults());
        toServer = (frame, offset, length) -> deliver(server, frame, offset, length);
        toClient = (frame, offset, length) -> deliver(client, frame, offset, length);
        now = System.nanoTime();
        client.start(now);
        server.start(now);
    }

    /** A warm-up round during which the JIT compiled for less than this long finds the path compiled. */
    private static final long COMPILED_MILLIS = 10;
    private static final int MINIMUM_WARM_UP_ROUNDS = 2;
    private static final int MAXIMUM_WARM_UP_ROUNDS = 40;

    /**
     * Transfers {@code warmUpBytes} unmeasured, again and again until the JIT has compiled the path (a round during
     * which it compiled for under 10 ms, after at least 2 and at most 40 rounds), then {@code bytes} measured, each on
     * a connection of its own between the same two stacks. One warm-up of a fixed size was not enough on a loaded
     * machine, where the compiler threads get a slice of a core: a measured 200 MiB then took 0.3 s of CPU in one run
     * and 1.7 s in the next; and the rate alone does not say when compiling is done (three rounds of 50 MiB ran
     * equally slowly while the compiled code was still queued).
     *
     * @throws IllegalStateException when a byte arrives wrong or missing, or the transfer stalls for 30 s
     */
    public static Result run(long bytes, long warmUpBytes) {
        if (bytes < 1 || warmUpBytes < 0) {
            throw new IllegalArgumentException("bytes must be positive and warm-up bytes not negative");
        }
        TcpBulkBench bench = new TcpBulkBench(bytes);
        CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
        boolean compileTimeKnown = compiler != null && compiler.isCompilationTimeMonitoringSupported();
        int rounds = 0;
        while (warmUpBytes > 0 && rounds < MAXIMUM_WARM_UP_ROUNDS) {
            long compiledBefore = compileTimeKnown ? compiler.getTotalCompilationTime() : 0;
            bench.transfer(warmUpBytes);
            rounds++;
            long compiling = compileTimeKnown ? compiler.getTotalCompilationTime() - compiledBefore : 0;
            if (rounds >= MINIMUM_WARM_UP_ROUNDS && compiling < COMPILED_MILLIS) {
                break;
            }
        }
        Result measured = bench.transfer(bytes);
        return new Result(measured.bytesSent(), measured.bytesReceived(), measured.elapsedNanos(), measured.cpuNanos(),
                measured.retransmissions(), measured.segmentsSent(), rounds, rounds * warmUpBytes);
    }

    private Result transfer(long bytes) {
        long retransmittedBefore = retransmissions();
        long segmentsBefore = clientTcp.engine().counters().segmentsSent() + serverTcp.engine().counters().segmentsSent();
        TcpListener listener = serverTcp.listen(PORT, 1);
        TcpConnection sender = clientTcp.connect(SERVER_ADDRESS.address(), PORT, 0, clock());
        TcpConnection receiver = null;
        long handshakeStart = now;
        while (receiver == null) {
            exchange();
            receiver = listener.accept();
            if (sender.isClosed() || now - handshakeStart > STALL_NANOS) {
                throw new IllegalStateException("the handshake failed: " + sender.state() + ", " + sender.closeReason());
            }
        }
        listener.close();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long sent = 0;
        long received = 0;
        byte[] buffer = new byte[READ_SIZE];
        long lastProgress = start;
        while (received < bytes) {
            if (sent < bytes) {
                int offset = (int) (sent % BLOCK);
                sent += sender.send(block, offset, (int) Math.min(bytes - sent, BLOCK - offset));
            }
            exchange();
            for (int n; (n = receiver.receive(buffer, 0, buffer.length)) > 0; ) {
                check(buffer, n, received);
                received += n;
                lastProgress = now;
            }
            if (receiver.isClosed() || now - lastProgress > STALL_NANOS) {
                throw new IllegalStateException("the transfer stopped after " + received + " of " + bytes
                        + " bytes (receiver " + receiver.state() + ", sender " + sender.state() + ")");
            }
        }
        long elapsed = System.nanoTime() - start;
        long cpu = threads.getCurrentThreadCpuTime() - cpuStart;
        finish(sender, receiver, buffer);
        long segments = clientTcp.engine().counters().segmentsSent() + serverTcp.engine().counters().segmentsSent() - segmentsBefore;
        return new Result(sent, received, elapsed, cpu, retransmissions() - retransmittedBefore, segments, 0, 0);
    }

    /** Every byte read must be the block's byte at its offset in the stream. */
    private void check(byte[] buffer, int length, long streamOffset) {
        int done = 0;
        while (done < length) {
            int offset = (int) ((streamOffset + done) % BLOCK);
            int count = Math.min(length - done, BLOCK - offset);
            int mismatch = Arrays.mismatch(buffer, done, done + count, block, offset, offset + count);
            if (mismatch >= 0) {
                throw new IllegalStateException("byte " + (streamOffset + done + mismatch) + " arrived wrong");
            }
            done += count;
        }
    }

    /** The receiver reads the FIN and closes too; both ends must get out of the way of the next transfer. */
    private void finish(TcpConnection sender, TcpConnection receiver, byte[] buffer) {
        long deadline = System.nanoTime() + STALL_NANOS;
        sender.close();
        boolean receiverClosed = false;
        while (!receiver.isClosed() || !(sender.isClosed() || sender.state() == TcpState.TIME_WAIT)) {
            exchange();
            int n = receiver.receive(buffer, 0, buffer.length);
            if (n > 0) {
                throw new IllegalStateException("the receiver read " + n + " bytes more than were sent");
            }
            if (n < 0 && !receiverClosed) {
                receiver.close();
                receiverClosed = true;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the connection did not close (receiver " + receiver.state() + ", sender "
                        + sender.state() + ")");
            }
        }
        // TIME_WAIT holds only the client's ephemeral port; the next transfer takes another.
        sender.release();
        receiver.release();
    }

    private long clock() {
        now = Math.max(now, System.nanoTime());
        return now;
    }

    /** Both stacks fire their timers and hand out what they have; each frame goes straight into the other stack. */
    private void exchange() {
        long at = clock();
        client.poll(at, toServer);
        server.poll(at, toClient);
    }

    private void deliver(NetStack to, byte[] frame, int offset, int length) {
        // The stack hands each frame out in an array of its own (offset 0), as a driver would copy it to a NIC.
        byte[] bytes = offset == 0 ? frame : Arrays.copyOfRange(frame, offset, offset + length);
        to.receive(bytes, length, now);
    }

    private long retransmissions() {
        return clientTcp.engine().counters().retransmissions() + serverTcp.engine().counters().retransmissions();
    }
}
