package dev.stacklab.runtime;

import dev.stacklab.stack.FrameTransmitter;
import dev.stacklab.stack.NetStack;
import dev.stacklab.stack.StackConfig;
import dev.stacklab.stack.StackEventListener;
import dev.stacklab.wire.ArpPacket;
import dev.stacklab.wire.ArpRepr;
import dev.stacklab.wire.BigEndian;
import dev.stacklab.wire.EtherType;
import dev.stacklab.wire.EthernetFrame;
import dev.stacklab.wire.EthernetRepr;
import dev.stacklab.wire.Icmpv4Packet;
import dev.stacklab.wire.Icmpv4Repr;
import dev.stacklab.wire.IpProtocol;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.Ipv4Cidr;
import dev.stacklab.wire.Ipv4Repr;
import dev.stacklab.wire.MacAddress;
import dev.stacklab.wire.MalformedPacketException;

import java.time.Duration;

/**
 * The engine alone, no I/O, answering ICMP echo requests as fast as it can on the calling thread: the figure
 * behind the target of a million echo replies per second on one core ({@code stacklab bench engine}).
 *
 * <p>One {@link NetStack} is fed pre-built echo-request frames straight into {@code receive}, and after each one
 * {@code poll} hands out the reply, in virtual time (1 µs apart). Kept honest: the requests are real frames with
 * valid checksums, rotating over {@value #DISTINCT_REQUESTS} sequence numbers; every frame the engine hands out is
 * checked to be the echo reply to the request just given (EtherType, ICMP type, sequence number), and the run
 * fails if a single one is missing or wrong. The stack publishes its events to no listener, as the CLI's bench
 * runs it; a UI attached to every frame costs more, and that is measured elsewhere.
 *
 * <p>Before measuring, the peer introduces itself with an ARP request (RFC 826: the stack learns the sender of a
 * request for its own address), and a warm-up lets the JIT compile the path.
 */
public final class EngineEchoBench {
    static final int DISTINCT_REQUESTS = 256;
    private static final int ICMP_IDENTIFIER = 0x5354;
    private static final long VIRTUAL_GAP_NANOS = 1_000;
    private static final int BATCH = 10_000;

    private static final MacAddress STACK_MAC = MacAddress.parse("02:00:00:00:00:01");
    private static final MacAddress PEER_MAC = MacAddress.parse("02:00:00:00:00:02");
    private static final Ipv4Cidr STACK_ADDRESS = Ipv4Cidr.parse("10.0.0.1/24");
    private static final Ipv4Address PEER_ADDRESS = Ipv4Address.parse("10.0.0.2");
    private static final int IP_HEADER = 20;
    private static final int ICMP_OFFSET = EthernetFrame.HEADER_LENGTH + IP_HEADER;

    /**
     * What one run measured.
     *
     * @param requests     echo requests fed to the engine while measuring
     * @param replies      echo replies it handed out (equal to {@code requests}: the run fails otherwise)
     * @param elapsedNanos wall-clock time of the measured part
     * @param payloadSize  ICMP data bytes per request
     */
    public record Result(long requests, long replies, long elapsedNanos, int payloadSize) {
        public double repliesPerSecond() {
            return replies * 1e9 / elapsedNanos;
        }

        public double nanosPerReply() {
            return (double) elapsedNanos / replies;
        }
    }

    private final int payloadSize;
    private final byte[][] requests;
    private final NetStack stack;
    private final ReplyChecker checker = new ReplyChecker();
    private long now;

    private EngineEchoBench(int payloadSize) {
        this.payloadSize = payloadSize;
        this.requests = new byte[DISTINCT_REQUESTS][];
        for (int i = 0; i < DISTINCT_REQUESTS; i++) {
            requests[i] = echoRequest(i, payloadSize);
        }
        // Neighbor entries must not expire during a long run: a re-resolution would be ARP, not echo, work.
        StackConfig config = StackConfig.of(STACK_MAC, STACK_ADDRESS, null).withNeighborReachable(Long.MAX_VALUE / 4);
        this.stack = new NetStack(config, StackEventListener.NONE);
    }

