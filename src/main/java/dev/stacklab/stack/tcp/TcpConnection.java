package dev.stacklab.stack.tcp;

import dev.stacklab.wire.TcpFlags;
import dev.stacklab.wire.TcpOption;
import dev.stacklab.wire.TcpPacket;
import dev.stacklab.wire.TcpRepr;
import dev.stacklab.wire.TcpSeqNumber;

import java.util.ArrayList;
import java.util.List;

import static dev.stacklab.wire.TcpSeqNumber.after;
import static dev.stacklab.wire.TcpSeqNumber.atOrAfter;
import static dev.stacklab.wire.TcpSeqNumber.atOrBefore;
import static dev.stacklab.wire.TcpSeqNumber.before;

/**
 * One TCP connection: its transmission control block (RFC 9293 section 3.3.1), the state machine
 * of Figure 5, segment arrival as section 3.10.7 orders it, and the send side's sliding window,
 * retransmission (RFC 6298) and congestion control (RFC 5681, 6582). It is also the application's
 * handle: send, receive, close, abort and the readiness flags.
 *
 * <p>Like the whole engine, it is used on the stack's one thread: the application's calls too (the runtime's
 * blocking facades pass them through the runner's inbox).
 *
 * <p>Sans-I/O: segments come in through {@link #onSegment}, go out when the engine pulls them with
 * {@link #dispatch}, and timers fire through {@link #onTimers}; every time is passed in. Sequence
 * numbers are raw {@code int}s compared modulo 2^32 with {@link TcpSeqNumber}'s static methods.
 */
public final class TcpConnection {
    /** RFC 9293 3.7.1: the MSS assumed when the peer sends no MSS option. */
    public static final int DEFAULT_MSS = 536;
    /** RFC 7323 section 2.3: the largest shift a window scale option may carry. */
    static final int MAXIMUM_WINDOW_SHIFT = 14;
    /** RFC 7323 5.5: TS.Recent older than 24 days is no longer trusted for PAWS. */
    static final long PAWS_IDLE_NANOS = 24L * 24 * 3600 * 1_000_000_000L;
    private static final long NEVER = Long.MAX_VALUE;
    private static final byte[] NO_DATA = new byte[0];
    /** DupThresh (RFC 5681 3.2, RFC 6675 section 2). */
    static final int DUPLICATE_ACK_THRESHOLD = 3;

    private final TcpEngine engine;
    private final TcpConfig config;
    private final long id;
    private final TcpEndpoints endpoints;
    /** The listener whose SYN started this connection, until the application accepts it; null for an active open. */
    TcpListener listener;
    private final boolean passiveOpen;

    private TcpState state = TcpState.CLOSED;
    private TcpCloseReason closeReason;

    // Send sequence variables (RFC 9293 3.3.1, Figure 2).
    private final int iss;
    private int sndUna;
    private int sndNxt;
    /**
     * The highest sequence number sent plus one, RFC 9293's SND.NXT as the peer sees it: ACKs and RSTs carry it.
     * Our sndNxt is where the next data goes and falls back to SND.UNA after an RTO (go-back-N).
     */
    private int sndMax;
    private long sndWnd;
    private int sndWl1;
    private int sndWl2;
    /** The largest window the peer has offered (RFC 5961 5.2's MAX.SND.WND, RFC 9293 3.8.6.2.1's Max(SND.WND)). */
    private long maxSndWnd;
    private int sndWindowShift;

    // Receive sequence variables.
    private int irs;
    private int rcvNxt;
    /** RCV.NXT + RCV.WND as last advertised; the right edge never moves left (RFC 9293 3.8.6.2.2). */
    private int rcvAdvertisedEdge;
    private int rcvWindowShift;

    // Options (RFC 9293 3.7.1, RFC 7323, RFC 2018).
    private int peerMss = DEFAULT_MSS;
    /** Our MSS: the path MTU less 40 (RFC 9293 3.7.1), lowered when a router says the path is narrower (RFC 1191). */
    private int localMss;
    private boolean windowScalingOn;
    private boolean timestampsOn;
    private boolean sackOn;
    private int tsRecent;
    private long tsRecentAgeNanos;
    private int lastAckSent;
    private final int timestampOffset;

    // Buffers: allocated at establishment for a passive open, so half-open connections stay small.
    private SendBuffer sendBuffer;
    private ReceiveBuffer receiveBuffer;
    private boolean finQueued;
    private int finSequenceNumber;
    private boolean finReceived;
    /** Sequence number of a FIN that arrived ahead of a hole, or unset. */
    private int pendingFinSequence;
    private boolean pendingFin;

    // Output wishes.
    private boolean ackNow;
    private boolean synPending;
    private boolean retransmitFirstUnacked;
    private boolean probeNow;
    private boolean keepAliveProbeNow;
    /** In-order data bytes received since our last ACK went out. */
    private int bytesUnacked;
    private int probeHigh;

    // Retransmission, RTT, congestion.
    private final RttEstimator rtt;
    private CongestionControl congestion;
    private CongestionAlgorithm congestionAlgorithm;
    private final SackScoreboard scoreboard = new SackScoreboard();
    private int retries;
    /**
     * Duplicate ACKs since the last cumulative one: RFC 5681's (ACK at SND.UNA, nothing else new) without SACK, RFC
     * 6675's (new SACK information) with it. They start loss recovery at {@link #DUPLICATE_ACK_THRESHOLD}, and the
     * first two let new data out beyond cwnd (RFC 3042 limited transmit).
     */
    private int duplicateAcks;
    /**
     * New data sent since the last cumulative ACK while duplicate ACKs came in (limited transmit): RFC 5681 3.2 step 2
     * leaves it out of the FlightSize that halves the window.
     */
    private long limitedTransmitBytes;
    // RFC 6675 SACK-based loss recovery (section 5), when SACK was negotiated.
    private boolean sackRecovery;
    /** RecoveryPoint: HighData when recovery began, kept as the sequence number after it (exclusive). */
    private int recoveryPoint;
    /** HighRxt: the end (exclusive) of the highest segment retransmitted by NextSeg() rules (1) and (3). */
    private int highRxt;
    /** RescueRxt: the RecoveryPoint of the episode whose rescue retransmission (NextSeg() rule 4) was sent. */
    private int rescueRxt;
    private boolean rescueRxtSet;
    /** RFC 6675 5.1: after a timeout, no loss recovery until SND.UNA reaches this (HighData at the timeout). */
    private int recoveryAfterTimeoutPoint;
    private boolean recoveryAfterTimeoutPending;
    private int timingSequence;
    private long timingStartNanos;
    private boolean timing;
    /** Our timestamp clock at the last retransmission timeout: echoes older than it give no RTT sample. */
    private int timeoutTimestamp;
    private boolean timeoutTimestampSet;
    private boolean synRetransmitted;
    private long retransmissions;
    private int persistBackoff;
    private int keepAliveProbesSent;
    private boolean nagle;
    /** Whether an ACK of new data may wait (RFC 9293 3.8.6.3); off, every segment of data is acknowledged at once. */
    private boolean delayedAck = true;
    private boolean keepAlive;

    // Timers: absolute deadlines, NEVER when off.
    private long retransmissionDeadline = NEVER;
    private long delayedAckDeadline = NEVER;
    private long persistDeadline = NEVER;
    private long keepAliveDeadline = NEVER;
    private long timeWaitDeadline = NEVER;
    private long finWait2Deadline = NEVER;
    /** The application is done with the connection ({@link #release}): it reads nothing more. */
    private boolean released;

    TcpConnection(TcpEngine engine, long id, TcpEndpoints endpoints, int iss, int localMss, boolean passiveOpen) {
        this.engine = engine;
        this.config = engine.config();
        this.id = id;
        this.endpoints = endpoints;
        this.iss = iss;
        this.localMss = localMss;
        this.passiveOpen = passiveOpen;
        this.sndUna = iss;
        this.sndNxt = iss;
        this.sndMax = iss;
        this.probeHigh = iss;
        this.timestampOffset = engine.secrets().timestampOffset(endpoints);
        this.rtt = new RttEstimator(config.initialRetransmissionTimeoutNanos(), config.minimumRetransmissionTimeoutNanos(),
                config.maximumRetransmissionTimeoutNanos());
        this.congestion = config.congestionAlgorithm().create(DEFAULT_MSS);
        this.congestionAlgorithm = config.congestionAlgorithm();
        this.nagle = config.nagle();
        this.keepAlive = config.keepAliveIdleNanos() > 0;
        if (config.windowScaling()) {
            // RFC 7323 2.3: the smallest shift that lets the whole buffer be offered.
            int shift = 0;
            while (shift < MAXIMUM_WINDOW_SHIFT && (config.receiveBufferSize() >> shift) > 0xFFFF) {
                shift++;
            }
            rcvWindowShift = shift;
        }
    }

