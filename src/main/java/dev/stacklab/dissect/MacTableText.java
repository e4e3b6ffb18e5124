package dev.stacklab.dissect;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The text of a Wireshark {@code manuf} or {@code wka} file, read in place: one entry per line, an address or prefix
 * ({@code 00:1B:21}, {@code 01-00-5E/25}, {@code 00:55:DA:00:00:00/28}), whitespace, the short name, then an optional
 * long name; {@code #} starts a comment. Lines that are not entries are skipped, as tshark skips them.
 *
 * <p>An entry's key packs the prefix and its length into one long, {@code bits << 6 | length}, where {@code bits} is
 * the prefix padded with zeros to 48 bits and {@code length} is the prefix length (the number of bytes given, times
 * eight, when there is no {@code /N}). Ordering keys orders entries as Wireshark's files are ordered.
 */
final class MacTableText {
    /** What {@link #keyAt} returns for a line that is not an entry. */
    static final long NOT_AN_ENTRY = -1;

    private final ByteBuffer text;

    /** {@code text} from position 0 to its limit; only absolute reads are made, so threads may share it. */
    MacTableText(ByteBuffer text) {
        this.text = text;
    }

    int size() {
        return text.limit();
    }

    static long key(long bits, int length) {
        return bits << 6 | length;
    }

    static long bits(long key) {
        return key >>> 6;
    }

    static int length(long key) {
        return (int) (key & 0x3F);
    }

    /** The start of the first line that starts at or after {@code position} ({@link #size()} if none). */
    int lineStartAtOrAfter(int position) {
        if (position == 0 || text.get(position - 1) == '\n') {
            return position;
        }
        return nextLine(position);
    }

    /** The start of the line after the one {@code position} is in ({@link #size()} if none). */
    int nextLine(int position) {
        int size = text.limit();
        while (position < size && text.get(position) != '\n') {
            position++;
        }
        return Math.min(position + 1, size);
    }

    /** The key of the entry on the line starting at {@code lineStart}, or {@link #NOT_AN_ENTRY}. */
    long keyAt(int lineStart) {
        int size = text.limit();
        int at = skipBlanks(lineStart);
        long bits = 0;
        int octets = 0;
        int octet = 0;
        int digits = 0;
        while (at < size) {
            byte c = text.get(at);
            int digit = hexDigit(c);
            if (digit >= 0) {
                if (++digits > 2) {
                    return NOT_AN_ENTRY;
                }
                octet = octet << 4 | digit;
            } else if (c == ':' || c == '-' || c == '.') {
                if (digits == 0 || octets == 5) {
                    return NOT_AN_ENTRY;
                }
                bits = bits << 8 | octet;
                octets++;
                octet = 0;
                digits = 0;
            } else {
                break;
            }
            at++;
        }
        if (digits == 0) {
            // Empty, or ending on a separator ("00:1B:").
            return NOT_AN_ENTRY;
        }
        bits = bits << 8 | octet;
        octets++;
        int length = octets * 8;
        if (at < size && text.get(at) == '/') {
            at++;
            length = 0;
            int lengthDigits = 0;
            while (at < size && lengthDigits < 3 && text.get(at) >= '0' && text.get(at) <= '9') {
                length = length * 10 + text.get(at) - '0';
                lengthDigits++;
                at++;
            }
            if (lengthDigits == 0 || length < 1 || length > 48) {
                return NOT_AN_ENTRY;
            }
        }
        if (!isBlank(at) || nameStart(at) < 0) {
            return NOT_AN_ENTRY;
        }
        return key(bits << (8 * (6 - octets)), length);
    }

    private static int hexDigit(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return -1;
    }

    /** The short name of the entry on the line starting at {@code lineStart} (which {@link #keyAt} accepted). */
    String nameAt(int lineStart) {
        int at = skipBlanks(lineStart);
        while (at < text.limit() && !isBlank(at)) {
            at++;
        }
        int start = nameStart(at);
        int end = start;
        while (end < text.limit() && !isBlank(end) && text.get(end) != '#') {
            end++;
        }
        byte[] name = new byte[end - start];
        text.get(start, name);
        return new String(name, StandardCharsets.UTF_8);
    }

    /** Where the name starts after the address that ends at {@code at}: -1 when the line has none. */
    private int nameStart(int at) {
        at = skipBlanks(at);
        if (at >= text.limit()) {
            return -1;
        }
        byte c = text.get(at);
        return c == '\n' || c == '\r' || c == '#' ? -1 : at;
    }

    private int skipBlanks(int at) {
        while (at < text.limit() && (text.get(at) == ' ' || text.get(at) == '\t')) {
            at++;
        }
        return at;
    }

    /** A space or tab, or the end of the line. */
    private boolean isBlank(int at) {
        if (at >= text.limit()) {
            return true;
        }
        byte c = text.get(at);
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }
}
