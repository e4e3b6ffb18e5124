package dev.stacklab.capture;

import java.io.IOException;

/**
 * A capture file that is not what it claims to be: wrong magic number, truncated record, or a length
 * field that cannot be true. The message names the byte offset (from the start of the file) of the
 * offending record or field and what is wrong with it.
 */
public final class CaptureFormatException extends IOException {
    private final long offset;

    public CaptureFormatException(long offset, String problem) {
        super("byte offset " + offset + ": " + problem);
        this.offset = offset;
    }

    /** Offset from the start of the file of the record or field that is damaged. */
    public long offset() {
        return offset;
    }
}
