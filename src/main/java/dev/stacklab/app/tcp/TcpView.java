package dev.stacklab.app.tcp;

import dev.stacklab.app.ToolPaneStyle;
import dev.stacklab.app.tcp.TcpViewModel.Connection;
import dev.stacklab.app.tcp.TcpViewModel.TcbField;
import dev.stacklab.app.tcp.chart.ChartsPane;
import dev.stacklab.app.tcp.ladder.LadderPane;
import dev.stacklab.stack.tcp.TcpSnapshot;
import dev.stacklab.stack.tcp.TcpState;
import javafx.beans.value.ChangeListener;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import dev.stacklab.runtime.stepping.TcpScenario;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Slider;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.Tab;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.Duration;

import java.util.ArrayList;
import java.util.List;

/** The TCP pane: binds {@code Tcp.fxml} to a {@link TcpViewModel}, nothing more. */
public final class TcpView {
    private static final String STYLESHEET = java.util.Objects.requireNonNull(
            TcpView.class.getResource("tcp-pane.css"), "tcp-pane.css").toExternalForm();
    private static final javafx.css.PseudoClass INFERRED = javafx.css.PseudoClass.getPseudoClass("inferred");
    /** TCB variables per row of the grid. */
    private static final int FIELDS_PER_ROW = 3;

    private final TcpViewModel viewModel;
    private final List<Label> tcbValues = new ArrayList<>();

    @FXML private VBox root;
    @FXML private Label unavailableLabel;
    @FXML private TextField hostField;
    @FXML private TextField portField;
    @FXML private Button connectButton;
    @FXML private TextField listenPortField;
    @FXML private Button listenButton;
    @FXML private Button stopListeningButton;
    @FXML private TextField payloadField;
    @FXML private Button sendButton;
    @FXML private Button closeButton;
    @FXML private Button abortButton;
    @FXML private Label resultLabel;
    @FXML private Label messageLabel;
    @FXML private Button clearClosedButton;
    @FXML private ListView<Connection> connectionList;
    @FXML private TextArea receivedArea;
    @FXML private TcpStateDiagram diagram;
    @FXML private GridPane tcbGrid;
    // Step mode and the second diagram (TcpStepViewModel).
    @FXML private VBox stepArea;
    @FXML private GridPane liveForm;
    @FXML private javafx.scene.control.SplitPane split;
    @FXML private HBox connectionsArea;
    @FXML private CheckBox stepModeCheck;
    @FXML private ComboBox<TcpScenario> scenarioChoice;
    @FXML private TextField seedField;
    @FXML private Button runScenarioButton;
    @FXML private HBox stepControls;
    @FXML private Button backButton;
    @FXML private Button stepButton;
    @FXML private Button runButton;
    @FXML private Button pauseButton;
    @FXML private Slider speedSlider;
    @FXML private Label speedLabel;
    @FXML private Label stepCounterLabel;
    @FXML private HBox liveHoldControls;
    @FXML private CheckBox holdLiveCheck;
    @FXML private Button releaseButton;
    @FXML private Label liveHeldLabel;
    @FXML private Label heldLabel;
    @FXML private Label predictionLabel;
    @FXML private Label lastStepLabel;
    @FXML private Label stepNoteLabel;
    @FXML private Label stepMessageLabel;
    @FXML private Label ourTitleLabel;
    @FXML private Label ourCaptionLabel;
    @FXML private Label peerTitleLabel;
    @FXML private TcpStateDiagram peerDiagram;
    @FXML private Label peerCaptionLabel;
    @FXML private Tab ladderTab;
    @FXML private Tab chartsTab;

    private TcpView(TcpViewModel viewModel) {
        this.viewModel = viewModel;
    }

    /** Loads the pane and binds it to {@code viewModel}. FX thread. */
    public static Parent load(TcpViewModel viewModel) {
        return ToolPaneStyle.load(TcpView.class, "Tcp.fxml", new TcpView(viewModel));
    }