    // ---------------------------------------------------------------- opening

    /** Active open (RFC 9293 3.10.1): CLOSED to SYN-SENT, the SYN goes out with the next dispatch. */
    void openActive(long now) {
        sendBuffer = new SendBuffer(config.sendBufferSize());
        receiveBuffer = new ReceiveBuffer(config.receiveBufferSize());
        synPending = true;
        setState(TcpState.SYN_SENT, new TcpCause.Application("connect"), now);
    }

    /**
     * Passive open continued (RFC 9293 3.10.7.2, LISTEN, third check): a SYN arrived for a
     * listener; this connection answers it from SYN-RECEIVED.
     */
    void openPassive(IncomingSegment syn, long now) {
        irs = syn.sequenceNumber().bits();
        rcvNxt = irs + 1;
        readSynOptions(syn, now);
        sndWnd = syn.window(); // RFC 7323 2.2: the window in a SYN is never scaled
        maxSndWnd = sndWnd;
        sndWl1 = irs;
        sndWl2 = iss;
        rcvAdvertisedEdge = rcvNxt + initialReceiveWindow();
        synPending = true;
        resetKeepAlive(now);
        setState(TcpState.SYN_RECEIVED, segmentCause(syn), now);
    }

    private int initialReceiveWindow() {
        long window = Math.min(config.receiveBufferSize(), 0xFFFFL << rcvWindowShift);
        return (int) window;
    }

    private void readSynOptions(IncomingSegment syn, long now) {
        TcpOption.MaximumSegmentSize mss = syn.option(TcpOption.MaximumSegmentSize.class);
        peerMss = mss != null && mss.value() > 0 ? mss.value() : DEFAULT_MSS;
        TcpOption.WindowScale scale = syn.option(TcpOption.WindowScale.class);
        // RFC 7323 2.2: scaling is on only when both SYNs carry the option; 2.3: shifts above 14 are taken as 14.
        if (config.windowScaling() && scale != null) {
            windowScalingOn = true;
            sndWindowShift = Math.min(scale.shift(), MAXIMUM_WINDOW_SHIFT);
        } else {
            windowScalingOn = false;
            sndWindowShift = 0;
            rcvWindowShift = 0;
        }
        TcpOption.Timestamps stamps = syn.option(TcpOption.Timestamps.class);
        timestampsOn = config.timestamps() && stamps != null;
        if (timestampsOn) {
            tsRecent = (int) stamps.value();
            tsRecentAgeNanos = now;
        }
        sackOn = config.selectiveAcknowledgments() && syn.option(TcpOption.SackPermitted.class) != null;
        congestion.onMaximumSegmentSize(sendMss());
    }

    // ---------------------------------------------------------------- segment arrival (RFC 9293 3.10.7)

    /** A segment for this connection arrived. */
    void onSegment(IncomingSegment segment, long now) {
        switch (state) {
            case CLOSED, LISTEN -> {
            }
            case SYN_SENT -> onSegmentInSynSent(segment, now);
            default -> onSegmentSynchronized(segment, now);
        }
    }

    /** RFC 9293 3.10.7.3. */
    private void onSegmentInSynSent(IncomingSegment segment, long now) {
        TcpFlags flags = segment.flags();
        int seq = segment.sequenceNumber().bits();
        int ack = segment.acknowledgmentNumber().bits();
        boolean ackAcceptable = false;
        if (flags.ack()) {
            // First check: an ACK for something we never sent gets a RST, unless it is one.
            if (atOrBefore(ack, iss) || after(ack, sndMax)) {
                if (!flags.rst()) {
                    engine.sendReset(endpoints, ack, 0, false);
                }
                return;
            }
            ackAcceptable = after(ack, sndUna) && atOrBefore(ack, sndMax);
        }
        if (flags.rst()) {
            // Second check: a RST counts only with an acceptable ACK (RFC 5961 3.2 leaves SYN-SENT to RFC 793's rule).
            if (ackAcceptable) {
                close(TcpCloseReason.REFUSED, segmentCause(segment), now);
            }
            return;
        }
        if (!flags.syn()) {
            return; // Fifth: neither SYN nor RST, drop.
        }
        // Fourth check: the SYN.
        irs = seq;
        rcvNxt = seq + 1;
        readSynOptions(segment, now);
        rcvAdvertisedEdge = rcvNxt + initialReceiveWindow();
        if (timestampsOn) {
            lastAckSent = rcvNxt;
        }
        resetKeepAlive(now);
        if (ackAcceptable) {
            acknowledgeSyn(segment, ack, now);
            sndWnd = segment.window(); // RFC 7323 2.2: a SYN's window is never scaled
            maxSndWnd = sndWnd;
            sndWl1 = seq;
            sndWl2 = ack;
            ackNow = true;
            setState(TcpState.ESTABLISHED, segmentCause(segment), now);
            if (segment.payloadLength() > 0 || flags.fin()) {
                // RFC 9293: "If there are other controls or text in the segment, then continue processing at the sixth step".
                processText(segment, seq + 1, now);
            }
        } else {
            // Simultaneous open (RFC 9293 Figure 8): answer with SYN,ACK from the same ISS.
            sndNxt = iss;
            synPending = true;
            retransmissionDeadline = NEVER;
            sndWnd = segment.window();
            maxSndWnd = sndWnd;
            sndWl1 = seq;
            sndWl2 = iss;
            setState(TcpState.SYN_RECEIVED, segmentCause(segment), now);
        }
    }

    /** Our SYN is acknowledged: SND.UNA moves past the ISS, the RTT of the handshake is a sample. */
    private void acknowledgeSyn(IncomingSegment segment, int ack, long now) {
        sndUna = ack;
        if (before(sndNxt, ack)) {
            sndNxt = ack;
        }
        takeRttSample(segment, now);
        if (synRetransmitted) {
            rtt.afterSynRetransmitted();
        }
        retries = 0;
        rtt.clearBackoff();
        retransmissionDeadline = NEVER;
        congestion.onMaximumSegmentSize(sendMss());
    }

