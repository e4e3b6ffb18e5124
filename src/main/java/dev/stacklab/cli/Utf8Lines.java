package dev.stacklab.cli;

import dev.stacklab.dissect.Utf8Text;

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
    private final Utf8Text buffer = new Utf8Text(FLUSH_AT + 1024);
    /** Set by the thread that writes (decode's summary line thread), read by the one that decodes. */
    private volatile IOException failure;

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
        buffer.append(text);
        endLine();
    }

    /** Where the next line is written in place (then {@link #endLine()}), for a writer of UTF-8 such as a summary line. */
    Utf8Text text() {
        return buffer;
    }

    /** Ends the line written into {@link #text()}. */
    void endLine() {
        buffer.appendAscii('\n');
        if (buffer.length() >= FLUSH_AT) {
            flush();
        }
    }

    /** Hands every buffered line to the sink; after the sink has failed once, lines are dropped. */
    void flush() {
        if (buffer.length() > 0 && failure == null) {
            try {
                sink.write(buffer.bytes(), buffer.length());
            } catch (IOException e) {
                failure = e;
            }
        }
        buffer.clear();
    }

    /** Why the output could not be written (a closed pipe, a full disk), or null while it can. */
    IOException failure() {
        return failure;
    }
}
