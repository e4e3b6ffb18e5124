package dev.stacklab.app.capture;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import dev.stacklab.app.capture.CaptureTestSupport.CollectingNotifier;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;

import java.nio.file.Path;
import java.util.List;

/**
 * Shows the capture panes alone in a window, to look at them under Xvfb until the shell hosts them:
 * {@code java -cp ... dev.stacklab.app.capture.CapturePaneDemo\$Launcher FILE [dark] [ROW] [FILTER]}.
 */
public final class CapturePaneDemo extends Application {
    @Override
    public void start(Stage stage) {
        List<String> args = getParameters().getRaw();
        boolean dark = args.size() > 1 && args.get(1).equals("dark");
        Application.setUserAgentStylesheet(dark ? new PrimerDark().getUserAgentStylesheet() : new PrimerLight().getUserAgentStylesheet());
        CollectingNotifier notifier = new CollectingNotifier();
        CaptureViewModel viewModel = new CaptureViewModel(CaptureTestSupport.context(notifier));
        stage.setScene(new Scene(CaptureView.load(viewModel), 1400, 900));
        stage.setTitle("stacklab capture");
        stage.show();
        viewModel.openFile(Path.of(args.get(0)));
        int row = args.size() > 2 ? Integer.parseInt(args.get(2)) : -1;
        String filter = args.size() > 3 ? args.get(3) : null;
        viewModel.capturedCountProperty().addListener((obs, old, count) -> Platform.runLater(() -> {
            var view = (CaptureView) stage.getScene().getRoot().getProperties().get(CaptureView.class);
            if (filter != null) {
                viewModel.filterTextProperty().set(filter);
            }
            if (row >= 0) {
                view.packetList().getSelectionModel().select(row);
                view.packetList().requestFocus();
            }
        }));
        viewModel.selectedTreeProperty().addListener((obs, old, tree) -> Platform.runLater(() -> {
            var view = (CaptureView) stage.getScene().getRoot().getProperties().get(CaptureView.class);
            var items = view.detailsTree().getRoot().getChildren();
            if (!items.isEmpty()) {
                var last = items.get(items.size() - 1);
                last.setExpanded(true);
                if (!last.getChildren().isEmpty()) {
                    view.detailsTree().getSelectionModel().select(last.getChildren().get(Math.min(3, last.getChildren().size() - 1)));
                }
            }
        }));
    }

    /** The entry point: a class that is not an Application, so the JavaFX jars may sit on the class path. */
    public static final class Launcher {
        public static void main(String[] args) {
            Application.launch(CapturePaneDemo.class, args);
        }
    }
}