    /** RFC 9293 3.10.7.4: SYN-RECEIVED and every synchronized state. */
    private void onSegmentSynchronized(IncomingSegment segment, long now) {
        TcpFlags flags = segment.flags();
        int seq = segment.sequenceNumber().bits();
        int ack = segment.acknowledgmentNumber().bits();
        int length = segment.sequenceLength();
        if (state == TcpState.SYN_RECEIVED && flags.syn() && seq == irs) {
            if (flags.ack()) {
                // Simultaneous open, RFC 9293 Figure 8 line 7: the peer's SYN,ACK completes our handshake; its SYN is old news.
                seq += 1;
                length -= 1;
                flags = flags.without(TcpFlags.SYN);
            } else {
                // A retransmitted SYN: our SYN,ACK was lost, send it again.
                sndNxt = iss;
                synPending = true;
                return;
            }
        }
        if (state == TcpState.TIME_WAIT && flags.fin() && !flags.rst() && !flags.syn() && seq + length == rcvNxt) {
            // RFC 9293 3.10.7.4, eighth check: a retransmission of the peer's FIN (our ACK was lost) is
            // acknowledged again and the 2·MSL wait restarts.
            ackNow = true;
            timeWaitDeadline = now + 2 * config.maximumSegmentLifetimeNanos();
            return;
        }
        TcpOption.Timestamps stamps = timestampsOn ? segment.option(TcpOption.Timestamps.class) : null;
        if (timestampsOn && !flags.rst()) {
            // RFC 7323 3.2: once negotiated, a non-RST segment without timestamps is dropped.
            if (stamps == null) {
                return;
            }
            // RFC 7323 5.3 R1, PAWS: an older timestamp than TS.Recent marks an old duplicate.
            if (before((int) stamps.value(), tsRecent) && now - tsRecentAgeNanos <= PAWS_IDLE_NANOS) {
                engine.countPawsReject();
                ackNow = true;
                return;
            }
        }
        // First: the sequence number (four cases).
        long receiveWindow = receiveWindow();
        boolean acceptable;
        if (length == 0) {
            acceptable = receiveWindow == 0 ? seq == rcvNxt
                    : atOrBefore(rcvNxt, seq) && before(seq, (int) (rcvNxt + receiveWindow));
        } else if (receiveWindow == 0) {
            // "special allowance should be made to accept valid ACKs, URGs, and RSTs": the data is trimmed away below.
            acceptable = seq == rcvNxt;
        } else {
            int last = seq + length - 1;
            acceptable = (atOrBefore(rcvNxt, seq) && before(seq, (int) (rcvNxt + receiveWindow)))
                    || (atOrBefore(rcvNxt, last) && before(last, (int) (rcvNxt + receiveWindow)));
        }
        if (!acceptable) {
            if (!flags.rst()) {
                ackNow = true;
            }
            return;
        }
        resetKeepAlive(now);
        // RFC 7323 4.3 (R3): remember the timestamp of a segment that covers the left edge we last acknowledged.
        if (stamps != null && atOrBefore(seq, lastAckSent) && atOrAfter((int) stamps.value(), tsRecent)) {
            tsRecent = (int) stamps.value();
            tsRecentAgeNanos = now;
        }
        // Second: RST (RFC 5961 3.2: only an exact match resets, the rest of the window gets a challenge ACK).
        if (flags.rst()) {
            if (seq != rcvNxt) {
                sendChallengeAck();
                return;
            }
            if (state == TcpState.SYN_RECEIVED && passiveOpen) {
                // "If this connection was initiated with a passive OPEN, then return this connection to LISTEN":
                // the listener goes on listening; this half-open connection is forgotten.
                close(TcpCloseReason.RESET_BY_PEER, segmentCause(segment), now);
                return;
            }
            TcpCloseReason reason = switch (state) {
                case SYN_RECEIVED -> TcpCloseReason.REFUSED;
                case CLOSING, LAST_ACK, TIME_WAIT -> TcpCloseReason.NORMAL;
                default -> TcpCloseReason.RESET_BY_PEER;
            };
            close(reason, segmentCause(segment), now);
            return;
        }
        // Fourth: SYN in a synchronized state gets a challenge ACK (RFC 5961 4.2).
        if (flags.syn()) {
            if (state == TcpState.SYN_RECEIVED && passiveOpen) {
                close(TcpCloseReason.RESET_BY_PEER, segmentCause(segment), now);
                return;
            }
            sendChallengeAck();
            return;
        }
        // Fifth: the ACK field.
        if (!flags.ack()) {
            return;
        }
        if (state == TcpState.SYN_RECEIVED) {
            if (!(after(ack, sndUna) && atOrBefore(ack, sndMax))) {
                engine.sendReset(endpoints, ack, 0, false);
                return;
            }
            if (listener != null && !listener.hasRoomToAccept()) {
                // The accept backlog is full: ignore the ACK, as Linux does; the SYN,ACK is resent later.
                return;
            }
            acknowledgeSyn(segment, ack, now);
            sndWnd = (long) segment.window() << sndWindowShift;
            maxSndWnd = Math.max(maxSndWnd, sndWnd);
            sndWl1 = seq;
            sndWl2 = ack;
            if (sendBuffer == null) {
                sendBuffer = new SendBuffer(config.sendBufferSize());
                receiveBuffer = new ReceiveBuffer(config.receiveBufferSize());
            }
            setState(finQueued ? TcpState.FIN_WAIT_1 : TcpState.ESTABLISHED, segmentCause(segment), now);
            if (listener != null) {
                listener.established(this);
            }
        } else if (!processAck(segment, seq, ack, length, now)) {
            return;
        }
        if (state == TcpState.CLOSED) {
            return;
        }
        // Sixth (URG) is not supported beyond carrying the bytes in line (RFC 6093 recommends against urgent data).
        // Seventh and eighth: text and FIN.
        processText(segment, seq, now);
    }

    /**
     * The fifth check for synchronized states. Returns false when the segment is to be dropped.
     */
    private boolean processAck(IncomingSegment segment, int seq, int ack, int length, long now) {
        int highestAcceptable = after(probeHigh, sndMax) ? probeHigh : sndMax;
        if (after(ack, highestAcceptable)) {
            // RFC 9293: an ACK for something not yet sent; RFC 5961 5.2 makes it a challenge-ACK-worthy event.
            ackNow = true;
            return false;
        }
        if (before(ack, (int) (sndUna - maxSndWnd))) {
            // RFC 5961 5.2: too old to be a duplicate of anything recent; drop, answer with an ACK.
            ackNow = true;
            return false;
        }
        long windowBefore = sndWnd;
        boolean sackBlocks = false;
        boolean newlySacked = false;
        if (sackOn) {
            TcpOption.Sack sack = segment.option(TcpOption.Sack.class);
            if (sack != null) {
                sackBlocks = true;
                for (TcpOption.SackBlock block : sack.blocks()) {
                    newlySacked |= scoreboard.add((int) block.left(), (int) block.right(), sndUna, highestAcceptable);
                }
            }
        }
        // RFC 5681 section 2's duplicate ACK; with SACK, RFC 6675 section 2's: one that SACKs something new.
        boolean duplicate = ack == sndUna && segment.payloadLength() == 0 && !segment.flags().fin()
                && before(sndUna, sndMax) && (segment.window() << sndWindowShift) == windowBefore;
        long inFlight = bytesInFlight();
        if (after(ack, sndUna)) {
            int acked = ack - sndUna;
            takeRttSample(segment, now);
            int dataAcked = acked;
            if (finQueued && after(ack, finSequenceNumber)) {
                dataAcked -= 1; // the FIN
            }
            sendBuffer.consume(Math.min(dataAcked, sendBuffer.length()));
            sndUna = ack;
            if (before(sndNxt, ack)) {
                sndNxt = ack;
            }
            if (before(sndMax, ack)) {
                sndMax = ack;
            }
            scoreboard.acknowledgedUpTo(ack);
            retries = 0;
            rtt.clearBackoff();
            duplicateAcks = 0; // RFC 6675 section 5: a cumulative ACK resets DupAcks
            limitedTransmitBytes = 0;
            if (recoveryAfterTimeoutPending && atOrAfter(ack, recoveryAfterTimeoutPoint)) {
                recoveryAfterTimeoutPending = false;
            }
            if (sackRecovery) {
                // RFC 6675 section 5: (A) a cumulative ACK beyond RecoveryPoint ends recovery; (B) one below it only
                // updates the scoreboard, and pipe is counted again when the next segment is chosen. No growth of cwnd
                // in between (RFC 5681 3.2).
                if (atOrAfter(ack, recoveryPoint)) {
                    sackRecovery = false;
                    highRxt = ack;
                    congestion.onLossRecoveryEnd();
                }
            } else {
                CongestionControl.AckAction action = congestion.onNewAck(ack, acked, inFlight, sndMax, now, rtt.smoothedNanos());
                if (action == CongestionControl.AckAction.RETRANSMIT_FIRST_UNACKED && before(sndUna, sndMax)) {
                    retransmitFirstUnacked = true;
                }
            }
            // RFC 6298 5.2, 5.3: all acknowledged, stop the timer; otherwise restart it.
            retransmissionDeadline = sndUna == sndMax ? NEVER : now + rtt.timeoutNanos();
        }
        if (sackOn && (newlySacked || (duplicate && !sackBlocks))) {
            // RFC 6675 section 5: a duplicate ACK (new SACK information, whether or not it also acknowledged data);
            // a peer that sends no SACK blocks at all still counts in RFC 5681's way.
            onSackDuplicateAck();
        } else if (!sackOn && duplicate) {
            duplicateAcks++;
            if (congestion.onDuplicateAck(ack, inFlight - limitedTransmitBytes, sndMax)
                    == CongestionControl.AckAction.RETRANSMIT_FIRST_UNACKED) {
                retransmitFirstUnacked = true;
            }
        }
        // Window update (RFC 9293 3.10.7.4): only from a segment newer than the last one that set it.
        if (before(sndWl1, seq) || (sndWl1 == seq && atOrBefore(sndWl2, ack))) {
            sndWnd = (long) segment.window() << sndWindowShift;
            sndWl1 = seq;
            sndWl2 = ack;
            if (sndWnd > maxSndWnd) {
                maxSndWnd = sndWnd;
            }
            if (sndWnd > 0) {
                persistDeadline = NEVER;
                persistBackoff = 0;
            }
        }
        boolean finAcknowledged = finQueued && after(sndUna, finSequenceNumber);
        switch (state) {
            case FIN_WAIT_1 -> {
                if (finAcknowledged) {
                    setState(TcpState.FIN_WAIT_2, segmentCause(segment), now);
                    if (released) {
                        finWait2Deadline = now + 2 * config.maximumSegmentLifetimeNanos();
                    }
                }
            }
            case CLOSING -> {
                if (finAcknowledged) {
                    enterTimeWait(segmentCause(segment), now);
                }
                return false;
            }
            case LAST_ACK -> {
                if (finAcknowledged) {
                    close(TcpCloseReason.NORMAL, segmentCause(segment), now);
                }
                return false;
            }
            case TIME_WAIT -> {
                // Only a retransmitted FIN can arrive here: acknowledge it and restart the 2·MSL wait.
                if (segment.flags().fin()) {
                    ackNow = true;
                    timeWaitDeadline = now + 2 * config.maximumSegmentLifetimeNanos();
                }
                return false;
            }
            default -> {
            }
        }
        return true;
    }

