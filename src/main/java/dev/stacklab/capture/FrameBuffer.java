package dev.stacklab.capture;

/**
 * The one buffer a reader copies each frame into. It grows only when a frame is larger than any
 * before it, and never beyond {@link CaptureReader#MAX_CAPTURED_LENGTH}, which the readers check first.
 */
final class FrameBuffer {
    private static final int INITIAL_SIZE = 2048;

    private byte[] bytes = new byte[INITIAL_SIZE];

    /** The buffer, at least {@code length} bytes long; the old contents are not kept. */
    byte[] forLength(int length) {
        if (bytes.length < length) {
            // Double to the next power of two so that a file of growing frames reallocates only a few times.
            int doubled = Math.min(Integer.highestOneBit(length - 1) << 1, CaptureReader.MAX_CAPTURED_LENGTH);
            bytes = new byte[Math.max(length, doubled)];
        }
        return bytes;
    }

    byte[] bytes() {
        return bytes;
    }
}
