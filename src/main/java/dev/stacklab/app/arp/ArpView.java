package dev.stacklab.app.arp;

import dev.stacklab.app.ToolPaneStyle;
import dev.stacklab.app.arp.ArpViewModel.NeighborFacts;
import dev.stacklab.app.arp.ArpViewModel.NeighborRow;
import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

import java.util.function.Function;

/** The ARP pane: binds {@code Arp.fxml} to an {@link ArpViewModel}, nothing more. */
public final class ArpView {
    private final ArpViewModel viewModel;

    @FXML private VBox root;
    @FXML private Label unavailableLabel;
    @FXML private TextField addressField;
    @FXML private Button resolveButton;
    @FXML private ProgressIndicator resolvingIndicator;
    @FXML private Button announceButton;
    @FXML private Button flushButton;
    @FXML private Label resultLabel;
    @FXML private Label messageLabel;
    @FXML private HBox warningBox;
    @FXML private Label warningLabel;
    @FXML private Button dismissButton;
    @FXML private TableView<NeighborRow> neighborTable;
    @FXML private TableColumn<NeighborRow, String> ipColumn;
    @FXML private TableColumn<NeighborRow, String> macColumn;
    @FXML private TableColumn<NeighborRow, String> stateColumn;
    @FXML private TableColumn<NeighborRow, String> ageColumn;
    @FXML private TableColumn<NeighborRow, String> expiresColumn;

    private ArpView(ArpViewModel viewModel) {
        this.viewModel = viewModel;
    }

    /** Loads the pane and binds it to {@code viewModel}. FX thread. */
    public static Parent load(ArpViewModel viewModel) {
        return ToolPaneStyle.load(ArpView.class, "Arp.fxml", new ArpView(viewModel));
    }

    @FXML
    private void initialize() {
        ToolPaneStyle.apply(root);
        ToolPaneStyle.showText(unavailableLabel, viewModel.unavailableReasonProperty());
        ToolPaneStyle.showText(resultLabel, viewModel.resultProperty());
        ToolPaneStyle.showText(messageLabel, viewModel.messageProperty());
        // The newest warning, with how many came before; the tooltip lists them all.
        warningLabel.textProperty().bind(Bindings.createStringBinding(() -> {
            String latest = viewModel.latestWarningProperty().get();
            int earlier = viewModel.warnings().size() - 1;
            return latest == null ? null : earlier > 0 ? latest + "  (+" + earlier + " earlier)" : latest;
        }, viewModel.latestWarningProperty(), viewModel.warnings()));
        Tooltip allWarnings = new Tooltip();
        allWarnings.textProperty().bind(Bindings.createStringBinding(() -> String.join("\n", viewModel.warnings()),
                viewModel.warnings()));
        warningLabel.setTooltip(allWarnings);
        warningBox.visibleProperty().bind(warningLabel.visibleProperty());
        ToolPaneStyle.showWhenText(warningLabel, viewModel.latestWarningProperty());
        warningBox.managedProperty().bind(warningBox.visibleProperty());

        addressField.textProperty().bindBidirectional(viewModel.addressProperty());
        addressField.setOnAction(event -> viewModel.resolve());
        resolveButton.setOnAction(event -> viewModel.resolve());
        resolveButton.disableProperty().bind(viewModel.availableBinding().not().or(viewModel.resolvingProperty()));
        resolvingIndicator.visibleProperty().bind(viewModel.resolvingProperty());
        announceButton.setOnAction(event -> viewModel.announce());
        announceButton.disableProperty().bind(viewModel.availableBinding().not());
        flushButton.setOnAction(event -> viewModel.flush());
        flushButton.disableProperty().bind(viewModel.availableBinding().not());
        dismissButton.setOnAction(event -> viewModel.dismissWarnings());

        neighborTable.setItems(viewModel.rows());
        column(ipColumn, NeighborFacts::ip);
        column(macColumn, NeighborFacts::mac);
        macWithName(macColumn);
        column(stateColumn, NeighborFacts::state);
        column(ageColumn, NeighborFacts::age);
        column(expiresColumn, NeighborFacts::expiresIn);
        neighborTable.setRowFactory(table -> new TableRow<>() {
            @Override
            protected void updateItem(NeighborRow row, boolean empty) {
                super.updateItem(row, empty);
                getStyleClass().remove(ToolPaneStyle.ROW_WARNING);
                if (!empty && row != null && row.warning()) {
                    getStyleClass().add(ToolPaneStyle.ROW_WARNING);
                }
            }
        });
    }

    /**
     * The MAC address with Wireshark's name for it on a second, quieter line ("IntelCor_ab:cd:ef"): six columns
     * side by side do not fit the tool column, and the name belongs to the address.
     */
    private static void macWithName(TableColumn<NeighborRow, String> column) {
        column.setCellFactory(table -> new TableCell<>() {
            private final Label mac = new Label();
            private final Label name = new Label();
            private final VBox lines = new VBox(mac, name);

            {
                mac.getStyleClass().add(ToolPaneStyle.MONO);
                name.getStyleClass().addAll(ToolPaneStyle.MONO, ToolPaneStyle.NOTE);
            }

            @Override
            protected void updateItem(String address, boolean empty) {
                super.updateItem(address, empty);
                NeighborRow row = empty ? null : getTableRow().getItem();
                if (row == null) {
                    setGraphic(null);
                    setTooltip(null);
                    return;
                }
                String vendor = row.vendor();
                mac.setText(address);
                name.setText(vendor);
                name.setManaged(!vendor.isEmpty());
                name.setVisible(!vendor.isEmpty());
                setGraphic(lines);
                setTooltip(new Tooltip(vendor.isEmpty() ? address : address + " (" + vendor + ")"));
            }
        });
    }

    /** A column that follows its row's facts as they are updated in place (ages, states). */
    private static void column(TableColumn<NeighborRow, String> column, Function<NeighborFacts, String> value) {
        column.setCellValueFactory(cell -> {
            NeighborRow row = cell.getValue();
            return Bindings.createStringBinding(() -> value.apply(row.factsProperty().get()), row.factsProperty());
        });
        // The columns share a narrow pane: a cut text ("Intel Corpor...") shows whole on hover.
        column.setCellFactory(table -> new TableCell<>() {
            @Override
            protected void updateItem(String text, boolean empty) {
                super.updateItem(text, empty);
                setText(empty ? null : text);
                setTooltip(empty || text == null || text.isEmpty() ? null : new Tooltip(text));
            }
        });
    }
}