    /**
     * RFC 6675 section 5, a duplicate ACK outside recovery: (1) the third, or (2) any once IsLost(HighACK + 1) holds,
     * starts loss recovery (4); the first two otherwise let new data out as pipe allows (3, limited transmit, done
     * where new data is sent). Not while a timeout's own recovery runs (section 5.1).
     */
    private void onSackDuplicateAck() {
        if (sackRecovery) {
            return;
        }
        duplicateAcks++;
        if (recoveryAfterTimeoutPending || !before(sndUna, sndMax)) {
            return;
        }
        boolean firstLost = before(sndUna, scoreboard.lossBoundary(sndUna, DUPLICATE_ACK_THRESHOLD, maximumSegmentData()));
        if (duplicateAcks >= DUPLICATE_ACK_THRESHOLD || firstLost) {
            // (4.1) RecoveryPoint = HighData; (4.2) ssthresh = cwnd = FlightSize / 2; (4.3) the first segment goes
            // again at once (HighRxt and RescueRxt are set when it is sent); (4.5) then NextSeg() while pipe allows.
            sackRecovery = true;
            recoveryPoint = sndMax;
            highRxt = sndUna;
            rescueRxtSet = false;
            congestion.onLossRecoveryStart((long) (sndMax - sndUna) - limitedTransmitBytes, sndMax);
            retransmitFirstUnacked = true;
        }
    }

    /**
     * RFC 6675 SetPipe(): the octets in (HighACK, HighData] thought to be in the network: every one not SACKed and not
     * lost (IsLost()), plus every one retransmitted (below HighRxt) and not SACKed since.
     */
    private long pipe() {
        int boundary = scoreboard.lossBoundary(sndUna, DUPLICATE_ACK_THRESHOLD, maximumSegmentData());
        long notLost = scoreboard.unsackedBytes(after(boundary, sndUna) ? boundary : sndUna, sndMax);
        long retransmitted = after(highRxt, sndUna) ? scoreboard.unsackedBytes(sndUna, before(highRxt, sndMax) ? highRxt : sndMax) : 0;
        return notLost + retransmitted;
    }

    /**
     * RFC 6675 NextSeg() during loss recovery, when cwnd - pipe is at least one segment (step C): (1) the lowest lost
     * octet not SACKed above HighRxt; (2) else new data; (3) else the lowest octet not SACKed above HighRxt below the
     * highest SACKed one; (4) else, once per recovery, a rescue retransmission of the highest octet not SACKed.
     */
    private OutgoingSegment nextSegmentInRecovery(long now) {
        int smss = maximumSegmentData();
        if (congestion.congestionWindow() - pipe() < smss) {
            return null;
        }
        int highestSacked = scoreboard.highestSacked(sndUna);
        int lossBoundary = scoreboard.lossBoundary(sndUna, DUPLICATE_ACK_THRESHOLD, smss);
        int candidate = scoreboard.skipHeld(after(highRxt, sndUna) ? highRxt : sndUna);
        if (before(candidate, highestSacked) && before(candidate, lossBoundary)) {
            return retransmitInRecovery(candidate, true, now); // rule (1)
        }
        OutgoingSegment fresh = nextDataSegment(now, false); // rule (2), within cwnd - pipe (see nextDataSegment)
        if (fresh != null) {
            return fresh;
        }
        if (before(candidate, highestSacked)) {
            return retransmitInRecovery(candidate, true, now); // rule (3)
        }
        int highestUnsackedEnd = scoreboard.highestUnsackedEnd(sndUna, sndMax);
        if (after(highestUnsackedEnd, sndUna) && (!rescueRxtSet || after(sndUna, rescueRxt))) {
            // Rule (4): one segment that holds the highest octet not SACKed, without moving HighRxt.
            int start = Math.max(highestUnsackedEnd - smss - sndUna, scoreboard.gapStartBelow(highestUnsackedEnd, sndUna) - sndUna) + sndUna;
            rescueRxt = recoveryPoint;
            rescueRxtSet = true;
            return retransmitInRecovery(start, false, now);
        }
        return null;
    }

    private OutgoingSegment retransmitInRecovery(int seq, boolean movesHighRxt, long now) {
        OutgoingSegment segment = dataSegment(seq, true, now);
        if (segment == null) {
            return null;
        }
        int end = seq + segment.dataLength();
        if (movesHighRxt && after(end, highRxt)) {
            highRxt = end;
        }
        retransmissions++;
        engine.retransmitted(this, TcpTimer.RETRANSMISSION, now);
        return segment;
    }

    /** The seventh and eighth checks: data into the receive buffer, then the FIN. */
    private void processText(IncomingSegment segment, int seq, long now) {
        int payloadLength = segment.payloadLength();
        boolean fin = segment.flags().fin();
        if (released && payloadLength > 0 && state.canReceive() && after(seq + payloadLength, rcvNxt)) {
            // RFC 1122 4.2.2.13: new data after the application closed is lost; a RST tells the peer so.
            engine.sendReset(endpoints, sndMax, 0, false);
            close(TcpCloseReason.ABORTED, segmentCause(segment), now);
            return;
        }
        if (payloadLength > 0 && state.canReceive() && !finReceived) {
            int from = 0;
            int start = seq;
            if (before(start, rcvNxt)) {
                from = rcvNxt - start; // already have these
                start = rcvNxt;
            }
            int windowEnd = rcvNxt + (int) receiveWindow();
            int count = payloadLength - from;
            if (count > 0 && after(start + count, windowEnd)) {
                count = windowEnd - start;
                fin = false; // the FIN lies beyond the window
            }
            if (count <= 0) {
                ackNow = true; // a duplicate or a probe of a closed window: tell the sender where we stand
            } else {
                boolean hadHoles = receiveBuffer.outOfOrderRanges() > 0;
                int advance = receiveBuffer.accept(rcvNxt, start, segment, from, count);
                if (advance <= 0) {
                    // RFC 5681 4.2: an out-of-order segment is acknowledged at once (a duplicate ACK, with SACK blocks).
                    ackNow = true;
                    if (advance < 0) {
                        fin = false;
                    }
                } else {
                    rcvNxt += advance;
                    bytesUnacked += count;
                    if (hadHoles) {
                        ackNow = true; // RFC 5681 4.2: it filled (part of) a gap
                    }
                    // RFC 5681 4.2 / RFC 1122 4.2.3.2: at least every second full-sized segment is acknowledged at once.
                    // Counted in bytes (as Linux does): a full segment is as full as its sender's options let it be,
                    // up to 40 bytes short of our MSS when it carries timestamps and SACK blocks (RFC 6691).
                    if (bytesUnacked >= 2 * fullSegmentData() || !delayedAck) {
                        ackNow = true;
                    } else if (delayedAckDeadline == NEVER) {
                        delayedAckDeadline = now + config.delayedAckNanos();
                    }
                }
            }
        } else if (payloadLength > 0) {
            ackNow = true;
        }
        if (fin) {
            int finSequence = seq + payloadLength;
            if (finSequence == rcvNxt) {
                receiveFin(segmentCause(segment), now);
            } else if (after(finSequence, rcvNxt) && state.canReceive()) {
                pendingFin = true;
                pendingFinSequence = finSequence;
                ackNow = true; // out of order: a duplicate ACK at once (RFC 5681 4.2)
            }
        }
        if (pendingFin && pendingFinSequence == rcvNxt && !finReceived) {
            pendingFin = false;
            receiveFin(segmentCause(segment), now);
        }
    }

    /** RFC 9293 3.10.7.4, eighth check. */
    private void receiveFin(TcpCause cause, long now) {
        if (state == TcpState.TIME_WAIT) {
            ackNow = true;
            timeWaitDeadline = now + 2 * config.maximumSegmentLifetimeNanos();
            return;
        }
        if (!state.canReceive()) {
            ackNow = true;
            return;
        }
        finReceived = true;
        rcvNxt += 1;
        ackNow = true;
        switch (state) {
            case SYN_RECEIVED, ESTABLISHED -> setState(TcpState.CLOSE_WAIT, cause, now);
            case FIN_WAIT_1 -> {
                if (finQueued && after(sndUna, finSequenceNumber)) {
                    enterTimeWait(cause, now);
                } else {
                    setState(TcpState.CLOSING, cause, now);
                }
            }
            case FIN_WAIT_2 -> enterTimeWait(cause, now);
            default -> {
            }
        }
    }

    private void enterTimeWait(TcpCause cause, long now) {
        finWait2Deadline = NEVER;
        retransmissionDeadline = NEVER;
        persistDeadline = NEVER;
        keepAliveDeadline = NEVER;
        timeWaitDeadline = now + 2 * config.maximumSegmentLifetimeNanos();
        setState(TcpState.TIME_WAIT, cause, now);
    }

    private void sendChallengeAck() {
        if (engine.challengeAckAllowed()) {
            ackNow = true;
        }
    }

