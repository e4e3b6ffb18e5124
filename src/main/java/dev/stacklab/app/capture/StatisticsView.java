package dev.stacklab.app.capture;

import dev.stacklab.app.OwnWindow;
import dev.stacklab.app.capture.StatisticsViewModel.Tab;
import dev.stacklab.dissect.Conversation;
import dev.stacklab.dissect.ConversationType;
import dev.stacklab.dissect.Endpoint;
import dev.stacklab.dissect.ExpertItem;
import dev.stacklab.dissect.IoStatistics;
import dev.stacklab.dissect.ProtocolNode;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.fxml.FXMLLoader;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableColumn;
import javafx.scene.control.TreeTableRow;
import javafx.scene.control.TreeTableView;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.stage.Stage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The Statistics window (StatisticsView.fxml): binds only. A double-click on a conversation or endpoint applies its
 * filter to the packet list (right-click: Apply or Prepare as Filter), and a click on an expert item's frame selects
 * it there, as in Wireshark.
 */
final class StatisticsView {
    /** Frames listed under an expert item when it opens; Wireshark lists all, but a million rows help nobody. */
    static final int FRAMES_LISTED = 1000;

    @FXML private Parent root;
    @FXML private TabPane tabs;
    @FXML private javafx.scene.control.Tab conversationsTab;
    @FXML private javafx.scene.control.Tab endpointsTab;
    @FXML private javafx.scene.control.Tab hierarchyTab;
    @FXML private javafx.scene.control.Tab expertTab;
    @FXML private javafx.scene.control.Tab ioTab;
    @FXML private ComboBox<StatisticsViewModel.Interval> intervalBox;
    @FXML private ComboBox<StatisticsViewModel.IoUnit> unitBox;
    @FXML private TextField ioFilterField;
    @FXML private Label ioFilterErrorLabel;
    @FXML private LineChart<Number, Number> ioChart;
    @FXML private TabPane conversationTypes;
    @FXML private TabPane endpointTypes;
    @FXML private TreeTableView<ProtocolNode> hierarchyTable;
    @FXML private TreeTableView<ExpertRow> expertTable;
    @FXML private Node progressRow;
    @FXML private ProgressBar progressBar;
    @FXML private Label summaryLabel;
    @FXML private CheckBox limitBox;
    @FXML private Label hintLabel;
    @FXML private Button copyButton;
    @FXML private Button refreshButton;
    @FXML private Button closeButton;

    private final StatisticsViewModel viewModel;
    private final Map<ConversationType, javafx.scene.control.Tab> conversationTabs = new EnumMap<>(ConversationType.class);
    private final Map<ConversationType, javafx.scene.control.Tab> endpointTabs = new EnumMap<>(ConversationType.class);
    private Stage stage;
    private boolean typesChosen;

    /** A line of the expert table: an item (frame 0) or one of its frames. */
    record ExpertRow(ExpertItem item, int frameNumber, String text) {
    }

    private StatisticsView(StatisticsViewModel viewModel) {
        this.viewModel = viewModel;
    }

    /** Opens the window beside {@code from}'s on {@code viewModel}'s tab, and gathers the statistics. FX thread. */
    static Stage open(Node from, StatisticsViewModel viewModel) {
        StatisticsView view = new StatisticsView(viewModel);
        FXMLLoader loader = new FXMLLoader(StatisticsView.class.getResource("StatisticsView.fxml"));
        loader.setController(view);
        Parent content;
        try {
            content = loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("StatisticsView.fxml is missing or broken in this build", e);
        }
        view.stage = OwnWindow.open(from, "Statistics", content, 1100, 620, viewModel::cancel);
        viewModel.refresh();
        return view.stage;
    }

