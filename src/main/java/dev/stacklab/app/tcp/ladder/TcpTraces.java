package dev.stacklab.app.tcp.ladder;

import dev.stacklab.capture.CapturedFrame;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.TcpPacket;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every TCP connection in a stream of captured frames, each as a {@link ConnectionTrace}. A SYN with a new initial
 * sequence number on a four-tuple seen before starts a new connection (the ports were used again). Bounded: at most
 * {@link #MAX_CONNECTIONS} connections and {@link #MAX_SEGMENTS} segments in all; the oldest connections go first.
 * Plain Java, one thread at a time.
 */
public final class TcpTraces {
    public static final int MAX_CONNECTIONS = 64;
    public static final int MAX_SEGMENTS = 200_000;

    private record Key(long lowSocket, long highSocket) {
        static Key of(TcpFrame frame) {
            long source = socket(frame.source(), frame.sourcePort());
            long destination = socket(frame.destination(), frame.destinationPort());
            return new Key(Math.min(source, destination), Math.max(source, destination));
        }

        private static long socket(Ipv4Address address, int port) {
            return (address.bits() & 0xFFFF_FFFFL) << 16 | port;
        }
    }

    private final Map<Key, ConnectionTrace> traces = new LinkedHashMap<>();
    private ConnectionTrace latest;

    /** Adds the frame numbered {@code frameNumber} if it is a TCP segment; returns its connection, or null. */
    public ConnectionTrace add(int frameNumber, CapturedFrame captured) {
        TcpFrame frame = TcpFrame.read(captured.bytes());
        if (frame == null) {
            return null;
        }
        Key key = Key.of(frame);
        ConnectionTrace trace = traces.get(key);
        boolean opening = frame.has(TcpPacket.FLAG_SYN) && !frame.has(TcpPacket.FLAG_ACK);
        if (trace == null || opening && trace.isNewOpening(frame)) {
            trace = new ConnectionTrace(new ConnectionTrace.Ends(frame.source(), frame.sourcePort(), frame.destination(),
                    frame.destinationPort()), captured.timestampNanos());
            traces.remove(key);
            traces.put(key, trace);
            latest = trace;
            bound();
        }
        trace.add(frameNumber, captured, frame);
        if (segmentCount() > MAX_SEGMENTS) {
            bound();
        }
        return trace;
    }

    /** The connection whose first segment came last, or null. */
    public ConnectionTrace latest() {
        return latest;
    }

    /** The connection between these two sockets (the newest, if the ports were used again), or null. */
    public ConnectionTrace between(Ipv4Address one, int onePort, Ipv4Address other, int otherPort) {
        ConnectionTrace found = null;
        for (ConnectionTrace trace : traces.values()) {
            if (trace.ends().joins(one, onePort, other, otherPort)) {
                found = trace;
            }
        }
        return found;
    }

    public List<ConnectionTrace> all() {
        return new ArrayList<>(traces.values());
    }

    public void clear() {
        traces.clear();
        latest = null;
    }

    private int segmentCount() {
        int count = 0;
        for (ConnectionTrace trace : traces.values()) {
            count += trace.segments().size();
        }
        return count;
    }

    private void bound() {
        Iterator<ConnectionTrace> oldest = traces.values().iterator();
        while (oldest.hasNext() && traces.size() > 1 && (traces.size() > MAX_CONNECTIONS || segmentCount() > MAX_SEGMENTS)) {
            ConnectionTrace gone = oldest.next();
            if (gone != latest) {
                oldest.remove();
            }
        }
    }
}