    private void takeRttSample(IncomingSegment segment, long now) {
        if (timestampsOn) {
            TcpOption.Timestamps stamps = segment.option(TcpOption.Timestamps.class);
            if (stamps != null && stamps.echoReply() != 0) {
                // RFC 7323 4.1: RTT from the echoed timestamp, which needs no Karn rule as long as the echo names the
                // transmission that drew the ACK. An echo from before our last retransmission timeout does not: the
                // peer answered a copy it already had (a duplicate below RCV.NXT fails its acceptability test before
                // TS.Recent is updated, RFC 7323 5.3 R2/R3) with the timestamp of the original, or this ACK itself
                // is the old one; either way the "RTT" holds the timeout's wait (seconds, after backoff), and taken
                // as a sample it raised the RTO to 10 s and more (TcpIntegrityIT seed 83). Karn's rule (RFC 6298
                // section 3) applies: no sample from it.
                if (timeoutTimestampSet && before((int) stamps.echoReply(), timeoutTimestamp)) {
                    return;
                }
                int elapsedMillis = timestampNow(now) - (int) stamps.echoReply();
                if (elapsedMillis >= 0) {
                    rtt.sample(elapsedMillis * 1_000_000L);
                }
                return;
            }
        }
        // Karn's algorithm (RFC 6298 section 3): only a segment sent once is timed.
        if (timing && after(segment.acknowledgmentNumber().bits(), timingSequence)) {
            rtt.sample(now - timingStartNanos);
            timing = false;
        }
    }

    // ---------------------------------------------------------------- output

    /**
     * The next segment this connection wants to send at {@code now}, or null. Called by the engine
     * until it returns null, whenever the link has room.
     */
    OutgoingSegment dispatch(long now) {
        switch (state) {
            case CLOSED, LISTEN -> {
                return null;
            }
            case SYN_SENT, SYN_RECEIVED -> {
                if (synPending) {
                    return sendSyn(now);
                }
                return ackNow && state == TcpState.SYN_RECEIVED ? pureAck(now) : null;
            }
            default -> {
            }
        }
        if (retransmitFirstUnacked) {
            retransmitFirstUnacked = false;
            OutgoingSegment segment = dataSegment(sndUna, true, now);
            if (segment != null) {
                retransmissions++;
                engine.retransmitted(this, TcpTimer.RETRANSMISSION, now);
                if (sackRecovery) {
                    // RFC 6675 step 4.3: HighRxt and RescueRxt at the end of the retransmitted segment.
                    highRxt = sndUna + segment.dataLength();
                    rescueRxt = highRxt;
                    rescueRxtSet = true;
                }
                return segment;
            }
        }
        if (sackRecovery) {
            OutgoingSegment next = nextSegmentInRecovery(now);
            if (next != null) {
                return next;
            }
        }
        OutgoingSegment data = sackRecovery ? null : nextDataSegment(now, probeNow);
        if (data != null) {
            return data;
        }
        if (probeNow) {
            probeNow = false;
            OutgoingSegment probe = windowProbe(now);
            if (probe != null) {
                return probe;
            }
        }
        if (keepAliveProbeNow) {
            keepAliveProbeNow = false;
            // RFC 9293 3.8.4: <SEQ=SND.NXT-1><ACK=RCV.NXT>, no data, draws an ACK from a live peer.
            return segment(sndMax - 1, TcpFlags.ACK, 0, 0, now);
        }
        if (ackNow || windowUpdateWanted()) {
            return pureAck(now);
        }
        armPersistTimer(now);
        return null;
    }

    private OutgoingSegment sendSyn(long now) {
        synPending = false;
        boolean synAck = state == TcpState.SYN_RECEIVED;
        List<TcpOption> options = new ArrayList<>(5);
        // Linux's layouts: MSS, then SACK permitted + timestamps, or NOP NOP + timestamps, or NOP NOP + SACK
        // permitted; then NOP + window scale. Every 4-byte option group stays aligned.
        options.add(new TcpOption.MaximumSegmentSize(localMss));
        boolean offerSack = config.selectiveAcknowledgments() && (!synAck || sackOn);
        boolean offerStamps = config.timestamps() && (!synAck || timestampsOn);
        boolean offerScale = config.windowScaling() && (!synAck || windowScalingOn);
        if (offerStamps) {
            if (offerSack) {
                options.add(new TcpOption.SackPermitted());
            } else {
                options.add(new TcpOption.NoOperation());
                options.add(new TcpOption.NoOperation());
            }
            options.add(new TcpOption.Timestamps(timestampNow(now) & 0xFFFF_FFFFL, synAck ? tsRecent & 0xFFFF_FFFFL : 0));
        } else if (offerSack) {
            options.add(new TcpOption.NoOperation());
            options.add(new TcpOption.NoOperation());
            options.add(new TcpOption.SackPermitted());
        }
        if (offerScale) {
            options.add(new TcpOption.NoOperation());
            options.add(new TcpOption.WindowScale(rcvWindowShift));
        }
        int window = Math.min(initialReceiveWindow(), 0xFFFF); // RFC 7323 2.2: never scaled in a SYN
        boolean retransmission = after(sndMax, iss);
        if (retransmission) {
            retransmissions++;
            synRetransmitted = true;
            timing = false;
        } else {
            timing = true;
            timingSequence = iss;
            timingStartNanos = now;
        }
        sndNxt = iss + 1;
        sndMax = sndNxt;
        if (retransmissionDeadline == NEVER) {
            retransmissionDeadline = now + rtt.timeoutNanos();
        }
        TcpFlags flags = synAck ? TcpFlags.SYN_ACK : TcpFlags.SYN;
        if (synAck) {
            noteAckSent();
        }
        return departing(new TcpRepr(endpoints.localPort(), endpoints.remotePort(), new TcpSeqNumber(iss),
                new TcpSeqNumber(synAck ? rcvNxt : 0), flags, window, 0, options, NO_DATA), 0, 0);
    }

    /** The sequence number of the first data octet: just after the SYN. */
    private int dataStart() {
        return after(sndUna, iss) ? sndUna : iss + 1;
    }

    /** The sequence number after the last data octet queued: where the FIN goes (fixed once close is called). */
    private int dataEnd() {
        return finQueued ? finSequenceNumber : dataStart() + (sendBuffer == null ? 0 : sendBuffer.length());
    }

    private boolean canTransmitData() {
        return state == TcpState.ESTABLISHED || state == TcpState.CLOSE_WAIT || state == TcpState.FIN_WAIT_1
                || state == TcpState.CLOSING || state == TcpState.LAST_ACK;
    }

    /** New data or a retransmission from SND.NXT, within the windows, after Nagle and sender SWS avoidance. */
    private OutgoingSegment nextDataSegment(long now, boolean force) {
        if (!canTransmitData()) {
            return null;
        }
        int seq = sndNxt;
        // Skip what the peer holds already (RFC 2018 section 5).
        if (before(seq, sndMax)) {
            int skipped = scoreboard.skipHeld(seq);
            while (skipped != seq && before(skipped, sndMax)) {
                seq = skipped;
                skipped = scoreboard.skipHeld(seq);
            }
            seq = skipped;
            if (seq != sndNxt) {
                sndNxt = seq;
            }
        }
        int finSeq = dataEnd();
        if (after(seq, finSeq) || (seq == finSeq && !finQueued)) {
            return null; // everything, FIN included, is sent
        }
        boolean retransmitting = before(seq, sndMax);
        long usable;
        if (sackOn && !retransmitting && (sackRecovery || duplicateAcks > 0)) {
            // RFC 6675 steps (3) and (C): new data as far as cwnd - pipe allows (limited transmit with SACK), within
            // the peer's window.
            usable = Math.min(congestion.congestionWindow() - pipe(), sndWnd - (seq - sndUna));
        } else {
            // RFC 3042 limited transmit: each of the first two duplicate ACKs lets one new segment out beyond cwnd.
            long limitedTransmit = !retransmitting && !congestion.inRecovery()
                    ? (long) Math.min(duplicateAcks, DUPLICATE_ACK_THRESHOLD - 1) * maximumSegmentData() : 0;
            usable = Math.min(sndWnd, congestion.congestionWindow() + limitedTransmit) - (seq - sndUna);
        }
        int available = finSeq - seq;
        int length = (int) Math.min(Math.min(maximumSegmentData(), available), Math.max(usable, 0));
        if (retransmitting) {
            int room = Math.min(Math.min(maximumSegmentData(), available), scoreboard.nextHeldAfter(seq, sndMax) - seq);
            length = Math.min(length, room);
            long offset = (long) (seq - sndUna);
            if (length > 0 && length < room && !force && congestion.congestionWindow() - offset < room && sndWnd - offset >= room) {
                // Sender SWS avoidance (RFC 9293 3.8.6.2.1) for resends too: cwnd counts whole MSSs while a segment's
                // data is up to 40 bytes of options shorter, so after a timeout (cwnd one MSS) the go-back cut a runt
                // of those few bytes off the next segment. The ACK of what is in flight opens the window for all of it.
                return null;
            }
        }
        if (force && length == 0 && available > 0 && sndWnd == 0) {
            return null; // a zero window is probed by windowProbe
        }
        boolean fin = finQueued && seq + length == finSeq;
        if (length == 0 && !fin) {
            return null;
        }
        if (!retransmitting && length > 0 && !force) {
            boolean full = length >= maximumSegmentData();
            boolean allQueued = seq + length == finSeq;
            boolean idle = sndNxt == sndUna;
            // RFC 9293 3.7.4 (Nagle) and 3.8.6.2.1 (sender SWS avoidance), as RFC 1122 4.2.3.4 combines them.
            boolean sendNow = full
                    || (allQueued && (!nagle || idle))
                    || (idle && maxSndWnd > 0 && length >= maxSndWnd / 2);
            if (!sendNow) {
                return null;
            }
        }
        if (!retransmitting && duplicateAcks > 0 && !sackRecovery && !congestion.inRecovery()) {
            limitedTransmitBytes += length;
        }
        return emitData(seq, length, fin, retransmitting, now);
    }

