package dev.stacklab.dissect;

/**
 * Echo requests waiting for their reply, matched as Wireshark matches them in a single pass: by
 * the address pair, identifier, sequence number, and the checksum the reply must carry (the
 * request's checksum adjusted for the type changing from 8 to 0). Bounded, oldest forgotten first.
 */
final class IcmpTransactions {
    static final int MAXIMUM_PENDING = 65_536;

    /** A request and, once seen, the frame of its reply. */
    static final class Transaction {
        final int requestFrame;
        final long requestTimestampNanos;
        int replyFrame;

        Transaction(int requestFrame, long requestTimestampNanos) {
            this.requestFrame = requestFrame;
            this.requestTimestampNanos = requestTimestampNanos;
        }
    }

    // Keyed by the address pair and by identifier, sequence number and reply checksum packed in one long.
    private final ConversationTable<Transaction> transactions = new ConversationTable<>(MAXIMUM_PENDING);

    void request(int source, int destination, int identifier, int sequence, int checksum, int frame, long timestampNanos) {
        // The reply's checksum is the request's plus 0x0800 in ones' complement arithmetic, since only the type changes.
        request(source, destination, identifier, sequence, checksum, ~0x0800 & 0xFFFF, frame, timestampNanos);
    }

    /**
     * A request whose reply's checksum sums to {@code replySumChange} (ones' complement) more than its own: the reply's
     * type word less the request's.
     */
    void request(int source, int destination, int identifier, int sequence, int checksum, int replySumChange, int frame,
                 long timestampNanos) {
        int sum = (~checksum & 0xFFFF) + replySumChange;
        sum = (sum & 0xFFFF) + (sum >>> 16);
        int replyChecksum = ~sum & 0xFFFF;
        long addresses = addressPair(source, destination);
        long exchange = exchange(identifier, sequence, replyChecksum);
        Transaction existing = transactions.get(addresses, exchange);
        if (existing == null || existing.replyFrame != 0) {
            transactions.put(addresses, exchange, new Transaction(frame, timestampNanos));
        }
    }

    /** The request this reply answers, or null; a request is answered once. */
    Transaction reply(int source, int destination, int identifier, int sequence, int checksum, int frame) {
        Transaction transaction = transactions.get(addressPair(source, destination),
                exchange(identifier, sequence, checksum == 0xFFFF ? 0 : checksum));
        if (transaction == null || transaction.replyFrame != 0) {
            return null;
        }
        transaction.replyFrame = frame;
        return transaction;
    }

    private static long exchange(int identifier, int sequence, int checksum) {
        return ((long) identifier << 32) | ((long) sequence << 16) | checksum;
    }

    private static long addressPair(int a, int b) {
        long ua = a & 0xFFFF_FFFFL;
        long ub = b & 0xFFFF_FFFFL;
        return ua <= ub ? (ua << 32) | ub : (ub << 32) | ua;
    }
}
