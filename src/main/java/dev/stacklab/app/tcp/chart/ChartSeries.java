package dev.stacklab.app.tcp.chart;

/**
 * One series of a {@link TimeChart}: its points, how they are drawn, its name in the legend and the swatch (style
 * class in {@code ladder.css}) that gives its colour.
 */
public record ChartSeries(String name, Style style, String colourClass, BoundedSeries points) {
    public enum Style {
        /** A line from point to point. */
        LINE,
        /** A value that holds until the next one (a window, an acknowledgment). */
        STEP,
        /** A vertical bar from y to top at each x (a segment's sequence numbers, tcptrace's "I"), flagged ones in red. */
        BARS
    }
}
