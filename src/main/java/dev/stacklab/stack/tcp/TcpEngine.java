package dev.stacklab.stack.tcp;

import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.TcpFlags;
import dev.stacklab.wire.TcpRepr;
import dev.stacklab.wire.TcpSeqNumber;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.ToIntFunction;

/**
 * The TCP of one host, sans-I/O: it finds the connection (or listener) each arriving segment belongs
 * to, answers segments for closed ports with a RST, keeps every connection's timers in one queue, and
 * hands out the segments to send when asked. It never reads a clock: {@link #receive}, {@link #onTimers}
 * and {@link #nextOutput} take the time, {@link #pollAt} says when the next timer is due.
 *
 * <p>The IP layer gives it parsed segments with their addresses and takes {@link TcpOutput}s back; it
 * knows nothing of IPv4 beyond the addresses, so it is tested on its own with scripted segments.
 */
public final class TcpEngine {
    /** RSTs waiting to be sent beyond this are dropped (a flood of segments to closed ports cannot grow memory). */
    static final int CONTROL_QUEUE_CAPACITY = 1024;

    private final TcpConfig config;
    private final TcpSecrets secrets;
    private final TcpEventListener events;
    private final ToIntFunction<Ipv4Address> pathMtu;
    private Runnable outputListener = () -> {
    };
    private java.util.function.Consumer<TcpConnection> readinessListener = connection -> {
    };
    private final TcpCounters counters = new TcpCounters();
    private final Map<TcpEndpoints, TcpConnection> connections = new HashMap<>();
    private final Map<Integer, TcpListener> listeners = new HashMap<>();
    private final ArrayDeque<OutgoingSegment> controlQueue = new ArrayDeque<>();
    /** Connections that may have something to send. */
    private final LinkedHashSet<TcpConnection> ready = new LinkedHashSet<>();
    /** Timer entries; an entry is stale when its deadline is no longer its connection's. */
    private final PriorityQueue<TimerEntry> timers = new PriorityQueue<>();
    private final Map<TcpConnection, Long> scheduled = new HashMap<>();
    private long nextConnectionId = 1;
    private long now = Long.MIN_VALUE;
    private long challengeWindowStart = Long.MIN_VALUE;
    private int challengeAcksInWindow;

    private record TimerEntry(long deadline, long sequence, TcpConnection connection) implements Comparable<TimerEntry> {
        @Override
        public int compareTo(TimerEntry other) {
            int byDeadline = Long.compare(deadline, other.deadline);
            return byDeadline != 0 ? byDeadline : Long.compare(sequence, other.sequence);
        }
    }

    private long timerSequence;
    private boolean publishSnapshots;

    /**
     * @param mtu the IP MTU of the interface; our MSS is 40 bytes less (RFC 9293 3.7.1, RFC 879)
     */
    public TcpEngine(TcpConfig config, TcpSecrets secrets, int mtu, TcpEventListener events) {
        this(config, secrets, destination -> mtu, events);
    }

    /**
     * @param pathMtu the largest datagram that reaches a destination unfragmented (RFC 1191); the MSS of a
     *                connection to it is 40 bytes less
     */
    public TcpEngine(TcpConfig config, TcpSecrets secrets, ToIntFunction<Ipv4Address> pathMtu, TcpEventListener events) {
        this.config = config;
        this.secrets = secrets;
        this.pathMtu = pathMtu;
        this.events = events;
    }

    /**
     * Whether a {@link TcpEvent.SnapshotTaken} follows every segment in or out and every timer that fires (off by
     * default: a bulk transfer makes hundreds of thousands). State changes carry their snapshot either way.
     */
    public void publishSnapshots(boolean enabled) {
        this.publishSnapshots = enabled;
    }

    private void snapshotTaken(TcpConnection connection) {
        if (publishSnapshots) {
            events.onEvent(new TcpEvent.SnapshotTaken(now, connection.id(), connection.endpoints(), connection.snapshot()));
        }
    }

    /** Called whenever a connection may have output, so that the IP layer asks {@link #nextOutput} soon. */
    public void setOutputListener(Runnable listener) {
        this.outputListener = listener;
    }

    /**
     * Called with a connection whenever something about it may have changed for its application (data or a FIN
     * arrived, send buffer room freed by an ACK, a state change, a timer fired), so that a runtime re-checks only
     * that connection's waiters instead of every waiter after every frame. On the stack's thread.
     */
    public void setReadinessListener(java.util.function.Consumer<TcpConnection> listener) {
        this.readinessListener = listener;
    }

    public TcpConfig config() {
        return config;
    }

    TcpSecrets secrets() {
        return secrets;
    }

    public TcpCounters counters() {
        return counters;
    }