    private OutgoingSegment emitData(int seq, int length, boolean fin, boolean retransmission, long now) {
        TcpFlags flags = TcpFlags.ACK;
        if (length > 0 && seq + length == dataEnd()) {
            flags = flags.with(TcpFlags.PSH); // the segment empties the send buffer
        }
        if (fin) {
            flags = flags.with(TcpFlags.FIN);
        }
        int end = seq + length + (fin ? 1 : 0);
        if (retransmission) {
            retransmissions++;
            if (timing && atOrBefore(seq, timingSequence)) {
                timing = false; // Karn: a retransmitted segment is not timed
            }
            engine.retransmitted(this, TcpTimer.RETRANSMISSION, now);
        } else if (!timing && !timestampsOn && end != seq) {
            timing = true;
            timingSequence = seq;
            timingStartNanos = now;
        }
        if (seq == sndNxt || after(end, sndNxt)) {
            sndNxt = end;
        }
        if (after(end, sndMax)) {
            sndMax = end;
        }
        if (retransmissionDeadline == NEVER) {
            retransmissionDeadline = now + rtt.timeoutNanos();
        }
        persistDeadline = NEVER;
        return segment(seq, flags, seq - dataStart(), length, now);
    }

    /** The earliest unacknowledged data (or FIN), for a fast retransmit or a partial ACK. */
    private OutgoingSegment dataSegment(int seq, boolean retransmission, long now) {
        int finSeq = dataEnd();
        int available = finSeq - seq;
        int length = Math.max(0, Math.min(maximumSegmentData(), available));
        length = Math.min(length, scoreboard.nextHeldAfter(seq, sndMax) - seq);
        boolean fin = finQueued && seq + length == finSeq && after(sndMax, finSeq);
        if (length == 0 && !fin) {
            return null;
        }
        TcpFlags flags = TcpFlags.ACK;
        if (length > 0 && seq + length == finSeq) {
            flags = flags.with(TcpFlags.PSH);
        }
        if (fin) {
            flags = flags.with(TcpFlags.FIN);
        }
        if (retransmission && timing) {
            timing = false;
        }
        int end = seq + length + (fin ? 1 : 0);
        if (after(end, sndNxt)) {
            sndNxt = end;
        }
        retransmissionDeadline = now + rtt.timeoutNanos();
        return segment(seq, flags, seq - dataStart(), length, now);
    }

    /**
     * The persist timer fired with a zero window: send one octet beyond it (RFC 9293 3.8.6.1). It
     * does not advance SND.NXT; if the peer takes it, its ACK does.
     */
    private OutgoingSegment windowProbe(long now) {
        int finSeq = dataEnd();
        if (!canTransmitData() || !before(sndNxt, finSeq) || sndWnd > 0) {
            return null;
        }
        int probeSequence = sndNxt;
        if (after(sndNxt + 1, probeHigh)) {
            probeHigh = sndNxt + 1;
        }
        engine.retransmitted(this, TcpTimer.PERSIST, now);
        return segment(probeSequence, TcpFlags.ACK, probeSequence - dataStart(), 1, now);
    }

    private void armPersistTimer(long now) {
        if (!canTransmitData() || persistDeadline != NEVER || retransmissionDeadline != NEVER) {
            return;
        }
        boolean dataWaiting = before(sndNxt, dataEnd());
        if (dataWaiting && sndUna == sndMax) {
            // Nothing in flight, so no ACK will come to open the window: probe it (RFC 1122 4.2.2.17),
            // and send a small segment the SWS rules held back (RFC 9293 3.8.6.2.1's override timeout).
            long timeout = rtt.timeoutNanos();
            for (int i = 0; i < persistBackoff && timeout < config.maximumRetransmissionTimeoutNanos(); i++) {
                timeout *= 2;
            }
            persistDeadline = now + Math.min(Math.max(timeout, config.minimumRetransmissionTimeoutNanos()),
                    config.maximumRetransmissionTimeoutNanos());
        }
    }

    /**
     * An ACK without data carries the highest sequence number sent: RFC 9293's SND.NXT, which its retransmission
     * never moves back, while ours falls back to SND.UNA after a timeout. The peer may have received everything
     * sent; a segment below its RCV.NXT fails its acceptability test (3.10.7.4) and its ACK is never read, so two
     * ends both going back after losses would only trade such ACKs until they time out.
     */
    private OutgoingSegment pureAck(long now) {
        return segment(sndMax, TcpFlags.ACK, 0, 0, now);
    }

    /**
     * Builds a segment with ACK (when flagged), window, timestamps and SACK blocks, carrying {@code dataLength} bytes of
     * the send buffer from {@code dataFrom} bytes after SND.UNA's; notes the ACK as sent.
     */
    private OutgoingSegment segment(int seq, TcpFlags flags, int dataFrom, int dataLength, long now) {
        boolean sackBlocks = sackOn && receiveBuffer != null && receiveBuffer.outOfOrderRanges() > 0;
        TcpOption.Timestamps stamps = timestampsOn
                ? new TcpOption.Timestamps(timestampNow(now) & 0xFFFF_FFFFL, tsRecent & 0xFFFF_FFFFL) : null;
        List<TcpOption> options;
        if (!sackBlocks) {
            // The shape of nearly every segment of a transfer: an unmodifiable list the Repr keeps without a copy.
            options = stamps != null ? List.of(TcpOption.NO_OPERATION, TcpOption.NO_OPERATION, stamps) : List.of();
        } else {
            options = new ArrayList<>(6);
            if (stamps != null) {
                options.add(TcpOption.NO_OPERATION);
                options.add(TcpOption.NO_OPERATION);
                options.add(stamps);
            }
            List<TcpOption.SackBlock> blocks = new ArrayList<>(4);
            for (ReceiveBuffer.Range range : receiveBuffer.rangesNewestFirst(timestampsOn ? 3 : 4)) {
                blocks.add(new TcpOption.SackBlock(range.left & 0xFFFF_FFFFL, range.right & 0xFFFF_FFFFL));
            }
            options.add(TcpOption.NO_OPERATION);
            options.add(TcpOption.NO_OPERATION);
            options.add(new TcpOption.Sack(blocks));
        }
        int window = advertiseWindow();
        noteAckSent();
        return departing(new TcpRepr(endpoints.localPort(), endpoints.remotePort(), new TcpSeqNumber(seq),
                new TcpSeqNumber(rcvNxt), flags, window, 0, options, NO_DATA), dataFrom, dataLength);
    }

    private OutgoingSegment departing(TcpRepr header, int dataFrom, int dataLength) {
        return new OutgoingSegment(endpoints.localAddress(), endpoints.remoteAddress(), header,
                dataLength == 0 ? null : sendBuffer, dataFrom, dataLength);
    }

    private void noteAckSent() {
        ackNow = false;
        delayedAckDeadline = NEVER;
        bytesUnacked = 0;
        lastAckSent = rcvNxt;
    }

    // ---------------------------------------------------------------- receive window

    private long receiveFree() {
        return receiveBuffer == null ? config.receiveBufferSize() : receiveBuffer.free();
    }

    /** RCV.WND as last advertised. */
    private long receiveWindow() {
        long window = rcvAdvertisedEdge - rcvNxt;
        return Math.max(window, 0);
    }

    /**
     * The window field for an outgoing segment. RFC 9293 3.8.6.2.2 (receiver SWS avoidance): the right
     * edge moves only by at least min(half the buffer, one MSS), and never moves left.
     */
    private int advertiseWindow() {
        long free = Math.min(receiveFree(), 0xFFFFL << rcvWindowShift);
        free &= ~((1L << rcvWindowShift) - 1);
        int potentialEdge = rcvNxt + (int) free;
        int threshold = swsThreshold();
        if (after(potentialEdge, rcvAdvertisedEdge) && potentialEdge - rcvAdvertisedEdge >= threshold) {
            rcvAdvertisedEdge = potentialEdge;
        }
        long window = receiveWindow();
        return (int) Math.min(window >> rcvWindowShift, 0xFFFF);
    }

