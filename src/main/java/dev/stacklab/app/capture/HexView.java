package dev.stacklab.app.capture;

import dev.stacklab.dissect.HexDump;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.css.CssMetaData;
import javafx.css.Styleable;
import javafx.css.StyleableProperty;
import javafx.css.StyleablePropertyFactory;
import javafx.geometry.Orientation;
import javafx.geometry.Point2D;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.ScrollBar;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.paint.Paint;
import javafx.scene.text.Font;
import javafx.scene.text.Text;
import javafx.scene.text.TextBoundsType;

import java.util.List;
import java.util.function.IntConsumer;

/**
 * The packet bytes pane: offsets, hex and ASCII, row by row as {@code tshark -x} prints them ({@link HexDump}),
 * drawn on a canvas the size of the view so a 64 KiB reassembled datagram costs no more than a 60-byte frame. The
 * selected field's bytes are highlighted in both the hex and the ASCII column; clicking a byte reports its offset.
 * Colours and font come from CSS ({@code -sl-hex-text-fill}, {@code -sl-hex-offset-fill},
 * {@code -sl-hex-highlight-fill}, {@code -sl-hex-highlight-text-fill}, {@code -fx-font}).
 */
public final class HexView extends Region {
    private static final StyleablePropertyFactory<HexView> STYLES = new StyleablePropertyFactory<>(Region.getClassCssMetaData());
    private static final String STYLE_CLASS = "hex-view";

    private final StyleableProperty<Paint> textFill = STYLES.createStyleablePaintProperty(this, "textFill", "-sl-hex-text-fill", view -> view.textFill, Color.BLACK);
    private final StyleableProperty<Paint> offsetFill = STYLES.createStyleablePaintProperty(this, "offsetFill", "-sl-hex-offset-fill", view -> view.offsetFill, Color.GRAY);
    private final StyleableProperty<Paint> highlightFill = STYLES.createStyleablePaintProperty(this, "highlightFill", "-sl-hex-highlight-fill", view -> view.highlightFill, Color.web("#0969da"));
    private final StyleableProperty<Paint> highlightTextFill = STYLES.createStyleablePaintProperty(this, "highlightTextFill", "-sl-hex-highlight-text-fill", view -> view.highlightTextFill, Color.WHITE);
    private final StyleableProperty<Font> font = STYLES.createStyleableFontProperty(this, "font", "-fx-font", view -> view.font, Font.font("Monospaced", 12));

    private final Canvas canvas = new Canvas();
    private final ScrollBar scrollBar = new ScrollBar();
    private final ObjectProperty<IntConsumer> onByteClicked = new SimpleObjectProperty<>(this, "onByteClicked");
    private final StringBuilder line = new StringBuilder(96);

    private byte[] bytes = new byte[0];
    private int length;
    private int highlightOffset;
    private int highlightLength;
    private double charWidth;
    private double lineHeight;
    private double ascent;

    public HexView() {
        getStyleClass().add(STYLE_CLASS);
        scrollBar.setOrientation(Orientation.VERTICAL);
        scrollBar.valueProperty().addListener((obs, old, value) -> draw());
        getChildren().addAll(canvas, scrollBar);
        addEventHandler(MouseEvent.MOUSE_PRESSED, this::pressed);
        addEventHandler(ScrollEvent.SCROLL, event -> {
            scrollBar.setValue(clamp(scrollBar.getValue() - event.getDeltaY(), 0, scrollBar.getMax()));
            event.consume();
        });
        for (var property : List.of(textFill, offsetFill, highlightFill, highlightTextFill)) {
            ((javafx.beans.value.ObservableValue<?>) property).addListener(obs -> draw());
        }
        ((javafx.beans.value.ObservableValue<?>) font).addListener(obs -> {
            measure();
            requestLayout();
        });
        measure();
        setFocusTraversable(true);
    }

