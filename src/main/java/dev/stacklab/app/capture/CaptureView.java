package dev.stacklab.app.capture;

import dev.stacklab.app.AfterFirstPulse;
import dev.stacklab.dissect.FieldNode;
import dev.stacklab.dissect.FrameTree;
import dev.stacklab.dissect.StreamFollower;
import javafx.animation.AnimationTimer;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.value.ObservableValue;
import javafx.css.PseudoClass;
import javafx.fxml.FXML;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.CustomMenuItem;
import javafx.scene.control.IndexedCell;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.RadioMenuItem;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.control.TreeCell;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeView;
import javafx.scene.control.skin.VirtualFlow;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.util.Duration;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Binds the capture panes (CaptureView.fxml) to a {@link CaptureViewModel}: the packet list, the details tree, the
 * bytes, the display filter field with its error, progress and the colouring legend. It only binds and forwards;
 * it decides nothing but how to show it (which row is visible, whether the list follows new frames).
 */
public final class CaptureView {
    static final String FILTER_VALID = "filter-valid";
    static final String FILTER_INVALID = "filter-invalid";
    private static final KeyCombination GO_TO = new KeyCodeCombination(KeyCode.G, KeyCombination.SHORTCUT_DOWN);
    private static final KeyCombination FOLLOW_TCP = new KeyCodeCombination(KeyCode.T, KeyCombination.SHORTCUT_DOWN,
            KeyCombination.ALT_DOWN, KeyCombination.SHIFT_DOWN);
    private static final KeyCombination FOLLOW_UDP = new KeyCodeCombination(KeyCode.U, KeyCombination.SHORTCUT_DOWN,
            KeyCombination.ALT_DOWN, KeyCombination.SHIFT_DOWN);

    /** Each colouring rule's row state (capture.css: {@code .table-row-cell:row-tcp}); none for rows no rule colours. */
    private static final Map<ColouringRule, PseudoClass> ROW_STATES = rowStates();
    private static final List<String> EXPERT_CLASSES = java.util.Arrays.stream(ExpertSeverity.values()).map(ExpertSeverity::styleClass).toList();

    private final CaptureViewModel viewModel;

    @FXML private VBox root;
    @FXML private TextField filterField;
    @FXML private Button applyFilterButton;
    @FXML private Button clearFilterButton;
    @FXML private MenuButton legendButton;
    @FXML private MenuButton statisticsButton;
    @FXML private Label filterErrorLabel;
    @FXML private HBox goToBar;
    @FXML private TextField goToField;
    @FXML private Button goToButton;
    @FXML private Label goToMessage;
    @FXML private Button goToCloseButton;
    @FXML private HBox progressRow;
    @FXML private Label busyLabel;
    @FXML private ProgressBar progressBar;
    @FXML private Button cancelButton;
    @FXML private SplitPane panes;
    @FXML private TableView<PacketRow> packetList;
    @FXML private TableColumn<PacketRow, Integer> numberColumn;
    @FXML private TableColumn<PacketRow, String> timeColumn;
    @FXML private TableColumn<PacketRow, String> directionColumn;
    @FXML private TableColumn<PacketRow, String> sourceColumn;
    @FXML private TableColumn<PacketRow, String> destinationColumn;
    @FXML private TableColumn<PacketRow, String> protocolColumn;
    @FXML private TableColumn<PacketRow, Integer> lengthColumn;
    @FXML private TableColumn<PacketRow, String> infoColumn;
    @FXML private TreeView<FieldNode> detailsTree;
    @FXML private Label detailsHint;
    @FXML private HexView hexView;
    @FXML private HBox dataSourceTabs;
    @FXML private Label sourceLabel;
    @FXML private Label countsLabel;

    /** Whether the list showed its last row when frames last arrived: only then does it follow new ones. */
    private int sizeAtLastPulse;
    private boolean updatingTreeSelection;
    private VirtualFlow<?> flow;

    private CaptureView(CaptureViewModel viewModel) {
        this.viewModel = viewModel;
    }

    /** Loads the panes and binds them to {@code viewModel}. FX thread. */
    public static Parent load(CaptureViewModel viewModel) {
        CaptureView view = new CaptureView(viewModel);
        FXMLLoader loader = new FXMLLoader(CaptureView.class.getResource("CaptureView.fxml"));
        loader.setController(view);
        try {
            return loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("CaptureView.fxml is missing or broken in this build", e);
        }
    }