    long now() {
        return now;
    }

    private void advanceTo(long time) {
        if (time > now) {
            now = time;
        }
    }

    /** Connections the engine holds now, listeners' half-open ones included. */
    public Collection<TcpConnection> connections() {
        return Collections.unmodifiableCollection(connections.values());
    }

    /** The connection for these endpoints, or null. */
    public TcpConnection connection(TcpEndpoints endpoints) {
        return connections.get(endpoints);
    }

    // ---------------------------------------------------------------- the application's calls

    /**
     * Active open (RFC 9293 3.10.1) from {@code localAddress} to {@code remoteAddress:remotePort};
     * {@code localPort} 0 picks an ephemeral port (RFC 6056).
     *
     * @throws IllegalStateException when no port is free, the endpoints are in use, or the table is full
     */
    public TcpConnection connect(Ipv4Address localAddress, int localPort, Ipv4Address remoteAddress, int remotePort, long time) {
        advanceTo(time);
        if (connections.size() >= config.maximumConnections()) {
            throw new IllegalStateException("too many TCP connections (" + connections.size() + ")");
        }
        int port = localPort;
        if (port == 0) {
            TcpEndpoints unbound = new TcpEndpoints(localAddress, 0, remoteAddress, remotePort);
            port = secrets.ephemeralPort(unbound, candidate -> listeners.containsKey(candidate)
                    || connections.containsKey(new TcpEndpoints(localAddress, candidate, remoteAddress, remotePort)));
            if (port == 0) {
                throw new IllegalStateException("no ephemeral port free towards " + remoteAddress + ":" + remotePort);
            }
        }
        TcpEndpoints endpoints = new TcpEndpoints(localAddress, port, remoteAddress, remotePort);
        if (connections.containsKey(endpoints)) {
            throw new IllegalStateException("connection " + endpoints + " already exists");
        }
        TcpConnection connection = new TcpConnection(this, nextConnectionId++, endpoints,
                secrets.initialSequenceNumber(endpoints, now), mss(remoteAddress), false);
        connections.put(endpoints, connection);
        counters.connectionsOpened++;
        connection.openActive(now);
        wake(connection);
        return connection;
    }

    /**
     * Passive open on {@code port} (RFC 9293 3.10.1), with at most {@code backlog} connections waiting for accept.
     *
     * @throws IllegalStateException when the port already has a listener
     */
    public TcpListener listen(int port, int backlog) {
        if (port < 1 || port > 0xFFFF || backlog < 1) {
            throw new IllegalArgumentException("port must be 1-65535 and backlog positive, not " + port + ", " + backlog);
        }
        if (listeners.containsKey(port)) {
            throw new IllegalStateException("port " + port + " already has a listener");
        }
        TcpListener listener = new TcpListener(this, port, backlog);
        listeners.put(port, listener);
        return listener;
    }

    /** The listener closed: it takes no more SYNs, and its unfinished handshakes are reset (RFC 9293 3.10.4, LISTEN). */
    void stopListening(TcpListener listener) {
        listeners.remove(listener.port(), listener);
        List<TcpConnection> halfOpen = new ArrayList<>();
        for (TcpConnection connection : connections.values()) {
            if (connection.listener == listener) {
                halfOpen.add(connection);
            }
        }
        for (TcpConnection connection : halfOpen) {
            connection.abort();
        }
    }

    private int mss(Ipv4Address remote) {
        return Math.max(pathMtu.applyAsInt(remote) - 40, 28);
    }

    // ---------------------------------------------------------------- segment arrival

    /**
     * A segment arrived, already checked (checksum, options) by the IP layer: {@code source} is the
     * peer, {@code destination} our address.
     */
    public void receive(Ipv4Address source, Ipv4Address destination, TcpRepr segment, long time) {
        receive(source, destination, IncomingSegment.of(segment), time);
    }

    /** {@link #receive(Ipv4Address, Ipv4Address, TcpRepr, long)} for a segment whose data is still where it arrived. */
    void receive(Ipv4Address source, Ipv4Address destination, IncomingSegment segment, long time) {
        advanceTo(time);
        counters.segmentsReceived++;
        TcpEndpoints endpoints = new TcpEndpoints(destination, segment.destinationPort(), source, segment.sourcePort());
        TcpConnection connection = connections.get(endpoints);
        TcpListener listener = listeners.get(segment.destinationPort());
        if (connection != null && connection.state() == TcpState.TIME_WAIT && listener != null && isNewSyn(segment, connection)) {
            // RFC 9293 3.10.7.4 note / RFC 1122 4.2.2.13: a new SYN above the old connection's sequence
            // space may reopen it from TIME-WAIT; our ISNs grow with the clock (RFC 6528), so the new one is higher.
            connection.forgetTimeWait(now);
            connection = null;
        }
        if (connection != null) {
            connection.onSegment(segment, now);
            snapshotTaken(connection);
            wake(connection);
            return;
        }
        if (listener != null) {
            onSegmentForListener(listener, endpoints, segment);
            return;
        }
        resetForClosedPort(endpoints, segment);
    }

