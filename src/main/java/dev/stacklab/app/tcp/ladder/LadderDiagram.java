package dev.stacklab.app.tcp.ladder;

import dev.stacklab.app.tcp.ladder.LadderPen.Align;
import javafx.beans.value.ChangeListener;
import javafx.geometry.Orientation;
import javafx.geometry.Point2D;
import javafx.geometry.VPos;
import javafx.scene.SnapshotParameters;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.ScrollBar;
import javafx.scene.image.WritableImage;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.Pane;
import javafx.scene.paint.Color;
import javafx.scene.shape.StrokeLineCap;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.TextAlignment;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The ladder (sequence) diagram of {@link LadderViewModel}'s connection: a canvas the size of the view that draws
 * only the rows in sight (so thousands of segments scroll as fast as ten), with scroll bars. A click on a row selects
 * its segment (and so its frame in the capture); the selected segment's row is highlighted and scrolled into view.
 * While the view is scrolled to the bottom it stays there as segments arrive, as the packet list does.
 */
public final class LadderDiagram extends Pane {
    /** The most rows a PNG export holds (a taller image is of no use, and costs a lot of memory). */
    public static final int MAX_PNG_ROWS = 1_000;
    private static final Font FONT = Font.font("Monospaced", 11.5);
    private static final Font BOLD = Font.font("Monospaced", FontWeight.BOLD, 11.5);

    private final LadderViewModel viewModel;
    private final Canvas canvas = new Canvas();
    private final ScrollBar vertical = new ScrollBar();
    private final ScrollBar horizontal = new ScrollBar();
    private final Swatches swatches = new Swatches(this);
    private boolean pinnedToBottom = true;
    private boolean drawPending;
    private final ChangeListener<Number> revisionChanged = (observable, old, revision) -> contentChanged();
    private final ChangeListener<ConnectionTrace> shownChanged = (observable, old, shown) -> pinnedToBottom = true;
    private final ChangeListener<Number> selectionChanged = (observable, old, index) -> {
        scrollToRow(index.intValue());
        draw();
    };

    public LadderDiagram(LadderViewModel viewModel) {
        this.viewModel = viewModel;
        vertical.setOrientation(Orientation.VERTICAL);
        horizontal.setOrientation(Orientation.HORIZONTAL);
        getChildren().addAll(canvas, vertical, horizontal);
        setMinSize(200, 120);
        setPrefSize(LadderPainter.compactWidth(), 260);
        vertical.valueProperty().addListener((observable, old, value) -> {
            pinnedToBottom = value.doubleValue() >= vertical.getMax() - 1;
            draw();
        });
        horizontal.valueProperty().addListener((observable, old, value) -> draw());
        viewModel.revisionProperty().addListener(revisionChanged);
        viewModel.shownProperty().addListener(shownChanged);
        viewModel.selectedIndexProperty().addListener(selectionChanged);
        canvas.addEventHandler(MouseEvent.MOUSE_CLICKED, event -> {
            if (event.getButton() == MouseButton.PRIMARY) {
                int row = rowAt(event.getY());
                if (row >= 0) {
                    viewModel.arrowClicked(row);
                }
            }
        });
        addEventHandler(ScrollEvent.SCROLL, event -> {
            vertical.setValue(clamp(vertical.getValue() - event.getDeltaY(), vertical.getMax()));
            if (event.getDeltaX() != 0) {
                horizontal.setValue(clamp(horizontal.getValue() - event.getDeltaX(), horizontal.getMax()));
            }
            event.consume();
        });
    }

    /** Stops following the view-model (a ladder in a window of its own, when the window closes). */
    public void dispose() {
        viewModel.revisionProperty().removeListener(revisionChanged);
        viewModel.shownProperty().removeListener(shownChanged);
        viewModel.selectedIndexProperty().removeListener(selectionChanged);
    }

    /** How many arrows the diagram holds now. */
    public int rowCount() {
        ConnectionTrace trace = viewModel.shownProperty().get();
        return trace == null ? 0 : trace.segments().size();
    }

    /** Where the middle of arrow {@code index} is drawn now, in this node's coordinates (null when out of sight). */
    public Point2D arrowCentre(int index) {
        double y = LadderPainter.HEADER_HEIGHT + index * LadderPainter.ROW_HEIGHT - vertical.getValue() + 20;
        if (y < LadderPainter.HEADER_HEIGHT || y > canvas.getHeight()) {
            return null;
        }
        // The middle of the part of the arrow in sight (the view may be narrower than the drawing).
        double width = drawingWidth();
        double left = Math.max(0, LadderPainter.lineA(width) - horizontal.getValue());
        double right = Math.min(canvas.getWidth(), LadderPainter.lineB(width) - horizontal.getValue());
        return right <= left ? null : new Point2D((left + right) / 2, y);
    }

