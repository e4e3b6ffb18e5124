package dev.stacklab.stack;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one {@link NetStack} has counted since it was made, one plain field per counter (the engine
 * has one thread, so nothing here is atomic). {@link #snapshot()} names them in a stable order, the
 * order {@code serve} prints them in.
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

    Map<String, Long> snapshot() {
        Map<String, Long> map = new LinkedHashMap<>();
        map.put("frames received", framesReceived);
        map.put("bytes received", bytesReceived);
        map.put("frames sent", framesSent);
        map.put("bytes sent", bytesSent);
        map.put("arp requests received", arpRequestsReceived);
        map.put("arp replies received", arpRepliesReceived);
        map.put("arp requests sent", arpRequestsSent);
        map.put("arp replies sent", arpRepliesSent);
        map.put("address conflicts", addressConflicts);
        map.put("ipv4 datagrams received", ipv4Received);
        map.put("ipv4 datagrams delivered", ipv4Delivered);
        map.put("ipv4 datagrams sent", ipv4Sent);
        map.put("ipv4 fragments received", fragmentsReceived);
        map.put("ipv4 datagrams reassembled", datagramsReassembled);
        map.put("ipv4 fragments sent", fragmentsSent);
        map.put("icmp echo requests received", icmpEchoRequestsReceived);
        map.put("icmp echo replies sent", icmpEchoRepliesSent);
        map.put("icmp errors received", icmpErrorsReceived);
        map.put("icmp errors sent", icmpErrorsSent);
        map.put("icmp errors rate-limited", icmpErrorsRateLimited);
        map.put("pings sent", pingsSent);
        map.put("ping replies", pingReplies);
        map.put("ping replies unmatched", pingRepliesUnmatched);
        map.put("udp datagrams received", udpReceived);
        map.put("udp datagrams sent", udpSent);
        for (DropReason reason : DropReason.values()) {
            map.put("dropped: " + reason, drops[reason.ordinal()]);
        }
        return map;
    }
}
