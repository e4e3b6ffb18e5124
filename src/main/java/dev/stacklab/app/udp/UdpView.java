package dev.stacklab.app.udp;

import dev.stacklab.app.ToolPaneStyle;
import dev.stacklab.app.udp.UdpViewModel.DatagramRow;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.VBox;


/** The UDP pane: binds {@code Udp.fxml} to a {@link UdpViewModel}, nothing more. */
public final class UdpView {
    private final UdpViewModel viewModel;

    @FXML private VBox root;
    @FXML private Label unavailableLabel;
    @FXML private TextField bindPortField;
    @FXML private Button bindButton;
    @FXML private Button unbindButton;
    @FXML private TextField destinationField;
    @FXML private TextField destinationPortField;
    @FXML private RadioButton textRadio;
    @FXML private RadioButton hexRadio;
    @FXML private TextArea payloadArea;
    @FXML private Button sendButton;
    @FXML private Label resultLabel;
    @FXML private Label messageLabel;
    @FXML private Label receivedLabel;
    @FXML private CheckBox showHexBox;
    @FXML private Button clearButton;
    @FXML private TableView<DatagramRow> receivedTable;
    @FXML private TableColumn<DatagramRow, String> timeColumn;
    @FXML private TableColumn<DatagramRow, String> sourceColumn;
    @FXML private TableColumn<DatagramRow, String> lengthColumn;
    @FXML private TableColumn<DatagramRow, String> contentColumn;

    private UdpView(UdpViewModel viewModel) {
        this.viewModel = viewModel;
    }

    /** Loads the pane and binds it to {@code viewModel}. FX thread. */
    public static Parent load(UdpViewModel viewModel) {
        return ToolPaneStyle.load(UdpView.class, "Udp.fxml", new UdpView(viewModel));
    }

    @FXML
    private void initialize() {
        ToolPaneStyle.apply(root);
        ToolPaneStyle.showText(unavailableLabel, viewModel.unavailableReasonProperty());
        ToolPaneStyle.showText(messageLabel, viewModel.messageProperty());
        ToolPaneStyle.showText(resultLabel, viewModel.resultProperty());

        bindPortField.textProperty().bindBidirectional(viewModel.bindPortProperty());
        destinationField.textProperty().bindBidirectional(viewModel.destinationProperty());
        destinationPortField.textProperty().bindBidirectional(viewModel.destinationPortProperty());
        payloadArea.textProperty().bindBidirectional(viewModel.payloadProperty());
        hexRadio.selectedProperty().bindBidirectional(viewModel.payloadIsHexProperty());
        textRadio.setSelected(!viewModel.payloadIsHexProperty().get());
        viewModel.payloadIsHexProperty().addListener((observable, old, hex) -> textRadio.setSelected(!hex));
        showHexBox.selectedProperty().bindBidirectional(viewModel.showHexProperty());

        bindButton.setOnAction(event -> viewModel.bind());
        bindPortField.setOnAction(event -> viewModel.bind());
        unbindButton.setOnAction(event -> viewModel.unbind());
        unbindButton.disableProperty().bind(viewModel.boundPortProperty().lessThan(0));
        sendButton.setOnAction(event -> viewModel.send());
        clearButton.setOnAction(event -> viewModel.clear());
        for (var control : new javafx.scene.Node[] {bindButton, sendButton}) {
            control.disableProperty().bind(viewModel.availableBinding().not());
        }
        receivedLabel.textProperty().bind(Bindings.createStringBinding(() -> viewModel.statusProperty().get() + " · received "
                + viewModel.receivedCountProperty().get(), viewModel.statusProperty(), viewModel.receivedCountProperty()));

        receivedTable.setItems(viewModel.received());
        timeColumn.setCellValueFactory(cell -> constant(cell.getValue().time()));
        sourceColumn.setCellValueFactory(cell -> constant(cell.getValue().source()));
        lengthColumn.setCellValueFactory(cell -> constant(Integer.toString(cell.getValue().length())));
        contentColumn.setCellValueFactory(cell ->
                constant(viewModel.showHexProperty().get() ? cell.getValue().hex() : cell.getValue().text()));
        // Switching text and hex redraws the content column.
        viewModel.showHexProperty().addListener((observable, old, hex) -> receivedTable.refresh());
    }

    private static ReadOnlyStringWrapper constant(String text) {
        return new ReadOnlyStringWrapper(text);
    }
}
