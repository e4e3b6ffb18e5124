package dev.stacklab.dissect;

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

    private final ConversationTable<Conversation> conversations = new ConversationTable<>(MAXIMUM_CONVERSATIONS);
    private int nextStreamIndex;

    /** The conversation of this datagram, created (with the next stream index) when first seen. */
    Conversation find(int sourceAddress, int sourcePort, int destinationAddress, int destinationPort, long timestampNanos) {
        Conversation conversation = conversations.get(sourceAddress, sourcePort, destinationAddress, destinationPort);
        if (conversation == null) {
            conversation = new Conversation(nextStreamIndex++, timestampNanos);
            conversations.put(sourceAddress, sourcePort, destinationAddress, destinationPort, conversation);
        }
        return conversation;
    }
}