    /** Shows {@code bytes[0, length)} and clears the highlight. */
    public void setData(byte[] data, int dataLength) {
        this.bytes = data == null ? new byte[0] : data;
        this.length = data == null ? 0 : Math.min(dataLength, data.length);
        this.highlightOffset = 0;
        this.highlightLength = 0;
        scrollBar.setValue(0);
        requestLayout();
        draw();
    }

    /** Highlights {@code [offset, offset + length)} (a zero length clears it) and scrolls it into view. */
    public void setHighlight(int offset, int count) {
        this.highlightOffset = Math.max(0, offset);
        this.highlightLength = Math.max(0, Math.min(count, length - highlightOffset));
        if (highlightLength > 0) {
            double top = (highlightOffset / HexDump.BYTES_PER_ROW) * lineHeight;
            double bottom = ((highlightOffset + highlightLength - 1) / HexDump.BYTES_PER_ROW + 1) * lineHeight;
            double viewHeight = getHeight();
            if (top < scrollBar.getValue() || bottom - top > viewHeight) {
                // Bring its start into view; a field taller than the view shows from its first row.
                scrollBar.setValue(Math.min(scrollBar.getMax(), top));
            } else if (bottom > scrollBar.getValue() + viewHeight && viewHeight > 0) {
                scrollBar.setValue(Math.min(scrollBar.getMax(), Math.min(top, bottom - viewHeight)));
            }
        }
        draw();
    }

    public int highlightOffset() {
        return highlightOffset;
    }

    /** Bytes highlighted now (0 when none). */
    public int highlightLength() {
        return highlightLength;
    }

    /** Called with a byte's offset when the user clicks it. */
    public ObjectProperty<IntConsumer> onByteClickedProperty() {
        return onByteClicked;
    }

    /** Where byte {@code index}'s hex digits are drawn, in this view's coordinates (for tests and tooltips). */
    public Point2D byteCenter(int index) {
        int row = index / HexDump.BYTES_PER_ROW;
        int column = HexDump.hexColumn(row, index % HexDump.BYTES_PER_ROW);
        return new Point2D(getInsets().getLeft() + (column + 1) * charWidth,
                getInsets().getTop() + row * lineHeight - scrollBar.getValue() + lineHeight / 2);
    }

    private void pressed(MouseEvent event) {
        requestFocus();
        if (event.getButton() != MouseButton.PRIMARY || onByteClicked.get() == null) {
            return;
        }
        int index = byteAt(event.getX() - getInsets().getLeft(), event.getY() - getInsets().getTop() + scrollBar.getValue());
        if (index >= 0) {
            onByteClicked.get().accept(index);
        }
    }

    /** The byte under a point of the content (scrolled coordinates), or -1. */
    private int byteAt(double x, double y) {
        if (charWidth <= 0 || lineHeight <= 0 || x < 0 || y < 0) {
            return -1;
        }
        int row = (int) (y / lineHeight);
        int column = (int) (x / charWidth);
        for (int i = 0; i < HexDump.BYTES_PER_ROW; i++) {
            int hex = HexDump.hexColumn(row, i);
            boolean onHex = column >= hex && column <= hex + 2;
            boolean onAscii = column == HexDump.asciiColumn(row, i);
            if (onHex || onAscii) {
                int index = row * HexDump.BYTES_PER_ROW + i;
                return index < length ? index : -1;
            }
        }
        return -1;
    }

    private void measure() {
        Text probe = new Text("0123456789abcdef");
        probe.setFont(font.getValue());
        probe.setBoundsType(TextBoundsType.LOGICAL);
        charWidth = probe.getLayoutBounds().getWidth() / 16;
        lineHeight = Math.ceil(probe.getLayoutBounds().getHeight()) + 2;
        ascent = -probe.getLayoutBounds().getMinY() + 1;
    }

