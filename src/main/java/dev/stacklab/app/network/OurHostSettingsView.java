package dev.stacklab.app.network;

import javafx.fxml.FXML;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextField;
import javafx.stage.Window;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Our host's settings on a real interface or TAP device, asked before it starts there. Binds only; the address
 * is proposed (RFC 5227 probes) when the dialog opens without one.
 */
public final class OurHostSettingsView {
    static final ButtonType START = new ButtonType("Start", ButtonBar.ButtonData.OK_DONE);

    private final OurHostSettingsViewModel viewModel;
    @FXML
    private Label interfaceDescription;
    @FXML
    private TextField address;
    @FXML
    private Button proposeButton;
    @FXML
    private ProgressIndicator proposing;
    @FXML
    private TextField gateway;
    @FXML
    private TextField mac;
    @FXML
    private Label proposalStatus;
    @FXML
    private Label validationMessage;

    private OurHostSettingsView(OurHostSettingsViewModel viewModel) {
        this.viewModel = viewModel;
    }

    public static Parent load(OurHostSettingsViewModel viewModel) {
        FXMLLoader loader = new FXMLLoader(OurHostSettingsView.class.getResource("OurHostSettings.fxml"));
        loader.setController(new OurHostSettingsView(viewModel));
        try {
            Parent root = loader.load();
            root.getStylesheets().add(OurHostSettingsView.class.getResource(NetworkBarView.STYLESHEET).toExternalForm());
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException("OurHostSettings.fxml is missing from the build", e);
        }
    }

    @FXML
    private void initialize() {
        interfaceDescription.textProperty().bind(viewModel.interfaceDescriptionProperty());
        address.textProperty().bindBidirectional(viewModel.addressProperty());
        gateway.textProperty().bindBidirectional(viewModel.gatewayProperty());
        mac.textProperty().bindBidirectional(viewModel.macProperty());
        proposeButton.disableProperty().bind(viewModel.proposingProperty());
        proposeButton.setOnAction(event -> viewModel.proposeFreeAddress());
        proposing.visibleProperty().bind(viewModel.proposingProperty());
        proposalStatus.textProperty().bind(viewModel.proposalStatusProperty());
        validationMessage.textProperty().bind(viewModel.validationMessageProperty());
    }

    /** Shows the settings as a dialog; true when the user chose Start with valid settings. */
    static boolean showDialog(Window owner, OurHostSettingsViewModel viewModel, NetworkChoice choice) {
        Dialog<ButtonType> dialog = new Dialog<>();
        dialog.initOwner(owner);
        dialog.setTitle("Our host on " + choice.interfaceName());
        dialog.setHeaderText("Our host's address on " + choice.interfaceName()
                + "\nIt is probed first (RFC 5227) and refused if another host answers for it.");
        dialog.getDialogPane().setContent(load(viewModel));
        dialog.getDialogPane().getButtonTypes().addAll(START, ButtonType.CANCEL);
        dialog.getDialogPane().lookupButton(START).disableProperty().bind(viewModel.validProperty().not());
        if (viewModel.addressProperty().get().isBlank() && !choice.addresses().isEmpty()) {
            viewModel.proposeFreeAddress();
        }
        return dialog.showAndWait().filter(START::equals).isPresent();
    }
}
