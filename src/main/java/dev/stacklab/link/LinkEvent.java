package dev.stacklab.link;

import java.util.Objects;

/**
 * Something a link reports besides frames: an error, or a frame it dropped, damaged or duplicated on purpose.
 *
 * @param linkName the {@link Link#name()} of the link that reports it
 * @param kind what happened
 * @param direction which way the frame was going, {@link Direction#NONE} when no frame is involved
 * @param message a complete sentence for a person, e.g. "interface veth1 went away: ..."
 * @param frame a copy of the frame concerned (as it was before any damage), or null; never modify it
 * @param timestampNanos when, on the same clock as {@link FrameSink#frameReceived} timestamps
 */
public record LinkEvent(String linkName, Kind kind, Direction direction, String message, byte[] frame, long timestampNanos) {

    public enum Kind {
        /** The link stopped receiving for good (device removed, capture error); it must be reopened. */
        LINK_DOWN,
        /** A frame could not be read, but the link goes on. */
        RECEIVE_ERROR,
        /** A frame could not be sent (device down, frame too big, ...). */
        SEND_FAILED,
        /** A frame was dropped because a bounded queue was full. */
        QUEUE_FULL,
        /** An impairment dropped the frame (simulated loss). */
        DROPPED,
        /** An impairment flipped one bit of the frame. */
        CORRUPTED,
        /** An impairment delivered the frame twice. */
        DUPLICATED,
        /** An impairment held the frame back so that later frames overtake it. */
        REORDERED
    }

    public enum Direction {
        SEND, RECEIVE, NONE
    }

    public LinkEvent {
        Objects.requireNonNull(linkName, "linkName");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(message, "message");
    }

    /** An event that involves no particular frame. */
    public static LinkEvent of(String linkName, Kind kind, String message, long timestampNanos) {
        return new LinkEvent(linkName, kind, Direction.NONE, message, null, timestampNanos);
    }

    @Override
    public String toString() {
        return linkName + ": " + kind + (direction == Direction.NONE ? "" : " (" + direction + ")") + ": " + message;
    }
}
