package dev.stacklab.dissect;

/**
 * DNS queries waiting for their response, matched as Wireshark matches them in a single pass: within one
 * conversation (transport, both addresses and ports) by transaction ID, the latest query with that ID. A query to a
 * multicast group (mDNS, LLMNR) and its answer from a responder are not one conversation, so such answers show as
 * unsolicited, as in Wireshark. A query repeated within 5 seconds before any response, and a second response to
 * one query, are retransmissions (Wireshark's dns.retransmission_timer). Bounded, least recently used forgotten first.
 */
final class DnsTransactions {
    static final int MAXIMUM_PENDING = 65_536;
    /** Wireshark's default for "Number of seconds before retransmission" of a query with no response yet. */
    static final long RETRANSMISSION_NANOS = 5_000_000_000L;

    /** A query and, once seen, the frame of its response. */
    static final class Transaction {
        final int requestFrame;
        final long requestTimestampNanos;
        int responseFrame;

        Transaction(int requestFrame, long requestTimestampNanos) {
            this.requestFrame = requestFrame;
            this.requestTimestampNanos = requestTimestampNanos;
        }
    }

    private final ConversationTable<Transaction> transactions = new ConversationTable<>(MAXIMUM_PENDING);

    /** Whether the query or response last looked up repeats the one its transaction already has. */
    boolean retransmission;

    /**
     * Records a query and returns its transaction: a new one, or when this query repeats one still unanswered, the
     * original's (then {@link #retransmission} is set).
     */
    Transaction query(boolean tcp, int sourceAddress, int sourcePort, int destinationAddress, int destinationPort, int id, int frame,
                      long timestampNanos) {
        long a = endpoint(sourceAddress, sourcePort);
        long b = endpoint(destinationAddress, destinationPort);
        Transaction existing = transactions.get(lowerKey(a, b, tcp), upperKey(a, b, id));
        retransmission = existing != null && existing.responseFrame == 0 && existing.requestFrame != frame
                && timestampNanos - existing.requestTimestampNanos < RETRANSMISSION_NANOS;
        if (retransmission) {
            return existing;
        }
        Transaction transaction = new Transaction(frame, timestampNanos);
        transactions.put(lowerKey(a, b, tcp), upperKey(a, b, id), transaction);
        return transaction;
    }

    /**
     * The query this response answers, or null when none was seen (an unsolicited response); {@link #retransmission}
     * is set when the query was answered before by another frame.
     */
    Transaction response(boolean tcp, int sourceAddress, int sourcePort, int destinationAddress, int destinationPort, int id, int frame) {
        long a = endpoint(sourceAddress, sourcePort);
        long b = endpoint(destinationAddress, destinationPort);
        Transaction transaction = transactions.get(lowerKey(a, b, tcp), upperKey(a, b, id));
        retransmission = false;
        if (transaction != null) {
            if (transaction.responseFrame == 0) {
                transaction.responseFrame = frame;
            } else {
                retransmission = transaction.responseFrame != frame;
            }
        }
        return transaction;
    }

    private static long endpoint(int address, int port) {
        return ((address & 0xFFFF_FFFFL) << 16) | port;
    }

    // An endpoint takes 48 bits: the transport goes above the lower one, the transaction ID above the upper one.
    private static long lowerKey(long a, long b, boolean tcp) {
        return Math.min(a, b) | (tcp ? 1L << 48 : 0);
    }

    private static long upperKey(long a, long b, int id) {
        return Math.max(a, b) | ((long) id << 48);
    }
}
