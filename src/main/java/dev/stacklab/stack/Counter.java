package dev.stacklab.stack;

/**
 * What a {@link NetStack} counts, besides drops (counted per {@link DropReason}): one constant per counter, with the
 * label {@code serve} prints it under. Read them from a {@link CounterSnapshot}.
 */
public enum Counter {
    FRAMES_RECEIVED("frames received"),
    BYTES_RECEIVED("bytes received"),
    FRAMES_SENT("frames sent"),
    BYTES_SENT("bytes sent"),
    ARP_REQUESTS_RECEIVED("arp requests received"),
    ARP_REPLIES_RECEIVED("arp replies received"),
    ARP_REQUESTS_SENT("arp requests sent"),
    ARP_REPLIES_SENT("arp replies sent"),
    ADDRESS_CONFLICTS("address conflicts"),
    IPV4_RECEIVED("ipv4 datagrams received"),
    IPV4_DELIVERED("ipv4 datagrams delivered"),
    IPV4_SENT("ipv4 datagrams sent"),
    FRAGMENTS_RECEIVED("ipv4 fragments received"),
    DATAGRAMS_REASSEMBLED("ipv4 datagrams reassembled"),
    FRAGMENTS_SENT("ipv4 fragments sent"),
    ICMP_ECHO_REQUESTS_RECEIVED("icmp echo requests received"),
    ICMP_ECHO_REPLIES_SENT("icmp echo replies sent"),
    ICMP_ERRORS_RECEIVED("icmp errors received"),
    ICMP_ERRORS_SENT("icmp errors sent"),
    ICMP_ERRORS_RATE_LIMITED("icmp errors rate-limited"),
    PINGS_SENT("pings sent"),
    PING_REPLIES("ping replies"),
    PING_REPLIES_UNMATCHED("ping replies unmatched"),
    UDP_RECEIVED("udp datagrams received"),
    UDP_SENT("udp datagrams sent");

    private final String label;

    Counter(String label) {
        this.label = label;
    }

    /** The words {@code serve} prints it under, e.g. "icmp echo replies sent". */
    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }
}
