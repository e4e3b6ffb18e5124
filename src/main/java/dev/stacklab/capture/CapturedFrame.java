package dev.stacklab.capture;

import java.util.Objects;

/**
 * One frame as the desktop app's capture keeps it: the bytes (a private copy the capture owns), when it was
 * seen, which way it went and, for frames an impairment dropped or changed, a short note saying so.
 *
 * @param timestampNanos wall-clock time of capture, nanoseconds since the Unix epoch (pcap's time base)
 * @param direction      IN (arrived at our host), OUT (sent by our host), or UNKNOWN (watch-only capture, files)
 * @param bytes          the captured bytes, never modified after construction
 * @param originalLength the frame's length on the wire (at least {@code bytes.length})
 * @param note           null, or what happened to it on the way ("dropped by impairment: loss")
 */
public record CapturedFrame(long timestampNanos, Direction direction, byte[] bytes, int originalLength, String note) {

    /** Which way a frame went, seen from our host. */
    public enum Direction { IN, OUT, UNKNOWN }

    public CapturedFrame {
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(bytes, "bytes");
        if (originalLength < bytes.length) {
            throw new IllegalArgumentException("original length " + originalLength + " < captured " + bytes.length);
        }
    }

    public CapturedFrame(long timestampNanos, Direction direction, byte[] bytes) {
        this(timestampNanos, direction, bytes, bytes.length, null);
    }

    /** Whether an impairment (or the link) dropped this frame before it arrived: shown, but never delivered. */
    public boolean isDropped() {
        return note != null && note.startsWith("dropped");
    }
}
