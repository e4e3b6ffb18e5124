package dev.stacklab.link;

/** Where a {@link Link} hands the frames it receives. */
@FunctionalInterface
public interface FrameSink {
    /**
     * One Ethernet frame arrived (without preamble or FCS).
     *
     * <p>The array is freshly allocated for this call and belongs to the receiver from now on: it may keep it,
     * queue it to another thread or modify it without copying. Links allocate anyway (libpcap's bytes live in a
     * ring that is reused, a TAP read needs a buffer), so handing over that one allocation is cheaper than
     * making every receiver copy again before queueing to the stack's thread.
     *
     * @param frame the frame's bytes, valid in {@code [0, length)}
     * @param length the frame's length in bytes
     * @param timestampNanos when the link saw the frame, on the {@link System#nanoTime()} clock for live links,
     *     or the virtual time for simulated ones
     */
    void frameReceived(byte[] frame, int length, long timestampNanos);

    /**
     * Hands a frame to {@code receiver} from a link's reader thread. A receiver that throws (a bug) must not end
     * reception silently: its failure becomes a {@link LinkEvent.Kind#RECEIVE_ERROR} event and the reader goes on.
     */
    static void deliver(FrameSink receiver, LinkEventListener events, String linkName, byte[] frame, int length,
                        long timestampNanos) {
        try {
            receiver.frameReceived(frame, length, timestampNanos);
        } catch (RuntimeException e) {
            events.linkEvent(new LinkEvent(linkName, LinkEvent.Kind.RECEIVE_ERROR, LinkEvent.Direction.RECEIVE,
                    "the receiver of " + linkName + " failed on a " + length + "-byte frame: " + e, null, System.nanoTime()));
        }
    }
}
