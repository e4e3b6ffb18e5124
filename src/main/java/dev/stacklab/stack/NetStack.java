package dev.stacklab.stack;

import dev.stacklab.wire.Ipv4Address;

import java.util.List;

/**
 * The protocol engine for one Ethernet interface: ARP, IPv4, ICMP and UDP. Sans-I/O: it never reads
 * a clock, starts a thread, sleeps or touches a device. Time is always passed in; frames come in
 * through {@link #receive} and go out through {@link #poll}; {@link #pollAt} says when to call poll
 * again. One thread drives it (see {@code runtime.StackRunner}); it has no locks.
 *
 * <p>API skeleton: the engine is being written; every method below is its contract.
 */
public final class NetStack {
    private final StackConfig config;
    private final StackEventListener events;

    public NetStack(StackConfig config, StackEventListener events) {
        this.config = config;
        this.events = events;
    }

    public StackConfig config() {
        return config;
    }

    /** Brings the interface up at {@code nowNanos}: queues the gratuitous ARP announcement (RFC 5227 section 2.3). */
    public void start(long nowNanos) {
        throw new IllegalStateException("engine not written yet");
    }

    /** One Ethernet frame arrived. Any answer is queued and handed out by the next {@link #poll}. */
    public void receive(byte[] frame, int length, long nowNanos) {
        throw new IllegalStateException("engine not written yet");
    }

    /** Fires every timer due at {@code nowNanos} and hands every frame waiting to be sent to {@code transmit}. */
    public void poll(long nowNanos, FrameTransmitter transmit) {
        throw new IllegalStateException("engine not written yet");
    }

    /** When {@link #poll} next has work: a time in the past or now when frames wait, {@code Long.MAX_VALUE} when idle. */
    public long pollAt() {
        throw new IllegalStateException("engine not written yet");
    }

    /** Sends an ICMP echo request; {@code callback} hears how it ended (also published as {@link StackEvent.PingCompleted}). */
    public void ping(PingRequest request, long nowNanos, PingCallback callback) {
        throw new IllegalStateException("engine not written yet");
    }

    /** Resolves an on-link address with ARP (answering from the cache when it can). */
    public void resolve(Ipv4Address address, long nowNanos, ResolveCallback callback) {
        throw new IllegalStateException("engine not written yet");
    }

    /** Binds a UDP port (0 picks an ephemeral one, RFC 6335 range 49152-65535); throws IllegalStateException if taken. */
    public UdpSocket udpBind(int port, UdpReceiver receiver) {
        throw new IllegalStateException("engine not written yet");
    }

    /** Counters by name ("frames received", "dropped: bad checksum", ...), in a stable order. */
    public java.util.Map<String, Long> counters() {
        throw new IllegalStateException("engine not written yet");
    }

    public List<NeighborEntry> neighbors() {
        throw new IllegalStateException("engine not written yet");
    }
}