    /** Scrolls so that row {@code index} is in sight (the middle of the view when it was not). */
    public void scrollToRow(int index) {
        if (index < 0) {
            return;
        }
        double top = index * LadderPainter.ROW_HEIGHT;
        double visible = rowsHeight();
        if (top < vertical.getValue() || top + LadderPainter.ROW_HEIGHT > vertical.getValue() + visible) {
            vertical.setValue(clamp(top - visible / 2, vertical.getMax()));
        }
    }

    /**
     * The whole ladder (its last {@value #MAX_PNG_ROWS} rows at most) as an image, for the PNG export; null without
     * a connection.
     */
    public WritableImage renderAll() {
        ConnectionTrace trace = viewModel.shownProperty().get();
        if (trace == null) {
            return null;
        }
        List<LadderSegment> segments = trace.segments();
        int last = segments.size();
        int first = Math.max(0, last - MAX_PNG_ROWS);
        double width = LadderPainter.preferredWidth();
        double height = LadderPainter.HEADER_HEIGHT + (last - first) * LadderPainter.ROW_HEIGHT + 10;
        Canvas whole = new Canvas(width, height);
        LadderPainter.paint(new CanvasPen(whole.getGraphicsContext2D()), palette(), width, height, trace.ends(),
                trace.firstTimeNanos(), segments, first, last, LadderPainter.HEADER_HEIGHT, -1);
        return whole.snapshot(new SnapshotParameters(), null);
    }

    /** The colours of the current theme (from {@code ladder.css}). */
    public LadderPalette palette() {
        LadderPalette light = LadderPalette.LIGHT;
        Map<LadderMark, Color> marks = new EnumMap<>(LadderMark.class);
        for (LadderMark mark : LadderMark.values()) {
            marks.put(mark, swatches.colour(mark.styleClass(), light.marks().get(mark)));
        }
        return new LadderPalette(swatches.colour("swatch-background", light.background()),
                swatches.colour("swatch-text", light.text()), swatches.colour("swatch-muted", light.muted()),
                swatches.colour("swatch-line", light.line()), swatches.colour("swatch-arrow", light.arrow()),
                swatches.colour("swatch-selection", light.selection()), marks);
    }

    private void contentChanged() {
        updateScrollBars();
        if (pinnedToBottom) {
            vertical.setValue(vertical.getMax());
        }
        draw();
    }

    @Override
    protected void layoutChildren() {
        double barWidth = vertical.prefWidth(-1);
        double barHeight = horizontal.prefHeight(-1);
        double width = getWidth();
        double height = getHeight();
        boolean scrolls = width - barWidth < LadderPainter.compactWidth();
        horizontal.setVisible(scrolls);
        double canvasWidth = Math.max(0, width - barWidth);
        double canvasHeight = Math.max(0, height - (scrolls ? barHeight : 0));
        canvas.setWidth(canvasWidth);
        canvas.setHeight(canvasHeight);
        canvas.relocate(0, 0);
        vertical.resizeRelocate(canvasWidth, 0, barWidth, canvasHeight);
        horizontal.resizeRelocate(0, canvasHeight, canvasWidth, barHeight);
        updateScrollBars();
        if (pinnedToBottom) {
            vertical.setValue(vertical.getMax());
        }
        draw();
    }

    private void updateScrollBars() {
        double content = rowCount() * LadderPainter.ROW_HEIGHT + 10;
        double visible = rowsHeight();
        vertical.setMax(Math.max(0, content - visible));
        vertical.setVisibleAmount(Math.max(1, vertical.getMax() * visible / Math.max(content, 1)));
        vertical.setUnitIncrement(LadderPainter.ROW_HEIGHT);
        vertical.setBlockIncrement(Math.max(LadderPainter.ROW_HEIGHT, visible - LadderPainter.ROW_HEIGHT));
        vertical.setValue(clamp(vertical.getValue(), vertical.getMax()));
        double extra = drawingWidth() - canvas.getWidth();
        horizontal.setMax(Math.max(0, extra));
        horizontal.setVisibleAmount(Math.max(1, horizontal.getMax() * canvas.getWidth() / Math.max(drawingWidth(), 1)));
        horizontal.setValue(clamp(horizontal.getValue(), horizontal.getMax()));
    }

    private double rowsHeight() {
        return Math.max(0, canvas.getHeight() - LadderPainter.HEADER_HEIGHT);
    }

