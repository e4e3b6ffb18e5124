package dev.stacklab.runtime;

import dev.stacklab.link.Link;
import dev.stacklab.link.LinkEventListener;
import dev.stacklab.link.LinkException;
import dev.stacklab.link.PcapLink;
import dev.stacklab.link.TapLink;
import dev.stacklab.stack.AddressConflictDetection;
import dev.stacklab.stack.ProbeTiming;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.Ipv4Cidr;
import dev.stacklab.wire.MacAddress;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * Asks a link whether an IPv4 address is free before a host takes it: RFC 5227's ARP probes
 * ({@link AddressConflictDetection} decides; this class only moves frames and time). Use it before starting a
 * {@link Host} on a real network, to refuse an address another station holds instead of fighting over it, and
 * to propose a free address on a subnet.
 *
 * <pre>{@code
 * try (AddressProbe probe = AddressProbe.onInterface("eth0", null)) {
 *     ProbeResult result = probe.probe(Ipv4Address.parse("192.168.1.50")).get();     // RFC 5227 timing, 4 to 7 s
 *     Optional<Ipv4Address> free = probe.proposeFree(Ipv4Cidr.parse("192.168.1.0/24"), Set.of(), 4, ProbeTiming.RFC_5227).get();
 * }
 * }</pre>
 *
 * <p>The probe owns its link (a second handle on the interface, closed by {@link #close()}): start the host only
 * after closing it, with the same MAC ({@link #mac()}), since the address's owner answers to that MAC. Several
 * addresses may be probed at once. Futures complete on the probe's own thread: attach blocking work with the
 * {@code ...Async} variants.
 */
public final class AddressProbe implements AutoCloseable {
    /** Frames waiting for the probe's thread; a flood beyond that is dropped (only ARP matters here). */
    private static final int INBOX = 4096;
    private static final long MAX_WAIT_NANOS = 100_000_000L;

    private final Link link;
    private final MacAddress mac;
    private final Clock clock;
    private final RandomGenerator random;
    private final BlockingQueue<Runnable> inbox = new ArrayBlockingQueue<>(INBOX);
    /** Probes still deciding, with their futures; touched only on the probe's thread. */
    private final Map<AddressConflictDetection, CompletableFuture<ProbeResult>> running = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean closed;

    private AddressProbe(Link link, MacAddress mac, Clock clock, RandomGenerator random) {
        this.link = link;
        this.mac = mac;
        this.clock = clock;
        this.random = random;
        this.thread = new Thread(this::runLoop, "stacklab-probe-" + link.name());
        thread.setDaemon(true);
    }

    /**
     * Probes on a network interface through libpcap (or its TAP device, {@code tap}), from {@code mac}; null takes
     * what a {@link Host} on that link takes by default: the interface's own MAC, or a random locally administered
     * one on a TAP device (read it back with {@link #mac()} and give it to the host).
     *
     * @throws LinkException when the link cannot be opened, with the one-line message that names the fix
     */
    public static AddressProbe onInterface(String interfaceName, boolean tap, MacAddress mac) throws LinkException {
        Link link = tap ? TapLink.open(interfaceName) : PcapLink.open(interfaceName);
        return onLink(link, mac);
    }

    /** {@link #onInterface(String, boolean, MacAddress)} through libpcap. */
    public static AddressProbe onInterface(String interfaceName, MacAddress mac) throws LinkException {
        return onInterface(interfaceName, false, mac);
    }

    /** Probes on a link the caller opened and has not started; the probe starts it and closes it in {@link #close()}. */
    public static AddressProbe onLink(Link link, MacAddress mac) {
        MacAddress from = mac != null ? mac : link.hardwareAddress() != null ? link.hardwareAddress() : HostBuilder.randomLocalMac();
        AddressProbe probe = new AddressProbe(link, from, SystemClock.INSTANCE, new SecureRandom());
        try {
            link.start(probe::frameReceived, LinkEventListener.IGNORE);
        } catch (RuntimeException e) {
            link.close();
            throw e;
        }
        probe.thread.start();
        return probe;
    }

    /**
     * One address, once, on a link the caller opened: the link is closed when the future completes.
     *
     * @see #probe(Ipv4Address, ProbeTiming)
     */
    public static CompletableFuture<ProbeResult> probe(Link link, MacAddress mac, Ipv4Address candidate, ProbeTiming timing) {
        AddressProbe probe = onLink(link, mac);
        return probe.probe(candidate, timing).whenComplete((result, failure) -> probe.close());
    }

    /** The MAC the probes come from. */
    public MacAddress mac() {
        return mac;
    }

    public Link link() {
        return link;
    }

    /** Probes {@code candidate} with RFC 5227's timing (4 to 7 seconds when nobody answers). */
    public CompletableFuture<ProbeResult> probe(Ipv4Address candidate) {
        return probe(candidate, ProbeTiming.RFC_5227);
    }

    /**
     * Probes {@code candidate}: the future completes with {@link ProbeResult.InUse} as soon as a station claims the
     * address, with {@link ProbeResult.Free} once {@code timing} has run out without one, and exceptionally when the
     * probe is closed first.
     */
    public CompletableFuture<ProbeResult> probe(Ipv4Address candidate, ProbeTiming timing) {
        Objects.requireNonNull(candidate, "candidate");
        CompletableFuture<ProbeResult> future = new CompletableFuture<>();
        AddressConflictDetection detection = new AddressConflictDetection(mac, candidate, timing, random);
        if (!submit(() -> {
            detection.start(clock.nanoTime());
            running.put(detection, future);
        })) {
            future.completeExceptionally(closedException());
        }
        return future;
    }

    /** {@link #probe(Ipv4Address, ProbeTiming)}, waiting for the answer: for command-line tools (never the FX thread). */
    public ProbeResult probeAndWait(Ipv4Address candidate, ProbeTiming timing) {
        return BlockingWait.await(probe(candidate, timing), timing.longest().plus(Host.COMMAND_LIMIT), "probing " + candidate);
    }

    /**
     * Proposes an address nobody on the link uses: probes up to {@code candidates} host addresses of {@code subnet}
     * at once (chosen at random among those not in {@code avoid}, never the subnet's network or broadcast address)
     * and completes with the first free one, or empty when every one probed is in use.
     */
    public CompletableFuture<Optional<Ipv4Address>> proposeFree(Ipv4Cidr subnet, Collection<Ipv4Address> avoid, int candidates,
                                                                ProbeTiming timing) {
        List<Ipv4Address> chosen = chooseCandidates(subnet, new HashSet<>(avoid), candidates, random);
        List<CompletableFuture<ProbeResult>> probes = new ArrayList<>();
        for (Ipv4Address candidate : chosen) {
            probes.add(probe(candidate, timing));
        }
        return CompletableFuture.allOf(probes.toArray(CompletableFuture[]::new)).thenApply(done -> probes.stream()
                .map(CompletableFuture::join).filter(ProbeResult::isFree).map(ProbeResult::address).findFirst());
    }

    /** Up to {@code count} distinct host addresses of {@code subnet} outside {@code avoid}, in random order. */
    static List<Ipv4Address> chooseCandidates(Ipv4Cidr subnet, Set<Ipv4Address> avoid, int count, RandomGenerator random) {
        if (count < 1) {
            throw new IllegalArgumentException("propose from at least one candidate, not " + count);
        }
        long first = subnet.network().unsigned();
        long size = 1L << (32 - subnet.prefixLength());
        // RFC 3021: a /31 has no network or broadcast address; a /32 is one host. Otherwise both ends are not hosts.
        long low = size <= 2 ? first : first + 1;
        long high = size <= 2 ? first + size - 1 : first + size - 2;
        long hosts = high - low + 1;
        Set<Ipv4Address> chosen = new LinkedHashSet<>();
        // Random picks: a subnet's hosts may be millions. Bounded, so a subnet that is nearly all avoided still ends.
        for (long attempt = 0; attempt < 64L * count + avoid.size() && chosen.size() < count && chosen.size() < hosts; attempt++) {
            Ipv4Address address = new Ipv4Address((int) (low + random.nextLong(hosts)));
            if (!avoid.contains(address)) {
                chosen.add(address);
            }
        }
        return List.copyOf(chosen);
    }

    // ---------------------------------------------------------------- the probe's thread

    private void frameReceived(byte[] frame, int length, long timestampNanos) {
        // A full inbox drops the frame: a flood that hides a reply for seconds is beyond what probing can help.
        submit(() -> {
            long now = clock.nanoTime();
            for (AddressConflictDetection detection : running.keySet()) {
                detection.receive(frame, length, now);
            }
            finishDecided();
        });
    }

    private boolean submit(Runnable task) {
        if (closed || !inbox.offer(task)) {
            return false;
        }
        if (closed && inbox.remove(task)) {
            return false;
        }
        return true;
    }

    private void runLoop() {
        try {
            while (!closed) {
                long now = clock.nanoTime();
                long next = Long.MAX_VALUE;
                for (AddressConflictDetection detection : running.keySet()) {
                    if (detection.pollAt() <= now) {
                        detection.poll(now, link::send);
                    }
                    next = Math.min(next, detection.pollAt());
                }
                finishDecided();
                Runnable task = inbox.poll(Math.max(0, Math.min(MAX_WAIT_NANOS, next - now)), TimeUnit.NANOSECONDS);
                if (task != null) {
                    task.run();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closed = true;
            IllegalStateException cause = closedException();
            running.values().forEach(future -> future.completeExceptionally(cause));
            running.clear();
            inbox.clear();
        }
    }

    private void finishDecided() {
        for (var entry : List.copyOf(running.entrySet())) {
            AddressConflictDetection detection = entry.getKey();
            if (!detection.isDecided()) {
                continue;
            }
            running.remove(detection);
            AddressConflictDetection.Conflict conflict = detection.conflict();
            entry.getValue().complete(conflict == null ? new ProbeResult.Free(detection.candidate())
                    : new ProbeResult.InUse(detection.candidate(), conflict.mac(), conflict.evidence()));
        }
    }

    private IllegalStateException closedException() {
        return new IllegalStateException("the address probe on " + link.name() + " is closed");
    }

    /** Stops probing (futures still waiting fail) and closes the link. Idempotent; may be called from a future's stage. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        thread.interrupt();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        link.close();
    }
}
