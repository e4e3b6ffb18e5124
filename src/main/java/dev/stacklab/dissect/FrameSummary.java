package dev.stacklab.dissect;

/**
 * One row of the packet list: the columns Wireshark shows by default.
 *
 * @param number             frame number, from 1
 * @param relativeTimeNanos  time since the first frame of the capture
 * @param timePrecision      decimals of the Time column (0 to 9): those the capture file records the frame's time to
 * @param source             Source column (an IP address, or a MAC for non-IP frames)
 * @param destination        Destination column
 * @param protocol           Protocol column ("TCP", "ARP", "ICMP")
 * @param length             bytes on the wire
 * @param info               Info column
 * @param malformed          true when some layer could not be dissected completely
 */
public record FrameSummary(int number, long relativeTimeNanos, int timePrecision, String source, String destination,
                           String protocol, int length, String info, boolean malformed) {
    public FrameSummary {
        SummaryLine.checkPrecision(timePrecision);
    }

    /** A summary whose Time column shows microseconds, as for a live capture or a classic pcap file. */
    public FrameSummary(int number, long relativeTimeNanos, String source, String destination, String protocol, int length,
                        String info, boolean malformed) {
        this(number, relativeTimeNanos, 6, source, destination, protocol, length, info, malformed);
    }
}
