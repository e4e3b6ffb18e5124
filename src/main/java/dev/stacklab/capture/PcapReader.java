package dev.stacklab.capture;

import java.io.IOException;

/**
 * Classic pcap (draft-ietf-opsawg-pcap): a 24-byte file header, then per frame a 16-byte record
 * header and the captured bytes. The magic number says the byte order of every later field and
 * whether the fraction of a second is in microseconds or nanoseconds.
 */
final class PcapReader extends CaptureFileReader {
    static final int MAGIC_MICROSECONDS = 0xA1B2C3D4;
    static final int MAGIC_NANOSECONDS = 0xA1B23C4D;

    // File header layout (draft-ietf-opsawg-pcap section 4).
    private static final int MAGIC = 0;
    private static final int MAJOR_VERSION = 4;
    private static final int MINOR_VERSION = 6;
    private static final int RESERVED_1 = 8;
    private static final int RESERVED_2 = 12;
    /** Informational only: frames are held to {@link CaptureReader#MAX_CAPTURED_LENGTH}, since writers get it wrong. */
    private static final int SNAP_LENGTH = 16;
    private static final int LINK_TYPE_AND_FCS = 20;
    static final int FILE_HEADER_LENGTH = 24;

    // Record header layout (section 5).
    private static final int TIMESTAMP_SECONDS = 0;
    private static final int TIMESTAMP_FRACTION = 4;
    private static final int CAPTURED_LENGTH = 8;
    private static final int ORIGINAL_LENGTH = 12;
    static final int RECORD_HEADER_LENGTH = 16;

    /** The link type is the low 16 bits; above them the field may carry FCS information (section 8.2). */
    private static final int LINK_TYPE_MASK = 0xFFFF;

    private final boolean bigEndian;
    private final long nanosPerFractionUnit;
    private final int timestampPrecision;
    private final int linkType;
    private final String format;

    private boolean ended;

    static boolean isMagic(int magicReadBigEndian) {
        return magicReadBigEndian == MAGIC_MICROSECONDS || magicReadBigEndian == MAGIC_NANOSECONDS
                || magicReadBigEndian == Integer.reverseBytes(MAGIC_MICROSECONDS)
                || magicReadBigEndian == Integer.reverseBytes(MAGIC_NANOSECONDS);
    }

    PcapReader(CaptureInput input) throws IOException {
        super(input);
        if (!input.request(FILE_HEADER_LENGTH)) {
            throw new CaptureFormatException(0, "truncated pcap file header: " + input.available() + " of "
                    + FILE_HEADER_LENGTH + " bytes");
        }
        int magic = input.int32(MAGIC, true);
        bigEndian = magic == MAGIC_MICROSECONDS || magic == MAGIC_NANOSECONDS;
        boolean nanosecond = input.int32(MAGIC, bigEndian) == MAGIC_NANOSECONDS;
        nanosPerFractionUnit = nanosecond ? 1 : 1000;
        timestampPrecision = nanosecond ? 9 : 6;
        int majorVersion = input.uint16(MAJOR_VERSION, bigEndian);
        int minorVersion = input.uint16(MINOR_VERSION, bigEndian);
        // libpcap and Wireshark refuse versions before 2 ("archaic"); 2.4 is what everybody writes.
        if (majorVersion < 2) {
            throw new CaptureFormatException(MAJOR_VERSION, "unsupported pcap version " + majorVersion + "." + minorVersion);
        }
        linkType = input.int32(LINK_TYPE_AND_FCS, bigEndian) & LINK_TYPE_MASK;
        format = "pcap (" + (nanosecond ? "nanosecond" : "microsecond") + ", "
                + (bigEndian ? "big-endian" : "little-endian") + ")";
        input.advance(FILE_HEADER_LENGTH);
    }

    @Override
    public boolean next() throws IOException {
        if (failure != null) {
            throw failure;
        }
        if (ended) {
            return false;
        }
        long recordOffset = input.offset();
        if (!input.request(RECORD_HEADER_LENGTH)) {
            int left = input.available();
            if (left == 0) {
                ended = true;
                return false;
            }
            throw fail(recordOffset, "truncated record header: the file ends " + left + " bytes into the "
                    + RECORD_HEADER_LENGTH + "-byte header");
        }
        long seconds = input.uint32(TIMESTAMP_SECONDS, bigEndian);
        long fraction = input.uint32(TIMESTAMP_FRACTION, bigEndian);
        long captured = input.uint32(CAPTURED_LENGTH, bigEndian);
        long original = input.uint32(ORIGINAL_LENGTH, bigEndian);
        if (captured > MAX_CAPTURED_LENGTH) {
            throw fail(recordOffset + CAPTURED_LENGTH, "record claims " + captured
                    + " captured bytes, more than the maximum of " + MAX_CAPTURED_LENGTH);
        }
        input.advance(RECORD_HEADER_LENGTH);
        int length = (int) captured;
        int copied = input.read(frame.forLength(length), 0, length);
        if (copied < length) {
            throw fail(recordOffset, "truncated frame: the record header says " + length
                    + " captured bytes but the file ends after " + copied);
        }
        capturedLength = length;
        originalLength = (int) Math.min(original, Integer.MAX_VALUE);
        timestampNanos = seconds * 1_000_000_000L + fraction * nanosPerFractionUnit;
        return true;
    }

    @Override
    public int timestampPrecision() {
        return timestampPrecision;
    }

    @Override
    public int linkType() {
        return linkType;
    }

    @Override
    public String format() {
        return format;
    }
}
