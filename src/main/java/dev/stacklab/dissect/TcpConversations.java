package dev.stacklab.dissect;

import dev.stacklab.wire.TcpPacket;

import java.util.function.Supplier;

/**
 * TCP connections seen so far, with what Wireshark's single-pass analysis keeps per connection:
 * the stream index, each direction's base sequence number (for relative numbers), window scale,
 * unacknowledged segments (for "this is an ACK to the segment in frame" and bytes in flight), and
 * the handshake's round-trip time. Bounded: the least recently seen connection is forgotten first,
 * and each direction keeps at most {@link #MAXIMUM_UNACKED_SEGMENTS} segments, as Wireshark does.
 */
final class TcpConversations {
    static final int MAXIMUM_CONVERSATIONS = 65_536;
    /** Wireshark's TCP_MAX_UNACKED_SEGMENTS. */
    static final int MAXIMUM_UNACKED_SEGMENTS = 10_000;

    /** Window scale not yet known: the SYN of this direction has not been seen. */
    static final int WINDOW_SCALE_UNKNOWN = -1;
    /** The handshake showed that window scaling is not in use. */
    static final int WINDOW_SCALE_NONE = -2;

    private static final long[] NO_LONGS = new long[0];
    private static final int[] NO_INTS = new int[0];

    /** One direction of a connection. */
    static final class Direction {
        boolean baseSet;
        long baseSequence;
        int windowScale = WINDOW_SCALE_UNKNOWN;
        /** Highest next sequence number sent, 0 when none yet (as in Wireshark). */
        long nextSequence;
        long pushBytesSent;
        boolean pushSetLast;
        /** This side has sent a FIN: a FIN from the other side then answers it rather than starting the close. */
        boolean finSent;
        // Wireshark's tcp_analyze_seq_flow_info: what the sequence analysis remembers of this direction.
        /** Frame and time that last advanced {@link #nextSequence}. */
        int nextSequenceFrame;
        long nextSequenceTime;
        /** Highest sequence number sent without a gap before it, 0 when none yet: an ACK beyond it acknowledges unseen data. */
        long maxSequenceToBeAcked;
        /** The last acknowledgment number this side sent, and when. */
        long lastAck;
        long lastAckTime;
        /** The last window field this side sent, unscaled; none yet is above any 16-bit value (Wireshark's G_MAXUINT32). */
        long window = 0xFFFF_FFFFL;
        /** The last window came with a SYN, so it is not to be scaled. */
        boolean windowFromSyn = true;
        /** Duplicate ACKs sent in a row, and the frame of the ACK they repeat. */
        int duplicateAckCount;
        int lastNonDuplicateAckFrame;
        /** Analysis flags of this side's last segment ({@link TcpSequenceAnalysis}.RETRANSMISSION and the others). */
        int lastSegmentFlags;
        /** Bytes the SACK blocks of this side's latest segment report received beyond its ACK: not in flight. */
        long sackedBytes;
        /** Bytes in flight are known: false after a gap in this side's data, until the other side ACKs. */
        boolean bytesInFlightValid = true;
        /**
         * Unacknowledged segments, newest last: raw sequence numbers, frame and time. Made with the first segment: a
         * capture keeps up to MAXIMUM_CONVERSATIONS connections, and arrays made up front were most of their memory.
         */
        long[] segmentSequence = NO_LONGS;
        long[] segmentNextSequence = NO_LONGS;
        int[] segmentFrame = NO_INTS;
        long[] segmentTime = NO_LONGS;
        int segmentCount;
        /** The messages of the protocol above spanning this direction's segments, by relative sequence number; null while none. */
        java.util.TreeMap<Long, TcpPduReassembly.Pdu> pdus;

