package dev.stacklab.stack.tcp;

import dev.stacklab.wire.TcpSeqNumber;

/**
 * The transmission control block of one connection at one moment (RFC 9293 section 3.3.1), with the
 * retransmission (RFC 6298) and congestion (RFC 5681) variables beside it.
 *
 * @param sendWindow          SND.WND in bytes, after scaling
 * @param receiveWindow       RCV.WND in bytes as last advertised
 * @param congestionWindow    cwnd in bytes
 * @param slowStartThreshold  ssthresh in bytes (very large until the first loss)
 * @param smoothedRttNanos    SRTT, 0 before the first sample
 * @param rttVariationNanos   RTTVAR
 * @param retransmissionTimeoutNanos RTO as it stands, backoff included
 * @param bytesInFlight       octets sent and not acknowledged (SND.NXT - SND.UNA, SYN and FIN counted)
 * @param retransmissions     segments retransmitted over the connection's life
 * @param outOfOrderSegments  runs of received data waiting for a hole before them to fill
 */
public record TcpSnapshot(TcpState state, TcpSeqNumber sendUnacknowledged, TcpSeqNumber sendNext, long sendWindow,
                          TcpSeqNumber initialSendSequence, TcpSeqNumber receiveNext, long receiveWindow,
                          TcpSeqNumber initialReceiveSequence, long congestionWindow, long slowStartThreshold,
                          long smoothedRttNanos, long rttVariationNanos, long retransmissionTimeoutNanos, long bytesInFlight,
                          long retransmissions, int outOfOrderSegments) {
}