    @FXML
    private void initialize() {
        for (ConversationType type : ConversationType.values()) {
            conversationTabs.put(type, typeTab(conversationTypes, type, conversationTable(type), false));
            endpointTabs.put(type, typeTab(endpointTypes, type, endpointTable(type), true));
        }
        installHierarchy();
        installExpert();
        // Once counted, each list opens on its most telling type that has rows: TCP, then UDP, IPv4, IPv6, Ethernet.
        viewModel.busyProperty().addListener((property, was, busy) -> {
            if (!busy && !typesChosen) {
                typesChosen = true;
                chooseType(conversationTypes, conversationTabs, false);
                chooseType(endpointTypes, endpointTabs, true);
            }
        });

        installIoGraph();
        Map<Tab, javafx.scene.control.Tab> shown = Map.of(Tab.CONVERSATIONS, conversationsTab, Tab.ENDPOINTS, endpointsTab,
                Tab.PROTOCOL_HIERARCHY, hierarchyTab, Tab.EXPERT_INFORMATION, expertTab, Tab.IO_GRAPH, ioTab);
        tabs.getSelectionModel().select(shown.get(viewModel.tabProperty().get()));
        tabs.getSelectionModel().selectedItemProperty().addListener((property, old, tab) -> shown.forEach((which, each) -> {
            if (each == tab) {
                viewModel.tabProperty().set(which);
            }
        }));
        viewModel.tabProperty().addListener((property, old, which) -> tabs.getSelectionModel().select(shown.get(which)));
        copyButton.disableProperty().bind(viewModel.tabProperty().isNotEqualTo(Tab.CONVERSATIONS)
                .and(viewModel.tabProperty().isNotEqualTo(Tab.ENDPOINTS)).or(viewModel.busyProperty()));
        copyButton.setOnAction(event -> copyCsv());

        progressRow.visibleProperty().bind(viewModel.busyProperty());
        progressRow.managedProperty().bind(viewModel.busyProperty());
        progressBar.progressProperty().bind(viewModel.progressProperty());
        summaryLabel.textProperty().bind(viewModel.summaryProperty());
        limitBox.selectedProperty().bindBidirectional(viewModel.limitToDisplayFilterProperty());
        limitBox.disableProperty().bind(viewModel.canLimitProperty().not());
        hintLabel.textProperty().bind(viewModel.tabProperty().map(StatisticsView::hint));
        refreshButton.setOnAction(event -> viewModel.refresh());
        refreshButton.disableProperty().bind(viewModel.busyProperty());
        closeButton.setOnAction(event -> stage.close());
    }

    /** What a click does on the tab, said beside the buttons. */
    private static String hint(Tab tab) {
        return switch (tab) {
            case CONVERSATIONS -> "Double-click a conversation to show only it in the packet list";
            case ENDPOINTS -> "Double-click an endpoint to show only its frames in the packet list";
            case PROTOCOL_HIERARCHY -> "Double-click a protocol to show only its frames in the packet list";
            case EXPERT_INFORMATION -> "Open an item and click a frame to select it in the packet list";
            case IO_GRAPH -> "Type a display filter for the second line and press Enter to count again";
        };
    }

    private void chooseType(TabPane pane, Map<ConversationType, javafx.scene.control.Tab> byType, boolean ofEndpoints) {
        for (ConversationType type : List.of(ConversationType.TCP, ConversationType.UDP, ConversationType.IPV4, ConversationType.IPV6)) {
            if (!(ofEndpoints ? viewModel.endpoints(type) : viewModel.conversations(type)).isEmpty()) {
                pane.getSelectionModel().select(byType.get(type));
                return;
            }
        }
    }

    // ---- Conversations and Endpoints ----

    private javafx.scene.control.Tab typeTab(TabPane pane, ConversationType type, TableView<?> table, boolean ofEndpoints) {
        javafx.scene.control.Tab tab = new javafx.scene.control.Tab(type.label(), table);
        ListChangeListener<Object> retitle = change -> tab.setText(viewModel.tabTitle(type, ofEndpoints));
        (ofEndpoints ? viewModel.endpoints(type) : viewModel.conversations(type)).addListener(retitle);
        tab.setText(viewModel.tabTitle(type, ofEndpoints));
        pane.getTabs().add(tab);
        return tab;
    }