    @FXML
    private void initialize() {
        bindFilter();
        bindProgress();
        bindPacketList();
        bindDetails();
        bindBytes();
        // The legend's thirteen lines and tooltips are in a menu no first frame shows.
        AfterFirstPulse.run(root, this::buildLegend);
        sourceLabel.textProperty().bind(viewModel.sourceTextProperty());
        countsLabel.textProperty().bind(viewModel.countsTextProperty());
        root.getProperties().put(CaptureView.class, this);
        Timeline rate = new Timeline(new KeyFrame(Duration.seconds(1), event -> viewModel.updateRate()));
        rate.setCycleCount(Timeline.INDEFINITE);
        rate.play();
    }

    // ---- display filter ----

    private void bindFilter() {
        filterField.textProperty().bindBidirectional(viewModel.filterTextProperty());
        filterField.setOnAction(event -> viewModel.applyFilter());
        filterField.setOnKeyPressed(event -> {
            if (event.getCode() == KeyCode.ESCAPE && viewModel.busyProperty().get()) {
                viewModel.cancel();
            }
        });
        applyFilterButton.setOnAction(event -> viewModel.applyFilter());
        applyFilterButton.disableProperty().bind(viewModel.filterStateProperty().isEqualTo(CaptureViewModel.FilterState.INVALID));
        clearFilterButton.setOnAction(event -> {
            viewModel.filterTextProperty().set("");
            viewModel.applyFilter();
        });
        clearFilterButton.disableProperty().bind(viewModel.appliedFilterTextProperty().isEmpty()
                .and(viewModel.filterTextProperty().isEmpty()));
        viewModel.filterStateProperty().addListener((obs, old, state) -> showFilterState(state));
        showFilterState(viewModel.filterStateProperty().get());
        filterErrorLabel.textProperty().bind(viewModel.filterErrorProperty());
        filterErrorLabel.visibleProperty().bind(viewModel.filterErrorProperty().isNotEmpty());
        filterErrorLabel.managedProperty().bind(filterErrorLabel.visibleProperty());
    }

    private void showFilterState(CaptureViewModel.FilterState state) {
        filterField.getStyleClass().removeAll(FILTER_VALID, FILTER_INVALID);
        if (state == CaptureViewModel.FilterState.VALID) {
            filterField.getStyleClass().add(FILTER_VALID);
        } else if (state == CaptureViewModel.FilterState.INVALID) {
            filterField.getStyleClass().add(FILTER_INVALID);
        }
    }

    private void bindProgress() {
        progressRow.visibleProperty().bind(viewModel.busyProperty());
        progressRow.managedProperty().bind(progressRow.visibleProperty());
        busyLabel.textProperty().bind(viewModel.busyTextProperty());
        progressBar.progressProperty().bind(viewModel.progressProperty());
        cancelButton.setOnAction(event -> viewModel.cancel());
    }

    // ---- packet list ----