    private static boolean isNewSyn(IncomingSegment segment, TcpConnection connection) {
        return segment.flags().syn() && !segment.flags().ack() && !segment.flags().rst()
                && TcpSeqNumber.after(segment.sequenceNumber().bits(), connection.receiveNext());
    }

    /** RFC 9293 3.10.7.2, LISTEN. */
    private void onSegmentForListener(TcpListener listener, TcpEndpoints endpoints, IncomingSegment segment) {
        TcpFlags flags = segment.flags();
        if (flags.rst()) {
            return; // first: an incoming RST is ignored
        }
        if (flags.ack()) {
            // second: any ACK is bad here; <SEQ=SEG.ACK><CTL=RST>
            sendReset(endpoints, segment.acknowledgmentNumber().bits(), 0, false);
            return;
        }
        if (!flags.syn()) {
            return;
        }
        if (!listener.hasRoomForSyn() || connections.size() >= config.maximumConnections()) {
            counters.synsDropped++;
            return;
        }
        TcpConnection connection = new TcpConnection(this, nextConnectionId++, endpoints,
                secrets.initialSequenceNumber(endpoints, now), mss(endpoints.remoteAddress()), true);
        connection.listener = listener;
        listener.synQueued();
        connections.put(endpoints, connection);
        counters.connectionsOpened++;
        connection.openPassive(segment, now);
        wake(connection);
    }

    /** RFC 9293 3.10.7.1: a segment for no connection and no listener. */
    private void resetForClosedPort(TcpEndpoints endpoints, IncomingSegment segment) {
        if (segment.flags().rst()) {
            return;
        }
        if (segment.flags().ack()) {
            sendReset(endpoints, segment.acknowledgmentNumber().bits(), 0, false);
        } else {
            sendReset(endpoints, 0, segment.sequenceNumber().bits() + segment.sequenceLength(), true);
        }
    }

    /** Queues a RST: {@code <SEQ=seq><CTL=RST>}, or with {@code withAck} {@code <SEQ=seq><ACK=ack><CTL=RST,ACK>}. */
    void sendReset(TcpEndpoints endpoints, int seq, int ack, boolean withAck) {
        outputListener.run();
        if (controlQueue.size() >= CONTROL_QUEUE_CAPACITY) {
            counters.controlSegmentsDropped++;
            return;
        }
        TcpRepr reset = TcpRepr.control(endpoints.localPort(), endpoints.remotePort(), new TcpSeqNumber(seq),
                new TcpSeqNumber(withAck ? ack : 0), withAck ? TcpFlags.RST_ACK : TcpFlags.RST, 0);
        controlQueue.add(new OutgoingSegment(endpoints.localAddress(), endpoints.remoteAddress(), reset, null, 0, 0));
        counters.resetsSent++;
    }

    /**
     * An ICMP destination unreachable (or similar) quoting a segment we sent from {@code local:localPort}
     * to {@code remote:remotePort}.
     */
    public void receiveIcmpError(Ipv4Address local, int localPort, Ipv4Address remote, int remotePort, int type, int code,
                                 int nextHopMtu, long quotedSequence, long time) {
        advanceTo(time);
        TcpConnection connection = connections.get(new TcpEndpoints(local, localPort, remote, remotePort));
        if (connection != null) {
            connection.onIcmpError(type, code, nextHopMtu, quotedSequence, now);
            wake(connection);
        }
    }

    /** The IP layer refused {@code output} as larger than the path MTU ({@code pathMtu}) with DF set. */
    public void pathMtuBelowSegment(TcpOutput output, int pathMtu, long time) {
        pathMtuBelowSegment(OutgoingSegment.of(output), pathMtu, time);
    }

    void pathMtuBelowSegment(OutgoingSegment output, int pathMtu, long time) {
        advanceTo(time);
        TcpRepr segment = output.header();
        TcpConnection connection = connections.get(new TcpEndpoints(output.source(), segment.sourcePort(),
                output.destination(), segment.destinationPort()));
        if (connection != null) {
            connection.onPathMtuBelowSegment(pathMtu, now);
            wake(connection);
        }
    }