    private TableView<Conversation> conversationTable(ConversationType type) {
        TableView<Conversation> table = new TableView<>(viewModel.conversations(type));
        table.getStyleClass().add("dense");
        table.setPlaceholder(new Label("No " + type.label() + " conversations in the frames counted"));
        table.getColumns().add(textColumn("Address A", Conversation::addressA, 150));
        boolean ports = type == ConversationType.TCP || type == ConversationType.UDP;
        if (ports) {
            table.getColumns().add(portColumn("Port A", Conversation::portA));
        }
        table.getColumns().add(textColumn("Address B", Conversation::addressB, 150));
        if (ports) {
            table.getColumns().add(portColumn("Port B", Conversation::portB));
        }
        table.getColumns().add(numberColumn("Packets", Conversation::frames));
        table.getColumns().add(numberColumn("Bytes", Conversation::bytes));
        table.getColumns().add(numberColumn("Packets A → B", Conversation::framesAToB));
        table.getColumns().add(numberColumn("Bytes A → B", Conversation::bytesAToB));
        table.getColumns().add(numberColumn("Packets B → A", Conversation::framesBToA));
        table.getColumns().add(numberColumn("Bytes B → A", Conversation::bytesBToA));
        table.getColumns().add(numericText("Rel Start", c -> StatisticsViewModel.seconds(c.relativeStartNanos(), 6)));
        table.getColumns().add(numericText("Duration", c -> StatisticsViewModel.seconds(c.durationNanos(), 4)));
        table.getColumns().add(numericText("Bits/s A → B", c -> StatisticsViewModel.bitsPerSecond(c.bytesAToB(), c.durationNanos())));
        table.getColumns().add(numericText("Bits/s B → A", c -> StatisticsViewModel.bitsPerSecond(c.bytesBToA(), c.durationNanos())));
        filterOnUse(table, Conversation::filter);
        return table;
    }

    private TableView<Endpoint> endpointTable(ConversationType type) {
        TableView<Endpoint> table = new TableView<>(viewModel.endpoints(type));
        table.getStyleClass().add("dense");
        table.setPlaceholder(new Label("No " + type.label() + " endpoints in the frames counted"));
        table.getColumns().add(textColumn("Address", Endpoint::address, 220));
        if (type == ConversationType.TCP || type == ConversationType.UDP) {
            table.getColumns().add(portColumn("Port", Endpoint::port));
        }
        table.getColumns().add(numberColumn("Packets", Endpoint::frames));
        table.getColumns().add(numberColumn("Bytes", Endpoint::bytes));
        table.getColumns().add(numberColumn("Tx Packets", Endpoint::txFrames));
        table.getColumns().add(numberColumn("Tx Bytes", Endpoint::txBytes));
        table.getColumns().add(numberColumn("Rx Packets", Endpoint::rxFrames));
        table.getColumns().add(numberColumn("Rx Bytes", Endpoint::rxBytes));
        filterOnUse(table, Endpoint::filter);
        return table;
    }

    /** Double-click applies the row's filter; the row's menu applies or prepares it. */
    private <T> void filterOnUse(TableView<T> table, Function<T, String> filterOf) {
        table.setRowFactory(view -> {
            TableRow<T> row = new TableRow<>();
            MenuItem apply = new MenuItem("Apply as Filter");
            MenuItem prepare = new MenuItem("Prepare as Filter");
            row.setOnMouseClicked(event -> {
                if (event.getClickCount() == 2 && !row.isEmpty()) {
                    apply.fire();
                }
            });
            row.itemProperty().addListener((property, old, item) -> row.setContextMenu(item == null ? null : new ContextMenu(apply, prepare)));
            apply.setOnAction(event -> {
                if (row.getItem() != null) {
                    viewModel.applyFilter(filterOf.apply(row.getItem()));
                }
            });
            prepare.setOnAction(event -> {
                if (row.getItem() != null) {
                    viewModel.prepareFilter(filterOf.apply(row.getItem()));
                }
            });
            return row;
        });
    }

