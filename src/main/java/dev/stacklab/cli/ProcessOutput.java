package dev.stacklab.cli;

import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * The process's standard output: a UTF-8 PrintWriter that flushes on println, as every command prints, and also
 * the stream under it, for a command that encodes its own lines (decode writes millions of lines, and going through
 * the writer's encoder cost it more than dissecting the frames).
 */
final class ProcessOutput extends PrintWriter {
    private final OutputStream stream;

    ProcessOutput(OutputStream stream) {
        super(new OutputStreamWriter(stream, StandardCharsets.UTF_8), true);
        this.stream = stream;
    }

    /** The stream under the writer, after what was printed before is flushed into it. */
    OutputStream stream() {
        flush();
        return stream;
    }
}
