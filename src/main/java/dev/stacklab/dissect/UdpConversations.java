package dev.stacklab.dissect;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * UDP conversations (address and port pairs, either direction) as Wireshark numbers them for
 * {@code udp.stream}, with the time of each conversation's first and latest datagram. Bounded: the
 * least recently seen conversation is forgotten first.
 */
final class UdpConversations {
    static final int MAXIMUM_CONVERSATIONS = 65_536;

    /** One conversation's index and times. */
    static final class Conversation {
        final int streamIndex;
        final long firstTimestampNanos;
        long previousTimestampNanos;

        Conversation(int streamIndex, long firstTimestampNanos) {
            this.streamIndex = streamIndex;
            this.firstTimestampNanos = firstTimestampNanos;
            this.previousTimestampNanos = firstTimestampNanos;
        }
    }

    private final Map<EndpointPair, Conversation> conversations = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<EndpointPair, Conversation> eldest) {
            return size() > MAXIMUM_CONVERSATIONS;
        }
    };
    private int nextStreamIndex;
    private final EndpointPair probe = EndpointPair.probe();

    /** The conversation of this datagram, created (with the next stream index) when first seen. */
    Conversation find(int sourceAddress, int sourcePort, int destinationAddress, int destinationPort, long timestampNanos) {
        EndpointPair key = probe.set(sourceAddress, sourcePort, destinationAddress, destinationPort);
        Conversation conversation = conversations.get(key);
        if (conversation == null) {
            conversation = new Conversation(nextStreamIndex++, timestampNanos);
            conversations.put(key.copy(), conversation);
        }
        return conversation;
    }
}
