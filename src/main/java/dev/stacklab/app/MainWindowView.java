package dev.stacklab.app;

import javafx.application.Application;
import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TabPane;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import org.controlsfx.control.StatusBar;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.text.NumberFormat;

/**
 * Binds MainWindow.fxml to a {@link MainWindowViewModel} and hosts the panes the others build: the network bar
 * in the toolbar, the capture panes in the centre, the tool panes as tabs on the right. Loading comes first (the
 * panes need its {@link #notifier()}), then {@link #bind}.
 */
public final class MainWindowView {
    public static final String STYLESHEET = "/dev/stacklab/app/stacklab.css";
    /** The split between the capture and the tool tabs, remembered under this name. */
    static final String MAIN_SPLIT = "main";
    private static final double MAIN_SPLIT_DEFAULT = 0.56;
    /** The key in a toolbar control's properties (set in MainWindow.fxml) whose text becomes its tooltip. */
    static final String TOOLTIP_PROPERTY = "tooltip";

    @FXML
    private StackPane root;
    @FXML
    private HBox networkBarSlot;
    @FXML
    private ToggleButton pauseButton;
    @FXML
    private Button clearButton;
    @FXML
    private Button openButton;
    @FXML
    private Button sampleButton;
    @FXML
    private Button saveButton;
    @FXML
    private Button themeButton;
    @FXML
    private SplitPane mainSplit;
    @FXML
    private StackPane captureSlot;
    @FXML
    private TabPane toolTabs;
    @FXML
    private StatusBar statusBar;
    @FXML
    private Label capturedLabel;
    @FXML
    private Label rateLabel;
    @FXML
    private Label dropsLabel;
    @FXML
    private Label addressLabel;
    @FXML
    private VBox notifications;

    private NotificationArea notificationArea;
    private MainWindowViewModel viewModel;
    private boolean tooltipsMade;

    private MainWindowView() {
    }

    /** Loads the window's FXML; nothing is bound yet. */
    public static MainWindowView load() {
        MainWindowView view = new MainWindowView();
        FXMLLoader loader = new FXMLLoader(MainWindowView.class.getResource("MainWindow.fxml"));
        loader.setController(view);
        try {
            loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("MainWindow.fxml is missing or broken in this build", e);
        }
        view.root.getStylesheets().add(STYLESHEET);
        view.notificationArea = new NotificationArea(view.notifications);
        return view;
    }

    public Parent root() {
        return root;
    }

    public NotificationArea notifier() {
        return notificationArea;
    }

    public SplitPane mainSplit() {
        return mainSplit;
    }

    public TabPane toolTabs() {
        return toolTabs;
    }

    /** Puts the panes in their places and binds the toolbar and the status bar to the view-model. */
    public void bind(MainWindowViewModel viewModel, MainWindowParts parts) {
        this.viewModel = viewModel;
        networkBarSlot.getChildren().setAll(parts.networkBar());
        captureSlot.getChildren().setAll(parts.captureView());
        toolTabs.getTabs().setAll(parts.toolTabs());
        SplitPane.setResizableWithParent(toolTabs, false);
        restoreLayout();

        CaptureControls capture = viewModel.capture();
        pauseButton.selectedProperty().bindBidirectional(capture.pausedProperty());
        Region pauseIcon = (Region) pauseButton.getGraphic();
        pauseButton.selectedProperty().addListener((observable, was, paused) -> showPaused(pauseIcon, paused));
        showPaused(pauseIcon, pauseButton.isSelected());
        clearButton.setOnAction(event -> viewModel.clearCapture());
        openButton.setOnAction(event -> chooseCaptureToOpen());
        sampleButton.setOnAction(event -> viewModel.openSample());
        saveButton.setOnAction(event -> chooseWhereToSave());
        themeButton.setOnAction(event -> viewModel.toggleTheme());
        viewModel.themeProperty().addListener((observable, old, theme) -> apply(theme));
        apply(viewModel.themeProperty().get());

        NumberFormat count = NumberFormat.getIntegerInstance();
        capturedLabel.textProperty().bind(Bindings.createStringBinding(
                () -> "Frames: " + count.format(capture.capturedCount().getValue().longValue())
                        + ringNote(count, capture.ringDropped().getValue().longValue()),
                capture.capturedCount(), capture.ringDropped()));
        rateLabel.textProperty().bind(Bindings.createStringBinding(
                () -> count.format(Math.round(capture.framesPerSecond().getValue().doubleValue())) + " frames/s",
                capture.framesPerSecond()));
        dropsLabel.textProperty().bind(viewModel.dropsTextProperty());
        addressLabel.textProperty().bind(Bindings.concat("Our address: ", viewModel.ourAddressProperty()));
        statusBar.textProperty().bind(viewModel.linkStateProperty());
    }

