package dev.stacklab.app.tcp.chart;

import dev.stacklab.app.ToolPaneStyle;
import dev.stacklab.app.OwnWindow;
import dev.stacklab.app.tcp.ladder.Swatches;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/**
 * The TCP pane's "Charts" tab: "Send a block of N bytes" on the chosen connection, and one of the two charts at a
 * time (the lower area is short): our congestion window, or the sequence numbers over time. Binds only.
 */
public final class ChartsPane extends VBox {
    public static final String PANE_ID = "chartsPane";
    public static final String CONGESTION_ID = "congestionChart";
    public static final String SEQUENCE_ID = "sequenceChart";

    private final ChartsViewModel viewModel;
    private final TimeChart congestionChart;
    private final TimeChart sequenceChart;
    private final javafx.beans.value.ChangeListener<Number> revisionChanged = (observable, old, now) -> chartsChanged();
    private final ToggleButton congestionToggle = new ToggleButton("cwnd");
    private final ToggleButton sequenceToggle = new ToggleButton("Sequence");

    public ChartsPane(ChartsViewModel viewModel) {
        this.viewModel = viewModel;
        setId(PANE_ID);
        congestionChart = new TimeChart("Our congestion window (RFC 5681)", "time since data was first in flight (s)", "bytes",
                () -> viewModel.congestion().series(),
                () -> "Choose one of our connections and send a block on it: cwnd grows in slow start, halves on a loss.");
        congestionChart.setId(CONGESTION_ID);
        sequenceChart = new TimeChart("Sequence numbers over time (tcptrace)", "time since the connection's first segment (s)",
                "relative sequence number",
                () -> viewModel.sequence().series(),
                () -> "Send a block (to the discard service, port 9): each data segment is a bar, the ACKs and the window follow.");
        sequenceChart.setId(SEQUENCE_ID);

        Label blockLabel = new Label("Send");
        blockLabel.setMinWidth(Region.USE_PREF_SIZE);
        TextField blockField = new TextField();
        blockField.setPrefColumnCount(8);
        blockField.getStyleClass().add(ToolPaneStyle.MONO);
        blockField.textProperty().bindBidirectional(viewModel.blockSizeProperty());
        blockField.setId("blockSizeField");
        Label bytesLabel = new Label("bytes");
        bytesLabel.setMinWidth(Region.USE_PREF_SIZE);
        Button send = new Button("Send block");
        send.setId("sendBlockButton");
        send.setMinWidth(Region.USE_PREF_SIZE);
        send.setTooltip(new Tooltip("Sends that many bytes (a repeating pattern) on the chosen connection: a bulk transfer"
                + " to watch in the charts. The simulated LAN's discard service (10.0.0.1 port 9) takes any amount;"
                + " the echo service (port 7) sends it all back."));
        send.setOnAction(event -> viewModel.sendBlock());
        blockField.setOnAction(event -> viewModel.sendBlock());
        ToggleGroup which = new ToggleGroup();
        congestionToggle.setToggleGroup(which);
        sequenceToggle.setToggleGroup(which);
        congestionToggle.setTooltip(new Tooltip("cwnd, ssthresh and the bytes in flight of our end over time"));
        sequenceToggle.setTooltip(new Tooltip("Data segments, ACKs and the receive window's edge over time, as tcptrace draws them"));
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        Button window = new Button("Window");
        window.setMinWidth(Region.USE_PREF_SIZE);
        window.setTooltip(new Tooltip("Open the charts in a window of their own (as big as you like; they stay live)"));
        window.setOnAction(event -> {
            ChartsPane own = new ChartsPane(viewModel);
            OwnWindow.open(this, "TCP charts", own, 1000, 700, own::dispose);
        });
        HBox bar = new HBox(blockLabel, blockField, bytesLabel, send, gap, congestionToggle, sequenceToggle, window);
        bar.getStyleClass().add("tcp-analysis-bar");
        Label message = new Label();
        message.getStyleClass().add(ToolPaneStyle.MESSAGE);
        message.setMaxWidth(Double.MAX_VALUE);
        ToolPaneStyle.showText(message, viewModel.messageProperty());

        StackPane charts = new StackPane(congestionChart, sequenceChart);
        VBox.setVgrow(charts, Priority.ALWAYS);
        congestionChart.visibleProperty().bind(congestionToggle.selectedProperty());
        sequenceChart.visibleProperty().bind(sequenceToggle.selectedProperty());
        which.selectedToggleProperty().addListener((observable, old, now) -> {
            if (now == null) {
                // One chart is always shown: clicking the shown one's button again keeps it.
                old.setSelected(true);
            }
        });
        sequenceToggle.setSelected(true);
        viewModel.revisionProperty().addListener(revisionChanged);
        getChildren().addAll(bar, message, charts);
        getStylesheets().add(Swatches.STYLESHEET);
        getStyleClass().add("tcp-analysis");
    }

    /** Shows the congestion-window chart (true) or the sequence chart. */
    public void showCongestion(boolean congestion) {
        (congestion ? congestionToggle : sequenceToggle).setSelected(true);
    }

    /** Stops following the view-model (charts in a window of their own, when the window closes). */
    public void dispose() {
        viewModel.revisionProperty().removeListener(revisionChanged);
    }

    /** Both charts draw again on the next pulse (the hidden one too: it is up to date when shown). */
    private void chartsChanged() {
        congestionChart.dataChanged();
        sequenceChart.dataChanged();
    }

    public ChartsViewModel viewModel() {
        return viewModel;
    }

    public TimeChart congestionChart() {
        return congestionChart;
    }

    public TimeChart sequenceChart() {
        return sequenceChart;
    }
}
