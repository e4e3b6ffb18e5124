package dev.stacklab.stack;

import dev.stacklab.wire.BigEndian;
import dev.stacklab.wire.EthernetFrame;
import dev.stacklab.wire.IpProtocol;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.MacAddress;
import dev.stacklab.wire.MalformedPacketException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * The protocol engine for one Ethernet interface: ARP, IPv4, ICMP and UDP. Sans-I/O: it never reads
 * a clock, starts a thread, sleeps or touches a device. Time is always passed in; frames come in
 * through {@link #receive} and go out through {@link #poll}; {@link #pollAt} says when to call poll
 * again. One thread drives it (see {@code runtime.StackRunner}); it has no locks.
 *
 * <p>Incoming frames go down a plain switch on the EtherType here, then on the IP protocol in
 * {@link Ipv4Layer}; each protocol lives in its own class ({@link NeighborCache}, {@link Ipv4Layer},
 * {@link Ipv4Reassembler}, {@link IcmpLayer}, {@link PingClient}, {@link UdpLayer}). Outgoing frames
 * wait in one bounded queue until the next {@code poll}.
 */
public final class NetStack {
    /**
     * Frames made in answer to arrivals and by timers, waiting for {@link #poll}; beyond this they are dropped with
     * {@link DropReason#QUEUE_FULL}, as a NIC's full transmit ring drops. Transports' data is not queued here: it is
     * pulled from them when the link has room.
     */
    static final int TRANSMIT_QUEUE_CAPACITY = 4096;
    /** The most frames one {@link #poll} hands out; {@link #pollAt()} says "now" while more wait. */
    public static final int FRAMES_PER_POLL = 256;
    static final int ETHERNET_HEADER = EthernetFrame.HEADER_LENGTH;
    private static final int ETHER_TYPE_IPV4 = 0x0800;
    private static final int ETHER_TYPE_ARP = 0x0806;

    private final StackConfig config;
    private final StackEventListener events;
    final StackCounters counters = new StackCounters();
    final long ownMac;
    final int ownAddress;
    final NeighborCache neighbors;
    final Ipv4Layer ipv4;
    final IcmpLayer icmp;
    final PingClient pings;
    final UdpLayer udp;
    /** The one timer queue every component's deadlines live in; its head is {@link #pollAt()}. */
    final TimerQueue timers = new TimerQueue();
    /** Random choices and secrets, from {@link StackConfig#entropy()}. */
    final RandomGenerator random;
    final InitialSequenceNumbers initialSequenceNumbers;
    final EphemeralPorts ephemeralPorts;
    /** The transports output is pulled from, in the order they are asked; TCP joins when installed. */
    private final List<Transport> transports = new ArrayList<>(3);
    private final List<TransportContext> transportContexts = new ArrayList<>(3);
    /** The transport IP protocol 6 goes to, or null: then TCP is answered with protocol unreachable, as before. */
    Transport tcp;
    /** Where the next output pull starts, so that one busy transport cannot starve the others. */
    private int nextToPull;

    private final ArrayDeque<byte[]> transmitQueue = new ArrayDeque<>();
    /** Datagrams this stack sent to its own address, delivered on the next poll as Linux's loopback would. */
    private final ArrayDeque<byte[]> loopbackQueue = new ArrayDeque<>();
    private boolean publishFrames;
    private long latestNanos = Long.MIN_VALUE;
    /** UTC nanoseconds since the epoch minus the engine's time; see {@link #setUtcOffset}. */
    private long utcOffsetNanos;
    /** The frame being received, so that any layer's drop can show it. */
    private byte[] currentFrame;
    private int currentFrameLength;

    public NetStack(StackConfig config, StackEventListener events) {
        this.config = config;
        this.events = events;
        this.publishFrames = events != StackEventListener.NONE;
        this.ownMac = config.mac().bits();
        this.ownAddress = config.address().address().bits();
        this.random = config.entropy().newGenerator();
        this.initialSequenceNumbers = InitialSequenceNumbers.withSecretFrom(random);
        this.ephemeralPorts = new EphemeralPorts(random);
        this.neighbors = new NeighborCache(this);
        this.ipv4 = new Ipv4Layer(this);
        this.icmp = new IcmpLayer(this);
        TransportContext pingContext = new TransportContext(this, IpProtocol.ICMP);
        this.pings = new PingClient(this, pingContext);
        addTransport(pings, pingContext);
        TransportContext udpContext = new TransportContext(this, IpProtocol.UDP);
        this.udp = new UdpLayer(this, udpContext);
        addTransport(udp, udpContext);
    }

    private void addTransport(Transport transport, TransportContext context) {
        transports.add(transport);
        transportContexts.add(context);
    }

    /**
     * Makes IP protocol 6 go to the TCP transport {@code factory} builds from the context it is given (sending,
     * timers, randomness); returns it. Until a TCP is installed, a TCP segment to us is answered with ICMP protocol
     * unreachable (RFC 1122 3.2.2.1), as a host without TCP should. Once per stack.
     */
    public <T extends Transport> T installTcp(Function<TransportContext, T> factory) {
        if (tcp != null) {
            throw new IllegalStateException("a TCP is already installed: " + tcp);
        }
        TransportContext context = new TransportContext(this, IpProtocol.TCP);
        T transport = Objects.requireNonNull(factory.apply(context), "the TCP factory returned null");
        tcp = transport;
        addTransport(transport, context);
        return transport;
    }

    /** TCP initial sequence numbers for this stack (RFC 6528), keyed by a secret from {@link StackConfig#entropy()}. */
    public InitialSequenceNumbers initialSequenceNumbers() {
        return initialSequenceNumbers;
    }

    /** Ephemeral ports for this stack (RFC 6056), keyed by secrets from {@link StackConfig#entropy()}. */
    public EphemeralPorts ephemeralPorts() {
        return ephemeralPorts;
    }

    /** This stack's random source ({@link StackConfig#entropy()}): seeded in a simulation, secure otherwise. */
    public RandomGenerator random() {
        return random;
    }

    public StackConfig config() {
        return config;
    }

    /**
     * Whether {@link StackEvent.FrameReceived} and {@link StackEvent.FrameSent} are published (a copy
     * of every frame). On by default when there is a listener; a bench turns it off to measure the
     * engine alone. Drops, neighbor changes and ping results are published either way.
     */
    public void publishFrameEvents(boolean enabled) {
        this.publishFrames = enabled;
    }

    /**
     * Tells the engine how its time relates to the wall clock, for the one thing that needs the
     * time of day: the IP Timestamp option (RFC 791), which carries milliseconds since midnight UT.
     * The engine still reads no clock: whoever drives it says what to add to the times it passes in
     * to get UTC nanoseconds since the epoch. Left at 0, time 0 is midnight UT, which keeps a
     * simulation's timestamps a function of its virtual time. A driver on a real clock should rather
     * pass a fresh wall-clock reading with each frame ({@link #receive(byte[], int, long, long)}):
     * an offset taken once drifts as the wall clock is slewed, and is up to a millisecond short.
     */
    public void setUtcOffset(long nanos) {
        this.utcOffsetNanos = nanos;
    }

    /** Brings the interface up at {@code nowNanos}: queues the gratuitous ARP announcement (RFC 5227 section 2.3). */
    public void start(long nowNanos) {
        advanceTo(nowNanos);
        neighbors.announce(nowNanos);
    }

    /**
     * One Ethernet frame arrived, and {@code utcMillis} is the wall clock read after it did (UTC
     * milliseconds since the epoch): what the IP Timestamp option of an answer to it carries (RFC 791
     * 3.1: milliseconds since midnight UT), so the stamp is never earlier than the sender's own stamp
     * from the same clock. Later times the engine is given are related to the wall clock through it.
     */
    public void receive(byte[] frame, int length, long nowNanos, long utcMillis) {
        utcOffsetNanos = utcMillis * 1_000_000L - nowNanos;
        receive(frame, length, nowNanos);
    }

    /** One Ethernet frame arrived. Any answer is queued and handed out by the next {@link #poll}. */
    public void receive(byte[] frame, int length, long nowNanos) {
        advanceTo(nowNanos);
        counters.framesReceived++;
        counters.bytesReceived += length;
        if (publishFrames) {
            events.onEvent(new StackEvent.FrameReceived(nowNanos, Arrays.copyOf(frame, length)));
        }
        byte[] previousFrame = currentFrame;
        int previousLength = currentFrameLength;
        currentFrame = frame;
        currentFrameLength = length;
        try {
            dispatch(frame, length, nowNanos);
        } finally {
            currentFrame = previousFrame;
            currentFrameLength = previousLength;
        }
    }

    private void dispatch(byte[] frame, int length, long now) {
        EthernetFrame ethernet;
        try {
            ethernet = EthernetFrame.wrapChecked(frame, 0, length);
        } catch (MalformedPacketException e) {
            dropReceived(now, DropReason.MALFORMED, e.getMessage());
            return;
        }
        long destination = BigEndian.u48(frame, EthernetFrame.DESTINATION);
        boolean linkBroadcast = destination == MacAddress.BROADCAST.bits();
        if (destination != ownMac && !linkBroadcast) {
            // Multicast too: this host joins no groups. With a promiscuous pcap handle this is most of the segment.
            dropReceived(now, DropReason.NOT_FOR_US, "Ethernet destination " + new MacAddress(destination) + " is not ours");
            return;
        }
        if (ethernet.tagCount() != 0) {
            dropReceived(now, DropReason.NOT_FOR_US, "802.1Q-tagged frame; this interface has no VLANs");
            return;
        }
        switch (ethernet.etherTypeValue()) {
            case ETHER_TYPE_IPV4 -> ipv4.receive(frame, ethernet.payloadOffset(), ethernet.payloadLength(), linkBroadcast, now);
            case ETHER_TYPE_ARP -> neighbors.receive(frame, ethernet.payloadOffset(), ethernet.payloadLength(), now);
            default -> dropReceived(now, DropReason.UNSUPPORTED_PROTOCOL, "EtherType " + ethernet.etherType());
        }
    }

    /**
     * Fires every timer due at {@code nowNanos}, then hands frames to {@code transmit} while it has room
     * ({@link FrameTransmitter#hasRoom()}): first the frames made in answer to what arrived (ARP and echo replies,
     * ICMP errors) and what timers sent, then the next datagram of each transport that has output, asked in turn
     * ({@link Transport#pollOutput}). When the link has no room the rest waits, nothing is dropped, and
     * {@link #pollAt()} says "now": the driver polls again once the link has room. At most
     * {@link #FRAMES_PER_POLL} frames go per call, so that a bulk sender cannot keep the driver's thread from the
     * frames that arrive meanwhile.
     */
    public void poll(long nowNanos, FrameTransmitter transmit) {
        advanceTo(nowNanos);
        timers.fireDue(nowNanos);
        // Bounded by the queue's size at entry: looped-back datagrams may answer themselves.
        for (int n = loopbackQueue.size(); n > 0; n--) {
            byte[] frame = loopbackQueue.poll();
            receive(frame, frame.length, nowNanos);
        }
        for (int budget = FRAMES_PER_POLL; budget > 0 && transmit.hasRoom(); ) {
            byte[] frame = transmitQueue.poll();
            if (frame == null) {
                if (!pullDatagram(nowNanos)) {
                    break;
                }
                continue;
            }
            budget--;
            counters.framesSent++;
            counters.bytesSent += frame.length;
            if (publishFrames) {
                events.onEvent(new StackEvent.FrameSent(nowNanos, frame.clone()));
            }
            transmit.transmit(frame, 0, frame.length);
        }
    }

    /**
     * Asks the transports that have output, in turn from where the last pull stopped, for one datagram.
     *
     * @return whether one sent something (its frames are queued now, or wait for ARP)
     */
    private boolean pullDatagram(long now) {
        int count = transports.size();
        for (int tried = 0; tried < count; tried++) {
            int index = nextToPull;
            nextToPull = (nextToPull + 1) % count;
            TransportContext context = transportContexts.get(index);
            if (!context.outputWanted()) {
                continue;
            }
            long queueFull = neighbors.queueFullSoFar();
            if (transports.get(index).pollOutput(now)) {
                if (neighbors.queueFullSoFar() != queueFull) {
                    // Its datagrams filled the ARP queue of a next hop still being resolved: it is not asked again
                    // until an ARP answer or failure settles what waits (as smoltcp's sockets wait on a missing
                    // neighbor), else a bulk sender would overflow that queue in one poll. A datagram or two to each
                    // of many unresolved hosts (SYN-ACKs to new peers) does not stop its other output.
                    context.waitForNeighbor();
                }
                return true;
            }
            context.outputDone();
        }
        return false;
    }

    /**
     * When {@link #poll} next has work: now (the latest time passed in) when frames or a transport's output wait,
     * else the earliest timer; {@code Long.MAX_VALUE} when idle.
     */
    public long pollAt() {
        if (!transmitQueue.isEmpty() || !loopbackQueue.isEmpty()) {
            return latestNanos;
        }
        for (TransportContext context : transportContexts) {
            if (context.outputWanted()) {
                return latestNanos;
            }
        }
        return timers.nextDeadline();
    }

    /** An ARP entry that held datagrams resolved or failed: transports that waited for it are asked again. */
    void neighborSettled() {
        for (TransportContext context : transportContexts) {
            context.neighborSettled();
        }
    }

    /** The earliest timer's deadline, {@code Long.MAX_VALUE} when none: {@link #pollAt()} without the output waiting. */
    public long nextTimerAt() {
        return timers.nextDeadline();
    }

    /** Sends an ICMP echo request; {@code callback} hears how it ended (also published as {@link StackEvent.PingCompleted}). */
    public void ping(PingRequest request, long nowNanos, PingCallback callback) {
        advanceTo(nowNanos);
        pings.send(request, nowNanos, callback);
    }

    /**
     * Resolves an address with ARP, answering from the cache when it can. Like {@code arping}, any
     * address is asked for, on-link or not; the callback hears null after {@code arpAttempts} requests
     * without an answer.
     */
    public void resolve(Ipv4Address address, long nowNanos, ResolveCallback callback) {
        advanceTo(nowNanos);
        neighbors.resolve(address.bits(), nowNanos, callback);
    }

    /**
     * Broadcasts an ARP announcement of our address now (RFC 5227 section 2.3: a request with our address as both
     * sender and target), as at start: neighbors update their caches to our MAC, and a host that uses our address
     * too will see the conflict.
     */
    public void announce(long nowNanos) {
        advanceTo(nowNanos);
        neighbors.announce(nowNanos);
    }

    /**
     * Forgets every neighbor cache entry that no datagram or resolve waits on ({@code ip neigh flush all});
     * each is published as {@link StackEvent.NeighborRemoved}. Returns how many were forgotten.
     */
    public int flushNeighbors(long nowNanos) {
        advanceTo(nowNanos);
        return neighbors.flush(nowNanos);
    }

    /** Binds a UDP port (0 picks an ephemeral one, RFC 6335 range 49152-65535); throws IllegalStateException if taken. */
    public UdpSocket udpBind(int port, UdpReceiver receiver) {
        return udp.bind(port, receiver);
    }

    /** What the stack has counted so far: {@link CounterSnapshot#get(Counter)}, {@link CounterSnapshot#dropped}. */
    public CounterSnapshot counters() {
        return counters.snapshot();
    }

    public List<NeighborEntry> neighbors() {
        return neighbors.snapshot();
    }

    // ---- services for the protocol classes ----

    private void advanceTo(long nowNanos) {
        latestNanos = nowNanos;
    }

    /** The latest time the driver passed in: what a send without a time of its own (UDP) happens at. */
    long latestTime() {
        return latestNanos;
    }

    /** The time of day at {@code now} as the IP Timestamp option carries it: milliseconds since midnight UT (RFC 791). */
    long millisSinceMidnightUtc(long now) {
        return Math.floorMod(Math.floorDiv(now + utcOffsetNanos, 1_000_000L), 86_400_000L);
    }

    void publish(StackEvent event) {
        events.onEvent(event);
    }

    boolean hasListener() {
        return events != StackEventListener.NONE;
    }

    /** Drops the frame being received (counted, and published with a copy of the frame). */
    void dropReceived(long now, DropReason reason, String detail) {
        counters.dropped(reason);
        if (hasListener()) {
            byte[] copy = currentFrame == null ? null : Arrays.copyOf(currentFrame, currentFrameLength);
            events.onEvent(new StackEvent.Dropped(now, reason, detail, copy));
        }
    }

    /** Drops a frame the stack made itself (or none, for {@code frame == null}). */
    void dropOutgoing(long now, DropReason reason, String detail, byte[] frame) {
        counters.dropped(reason);
        if (hasListener()) {
            events.onEvent(new StackEvent.Dropped(now, reason, detail, frame == null ? null : frame.clone()));
        }
    }

    /** Writes the Ethernet header into the 14 bytes at the start of {@code frame} and queues it for the link. */
    void transmit(byte[] frame, long destinationMac, int etherType, long now) {
        BigEndian.putU48(frame, EthernetFrame.DESTINATION, destinationMac);
        BigEndian.putU48(frame, EthernetFrame.SOURCE, ownMac);
        BigEndian.putU16(frame, EthernetFrame.TYPE, etherType);
        if (transmitQueue.size() >= TRANSMIT_QUEUE_CAPACITY) {
            dropOutgoing(now, DropReason.QUEUE_FULL, "transmit queue holds " + TRANSMIT_QUEUE_CAPACITY + " frames", frame);
            return;
        }
        transmitQueue.add(frame);
    }

    void transmitIpv4(byte[] frame, long destinationMac, long now) {
        transmit(frame, destinationMac, ETHER_TYPE_IPV4, now);
    }

    void transmitArp(byte[] frame, long destinationMac, long now) {
        transmit(frame, destinationMac, ETHER_TYPE_ARP, now);
    }

    /** A datagram to our own address: delivered on the next poll, through {@link #receive}, like Linux's lo. */
    void loopBack(byte[] frame, long now) {
        BigEndian.putU48(frame, EthernetFrame.DESTINATION, ownMac);
        BigEndian.putU48(frame, EthernetFrame.SOURCE, ownMac);
        BigEndian.putU16(frame, EthernetFrame.TYPE, ETHER_TYPE_IPV4);
        if (loopbackQueue.size() >= TRANSMIT_QUEUE_CAPACITY) {
            dropOutgoing(now, DropReason.QUEUE_FULL, "loopback queue full", frame);
            return;
        }
        loopbackQueue.add(frame);
    }
}
