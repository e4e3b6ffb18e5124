package dev.stacklab.app.network;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import dev.stacklab.app.AppContext;
import dev.stacklab.app.Notifier;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.BorderPane;
import javafx.stage.Stage;

/**
 * A stand-in window for looking at the network bar and the Link pane until the shell hosts them:
 * {@code mvn -o -q test-compile exec:java} is not set up, so run it with the test classpath, e.g.
 * {@code java -cp target/classes:target/test-classes:$(cat cp.txt) dev.stacklab.app.network.NetworkPanesDemo\$Main [dark] [unprivileged]}.
 */
public final class NetworkPanesDemo extends Application {
    @Override
    public void start(Stage stage) {
        boolean dark = getParameters().getRaw().contains("dark");
        boolean unprivileged = getParameters().getRaw().contains("unprivileged");
        Application.setUserAgentStylesheet(dark ? new PrimerDark().getUserAgentStylesheet() : new PrimerLight().getUserAgentStylesheet());
        Label notifications = new Label();
        Notifier notifier = new Notifier() {
            @Override
            public void error(String problem, String fix) {
                javafx.application.Platform.runLater(() -> notifications.setText("ERROR " + problem + " — FIX: " + fix));
            }

            @Override
            public void info(String message) {
                javafx.application.Platform.runLater(() -> notifications.setText(message));
            }
        };
        NetworkEnvironment environment = unprivileged ? new TestEnvironment(false)
                : getParameters().getRaw().contains("fake") ? new TestEnvironment(true) : NetworkEnvironment.SYSTEM;
        NetworkBarViewModel bar = new NetworkBarViewModel(notifier, environment, javafx.application.Platform::runLater);
        ImpairmentsViewModel impairments = new ImpairmentsViewModel(new AppContext(bar.sessionProperty(), notifier, filter -> { }));
        BorderPane root = new BorderPane();
        root.setTop(NetworkBarView.load(bar));
        root.setRight(ImpairmentsView.load(impairments));
        root.setBottom(notifications);
        stage.setScene(new Scene(root, 1500, 600));
        stage.setTitle("stacklab networks (demo)");
        stage.setOnCloseRequest(event -> bar.shutdown());
        stage.show();
        bar.begin(null);
        // For screenshots without a mouse: open what the argument names once the LAN runs.
        javafx.animation.PauseTransition later = new javafx.animation.PauseTransition(javafx.util.Duration.seconds(3));
        later.setOnFinished(event -> {
            if (getParameters().getRaw().contains("show-list")) {
                ((javafx.scene.control.ComboBox<?>) root.lookup(".combo-box")).show();
            }
            if (getParameters().getRaw().contains("show-hint")) {
                javafx.application.Platform.runLater(() -> ((javafx.scene.control.Hyperlink) root.lookup(".hint-link")).fire());
            }
            if (getParameters().getRaw().contains("show-settings")) {
                bar.select("interface:eth0");
                javafx.animation.PauseTransition stopped = new javafx.animation.PauseTransition(javafx.util.Duration.seconds(2));
                stopped.setOnFinished(done -> javafx.application.Platform.runLater(
                        () -> ((javafx.scene.control.Button) root.lookup("#startButton")).fire()));
                stopped.play();
            }
            if (getParameters().getRaw().contains("show-watch")) {
                bar.select("watch:eth0");
            }
        });
        later.play();
    }

    /** A main outside the Application subclass: java's launcher refuses those without JavaFX on the module path. */
    public static final class Main {
        public static void main(String[] args) {
            Application.launch(NetworkPanesDemo.class, args);
        }
    }
}