    private static <T> TableColumn<T, String> textColumn(String title, Function<T, String> value, double width) {
        TableColumn<T, String> column = new TableColumn<>(title);
        column.setCellValueFactory(features -> new ReadOnlyObjectWrapper<>(value.apply(features.getValue())));
        column.setPrefWidth(width);
        return column;
    }

    /** A right-aligned column of whole numbers, shown with grouping and sorted as numbers; -1 (no port) shows empty. */
    private static <T> TableColumn<T, Number> numberColumn(String title, Function<T, Number> value) {
        TableColumn<T, Number> column = new TableColumn<>(title);
        column.setCellValueFactory(features -> new ReadOnlyObjectWrapper<>(value.apply(features.getValue())));
        column.getStyleClass().add("numeric-column");
        column.setComparator(Comparator.comparingLong(Number::longValue));
        column.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(Number number, boolean empty) {
                super.updateItem(number, empty);
                setText(empty || number == null || number.longValue() < 0 ? null : String.format(Locale.ROOT, "%,d", number.longValue()));
            }
        });
        column.setPrefWidth(titleWidth(title));
        return column;
    }

    /** A port: a number without grouping (80, 8080, 43544), sorted as a number. */
    private static <T> TableColumn<T, Number> portColumn(String title, Function<T, Number> value) {
        TableColumn<T, Number> column = numberColumn(title, value);
        column.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(Number port, boolean empty) {
                super.updateItem(port, empty);
                setText(empty || port == null || port.longValue() < 0 ? null : Long.toString(port.longValue()));
            }
        });
        return column;
    }

    private static <T> TableColumn<T, String> numericText(String title, Function<T, String> value) {
        TableColumn<T, String> column = textColumn(title, value, Math.max(90, titleWidth(title)));
        column.getStyleClass().add("numeric-column");
        return column;
    }

    /** Room for a column's whole title in the header's bold font, with its padding. */
    private static double titleWidth(String title) {
        return Math.max(78, Math.ceil(title.length() * 8.6 + 26));
    }

    private void copyCsv() {
        Tab which = viewModel.tabProperty().get();
        TabPane types = which == Tab.ENDPOINTS ? endpointTypes : conversationTypes;
        Map<ConversationType, javafx.scene.control.Tab> byType = which == Tab.ENDPOINTS ? endpointTabs : conversationTabs;
        javafx.scene.control.Tab selected = types.getSelectionModel().getSelectedItem();
        byType.forEach((type, tab) -> {
            if (tab == selected) {
                ClipboardContent content = new ClipboardContent();
                content.putString(which == Tab.ENDPOINTS ? viewModel.endpointsCsv(type) : viewModel.conversationsCsv(type));
                Clipboard.getSystemClipboard().setContent(content);
            }
        });
    }

    // ---- Protocol Hierarchy ----

    private void installHierarchy() {
        TreeTableColumn<ProtocolNode, String> protocol = new TreeTableColumn<>("Protocol");
        protocol.setCellValueFactory(features -> new ReadOnlyObjectWrapper<>(features.getValue().getValue().label()));
        protocol.setPrefWidth(340);
        hierarchyTable.getColumns().add(protocol);
        hierarchyTable.getColumns().add(hierarchyColumn("Percent Packets", node -> StatisticsViewModel.percent(node.frames(), rootFrames())));
        hierarchyTable.getColumns().add(hierarchyColumn("Packets", node -> String.format(Locale.ROOT, "%,d", node.frames())));
        hierarchyTable.getColumns().add(hierarchyColumn("Percent Bytes", node -> StatisticsViewModel.percent(node.bytes(), rootBytes())));
        hierarchyTable.getColumns().add(hierarchyColumn("Bytes", node -> String.format(Locale.ROOT, "%,d", node.bytes())));
        hierarchyTable.getColumns().add(hierarchyColumn("End Packets", node -> String.format(Locale.ROOT, "%,d", StatisticsViewModel.endFrames(node))));
        hierarchyTable.setPlaceholder(new Label("No frames counted"));
        hierarchyTable.setRowFactory(view -> {
            TreeTableRow<ProtocolNode> row = new TreeTableRow<>();
            row.setOnMouseClicked(event -> {
                ProtocolNode node = row.getItem();
                if (event.getClickCount() == 2 && node != null && !node.protocol().equals("frame")) {
                    viewModel.applyFilter(node.protocol());
                }
            });
            return row;
        });
        viewModel.hierarchyProperty().addListener((property, old, root) -> hierarchyTable.setRoot(root == null ? null : hierarchyItem(root)));
    }

    private long rootFrames() {
        ProtocolNode root = viewModel.hierarchyProperty().get();
        return root == null ? 0 : root.frames();
    }

    private long rootBytes() {
        ProtocolNode root = viewModel.hierarchyProperty().get();
        return root == null ? 0 : root.bytes();
    }

    private static TreeTableColumn<ProtocolNode, String> hierarchyColumn(String title, Function<ProtocolNode, String> value) {
        TreeTableColumn<ProtocolNode, String> column = new TreeTableColumn<>(title);
        column.setCellValueFactory(features -> new ReadOnlyObjectWrapper<>(value.apply(features.getValue().getValue())));
        column.getStyleClass().add("numeric-column");
        column.setSortable(false);
        column.setPrefWidth(Math.max(96, titleWidth(title)));
        return column;
    }

    private static TreeItem<ProtocolNode> hierarchyItem(ProtocolNode node) {
        TreeItem<ProtocolNode> item = new TreeItem<>(node);
        for (ProtocolNode child : node.children()) {
            item.getChildren().add(hierarchyItem(child));
        }
        item.setExpanded(true);
        return item;
    }

    // ---- I/O Graph ----

    private void installIoGraph() {
        intervalBox.getItems().setAll(StatisticsViewModel.Interval.values());
        intervalBox.valueProperty().bindBidirectional(viewModel.intervalProperty());
        unitBox.getItems().setAll(StatisticsViewModel.IoUnit.values());
        unitBox.valueProperty().bindBidirectional(viewModel.ioUnitProperty());
        ioFilterField.textProperty().bindBidirectional(viewModel.ioFilterTextProperty());
        ioFilterField.setOnAction(event -> viewModel.applyIoFilter());
        ioFilterErrorLabel.textProperty().bind(viewModel.ioFilterErrorProperty());
        ioFilterErrorLabel.visibleProperty().bind(viewModel.ioFilterErrorProperty().isNotEmpty());
        ioFilterErrorLabel.managedProperty().bind(ioFilterErrorLabel.visibleProperty());
        viewModel.ioProperty().addListener((property, old, counts) -> drawIoGraph());
        viewModel.ioUnitProperty().addListener((property, old, unit) -> drawIoGraph());
    }

    /** One line for every frame and one for the second line's filter, a point per interval at its start. */
    private void drawIoGraph() {
        IoStatistics counts = viewModel.ioProperty().get();
        ioChart.getData().clear();
        if (counts == null) {
            return;
        }
        StatisticsViewModel.IoUnit unit = viewModel.ioUnitProperty().get();
        double step = counts.intervalNanos() / 1e9;
        for (int column = 0; column < counts.columns(); column++) {
            XYChart.Series<Number, Number> line = new XYChart.Series<>();
            line.setName(column == 0 ? "All frames" : viewModel.ioFilterCounted());
            List<XYChart.Data<Number, Number>> points = new java.util.ArrayList<>(counts.intervals());
            for (int interval = 0; interval < counts.intervals(); interval++) {
                points.add(new XYChart.Data<>(interval * step, StatisticsViewModel.ioValue(counts, unit, column, interval)));
            }
            line.getData().setAll(points);
            ioChart.getData().add(line);
        }
        ((NumberAxis) ioChart.getYAxis()).setLabel(unit == StatisticsViewModel.IoUnit.BITS_PER_SECOND ? "Bits/s"
                : unit + " per " + StatisticsViewModel.intervalText(counts.intervalNanos()));
    }

    // ---- Expert Information ----

    private void installExpert() {
        TreeTableColumn<ExpertRow, String> severity = expertColumn("Severity", row -> row.frameNumber() != 0 ? "" : row.item().severity(), 110);
        TreeTableColumn<ExpertRow, String> summary = expertColumn("Summary", ExpertRow::text, 520);
        expertTable.getColumns().add(severity);
        expertTable.getColumns().add(summary);
        expertTable.getColumns().add(expertColumn("Group", row -> row.frameNumber() != 0 ? "" : row.item().group(), 110));
        expertTable.getColumns().add(expertColumn("Protocol", row -> row.frameNumber() != 0 ? "" : row.item().protocol(), 90));
        TreeTableColumn<ExpertRow, String> count = expertColumn("Count", row -> row.frameNumber() != 0 ? "" : String.format(Locale.ROOT, "%,d", row.item().count()), 80);
        count.getStyleClass().add("numeric-column");
        expertTable.getColumns().add(count);
        expertTable.setPlaceholder(new Label("No expert information: nothing in the frames counted was unusual"));
        expertTable.setRowFactory(view -> new TreeTableRow<>() {
            @Override
            protected void updateItem(ExpertRow row, boolean empty) {
                super.updateItem(row, empty);
                for (ExpertSeverity each : ExpertSeverity.values()) {
                    getStyleClass().remove(each.styleClass());
                }
                getStyleClass().remove("expert-comment");
                if (!empty && row != null && row.frameNumber() == 0) {
                    getStyleClass().add(switch (row.item().severity()) {
                        case "Error" -> ExpertSeverity.ERROR.styleClass();
                        case "Warning" -> ExpertSeverity.WARNING.styleClass();
                        case "Chat" -> ExpertSeverity.CHAT.styleClass();
                        case "Comment" -> "expert-comment";
                        default -> ExpertSeverity.NOTE.styleClass();
                    });
                }
            }
        });
        expertTable.getSelectionModel().selectedItemProperty().addListener((property, old, item) -> {
            if (item != null && item.getValue().frameNumber() > 0) {
                viewModel.selectFrame(item.getValue().frameNumber());
            }
        });
        viewModel.expertItems().addListener((ListChangeListener<ExpertItem>) change -> showExpertItems());
        showExpertItems();
    }

    private void showExpertItems() {
        TreeItem<ExpertRow> top = new TreeItem<>();
        for (ExpertItem item : viewModel.expertItems()) {
            TreeItem<ExpertRow> line = new TreeItem<>(new ExpertRow(item, 0, item.summary()));
            // The frames are listed when the item opens: most items are never opened.
            line.getChildren().add(new TreeItem<>());
            line.expandedProperty().addListener((property, was, open) -> {
                if (open && line.getChildren().size() == 1 && line.getChildren().get(0).getValue() == null) {
                    line.getChildren().setAll(frameRows(item));
                }
            });
            top.getChildren().add(line);
        }
        expertTable.setRoot(top);
    }

    private static java.util.List<TreeItem<ExpertRow>> frameRows(ExpertItem item) {
        int[] frames = item.frameNumbers();
        int listed = Math.min(frames.length, FRAMES_LISTED);
        java.util.List<TreeItem<ExpertRow>> rows = new java.util.ArrayList<>(listed + 1);
        for (int i = 0; i < listed; i++) {
            rows.add(new TreeItem<>(new ExpertRow(item, frames[i], "Frame " + frames[i])));
        }
        if (frames.length > listed) {
            rows.add(new TreeItem<>(new ExpertRow(item, -1, String.format(Locale.ROOT, "… and %,d more frames (filter the list to see them all)",
                    frames.length - listed))));
        }
        return rows;
    }

    private static TreeTableColumn<ExpertRow, String> expertColumn(String title, Function<ExpertRow, String> value, double width) {
        TreeTableColumn<ExpertRow, String> column = new TreeTableColumn<>(title);
        column.setCellValueFactory(features -> {
            ExpertRow row = features.getValue().getValue();
            return new ReadOnlyObjectWrapper<>(row == null ? "" : value.apply(row));
        });
        column.setSortable(false);
        column.setPrefWidth(width);
        return column;
    }
}
