package dev.stacklab.stack;

import dev.stacklab.wire.IpProtocol;
import dev.stacklab.wire.Ipv4Address;

/**
 * What the engine offers one {@link Transport}: sending datagrams of its protocol from our address, the path MTU,
 * the one timer queue, drops, counters and events. Made by {@link NetStack} for each transport; use it only on the
 * stack's thread.
 */
public final class TransportContext {
    /** Writes a datagram's payload (the transport's header and data) at {@code offset}, filling {@code length} bytes. */
    @FunctionalInterface
    public interface PayloadWriter {
        void write(byte[] buffer, int offset, int length);
    }

    private final NetStack stack;
    private final IpProtocol protocol;
    private boolean wantsOutput;
    /** A datagram it sent waits for ARP: not asked for output until that settles (see {@link NetStack#poll}). */
    private boolean waitingForNeighbor;

    TransportContext(NetStack stack, IpProtocol protocol) {
        this.stack = stack;
        this.protocol = protocol;
    }

    public IpProtocol protocol() {
        return protocol;
    }

    public StackConfig config() {
        return stack.config();
    }

    /** Our interface address: the source of every datagram this transport sends. */
    public Ipv4Address localAddress() {
        return stack.config().address().address();
    }

    /**
     * The largest datagram that should reach {@code destination} unfragmented: the link's MTU, or less once a router
     * said so (RFC 1191). TCP's MSS is this minus 40 (RFC 9293 3.7.1, RFC 879).
     */
    public int pathMtu(Ipv4Address destination) {
        return stack.ipv4.pathMtus.mtuFor(destination.bits());
    }

    /** The engine's one timer queue: a transport's deadlines go here, and {@link NetStack#pollAt()} sees them. */
    public TimerQueue timers() {
        return stack.timers;
    }

    /** {@link #send(Ipv4Address, int, int, PathMtuDiscovery, PayloadWriter, long)} with the default TTL (64). */
    public SendResult send(Ipv4Address destination, int payloadLength, PathMtuDiscovery pathMtuDiscovery, PayloadWriter writer,
                           long now) {
        return send(destination, payloadLength, Ipv4Layer.DEFAULT_TTL, pathMtuDiscovery, writer, now);
    }

    /**
     * Sends one datagram of this protocol from our address to {@code destination}: the engine writes the IPv4 header
     * (through {@code Ipv4Repr.emit}), {@code writer} the payload, then it is routed, fragmented if it may be and
     * must be, and handed to ARP. Call it from {@link Transport#pollOutput} for data (so the link paces it), or at
     * once for an answer to what arrived (an ACK, a RST).
     *
     * @return {@link SendResult#SENT}, or why it could not leave (that drop is already counted and published)
     */
    public SendResult send(Ipv4Address destination, int payloadLength, int ttl, PathMtuDiscovery pathMtuDiscovery,
                           PayloadWriter writer, long now) {
        byte[] frame = stack.ipv4.newDatagram(protocol.value(), destination.bits(), payloadLength, ttl, pathMtuDiscovery);
        writer.write(frame, Ipv4Layer.payloadOffset(), payloadLength);
        return stack.ipv4.send(frame, null, now);
    }

    /**
     * Tells the engine this transport has something to send: {@link Transport#pollOutput} will be called when the
     * link has room ({@link NetStack#pollAt()} is "now" until then).
     */
    public void wantsOutput() {
        wantsOutput = true;
    }

    boolean outputWanted() {
        return wantsOutput && !waitingForNeighbor;
    }

    void waitForNeighbor() {
        waitingForNeighbor = true;
    }

    void neighborSettled() {
        waitingForNeighbor = false;
    }

    void outputDone() {
        wantsOutput = false;
    }

    /**
     * Answers a datagram nobody takes with an ICMP destination unreachable (RFC 1122 3.2.2.1, 4.1.3.1: port
     * unreachable for UDP), unless it went to a broadcast or is itself an error; rate-limited as all ICMP errors.
     */
    public void sendDestinationUnreachable(int code, Ipv4Datagram about, long now) {
        stack.icmp.sendDestinationUnreachable(code, about.buffer(), about.offset(), about.totalLength(), about.toBroadcast(), now);
    }

    /** Counts and publishes a drop; during {@link Transport#receive} the event carries the frame being received. */
    public void drop(DropReason reason, String detail, long now) {
        stack.dropReceived(now, reason, detail);
    }

    /** Whether anyone listens to events: skip building an event nobody reads. */
    public boolean hasListener() {
        return stack.hasListener();
    }

    public void publish(StackEvent event) {
        stack.publish(event);
    }
}