    /** RFC 5961 section 7: at most {@code challengeAcksPerSecond} challenge ACKs per second, stack-wide. */
    boolean challengeAckAllowed() {
        if (now - challengeWindowStart >= TcpConfig.SECOND || challengeWindowStart == Long.MIN_VALUE) {
            challengeWindowStart = now;
            challengeAcksInWindow = 0;
        }
        if (challengeAcksInWindow >= config.challengeAcksPerSecond()) {
            counters.challengeAcksSuppressed++;
            return false;
        }
        challengeAcksInWindow++;
        counters.challengeAcksSent++;
        return true;
    }

    void countPawsReject() {
        counters.pawsRejected++;
    }

    // ---------------------------------------------------------------- timers and output

    /** When {@link #onTimers} (or {@link #nextOutput}) should next be called: a time, or Long.MAX_VALUE for never. */
    public long pollAt() {
        if (!controlQueue.isEmpty() || !ready.isEmpty()) {
            return now;
        }
        return nextTimerAt();
    }

    /** The earliest timer deadline alone (output waiting aside), Long.MAX_VALUE when none. */
    public long nextTimerAt() {
        while (!timers.isEmpty()) {
            TimerEntry head = timers.peek();
            Long current = scheduled.get(head.connection());
            if (current != null && current == head.deadline()) {
                return head.deadline();
            }
            timers.poll();
        }
        return Long.MAX_VALUE;
    }

    /** Fires every timer due at {@code time}. */
    public void onTimers(long time) {
        advanceTo(time);
        while (!timers.isEmpty() && timers.peek().deadline() <= now) {
            TimerEntry entry = timers.poll();
            TcpConnection connection = entry.connection();
            Long current = scheduled.get(connection);
            if (current == null || current != entry.deadline()) {
                continue; // stale
            }
            scheduled.remove(connection);
            connection.onTimers(now);
            snapshotTaken(connection);
            wake(connection);
        }
    }

    /**
     * The next segment to send, or null when no connection has one. Connections take turns, one
     * segment each, so a bulk sender does not starve the others; the caller asks while its link has room.
     */
    public TcpOutput nextOutput(long time) {
        OutgoingSegment segment = nextSegment(time);
        return segment == null ? null : segment.toOutput();
    }

    /** {@link #nextOutput} with the data left in the send buffer, to be written into its frame at once. */
    OutgoingSegment nextSegment(long time) {
        advanceTo(time);
        OutgoingSegment control = controlQueue.poll();
        if (control != null) {
            counters.segmentsSent++;
            return control;
        }
        Iterator<TcpConnection> iterator = ready.iterator();
        while (iterator.hasNext()) {
            TcpConnection connection = iterator.next();
            iterator.remove();
            OutgoingSegment segment = connection.state() == TcpState.CLOSED ? null : connection.dispatch(now);
            schedule(connection);
            if (segment != null) {
                ready.add(connection); // to the back of the line
                counters.segmentsSent++;
                snapshotTaken(connection);
                return segment;
            }
            iterator = ready.iterator();
        }
        return null;
    }

    /** The connection may have output or a changed timer. */
    void wake(TcpConnection connection) {
        if (connection.state() != TcpState.CLOSED) {
            ready.add(connection);
        }
        schedule(connection);
        outputListener.run();
        readinessListener.accept(connection);
    }

    private void schedule(TcpConnection connection) {
        long deadline = connection.state() == TcpState.CLOSED ? Long.MAX_VALUE : connection.nextDeadline();
        Long current = scheduled.get(connection);
        if (deadline == Long.MAX_VALUE) {
            if (current != null) {
                scheduled.remove(connection);
            }
            return;
        }
        if (current == null || current != deadline) {
            scheduled.put(connection, deadline);
            timers.add(new TimerEntry(deadline, timerSequence++, connection));
        }
    }

    // ---------------------------------------------------------------- events

    void stateChanged(TcpConnection connection, TcpState from, TcpState to, TcpCause cause, TcpCloseReason reason, long time) {
        if (to == TcpState.CLOSED) {
            connections.remove(connection.endpoints(), connection);
            scheduled.remove(connection);
            counters.connectionsClosed++;
            if (connection.listener != null && from == TcpState.SYN_RECEIVED) {
                connection.listener.halfOpenGone();
                connection.listener = null;
            }
        }
        events.onEvent(new TcpEvent.StateChanged(time, connection.id(), connection.endpoints(), from, to, cause,
                to == TcpState.CLOSED ? reason : null, connection.snapshot()));
        readinessListener.accept(connection);
    }

    void retransmitted(TcpConnection connection, TcpTimer timer, long time) {
        counters.retransmissions++;
        events.onEvent(new TcpEvent.Retransmitted(time, connection.id(), connection.endpoints(), timer, connection.snapshot()));
    }
}
