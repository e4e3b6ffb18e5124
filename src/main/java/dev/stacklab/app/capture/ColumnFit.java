package dev.stacklab.app.capture;

import javafx.application.Platform;
import javafx.collections.ListChangeListener;
import javafx.scene.Node;
import javafx.scene.control.Labeled;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.text.Font;
import javafx.scene.text.Text;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Widens the packet list's text columns to what their first rows hold, each time the list fills from empty (a file
 * opened, a capture started or cleared), as Wireshark sizes its columns when it loads a file: an IPv6 address or a
 * MAC name then shows whole rather than as "fe80::56ff:fe...". It only widens, so a width the user chose that is
 * wider stays, and it never grows a column past {@link #WIDEST} (a 39-character IPv6 address fits).
 *
 * <p>The FX thread measures few texts: of the first {@link #ROWS_LOOKED_AT} rows, only the {@link #MEASURED}
 * longest texts of each column (by characters) are laid out in the list's font.
 */
final class ColumnFit {
    static final int ROWS_LOOKED_AT = 1000;
    static final int MEASURED = 4;
    static final double WIDEST = 340;
    /** The cell's padding on both sides and room for the text not to end in an ellipsis. */
    private static final double CELL_ALLOWANCE = 24;
    private static final double HEADER_ALLOWANCE = 16;

    /** A column and the text its cells show. */
    record Column(TableColumn<PacketRow, ?> column, Function<PacketRow, String> text) {
    }

    private final TableView<PacketRow> list;
    private final List<Column> columns;
    private int lastSize;
    private boolean pending;

    private ColumnFit(TableView<PacketRow> list, List<Column> columns) {
        this.list = list;
        this.columns = columns;
    }

    /** Fits {@code columns} of {@code list} whenever its rows go from none to some. */
    static void install(TableView<PacketRow> list, List<Column> columns) {
        ColumnFit fit = new ColumnFit(list, columns);
        list.getItems().addListener((ListChangeListener<PacketRow>) change -> fit.changed());
        fit.changed();
    }

    private void changed() {
        int size = list.getItems().size();
        if (lastSize == 0 && size > 0 && !pending) {
            // After this change is applied everywhere (the list's own listeners run too), once per filling.
            pending = true;
            Platform.runLater(this::fit);
        }
        lastSize = size;
    }

    private void fit() {
        pending = false;
        List<PacketRow> rows = list.getItems();
        int looked = Math.min(rows.size(), ROWS_LOOKED_AT);
        if (looked == 0) {
            return;
        }
        Text probe = new Text();
        probe.setFont(cellFont());
        for (Column column : columns) {
            String[] longest = new String[MEASURED];
            for (int i = 0; i < looked; i++) {
                keepLongest(longest, column.text().apply(rows.get(i)));
            }
            double wanted = widthFor(probe, longest);
            if (wanted > column.column().getWidth()) {
                column.column().setPrefWidth(wanted);
            }
        }
    }

    /** The width that shows the widest of {@code texts} (nulls skipped) whole, up to {@link #WIDEST}. */
    private static double widthFor(Text probe, String[] texts) {
        double widest = 0;
        for (String text : texts) {
            if (text != null) {
                probe.setText(text);
                widest = Math.max(widest, probe.getLayoutBounds().getWidth());
            }
        }
        return Math.min(WIDEST, Math.ceil(widest + CELL_ALLOWANCE));
    }

    /**
     * Sizes {@code column} to what it shows on the first {@link #ROWS_LOOKED_AT} rows of {@code list}, narrower too
     * (not below its minimum): the Time column when its format changes, from "0.000123" to a date and back.
     */
    static void fitExactly(TableView<PacketRow> list, TableColumn<PacketRow, ?> column, BiFunction<PacketRow, Integer, String> text) {
        List<PacketRow> rows = list.getItems();
        String[] longest = new String[MEASURED];
        for (int i = 0; i < Math.min(rows.size(), ROWS_LOOKED_AT); i++) {
            keepLongest(longest, text.apply(rows.get(i), i));
        }
        Text probe = new Text();
        probe.setFont(cellFont(list));
        // The title is bold and its header keeps room for a sort mark: measured on its own, with that room.
        double title = widthFor(probe, new String[] {column.getText()}) + HEADER_ALLOWANCE;
        column.setPrefWidth(Math.max(column.getMinWidth(), Math.max(title, widthFor(probe, longest))));
    }

    /** Keeps the {@code longest.length} longest texts seen, by characters (ties keep the first). */
    static void keepLongest(String[] longest, String text) {
        if (text == null) {
            return;
        }
        for (int i = 0; i < longest.length; i++) {
            if (longest[i] == null || text.length() > longest[i].length()) {
                System.arraycopy(longest, i, longest, i + 1, longest.length - i - 1);
                longest[i] = text;
                return;
            }
        }
    }

    private Font cellFont() {
        return cellFont(list);
    }

    /** The font the list's cells are drawn in (the theme sets it), or the default before any cell exists. */
    private static Font cellFont(TableView<PacketRow> list) {
        for (Node node : list.lookupAll(".table-cell")) {
            if (node instanceof Labeled cell) {
                return cell.getFont();
            }
        }
        return Font.getDefault();
    }
}
