package dev.stacklab.capture;

import java.io.IOException;

/**
 * What the pcap and pcapng readers share: the input, the current frame and its lengths and time, and the failure
 * that, once met, every later {@link #next()} throws again (a damaged file stays damaged).
 */
abstract class CaptureFileReader implements CaptureReader {
    final CaptureInput input;
    final FrameBuffer frame = new FrameBuffer();
    int capturedLength;
    int originalLength;
    long timestampNanos;
    CaptureFormatException failure;

    CaptureFileReader(CaptureInput input) {
        this.input = input;
    }

    /** Records the damage at {@code offset}, to be thrown now and by every later call. */
    final CaptureFormatException fail(long offset, String problem) {
        failure = new CaptureFormatException(offset, problem);
        return failure;
    }

    @Override
    public final byte[] data() {
        return frame.bytes();
    }

    @Override
    public final int capturedLength() {
        return capturedLength;
    }

    @Override
    public final int originalLength() {
        return originalLength;
    }

    @Override
    public final long timestampNanos() {
        return timestampNanos;
    }

    @Override
    public final void close() throws IOException {
        input.close();
    }
}
