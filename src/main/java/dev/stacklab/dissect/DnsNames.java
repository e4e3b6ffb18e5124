package dev.stacklab.dissect;

/**
 * Reads a domain name from a DNS message (RFC 1035 section 4.1.4), following compression pointers, as Wireshark
 * writes it: labels joined by dots, the root as {@code <Root>}, unprintable bytes escaped as {@code \ddd}.
 *
 * <p>Bounded whatever the bytes: a pointer must point before the label it replaces (RFC 1035: "a prior
 * occurrence"), so a chain of pointers can never come back to itself, and the name stops at 255 bytes of labels
 * (RFC 1035 section 2.3.4) however the message is built. Either limit ends the name with a problem to report.
 */
final class DnsNames {
    static final String ROOT = "<Root>";
    /** RFC 1035 section 2.3.4: a name is at most 255 octets on the wire. */
    static final int MAXIMUM_WIRE_LENGTH = 255;

    /** The result of one read, reused by the caller: one message's names are read one after another. */
    static final class Name {
        String text;
        /** Bytes the name takes where it starts (up to and with its first pointer). */
        int length;
        int labelCount;
        /** What was wrong with the name, or null. */
        String problem;
    }

    private DnsNames() {
    }

    /**
     * Reads the name at {@code offset} of the message that starts at {@code messageStart} and ends before
     * {@code messageEnd}, into {@code into}.
     */
    static Name read(byte[] data, int messageStart, int messageEnd, int offset, Name into) {
        StringBuilder text = new StringBuilder(32);
        into.problem = null;
        into.labelCount = 0;
        into.length = -1;
        int at = offset;
        int wireLength = 0;
        // Each pointer must point before the previous one's target (the first before itself), so the jumps end.
        int lowestJumpTarget = Integer.MAX_VALUE;
        while (true) {
            if (at >= messageEnd) {
                into.problem = "name runs past the end of the message";
                break;
            }
            int labelLength = data[at] & 0xFF;
            if (labelLength == 0) {
                if (into.length < 0) {
                    into.length = at + 1 - offset;
                }
                break;
            }
            if ((labelLength & 0xC0) == 0xC0) {
                if (at + 1 >= messageEnd) {
                    into.problem = "compression pointer runs past the end of the message";
                    break;
                }
                int target = messageStart + (((labelLength & 0x3F) << 8) | (data[at + 1] & 0xFF));
                if (into.length < 0) {
                    into.length = at + 2 - offset;
                }
                if (target >= Math.min(at, lowestJumpTarget)) {
                    into.problem = "compression pointer to offset " + (target - messageStart) + " does not point back (pointer loop)";
                    break;
                }
                lowestJumpTarget = target;
                at = target;
                continue;
            }
            if ((labelLength & 0xC0) != 0) {
                into.problem = "label type 0x" + Integer.toHexString(labelLength & 0xC0) + " is not supported";
                break;
            }
            wireLength += labelLength + 1;
            if (wireLength > MAXIMUM_WIRE_LENGTH) {
                into.problem = "name is longer than 255 bytes";
                break;
            }
            if (at + 1 + labelLength > messageEnd) {
                into.problem = "label runs past the end of the message";
                break;
            }
            if (text.length() > 0) {
                text.append('.');
            }
            appendLabel(text, data, at + 1, labelLength);
            into.labelCount++;
            at += 1 + labelLength;
        }
        if (into.length < 0) {
            // Unterminated: the name covers what was read of it before the first jump.
            into.length = Math.max(0, Math.min(at, messageEnd) - offset);
        }
        into.text = text.length() == 0 ? ROOT : text.toString();
        return into;
    }

    /** A label's bytes as Wireshark shows them: printable ASCII as is, a dot or backslash escaped, other bytes as \ddd. */
    private static void appendLabel(StringBuilder text, byte[] data, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            int b = data[i] & 0xFF;
            if (b == '.' || b == '\\') {
                text.append('\\').append((char) b);
            } else if (b >= 0x20 && b < 0x7F) {
                text.append((char) b);
            } else {
                text.append('\\').append((char) ('0' + b / 100)).append((char) ('0' + b / 10 % 10)).append((char) ('0' + b % 10));
            }
        }
    }
}
