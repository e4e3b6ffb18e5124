package dev.stacklab.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * Lines of text encoded as UTF-8 straight into one large byte buffer, written out when it fills: what decode prints
 * a million lines a second through. A PrintWriter over a StringBuilder copies each line three times and falls to its
 * encoder's slow path at the first non-ASCII character ("→" is on every summary line); this copies each character
 * once. Only whole lines are handed on, so a character is never split between two writes.
 */
final class Utf8Lines {
    private static final int FLUSH_AT = 1 << 16;

    /** Where full buffers go. */
    interface Sink {
        void write(byte[] bytes, int length) throws IOException;
    }

    private final Sink sink;
    private byte[] buffer = new byte[FLUSH_AT + 1024];
    private int length;
    private IOException failure;

    Utf8Lines(Sink sink) {
        this.sink = sink;
    }

    /** Bytes for the process's standard output (through {@link ProcessOutput}), characters for any other writer. */
    static Utf8Lines to(PrintWriter out) {
        if (out instanceof ProcessOutput process) {
            OutputStream stream = process.stream();
            return new Utf8Lines((bytes, length) -> stream.write(bytes, 0, length));
        }
        return new Utf8Lines((bytes, length) -> {
            out.write(new String(bytes, 0, length, StandardCharsets.UTF_8));
            out.flush();
        });
    }

    /** Appends {@code text} and a line end. */
    void line(CharSequence text) {
        int count = text.length();
        // At most three bytes per char (a surrogate pair is two chars for four bytes), and the line end.
        ensureRoom(3 * count + 1);
        byte[] bytes = buffer;
        int at = length;
        for (int i = 0; i < count; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes[at++] = (byte) c;
            } else if (c < 0x800) {
                bytes[at++] = (byte) (0xC0 | c >> 6);
                bytes[at++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c) && i + 1 < count && Character.isLowSurrogate(text.charAt(i + 1))) {
                int codePoint = Character.toCodePoint(c, text.charAt(++i));
                bytes[at++] = (byte) (0xF0 | codePoint >> 18);
                bytes[at++] = (byte) (0x80 | codePoint >> 12 & 0x3F);
                bytes[at++] = (byte) (0x80 | codePoint >> 6 & 0x3F);
                bytes[at++] = (byte) (0x80 | codePoint & 0x3F);
            } else if (Character.isSurrogate(c)) {
                // A lone surrogate is not a character; the JDK's encoders write '?' for it.
                bytes[at++] = '?';
            } else {
                bytes[at++] = (byte) (0xE0 | c >> 12);
                bytes[at++] = (byte) (0x80 | c >> 6 & 0x3F);
                bytes[at++] = (byte) (0x80 | c & 0x3F);
            }
        }
        bytes[at++] = '\n';
        length = at;
        if (length >= FLUSH_AT) {
            flush();
        }
    }

    /** Hands every buffered line to the sink; after the sink has failed once, lines are dropped. */
    void flush() {
        if (length > 0 && failure == null) {
            try {
                sink.write(buffer, length);
            } catch (IOException e) {
                failure = e;
            }
        }
        length = 0;
    }

    /** Why the output could not be written (a closed pipe, a full disk), or null while it can. */
    IOException failure() {
        return failure;
    }

    private void ensureRoom(int bytes) {
        if (length + bytes > buffer.length) {
            flush();
            if (bytes > buffer.length) {
                buffer = new byte[bytes];
            }
        }
    }
}