        void addSegment(long sequence, long nextSequence, int frame, long time) {
            if (segmentCount == MAXIMUM_UNACKED_SEGMENTS) {
                return;
            }
            if (segmentCount == segmentSequence.length) {
                int capacity = Math.max(4, segmentCount * 2);
                segmentSequence = java.util.Arrays.copyOf(segmentSequence, capacity);
                segmentNextSequence = java.util.Arrays.copyOf(segmentNextSequence, capacity);
                segmentFrame = java.util.Arrays.copyOf(segmentFrame, capacity);
                segmentTime = java.util.Arrays.copyOf(segmentTime, capacity);
            }
            segmentSequence[segmentCount] = sequence;
            segmentNextSequence[segmentCount] = nextSequence;
            segmentFrame[segmentCount] = frame;
            segmentTime[segmentCount] = time;
            segmentCount++;
        }

        void removeSegment(int index) {
            int tail = segmentCount - index - 1;
            System.arraycopy(segmentSequence, index + 1, segmentSequence, index, tail);
            System.arraycopy(segmentNextSequence, index + 1, segmentNextSequence, index, tail);
            System.arraycopy(segmentFrame, index + 1, segmentFrame, index, tail);
            System.arraycopy(segmentTime, index + 1, segmentTime, index, tail);
            segmentCount--;
        }
    }

    // Wireshark's conversation completeness bits: what a connection has shown, from its opening SYN on.
    static final int COMPLETENESS_SYN = 1;
    static final int COMPLETENESS_SYN_ACK = 2;
    static final int COMPLETENESS_ACK = 4;
    static final int COMPLETENESS_DATA = 8;
    static final int COMPLETENESS_FIN = 16;
    static final int COMPLETENESS_RST = 32;

    /**
     * Adds what a segment shows to its connection's completeness. Apart from SYNs, a segment counts only when its
     * direction was known before it (its own earlier segment or an ACK from the other side set its base sequence
     * number), as in tshark 4.0: the first segment of a connection picked up in the middle adds nothing. The SYN+ACK
     * does not count as an ACK.
     */
    static void recordCompleteness(Conversation conversation, int flags, int segmentLength, boolean directionKnownBefore) {
        boolean syn = (flags & TcpPacket.FLAG_SYN) != 0;
        boolean ack = (flags & TcpPacket.FLAG_ACK) != 0;
        if (syn && !ack) {
            conversation.completeness |= COMPLETENESS_SYN;
        }
        if (!directionKnownBefore && !syn) {
            return;
        }
        if (syn && ack) {
            conversation.completeness |= COMPLETENESS_SYN_ACK;
        }
        if (ack && !syn) {
            conversation.completeness |= COMPLETENESS_ACK;
        }
        if (segmentLength > 0) {
            conversation.completeness |= COMPLETENESS_DATA;
        }
        if ((flags & TcpPacket.FLAG_FIN) != 0) {
            conversation.completeness |= COMPLETENESS_FIN;
        }
        if ((flags & TcpPacket.FLAG_RST) != 0) {
            conversation.completeness |= COMPLETENESS_RST;
        }
    }

    /** "Complete, WITH_DATA (31)": a handshake and a close (FIN or RST) are complete; data or not decides the rest. */
    static String describeCompleteness(int value) {
        int handshake = COMPLETENESS_SYN | COMPLETENESS_SYN_ACK | COMPLETENESS_ACK;
        String name;
        if ((value & handshake) == handshake && (value & (COMPLETENESS_FIN | COMPLETENESS_RST)) != 0) {
            name = (value & COMPLETENESS_DATA) != 0 ? "Complete, WITH_DATA" : "Complete, NO_DATA";
        } else {
            name = switch (value) {
                case COMPLETENESS_SYN -> "Incomplete, SYN_SENT";
                case COMPLETENESS_SYN | COMPLETENESS_SYN_ACK -> "Incomplete, CLIENT_ESTABLISHED";
                case COMPLETENESS_SYN | COMPLETENESS_SYN_ACK | COMPLETENESS_ACK -> "Incomplete, ESTABLISHED";
                case COMPLETENESS_SYN | COMPLETENESS_SYN_ACK | COMPLETENESS_ACK | COMPLETENESS_DATA -> "Incomplete, DATA";
                default -> "Incomplete";
            };
        }
        return name + " (" + value + ")";
    }

