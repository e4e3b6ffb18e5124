package dev.stacklab.dissect;

/**
 * Text from the wire as Wireshark shows it (format_text): printable characters as they are, control characters as C
 * escapes ({@code \r}, {@code \n}, {@code \t}, ...) or three octal digits, so a line of a text protocol stays one line.
 */
final class WiresharkText {
    private WiresharkText() {
    }

    static String format(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean printable = c >= 0x20 && c < 0x7F || c >= 0xA0;
            if (printable) {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            out.append('\\');
            switch (c) {
                case 0x07 -> out.append('a');
                case '\b' -> out.append('b');
                case '\f' -> out.append('f');
                case '\n' -> out.append('n');
                case '\r' -> out.append('r');
                case '\t' -> out.append('t');
                case 0x0B -> out.append('v');
                default -> out.append((char) ('0' + ((c >> 6) & 3))).append((char) ('0' + ((c >> 3) & 7))).append((char) ('0' + (c & 7)));
            }
        }
        return out == null ? text : out.toString();
    }
}
