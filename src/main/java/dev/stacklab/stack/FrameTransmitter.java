package dev.stacklab.stack;

/**
 * Where {@link NetStack#poll} hands each frame it wants sent; the caller owns the link. Output is pulled: before
 * each frame the engine asks {@link #hasRoom()}, so a link that cannot take more now (a full transmit ring, a busy
 * simulated cable) paces the protocols instead of making anyone drop.
 */
@FunctionalInterface
public interface FrameTransmitter {
    /** The bytes may be reused after the call returns: copy them if they are kept. */
    void transmit(byte[] frame, int offset, int length);

    /**
     * Whether the link takes another frame now. A link that never refuses (it queues or drops by itself, as pcap
     * and the TAP device do) keeps the default.
     */
    default boolean hasRoom() {
        return true;
    }
}