    private int swsThreshold() {
        return Math.max(1, Math.min(config.receiveBufferSize() / 2, effectiveReceiveMss()));
    }

    /** After the application read: a window update when the window had closed to under half. */
    private boolean windowUpdateWanted() {
        if (receiveBuffer == null || !state.canReceive() || finReceived) {
            return false;
        }
        long current = receiveWindow();
        long free = Math.min(receiveFree(), 0xFFFFL << rcvWindowShift);
        return current < config.receiveBufferSize() / 2 && rcvNxt + free - rcvAdvertisedEdge >= swsThreshold();
    }

    // ---------------------------------------------------------------- sizes

    /** Eff.snd.MSS before options (RFC 9293 3.7.1): the peer's MSS, capped by our own path. */
    private int sendMss() {
        return Math.max(1, Math.min(peerMss, localMss));
    }

    /**
     * Data the next segment may carry: the MSS less the options it will carry (RFC 6691, RFC 9293 3.7.1:
     * the MSS counts data only), timestamps and any SACK blocks, so header and data stay within the path MTU.
     */
    int maximumSegmentData() {
        return Math.max(1, sendMss() - optionBytesOnNextSegment());
    }

    /** Option bytes {@link #segment} adds: NOP NOP timestamps, NOP NOP and a SACK option with its blocks. */
    private int optionBytesOnNextSegment() {
        int bytes = timestampsOn ? 12 : 0;
        if (sackOn && receiveBuffer != null && receiveBuffer.outOfOrderRanges() > 0) {
            int blocks = Math.min(receiveBuffer.outOfOrderRanges(), timestampsOn ? 3 : 4);
            bytes += 4 + TcpOption.SACK_BLOCK_LENGTH * blocks;
        }
        return bytes;
    }

    /**
     * The IP layer refused a segment as larger than the path MTU with DF set (the MTU fell since the MSS was
     * chosen): take the new path MTU as a router's "fragmentation needed" would give it (RFC 1191).
     */
    void onPathMtuBelowSegment(int pathMtu, long now) {
        onIcmpError(3, 4, pathMtu, -1, now);
    }

    private int effectiveReceiveMss() {
        return Math.max(1, localMss - (timestampsOn ? 12 : 0));
    }

    /** The least data a full-sized segment to us carries: our MSS less the most options a TCP header holds. */
    private int fullSegmentData() {
        return Math.max(1, localMss - (TcpPacket.MAXIMUM_HEADER_LENGTH - TcpPacket.MINIMUM_HEADER_LENGTH));
    }

    private int timestampNow(long now) {
        // RFC 7323 5.4: a clock of 1 ms ticks, offset per connection.
        return (int) (now / 1_000_000L) + timestampOffset;
    }

    private long bytesInFlight() {
        return Math.max(0, (long) (sndMax - sndUna) - scoreboard.heldBytes());
    }

    // ---------------------------------------------------------------- timers

    /** The earliest timer deadline, or Long.MAX_VALUE. */
    long nextDeadline() {
        return Math.min(Math.min(Math.min(retransmissionDeadline, delayedAckDeadline), finWait2Deadline),
                Math.min(Math.min(persistDeadline, keepAliveDeadline), timeWaitDeadline));
    }

    /** Fires every timer due at {@code now}. */
    void onTimers(long now) {
        if (timeWaitDeadline <= now) {
            timeWaitDeadline = NEVER;
            close(TcpCloseReason.NORMAL, new TcpCause.Timer(TcpTimer.TIME_WAIT), now);
            return;
        }
        if (finWait2Deadline <= now) {
            finWait2Deadline = NEVER;
            if (state == TcpState.FIN_WAIT_2) {
                close(TcpCloseReason.NORMAL, new TcpCause.Timer(TcpTimer.FIN_WAIT_2), now);
                return;
            }
        }
        if (delayedAckDeadline <= now) {
            delayedAckDeadline = NEVER;
            ackNow = true;
        }
        if (retransmissionDeadline <= now) {
            retransmissionDeadline = NEVER;
            onRetransmissionTimeout(now);
            if (state == TcpState.CLOSED) {
                return;
            }
        }
        if (persistDeadline <= now) {
            persistDeadline = NEVER;
            persistBackoff++;
            probeNow = true;
        }
        if (keepAliveDeadline <= now) {
            keepAliveDeadline = NEVER;
            onKeepAliveTimeout(now);
        }
    }

    /** RFC 6298 5.4 to 5.7, and RFC 9293 3.8.3's R2 limit. */
    private void onRetransmissionTimeout(long now) {
        boolean handshake = state == TcpState.SYN_SENT || state == TcpState.SYN_RECEIVED;
        if (!handshake && sndUna == sndMax) {
            return; // nothing outstanding
        }
        retries++;
        int limit = handshake ? config.synRetries() : config.dataRetries();
        if (retries > limit) {
            close(TcpCloseReason.TIMED_OUT, new TcpCause.Timer(TcpTimer.RETRANSMISSION), now);
            return;
        }
        rtt.backOff();
        timing = false;
        timeoutTimestamp = timestampNow(now);
        timeoutTimestampSet = true;
        if (handshake) {
            synPending = true;
            sndNxt = iss;
            return;
        }
        congestion.onRetransmissionTimeout(bytesInFlight(), sndMax);
        // RFC 6675 5.1: recovery (if any) ends; no new one until HighData as of now is acknowledged.
        sackRecovery = false;
        duplicateAcks = 0;
        highRxt = sndUna;
        recoveryAfterTimeoutPoint = sndMax;
        recoveryAfterTimeoutPending = true;
        if (retries >= 2) {
            // RFC 2018 section 8: the receiver may have reneged; after a second timeout stop trusting the SACKs.
            scoreboard.clear();
        }
        // RFC 6298 5.4: retransmit the earliest unacknowledged segment now (whatever the window says),
        // then go back to SND.UNA: the rest that is neither acknowledged nor SACKed follows as cwnd allows.
        sndNxt = sndUna;
        retransmitFirstUnacked = true;
        retransmissionDeadline = now + rtt.timeoutNanos();
    }

    private void onKeepAliveTimeout(long now) {
        if (!keepAlive || !(state == TcpState.ESTABLISHED || state == TcpState.CLOSE_WAIT)) {
            return;
        }
        if (keepAliveProbesSent >= config.keepAliveProbes()) {
            close(TcpCloseReason.KEEPALIVE_TIMED_OUT, new TcpCause.Timer(TcpTimer.KEEPALIVE), now);
            return;
        }
        if (sndUna == sndMax) {
            keepAliveProbesSent++;
            keepAliveProbeNow = true;
        }
        keepAliveDeadline = now + config.keepAliveIntervalNanos();
    }

    private void resetKeepAlive(long now) {
        keepAliveProbesSent = 0;
        keepAliveDeadline = keepAlive ? now + config.keepAliveIdleNanos() : NEVER;
    }

    /**
     * An ICMP error quoting a segment of ours whose sequence number was {@code quotedSequence} (-1 when not
     * quoted). RFC 5927 4.1: only a quote within SND.UNA..SND.MAX is believed. Fragmentation needed lowers
     * the MSS to the next hop's MTU and resends (RFC 1191 section 6); port and protocol unreachable abort a
     * connection still opening (RFC 1122 4.2.3.9 "hard errors"); the rest are soft and only noted.
     */
    void onIcmpError(int type, int code, int nextHopMtu, long quotedSequence, long now) {
        if (quotedSequence >= 0 && state != TcpState.SYN_SENT
                && !(atOrBefore(sndUna, (int) quotedSequence) && before((int) quotedSequence, sndMax))) {
            return;
        }
        if (type == 3 && code == 4 && nextHopMtu >= 68) {
            int narrower = nextHopMtu - 40;
            if (narrower < localMss) {
                localMss = Math.max(narrower, 28);
                congestion.onMaximumSegmentSize(sendMss());
                if (before(sndUna, sndMax) && canTransmitData()) {
                    sndNxt = sndUna;
                    retransmitFirstUnacked = true;
                }
            }
            return;
        }
        if (state == TcpState.SYN_SENT && type == 3 && (code == 2 || code == 3)) {
            close(TcpCloseReason.REFUSED, new TcpCause.IcmpError(type, code), now);
        } else if (state == TcpState.SYN_SENT && type == 3) {
            close(TcpCloseReason.UNREACHABLE, new TcpCause.IcmpError(type, code), now);
        }
    }

    // ---------------------------------------------------------------- state

    private void setState(TcpState next, TcpCause cause, long now) {
        TcpState previous = state;
        state = next;
        engine.stateChanged(this, previous, next, cause, closeReason, now);
    }

