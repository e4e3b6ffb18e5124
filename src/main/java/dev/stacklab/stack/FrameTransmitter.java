package dev.stacklab.stack;

/** Where {@link NetStack#poll} hands each frame it wants sent; the caller owns the link. */
@FunctionalInterface
public interface FrameTransmitter {
    /** The bytes may be reused after the call returns: copy them if they are kept. */
    void transmit(byte[] frame, int offset, int length);
}
