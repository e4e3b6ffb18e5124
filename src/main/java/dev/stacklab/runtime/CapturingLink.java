package dev.stacklab.runtime;

import dev.stacklab.capture.CapturedFrame;
import dev.stacklab.link.FrameSink;
import dev.stacklab.link.Link;
import dev.stacklab.link.LinkEvent;
import dev.stacklab.link.LinkEventListener;
import dev.stacklab.wire.MacAddress;

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
                publish(new CapturedFrame(toEpochNanos(timestampNanos), receivedDirection.apply(copy), copy, length, null));
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
                System.getLogger(CapturingLink.class.getName()).log(System.Logger.Level.WARNING,
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