    @Override
    protected void layoutChildren() {
        double left = getInsets().getLeft();
        double top = getInsets().getTop();
        double width = Math.max(0, getWidth() - left - getInsets().getRight());
        double height = Math.max(0, getHeight() - top - getInsets().getBottom());
        double barWidth = scrollBar.prefWidth(-1);
        double content = HexDump.rowCount(length) * lineHeight;
        boolean needsBar = content > height;
        scrollBar.setVisible(needsBar);
        scrollBar.setMax(Math.max(0, content - height));
        scrollBar.setVisibleAmount(height);
        scrollBar.setUnitIncrement(lineHeight);
        scrollBar.setBlockIncrement(Math.max(lineHeight, height - lineHeight));
        if (scrollBar.getValue() > scrollBar.getMax()) {
            scrollBar.setValue(scrollBar.getMax());
        }
        double canvasWidth = needsBar ? width - barWidth : width;
        canvas.relocate(left, top);
        canvas.setWidth(Math.max(0, canvasWidth));
        canvas.setHeight(height);
        scrollBar.resizeRelocate(left + canvasWidth, top, barWidth, height);
        draw();
    }

    @Override
    protected double computePrefWidth(double height) {
        return getInsets().getLeft() + (HexDump.asciiColumn(0, HexDump.BYTES_PER_ROW - 1) + 2) * charWidth
                + scrollBar.prefWidth(-1) + getInsets().getRight();
    }

    @Override
    protected double computePrefHeight(double width) {
        return getInsets().getTop() + Math.max(4, HexDump.rowCount(length)) * lineHeight + getInsets().getBottom();
    }

    private void draw() {
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.clearRect(0, 0, canvas.getWidth(), canvas.getHeight());
        if (length == 0 || lineHeight <= 0) {
            return;
        }
        g.setFont(font.getValue());
        double scroll = scrollBar.getValue();
        int firstRow = (int) (scroll / lineHeight);
        int lastRow = Math.min(HexDump.rowCount(length) - 1, (int) ((scroll + canvas.getHeight()) / lineHeight));
        int highlightEnd = highlightOffset + highlightLength;
        for (int row = firstRow; row <= lastRow; row++) {
            double y = row * lineHeight - scroll;
            line.setLength(0);
            HexDump.appendRow(line, bytes, 0, length, row);
            String text = line.toString();
            int offsetDigits = HexDump.hexColumn(row, 0) - 2;
            g.setFill(offsetFill.getValue());
            g.fillText(text.substring(0, offsetDigits), 0, y + ascent);
            g.setFill(textFill.getValue());
            g.fillText(text.substring(offsetDigits), offsetDigits * charWidth, y + ascent);
            int rowStart = row * HexDump.BYTES_PER_ROW;
            int from = Math.max(rowStart, highlightOffset);
            int to = Math.min(Math.min(rowStart + HexDump.BYTES_PER_ROW, length), highlightEnd);
            for (int index = from; index < to; index++) {
                int i = index - rowStart;
                int hex = HexDump.hexColumn(row, i);
                int ascii = HexDump.asciiColumn(row, i);
                // Join neighbouring highlighted bytes across the space between them, as Wireshark does.
                double hexWidth = (index + 1 < to ? 3 : 2) * charWidth;
                g.setFill(highlightFill.getValue());
                g.fillRect(hex * charWidth, y, hexWidth, lineHeight);
                g.fillRect(ascii * charWidth, y, charWidth, lineHeight);
                g.setFill(highlightTextFill.getValue());
                g.fillText(text.substring(hex, hex + 2), hex * charWidth, y + ascent);
                g.fillText(text.substring(ascii, ascii + 1), ascii * charWidth, y + ascent);
            }
        }
    }

    private static double clamp(double value, double min, double max) {
        return Math.max(min, Math.min(max, value));
    }

    public static List<CssMetaData<? extends Styleable, ?>> getClassCssMetaData() {
        return STYLES.getCssMetaData();
    }

    @Override
    public List<CssMetaData<? extends Styleable, ?>> getCssMetaData() {
        return getClassCssMetaData();
    }
}