    private double drawingWidth() {
        return Math.max(canvas.getWidth(), LadderPainter.compactWidth());
    }

    private int rowAt(double y) {
        if (y < LadderPainter.HEADER_HEIGHT) {
            return -1;
        }
        int row = (int) Math.floor((y - LadderPainter.HEADER_HEIGHT + vertical.getValue()) / LadderPainter.ROW_HEIGHT);
        return row < rowCount() ? row : -1;
    }

    private static double clamp(double value, double max) {
        return Math.max(0, Math.min(value, max));
    }

    /** Draws now; several changes in one pulse draw once more each, which costs the visible rows only. */
    private void draw() {
        if (drawPending) {
            return;
        }
        drawPending = true;
        try {
            paint();
        } finally {
            drawPending = false;
        }
    }

    private void paint() {
        double width = canvas.getWidth();
        double height = canvas.getHeight();
        if (width <= 0 || height <= 0) {
            return;
        }
        GraphicsContext graphics = canvas.getGraphicsContext2D();
        LadderPalette palette = palette();
        ConnectionTrace trace = viewModel.shownProperty().get();
        graphics.save();
        graphics.clearRect(0, 0, width, height);
        CanvasPen pen = new CanvasPen(graphics);
        if (trace == null) {
            pen.fillRect(0, 0, width, height, palette.background());
            pen.text("One arrow per segment of the chosen connection, from the capture. Colours:", 16, 30, Align.LEFT,
                    palette.muted(), false);
            double y = 50;
            for (LadderMark mark : new LadderMark[] {LadderMark.RETRANSMISSION, LadderMark.DUPLICATE_ACK,
                    LadderMark.OUT_OF_ORDER, LadderMark.ZERO_WINDOW, LadderMark.LOST}) {
                pen.line(24, y - 4, 60, y - 4, palette.marks().get(mark), 2, mark == LadderMark.LOST);
                pen.text(mark.label() + (mark == LadderMark.LOST ? " (an impairment dropped it)" : ""), 70, y, Align.LEFT,
                        palette.marks().get(mark), true);
                y += 18;
            }
            graphics.restore();
            return;
        }
        double drawingWidth = drawingWidth();
        graphics.translate(-horizontal.getValue(), 0);
        double scrolled = vertical.getValue();
        List<LadderSegment> segments = trace.segments();
        int first = Math.max(0, (int) Math.floor(scrolled / LadderPainter.ROW_HEIGHT));
        int last = Math.min(segments.size(), first + (int) Math.ceil(rowsHeight() / LadderPainter.ROW_HEIGHT) + 2);
        double top = LadderPainter.HEADER_HEIGHT + first * LadderPainter.ROW_HEIGHT - scrolled;
        LadderPainter.paint(pen, palette, drawingWidth, height, trace.ends(), trace.firstTimeNanos(), segments, first,
                last, top, viewModel.selectedIndexProperty().get());
        graphics.restore();
    }

    /** The pen on a JavaFX canvas. */
    private static final class CanvasPen implements LadderPen {
        private final GraphicsContext graphics;

        CanvasPen(GraphicsContext graphics) {
            this.graphics = graphics;
            graphics.setTextBaseline(VPos.BASELINE);
            graphics.setLineCap(StrokeLineCap.BUTT);
        }

        @Override
        public void fillRect(double x, double y, double width, double height, Color colour) {
            graphics.setFill(colour);
            graphics.fillRect(x, y, width, height);
        }

        @Override
        public void line(double x1, double y1, double x2, double y2, Color colour, double width, boolean dashed) {
            graphics.setStroke(colour);
            graphics.setLineWidth(width);
            graphics.setLineDashes(dashed ? new double[] {6, 4} : null);
            graphics.strokeLine(x1, y1, x2, y2);
            graphics.setLineDashes((double[]) null);
        }

        @Override
        public void triangle(double x1, double y1, double x2, double y2, double x3, double y3, Color colour) {
            graphics.setFill(colour);
            graphics.fillPolygon(new double[] {x1, x2, x3}, new double[] {y1, y2, y3}, 3);
        }

        @Override
        public void text(String text, double x, double y, Align align, Color colour, boolean bold) {
            graphics.setFont(bold ? BOLD : FONT);
            graphics.setFill(colour);
            graphics.setTextAlign(switch (align) {
                case LEFT -> TextAlignment.LEFT;
                case CENTER -> TextAlignment.CENTER;
                case RIGHT -> TextAlignment.RIGHT;
            });
            graphics.fillText(text, x, y);
        }
    }
}
