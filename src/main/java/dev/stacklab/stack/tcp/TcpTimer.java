package dev.stacklab.stack.tcp;

/** The timers of one connection (RFC 9293 section 3.8, RFC 6298, RFC 1122 4.2.2.17, 4.2.3.2, 4.2.3.6). */
public enum TcpTimer {
    /** RFC 6298: retransmits the earliest unacknowledged segment, SYN and FIN included. */
    RETRANSMISSION,
    /** RFC 1122 4.2.3.2: an ACK held back in the hope of riding on data, at most 200 ms (RFC 9293 3.8.6.3). */
    DELAYED_ACK,
    /** RFC 9293 3.8.6.1: probes a zero window so that a lost window update cannot deadlock the connection. */
    PERSIST,
    /** RFC 9293 3.8.4: probes an idle connection, off unless asked for. */
    KEEPALIVE,
    /** RFC 9293 3.6: 2·MSL in TIME-WAIT before the connection is forgotten. */
    TIME_WAIT,
    /**
     * A connection its application released, waiting in FIN-WAIT-2 for a FIN that may never come: given up
     * after 2·MSL (as Linux's tcp_fin_timeout), so that orphans cannot pile up.
     */
    FIN_WAIT_2
}