    /** Runs with 56-byte payloads (iputils' default), a 1 s warm-up and 3 s of measurement. */
    public static Result run() {
        return run(PingSettings.DEFAULT_PAYLOAD_SIZE, Duration.ofSeconds(1), Duration.ofSeconds(3));
    }

    /**
     * @param payloadSize ICMP data bytes per request (0 to 1472, so that the request fits one Ethernet frame)
     * @param warmup      time to run before measuring
     * @param measure     time to measure
     * @throws IllegalStateException when the engine does not answer every request with its reply
     */
    public static Result run(int payloadSize, Duration warmup, Duration measure) {
        if (payloadSize < 0 || payloadSize > StackConfig.ETHERNET_MTU - IP_HEADER - Icmpv4Packet.HEADER_LENGTH) {
            throw new IllegalArgumentException("payload size " + payloadSize + " is outside 0-1472");
        }
        EngineEchoBench bench = new EngineEchoBench(payloadSize);
        bench.introducePeer();
        bench.runFor(warmup.toNanos());
        return bench.runFor(measure.toNanos());
    }

    private Result runFor(long durationNanos) {
        long start = System.nanoTime();
        long end = start + durationNanos;
        long sent = 0;
        long repliesBefore = checker.replies;
        long elapsed;
        do {
            for (int i = 0; i < BATCH; i++) {
                int index = (int) (sent++ & (DISTINCT_REQUESTS - 1));
                byte[] request = requests[index];
                checker.expectedSequence = index;
                now += VIRTUAL_GAP_NANOS;
                stack.receive(request, request.length, now);
                stack.poll(now, checker);
            }
            elapsed = System.nanoTime() - start;
        } while (System.nanoTime() < end);
        long replies = checker.replies - repliesBefore;
        if (replies != sent || checker.wrong != 0) {
            throw new IllegalStateException("the engine answered " + replies + " of " + sent + " echo requests, "
                    + checker.wrong + " frames were not the expected reply (last: " + checker.lastProblem + ")");
        }
        return new Result(sent, replies, elapsed, payloadSize);
    }

    /** Checks every frame the engine hands out: the echo reply to the request just fed, nothing else. */
    private static final class ReplyChecker implements FrameTransmitter {
        int expectedSequence;
        long replies;
        long arpFrames;
        long wrong;
        String lastProblem = "none";

        @Override
        public void transmit(byte[] frame, int offset, int length) {
            // The engine's own ARP (a second gratuitous announcement, RFC 5227 2.3) is not an answer, nor an error.
            if (length >= EthernetFrame.HEADER_LENGTH
                    && BigEndian.u16(frame, offset + EthernetFrame.TYPE) == EtherType.ARP.value()) {
                arpFrames++;
                return;
            }
            if (length < ICMP_OFFSET + Icmpv4Packet.HEADER_LENGTH
                    || BigEndian.u16(frame, offset + EthernetFrame.TYPE) != EtherType.IPV4.value()
                    || BigEndian.u8(frame, offset + EthernetFrame.HEADER_LENGTH) != 0x45
                    || BigEndian.u8(frame, offset + ICMP_OFFSET + Icmpv4Packet.TYPE) != Icmpv4Packet.TYPE_ECHO_REPLY) {
                wrong++;
                lastProblem = "a " + length + "-byte frame that is not an echo reply";
                return;
            }
            int sequence = BigEndian.u16(frame, offset + ICMP_OFFSET + Icmpv4Packet.SEQUENCE_NUMBER);
            if (sequence != expectedSequence) {
                wrong++;
                lastProblem = "the reply to sequence " + sequence + " where " + expectedSequence + " was due";
                return;
            }
            replies++;
        }
    }

