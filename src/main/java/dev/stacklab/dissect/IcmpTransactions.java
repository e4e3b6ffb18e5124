package dev.stacklab.dissect;

import java.util.LinkedHashMap;
import java.util.Map;

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

    private record Key(long addresses, long identifierAndSequence, int replyChecksum) {
        @Override
        public int hashCode() {
            // Requests differ in a few bits (identifier, sequence): spread them so HashMap buckets do not collide.
            long h = ((addresses * 0x9E3779B97F4A7C15L + identifierAndSequence) * 0xC2B2AE3D27D4EB4FL + replyChecksum)
                    * 0x9E3779B97F4A7C15L;
            return (int) (h ^ (h >>> 32));
        }
    }

    private final Map<Key, Transaction> transactions = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Transaction> eldest) {
            return size() > MAXIMUM_PENDING;
        }
    };

    void request(int source, int destination, int identifier, int sequence, int checksum, int frame, long timestampNanos) {
        // The reply's checksum is the request's plus 0x0800 in ones' complement arithmetic, since only the type changes.
        int sum = (~checksum & 0xFFFF) + (~0x0800 & 0xFFFF);
        sum = (sum & 0xFFFF) + (sum >>> 16);
        int replyChecksum = ~sum & 0xFFFF;
        Key key = new Key(addressPair(source, destination), ((long) identifier << 16) | sequence, replyChecksum);
        Transaction existing = transactions.get(key);
        if (existing == null || existing.replyFrame != 0) {
            transactions.put(key, new Transaction(frame, timestampNanos));
        }
    }

    /** The request this reply answers, or null; a request is answered once. */
    Transaction reply(int source, int destination, int identifier, int sequence, int checksum, int frame) {
        Key key = new Key(addressPair(source, destination), ((long) identifier << 16) | sequence, checksum == 0xFFFF ? 0 : checksum);
        Transaction transaction = transactions.get(key);
        if (transaction == null || transaction.replyFrame != 0) {
            return null;
        }
        transaction.replyFrame = frame;
        return transaction;
    }

    private static long addressPair(int a, int b) {
        long ua = a & 0xFFFF_FFFFL;
        long ub = b & 0xFFFF_FFFFL;
        return ua <= ub ? (ua << 32) | ub : (ub << 32) | ua;
    }
}
