package dev.stacklab.stack.tcp;

import dev.stacklab.dissect.Dissector;
import dev.stacklab.link.ImpairmentSettings;
import dev.stacklab.link.LinkEvent;
import dev.stacklab.runtime.SimFrame;
import dev.stacklab.runtime.SimHost;
import dev.stacklab.runtime.Simulation;
import dev.stacklab.runtime.SimulationObserver;
import dev.stacklab.stack.StackConfig;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.Ipv4Cidr;
import dev.stacklab.wire.MacAddress;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * Issue 8's integrity run: two stacks in the {@link Simulation} (Ethernet, ARP, IPv4, TCP checksums) exchange
 * {@code bytesEachWay} of seeded random data both ways at once over cables that lose 10%, reorder 5%, duplicate 2%
 * and corrupt 1% of the frames each host sends; each side closes once it has sent everything. The result carries
 * the SHA-256 of what each side sent and of what the other received, how each connection closed, and a SHA-256 of
 * the trace (every frame delivered, with its virtual time, sender and receiver), so that two runs of one seed can be
 * compared.
 */
final class ImpairedTransfer {
    static final Ipv4Address SERVER = Ipv4Address.parse("10.0.0.2");
    static final int PORT = 5001;
    static final ImpairmentSettings ISSUE_8 = ImpairmentSettings.NONE.withLoss(0.10).withReorder(0.05)
            .withDuplicate(0.02).withCorrupt(0.01).withDelay(Duration.ofMillis(2));
    /** Virtual time a run may take before it counts as stuck; a clean run needs a few minutes at most. */
    static final Duration VIRTUAL_TIME_LIMIT = Duration.ofMinutes(30);

    record Result(long seed, String upSent, String upReceived, String downSent, String downReceived, long upBytes,
                  long downBytes, TcpCloseReason clientClosed, TcpCloseReason serverClosed, TcpState clientState,
                  TcpState serverState, long virtualNanos, long frames, long retransmissions, String traceSha256,
                  long badChecksumDrops) {
        /** One line for a failure message or the test log. */
        String summary() {
            return String.format("seed %d: up %d B %s, down %d B %s, closed %s/%s, %.1f s virtual, %d frames, %d retransmissions,"
                            + " %d bad checksums dropped, trace %s", seed, upBytes, upSent.equals(upReceived) ? "intact" : "DIFFERENT",
                    downBytes, downSent.equals(downReceived) ? "intact" : "DIFFERENT", clientClosed, serverClosed,
                    virtualNanos / 1e9, frames, retransmissions, badChecksumDrops, traceSha256.substring(0, 16));
        }
    }

    private ImpairedTransfer() {
    }

    static Result run(long seed, int bytesEachWay) {
        return run(seed, bytesEachWay, null);
    }

    /**
     * As {@link #run(long, int)}, printing every frame delivered (time, hosts, Wireshark's info column) and every
     * impairment to {@code frameLog}: for looking into a seed that fails.
     */
    static Result run(long seed, int bytesEachWay, PrintStream frameLog) {
        return run(seed, bytesEachWay, TcpConfig.defaults(), frameLog);
    }