    private void close(TcpCloseReason reason, TcpCause cause, long now) {
        if (state == TcpState.CLOSED) {
            return;
        }
        closeReason = reason;
        retransmissionDeadline = NEVER;
        delayedAckDeadline = NEVER;
        persistDeadline = NEVER;
        keepAliveDeadline = NEVER;
        timeWaitDeadline = NEVER;
        finWait2Deadline = NEVER;
        ackNow = false;
        synPending = false;
        retransmitFirstUnacked = false;
        setState(TcpState.CLOSED, cause, now);
    }

    private static TcpCause segmentCause(IncomingSegment segment) {
        return new TcpCause.Segment(segment.flags(), segment.sequenceNumber(), segment.acknowledgmentNumber(),
                segment.window(), segment.payloadLength());
    }

    // ---------------------------------------------------------------- the application's side

    public long id() {
        return id;
    }

    public TcpEndpoints endpoints() {
        return endpoints;
    }

    public TcpState state() {
        return state;
    }

    /** Why the connection closed, or null while it is not CLOSED. */
    public TcpCloseReason closeReason() {
        return closeReason;
    }

    /**
     * Queues data to send (RFC 9293 3.10.2). Returns how many bytes the send buffer took: fewer than
     * {@code count}, possibly none, when it is full.
     *
     * @throws IllegalStateException when the connection is closing or closed (RFC 9293: "connection closing")
     */
    public int send(byte[] data, int offset, int count) {
        if (!state.canSend() || finQueued) {
            throw new IllegalStateException(closeReason != null ? closeReason.description() : "connection closing");
        }
        if (sendBuffer == null) {
            return 0;
        }
        int accepted = sendBuffer.write(data, offset, count);
        if (accepted > 0) {
            engine.wake(this);
        }
        return accepted;
    }

    /**
     * Reads received data (RFC 9293 3.10.3). Returns the number of bytes read, 0 when none is
     * available yet, -1 at the end of the stream (the peer's FIN and everything before it read).
     */
    public int receive(byte[] target, int offset, int count) {
        if (receiveBuffer == null) {
            return state == TcpState.CLOSED ? -1 : 0;
        }
        int read = receiveBuffer.read(target, offset, count);
        if (read > 0) {
            engine.wake(this); // the window may open
            return read;
        }
        return finReceived || state == TcpState.CLOSED ? -1 : 0;
    }

    /** Bytes ready to read. */
    public int available() {
        return receiveBuffer == null ? 0 : receiveBuffer.readable();
    }

    /** Readable: data waiting, or the end of the stream reached. */
    public boolean isReadable() {
        return available() > 0 || finReceived || state == TcpState.CLOSED;
    }

    /** Writable: the connection may send and the send buffer has room. */
    public boolean isWritable() {
        return state.canSend() && !finQueued && sendBuffer != null && sendBuffer.free() > 0;
    }

    /** Bytes the send buffer can take now. */
    public int sendCapacity() {
        return isWritable() ? sendBuffer.free() : 0;
    }

    /** Bytes accepted by {@link #send} and not yet acknowledged. */
    public int unacknowledgedBytes() {
        return sendBuffer == null ? 0 : sendBuffer.length();
    }

    public boolean isClosed() {
        return state == TcpState.CLOSED;
    }

    /**
     * Chooses this connection's congestion control (as Linux's TCP_CONGESTION socket option), in place of the stack's
     * ({@link TcpConfig#congestionAlgorithm()}); only before any data was sent, so that no window is carried from one
     * algorithm to another.
     *
     * @throws IllegalStateException once data was sent, or the connection closed
     */
    public void setCongestionAlgorithm(CongestionAlgorithm algorithm) {
        java.util.Objects.requireNonNull(algorithm, "algorithm");
        if (state == TcpState.CLOSED || after(sndMax, iss + 1)) {
            throw new IllegalStateException("the congestion control is chosen before any data is sent");
        }
        congestion = algorithm.create(sendMss());
        congestionAlgorithm = algorithm;
    }

    /** The congestion control this connection uses. */
    public CongestionAlgorithm congestionAlgorithm() {
        return congestionAlgorithm;
    }

    /** Turns Nagle's algorithm on or off for this connection (RFC 9293 3.7.4; off is TCP_NODELAY). */
    public void setNagle(boolean enabled) {
        this.nagle = enabled;
        engine.wake(this);
    }

    /**
     * Lets the ACK of new data wait up to the stack's delayed-ACK time (on, the default: RFC 9293 3.8.6.3, RFC 1122
     * 4.2.3.2), or acknowledges every segment of data at once (off, as Linux's TCP_QUICKACK while it lasts).
     */
    public void setDelayedAck(boolean enabled) {
        this.delayedAck = enabled;
        engine.wake(this);
    }

    /** Turns keep-alive probes on or off (RFC 9293 3.8.4), with the stack's idle time, or 2 h when it has none. */
    public void setKeepAlive(boolean enabled) {
        this.keepAlive = enabled;
        long idle = config.keepAliveIdleNanos() > 0 ? config.keepAliveIdleNanos() : 7200 * TcpConfig.SECOND;
        keepAliveDeadline = enabled && (state == TcpState.ESTABLISHED || state == TcpState.CLOSE_WAIT)
                ? engine.now() + idle : NEVER;
        engine.wake(this);
    }

    /**
     * Closes our direction (RFC 9293 3.10.4): a FIN follows the queued data. The peer may go on
     * sending (half close) until it closes too.
     */
    public void close() {
        long now = engine.now();
        switch (state) {
            case CLOSED, LISTEN -> {
            }
            case SYN_SENT -> close(TcpCloseReason.ABORTED, new TcpCause.Application("close"), now);
            case SYN_RECEIVED, ESTABLISHED -> {
                if (finQueued) {
                    return;
                }
                finSequenceNumber = dataEnd();
                finQueued = true;
                if (state == TcpState.ESTABLISHED) {
                    setState(TcpState.FIN_WAIT_1, new TcpCause.Application("close"), now);
                }
            }
            case CLOSE_WAIT -> {
                finSequenceNumber = dataEnd();
                finQueued = true;
                setState(TcpState.LAST_ACK, new TcpCause.Application("close"), now);
            }
            default -> {
            }
        }
        engine.wake(this);
    }

    /** The half close of {@link #close()} under the name sockets give it. */
    public void shutdownOutput() {
        close();
    }

    /**
     * The application is done with the connection in both directions, as a socket's close: its FIN
     * follows the queued data, and the connection finishes on its own (FIN-WAIT-2 given up after 2·MSL).
     * Received data left unread, or arriving later, is lost: RFC 1122 4.2.2.13 has a RST sent then, so
     * the peer learns of it.
     */
    public void release() {
        released = true;
        if (receiveBuffer != null && receiveBuffer.readable() > 0 && state.isSynchronized() && state != TcpState.TIME_WAIT) {
            abort();
            return;
        }
        if (state == TcpState.FIN_WAIT_2 && finWait2Deadline == NEVER) {
            finWait2Deadline = engine.now() + 2 * config.maximumSegmentLifetimeNanos();
        }
        close();
    }

    /** Whether {@link #release} was called. */
    public boolean isReleased() {
        return released;
    }

    /** Aborts (RFC 9293 3.10.5): a RST to the peer in a synchronized state, then CLOSED at once. */
    public void abort() {
        long now = engine.now();
        switch (state) {
            case SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT -> {
                engine.sendReset(endpoints, sndMax, 0, false);
                close(TcpCloseReason.ABORTED, new TcpCause.Application("abort"), now);
            }
            default -> close(TcpCloseReason.ABORTED, new TcpCause.Application("abort"), now);
        }
        engine.wake(this);
    }

    /** RCV.NXT, for the engine's TIME-WAIT reuse check. */
    int receiveNext() {
        return rcvNxt;
    }

    /** A new SYN reuses these endpoints while in TIME-WAIT (RFC 9293 3.10.7.4 note): this incarnation ends now. */
    void forgetTimeWait(long now) {
        close(TcpCloseReason.NORMAL, new TcpCause.Timer(TcpTimer.TIME_WAIT), now);
    }

    /** The TCB as it is now. */
    public TcpSnapshot snapshot() {
        return new TcpSnapshot(state, new TcpSeqNumber(sndUna), new TcpSeqNumber(sndNxt), sndWnd, new TcpSeqNumber(iss),
                new TcpSeqNumber(rcvNxt), receiveWindow(), new TcpSeqNumber(irs), congestion.congestionWindow(),
                congestion.slowStartThreshold(), rtt.smoothedNanos(), rtt.variationNanos(), rtt.timeoutNanos(),
                Math.max(0, sndMax - sndUna), retransmissions,
                receiveBuffer == null ? 0 : receiveBuffer.outOfOrderRanges());
    }

    @Override
    public String toString() {
        return "TCP " + endpoints + " " + state.rfcName();
    }
}
