package dev.stacklab.app.tcp.ladder;

import dev.stacklab.app.OwnWindow;
import dev.stacklab.app.ToolPaneStyle;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.stage.Window;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The TCP pane's "Ladder" tab: what the ladder shows in a line (the connection, its segments, retransmissions...),
 * the exports (PNG, SVG, the connection's frames as pcap) and the {@link LadderDiagram}. Binds only; the work is
 * {@link LadderViewModel}'s.
 */
public final class LadderPane extends VBox {
    public static final String PANE_ID = "ladderPane";
    public static final String SUMMARY_ID = "ladderSummary";
    public static final String DIAGRAM_ID = "ladderDiagram";

    private final LadderViewModel viewModel;
    private final LadderDiagram diagram;

    public LadderPane(LadderViewModel viewModel) {
        this.viewModel = viewModel;
        this.diagram = new LadderDiagram(viewModel);
        setId(PANE_ID);
        diagram.setId(DIAGRAM_ID);
        Label summary = new Label();
        summary.setId(SUMMARY_ID);
        summary.getStyleClass().add(ToolPaneStyle.NOTE);
        summary.textProperty().bind(viewModel.summaryProperty());
        summary.setMaxWidth(Double.MAX_VALUE);
        // The line takes the room the buttons leave (ellipsis, whole in the tooltip), never widening the pane.
        summary.setMinWidth(0);
        summary.setPrefWidth(120);
        Tooltip help = new Tooltip();
        help.textProperty().bind(viewModel.summaryProperty().concat("\n\nClick an arrow to select its frame in the capture; select a TCP frame there to find"
                + " its arrow here. Red: retransmission, orange: duplicate ACK, purple: out of order, grey dashed: lost"
                + " on the wire (an impairment dropped it)."));
        help.setWrapText(true);
        help.setMaxWidth(420);
        summary.setTooltip(help);
        HBox.setHgrow(summary, Priority.ALWAYS);
        Button png = button("PNG…", "Save the ladder as a PNG image", this::exportPng);
        Button svg = button("SVG…", "Save the ladder as an SVG drawing", this::exportSvg);
        Button pcap = button("pcap…", "Save this connection's frames as a pcap file (Wireshark opens it)", this::exportPcap);
        Button window = button("Window", "Open the ladder in a window of its own (as big as you like; it stays live)",
                this::openWindow);
        window.setId("ladderWindowButton");
        HBox bar = new HBox(summary, png, svg, pcap, window);
        bar.getStyleClass().add("tcp-analysis-bar");
        VBox.setVgrow(diagram, Priority.ALWAYS);
        getChildren().addAll(bar, diagram);
        getStylesheets().add(Swatches.STYLESHEET);
        getStyleClass().add("tcp-analysis");
    }

    public LadderDiagram diagram() {
        return diagram;
    }

    public LadderViewModel viewModel() {
        return viewModel;
    }

    private static Button button(String text, String tip, Runnable action) {
        Button button = new Button(text);
        button.setTooltip(new Tooltip(tip));
        button.setOnAction(event -> action.run());
        button.setMinWidth(USE_PREF_SIZE);
        return button;
    }

    /** The ladder in a window of its own, following the same view-model (the pane's own stays). */
    private void openWindow() {
        LadderPane own = new LadderPane(viewModel);
        OwnWindow.open(this, "TCP ladder", own, 1100, 760, own.diagram::dispose);
    }

    private void exportPng() {
        if (viewModel.shownOrSayWhy("export the ladder") == null) {
            return;
        }
        Path file = choose("Save the ladder as PNG", "ladder.png", "PNG image (*.png)", "*.png");
        if (file != null) {
            savePng(file);
        }
    }

    /** Renders the ladder and writes it to {@code file}; the outcome is a notification. FX thread. */
    public void savePng(Path file) {
        WritableImage image = diagram.renderAll();
        if (image == null) {
            viewModel.shownOrSayWhy("export the ladder");
            return;
        }
        try {
            PngFile.write(image, file);
            int rows = Math.min(diagram.rowCount(), LadderDiagram.MAX_PNG_ROWS);
            viewModel.reportSaved("Saved the ladder of " + rows + " segments to " + file
                    + (rows < diagram.rowCount() ? " (the last " + rows + " of " + diagram.rowCount() + "; SVG holds more)" : ""));
        } catch (IOException | RuntimeException e) {
            viewModel.reportWriteFailure(file, "the ladder as PNG", e);
        }
    }

    private void exportSvg() {
        if (viewModel.shownOrSayWhy("export the ladder") == null) {
            return;
        }
        Path file = choose("Save the ladder as SVG", "ladder.svg", "SVG drawing (*.svg)", "*.svg");
        if (file != null) {
            viewModel.exportSvg(file, diagram.palette());
        }
    }

    private void exportPcap() {
        if (viewModel.shownOrSayWhy("export its frames") == null) {
            return;
        }
        Path file = choose("Save the connection's frames as pcap", "connection.pcap", "pcap (*.pcap)", "*.pcap");
        if (file != null) {
            viewModel.exportPcap(file);
        }
    }

    private Path choose(String title, String name, String description, String pattern) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(title);
        chooser.setInitialFileName(name);
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(description, pattern));
        Window window = getScene() == null ? null : getScene().getWindow();
        File file = chooser.showSaveDialog(window);
        if (file == null) {
            return null;
        }
        Path path = file.toPath();
        String extension = pattern.substring(1);
        return path.getFileName().toString().endsWith(extension) ? path : path.resolveSibling(path.getFileName() + extension);
    }
}
