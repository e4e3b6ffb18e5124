package dev.stacklab.stack;

/**
 * What one {@link NetStack} has counted since it was made, one plain field per counter (the engine
 * has one thread, so nothing here is atomic). {@link #snapshot()} copies them into a {@link CounterSnapshot},
 * in {@link Counter} order.
 */
final class StackCounters {
    long framesReceived;
    long bytesReceived;
    long framesSent;
    long bytesSent;
    long arpRequestsReceived;
    long arpRepliesReceived;
    long arpRequestsSent;
    long arpRepliesSent;
    long addressConflicts;
    long ipv4Received;
    long ipv4Delivered;
    long ipv4Sent;
    long fragmentsReceived;
    long datagramsReassembled;
    long fragmentsSent;
    long icmpEchoRequestsReceived;
    long icmpEchoRepliesSent;
    long icmpErrorsReceived;
    long icmpErrorsSent;
    long icmpErrorsRateLimited;
    long pingsSent;
    long pingReplies;
    long pingRepliesUnmatched;
    long udpReceived;
    long udpSent;
    private final long[] drops = new long[DropReason.values().length];

    void dropped(DropReason reason) {
        drops[reason.ordinal()]++;
    }

    long drops(DropReason reason) {
        return drops[reason.ordinal()];
    }

    /** The values in {@link Counter} order. */
    CounterSnapshot snapshot() {
        long[] values = {framesReceived, bytesReceived, framesSent, bytesSent, arpRequestsReceived, arpRepliesReceived,
            arpRequestsSent, arpRepliesSent, addressConflicts, ipv4Received, ipv4Delivered, ipv4Sent, fragmentsReceived,
            datagramsReassembled, fragmentsSent, icmpEchoRequestsReceived, icmpEchoRepliesSent, icmpErrorsReceived,
            icmpErrorsSent, icmpErrorsRateLimited, pingsSent, pingReplies, pingRepliesUnmatched, udpReceived, udpSent};
        return new CounterSnapshot(values, drops);
    }
}
