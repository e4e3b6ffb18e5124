package dev.stacklab.runtime;

import dev.stacklab.link.Impairments;
import dev.stacklab.link.LinkEvent;
import dev.stacklab.link.VirtualSwitch;
import dev.stacklab.stack.Entropy;
import dev.stacklab.stack.FrameTransmitter;
import dev.stacklab.stack.StackConfig;
import dev.stacklab.stack.StackEvent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A discrete-event driver that runs several {@link dev.stacklab.stack.NetStack}s on one simulated Ethernet
 * segment (a {@link VirtualSwitch}, one port per host) in virtual time: minutes of protocol time in
 * milliseconds, and the same run every time for the same seed.
 *
 * <p>Two kinds of things happen: a host's engine is due to poll (its {@code pollAt()}; the simulation asks every
 * engine before each step, so anything done to a stack in between is seen), and a scheduled event comes due (a
 * frame reaching a host, or an action from {@link #schedule}). Scheduled events are ordered by (time, sequence
 * number); at equal times engine polls go first, in the order the hosts were added. Nothing depends on a hash
 * order, a thread or the wall clock, so the trace is a function of the seed and the calls made.
 *
 * <p>The network: a frame handed out by a host's engine waits for the host's cable to be free, takes
 * {@code size / bandwidth} to serialize plus the propagation delay to reach the switch, goes through the
 * sender's send impairments, is switched (learning, flooding), and takes the same per-hop delay again to each
 * receiver, through that receiver's receive impairments. Defaults: 1 µs propagation and 1 Gbit/s per hop.
 *
 * <p>Single-threaded: create it, add hosts and run it from one thread (the UI runs it on a thread of its own).
 * Exceptions from an engine propagate to the caller of the run method, with the host and time added.
 */
public final class Simulation {
    public static final long DEFAULT_PROPAGATION_NANOS = 1_000;
    public static final long DEFAULT_BITS_PER_SECOND = 1_000_000_000L;
    /** How far {@link #step()} looks for the next frame when only timers are left. */
    static final long STEP_HORIZON_NANOS = 3_600_000_000_000L;

    /** A frame on its way to a host, or an action; ordered by time, then by when it was scheduled. */
    private record Scheduled(long atNanos, long sequence, SimHost from, SimHost to, long sentAtNanos, byte[] frame,
                             Runnable action) implements Comparable<Scheduled> {
        @Override
        public int compareTo(Scheduled other) {
            int byTime = Long.compare(atNanos, other.atNanos);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }

    /** What one call of {@link #processNext} did. */
    private enum Progress { POLLED, DELIVERED, ACTED, NOTHING_BEFORE_LIMIT, IDLE }

    private final long seed;
    private final VirtualClock clock = new VirtualClock(0);
    private final VirtualSwitch network = new VirtualSwitch("simulation");
    private final List<SimHost> hosts = new ArrayList<>();
    private final PriorityQueue<Scheduled> queue = new PriorityQueue<>();
    private final List<SimulationObserver> observers = new CopyOnWriteArrayList<>();
    private long nextSequence;
    private long propagationNanos = DEFAULT_PROPAGATION_NANOS;
    private long bitsPerSecond = DEFAULT_BITS_PER_SECOND;
    private long deliveredFrames;
    private SimFrame lastDelivered;
    /** Polls in a row at one virtual time: an engine whose pollAt() never moves on would stall the run forever. */
    private int pollsWithoutProgress;
    private long lastPollAt = Long.MIN_VALUE;
    static final int MAX_POLLS_WITHOUT_PROGRESS = 10_000;
    /** What a host's cable queues for serialization before the engine must wait for room: 64 full frames. */
    static final int TRANSMIT_RING_BYTES = 64 * 1514;

    public Simulation(long seed) {
        this.seed = seed;
    }

    public long seed() {
        return seed;
    }

    /** The current virtual time in nanoseconds; starts at 0. */
    public long now() {
        return clock.nanoTime();
    }

    /** The virtual clock, for code that takes a {@link Clock} (readable from other threads). */
    public Clock clock() {
        return clock;
    }

    public VirtualSwitch network() {
        return network;
    }

    public List<SimHost> hosts() {
        return Collections.unmodifiableList(hosts);
    }

    public Optional<SimHost> host(String name) {
        return hosts.stream().filter(host -> host.name().equals(name)).findFirst();
    }

    /** Frames delivered to hosts so far. */
    public long deliveredFrames() {
        return deliveredFrames;
    }

    public void addObserver(SimulationObserver observer) {
        observers.add(observer);
    }

    public void removeObserver(SimulationObserver observer) {
        observers.remove(observer);
    }

    /**
     * Sets the delay of each hop (host to switch, switch to host).
     *
     * @param propagationNanos the fixed part of every hop
     * @param bitsPerSecond the bandwidth that sets each frame's serialization time, or 0 for none
     */
    public void setHopDelay(long propagationNanos, long bitsPerSecond) {
        if (propagationNanos < 0 || bitsPerSecond < 0) {
            throw new IllegalArgumentException("hop delay needs propagation >= 0 and bandwidth >= 0, got "
                    + propagationNanos + " ns and " + bitsPerSecond + " bit/s");
        }
        this.propagationNanos = propagationNanos;
        this.bitsPerSecond = bitsPerSecond;
    }

    /** Adds a host on a new port of the switch and brings its stack up now (its gratuitous ARP goes out). */
    public SimHost addHost(String name, StackConfig config) {
        if (host(name).isPresent()) {
            throw new IllegalArgumentException("the simulation already has a host named " + name);
        }
        StackConfig seeded = config.entropy().seeded() ? config : config.withEntropy(Entropy.seeded(hostSeed(hosts.size())));
        SimHost host = new SimHost(this, name, hosts.size(), network.addPort(name), seeded);
        hosts.add(host);
        engineCall(host, "starting", () -> host.stack().start(now()));
        return host;
    }

    /** Runs {@code action} on the simulation's thread when virtual time reaches {@code atNanos}. */
    public void schedule(long atNanos, Runnable action) {
        if (atNanos < now()) {
            throw new IllegalArgumentException("cannot schedule in the past: " + atNanos + " ns < now " + now() + " ns");
        }
        queue.add(new Scheduled(atNanos, nextSequence++, null, null, 0, null, action));
    }

    /** Runs {@code action} after {@code delay} of virtual time. */
    public void schedule(Duration delay, Runnable action) {
        schedule(now() + delay.toNanos(), action);
    }

    // ---------------------------------------------------------------- running

    /** Runs everything due up to and including {@code timeNanos}, then sets the clock to it. */
    public void runUntil(long timeNanos) {
        while (true) {
            Progress progress = processNext(timeNanos);
            if (progress == Progress.NOTHING_BEFORE_LIMIT || progress == Progress.IDLE) {
                break;
            }
        }
        if (timeNanos > now()) {
            clock.advanceTo(timeNanos);
        }
    }

    public void runFor(Duration duration) {
        runUntil(now() + duration.toNanos());
    }

    public void runFor(long nanos) {
        runUntil(now() + nanos);
    }

    /**
     * Runs until nothing is left to do (no frame on its way, no engine timer) or {@code maxNanos} of virtual time
     * have passed, whichever is first. The clock stays at the last event.
     *
     * @return whether the network went idle
     */
    public boolean runUntilIdle(long maxNanos) {
        long limit = saturatedAdd(now(), maxNanos);
        while (true) {
            Progress progress = processNext(limit);
            if (progress == Progress.IDLE) {
                return true;
            }
            if (progress == Progress.NOTHING_BEFORE_LIMIT) {
                return false;
            }
        }
    }

    public boolean runUntilIdle(Duration max) {
        return runUntilIdle(max.toNanos());
    }

    /**
     * Runs until {@code future} is done or {@code max} of virtual time has passed.
     *
     * @return whether it is done
     */
    public boolean runUntilDone(SimFuture<?> future, Duration max) {
        long limit = saturatedAdd(now(), max.toNanos());
        while (!future.isDone()) {
            Progress progress = processNext(limit);
            if (progress == Progress.IDLE || progress == Progress.NOTHING_BEFORE_LIMIT) {
                break;
            }
        }
        return future.isDone();
    }

    /**
     * Releases one frame: runs the engine timers and actions due before the next frame delivery, then delivers
     * that one frame and stops (the receiver's answer is handed out on the next step). This is the app's step
     * mode: one frame per click.
     *
     * @return the frame delivered, or empty when nothing is on its way and no timer within an hour of virtual
     *     time sends anything
     */
    public Optional<SimFrame> step() {
        long limit = saturatedAdd(now(), STEP_HORIZON_NANOS);
        while (true) {
            Progress progress = processNext(limit);
            if (progress == Progress.DELIVERED) {
                return Optional.of(lastDelivered);
            }
            if (progress == Progress.IDLE || progress == Progress.NOTHING_BEFORE_LIMIT) {
                return Optional.empty();
            }
        }
    }

    /** Whether nothing is left to do: no frame on its way, no action scheduled, no engine timer set. */
    public boolean isIdle() {
        if (!queue.isEmpty()) {
            return false;
        }
        for (SimHost host : hosts) {
            if (pollAt(host) != Long.MAX_VALUE) {
                return false;
            }
        }
        return true;
    }

    /** The time of the next thing to happen, or {@code Long.MAX_VALUE} when idle. */
    public long nextEventAt() {
        long next = queue.isEmpty() ? Long.MAX_VALUE : queue.peek().atNanos();
        for (SimHost host : hosts) {
            next = Math.min(next, Math.max(now(), pollAt(host)));
        }
        return next;
    }

    /** Does the next single thing due no later than {@code limit}. */
    private Progress processNext(long limit) {
        SimHost dueHost = null;
        long dueAt = Long.MAX_VALUE;
        for (SimHost host : hosts) {
            long at = pollAt(host);
            if (at < dueAt) {
                dueAt = at;
                dueHost = host;
            }
        }
        Scheduled head = queue.peek();
        if (dueHost != null && (head == null || dueAt <= head.atNanos())) {
            long at = Math.max(dueAt, now());
            if (at > limit) {
                return Progress.NOTHING_BEFORE_LIMIT;
            }
            clock.advanceTo(at);
            SimHost host = dueHost;
            checkProgress(host, at);
            engineCall(host, "polling", () -> host.stack().poll(at, host.transmitter));
            return Progress.POLLED;
        }
        if (head == null) {
            return Progress.IDLE;
        }
        if (head.atNanos() > limit) {
            return Progress.NOTHING_BEFORE_LIMIT;
        }
        queue.poll();
        clock.advanceTo(head.atNanos());
        if (head.action() != null) {
            head.action().run();
            return Progress.ACTED;
        }
        deliver(head);
        return Progress.DELIVERED;
    }

    private void checkProgress(SimHost host, long at) {
        if (at != lastPollAt) {
            lastPollAt = at;
            pollsWithoutProgress = 0;
            return;
        }
        if (++pollsWithoutProgress > MAX_POLLS_WITHOUT_PROGRESS) {
            throw new IllegalStateException("host " + host.name() + " asked to be polled " + MAX_POLLS_WITHOUT_PROGRESS
                    + " times at " + at + " ns without its deadline moving on: the engine's pollAt() is stuck");
        }
    }

    /**
     * When the host's engine next needs a poll. While its cable's transmit ring is full, output waits for room: the
     * engine is polled when the ring has drained below full (or at its next timer, if earlier), not again and again
     * at the same instant.
     */
    private long pollAt(SimHost host) {
        long[] at = new long[1];
        engineCall(host, "asking when to poll", () -> {
            long due = host.stack().pollAt();
            long now = now();
            if (due <= now && !hasRoom(host, now)) {
                due = Math.min(host.stack().nextTimerAt(), roomAt(host));
            }
            at[0] = due;
        });
        return at[0];
    }

    /**
     * Whether the host's cable takes another frame now: what waits to be serialized on it is less than
     * {@link #TRANSMIT_RING_BYTES}. A bulk sender is thus paced by the bandwidth, as a NIC's full ring paces the
     * kernel's qdisc, instead of queueing without bound. Without a bandwidth there is always room.
     */
    private boolean hasRoom(SimHost host, long now) {
        return bitsPerSecond == 0 || Math.max(host.uplinkFreeAtNanos, now) - now < serializationNanos(TRANSMIT_RING_BYTES);
    }

    /** When the host's transmit ring is below full again. */
    private long roomAt(SimHost host) {
        return host.uplinkFreeAtNanos - serializationNanos(TRANSMIT_RING_BYTES) + 1;
    }

    /** The transmitter a host's engine is polled with: onto its cable, while the ring has room. */
    FrameTransmitter transmitterFor(SimHost host) {
        return new FrameTransmitter() {
            @Override
            public void transmit(byte[] frame, int offset, int length) {
                Simulation.this.transmit(host, frame, offset, length);
            }

            @Override
            public boolean hasRoom() {
                return Simulation.this.hasRoom(host, now());
            }
        };
    }

    private void deliver(Scheduled delivery) {
        SimHost to = delivery.to();
        byte[] frame = delivery.frame();
        SimFrame delivered = new SimFrame(delivery.sentAtNanos(), now(), delivery.from(), to, frame);
        deliveredFrames++;
        lastDelivered = delivered;
        for (SimulationObserver observer : observers) {
            observer.frameDelivered(delivered);
        }
        // The engine may keep the array; observers were told first and only read it.
        engineCall(to, "receiving a " + frame.length + "-byte frame", () -> to.stack().receive(frame, frame.length, now()));
    }

    /** A host's engine handed out a frame: serialize it on the host's cable, switch it, schedule its deliveries. */
    private void transmit(SimHost from, byte[] frame, int offset, int length) {
        long now = now();
        byte[] sent = new byte[length];
        System.arraycopy(frame, offset, sent, 0, length);
        for (SimulationObserver observer : observers) {
            observer.frameSent(now, from, sent);
        }
        java.util.function.Predicate<byte[]> lost = from.sendLoss();
        if (lost != null && lost.test(sent)) {
            publishLinkEvent(new LinkEvent(from.name(), LinkEvent.Kind.DROPPED, LinkEvent.Direction.SEND,
                    "lost on the wire (chosen)", sent, now));
            return;
        }
        long serialization = serializationNanos(length);
        long departure = Math.max(now, from.uplinkFreeAtNanos);
        from.uplinkFreeAtNanos = departure + serialization;
        long atSwitch = departure + serialization + propagationNanos;

        Impairments sending = from.sendImpairments();
        if (sending == null) {
            switchFrame(from, sent, atSwitch, now, true);
            return;
        }
        List<Impairments.Delivery> deliveries = sending.apply(sent, length, atSwitch);
        Impairments.report(from.name(), LinkEvent.Direction.SEND, sent, 0, length, deliveries, atSwitch, this::publishLinkEvent);
        for (Impairments.Delivery delivery : deliveries) {
            switchFrame(from, delivery.frame(), delivery.atNanos(), now, false);
        }
    }

    /**
     * The switch forwards a frame that reached it at {@code atSwitch}. Learning happens here, in the order frames
     * were sent rather than the order they reach the switch; they differ only when impairments hold frames back.
     */
    private void switchFrame(SimHost from, byte[] frame, long atSwitch, long sentAt, boolean frameIsShared) {
        List<VirtualSwitch.Port> egress = network.egressPorts(from.port(), frame, frame.length);
        long arrival = atSwitch + serializationNanos(frame.length) + propagationNanos;
        for (VirtualSwitch.Port port : egress) {
            SimHost to = hostOn(port);
            Impairments receiving = to.receiveImpairments();
            if (receiving == null) {
                // Every receiver gets an array of its own: an engine may keep or change what it is given.
                byte[] copy = frameIsShared ? frame.clone() : frame;
                frameIsShared = true;
                queue.add(new Scheduled(arrival, nextSequence++, from, to, sentAt, copy, null));
                continue;
            }
            List<Impairments.Delivery> deliveries = receiving.apply(frame, frame.length, arrival);
            Impairments.report(to.name(), LinkEvent.Direction.RECEIVE, frame, 0, frame.length, deliveries, arrival,
                    this::publishLinkEvent);
            for (Impairments.Delivery delivery : deliveries) {
                queue.add(new Scheduled(delivery.atNanos(), nextSequence++, from, to, sentAt, delivery.frame(), null));
            }
        }
    }

    private SimHost hostOn(VirtualSwitch.Port port) {
        for (SimHost host : hosts) {
            if (host.port() == port) {
                return host;
            }
        }
        throw new IllegalStateException("port " + port + " of the simulated switch has no host");
    }

    private long serializationNanos(int length) {
        if (bitsPerSecond == 0) {
            return 0;
        }
        return length * 8L * 1_000_000_000L / bitsPerSecond;
    }

    // ---------------------------------------------------------------- plumbing

    void publishStackEvent(SimHost host, StackEvent event) {
        for (SimulationObserver observer : observers) {
            observer.stackEvent(host, event);
        }
    }

    private void publishLinkEvent(LinkEvent event) {
        for (SimulationObserver observer : observers) {
            observer.linkEvent(event);
        }
    }

    /**
     * A host's randomness (its ISN and port secrets, StackConfig.entropy), derived from the simulation's seed and its
     * place, so that the same seed gives the same trace; a config that brings a seed of its own keeps it.
     */
    long hostSeed(int hostIndex) {
        return new SplittableRandom(seed ^ 0x5DEE_CE66_DL).split().nextLong() + hostIndex * 0x9E37_79B9_7F4A_7C15L;
    }

    /** A seed per host and direction, derived from the simulation's seed so that adding impairments later repeats too. */
    long impairmentSeed(int hostIndex, int direction) {
        return new SplittableRandom(seed).split().nextLong() ^ (hostIndex * 0x9E37_79B9_7F4A_7C15L + direction);
    }

    private void engineCall(SimHost host, String what, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            throw new IllegalStateException("host " + host.name() + " failed while " + what + " at " + now() + " ns: " + e, e);
        }
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