    /** One connection; {@code first} is the direction of the first segment seen. */
    static final class Conversation {
        final int streamIndex;
        final int firstAddress;
        final int firstPort;
        final Direction first = new Direction();
        final Direction second = new Direction();
        final long firstTimestampNanos;
        long previousTimestampNanos;
        /** Time of the latest SYN (without ACK), from which the handshake RTT is measured; MIN_VALUE when none. */
        long latestSynNanos = Long.MIN_VALUE;
        /** Handshake round-trip time (Wireshark's iRTT), or -1 until the handshake's ACK is seen. */
        long initialRttNanos = -1;
        /** What the connection has shown so far, as {@link #COMPLETENESS_SYN} and the other bits. */
        int completeness;
        /** What the protocol above keeps about this connection (HTTP's requests waiting for responses, ...), or null. */
        Object applicationState;

        /**
         * The protocol above's state of {@code type} for this connection, made by {@code create} (and kept) when
         * there is none of that type yet: the one place each application dissector gets its per-connection state.
         */
        <T> T applicationState(Class<T> type, Supplier<T> create) {
            if (type.isInstance(applicationState)) {
                return type.cast(applicationState);
            }
            T created = create.get();
            applicationState = created;
            return created;
        }

        Conversation(int streamIndex, int firstAddress, int firstPort, long timestampNanos) {
            this.streamIndex = streamIndex;
            this.firstAddress = firstAddress;
            this.firstPort = firstPort;
            this.firstTimestampNanos = timestampNanos;
            this.previousTimestampNanos = timestampNanos;
        }

        boolean isFirstDirection(int sourceAddress, int sourcePort) {
            return sourceAddress == firstAddress && sourcePort == firstPort;
        }
    }

    private final ConversationTable<Conversation> conversations = new ConversationTable<>(MAXIMUM_CONVERSATIONS);
    private int nextStreamIndex;
    /** Scratch space for the analysis of the segment being dissected. */
    final TcpSequenceAnalysis.Result analysis = new TcpSequenceAnalysis.Result();

    /**
     * The connection this segment belongs to. A SYN whose sequence number differs from the one
     * already recorded for its direction starts a new connection on the same ports (port reuse),
     * with a new stream index, as in Wireshark.
     */
    Conversation find(int sourceAddress, int sourcePort, int destinationAddress, int destinationPort, boolean pureSyn,
                      long sequence, long timestampNanos) {
        Conversation conversation = conversations.get(sourceAddress, sourcePort, destinationAddress, destinationPort);
        if (conversation != null && pureSyn) {
            Direction forward = conversation.isFirstDirection(sourceAddress, sourcePort) ? conversation.first : conversation.second;
            if (forward.baseSet && forward.baseSequence != sequence) {
                conversation = null;
            }
        }
        if (conversation == null) {
            conversation = new Conversation(nextStreamIndex++, sourceAddress, sourcePort, timestampNanos);
            conversations.put(sourceAddress, sourcePort, destinationAddress, destinationPort, conversation);
        }
        return conversation;
    }

    /** The connection without creating one, for the quoted segments in ICMP errors; null when unknown. */
    Conversation peek(int sourceAddress, int sourcePort, int destinationAddress, int destinationPort) {
        return conversations.get(sourceAddress, sourcePort, destinationAddress, destinationPort);
    }

    /** Creates the connection for a quoted segment if needed (Wireshark gives quoted segments a stream index too). */
    Conversation findQuoted(int sourceAddress, int sourcePort, int destinationAddress, int destinationPort, long timestampNanos) {
        Conversation conversation = peek(sourceAddress, sourcePort, destinationAddress, destinationPort);
        if (conversation == null) {
            conversation = new Conversation(nextStreamIndex++, sourceAddress, sourcePort, timestampNanos);
            conversations.put(sourceAddress, sourcePort, destinationAddress, destinationPort, conversation);
        }
        return conversation;
    }
}
