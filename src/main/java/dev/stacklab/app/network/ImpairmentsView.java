package dev.stacklab.app.network;

import javafx.beans.binding.Bindings;
import javafx.beans.property.DoubleProperty;
import javafx.fxml.FXML;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.layout.GridPane;

import java.io.IOException;
import java.io.UncheckedIOException;

/** The "Link" tool pane: a slider per impairment with its live value, the summary in effect, and Reset. Binds only. */
public final class ImpairmentsView {
    private final ImpairmentsViewModel viewModel;
    @FXML
    private Label disabledReason;
    @FXML
    private GridPane controls;
    @FXML
    private Slider loss;
    @FXML
    private Label lossValue;
    @FXML
    private Slider delay;
    @FXML
    private Label delayValue;
    @FXML
    private Slider jitter;
    @FXML
    private Label jitterValue;
    @FXML
    private Slider duplicate;
    @FXML
    private Label duplicateValue;
    @FXML
    private Slider reorder;
    @FXML
    private Label reorderValue;
    @FXML
    private Slider corrupt;
    @FXML
    private Label corruptValue;
    @FXML
    private Label summary;
    @FXML
    private Button resetButton;

    private ImpairmentsView(ImpairmentsViewModel viewModel) {
        this.viewModel = viewModel;
    }

    public static Parent load(ImpairmentsViewModel viewModel) {
        FXMLLoader loader = new FXMLLoader(ImpairmentsView.class.getResource("Impairments.fxml"));
        loader.setController(new ImpairmentsView(viewModel));
        try {
            Parent root = loader.load();
            root.getStylesheets().add(ImpairmentsView.class.getResource(NetworkBarView.STYLESHEET).toExternalForm());
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException("Impairments.fxml is missing from the build", e);
        }
    }

    @FXML
    private void initialize() {
        percent(loss, lossValue, viewModel.lossPercentProperty());
        millis(delay, delayValue, viewModel.delayMillisProperty());
        millis(jitter, jitterValue, viewModel.jitterMillisProperty());
        percent(duplicate, duplicateValue, viewModel.duplicatePercentProperty());
        percent(reorder, reorderValue, viewModel.reorderPercentProperty());
        percent(corrupt, corruptValue, viewModel.corruptPercentProperty());
        controls.disableProperty().bind(viewModel.enabledProperty().not());
        resetButton.disableProperty().bind(viewModel.enabledProperty().not());
        resetButton.setOnAction(event -> viewModel.reset());
        disabledReason.textProperty().bind(viewModel.disabledReasonProperty());
        disabledReason.visibleProperty().bind(viewModel.disabledReasonProperty().isNotEmpty());
        disabledReason.managedProperty().bind(disabledReason.visibleProperty());
        summary.textProperty().bind(viewModel.summaryProperty());
    }

    private static void percent(Slider slider, Label value, DoubleProperty property) {
        configure(slider, ImpairmentsViewModel.MAX_PERCENT, 25, property);
        value.textProperty().bind(Bindings.format("%.0f %%", property));
    }

    private static void millis(Slider slider, Label value, DoubleProperty property) {
        configure(slider, ImpairmentsViewModel.MAX_DELAY_MILLIS, 500, property);
        value.textProperty().bind(Bindings.format("%.0f ms", property));
    }

    private static void configure(Slider slider, double max, double majorTick, DoubleProperty property) {
        slider.setMin(0);
        slider.setMax(max);
        slider.setMajorTickUnit(majorTick);
        slider.setMinorTickCount(4);
        slider.setShowTickMarks(true);
        slider.setBlockIncrement(1);
        // Whole percents and milliseconds: what the label shows is what the cable does.
        slider.valueProperty().addListener((observable, before, after) -> {
            double rounded = Math.rint(after.doubleValue());
            if (rounded != after.doubleValue()) {
                slider.setValue(rounded);
            }
        });
        slider.valueProperty().bindBidirectional(property);
    }
}