    private void bindPacketList() {
        packetList.setItems(viewModel.frames());
        packetList.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        // As Wireshark: columns keep their widths and a narrow pane scrolls sideways, rather than squeezing
        // "Destination" to "Destina..." (the shell puts the capture beside the tool panes).
        packetList.setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);
        directionColumn.visibleProperty().bind(viewModel.liveProperty());
        packetList.setPlaceholder(new Label("No frames yet: ping or resolve an address from the tool panes, or open a capture file."));
        // Frames stay in arrival order: sorting a million rows on a click is not what a capture list is for.
        for (TableColumn<PacketRow, ?> column : packetList.getColumns()) {
            column.setSortable(false);
            column.setReorderable(false);
        }
        numberColumn.setCellValueFactory(value(PacketRow::number));
        timeColumn.setCellValueFactory(value(PacketRow::time));
        directionColumn.setCellValueFactory(value(PacketRow::directionMark));
        sourceColumn.setCellValueFactory(value(PacketRow::source));
        destinationColumn.setCellValueFactory(value(PacketRow::destination));
        protocolColumn.setCellValueFactory(value(PacketRow::protocol));
        lengthColumn.setCellValueFactory(value(PacketRow::length));
        infoColumn.setCellValueFactory(value(PacketRow::info));
        installTimeFormats();
        installGoTo();
        numberColumn.setCellFactory(column -> numericCell());
        lengthColumn.setCellFactory(column -> numericCell());
        ColumnFit.install(packetList, List.of(new ColumnFit.Column(timeColumn, row -> viewModel.timeText(row, -1)),
                new ColumnFit.Column(sourceColumn, PacketRow::source), new ColumnFit.Column(destinationColumn, PacketRow::destination),
                new ColumnFit.Column(protocolColumn, PacketRow::protocol)));
        packetList.setRowFactory(table -> new TableRow<>() {
            private PseudoClass shown;

            @Override
            protected void updateItem(PacketRow row, boolean empty) {
                super.updateItem(row, empty);
                // A pseudo-class, not a style class: changing a style class makes JavaFX match every selector
                // against the row and its cells again, which cost a quarter of the FX thread while the list
                // followed 20,000 frames/s; a pseudo-class only switches between styles already matched.
                PseudoClass wanted = empty || row == null ? null : ROW_STATES.get(row.colour());
                if (wanted != shown) {
                    if (shown != null) {
                        pseudoClassStateChanged(shown, false);
                    }
                    if (wanted != null) {
                        pseudoClassStateChanged(wanted, true);
                    }
                    shown = wanted;
                }
            }
        });
        packetList.getSelectionModel().selectedItemProperty().addListener((obs, old, row) -> viewModel.select(row));
        installFollowStream();
        installStatistics();
        viewModel.revisionProperty().addListener((obs, old, revision) -> followNewFrames());
        // A long list takes new frames every so often, not on every pulse: the last of a burst are listed by this.
        AnimationTimer listWaitingFrames = new AnimationTimer() {
            @Override
            public void handle(long now) {
                if (!viewModel.listArrivedIfDue()) {
                    stop();
                }
            }
        };
        viewModel.framesWaitingProperty().addListener((obs, was, waiting) -> {
            if (waiting) {
                listWaitingFrames.start();
            }
        });
        viewModel.selectionRequestProperty().addListener((obs, old, numbers) -> {
            if (numbers != null) {
                selectFrames(numbers);
            }
        });
    }

    /** The packet list's right-click menu and Wireshark's keys: Follow TCP Stream (Ctrl+Alt+Shift+T), UDP (…+U). */
    private void installFollowStream() {
        MenuItem followTcp = new MenuItem("Follow TCP Stream");
        followTcp.setAccelerator(FOLLOW_TCP);
        followTcp.setOnAction(event -> follow(StreamFollower.Protocol.TCP));
        MenuItem followUdp = new MenuItem("Follow UDP Stream");
        followUdp.setAccelerator(FOLLOW_UDP);
        followUdp.setOnAction(event -> follow(StreamFollower.Protocol.UDP));
        // Wireshark's File > Export Specified Packets, displayed only: what the filter shows, as pcap.
        MenuItem exportDisplayed = new MenuItem("Export Displayed Frames…");
        exportDisplayed.setOnAction(event -> chooseWhereToExportDisplayed());
        ContextMenu menu = new ContextMenu(followTcp, followUdp, new SeparatorMenuItem(), exportDisplayed);
        menu.setOnShowing(event -> {
            boolean none = packetList.getSelectionModel().getSelectedItem() == null;
            followTcp.setDisable(none);
            followUdp.setDisable(none);
            exportDisplayed.setDisable(packetList.getItems().isEmpty());
        });
        packetList.setContextMenu(menu);
        packetList.addEventHandler(KeyEvent.KEY_PRESSED, event -> {
            if (FOLLOW_TCP.match(event)) {
                follow(StreamFollower.Protocol.TCP);
                event.consume();
            } else if (FOLLOW_UDP.match(event)) {
                follow(StreamFollower.Protocol.UDP);
                event.consume();
            }
        });
    }

    /** Wireshark's Go to Packet: Ctrl+G opens the bar, Enter goes, Escape or Close hides it. */
    private void installGoTo() {
        root.addEventHandler(KeyEvent.KEY_PRESSED, event -> {
            if (GO_TO.match(event)) {
                showGoTo(true);
                event.consume();
            }
        });
        goToField.setOnAction(event -> goTo());
        goToButton.setOnAction(event -> goTo());
        goToCloseButton.setOnAction(event -> showGoTo(false));
        goToField.addEventHandler(KeyEvent.KEY_PRESSED, event -> {
            if (event.getCode() == KeyCode.ESCAPE) {
                showGoTo(false);
                event.consume();
            }
        });
    }

    private void showGoTo(boolean show) {
        goToBar.setVisible(show);
        goToBar.setManaged(show);
        goToMessage.setText("");
        if (show) {
            goToField.requestFocus();
            goToField.selectAll();
        } else {
            packetList.requestFocus();
        }
    }

    private void goTo() {
        String problem = viewModel.goToFrame(goToField.getText());
        if (problem == null) {
            showGoTo(false);
        } else {
            goToMessage.setText(problem);
        }
    }

    /**
     * Wireshark's View › Time Display Format: the Time column header's right-click menu, and Ctrl+Alt+1 to 8 anywhere in
     * the capture pane. The column's title says which time it shows; it is sized again to fit.
     */
    private void installTimeFormats() {
        timeColumn.setCellFactory(column -> new TableCell<>() {
            @Override
            protected void updateItem(String relative, boolean empty) {
                super.updateItem(relative, empty);
                PacketRow row = empty ? null : getTableRow().getItem();
                setText(row == null ? null : viewModel.timeText(row, getIndex()));
            }
        });
        ToggleGroup formats = new ToggleGroup();
        ContextMenu menu = new ContextMenu();
        for (TimeFormat format : TimeFormat.values()) {
            RadioMenuItem item = new RadioMenuItem(format.menuText());
            item.setToggleGroup(formats);
            item.setAccelerator(format.accelerator());
            item.setSelected(format == viewModel.timeFormatProperty().get());
            item.setOnAction(event -> viewModel.timeFormatProperty().set(format));
            item.setUserData(format);
            menu.getItems().add(item);
        }
        timeColumn.setContextMenu(menu);
        root.addEventHandler(KeyEvent.KEY_PRESSED, event -> {
            for (TimeFormat format : TimeFormat.values()) {
                if (format.accelerator() != null && format.accelerator().match(event)) {
                    viewModel.timeFormatProperty().set(format);
                    event.consume();
                }
            }
        });
        viewModel.timeFormatProperty().addListener((property, old, format) -> {
            formats.getToggles().forEach(toggle -> toggle.setSelected(toggle.getUserData() == format));
            timeColumn.setText(format.columnTitle());
            packetList.refresh();
            ColumnFit.fitExactly(packetList, timeColumn, viewModel::timeText);
        });
    }

    /** Wireshark's Statistics menu: each item opens the Statistics window on its tab, counting the frames held. */
    private void installStatistics() {
        for (StatisticsViewModel.Tab tab : StatisticsViewModel.Tab.values()) {
            MenuItem item = new MenuItem(tab.title());
            item.setOnAction(event -> StatisticsView.open(packetList, new StatisticsViewModel(viewModel, tab)));
            statisticsButton.getItems().add(item);
        }
    }

    private void chooseWhereToExportDisplayed() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(viewModel.isFiltered() ? "Export the frames shown by " + viewModel.appliedFilterTextProperty().get() + " as pcap"
                : "Export every frame as pcap");
        chooser.setInitialFileName("displayed.pcap");
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("pcap (*.pcap)", "*.pcap"));
        File file = chooser.showSaveDialog(root.getScene() == null ? null : root.getScene().getWindow());
        if (file != null) {
            Path path = file.toPath();
            viewModel.exportDisplayed(path.getFileName().toString().contains(".") ? path : path.resolveSibling(path.getFileName() + ".pcap"));
        }
    }

    private void follow(StreamFollower.Protocol protocol) {
        viewModel.followStream(protocol, followed -> FollowStreamView.open(packetList, followed, viewModel));
    }

    private static Map<ColouringRule, PseudoClass> rowStates() {
        Map<ColouringRule, PseudoClass> states = new EnumMap<>(ColouringRule.class);
        for (ColouringRule rule : ColouringRule.values()) {
            if (rule != ColouringRule.NONE) {
                states.put(rule, PseudoClass.getPseudoClass(rule.styleClass()));
            }
        }
        return states;
    }

    private static <T> javafx.util.Callback<TableColumn.CellDataFeatures<PacketRow, T>, ObservableValue<T>> value(Function<PacketRow, T> getter) {
        return features -> new ReadOnlyObjectWrapper<>(getter.apply(features.getValue()));
    }

    private static TableCell<PacketRow, Integer> numericCell() {
        return new TableCell<>() {
            @Override
            protected void updateItem(Integer value, boolean empty) {
                super.updateItem(value, empty);
                setText(empty || value == null ? null : Integer.toString(value));
            }
        };
    }

    /** Scrolls to the newest frame, once per pulse, only if the user was looking at the last row already. */
    private void followNewFrames() {
        int size = packetList.getItems().size();
        if (!viewModel.liveProperty().get()) {
            // A file opens at its first frame, as in Wireshark.
            sizeAtLastPulse = size;
            return;
        }
        boolean wasAtBottom = sizeAtLastPulse == 0 || lastVisibleIndex() >= sizeAtLastPulse - 1;
        sizeAtLastPulse = size;
        if (wasAtBottom && size > 0) {
            packetList.scrollTo(size - 1);
        }
    }

    private int lastVisibleIndex() {
        if (flow == null && packetList.lookup(".virtual-flow") instanceof VirtualFlow<?> found) {
            // Looked up once: a lookup walks the table's cells, and this runs on every pulse that adds frames.
            flow = found;
        }
        if (flow == null) {
            return Integer.MAX_VALUE;
        }
        IndexedCell<?> last = flow.getLastVisibleCell();
        return last == null ? -1 : last.getIndex();
    }

    private void selectFrames(int[] numbers) {
        int[] indexes = viewModel.displayedIndexesOf(numbers);
        if (indexes.length == 0) {
            return;
        }
        var selection = packetList.getSelectionModel();
        selection.clearSelection();
        int last = indexes[indexes.length - 1];
        selection.selectIndices(indexes[0], java.util.Arrays.copyOfRange(indexes, 1, indexes.length));
        // The last one shows in the details (the reply, for a ping): select it again so it is the focused one.
        selection.select(last);
        packetList.scrollTo(Math.max(0, last - 3));
    }

    // ---- details ----

    private void bindDetails() {
        detailsTree.setCellFactory(tree -> new FieldCell());
        detailsHint.visibleProperty().bind(viewModel.selectedTreeProperty().isNull());
        viewModel.selectedTreeProperty().addListener((obs, old, tree) -> showTree(tree));
        detailsTree.getSelectionModel().selectedItemProperty().addListener((obs, old, item) -> {
            if (!updatingTreeSelection) {
                viewModel.selectField(item == null ? null : item.getValue());
            }
        });
        viewModel.selectedFieldProperty().addListener((obs, old, field) -> revealField(field));
    }

    private void showTree(FrameTree tree) {
        TreeItem<FieldNode> top = new TreeItem<>();
        if (tree != null) {
            for (FieldNode layer : tree.layers()) {
                if (!layer.isHidden()) {
                    top.getChildren().add(item(layer, ""));
                }
            }
        }
        updatingTreeSelection = true;
        detailsTree.setRoot(top);
        updatingTreeSelection = false;
    }

    private TreeItem<FieldNode> item(FieldNode node, String parentPath) {
        TreeItem<FieldNode> item = new TreeItem<>(node);
        String path = parentPath + "/" + node.name();
        for (FieldNode child : node.children()) {
            if (!child.isHidden()) {
                item.getChildren().add(item(child, path));
            }
        }
        if (!item.isLeaf()) {
            item.setExpanded(viewModel.isExpanded(path));
            item.expandedProperty().addListener((obs, was, expanded) -> viewModel.setExpanded(path, expanded));
        }
        return item;
    }

    /** Selects the tree line of {@code field} (chosen by clicking a byte), opening the lines above it. */
    private void revealField(FieldNode field) {
        TreeItem<FieldNode> selected = detailsTree.getSelectionModel().getSelectedItem();
        if (field == null || (selected != null && selected.getValue() == field) || detailsTree.getRoot() == null) {
            return;
        }
        TreeItem<FieldNode> item = find(detailsTree.getRoot(), field);
        if (item == null) {
            return;
        }
        for (TreeItem<FieldNode> parent = item.getParent(); parent != null && parent != detailsTree.getRoot(); parent = parent.getParent()) {
            parent.setExpanded(true);
        }
        updatingTreeSelection = true;
        detailsTree.getSelectionModel().select(item);
        updatingTreeSelection = false;
        int row = detailsTree.getRow(item);
        if (row >= 0) {
            detailsTree.scrollTo(Math.max(0, row - 2));
        }
    }

    private static TreeItem<FieldNode> find(TreeItem<FieldNode> item, FieldNode field) {
        if (item.getValue() == field) {
            return item;
        }
        for (TreeItem<FieldNode> child : item.getChildren()) {
            TreeItem<FieldNode> found = find(child, field);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** A tree line: the field's text, expert notes in their severity's colour, and the filter menu. */
    private final class FieldCell extends TreeCell<FieldNode> {
        private final MenuItem apply = new MenuItem("Apply as Filter");
        private final MenuItem prepare = new MenuItem("Prepare as Filter");
        private final ContextMenu menu = new ContextMenu(apply, prepare);

        FieldCell() {
            apply.setOnAction(event -> viewModel.applyAsFilter(getItem()));
            prepare.setOnAction(event -> viewModel.prepareAsFilter(getItem()));
            menu.setOnShowing(event -> {
                String filter = viewModel.filterFor(getItem());
                apply.setDisable(filter == null);
                prepare.setDisable(filter == null);
                apply.setText(filter == null ? "Apply as Filter" : "Apply as Filter: " + abbreviate(filter));
                prepare.setText(filter == null ? "Prepare as Filter" : "Prepare as Filter: " + abbreviate(filter));
            });
        }

        @Override
        protected void updateItem(FieldNode node, boolean empty) {
            super.updateItem(node, empty);
            getStyleClass().removeAll(EXPERT_CLASSES);
            if (empty || node == null) {
                setText(null);
                setContextMenu(null);
                return;
            }
            setText(node.displayLine());
            setContextMenu(menu);
            ExpertSeverity severity = ExpertSeverity.of(node);
            if (severity != null) {
                getStyleClass().add(severity.styleClass());
            }
        }
    }

    private static String abbreviate(String filter) {
        return filter.length() <= 60 ? filter : filter.substring(0, 57) + "…";
    }

    // ---- bytes ----

    private void bindBytes() {
        hexView.onByteClickedProperty().set(viewModel::byteClicked);
        viewModel.selectedTreeProperty().addListener((obs, old, tree) -> {
            showDataSource(viewModel.selectedDataSourceProperty().get());
            buildDataSourceTabs(tree);
        });
        viewModel.selectedDataSourceProperty().addListener((obs, old, index) -> {
            showDataSource(index.intValue());
            selectTab(index.intValue());
        });
        viewModel.selectedFieldProperty().addListener((obs, old, field) -> highlight(field));
        dataSourceTabs.setVisible(false);
        dataSourceTabs.setManaged(false);
    }

    private void showDataSource(int index) {
        FrameTree.DataSource source = viewModel.dataSource(index);
        if (source == null) {
            hexView.setData(null, 0);
        } else {
            hexView.setData(source.toArray(), source.length());
        }
        highlight(viewModel.selectedFieldProperty().get());
    }

    private void highlight(FieldNode field) {
        if (field == null || field.dataSource() != viewModel.selectedDataSourceProperty().get()) {
            hexView.setHighlight(0, 0);
        } else {
            hexView.setHighlight(field.offset(), field.length());
        }
    }

    /** One toggle per data source ("Frame (98 bytes)", "Reassembled IPv4 (3008 bytes)"), as Wireshark's tabs. */
    private void buildDataSourceTabs(FrameTree tree) {
        dataSourceTabs.getChildren().clear();
        boolean several = tree != null && tree.dataSources().size() > 1;
        dataSourceTabs.setVisible(several);
        dataSourceTabs.setManaged(several);
        if (!several) {
            return;
        }
        ToggleGroup group = new ToggleGroup();
        for (int i = 0; i < tree.dataSources().size(); i++) {
            int index = i;
            ToggleButton tab = new ToggleButton(tree.dataSources().get(i).name());
            tab.setToggleGroup(group);
            tab.setSelected(i == viewModel.selectedDataSourceProperty().get());
            tab.setOnAction(event -> {
                viewModel.showDataSource(index);
                tab.setSelected(true);
            });
            dataSourceTabs.getChildren().add(tab);
        }
    }

    private void selectTab(int index) {
        for (int i = 0; i < dataSourceTabs.getChildren().size(); i++) {
            ((ToggleButton) dataSourceTabs.getChildren().get(i)).setSelected(i == index);
        }
    }

    // ---- legend ----

    private void buildLegend() {
        for (String[] rule : CaptureViewModel.colouringRules()) {
            Label swatch = new Label(rule[0]);
            swatch.getStyleClass().addAll("legend-swatch", rule[2]);
            Label filter = new Label(rule[1]);
            filter.getStyleClass().add("legend-filter");
            HBox line = new HBox(swatch, filter);
            CustomMenuItem item = new CustomMenuItem(line, false);
            Tooltip.install(line, new Tooltip(rule[1]));
            legendButton.getItems().add(item);
        }
    }

    // ---- for tests ----

    TableView<PacketRow> packetList() {
        return packetList;
    }

    TreeView<FieldNode> detailsTree() {
        return detailsTree;
    }

    HexView hexView() {
        return hexView;
    }

    TextField filterField() {
        return filterField;
    }

    Label filterErrorLabel() {
        return filterErrorLabel;
    }

    SplitPane panes() {
        return panes;
    }
}