    @FXML
    private void initialize() {
        ToolPaneStyle.apply(root);
        ToolPaneStyle.showText(unavailableLabel, viewModel.unavailableReasonProperty());
        ToolPaneStyle.showText(messageLabel, viewModel.messageProperty());
        // The live commands' last result says nothing about a scenario: in step mode it gives its line to the step bar.
        ToolPaneStyle.showText(resultLabel, javafx.beans.binding.Bindings.createStringBinding(
                () -> viewModel.stepMode().stepModeProperty().get() ? null : viewModel.resultProperty().get(),
                viewModel.resultProperty(), viewModel.stepMode().stepModeProperty()));

        hostField.textProperty().bindBidirectional(viewModel.hostProperty());
        portField.textProperty().bindBidirectional(viewModel.portProperty());
        listenPortField.textProperty().bindBidirectional(viewModel.listenPortProperty());
        payloadField.textProperty().bindBidirectional(viewModel.payloadProperty());

        connectButton.setOnAction(event -> viewModel.connect());
        hostField.setOnAction(event -> viewModel.connect());
        portField.setOnAction(event -> viewModel.connect());
        listenButton.setOnAction(event -> viewModel.listen());
        listenPortField.setOnAction(event -> viewModel.listen());
        stopListeningButton.setOnAction(event -> viewModel.stopListening());
        stopListeningButton.disableProperty().bind(viewModel.listeningPortProperty().lessThan(0));
        sendButton.setOnAction(event -> viewModel.send());
        payloadField.setOnAction(event -> viewModel.send());
        closeButton.setOnAction(event -> viewModel.close());
        abortButton.setOnAction(event -> viewModel.abort());
        clearClosedButton.setOnAction(event -> viewModel.clearClosed());
        for (Button button : new Button[] {connectButton, listenButton}) {
            button.disableProperty().bind(viewModel.availableBinding().not());
        }
        for (Button button : new Button[] {sendButton, closeButton, abortButton}) {
            button.disableProperty().bind(viewModel.selectedCanSendProperty().not());
        }
        closeButton.setTooltip(tip("Close: our FIN follows the data sent; the connection finishes on its own"));
        abortButton.setTooltip(tip("Abort: a RST to the peer, data not yet sent thrown away"));

        connectionList.setItems(viewModel.connections());
        connectionList.getSelectionModel().selectedItemProperty().addListener((observable, old, now) -> {
            if (now != null) {
                viewModel.selectedProperty().set(now);
            }
        });
        buildTcbGrid();
        bindStepMode(viewModel.stepMode());
        ladderTab.setContent(new LadderPane(viewModel.ladder()));
        chartsTab.setContent(new ChartsPane(viewModel.charts()));
        viewModel.selectedProperty().addListener((observable, old, now) -> follow(old, now));
        follow(null, viewModel.selectedProperty().get());
    }

    // ---------------------------------------------------------------- step mode and the peer's diagram

