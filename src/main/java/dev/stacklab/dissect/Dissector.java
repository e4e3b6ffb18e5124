package dev.stacklab.dissect;

import java.util.Arrays;

/**
 * Dissects the frames of one capture, in order. Frames are numbered from 1 as they are given; state
 * that spans frames (time references, IP reassembly, TCP relative sequence numbers) lives here, so
 * use one {@code Dissector} per capture or live session, from one thread.
 *
 * <p>Never throws for any bytes: damage becomes a {@code [Malformed Packet]} node and a mark in
 * the summary.
 */
public final class Dissector {
    private final DissectionSession session = new DissectionSession();
    private final DissectionContext context = new DissectionContext(session);
    private int frameCount;
    // The fields the last filter given to matches() reads (null: it needs whole trees).
    private DisplayFilter keptFor;
    private FilterFields kept;

    public Dissector() {
        // Read the MAC name tables (once per JVM) now rather than in the middle of the first frame.
        MacNameTable.installed();
    }

    /**
     * Goes on with a capture whose first {@code framesBefore} frames are gone (the app's ring dropped them, or a
     * second pass starts in the middle): frames are numbered from {@code framesBefore + 1} and times count from
     * {@code captureStartNanos}, the first frame's time, as they did when those frames were there.
     */
    public Dissector(int framesBefore, long captureStartNanos) {
        this();
        if (framesBefore < 0) {
            throw new IllegalArgumentException("frames before " + framesBefore + " < 0");
        }
        this.frameCount = framesBefore;
        session.firstTimestampNanos = captureStartNanos;
        session.previousTimestampNanos = captureStartNanos;
    }

    /**
     * The LINKTYPE_ value of the frames that follow (Ethernet until said otherwise): Ethernet (1), Linux cooked
     * captures v1 (113) and v2 (276), raw IP (101) and raw IPv4 (228). Throws for others ({@link #readsLinkType}).
     */
    public void linkType(int linkType) {
        if (!readsLinkType(linkType)) {
            throw new IllegalArgumentException("link type " + linkType + " is not one stacklab dissects");
        }
        context.linkType = linkType;
    }

    /**
     * How many decimals of a second the capture file records the times of the frames that follow to (6 until said
     * otherwise): the Time column of their summaries shows as many, cut rather than rounded, as tshark's does. 9 for
     * a nanosecond pcap or a pcapng interface with an {@code if_tsresol} of 9; see {@code CaptureReader.timestampPrecision}.
     */
    public void timestampPrecision(int decimals) {
        context.timestampPrecision = SummaryLine.checkPrecision(decimals);
    }

    /** Whether {@link #linkType(int)} accepts this LINKTYPE_ value. */
    public static boolean readsLinkType(int linkType) {
        return FrameDissector.readsLinkType(linkType);
    }

    /** The summary row only: the fast path, which builds no tree. */
    public FrameSummary summarize(long timestampNanos, byte[] frame, int capturedLength, int originalLength) {
        context.frameInterface = null;
        context.frameOptions = null;
        run(timestampNanos, frame, capturedLength, originalLength, false, null);
        return context.summary(relativeTime(timestampNanos));
    }

    /**
     * The summary row only, written as its line (tshark's default output, without a line end) at the end of
     * {@code out}: what {@link #summarize} and {@link SummaryLine#appendTo(Utf8Text, FrameSummary)} give, without
     * making a String for the line or any of its columns.
     */
    public void summarizeLine(long timestampNanos, byte[] frame, int capturedLength, int originalLength, Utf8Text out) {
        context.frameInterface = null;
        context.frameOptions = null;
        run(timestampNanos, frame, capturedLength, originalLength, false, null);
        context.appendSummaryLine(out, relativeTime(timestampNanos));
    }

    /**
     * The summary row only, added to {@code batch} as its columns (the batch must not be full), for another thread to
     * write as lines with {@link SummaryBatch#appendLine}: so that dissecting and writing share two cores.
     */
    public void summarizeInto(long timestampNanos, byte[] frame, int capturedLength, int originalLength, SummaryBatch batch) {
        if (batch.isFull()) {
            throw new IllegalStateException("the batch of " + batch.size() + " summaries is full");
        }
        context.frameInterface = null;
        context.frameOptions = null;
        run(timestampNanos, frame, capturedLength, originalLength, false, null);
        context.addSummaryTo(batch, relativeTime(timestampNanos));
    }

    /**
     * Dissects the frame only for the state it leaves for the frames after it (TCP's relative numbers and
     * analysis, reassembly, request and response pairs), as {@link #summarize} would, without making its summary:
     * to bring a dissector up to a frame deep in a capture.
     */
    public void advance(long timestampNanos, byte[] frame, int capturedLength, int originalLength) {
        context.frameInterface = null;
        context.frameOptions = null;
        run(timestampNanos, frame, capturedLength, originalLength, false, null);
    }

    /** Bytes TCP desegmentation holds for messages still being collected (bounded by TcpPduReassembly.MAX_BYTES). */
    long reassemblyBytesHeld() {
        return session.tcpPduReassembly.bytesHeld();
    }

    /** The full tree and the summary. */
    public FrameTree dissect(long timestampNanos, byte[] frame, int capturedLength, int originalLength) {
        return dissect(timestampNanos, frame, capturedLength, originalLength, null);
    }