    /**
     * The peer asks for the stack's address, so the stack knows the peer's MAC and answers echo requests at once;
     * then one request and reply make sure of it (answering an ARP request of the stack's if it still sends one).
     */
    private void introducePeer() {
        now = 1_000_000_000L;
        stack.start(now);
        byte[] arpRequest = arpFrame(ArpRepr.EthernetIpv4.request(PEER_MAC, PEER_ADDRESS, STACK_ADDRESS.address()),
                MacAddress.BROADCAST);
        stack.receive(arpRequest, arpRequest.length, now);
        stack.poll(now, (frame, offset, length) -> { });
        for (int attempt = 0; attempt < 3; attempt++) {
            long before = checker.replies;
            byte[][] stackArp = new byte[1][];
            checker.expectedSequence = 0;
            stack.receive(requests[0], requests[0].length, now);
            stack.poll(now, (frame, offset, length) -> {
                if (BigEndian.u16(frame, offset + EthernetFrame.TYPE) == EtherType.ARP.value()) {
                    stackArp[0] = java.util.Arrays.copyOfRange(frame, offset, offset + length);
                } else {
                    checker.transmit(frame, offset, length);
                }
            });
            if (checker.replies > before && checker.wrong == 0) {
                return;
            }
            if (stackArp[0] != null) {
                answerArp(stackArp[0]);
            }
            now += VIRTUAL_GAP_NANOS;
        }
        throw new IllegalStateException("the engine does not answer echo requests (last: " + checker.lastProblem + ")");
    }

    private void answerArp(byte[] frame) {
        try {
            ArpPacket packet = ArpPacket.wrapChecked(frame, EthernetFrame.HEADER_LENGTH, frame.length - EthernetFrame.HEADER_LENGTH);
            if (ArpRepr.parse(packet) instanceof ArpRepr.EthernetIpv4 request
                    && request.operation() == ArpPacket.OPERATION_REQUEST
                    && request.targetProtocolAddress().equals(PEER_ADDRESS)) {
                byte[] reply = arpFrame(ArpRepr.EthernetIpv4.reply(request, PEER_MAC), STACK_MAC);
                stack.receive(reply, reply.length, now);
                stack.poll(now, (sent, offset, length) -> checker.transmit(sent, offset, length));
            }
        } catch (MalformedPacketException e) {
            throw new IllegalStateException("the engine sent a malformed ARP packet: " + e.getMessage(), e);
        }
    }

    private static byte[] arpFrame(ArpRepr.EthernetIpv4 arp, MacAddress destination) {
        EthernetRepr ethernet = new EthernetRepr(destination, PEER_MAC, EtherType.ARP);
        // Padded to Ethernet's 60-byte minimum, as a NIC would send it.
        byte[] frame = new byte[Math.max(EthernetFrame.MINIMUM_LENGTH, ethernet.bufferLength() + arp.bufferLength())];
        arp.emit(frame, ethernet.emit(frame, 0));
        return frame;
    }

    private static byte[] echoRequest(int sequence, int payloadSize) {
        byte[] data = new byte[payloadSize];
        for (int i = 0; i < payloadSize; i++) {
            // iputils' pattern after its timestamp: 0x08, 0x09, ... wrapping.
            data[i] = (byte) (8 + i);
        }
        Icmpv4Repr icmp = new Icmpv4Repr.EchoRequest(ICMP_IDENTIFIER, sequence, data);
        Ipv4Repr ip = Ipv4Repr.simple(PEER_ADDRESS, STACK_ADDRESS.address(), IpProtocol.ICMP, 64, sequence, true,
                icmp.bufferLength());
        EthernetRepr ethernet = new EthernetRepr(STACK_MAC, PEER_MAC, EtherType.IPV4);
        byte[] frame = new byte[Math.max(EthernetFrame.MINIMUM_LENGTH, ethernet.bufferLength() + ip.totalLength())];
        icmp.emit(frame, ip.emit(frame, ethernet.emit(frame, 0)));
        return frame;
    }
}
