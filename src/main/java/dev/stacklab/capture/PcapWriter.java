package dev.stacklab.capture;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes classic pcap (draft-ietf-opsawg-pcap), version 2.4, in little-endian byte order, with
 * microsecond or nanosecond timestamps: the format every tool reads.
 */
public final class PcapWriter implements Closeable {
    /** Wireshark's and tcpdump's default: every frame whole. */
    public static final int DEFAULT_SNAP_LENGTH = CaptureReader.MAX_CAPTURED_LENGTH;

    private static final int VERSION_MAJOR = 2;
    private static final int VERSION_MINOR = 4;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long MAX_SECONDS = 0xFFFF_FFFFL;
    private static final int BUFFER_SIZE = 1 << 16;

    private final OutputStream out;
    private final int snapLength;
    private final boolean nanosecond;
    private final byte[] recordHeader = new byte[PcapReader.RECORD_HEADER_LENGTH];

    /**
     * Writes the file header at once. {@code out} is buffered here; call {@link #flush()} to push
     * frames written so far to it.
     */
    public PcapWriter(OutputStream out, int linkType, int snapLength, boolean nanosecond) throws IOException {
        if (linkType < 0 || linkType > 0xFFFF) {
            throw new IllegalArgumentException("link type " + linkType + " is not a 16-bit LINKTYPE_ value");
        }
        if (snapLength <= 0) {
            throw new IllegalArgumentException("snap length " + snapLength + " must be positive");
        }
        this.out = out instanceof BufferedOutputStream ? out : new BufferedOutputStream(out, BUFFER_SIZE);
        this.snapLength = snapLength;
        this.nanosecond = nanosecond;
        byte[] header = new byte[PcapReader.FILE_HEADER_LENGTH];
        putInt32(header, 0, nanosecond ? PcapReader.MAGIC_NANOSECONDS : PcapReader.MAGIC_MICROSECONDS);
        putInt16(header, 4, VERSION_MAJOR);
        putInt16(header, 6, VERSION_MINOR);
        // Bytes 8 to 15 (thiszone and sigfigs, now "reserved") stay 0 as the format requires.
        putInt32(header, 16, snapLength);
        putInt32(header, 20, linkType);
        this.out.write(header);
    }

    /** A microsecond pcap file with the default snap length. */
    public static PcapWriter create(Path path, int linkType) throws IOException {
        return create(path, linkType, false);
    }

    public static PcapWriter create(Path path, int linkType, boolean nanosecond) throws IOException {
        OutputStream file = Files.newOutputStream(path);
        try {
            return new PcapWriter(new BufferedOutputStream(file, BUFFER_SIZE), linkType, DEFAULT_SNAP_LENGTH, nanosecond);
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /**
     * Appends one frame. Like a capture with a snap length, keeps only the first {@code snapLength}
     * bytes of a longer frame; {@code originalLength} is its length on the wire.
     */
    public void write(long timestampNanos, byte[] frame, int offset, int capturedLength, int originalLength) throws IOException {
        if (capturedLength < 0 || originalLength < capturedLength) {
            throw new IllegalArgumentException("captured length " + capturedLength + " must be between 0 and the original length "
                    + originalLength);
        }
        long seconds = Math.floorDiv(timestampNanos, NANOS_PER_SECOND);
        long nanos = Math.floorMod(timestampNanos, NANOS_PER_SECOND);
        if (seconds < 0 || seconds > MAX_SECONDS) {
            throw new IllegalArgumentException("timestamp " + timestampNanos + " ns is outside what pcap can hold (1970 to 2106)");
        }
        int written = Math.min(capturedLength, snapLength);
        putInt32(recordHeader, 0, (int) seconds);
        putInt32(recordHeader, 4, (int) (nanosecond ? nanos : nanos / 1000));
        putInt32(recordHeader, 8, written);
        putInt32(recordHeader, 12, originalLength);
        out.write(recordHeader);
        out.write(frame, offset, written);
    }

    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    private static void putInt32(byte[] bytes, int offset, int value) {
        bytes[offset] = (byte) value;
        bytes[offset + 1] = (byte) (value >>> 8);
        bytes[offset + 2] = (byte) (value >>> 16);
        bytes[offset + 3] = (byte) (value >>> 24);
    }

    private static void putInt16(byte[] bytes, int offset, int value) {
        bytes[offset] = (byte) value;
        bytes[offset + 1] = (byte) (value >>> 8);
    }
}
