package dev.stacklab.app;

import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.stage.Stage;
import javafx.stage.Window;

/**
 * Opens a view in a window of its own beside the main one, with the main window's stylesheets and theme: the TCP
 * pane's lower area is short beside the capture, and a ladder or a chart is worth a big window.
 */
public final class OwnWindow {
    private OwnWindow() {
    }

    /**
     * Opens {@code content} titled {@code title}, styled as {@code from}'s scene; {@code closed} runs when the window
     * closes (to stop the content following its view-model). FX thread.
     */
    public static Stage open(Node from, String title, Parent content, double width, double height, Runnable closed) {
        Scene scene = new Scene(content, width, height);
        Window owner = null;
        if (from.getScene() != null) {
            Parent mainRoot = from.getScene().getRoot();
            scene.getStylesheets().setAll(from.getScene().getStylesheets());
            content.getStylesheets().addAll(mainRoot.getStylesheets());
            if (mainRoot.getStyleClass().contains(Theme.DARK_STYLE_CLASS)) {
                content.getStyleClass().add(Theme.DARK_STYLE_CLASS);
            }
            owner = from.getScene().getWindow();
        }
        Stage stage = new Stage();
        stage.setTitle(title + " — stacklab");
        stage.setScene(scene);
        stage.setOnHidden(event -> closed.run());
        if (owner != null) {
            stage.initOwner(owner);
        }
        stage.show();
        return stage;
    }
}
