package dev.stacklab.app.network;

import javafx.beans.binding.Bindings;
import javafx.css.PseudoClass;
import javafx.fxml.FXML;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The network bar in the toolbar: the chooser (networks this process may not use are greyed out, with the reason
 * in the entry and the fix behind "Why are some greyed out?"), a capture filter for watch-only, Start/Stop, our
 * address and what is happening. Binds only; Start on a real interface first asks for our host's settings.
 */
public final class NetworkBarView {
    static final String STYLESHEET = "network.css";
    static final String CELL_STYLE_CLASS = "network-choice-cell";
    static final String HINT_STYLE_CLASS = "hint-link";
    static final PseudoClass UNAVAILABLE = PseudoClass.getPseudoClass("unavailable");

    private final NetworkBarViewModel viewModel;
    @FXML
    private ComboBox<NetworkChoice> chooser;
    @FXML
    private TextField captureFilter;
    @FXML
    private Button startButton;
    @FXML
    private Button stopButton;
    @FXML
    private Label ourAddress;
    @FXML
    private Label status;
    @FXML
    private Label listingNote;
    @FXML
    private Hyperlink privilegeHint;

    private NetworkBarView(NetworkBarViewModel viewModel) {
        this.viewModel = viewModel;
    }

    /** Loads the bar (an HBox) and binds it to {@code viewModel}. */
    public static Parent load(NetworkBarViewModel viewModel) {
        FXMLLoader loader = new FXMLLoader(NetworkBarView.class.getResource("NetworkBar.fxml"));
        loader.setController(new NetworkBarView(viewModel));
        try {
            Parent root = loader.load();
            root.getStylesheets().add(NetworkBarView.class.getResource(STYLESHEET).toExternalForm());
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException("NetworkBar.fxml is missing from the build", e);
        }
    }

    @FXML
    private void initialize() {
        chooser.setItems(viewModel.choices());
        chooser.valueProperty().bindBidirectional(viewModel.selectedChoiceProperty());
        chooser.setCellFactory(list -> new ChoiceCell(true));
        chooser.setButtonCell(new ChoiceCell(false));
        Tooltip chooserTip = new Tooltip();
        chooserTip.textProperty().bind(Bindings.when(viewModel.unavailableReasonProperty().isEmpty())
                .then("The network our host is attached to").otherwise(viewModel.unavailableReasonProperty()));
        chooserTip.setWrapText(true);
        chooserTip.setMaxWidth(520);
        chooser.setTooltip(chooserTip);

        var watchOnly = Bindings.createBooleanBinding(() -> viewModel.selectedChoiceProperty().get() != null
                && viewModel.selectedChoiceProperty().get().kind() == NetworkChoice.Kind.WATCH_ONLY,
                viewModel.selectedChoiceProperty());
        captureFilter.visibleProperty().bind(watchOnly);
        captureFilter.managedProperty().bind(watchOnly);
        captureFilter.textProperty().bindBidirectional(viewModel.captureFilterProperty());
        captureFilter.disableProperty().bind(viewModel.stateProperty().isNotEqualTo(NetworkBarViewModel.State.STOPPED));
        captureFilter.setTooltip(new Tooltip("A capture filter in tcpdump's language (BPF), applied in the kernel;"
                + " empty captures everything. Press Enter or Start."));
        captureFilter.setOnAction(event -> viewModel.start());

        startButton.disableProperty().bind(viewModel.startDisabledProperty());
        startButton.setOnAction(event -> start());
        stopButton.disableProperty().bind(viewModel.stopDisabledProperty());
        stopButton.setOnAction(event -> viewModel.stop());
        ourAddress.textProperty().bind(viewModel.ourAddressProperty());
        ourAddress.setTooltip(new Tooltip("Our host's address and MAC on this network"));
        status.textProperty().bind(viewModel.statusProperty());
        listingNote.visibleProperty().bind(viewModel.listingProperty());
        listingNote.managedProperty().bind(listingNote.visibleProperty());

        privilegeHint.getStyleClass().add(HINT_STYLE_CLASS);
        privilegeHint.visibleProperty().bind(viewModel.privilegeHintProperty().isNotEmpty());
        privilegeHint.managedProperty().bind(privilegeHint.visibleProperty());
        Tooltip hintTip = new Tooltip();
        hintTip.textProperty().bind(viewModel.privilegeHintProperty());
        privilegeHint.setTooltip(hintTip);
        privilegeHint.setOnAction(event -> showPrivilegeHint());
    }

    private void start() {
        NetworkChoice choice = viewModel.selectedChoiceProperty().get();
        if (choice != null && choice.available() && choice.kind().needsHostSettings()) {
            if (!OurHostSettingsView.showDialog(startButton.getScene().getWindow(), viewModel.hostSettings(), choice)) {
                return;
            }
        }
        viewModel.start();
    }

    /** The fix as text that can be selected and copied, not only read in a tooltip. */
    private void showPrivilegeHint() {
        TextArea text = new TextArea(viewModel.privilegeHintProperty().get());
        text.setEditable(false);
        text.setWrapText(true);
        text.setPrefRowCount(8);
        text.setPrefColumnCount(72);
        // The dialog would squeeze it to a few lines with a scroll bar: every command must show whole.
        text.setMinHeight(190);
        Alert alert = new Alert(Alert.AlertType.INFORMATION, null, ButtonType.CLOSE);
        alert.initOwner(privilegeHint.getScene().getWindow());
        alert.setTitle("Networks that need privileges");
        alert.setHeaderText("Why some networks are greyed out");
        alert.getDialogPane().setContent(text);
        alert.show();
    }

    /** An entry of the chooser: greyed out, with its reason, where it cannot be used. */
    private static final class ChoiceCell extends ListCell<NetworkChoice> {
        /** The list shows every detail; the button, which has less room, the short name. */
        private final boolean inList;

        ChoiceCell(boolean inList) {
            this.inList = inList;
            getStyleClass().add(CELL_STYLE_CLASS);
        }

        @Override
        protected void updateItem(NetworkChoice choice, boolean empty) {
            super.updateItem(choice, empty);
            boolean unavailable = !empty && choice != null && !choice.available();
            pseudoClassStateChanged(UNAVAILABLE, unavailable);
            // In the list, an entry that cannot be used cannot be picked either; the button shows whatever is chosen.
            setDisable(inList && unavailable);
            if (empty || choice == null) {
                setText(null);
                setTooltip(null);
                return;
            }
            String text = inList ? choice.label() : choice.shortLabel();
            setText(unavailable ? text + "  (" + choice.unavailableReason() + ")" : text);
            setTooltip(unavailable ? new Tooltip(choice.unavailableReason() + ". " + choice.fix()) : null);
        }
    }
}