    /**
     * The full tree and the summary of a frame captured on {@code captureInterface} (null when not recorded).
     * The tree keeps a copy of the frame's first {@code capturedLength} bytes, so {@code frame} may be reused
     * at once (as {@code CaptureReader.data()} is) while the tree lives on.
     */
    public FrameTree dissect(long timestampNanos, byte[] frame, int capturedLength, int originalLength, FrameInterface captureInterface) {
        return dissect(timestampNanos, frame, capturedLength, originalLength, captureInterface, null);
    }

    /**
     * The full tree and the summary of a frame captured on {@code captureInterface} (null when not recorded) with what
     * the file records about it besides its bytes, {@code options} (pcapng packet flags and comments; null when none):
     * they show in the Frame section and, for comments, in a "Packet comments" tree before it, as in tshark.
     */
    public FrameTree dissect(long timestampNanos, byte[] frame, int capturedLength, int originalLength, FrameInterface captureInterface,
                             FrameOptions options) {
        checkCapturedLength(frame, capturedLength);
        context.frameInterface = captureInterface;
        context.frameOptions = options;
        // One copy per tree: nodes point into it (bytes fields, data sources) instead of into the caller's buffer.
        // It adds about 1% to what a tree allocates (about 80 of 6,900 bytes a frame on bench synth-capture's
        // frames); summaries, which keep no bytes, never copy.
        run(timestampNanos, Arrays.copyOf(frame, capturedLength), capturedLength, originalLength, true, null);
        FrameSummary summary = context.summary(relativeTime(timestampNanos));
        return new FrameTree(context.root, context.dataSources(), summary, context.expertNotes > 0);
    }

    /**
     * Whether the frame passes {@code filter}: the same answer as {@code filter.matches(dissect(...))}, and the same
     * state carried to the next frame, but only the nodes the filter reads are made (no copy of the frame either: the
     * tree is gone when this returns), which makes a filter over a big capture several times faster.
     */
    public boolean matches(DisplayFilter filter, long timestampNanos, byte[] frame, int capturedLength, int originalLength) {
        return matches(filter, timestampNanos, frame, capturedLength, originalLength, null);
    }

    /** {@link #matches(DisplayFilter, long, byte[], int, int)} for a frame with {@code options} ({@code frame.comment}, ...). */
    public boolean matches(DisplayFilter filter, long timestampNanos, byte[] frame, int capturedLength, int originalLength,
                           FrameOptions options) {
        return matches(filter, timestampNanos, frame, capturedLength, originalLength, null, options);
    }

    /**
     * {@link #matches(DisplayFilter, long, byte[], int, int, FrameOptions)} for a frame captured on
     * {@code captureInterface} (null when the file does not record one): {@code frame.interface_name == "eth0"}.
     */
    public boolean matches(DisplayFilter filter, long timestampNanos, byte[] frame, int capturedLength, int originalLength,
                           FrameInterface captureInterface, FrameOptions options) {
        if (filter != keptFor) {
            kept = filter.fieldsRead();
            keptFor = filter;
        }
        if (kept == null) {
            return filter.matches(dissect(timestampNanos, frame, capturedLength, originalLength, captureInterface, options));
        }
        context.frameInterface = captureInterface;
        context.frameOptions = options;
        run(timestampNanos, frame, capturedLength, originalLength, true, kept);
        return filter.matches(new FrameTree(context.root, context.dataSources(), null));
    }

    /** Convenience for a whole frame that was captured completely. */
    public FrameTree dissect(byte[] frame) {
        return dissect(0, frame, frame.length, frame.length);
    }

    private static void checkCapturedLength(byte[] frame, int capturedLength) {
        if (capturedLength < 0 || capturedLength > frame.length) {
            throw new IllegalArgumentException("captured length " + capturedLength + " outside the " + frame.length + "-byte buffer");
        }
    }

    private void run(long timestampNanos, byte[] frame, int capturedLength, int originalLength, boolean buildTree, FilterFields keptFields) {
        checkCapturedLength(frame, capturedLength);
        frameCount++;
        if (session.firstTimestampNanos == Long.MIN_VALUE) {
            session.firstTimestampNanos = timestampNanos;
            session.previousTimestampNanos = timestampNanos;
        }
        context.start(frameCount, timestampNanos, frame, capturedLength, originalLength, buildTree, keptFields);
        try {
            FrameDissector.dissect(context);
        } catch (RuntimeException bug) {
            // A dissector bug must not take the caller down with it: report it on the frame, as Wireshark does.
            context.malformed("dissector failure: " + bug, 0);
        }
        session.previousTimestampNanos = timestampNanos;
        // Shown unless the caller says otherwise (frameFilteredOut).
        session.displayedBeforeLatestNanos = session.previousDisplayedTimestampNanos;
        session.previousDisplayedTimestampNanos = timestampNanos;
    }

    /**
     * Says the frame just dissected is not shown (a display filter rejected it), so the next frame's "time delta
     * from previous displayed frame" counts from the last frame that was.
     */
    public void frameFilteredOut() {
        session.previousDisplayedTimestampNanos = session.displayedBeforeLatestNanos;
    }

    private long relativeTime(long timestampNanos) {
        return timestampNanos - session.firstTimestampNanos;
    }
}
