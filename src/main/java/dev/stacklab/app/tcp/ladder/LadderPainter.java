package dev.stacklab.app.tcp.ladder;

import dev.stacklab.app.tcp.ladder.LadderPen.Align;
import javafx.scene.paint.Color;

import java.util.List;

/**
 * Draws the ladder: a header naming the two ends, one vertical line per end, and one row per segment with its
 * arrow from the sender's line to the receiver's, labelled as Wireshark's Info column, its time and frame number on
 * the left and its marks on the right in their colours. A lost segment's arrow stops halfway at a cross. Only the
 * rows asked for are drawn, so the screen draws what is visible whatever the length of the connection.
 */
final class LadderPainter {
    static final double ROW_HEIGHT = 30;
    static final double HEADER_HEIGHT = 46;
    static final double TIME_WIDTH = 118;
    static final double MARK_WIDTH = 190;
    /** The room between the two lines in a wide view: the longest label ("[FIN, PSH, ACK] Seq=... Len=1448") fits. */
    static final double MIN_SPAN = 440;
    /** Beside each line, for the end's address above it. */
    private static final double END_LABEL_ROOM = 64;
    private static final double ARROW_HEAD = 8;

    private LadderPainter() {
    }

    /** The width that shows every part without squeezing, the marks in a column of their own. */
    static double preferredWidth() {
        return TIME_WIDTH + END_LABEL_ROOM + MIN_SPAN + 20 + MARK_WIDTH;
    }

    /**
     * The narrowest drawing (the tool pane beside the capture is about this wide): the marks go under the time, and
     * a long label may reach past the lines into the room kept for the ends' addresses.
     */
    static double compactWidth() {
        return TIME_WIDTH + 2 * END_LABEL_ROOM + 260;
    }

    /** Whether a drawing this wide has the marks column. */
    static boolean wide(double width) {
        return width >= preferredWidth();
    }

    static double lineA(double width) {
        return TIME_WIDTH + END_LABEL_ROOM;
    }

    static double lineB(double width) {
        return wide(width) ? width - MARK_WIDTH - 20 : Math.max(lineA(width) + 260, width - END_LABEL_ROOM);
    }

    /**
     * Draws rows {@code first} to {@code last} (exclusive) of {@code segments}, row {@code first} at {@code top}, and
     * the header at the top of the drawing ({@code y = 0}) over them.
     *
     * @param selected the index of the segment to highlight, or -1
     */
    static void paint(LadderPen pen, LadderPalette palette, double width, double height, ConnectionTrace.Ends ends,
                      long startNanos, List<LadderSegment> segments, int first, int last, double top, int selected) {
        double lineA = lineA(width);
        double lineB = lineB(width);
        pen.fillRect(0, 0, width, height, palette.background());
        if (selected >= first && selected < last) {
            pen.fillRect(0, top + (selected - first) * ROW_HEIGHT, width, ROW_HEIGHT, palette.selection());
        }
        pen.line(lineA, HEADER_HEIGHT, lineA, height, palette.line(), 2, false);
        pen.line(lineB, HEADER_HEIGHT, lineB, height, palette.line(), 2, false);
        for (int i = first; i < last; i++) {
            row(pen, palette, segments.get(i), startNanos, top + (i - first) * ROW_HEIGHT, lineA, lineB, wide(width));
        }
        header(pen, palette, width, ends, lineA, lineB);
    }

    private static void header(LadderPen pen, LadderPalette palette, double width, ConnectionTrace.Ends ends, double lineA,
                               double lineB) {
        pen.fillRect(0, 0, width, HEADER_HEIGHT, palette.background());
        pen.line(0, HEADER_HEIGHT - 1, width, HEADER_HEIGHT - 1, palette.line(), 1, false);
        pen.text("No.   Time (s)", TIME_WIDTH - 8, 36, Align.RIGHT, palette.muted(), false);
        if (ends != null) {
            pen.text(ends.endA(), lineA, 18, Align.CENTER, palette.text(), true);
            pen.text("A (opened it)", lineA, 36, Align.CENTER, palette.muted(), false);
            pen.text(ends.endB(), lineB, 18, Align.CENTER, palette.text(), true);
            pen.text("B", lineB, 36, Align.CENTER, palette.muted(), false);
        }
        if (wide(width)) {
            pen.text("Marks", lineB + 16, 36, Align.LEFT, palette.muted(), false);
        }
    }

    private static void row(LadderPen pen, LadderPalette palette, LadderSegment segment, long startNanos, double y,
                            double lineA, double lineB, boolean marksColumn) {
        boolean marked = segment.marks() != 0;
        Color colour = palette.arrowColour(segment);
        if (marksColumn || !marked) {
            pen.text(segment.frameNumber() + "  " + segment.time(startNanos), TIME_WIDTH - 8, y + 21, Align.RIGHT,
                    palette.muted(), false);
        } else {
            pen.text(segment.frameNumber() + "  " + segment.time(startNanos), TIME_WIDTH - 8, y + 13, Align.RIGHT,
                    palette.muted(), false);
            pen.text(segment.markText(), TIME_WIDTH - 8, y + 27, Align.RIGHT, colour, true);
        }
        boolean lost = segment.has(LadderMark.LOST);
        double fromX = segment.fromA() ? lineA : lineB;
        double toX = segment.fromA() ? lineB : lineA;
        double fromY = y + 16;
        double toY = y + 25;
        if (lost) {
            double endX = fromX + (toX - fromX) * 0.62;
            double endY = fromY + (toY - fromY) * 0.62;
            pen.line(fromX, fromY, endX, endY, colour, 1.6, true);
            pen.line(endX - 5, endY - 5, endX + 5, endY + 5, colour, 2, false);
            pen.line(endX - 5, endY + 5, endX + 5, endY - 5, colour, 2, false);
        } else {
            double direction = Math.signum(toX - fromX);
            double slope = (toY - fromY) / Math.abs(toX - fromX);
            pen.line(fromX, fromY, toX - direction * ARROW_HEAD, toY - slope * ARROW_HEAD, colour, 1.6, false);
            pen.triangle(toX, toY, toX - direction * ARROW_HEAD, toY - slope * ARROW_HEAD - 4,
                    toX - direction * ARROW_HEAD, toY - slope * ARROW_HEAD + 4, colour);
        }
        pen.text(segment.label(), (lineA + lineB) / 2, y + 12, Align.CENTER, marked ? colour : palette.text(), false);
        if (marked && marksColumn) {
            pen.text(segment.markText(), lineB + 16, y + 21, Align.LEFT, colour, true);
        }
    }
}
