package dev.stacklab.app.capture;

import dev.stacklab.app.OwnWindow;
import dev.stacklab.app.capture.FollowStreamViewModel.Line;
import javafx.collections.FXCollections;
import javafx.css.PseudoClass;
import javafx.fxml.FXML;
import javafx.fxml.FXMLLoader;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.stage.FileChooser;
import javafx.stage.Stage;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/**
 * The Follow TCP/UDP Stream window (FollowStreamView.fxml): binds only. A click on a line selects the frame it came
 * from in the packet list; "Filter Out This Stream" hides the stream there and closes the window, as in Wireshark.
 */
final class FollowStreamView {
    private static final PseudoClass CLIENT = PseudoClass.getPseudoClass("client");
    private static final PseudoClass SERVER = PseudoClass.getPseudoClass("server");

    @FXML private Parent root;
    @FXML private ListView<Line> textList;
    @FXML private Label summaryLabel;
    @FXML private ComboBox<String> directionBox;
    @FXML private ComboBox<FollowStreamViewModel.Show> showBox;
    @FXML private TextField findField;
    @FXML private Button findButton;
    @FXML private Button filterOutButton;
    @FXML private Button saveButton;
    @FXML private Button closeButton;

    private final FollowStreamViewModel viewModel;
    private final CaptureViewModel capture;
    private Stage stage;

    private FollowStreamView(FollowStreamViewModel viewModel, CaptureViewModel capture) {
        this.viewModel = viewModel;
        this.capture = capture;
    }

    /** Opens the window beside {@code from}'s (its theme and stylesheets), showing {@code viewModel}. FX thread. */
    static Stage open(Node from, FollowStreamViewModel viewModel, CaptureViewModel capture) {
        FollowStreamView view = new FollowStreamView(viewModel, capture);
        FXMLLoader loader = new FXMLLoader(FollowStreamView.class.getResource("FollowStreamView.fxml"));
        loader.setController(view);
        Parent content;
        try {
            content = loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("FollowStreamView.fxml is missing or broken in this build", e);
        }
        view.stage = OwnWindow.open(from, viewModel.title(), content, 900, 640, () -> { });
        return view.stage;
    }

    @FXML
    private void initialize() {
        textList.setItems(viewModel.lines());
        textList.setCellFactory(list -> new ListCell<>() {
            @Override
            protected void updateItem(Line line, boolean empty) {
                super.updateItem(line, empty);
                setText(empty || line == null ? null : line.text());
                pseudoClassStateChanged(CLIENT, !empty && line != null && line.frameNumber() >= 0 && !line.fromServer());
                pseudoClassStateChanged(SERVER, !empty && line != null && line.frameNumber() >= 0 && line.fromServer());
            }
        });
        textList.getSelectionModel().selectedItemProperty().addListener((property, old, line) -> {
            if (line != null && line.frameNumber() > 0) {
                capture.selectFrame(line.frameNumber());
            }
        });
        summaryLabel.setText(viewModel.summary());

        List<String> directions = viewModel.directions();
        directionBox.setItems(FXCollections.observableArrayList(directions));
        directionBox.getSelectionModel().select(0);
        directionBox.getSelectionModel().selectedIndexProperty().addListener((property, old, index) -> {
            if (index.intValue() >= 0) {
                viewModel.directionProperty().set(index.intValue());
            }
        });
        showBox.setItems(FXCollections.observableArrayList(FollowStreamViewModel.Show.values()));
        showBox.valueProperty().bindBidirectional(viewModel.showProperty());

        findButton.setOnAction(event -> findNext());
        findField.setOnAction(event -> findNext());
        filterOutButton.setOnAction(event -> {
            capture.filterTextProperty().set(viewModel.filterOut());
            capture.applyFilter();
            stage.close();
        });
        saveButton.setOnAction(event -> save());
        closeButton.setOnAction(event -> stage.close());
    }

    /** Selects the next line (after the selected one, wrapping) that holds the find text, ignoring case. */
    private void findNext() {
        String wanted = findField.getText() == null ? "" : findField.getText().toLowerCase(Locale.ROOT);
        List<Line> lines = viewModel.lines();
        if (wanted.isEmpty() || lines.isEmpty()) {
            return;
        }
        int start = textList.getSelectionModel().getSelectedIndex() + 1;
        for (int i = 0; i < lines.size(); i++) {
            int index = (start + i) % lines.size();
            if (lines.get(index).text().toLowerCase(Locale.ROOT).contains(wanted)) {
                textList.getSelectionModel().select(index);
                textList.scrollTo(Math.max(0, index - 3));
                return;
            }
        }
        summaryLabel.setText("\"" + findField.getText() + "\" is not in the stream as shown. " + viewModel.summary());
    }

    private void save() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Save the stream");
        boolean raw = viewModel.showProperty().get() == FollowStreamViewModel.Show.RAW;
        chooser.setInitialFileName(raw ? "stream.bin" : "stream.txt");
        File file = chooser.showSaveDialog(stage);
        if (file != null) {
            capture.saveFollowed(file.toPath(), viewModel.contentToSave());
        }
    }
}
