package dev.stacklab.app.capture;

import dev.stacklab.dissect.StreamFollower;
import dev.stacklab.dissect.StreamFollower.Chunk;
import dev.stacklab.dissect.StreamFollower.Followed;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Follow TCP/UDP Stream window's state, as Wireshark's dialog: the conversation's data as text lines coloured by
 * who sent them, for both directions or one, shown as ASCII, a hex dump, UTF-8 or raw hex; the packet and turn
 * counts; the filters that show or hide the stream. Plain Java: tested without an FX thread.
 *
 * <p>The lines are bounded ({@link #MAX_LINES}): a stream of hundreds of megabytes shows its beginning and says how
 * much more there is, and "Save as…" writes all of it.
 */
public final class FollowStreamViewModel {
    /** Lines shown at most; the rest is counted in a last line. */
    static final int MAX_LINES = 200_000;
    private static final int HEX_ROW = 16;
    private static final int RAW_ROW = 32;

    /** How the bytes are shown (Wireshark's "Show data as"). */
    public enum Show {
        ASCII("ASCII"), HEX_DUMP("Hex Dump"), UTF8("UTF-8"), RAW("Raw");

        private final String label;

        Show(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /**
     * One line of the shown text: from the server (node 1) or the client, and the frame it came from, which a click
     * selects in the capture.
     */
    public record Line(String text, boolean fromServer, int frameNumber) {
    }

    private final Followed followed;
    private final ObservableList<Line> lines = FXCollections.observableArrayList();
    private final ObjectProperty<Show> show = new SimpleObjectProperty<>(Show.ASCII);
    /** 0: the entire conversation; 1: the client's bytes only; 2: the server's. */
    private final IntegerProperty direction = new SimpleIntegerProperty(0);
    /** Offsets of the hex dump, counted per direction as Wireshark counts them; from 0 at each rendering. */
    private long[] hexOffsets = new long[2];

    public FollowStreamViewModel(Followed followed) {
        this.followed = followed;
        show.addListener((property, old, now) -> rebuild());
        direction.addListener((property, old, now) -> rebuild());
        rebuild();
    }

    public ObservableList<Line> lines() {
        return lines;
    }

    public ObjectProperty<Show> showProperty() {
        return show;
    }

    public IntegerProperty directionProperty() {
        return direction;
    }

    /** The window's title, e.g. "Follow TCP Stream (tcp.stream eq 0)". */
    public String title() {
        return "Follow " + followed.protocol().name() + " Stream (" + filter() + ")";
    }

    /** The filter that shows only this stream (applied to the packet list when the window opens). */
    public String filter() {
        return followed.protocol().filter(followed.stream());
    }

    /** The filter that hides this stream ("Filter Out This Stream"). */
    public String filterOut() {
        return "!(" + filter() + ")";
    }

    /** The direction chooser's entries, with byte counts, as Wireshark words them. */
    public List<String> directions() {
        long client = followed.bytes(false);
        long server = followed.bytes(true);
        List<String> choices = new ArrayList<>();
        choices.add("Entire conversation (" + bytes(client + server) + ")");
        if (followed.client() != null) {
            choices.add(followed.client() + " → " + followed.server() + " (" + bytes(client) + ")");
            choices.add(followed.server() + " → " + followed.client() + " (" + bytes(server) + ")");
        }
        return choices;
    }

    /** "2 client pkts, 3 server pkts, 1 turn. …" as Wireshark counts them (or why there is nothing to show). */
    public String summary() {
        if (followed.chunks().isEmpty()) {
            return "No " + followed.protocol().name() + " payload in " + filter() + " among the frames held.";
        }
        int client = followed.frames(false);
        int server = followed.frames(true);
        int turns = followed.turns();
        return client + " client " + plural(client, "pkt") + ", " + server + " server " + plural(server, "pkt") + ", " + turns + " "
                + plural(turns, "turn") + ". Click a line to select its frame in the packet list.";
    }

    /** What "Save as…" writes: the raw bytes shown in Raw mode, else the text as shown (lines ending in LF). */
    public byte[] contentToSave() {
        if (show.get() == Show.RAW) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (Chunk chunk : chunks()) {
                out.writeBytes(chunk.data());
            }
            return out.toByteArray();
        }
        hexOffsets = new long[2];
        StringBuilder text = new StringBuilder();
        for (Chunk chunk : chunks()) {
            appendLines(chunk, Integer.MAX_VALUE, (line, server, frame) -> text.append(line).append('\n'));
        }
        return text.toString().getBytes(show.get() == Show.UTF8 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    }

    /** The chunks of the chosen direction. */
    private List<Chunk> chunks() {
        int chosen = direction.get();
        if (chosen == 0) {
            return followed.chunks();
        }
        List<Chunk> one = new ArrayList<>();
        for (Chunk chunk : followed.chunks()) {
            if (chunk.fromServer() == (chosen == 2)) {
                one.add(chunk);
            }
        }
        return one;
    }

    private void rebuild() {
        hexOffsets = new long[2];
        List<Line> built = new ArrayList<>();
        long notShown = 0;
        for (Chunk chunk : chunks()) {
            if (built.size() >= MAX_LINES) {
                notShown += chunk.data().length;
                continue;
            }
            appendLines(chunk, MAX_LINES - built.size(), (line, server, frame) -> built.add(new Line(line, server, frame)));
        }
        if (notShown > 0) {
            built.add(new Line("… " + bytes(notShown) + " more, not shown here (Save as… writes all of it)", false, -1));
        }
        lines.setAll(built);
    }

    private interface LineSink {
        void line(String text, boolean fromServer, int frameNumber);
    }

    /** Turns one chunk into lines in the chosen format: at most {@code room} of them. */
    private void appendLines(Chunk chunk, int room, LineSink sink) {
        byte[] data = chunk.data();
        boolean server = chunk.fromServer();
        int frame = chunk.frameNumber();
        switch (show.get()) {
            case ASCII -> splitLines(StreamFollower.printable(data), room, server, frame, sink);
            case UTF8 -> splitLines(utf8(data), room, server, frame, sink);
            case HEX_DUMP -> {
                int side = server ? 1 : 0;
                // The server's rows are indented, as in Wireshark's hex dump.
                String indent = server ? "    " : "";
                for (int row = 0; row < data.length && room-- > 0; row += HEX_ROW) {
                    sink.line(indent + hexRow(data, row, hexOffsets[side] + row), server, frame);
                }
                hexOffsets[side] += data.length;
            }
            case RAW -> {
                for (int row = 0; row < data.length && room-- > 0; row += RAW_ROW) {
                    StringBuilder hex = new StringBuilder(RAW_ROW * 2);
                    for (int i = row; i < Math.min(data.length, row + RAW_ROW); i++) {
                        hex.append(String.format(Locale.ROOT, "%02x", data[i] & 0xFF));
                    }
                    sink.line(hex.toString(), server, frame);
                }
            }
        }
    }

    /** Lines at LF; a CR before it belongs to the line break (the text shows no CR). */
    private static void splitLines(String text, int room, boolean server, int frame, LineSink sink) {
        int start = 0;
        int shown = 0;
        while (start <= text.length() && shown < room) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                if (start < text.length()) {
                    sink.line(text.substring(start).replace("\r", ""), server, frame);
                }
                return;
            }
            sink.line(text.substring(start, end).replace("\r", ""), server, frame);
            shown++;
            start = end + 1;
        }
    }

    /** UTF-8 text, with control characters other than CR and LF shown as "." (a tab as spaces). */
    private static String utf8(byte[] data) {
        String decoded = new String(data, StandardCharsets.UTF_8);
        StringBuilder text = new StringBuilder(decoded.length());
        for (int i = 0; i < decoded.length(); i++) {
            char c = decoded.charAt(i);
            text.append(c == '\t' ? "    " : c == '\r' || c == '\n' || !Character.isISOControl(c) ? String.valueOf(c) : ".");
        }
        return text.toString();
    }

    /** "00000010  48 54 54 50 2f 31 2e 30  20 32 30 30 20 4f 4b 0d  HTTP/1.0 200 OK." */
    private static String hexRow(byte[] data, int from, long offset) {
        StringBuilder row = new StringBuilder(80);
        row.append(String.format(Locale.ROOT, "%08X  ", offset));
        int end = Math.min(data.length, from + HEX_ROW);
        for (int i = from; i < from + HEX_ROW; i++) {
            row.append(i < end ? String.format(Locale.ROOT, "%02x ", data[i] & 0xFF) : "   ");
            if (i == from + HEX_ROW / 2 - 1) {
                row.append(' ');
            }
        }
        row.append(' ');
        for (int i = from; i < end; i++) {
            int b = data[i] & 0xFF;
            row.append(b >= 0x20 && b < 0x7F ? (char) b : '.');
        }
        return row.toString();
    }

    private static String bytes(long count) {
        return String.format(Locale.ROOT, "%,d", count) + (count == 1 ? " byte" : " bytes");
    }

    private static String plural(int count, String word) {
        return count == 1 ? word : word + "s";
    }
}
