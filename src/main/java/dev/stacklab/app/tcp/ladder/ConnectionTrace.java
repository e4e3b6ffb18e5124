package dev.stacklab.app.tcp.ladder;

import dev.stacklab.capture.CapturedFrame;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.TcpPacket;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The captured segments of one TCP connection, in capture order, each analysed as it arrives the way Wireshark's
 * single pass does (retransmission, fast retransmission, out of order, duplicate ACK, zero window; lost when the
 * capture says an impairment dropped it). End A is the one whose SYN came first (the client), or the sender of the
 * first segment seen when the capture began mid-connection. Plain Java: one thread at a time (the FX thread).
 *
 * <p>Bounded: past {@link #MAX_SEGMENTS} the oldest tenth is forgotten at once (counted in {@link #forgotten()}).
 */
public final class ConnectionTrace {
    public static final int MAX_SEGMENTS = 50_000;
    private static final long MASK = 0xFFFF_FFFFL;
    private static final long FAST_RETRANSMISSION_NANOS = 20_000_000;

    /** The endpoints as a pair of sockets, A first. */
    public record Ends(Ipv4Address addressA, int portA, Ipv4Address addressB, int portB) {
        boolean matches(TcpFrame frame) {
            return frame.source().equals(addressA) && frame.sourcePort() == portA && frame.destination().equals(addressB)
                    && frame.destinationPort() == portB
                    || frame.source().equals(addressB) && frame.sourcePort() == portB && frame.destination().equals(addressA)
                    && frame.destinationPort() == portA;
        }

        /** Whether this is the connection between these two sockets, either way round. */
        public boolean joins(Ipv4Address one, int onePort, Ipv4Address other, int otherPort) {
            return addressA.equals(one) && portA == onePort && addressB.equals(other) && portB == otherPort
                    || addressA.equals(other) && portA == otherPort && addressB.equals(one) && portB == onePort;
        }

        public String endA() {
            return addressA + ":" + portA;
        }

        public String endB() {
            return addressB + ":" + portB;
        }

        @Override
        public String toString() {
            return endA() + " ↔ " + endB();
        }
    }

    /** What one end has sent, for the analysis of its next segment. */
    private static final class Side {
        boolean baseKnown;
        long base;
        /** One past the highest relative sequence number sent. */
        long highestEnd;
        final SequenceRanges sent = new SequenceRanges();
        long lastAck = -1;
        long lastAckNanos;
        long lastWindow = -1;
        int duplicateAcks;
        int windowScale = -1;
        boolean sawSyn;
        /** Whether this end's last segment was a zero-window probe. */
        boolean lastWasProbe;

        long relative(long raw) {
            return (raw - base) & MASK;
        }
    }

    private final Ends ends;
    private final long firstTimeNanos;
    private final Side a = new Side();
    private final Side b = new Side();
    private final List<LadderSegment> segments = new ArrayList<>();
    private final List<LadderSegment> segmentsView = Collections.unmodifiableList(segments);
    private long forgotten;
    private int retransmissions;
    private int duplicateAcks;
    private int lost;
    private int outOfOrder;

    ConnectionTrace(Ends ends, long firstTimeNanos) {
        this.ends = ends;
        this.firstTimeNanos = firstTimeNanos;
    }

    public Ends ends() {
        return ends;
    }

    /** When its first segment was captured: the ladder's time zero. */
    public long firstTimeNanos() {
        return firstTimeNanos;
    }

    /** The segments held, oldest first (a view: it changes as segments arrive). */
    public List<LadderSegment> segments() {
        return segmentsView;
    }

    /** Segments forgotten to stay within {@link #MAX_SEGMENTS}. */
    public long forgotten() {
        return forgotten;
    }

    public int retransmissions() {
        return retransmissions;
    }

    public int duplicateAcks() {
        return duplicateAcks;
    }

    public int lost() {
        return lost;
    }

    public int outOfOrder() {
        return outOfOrder;
    }

    /** Where the segment of frame {@code frameNumber} is in {@link #segments()}, or -1. */
    public int indexOfFrame(int frameNumber) {
        int low = 0;
        int high = segments.size() - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            int number = segments.get(middle).frameNumber();
            if (number < frameNumber) {
                low = middle + 1;
            } else if (number > frameNumber) {
                high = middle - 1;
            } else {
                return middle;
            }
        }
        return -1;
    }

    /** The window scale both ends agreed on in their SYNs for what {@code fromA}'s end advertises, or 0. */
    int windowShift(boolean fromA) {
        Side from = fromA ? a : b;
        Side to = fromA ? b : a;
        return from.windowScale >= 0 && to.windowScale >= 0 ? from.windowScale : 0;
    }

    /** Whether {@code frame}, a SYN, opens a new connection on these ports rather than repeating this one's SYN. */
    boolean isNewOpening(TcpFrame frame) {
        Side from = frame.source().equals(ends.addressA()) && frame.sourcePort() == ends.portA() ? a : b;
        return from.baseKnown && frame.sequence() != from.base;
    }

    /** Analyses and adds one segment of this connection. */
    LadderSegment add(int frameNumber, CapturedFrame captured, TcpFrame frame) {
        boolean fromA = frame.source().equals(ends.addressA()) && frame.sourcePort() == ends.portA();
        Side from = fromA ? a : b;
        Side to = fromA ? b : a;
        boolean syn = frame.has(TcpPacket.FLAG_SYN);
        boolean fin = frame.has(TcpPacket.FLAG_FIN);
        boolean rst = frame.has(TcpPacket.FLAG_RST);
        boolean ack = frame.has(TcpPacket.FLAG_ACK);
        if (syn) {
            from.sawSyn = true;
            from.windowScale = frame.windowScale();
        }
        if (!from.baseKnown) {
            from.baseKnown = true;
            from.base = frame.sequence();
        }
        if (ack && !to.baseKnown) {
            // The capture began after the other end's SYN: its numbers count from what this end acknowledges.
            to.baseKnown = true;
            to.base = frame.acknowledgment();
        }
        long sequence = from.relative(frame.sequence());
        long acknowledgment = ack ? to.relative(frame.acknowledgment()) : -1;
        // RFC 7323 2.2: the window of a SYN is never scaled.
        long window = syn ? frame.rawWindow() : (long) frame.rawWindow() << windowShift(fromA);
        int marks = 0;
        int duplicateNumber = 0;
        if (captured.isDropped()) {
            marks |= LadderMark.LOST.bit();
            lost++;
        }
        long sequenceLength = frame.payloadLength() + (syn ? 1 : 0) + (fin ? 1 : 0);
        // Wireshark's zero-window probe: one octet at the next sequence number while the peer's window is zero. It
        // is not counted as sent (the next probe, and the data when the window opens, start at the same octet).
        boolean probe = sequenceLength == 1 && frame.payloadLength() == 1 && sequence == from.highestEnd
                && to.lastWindow == 0;
        from.lastWasProbe = probe;
        if (probe) {
            marks |= LadderMark.ZERO_WINDOW_PROBE.bit();
        } else if (sequenceLength > 0) {
            long end = sequence + sequenceLength;
            if (from.sent.covers(sequence, end)) {
                // Wireshark's rule: two duplicate ACKs or more for this very sequence number, the last ACK less than
                // 20 ms before (a resend long after them is the timer's, not the dup ACKs').
                boolean fast = to.duplicateAcks >= 2 && sequence == to.lastAck
                        && captured.timestampNanos() - to.lastAckNanos < FAST_RETRANSMISSION_NANOS;
                marks |= (fast ? LadderMark.FAST_RETRANSMISSION : LadderMark.RETRANSMISSION).bit();
                retransmissions++;
            } else if (sequence < from.highestEnd) {
                marks |= LadderMark.OUT_OF_ORDER.bit();
                outOfOrder++;
            }
            from.sent.add(sequence, end);
            from.highestEnd = Math.max(from.highestEnd, end);
        }
        // The answer to a probe (its window still zero, or open at last) is the probe's ACK, not a duplicate.
        boolean probeAnswer = ack && frame.payloadLength() == 0 && to.lastWasProbe && acknowledgment == from.lastAck;
        if (probeAnswer && window == 0) {
            marks |= LadderMark.ZERO_WINDOW_PROBE.bit();
        }
        if (ack && !syn && !fin && !rst && frame.payloadLength() == 0 && !probeAnswer) {
            if (acknowledgment == from.lastAck && window == from.lastWindow && to.highestEnd > acknowledgment) {
                from.duplicateAcks++;
                duplicateNumber = from.duplicateAcks;
                marks |= LadderMark.DUPLICATE_ACK.bit();
                duplicateAcks++;
            } else {
                from.duplicateAcks = 0;
            }
        } else if (ack && acknowledgment != from.lastAck) {
            from.duplicateAcks = 0;
        }
        if (ack) {
            from.lastAck = acknowledgment;
            from.lastAckNanos = captured.timestampNanos();
            from.lastWindow = window;
        }
        if (window == 0 && !rst && !syn) {
            marks |= LadderMark.ZERO_WINDOW.bit();
        }
        LadderSegment segment = new LadderSegment(frameNumber, captured.timestampNanos(), fromA, frame.flags(), sequence,
                acknowledgment, frame.payloadLength(), window, marks, duplicateNumber, captured.note());
        if (segments.size() >= MAX_SEGMENTS) {
            int drop = MAX_SEGMENTS / 10;
            segments.subList(0, drop).clear();
            forgotten += drop;
        }
        segments.add(segment);
        return segment;
    }
}
