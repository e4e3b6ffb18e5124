package dev.stacklab.capture;

import java.io.Closeable;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;

/**
 * The bytes of a capture file, read in large blocks into one reused buffer. Record headers are
 * decoded in place in that buffer ({@link #request} makes a header contiguous), frame bytes are
 * copied out with {@link #read}; nothing is allocated per frame. Offsets are counted from the start
 * of the file so that errors can name them.
 */
final class CaptureInput implements Closeable {
    /** Large reads keep the per-frame cost at a few array accesses for files in the page cache. */
    static final int FILE_BUFFER_SIZE = 1 << 20;
    static final int STREAM_BUFFER_SIZE = 1 << 16;
    /** Must hold the longest fixed header that is decoded in place (a pcapng block header is 28 bytes). */
    private static final int MIN_BUFFER_SIZE = 4096;

    private static final VarHandle INT_BIG_ENDIAN = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle SHORT_BIG_ENDIAN = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG_BIG_ENDIAN = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final ReadableByteChannel channel;
    private final byte[] buffer;
    private final ByteBuffer window;
    /** Index in {@link #buffer} of the next unread byte. */
    private int position;
    /** Index in {@link #buffer} one past the last byte read from the channel. */
    private int limit;
    /** File offset of {@code buffer[0]}. */
    private long bufferOffset;
    private boolean endOfInput;

    CaptureInput(ReadableByteChannel channel, int bufferSize) {
        this.channel = channel;
        this.buffer = new byte[Math.max(bufferSize, MIN_BUFFER_SIZE)];
        this.window = ByteBuffer.wrap(buffer);
    }

    /** A small file needs no megabyte buffer. */
    static int bufferSizeFor(long fileSize) {
        return (int) Math.min(FILE_BUFFER_SIZE, Math.max(fileSize, MIN_BUFFER_SIZE));
    }

    /** File offset of the next unread byte. */
    long offset() {
        return bufferOffset + position;
    }

    /** Bytes that are buffered and not yet consumed. */
    int available() {
        return limit - position;
    }

    /**
     * Makes the next {@code count} bytes (at most 4096) readable with the {@code int32}-style
     * accessors, without consuming them. false when the input ends first; {@link #available()} then
     * says how many bytes were left.
     */
    boolean request(int count) throws IOException {
        return limit - position >= count || fill(count);
    }

    private boolean fill(int count) throws IOException {
        if (position > 0) {
            System.arraycopy(buffer, position, buffer, 0, limit - position);
            bufferOffset += position;
            limit -= position;
            position = 0;
        }
        while (limit < count && !endOfInput) {
            window.limit(buffer.length).position(limit);
            int read = channel.read(window);
            if (read < 0) {
                endOfInput = true;
            } else {
                limit += read;
            }
        }
        return limit >= count;
    }

    /** Consumes {@code count} requested bytes. */
    void advance(int count) {
        position += count;
    }

    /** The 32-bit value {@code relative} bytes after the next unread byte (which must have been requested). */
    int int32(int relative, boolean bigEndian) {
        int value = (int) INT_BIG_ENDIAN.get(buffer, position + relative);
        return bigEndian ? value : Integer.reverseBytes(value);
    }

    long uint32(int relative, boolean bigEndian) {
        return int32(relative, bigEndian) & 0xFFFF_FFFFL;
    }

    int uint16(int relative, boolean bigEndian) {
        short value = (short) SHORT_BIG_ENDIAN.get(buffer, position + relative);
        return (bigEndian ? value : Short.reverseBytes(value)) & 0xFFFF;
    }

    int uint8(int relative) {
        return buffer[position + relative] & 0xFF;
    }

    long int64(int relative, boolean bigEndian) {
        long value = (long) LONG_BIG_ENDIAN.get(buffer, position + relative);
        return bigEndian ? value : Long.reverseBytes(value);
    }

    /** Copies the next {@code count} bytes into {@code destination}; returns how many there were before the input ended. */
    int read(byte[] destination, int destinationOffset, int count) throws IOException {
        int copied = 0;
        while (copied < count) {
            if (position == limit && !fill(Math.min(count - copied, buffer.length))) {
                if (position == limit) {
                    return copied;
                }
            }
            int chunk = Math.min(count - copied, limit - position);
            System.arraycopy(buffer, position, destination, destinationOffset + copied, chunk);
            position += chunk;
            copied += chunk;
        }
        return copied;
    }

    /** Consumes the next {@code count} bytes unseen; returns how many there were before the input ended. */
    long skip(long count) throws IOException {
        long skipped = 0;
        while (skipped < count) {
            if (position == limit && !fill(1)) {
                return skipped;
            }
            int chunk = (int) Math.min(count - skipped, limit - position);
            position += chunk;
            skipped += chunk;
        }
        return skipped;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
