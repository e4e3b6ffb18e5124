package dev.stacklab.app.tcp.chart;

import dev.stacklab.app.tcp.ladder.Swatches;
import javafx.application.Platform;
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.layout.Pane;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.TextAlignment;

import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * A chart of values over time on a canvas: labelled axes with round ticks (seconds across; bytes up, as KiB or MiB),
 * a legend, the series as lines, steps or bars. It redraws at most once per pulse however often it is told the data
 * changed, so a bulk transfer's thousands of points a second cost one drawing a frame. Colours come from the theme
 * through {@link Swatches}.
 */
public final class TimeChart extends Pane {
    private static final Font FONT = Font.font("System", 11);
    private static final Font TITLE = Font.font("System", FontWeight.BOLD, 12);
    private static final double LEFT = 74;
    private static final double RIGHT = 14;
    private static final double TOP = 56;
    /** Below this height the title, legend and the y axis's name share one line. */
    private static final double COMPACT_BELOW = 190;
    private static final double BOTTOM = 38;

    private final Canvas canvas = new Canvas();
    private final Swatches swatches = new Swatches(this);
    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final Supplier<List<ChartSeries>> series;
    private final Supplier<String> emptyText;
    private boolean redrawQueued;

    /**
     * @param series    what to draw (asked at each drawing: the list may change)
     * @param emptyText what to say while there is nothing to draw
     */
    public TimeChart(String title, String xLabel, String yLabel, Supplier<List<ChartSeries>> series,
                     Supplier<String> emptyText) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.series = series;
        this.emptyText = emptyText;
        getChildren().add(canvas);
        setMinSize(200, 120);
        setPrefSize(560, 240);
    }

    /** The data changed: draws again on the next pulse (once, however many changes came before it). */
    public void dataChanged() {
        if (!redrawQueued) {
            redrawQueued = true;
            Platform.runLater(() -> {
                redrawQueued = false;
                draw();
            });
        }
    }

    @Override
    protected void layoutChildren() {
        canvas.setWidth(getWidth());
        canvas.setHeight(getHeight());
        draw();
    }

    /** Draws now. FX thread. */
    public void draw() {
        double width = canvas.getWidth();
        double height = canvas.getHeight();
        if (width <= 0 || height <= 0) {
            return;
        }
        GraphicsContext g = canvas.getGraphicsContext2D();
        Color background = swatches.colour("swatch-background", Color.WHITE);
        Color text = swatches.colour("swatch-text", Color.BLACK);
        Color muted = swatches.colour("swatch-muted", Color.GRAY);
        Color grid = swatches.colour("swatch-line", Color.LIGHTGRAY);
        g.setFill(background);
        g.fillRect(0, 0, width, height);
        g.setTextBaseline(VPos.BASELINE);
        g.setFont(TITLE);
        boolean compact = height < COMPACT_BELOW;
        g.setFill(text);
        g.setTextAlign(TextAlignment.LEFT);
        g.fillText(compact ? title + "  ↑ " + yLabel : title, 8, 16);

        List<ChartSeries> all = series.get();
        double minX = Double.MAX_VALUE;
        double maxX = 0;
        double maxY = 0;
        boolean any = false;
        for (ChartSeries one : all) {
            BoundedSeries points = one.points();
            for (int i = 0; i < points.size(); i++) {
                minX = Math.min(minX, points.x(i));
                maxX = Math.max(maxX, points.x(i));
                maxY = Math.max(maxY, Math.max(points.y(i), points.top(i)));
                any = true;
            }
        }
        double plotLeft = LEFT;
        double plotRight = width - RIGHT;
        double plotTop = compact ? 40 : TOP;
        double plotBottom = height - (compact ? 30 : BOTTOM);
        if (!any || plotRight - plotLeft < 40 || plotBottom - plotTop < 30) {
            g.setFont(FONT);
            g.setFill(muted);
            g.fillText(emptyText.get(), 8, 36);
            return;
        }
        // Across: from the first data segment (a bar) when there are bars, else from the first point, not from zero:
        // a transfer started a minute after the handshake would be a sliver at the right.
        for (ChartSeries one : all) {
            if (one.style() == ChartSeries.Style.BARS && !one.points().isEmpty()) {
                minX = one.points().x(0);
            }
        }
        double xStep = niceStep(Math.max(maxX - minX, 1e-3) / 6);
        double xMin = Math.floor(minX / xStep) * xStep;
        double xMax = Math.max(xMin + xStep, Math.ceil(maxX / xStep) * xStep);
        double yStep = niceBytes(Math.max(maxY, 1) * 1.05 / 5);
        double yMax = Math.ceil(Math.max(maxY, 1) * 1.05 / yStep) * yStep;
        double xScale = (plotRight - plotLeft) / (xMax - xMin);
        double yScale = (plotBottom - plotTop) / yMax;

        // Grid, ticks and the axes' names.
        g.setFont(FONT);
        g.setLineWidth(1);
        g.setLineDashes((double[]) null);
        for (double y = 0; y <= yMax + yStep / 2; y += yStep) {
            double py = Math.round(plotBottom - y * yScale) + 0.5;
            g.setStroke(grid);
            g.strokeLine(plotLeft, py, plotRight, py);
            g.setFill(muted);
            g.setTextAlign(TextAlignment.RIGHT);
            g.fillText(bytes(y, yStep), plotLeft - 6, py + 4);
        }
        for (double x = xMin; x <= xMax + xStep / 2; x += xStep) {
            double px = Math.round(plotLeft + (x - xMin) * xScale) + 0.5;
            g.setStroke(grid);
            g.strokeLine(px, plotTop, px, plotBottom);
            g.setFill(muted);
            g.setTextAlign(TextAlignment.CENTER);
            g.fillText(seconds(x, xStep), px, plotBottom + 14);
        }
        g.setStroke(muted);
        g.strokeLine(plotLeft, plotBottom + 0.5, plotRight, plotBottom + 0.5);
        g.strokeLine(plotLeft + 0.5, plotTop, plotLeft + 0.5, plotBottom);
        g.setFill(text);
        g.setTextAlign(TextAlignment.CENTER);
        g.fillText(xLabel, (plotLeft + plotRight) / 2, height - 6);
        if (!compact) {
            g.setFill(muted);
            g.setTextAlign(TextAlignment.LEFT);
            g.fillText("↑ " + yLabel, 8, plotTop - 8);
        }

        // The series, clipped to the plot.
        g.save();
        g.beginPath();
        g.rect(plotLeft, plotTop - 2, plotRight - plotLeft + 2, plotBottom - plotTop + 2);
        g.clip();
        Color flagged = swatches.colour("chart-series-2", Color.RED);
        for (ChartSeries one : all) {
            Color colour = swatches.colour(one.colourClass(), Color.BLUE);
            BoundedSeries points = one.points();
            g.setStroke(colour);
            g.setLineWidth(one.style() == ChartSeries.Style.BARS ? 1.4 : 1.6);
            double lastX = Double.NaN;
            double lastY = Double.NaN;
            for (int i = 0; i < points.size(); i++) {
                double px = plotLeft + (points.x(i) - xMin) * xScale;
                double py = plotBottom - points.y(i) * yScale;
                switch (one.style()) {
                    case LINE -> {
                        if (!Double.isNaN(lastX)) {
                            g.strokeLine(lastX, lastY, px, py);
                        }
                    }
                    case STEP -> {
                        if (!Double.isNaN(lastX)) {
                            g.strokeLine(lastX, lastY, px, lastY);
                            g.strokeLine(px, lastY, px, py);
                        }
                    }
                    case BARS -> {
                        if (!points.flagged(i)) {
                            double top = plotBottom - points.top(i) * yScale;
                            g.strokeLine(px, py, px, Math.min(top, py - 1));
                            g.strokeLine(px - 2, top, px + 2, top);
                        }
                    }
                }
                lastX = px;
                lastY = py;
            }
            if (one.style() == ChartSeries.Style.BARS) {
                // Retransmissions over the rest, wider, with a ring: thousands of bars must not hide them.
                g.setStroke(flagged);
                g.setLineWidth(2.5);
                for (int i = 0; i < points.size(); i++) {
                    if (points.flagged(i)) {
                        double px = plotLeft + (points.x(i) - xMin) * xScale;
                        double py = plotBottom - points.y(i) * yScale;
                        double top = plotBottom - points.top(i) * yScale;
                        g.strokeLine(px, py, px, Math.min(top, py - 1));
                        g.strokeOval(px - 4, top - 9, 8, 8);
                    }
                }
            }
            if (one.style() != ChartSeries.Style.BARS && !Double.isNaN(lastX)) {
                // A value holds until now: carry the last one to the right edge of the data.
                g.strokeLine(lastX, lastY, plotLeft + (maxX - xMin) * xScale, lastY);
            }
        }
        g.restore();

        // The legend, on one line under the title.
        g.setFont(FONT);
        g.setTextAlign(TextAlignment.LEFT);
        double x = 8;
        for (ChartSeries one : all) {
            Color colour = swatches.colour(one.colourClass(), Color.BLUE);
            g.setStroke(colour);
            g.setLineWidth(2.5);
            g.strokeLine(x, 27, x + 16, 27);
            g.setFill(text);
            g.fillText(one.name(), x + 20, 31);
            x += 20 + one.name().length() * 6.2 + 16;
        }
    }

    /** 1, 2 or 5 times a power of ten, the first at least {@code rough}. */
    static double niceStep(double rough) {
        double power = Math.pow(10, Math.floor(Math.log10(rough)));
        for (double factor : new double[] {1, 2, 5, 10}) {
            if (factor * power >= rough) {
                return factor * power;
            }
        }
        return 10 * power;
    }

    /** A round number of bytes: a nice step in bytes, KiB or MiB. */
    static double niceBytes(double rough) {
        if (rough < 1024) {
            return Math.max(1, niceStep(rough));
        }
        if (rough < 1024 * 1024) {
            return niceStep(rough / 1024) * 1024;
        }
        return niceStep(rough / (1024 * 1024)) * 1024 * 1024;
    }

    /** A tick's label in the unit of its step, so one axis never mixes "1000 KiB" and "1.5 MiB". */
    static String bytes(double value, double step) {
        if (value == 0) {
            return "0";
        }
        if (step >= 512 * 1024) {
            return trim(value / (1024 * 1024)) + " MiB";
        }
        if (step >= 512) {
            return trim(value / 1024) + " KiB";
        }
        return trim(value) + " B";
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? Long.toString(Math.round(value)) : String.format(Locale.ROOT, "%.1f", value);
    }

    static String seconds(double value, double step) {
        int decimals = step >= 1 ? 0 : (int) Math.ceil(-Math.log10(step) - 1e-9);
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
