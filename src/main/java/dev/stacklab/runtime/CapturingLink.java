package dev.stacklab.runtime;

import dev.stacklab.capture.CapturedFrame;
import dev.stacklab.link.FrameSink;
import dev.stacklab.link.Link;
import dev.stacklab.link.LinkEvent;
import dev.stacklab.link.LinkEventListener;
import dev.stacklab.wire.MacAddress;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A tap on our host's link, where the host's interface meets the wire: every frame the stack sends (OUT) and
 * every frame handed up to it (IN) goes to the capture listeners as a {@link CapturedFrame}, as Wireshark on
 * that interface would see them.
 *
 * <p>Wrapped around an {@link dev.stacklab.link.ImpairedLink}, it also shows what the impairment did, which no
 * real capture could: a frame we sent that the wire then lost, damaged, doubled or held back is captured once
 * with a note saying so ("dropped by impairment: loss"); a frame on its way to us that the wire lost is captured
 * as a dropped IN frame. The impaired link reports its outbound decisions synchronously, on the sending thread,
 * inside {@code send}, which is how the note reaches the OUT frame before it is published.
 *
 * <p>Ordering: an OUT frame is published after the inner send returned (only then is its fate known), so both
 * directions publish under one lock; an answer to it cannot be published before it, whatever threads are
 * involved. Listeners run under that lock and must return at once (the {@link LabSession} contract).
 *
 * <p>Timestamps: the links stamp frames on the {@link System#nanoTime()} clock; captured frames carry epoch time,
 * by an offset read once when the tap is made (a wall clock stepped later does not make frames jump).
 */
final class CapturingLink implements Link {
    private final Link inner;
    private final long epochOffsetNanos;
    private final CopyOnWriteArrayList<Consumer<CapturedFrame>> listeners = new CopyOnWriteArrayList<>();
    private final Object publishLock = new Object();
    /** The impairment decisions reported during the current send on this thread, or null outside a send. */
    private final ThreadLocal<List<LinkEvent>> outboundDecisions = new ThreadLocal<>();

    /** How a received frame's direction is told: a stack's link receives only what came IN. */
    private final Function<byte[], CapturedFrame.Direction> receivedDirection;

    CapturingLink(Link inner) {
        this(inner, frame -> CapturedFrame.Direction.IN);
    }

    /**
     * @param receivedDirection the direction of a frame the inner link received: a capture-mode link receives the
     *     host's own frames too
     */
    CapturingLink(Link inner, Function<byte[], CapturedFrame.Direction> receivedDirection) {
        this.inner = Objects.requireNonNull(inner, "inner");
        this.receivedDirection = Objects.requireNonNull(receivedDirection, "receivedDirection");
        Instant wall = Instant.now();
        long monotonic = System.nanoTime();
        this.epochOffsetNanos = wall.getEpochSecond() * 1_000_000_000L + wall.getNano() - monotonic;
    }

    void addCaptureListener(Consumer<CapturedFrame> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    void removeCaptureListener(Consumer<CapturedFrame> listener) {
        listeners.remove(listener);
    }

    /** The epoch time of a {@link System#nanoTime()} stamp. */
    long toEpochNanos(long monotonicNanos) {
        return monotonicNanos + epochOffsetNanos;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public MacAddress hardwareAddress() {
        return inner.hardwareAddress();
    }

    @Override
    public int mtu() {
        return inner.mtu();
    }

    @Override
    public void start(FrameSink receiver, LinkEventListener events) {
        inner.start((frame, length, timestampNanos) -> {
            if (!listeners.isEmpty()) {
                byte[] copy = Arrays.copyOf(frame, length);
                publish(new CapturedFrame(toEpochNanos(timestampNanos), receivedDirection.apply(copy), copy, length,
                        inboundNoteFor(copy)));
            }
            receiver.frameReceived(frame, length, timestampNanos);
        }, event -> {
            List<LinkEvent> decisions = outboundDecisions.get();
            if (decisions != null && event.direction() == LinkEvent.Direction.SEND && isImpairment(event.kind())) {
                decisions.add(event);
            } else if (event.kind() == LinkEvent.Kind.DROPPED && event.direction() == LinkEvent.Direction.RECEIVE
                    && event.frame() != null) {
                publish(new CapturedFrame(toEpochNanos(event.timestampNanos()), CapturedFrame.Direction.IN,
                        event.frame(), event.frame().length, noteFor(List.of(event))));
            } else if (event.direction() == LinkEvent.Direction.RECEIVE && event.frame() != null
                    && (event.kind() == LinkEvent.Kind.CORRUPTED || event.kind() == LinkEvent.Kind.DUPLICATED)) {
                expectInbound(event);
            }
            events.linkEvent(event);
        });
    }

    @Override
    public void send(byte[] frame, int offset, int length) {
        if (listeners.isEmpty()) {
            inner.send(frame, offset, length);
            return;
        }
        long sentAt = System.nanoTime();
        byte[] copy = Arrays.copyOfRange(frame, offset, offset + length);
        List<LinkEvent> decisions = new ArrayList<>(2);
        synchronized (publishLock) {
            outboundDecisions.set(decisions);
            try {
                inner.send(frame, offset, length);
            } finally {
                outboundDecisions.remove();
            }
            publishLocked(new CapturedFrame(toEpochNanos(sentAt), CapturedFrame.Direction.OUT, copy, length,
                    noteFor(decisions)));
        }
    }

    /**
     * An inbound frame the impairment damaged or doubled, reported before it is delivered (the impaired link reports
     * on the receiving thread, then schedules the delivery), and recognised when it arrives: a corrupted frame by
     * its one flipped bit, a duplicate as the second copy of equal bytes (the only one, when the first copy was the
     * one corrupted).
     */
    private static final class ExpectedInbound {
        final byte[] original;
        final LinkEvent event;
        int equalCopiesBeforeTheDuplicate;

        ExpectedInbound(LinkEvent event, int equalCopiesBeforeTheDuplicate) {
            this.original = event.frame();
            this.event = event;
            this.equalCopiesBeforeTheDuplicate = equalCopiesBeforeTheDuplicate;
        }
    }

    /** Bounded: an expected frame that never arrives (dropped on a full queue) ages out instead of piling up. */
    private static final int MAX_EXPECTED_INBOUND = 64;
    private final java.util.ArrayDeque<ExpectedInbound> expectedInbound = new java.util.ArrayDeque<>();

    private void expectInbound(LinkEvent event) {
        synchronized (expectedInbound) {
            int copiesFirst = 1;
            ExpectedInbound previous = expectedInbound.peekLast();
            if (event.kind() == LinkEvent.Kind.DUPLICATED && previous != null
                    && previous.event.kind() == LinkEvent.Kind.CORRUPTED && Arrays.equals(previous.original, event.frame())) {
                // The same frame's first copy was damaged: the duplicate is the only undamaged copy to arrive.
                copiesFirst = 0;
            }
            if (expectedInbound.size() == MAX_EXPECTED_INBOUND) {
                expectedInbound.removeFirst();
            }
            expectedInbound.addLast(new ExpectedInbound(event, copiesFirst));
        }
    }

    private String inboundNoteFor(byte[] frame) {
        synchronized (expectedInbound) {
            for (java.util.Iterator<ExpectedInbound> it = expectedInbound.iterator(); it.hasNext(); ) {
                ExpectedInbound expected = it.next();
                if (expected.event.kind() == LinkEvent.Kind.CORRUPTED && differsInOneBit(expected.original, frame)) {
                    it.remove();
                    return noteFor(List.of(expected.event));
                }
                if (expected.event.kind() == LinkEvent.Kind.DUPLICATED && Arrays.equals(expected.original, frame)) {
                    if (expected.equalCopiesBeforeTheDuplicate > 0) {
                        expected.equalCopiesBeforeTheDuplicate--;
                        return null;
                    }
                    it.remove();
                    return noteFor(List.of(expected.event));
                }
            }
            return null;
        }
    }

    static boolean differsInOneBit(byte[] a, byte[] b) {
        if (a.length != b.length) {
            return false;
        }
        int differentBits = 0;
        for (int i = 0; i < a.length && differentBits <= 1; i++) {
            differentBits += Integer.bitCount((a[i] ^ b[i]) & 0xFF);
        }
        return differentBits == 1;
    }

    /** Publishes a frame that did not cross this link (see {@link LabSession#showInCapture}). */
    void publishFromBeside(CapturedFrame frame) {
        publish(Objects.requireNonNull(frame, "frame"));
    }

    private void publish(CapturedFrame frame) {
        if (listeners.isEmpty()) {
            return;
        }
        synchronized (publishLock) {
            publishLocked(frame);
        }
    }

    private void publishLocked(CapturedFrame frame) {
        for (Consumer<CapturedFrame> listener : listeners) {
            try {
                listener.accept(frame);
            } catch (RuntimeException e) {
                // A broken listener must not cost the stack its frame; the app's listeners only queue.
                LoggerFactory.getLogger(CapturingLink.class).warn(
                        "a capture listener on " + inner.name() + " failed", e);
            }
        }
    }

    private static boolean isImpairment(LinkEvent.Kind kind) {
        return switch (kind) {
            case DROPPED, CORRUPTED, DUPLICATED, REORDERED -> true;
            default -> false;
        };
    }

    /**
     * What the wire did to a frame, for the capture's note column; null when nothing happened. "dropped ..."
     * first: {@link CapturedFrame#isDropped()} reads the note's start.
     */
    static String noteFor(List<LinkEvent> decisions) {
        List<String> notes = new ArrayList<>(decisions.size());
        for (LinkEvent decision : decisions) {
            switch (decision.kind()) {
                case DROPPED -> notes.add(0, "dropped by impairment: loss");
                case CORRUPTED -> notes.add("corrupted by impairment: " + afterColon(decision.message()));
                case DUPLICATED -> notes.add("duplicated by impairment");
                case REORDERED -> notes.add("reordered by impairment: " + afterWord(decision.message(), "held back "));
                default -> {
                }
            }
        }
        return notes.isEmpty() ? null : String.join("; ", notes);
    }

    private static String afterColon(String message) {
        int colon = message.indexOf(": ");
        return colon < 0 ? message : message.substring(colon + 2);
    }

    private static String afterWord(String message, String word) {
        int at = message.indexOf(word);
        return at < 0 ? message : "held back " + message.substring(at + word.length());
    }

    @Override
    public void close() {
        inner.close();
    }
}