    private void bindStepMode(TcpStepViewModel step) {
        root.getStylesheets().add(STYLESHEET);
        stepModeCheck.selectedProperty().bindBidirectional(step.stepModeProperty());
        stepModeCheck.setTooltip(tip("Hold every frame of a scenario on its wire until you press Step"));
        scenarioChoice.getItems().setAll(step.scenarios());
        scenarioChoice.valueProperty().bindBidirectional(step.scenarioProperty());
        scenarioChoice.setTooltip(tip(step.descriptionProperty().get()));
        step.descriptionProperty().addListener((observable, old, now) -> scenarioChoice.getTooltip().setText(now));
        seedField.textProperty().bindBidirectional(step.seedProperty());
        seedField.setTooltip(tip("The seed sets the ISNs and the client's port: the same seed, the same run"));
        runScenarioButton.setOnAction(event -> step.runScenario());
        seedField.setOnAction(event -> step.runScenario());
        backButton.setOnAction(event -> step.back());
        stepButton.setOnAction(event -> step.step());
        runButton.setOnAction(event -> step.run());
        pauseButton.setOnAction(event -> step.pause());
        backButton.disableProperty().bind(step.canBackProperty().not());
        stepButton.disableProperty().bind(step.canStepProperty().not());
        runButton.disableProperty().bind(step.canStepProperty().not().or(step.runningProperty()));
        pauseButton.disableProperty().bind(step.runningProperty().not());
        backButton.setTooltip(tip("Back one step: the scenario is replayed from its seed to the step before"));
        stepButton.setTooltip(tip("Deliver the held segment (timers due before it fire first)"));
        speedSlider.setMin(TcpStepViewModel.MIN_SPEED);
        speedSlider.setMax(TcpStepViewModel.MAX_SPEED);
        speedSlider.valueProperty().bindBidirectional(step.speedProperty());
        speedLabel.textProperty().bind(step.speedProperty().asString(java.util.Locale.ROOT, "%.1f steps/s"));
        stepControls.visibleProperty().bind(step.stepModeProperty());
        stepControls.managedProperty().bind(step.stepModeProperty());
        // A scenario runs on a wire of its own: the live commands step aside, the step bar takes their room.
        liveForm.visibleProperty().bind(step.stepModeProperty().not());
        liveForm.managedProperty().bind(step.stepModeProperty().not());
        // The list (where the scenario's client is the chosen row anyway) gives its height to the two diagrams.
        step.stepModeProperty().addListener((observable, old, on) -> showConnectionsArea(!on));

        ToolPaneStyle.showText(stepCounterLabel, step.stepTextProperty());
        liveHoldControls.visibleProperty().bind(step.stepModeProperty());
        liveHoldControls.managedProperty().bind(step.stepModeProperty());
        holdLiveCheck.selectedProperty().bindBidirectional(step.holdLiveProperty());
        holdLiveCheck.setTooltip(tip("Step mode against the live network: our TCP segments wait until Release;"
                + " the peer is not held, its own timers keep running"));
        releaseButton.setOnAction(event -> step.releaseLive());
        releaseButton.disableProperty().bind(step.liveHeldCountProperty().isEqualTo(0));
        ToolPaneStyle.showText(liveHeldLabel, prefixed("Held, ours:  ", step.liveHeldTextProperty()));
        ToolPaneStyle.showText(heldLabel, step.heldTextProperty());
        ToolPaneStyle.showText(predictionLabel, prefixed("It will make  ", step.predictionTextProperty()));
        // One line (the diagrams' captions say the same per end); the whole of it in the tooltip.
        ToolPaneStyle.showText(lastStepLabel, step.lastTextProperty());
        Tooltip lastStepTip = tip("");
        lastStepTip.textProperty().bind(step.lastTextProperty());
        lastStepLabel.setTooltip(lastStepTip);
        ToolPaneStyle.showText(stepNoteLabel, step.noteProperty());
        ToolPaneStyle.showText(stepMessageLabel, step.messageProperty());

        ourTitleLabel.textProperty().bind(step.ourTitleProperty());
        ToolPaneStyle.showText(ourCaptionLabel, step.ourCaptionProperty());
        peerTitleLabel.textProperty().bind(step.peerTitleProperty());
        ToolPaneStyle.showText(peerCaptionLabel, step.peerCaptionProperty());
        step.peerInferredProperty().addListener((observable, old, inferred) -> peerDiagram.pseudoClassStateChanged(INFERRED, inferred));
        peerDiagram.pseudoClassStateChanged(INFERRED, step.peerInferredProperty().get());
        diagram.causeProperty().bind(step.ourCaptionProperty());
        peerDiagram.causeProperty().bind(step.peerCaptionProperty());
        peerDiagram.showPath(List.copyOf(step.peerPath()));
        step.peerPath().addListener((ListChangeListener<TcpState>) change -> {
            List<? extends TcpState> states = change.getList();
            boolean onlyAdded = true;
            while (change.next()) {
                onlyAdded &= change.wasAdded() && !change.wasRemoved() && change.getAddedSize() == 1;
            }
            if (onlyAdded && !states.isEmpty()) {
                peerDiagram.setState(states.get(states.size() - 1));
            } else {
                peerDiagram.showPath(List.copyOf(states));
            }
        });
    }

