package dev.stacklab.dissect;

/**
 * Bytes as tshark dumps them ({@code tshark -x}, and undissected data under {@code -V}): per row of 16 bytes the
 * offset in hex (at least four digits), two spaces, each byte as two hex digits and a space, padding to the full
 * row, two spaces, then the row's bytes as ASCII with '.' where not printable:
 * <pre>
 * 0000  ff ff ff ff ff ff 0e 8e 5f d9 cf bb 08 06 00 01   ........_.......
 * </pre>
 * Shared by {@code stacklab decode} and the app's bytes pane, which also needs where each byte's text sits in its
 * row ({@link #hexColumn}, {@link #asciiColumn}) to highlight a field's bytes.
 */
public final class HexDump {
    public static final int BYTES_PER_ROW = 16;
    private static final int MIN_OFFSET_DIGITS = 4;

    private HexDump() {
    }

    /** The number of rows {@code length} bytes take. */
    public static int rowCount(int length) {
        return (length + BYTES_PER_ROW - 1) / BYTES_PER_ROW;
    }

    /** The whole dump of {@code bytes[offset, offset + length)}, every row ended by '\n'; offsets count from 0. */
    public static String of(byte[] bytes, int offset, int length) {
        StringBuilder out = new StringBuilder(rowCount(length) * 76);
        for (int row = 0; row < rowCount(length); row++) {
            appendRow(out, bytes, offset, length, row).append('\n');
        }
        return out.toString();
    }

    /** {@link #of(byte[], int, int)} over a tree's bytes (a frame, or a reassembled datagram). */
    public static String of(FrameTree.DataSource source, int offset, int length) {
        checkRange(source, offset, length);
        return of(source.bytes(), offset, length);
    }

    /** {@link #appendRow(StringBuilder, byte[], int, int, int)} over a tree's bytes (a frame, or a reassembled datagram). */
    public static StringBuilder appendRow(StringBuilder out, FrameTree.DataSource source, int offset, int length, int row) {
        checkRange(source, offset, length);
        return appendRow(out, source.bytes(), offset, length, row);
    }

    private static void checkRange(FrameTree.DataSource source, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > source.length()) {
            throw new IndexOutOfBoundsException("bytes " + offset + " to " + (offset + length) + " of the " + source.length()
                    + "-byte " + source.name());
        }
    }

    /**
     * Appends row {@code row} (without a line end) of the dump of {@code bytes[offset, offset + length)}; the row's
     * offset column counts from {@code offset}, i.e. the first row is {@code 0000}.
     */
    public static StringBuilder appendRow(StringBuilder out, byte[] bytes, int offset, int length, int row) {
        int rowStart = row * BYTES_PER_ROW;
        if (row < 0 || rowStart >= length) {
            throw new IndexOutOfBoundsException("row " + row + " of a " + length + "-byte dump");
        }
        String rowOffset = Integer.toHexString(rowStart);
        for (int i = rowOffset.length(); i < MIN_OFFSET_DIGITS; i++) {
            out.append('0');
        }
        out.append(rowOffset).append("  ");
        int count = Math.min(BYTES_PER_ROW, length - rowStart);
        for (int i = 0; i < BYTES_PER_ROW; i++) {
            if (i < count) {
                int octet = bytes[offset + rowStart + i] & 0xFF;
                out.append(Character.forDigit(octet >>> 4, 16)).append(Character.forDigit(octet & 0xF, 16)).append(' ');
            } else {
                out.append("   ");
            }
        }
        out.append("  ");
        for (int i = 0; i < count; i++) {
            int octet = bytes[offset + rowStart + i] & 0xFF;
            out.append(octet >= 0x20 && octet < 0x7F ? (char) octet : '.');
        }
        return out;
    }

    /** Where, in row {@code row}'s text, the first hex digit of the row's byte {@code indexInRow} (0 to 15) is. */
    public static int hexColumn(int row, int indexInRow) {
        return offsetDigits(row) + 2 + 3 * indexInRow;
    }

    /** Where, in row {@code row}'s text, the row's byte {@code indexInRow} (0 to 15) is shown as ASCII. */
    public static int asciiColumn(int row, int indexInRow) {
        return offsetDigits(row) + 2 + 3 * BYTES_PER_ROW + 2 + indexInRow;
    }

    private static int offsetDigits(int row) {
        return Math.max(MIN_OFFSET_DIGITS, Integer.toHexString(row * BYTES_PER_ROW).length());
    }
}
