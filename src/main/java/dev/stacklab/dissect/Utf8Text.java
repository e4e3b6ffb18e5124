package dev.stacklab.dissect;

/**
 * Text encoded as UTF-8 straight into one growable byte array: what a summary line is written into when it goes to a
 * byte stream (decode prints millions of them), so that no String is made for the line or its columns. Characters
 * are encoded as the JDK's UTF-8 encoder does, a lone surrogate included ('?').
 */
public final class Utf8Text {
    private byte[] bytes;
    private int length;
    /** Where a StringBuilder's characters are copied in one call, instead of read one {@code charAt} at a time. */
    private char[] chars = new char[256];

    public Utf8Text(int capacity) {
        bytes = new byte[Math.max(capacity, 16)];
    }

    /** The array the text is in, valid from 0 to {@link #length()}; a later append may replace it. */
    public byte[] bytes() {
        return bytes;
    }

    public int length() {
        return length;
    }

    /** Forgets the text, keeping the array. */
    public void clear() {
        length = 0;
    }

    /** Makes room for {@code count} more bytes. */
    public void ensureRoom(int count) {
        if (length + count > bytes.length) {
            byte[] larger = new byte[Math.max(bytes.length * 2, length + count)];
            System.arraycopy(bytes, 0, larger, 0, length);
            bytes = larger;
        }
    }

    /** An ASCII character. */
    public Utf8Text appendAscii(char c) {
        ensureRoom(1);
        bytes[length++] = (byte) c;
        return this;
    }

    /** Bytes that are UTF-8 already. */
    public Utf8Text appendUtf8(byte[] encoded) {
        ensureRoom(encoded.length);
        System.arraycopy(encoded, 0, bytes, length, encoded.length);
        length += encoded.length;
        return this;
    }

    /** {@code count} spaces. */
    public Utf8Text appendSpaces(int count) {
        if (count > 0) {
            ensureRoom(count);
            for (int i = 0; i < count; i++) {
                bytes[length++] = ' ';
            }
        }
        return this;
    }

    /** A whole number in decimal, as {@link Long#toString(long)} writes it. */
    public Utf8Text appendDecimal(long value) {
        if (value < 0) {
            if (value == Long.MIN_VALUE) {
                return append(Long.toString(value));
            }
            appendAscii('-');
            value = -value;
        }
        int digits = decimalDigits(value);
        ensureRoom(digits);
        int at = length + digits;
        do {
            bytes[--at] = (byte) ('0' + value % 10);
            value /= 10;
        } while (value != 0);
        length += digits;
        return this;
    }

    /** A number from 0 to 10^width - 1 in exactly {@code width} digits, with leading zeros. */
    public Utf8Text appendZeroPadded(long value, int width) {
        ensureRoom(width);
        for (int at = length + width - 1; at >= length; at--) {
            bytes[at] = (byte) ('0' + value % 10);
            value /= 10;
        }
        length += width;
        return this;
    }

    /** How many characters {@link #appendDecimal} writes for a value of zero or more. */
    public static int decimalDigits(long value) {
        int digits = 1;
        while (value >= 10) {
            value /= 10;
            digits++;
        }
        return digits;
    }

    /** Any text; ASCII (nearly every column) is copied byte for byte. */
    public Utf8Text append(String text) {
        int count = text.length();
        ensureRoom(count);
        byte[] out = bytes;
        int at = length;
        for (int i = 0; i < count; i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                length = at;
                text.getChars(i, count, chars(count - i), 0);
                return append(chars, 0, count - i);
            }
            out[at++] = (byte) c;
        }
        length = at;
        return this;
    }

    /** Any characters; a StringBuilder's are copied out in one call first. */
    public Utf8Text append(CharSequence text) {
        if (text instanceof String string) {
            return append(string);
        }
        int count = text.length();
        char[] source = chars(count);
        if (text instanceof StringBuilder builder) {
            builder.getChars(0, count, source, 0);
        } else {
            for (int i = 0; i < count; i++) {
                source[i] = text.charAt(i);
            }
        }
        return append(source, 0, count);
    }

    private char[] chars(int count) {
        if (chars.length < count) {
            chars = new char[Math.max(count, chars.length * 2)];
        }
        return chars;
    }

    /** The characters {@code source[from]} to {@code source[to - 1]}. */
    public Utf8Text append(char[] source, int from, int to) {
        // At most three bytes per char (a surrogate pair is two chars for four bytes).
        ensureRoom(3 * (to - from));
        byte[] out = bytes;
        int at = length;
        for (int i = from; i < to; i++) {
            char c = source[i];
            if (c < 0x80) {
                out[at++] = (byte) c;
            } else if (c < 0x800) {
                out[at++] = (byte) (0xC0 | c >> 6);
                out[at++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(source[i + 1])) {
                int codePoint = Character.toCodePoint(c, source[++i]);
                out[at++] = (byte) (0xF0 | codePoint >> 18);
                out[at++] = (byte) (0x80 | codePoint >> 12 & 0x3F);
                out[at++] = (byte) (0x80 | codePoint >> 6 & 0x3F);
                out[at++] = (byte) (0x80 | codePoint & 0x3F);
            } else if (Character.isSurrogate(c)) {
                // A lone surrogate is not a character; the JDK's encoders write '?' for it.
                out[at++] = '?';
            } else {
                out[at++] = (byte) (0xE0 | c >> 12);
                out[at++] = (byte) (0x80 | c >> 6 & 0x3F);
                out[at++] = (byte) (0x80 | c & 0x3F);
            }
        }
        length = at;
        return this;
    }
}
