package dev.stacklab.app.tcp.ladder;

import javafx.scene.paint.Color;

/** What {@link LadderPainter} draws with: the screen's canvas, or an SVG document being written. */
interface LadderPen {
    enum Align { LEFT, CENTER, RIGHT }

    void fillRect(double x, double y, double width, double height, Color colour);

    void line(double x1, double y1, double x2, double y2, Color colour, double width, boolean dashed);

    void triangle(double x1, double y1, double x2, double y2, double x3, double y3, Color colour);

    /** Text with its baseline at {@code y}. */
    void text(String text, double x, double y, Align align, Color colour, boolean bold);
}