    /** As {@link #run(long, int)}, both stacks' TCP configured by {@code config} (a congestion control, say). */
    static Result run(long seed, int bytesEachWay, TcpConfig config, PrintStream frameLog) {
        Dissector dissector = new Dissector();
        Simulation sim = new Simulation(seed);
        SimHost a = sim.addHost("a", StackConfig.of(MacAddress.parse("02:00:00:00:00:01"), Ipv4Cidr.parse("10.0.0.1/24"), null));
        SimHost b = sim.addHost("b", StackConfig.of(MacAddress.parse("02:00:00:00:00:02"), Ipv4Cidr.parse("10.0.0.2/24"), null));
        TcpLayer tcpA = TcpLayer.install(a.stack(), config);
        TcpLayer tcpB = TcpLayer.install(b.stack(), config);
        MessageDigest trace = sha256();
        byte[] stamp = new byte[8];
        sim.addObserver(new SimulationObserver() {
            @Override
            public void frameDelivered(SimFrame frame) {
                long at = frame.deliveredAtNanos();
                for (int i = 0; i < 8; i++) {
                    stamp[i] = (byte) (at >>> (56 - 8 * i));
                }
                trace.update(stamp);
                trace.update(frame.from().name().getBytes(StandardCharsets.US_ASCII));
                trace.update(frame.to().name().getBytes(StandardCharsets.US_ASCII));
                trace.update(frame.frame());
                if (frameLog != null) {
                    frameLog.println(at / 1000 + " us " + frame.from().name() + ">" + frame.to().name() + " "
                            + dissector.summarize(at, frame.frame(), frame.frame().length, frame.frame().length).info());
                }
            }

            @Override
            public void linkEvent(LinkEvent event) {
                if (frameLog != null) {
                    frameLog.println("    " + event.linkName() + " " + event.kind() + ": "
                            + dissector.summarize(0, event.frame(), event.frame().length, event.frame().length).info());
                }
            }
        });
        a.impairSending(ISSUE_8);
        b.impairSending(ISSUE_8);

        byte[] up = new byte[bytesEachWay];
        byte[] down = new byte[bytesEachWay];
        new SplittableRandom(seed).nextBytes(up);
        new SplittableRandom(~seed).nextBytes(down);

        TcpListener listener = tcpB.listen(PORT, 4);
        TcpConnection client = tcpA.connect(SERVER, PORT, 0, sim.now());
        Side clientSide = new Side(client, up);
        Side serverSide = null;
        long limit = sim.now() + VIRTUAL_TIME_LIMIT.toNanos();
        while (sim.now() < limit) {
            if (serverSide == null) {
                TcpConnection accepted = listener.accept();
                if (accepted != null) {
                    serverSide = new Side(accepted, down);
                }
            }
            clientSide.exchange();
            if (serverSide != null) {
                serverSide.exchange();
                if (clientSide.connection.isClosed() && serverSide.connection.isClosed()) {
                    break;
                }
            } else if (client.isClosed()) {
                break;
            }
            sim.runFor(Duration.ofMillis(1));
        }
        if (serverSide == null) {
            throw new AssertionError("seed " + seed + ": the handshake never finished (" + client + ", " + client.closeReason() + ")");
        }
        long badChecksums = a.stack().counters().byLabel().getOrDefault("dropped: bad checksum", 0L)
                + b.stack().counters().byLabel().getOrDefault("dropped: bad checksum", 0L);
        return new Result(seed, hex(sha256().digest(up)), hex(serverSide.received.digest()), hex(sha256().digest(down)),
                hex(clientSide.received.digest()), serverSide.receivedBytes, clientSide.receivedBytes, client.closeReason(),
                serverSide.connection.closeReason(), client.state(), serverSide.connection.state(), sim.now(),
                sim.deliveredFrames(), tcpA.engine().counters().retransmissions() + tcpB.engine().counters().retransmissions(),
                hex(trace.digest()), badChecksums);
    }

    /** One end: sends its data and closes after the last byte, reads and hashes everything until the peer's FIN. */
    private static final class Side {
        final TcpConnection connection;
        final byte[] toSend;
        final MessageDigest received = sha256();
        final byte[] buffer = new byte[64 * 1024];
        int sent;
        long receivedBytes;
        boolean endOfStream;

        Side(TcpConnection connection, byte[] toSend) {
            this.connection = connection;
            this.toSend = toSend;
        }

        void exchange() {
            if (sent < toSend.length && connection.isWritable()) {
                sent += connection.send(toSend, sent, toSend.length - sent);
                if (sent == toSend.length) {
                    connection.close();
                }
            }
            while (!endOfStream) {
                int n = connection.receive(buffer, 0, buffer.length);
                if (n < 0) {
                    endOfStream = true;
                } else if (n == 0) {
                    break;
                } else {
                    received.update(buffer, 0, n);
                    receivedBytes += n;
                }
            }
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
