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
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
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
    private static final javafx.css.PseudoClass CHANGED = javafx.css.PseudoClass.getPseudoClass("changed");
    private static final javafx.css.PseudoClass INFERRED = javafx.css.PseudoClass.getPseudoClass("inferred");

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
    @FXML private CheckBox nagleCheck;
    @FXML private CheckBox delayedAckCheck;
    @FXML private CheckBox autoReadCheck;
    @FXML private Button readButton;
    @FXML private VBox diagramsArea;
    @FXML private HBox endChoice;
    @FXML private ToggleButton ourEndButton;
    @FXML private ToggleButton peerEndButton;
    @FXML private VBox ourEnd;
    @FXML private VBox peerEnd;
    @FXML private Label tcbTitleLabel;
    /** The values shown last and the connection they were of: what changed is highlighted. */
    private TcpSnapshot shownSnapshot;
    private Connection shownConnection;

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
        nagleCheck.selectedProperty().bindBidirectional(viewModel.nagleProperty());
        delayedAckCheck.selectedProperty().bindBidirectional(viewModel.delayedAckProperty());
        autoReadCheck.selectedProperty().bindBidirectional(viewModel.autoReadProperty());
        readButton.setOnAction(event -> viewModel.read());
        readButton.disableProperty().bind(viewModel.autoReadProperty());
        nagleCheck.setTooltip(tip("Nagle's algorithm (RFC 9293 3.7.4): while data is unacknowledged, small writes wait"
                + " and go out together in one full segment. Off is TCP_NODELAY. For the chosen connection and new ones."));
        delayedAckCheck.setTooltip(tip("Delayed ACKs (RFC 9293 3.8.6.3, RFC 1122 4.2.3.2): an ACK waits up to 40 ms for"
                + " data to ride on, every second full segment acknowledged at once. Off: every segment of data is"
                + " acknowledged at once. For the chosen connection and new ones."));
        autoReadCheck.setTooltip(tip("On, the application reads what arrives at once. Off, data waits in the receive"
                + " buffer: RCV.WND shrinks, down to a zero window and the peer's persist probes; Read takes it."));
        readButton.setTooltip(tip("The application reads once: up to " + TcpViewModel.READ_SIZE
                + " bytes of what the receive buffer holds, which opens the window again"));
        payloadField.setTooltip(tip("Sent as UTF-8; \\r \\n \\t and \\\\ are sent as CR, LF, tab and a backslash,"
                + " so GET / HTTP/1.0\\r\\n\\r\\n asks a web server for its page"));
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
        bindEndChoice(viewModel.stepMode());
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
        runButton.disableProperty().bind(step.canRunProperty().not().or(step.runningProperty()));
        pauseButton.disableProperty().bind(step.runningProperty().not());
        backButton.setTooltip(tip("Back one step: the scenario is replayed from its seed to the step before"));
        stepButton.setTooltip(tip("Deliver the held segment (timers due before it fire first); against the live"
                + " network, send the oldest of our held segments"));
        runButton.setTooltip(tip("Step on its own at the speed set by the slider, until the end or Pause; against the"
                + " live network, send our held segments one by one as they come"));
        speedSlider.setMin(TcpStepViewModel.MIN_SPEED);
        speedSlider.setMax(TcpStepViewModel.MAX_SPEED);
        speedSlider.valueProperty().bindBidirectional(step.speedProperty());
        speedLabel.textProperty().bind(step.speedProperty().asString(java.util.Locale.ROOT, "%.1f steps/s"));
        stepControls.visibleProperty().bind(step.stepModeProperty());
        stepControls.managedProperty().bind(step.stepModeProperty());
        // A scenario runs on a wire of its own: the live commands step aside, the step bar takes their room.
        // Holding our segments to the live network is step mode on our own connections: they stay.
        javafx.beans.binding.BooleanBinding live = step.stepModeProperty().not().or(step.holdLiveProperty());
        liveForm.visibleProperty().bind(live);
        liveForm.managedProperty().bind(live);
        // The list (where the scenario's client is the chosen row anyway) gives its height to the two diagrams.
        live.addListener((observable, old, shown) -> showConnectionsArea(shown));

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

    private double[] liveDividers;

    private void showConnectionsArea(boolean show) {
        boolean shown = split.getItems().contains(connectionsArea);
        if (show && !shown) {
            split.getItems().add(0, connectionsArea);
            if (liveDividers != null) {
                split.setDividerPositions(liveDividers);
            }
        } else if (!show && shown) {
            // The scenario's client is the list's only row of interest: the views below take its height.
            liveDividers = split.getDividerPositions();
            split.getItems().remove(connectionsArea);
        }
    }

    // ---------------------------------------------------------------- one diagram or two

    /**
     * Two diagrams side by side need about this much width to be read (each at half its drawing's size or more);
     * below it they are shown one at a time, chosen with two buttons that carry each end's title.
     */
    static final double SIDE_BY_SIDE_FROM = 840;

    private void bindEndChoice(TcpStepViewModel step) {
        ToggleGroup ends = new ToggleGroup();
        ourEndButton.setToggleGroup(ends);
        peerEndButton.setToggleGroup(ends);
        ourEndButton.setSelected(true);
        ourEndButton.textProperty().bind(step.ourTitleProperty());
        peerEndButton.textProperty().bind(step.peerTitleProperty());
        ourEndButton.setTooltip(tip("Show our end's diagram (the pane is too narrow for both: widen it to see them side by side)"));
        peerEndButton.setTooltip(tip("Show the peer's diagram (the pane is too narrow for both: widen it to see them side by side)"));
        // One of the two is always shown.
        ends.selectedToggleProperty().addListener((observable, old, now) -> {
            if (now == null && old != null) {
                old.setSelected(true);
            }
            layOutEnds();
        });
        // Stepping shows the end whose state the step changed, so its arrow is seen as it is taken.
        step.lastChangedEndProperty().addListener((observable, old, end) -> {
            if (end != null) {
                (end == TcpStepViewModel.EndSide.PEER ? peerEndButton : ourEndButton).setSelected(true);
            }
        });
        diagramsArea.widthProperty().addListener((observable, old, width) -> layOutEnds());
        layOutEnds();
    }

    private void layOutEnds() {
        boolean narrow = diagramsArea.getWidth() > 0 && diagramsArea.getWidth() < SIDE_BY_SIDE_FROM;
        show(endChoice, narrow);
        show(ourTitleLabel, !narrow);
        show(peerTitleLabel, !narrow);
        show(ourEnd, !narrow || ourEndButton.isSelected());
        show(peerEnd, !narrow || peerEndButton.isSelected());
    }

    private static void show(javafx.scene.Node node, boolean shown) {
        node.setVisible(shown);
        node.setManaged(shown);
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
        // One variable a row: its name, its value (highlighted when the last change changed it) and what it means.
        List<TcbField> fields = TcpViewModel.tcbFields(null);
        for (int row = 0; row < fields.size(); row++) {
            TcbField field = fields.get(row);
            Label name = new Label(field.name());
            name.setMinWidth(Region.USE_PREF_SIZE);
            Label value = new Label(field.value());
            value.getStyleClass().addAll(ToolPaneStyle.MONO, "tcp-tcb-value");
            value.setMinWidth(Region.USE_PREF_SIZE);
            Label meaning = new Label(field.meaning());
            meaning.getStyleClass().add("tcp-tcb-meaning");
            meaning.setWrapText(true);
            meaning.setMinWidth(0);
            Tooltip tooltip = tip(field.name() + ": " + field.meaning());
            name.setTooltip(tooltip);
            value.setTooltip(tooltip);
            tcbGrid.add(name, 0, row);
            tcbGrid.add(value, 1, row);
            tcbGrid.add(meaning, 2, row);
            tcbValues.add(value);
        }
        javafx.scene.layout.ColumnConstraints values = new javafx.scene.layout.ColumnConstraints();
        values.setMinWidth(120);
        javafx.scene.layout.ColumnConstraints meanings = new javafx.scene.layout.ColumnConstraints();
        meanings.setHgrow(javafx.scene.layout.Priority.ALWAYS);
        tcbGrid.getColumnConstraints().setAll(new javafx.scene.layout.ColumnConstraints(), values, meanings);
    }

    private void showTcb(TcpSnapshot snapshot) {
        List<TcbField> fields = TcpViewModel.tcbFields(snapshot);
        Connection of = viewModel.selectedProperty().get();
        // Changes are those of the connection shown before: another connection chosen highlights nothing.
        List<Boolean> changed = TcpViewModel.changedTcbFields(of == shownConnection ? shownSnapshot : null, snapshot);
        for (int i = 0; i < fields.size(); i++) {
            tcbValues.get(i).setText(fields.get(i).value());
            tcbValues.get(i).pseudoClassStateChanged(CHANGED, changed.get(i));
        }
        shownSnapshot = snapshot;
        shownConnection = of;
        tcbTitleLabel.setText(of == null ? "Choose a connection (or run a scenario): its transmission control block shows here."
                : "The transmission control block of " + of.toString().replaceAll(" {2,}", "  ")
                        + ". Values the last change changed are highlighted.");
    }

    private static Tooltip tip(String text) {
        Tooltip tooltip = new Tooltip(text);
        tooltip.setShowDelay(Duration.millis(300));
        tooltip.setWrapText(true);
        tooltip.setMaxWidth(360);
        return tooltip;
    }
}
