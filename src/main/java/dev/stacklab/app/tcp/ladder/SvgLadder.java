package dev.stacklab.app.tcp.ladder;

import javafx.scene.paint.Color;

import java.util.List;
import java.util.Locale;

/** The ladder as an SVG document (hand-written: lines, polygons and text), for a report or a slide. */
final class SvgLadder implements LadderPen {
    private final StringBuilder svg = new StringBuilder();

    /** The whole ladder of {@code trace}'s segments from {@code first} to {@code last} (exclusive). */
    static String of(ConnectionTrace trace, int first, int last, LadderPalette palette) {
        double width = LadderPainter.preferredWidth();
        double height = LadderPainter.HEADER_HEIGHT + (last - first) * LadderPainter.ROW_HEIGHT + 10;
        SvgLadder pen = new SvgLadder();
        pen.svg.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\""
                        + " font-family=\"DejaVu Sans Mono, Menlo, Consolas, monospace\" font-size=\"11.5\">%n",
                width, height, width, height, width, height));
        pen.svg.append("<title>TCP ladder: ").append(escape(trace.ends().toString())).append("</title>\n");
        List<LadderSegment> segments = trace.segments();
        LadderPainter.paint(pen, palette, width, height, trace.ends(), trace.firstTimeNanos(), segments, first, last,
                LadderPainter.HEADER_HEIGHT, -1);
        pen.svg.append("</svg>\n");
        return pen.svg.toString();
    }

    @Override
    public void fillRect(double x, double y, double width, double height, Color colour) {
        svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>%n",
                x, y, width, height, LadderPalette.hex(colour)));
    }

    @Override
    public void line(double x1, double y1, double x2, double y2, Color colour, double width, boolean dashed) {
        svg.append(String.format(Locale.ROOT,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%.1f\"%s/>%n",
                x1, y1, x2, y2, LadderPalette.hex(colour), width, dashed ? " stroke-dasharray=\"6 4\"" : ""));
    }

    @Override
    public void triangle(double x1, double y1, double x2, double y2, double x3, double y3, Color colour) {
        svg.append(String.format(Locale.ROOT, "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f\" fill=\"%s\"/>%n",
                x1, y1, x2, y2, x3, y3, LadderPalette.hex(colour)));
    }

    @Override
    public void text(String text, double x, double y, Align align, Color colour, boolean bold) {
        String anchor = switch (align) {
            case LEFT -> "start";
            case CENTER -> "middle";
            case RIGHT -> "end";
        };
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" fill=\"%s\"%s>%s</text>%n",
                x, y, anchor, LadderPalette.hex(colour), bold ? " font-weight=\"bold\"" : "", escape(text)));
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