    /**
     * Gives the toolbar and the status bar their tooltips; the app calls it once the first frame is drawn: each
     * tooltip is a popup window with a scene of its own (the first also loads their classes), some 0.03-0.1 s of the
     * FX thread's time before the window could show, for something nobody sees within a second of hovering.
     */
    public void makeTooltips() {
        for (javafx.scene.control.Control control : java.util.List.of(pauseButton, clearButton, openButton, sampleButton, saveButton)) {
            control.setTooltip(new Tooltip((String) control.getProperties().get(TOOLTIP_PROPERTY)));
        }
        Tooltip dropsReasons = new Tooltip();
        dropsReasons.textProperty().bind(Bindings.concat("Dropped frames by reason: ", viewModel.dropsDetailProperty()));
        dropsLabel.setTooltip(dropsReasons);
        tooltipsMade = true;
        showThemeSwitch(viewModel.themeProperty().get());
    }

    private void showThemeSwitch(Theme theme) {
        if (tooltipsMade) {
            themeButton.setTooltip(new Tooltip("Switch to the " + theme.other().displayName().toLowerCase() + " theme"));
        }
    }

    private static String ringNote(NumberFormat count, long ringDropped) {
        return ringDropped == 0 ? "" : " (" + count.format(ringDropped) + " oldest dropped)";
    }

    private static void showPaused(Region icon, boolean paused) {
        icon.getStyleClass().removeAll(ToolbarIcons.PAUSE, ToolbarIcons.RESUME);
        icon.getStyleClass().add(paused ? ToolbarIcons.RESUME : ToolbarIcons.PAUSE);
    }

    private void apply(Theme theme) {
        // Set again only when it changes: the same one again costs JavaFX a read and a checksum of the whole file.
        if (!theme.userAgentStylesheet().equals(Application.getUserAgentStylesheet())) {
            Application.setUserAgentStylesheet(theme.userAgentStylesheet());
        }
        root.getStyleClass().remove(Theme.DARK_STYLE_CLASS);
        if (theme == Theme.DARK) {
            root.getStyleClass().add(Theme.DARK_STYLE_CLASS);
        }
        showThemeSwitch(theme);
    }

    /** Opens the file chooser for a pcap/pcapng file (Ctrl+O). */
    public void chooseCaptureToOpen() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Open a capture");
        chooser.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter("Captures (*.pcap, *.pcapng, *.cap)", "*.pcap", "*.pcapng", "*.cap"),
                new FileChooser.ExtensionFilter("All files", "*"));
        File file = chooser.showOpenDialog(window());
        if (file != null) {
            viewModel.openCapture(file.toPath());
        }
    }

    /** Opens the file chooser to save the capture as pcap (Ctrl+S). */
    public void chooseWhereToSave() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Save the capture as pcap");
        chooser.setInitialFileName("capture.pcap");
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("pcap (*.pcap)", "*.pcap"));
        File file = chooser.showSaveDialog(window());
        if (file != null) {
            Path path = file.toPath();
            viewModel.saveCapture(path.getFileName().toString().contains(".") ? path : path.resolveSibling(path.getFileName() + ".pcap"));
        }
    }

    private Window window() {
        return root.getScene() == null ? null : root.getScene().getWindow();
    }

    /**
     * Puts the split where it was left. Called again once the window has its final size: the tool tabs keep their
     * width when the window resizes, so a position set at another width would drift.
     */
    public void restoreLayout() {
        mainSplit.setDividerPositions(viewModel.preferences().divider(MAIN_SPLIT, MAIN_SPLIT_DEFAULT));
    }

    /** Remembers the split position (the window's bounds are the stage's business). */
    public void saveLayout() {
        double[] positions = mainSplit.getDividerPositions();
        if (positions.length > 0) {
            viewModel.preferences().setDivider(MAIN_SPLIT, positions[0]);
        }
    }
}