    private static final double STEP_MODE_DIVIDER = 0.62;
    private double[] liveDividers;

    private void showConnectionsArea(boolean show) {
        boolean shown = split.getItems().contains(connectionsArea);
        if (show && !shown) {
            split.getItems().add(0, connectionsArea);
            if (liveDividers != null) {
                split.setDividerPositions(liveDividers);
            }
        } else if (!show && shown) {
            liveDividers = split.getDividerPositions();
            split.getItems().remove(connectionsArea);
            // Most of the height to the two diagrams, the rest to the ladder (drag the divider to change it).
            split.setDividerPositions(STEP_MODE_DIVIDER);
        }
    }

    /** {@code prefix} before the text, or null while there is none (the label then hides). */
    private static javafx.beans.binding.StringBinding prefixed(String prefix, javafx.beans.value.ObservableStringValue text) {
        return javafx.beans.binding.Bindings.createStringBinding(() -> text.get() == null ? null : prefix + text.get(), text);
    }

    // ---------------------------------------------------------------- the chosen connection

    private final ListChangeListener<TcpState> statesChanged = change -> {
        List<? extends TcpState> states = change.getList();
        boolean onlyAdded = true;
        while (change.next()) {
            onlyAdded &= change.wasAdded() && !change.wasRemoved() && change.getAddedSize() == 1;
        }
        if (onlyAdded && !states.isEmpty()) {
            diagram.setState(states.get(states.size() - 1));
        } else {
            diagram.showPath(List.copyOf(states));
        }
    };
    private final ChangeListener<TcpSnapshot> snapshotChanged = (observable, old, now) -> showTcb(now);
    private final ChangeListener<String> receivedChanged = (observable, old, now) -> showReceived(now);

    private void follow(Connection old, Connection now) {
        if (old != null) {
            old.states().removeListener(statesChanged);
            old.snapshotProperty().removeListener(snapshotChanged);
            old.receivedProperty().removeListener(receivedChanged);
        }
        if (now == null) {
            diagram.showPath(List.of());
            showTcb(null);
            showReceived("");
            return;
        }
        if (connectionList.getSelectionModel().getSelectedItem() != now) {
            connectionList.getSelectionModel().select(now);
        }
        diagram.showPath(List.copyOf(now.states()));
        now.states().addListener(statesChanged);
        showTcb(now.snapshotProperty().get());
        now.snapshotProperty().addListener(snapshotChanged);
        showReceived(now.receivedProperty().get());
        now.receivedProperty().addListener(receivedChanged);
    }

    private void showReceived(String text) {
        receivedArea.setText(text);
        receivedArea.positionCaret(text.length());
    }

    private void buildTcbGrid() {
        List<TcbField> fields = TcpViewModel.tcbFields(null);
        for (int i = 0; i < fields.size(); i++) {
            TcbField field = fields.get(i);
            Label name = new Label(field.name());
            name.setMinWidth(Region.USE_PREF_SIZE);
            Label value = new Label(field.value());
            value.getStyleClass().add(ToolPaneStyle.MONO);
            value.setMinWidth(Region.USE_PREF_SIZE);
            Tooltip tooltip = tip(field.name() + ": " + field.meaning());
            name.setTooltip(tooltip);
            value.setTooltip(tooltip);
            int row = i / FIELDS_PER_ROW;
            int column = (i % FIELDS_PER_ROW) * 2;
            tcbGrid.add(name, column, row);
            tcbGrid.add(value, column + 1, row);
            tcbValues.add(value);
        }
    }

    private void showTcb(TcpSnapshot snapshot) {
        List<TcbField> fields = TcpViewModel.tcbFields(snapshot);
        for (int i = 0; i < fields.size(); i++) {
            tcbValues.get(i).setText(fields.get(i).value());
        }
    }

    private static Tooltip tip(String text) {
        Tooltip tooltip = new Tooltip(text);
        tooltip.setShowDelay(Duration.millis(300));
        tooltip.setWrapText(true);
        tooltip.setMaxWidth(360);
        return tooltip;
    }
}
