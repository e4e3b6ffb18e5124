package dev.stacklab.app.ping;

import dev.stacklab.app.AfterFirstPulse;
import dev.stacklab.app.ToolPaneStyle;
import dev.stacklab.app.ping.PingViewModel.LineKind;
import dev.stacklab.app.ping.PingViewModel.PingLine;
import dev.stacklab.app.ping.PingViewModel.RttPoint;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;

import java.util.ArrayList;
import java.util.List;

/** The ping pane: binds {@code Ping.fxml} to a {@link PingViewModel}, nothing more. */
public final class PingView {
    private static final String[] LINE_CLASSES = {"line-header", "line-reply", "line-error", "line-timeout", "line-statistics"};

    private final PingViewModel viewModel;

    @FXML private VBox root;
    @FXML private Label unavailableLabel;
    @FXML private TextField targetField;
    @FXML private TextField countField;
    @FXML private CheckBox continuousBox;
    @FXML private TextField intervalField;
    @FXML private TextField sizeField;
    @FXML private TextField ttlField;
    @FXML private CheckBox dontFragmentBox;
    @FXML private Button startButton;
    @FXML private Button stopButton;
    @FXML private Button clearButton;
    @FXML private Label messageLabel;
    @FXML private ListView<PingLine> outputList;
    @FXML private StackPane chartSlot;
    @FXML private Label packetsLabel;
    @FXML private Label rttLabel;

    private PingView(PingViewModel viewModel) {
        this.viewModel = viewModel;
    }

    /** Loads the pane and binds it to {@code viewModel}. FX thread. */
    public static Parent load(PingViewModel viewModel) {
        return ToolPaneStyle.load(PingView.class, "Ping.fxml", new PingView(viewModel));
    }

    @FXML
    private void initialize() {
        ToolPaneStyle.apply(root);
        ToolPaneStyle.showText(unavailableLabel, viewModel.unavailableReasonProperty());
        ToolPaneStyle.showText(messageLabel, viewModel.messageProperty());

        targetField.textProperty().bindBidirectional(viewModel.targetProperty());
        countField.textProperty().bindBidirectional(viewModel.countProperty());
        continuousBox.selectedProperty().bindBidirectional(viewModel.continuousProperty());
        countField.disableProperty().bind(viewModel.continuousProperty());
        intervalField.textProperty().bindBidirectional(viewModel.intervalProperty());
        sizeField.textProperty().bindBidirectional(viewModel.sizeProperty());
        ttlField.textProperty().bindBidirectional(viewModel.ttlProperty());
        dontFragmentBox.selectedProperty().bindBidirectional(viewModel.dontFragmentProperty());

        startButton.disableProperty().bind(viewModel.canStartBinding().not());
        stopButton.disableProperty().bind(viewModel.runningProperty().not());
        startButton.setOnAction(event -> viewModel.start());
        stopButton.setOnAction(event -> viewModel.stop());
        clearButton.setOnAction(event -> viewModel.clear());
        targetField.setOnAction(event -> viewModel.start());

        outputList.setItems(viewModel.lines());
        outputList.setCellFactory(list -> new LineCell());
        outputList.getSelectionModel().selectedItemProperty().addListener((observable, old, line) -> viewModel.showFramesOf(line));
        // Follow new lines while the user has not scrolled away from the end.
        viewModel.lines().addListener((ListChangeListener<PingLine>) change -> {
            int last = viewModel.lines().size() - 1;
            if (last >= 0 && outputList.getSelectionModel().isEmpty()) {
                outputList.scrollTo(last);
            }
        });

        // The chart (its classes, skin and axes' layout) is the costliest part of the pane and empty at start:
        // made after the window's first pulse, which comes up that much sooner.
        AfterFirstPulse.run(chartSlot, () -> chartSlot.getChildren().setAll(rttChart()));

        packetsLabel.textProperty().bind(viewModel.packetsTextProperty());
        rttLabel.textProperty().bind(viewModel.rttTextProperty());
    }

    /** The live RTT chart: one point per reply, by sequence number; points from before it was made included. */
    private LineChart<Number, Number> rttChart() {
        NumberAxis sequenceAxis = new NumberAxis();
        sequenceAxis.setLabel("icmp_seq");
        sequenceAxis.setForceZeroInRange(false);
        sequenceAxis.setMinorTickVisible(false);
        NumberAxis rttAxis = new NumberAxis();
        rttAxis.setLabel("RTT (ms)");
        rttAxis.setMinorTickVisible(false);
        LineChart<Number, Number> rttChart = new LineChart<>(sequenceAxis, rttAxis);
        rttChart.getStyleClass().add("rtt-chart");
        rttChart.setAnimated(false);
        rttChart.setLegendVisible(false);
        rttChart.setCreateSymbols(true);
        rttChart.setMinHeight(120);
        // Sequence numbers are whole: ticks between them stay unlabelled.
        sequenceAxis.setTickLabelFormatter(new StringConverter<>() {
            @Override
            public String toString(Number value) {
                double number = value.doubleValue();
                return number == Math.rint(number) ? Long.toString((long) number) : "";
            }

            @Override
            public Number fromString(String text) {
                return Long.parseLong(text);
            }
        });
        XYChart.Series<Number, Number> series = new XYChart.Series<>();
        for (RttPoint point : viewModel.chartPoints()) {
            series.getData().add(new XYChart.Data<>(point.sequence(), point.millis()));
        }
        rttChart.getData().add(series);
        // Point by point, as the list changes: the chart draws added points reliably, a wholesale replacement not.
        viewModel.chartPoints().addListener((ListChangeListener<RttPoint>) change -> {
            while (change.next()) {
                if (change.wasRemoved()) {
                    series.getData().remove(change.getFrom(), change.getFrom() + change.getRemovedSize());
                }
                if (change.wasAdded()) {
                    List<XYChart.Data<Number, Number>> points = new ArrayList<>(change.getAddedSize());
                    for (RttPoint point : change.getAddedSubList()) {
                        points.add(new XYChart.Data<>(point.sequence(), point.millis()));
                    }
                    series.getData().addAll(change.getFrom(), points);
                }
            }
        });
        return rttChart;
    }

    private static final class LineCell extends ListCell<PingLine> {
        @Override
        protected void updateItem(PingLine line, boolean empty) {
            super.updateItem(line, empty);
            getStyleClass().removeAll(LINE_CLASSES);
            if (empty || line == null) {
                setText(null);
                return;
            }
            setText(line.text());
            getStyleClass().add(LINE_CLASSES[line.kind().ordinal()]);
        }
    }

    static String styleClassOf(LineKind kind) {
        return LINE_CLASSES[kind.ordinal()];
    }
}
