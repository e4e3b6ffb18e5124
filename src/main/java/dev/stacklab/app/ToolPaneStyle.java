package dev.stacklab.app;

import javafx.fxml.FXMLLoader;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Label;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/** The style classes of the tool panes (ping, ARP, UDP, TCP) (defined in {@code tool-pane.css}), and that stylesheet. */
public final class ToolPaneStyle {
    public static final String STYLESHEET = Objects.requireNonNull(ToolPaneStyle.class.getResource("tool-pane.css"),
            "tool-pane.css").toExternalForm();

    public static final String PANE = "tool-pane";
    public static final String FORM = "tool-form";
    public static final String BUTTONS = "tool-buttons";
    public static final String UNAVAILABLE = "tool-unavailable";
    public static final String MESSAGE = "tool-message";
    public static final String NOTE = "tool-note";
    public static final String OUTPUT = "tool-output";
    public static final String MONO = "tool-mono";
    public static final String TABLE = "tool-table";
    public static final String WARNING_BANNER = "tool-warning-banner";
    public static final String ROW_WARNING = "row-warning";
    public static final String WIDE = "wide";

    private ToolPaneStyle() {
    }

    /** Adds the stylesheet to a pane's root. */
    public static void apply(Parent root) {
        if (!root.getStylesheets().contains(STYLESHEET)) {
            root.getStylesheets().add(STYLESHEET);
        }
    }

    /** Shows a node only while it has something to say, and gives it no room otherwise. */
    public static void showWhenText(Node node, javafx.beans.value.ObservableStringValue text) {
        node.visibleProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding(
                () -> text.get() != null && !text.get().isEmpty(), text));
        node.managedProperty().bind(node.visibleProperty());
    }

    /** A label showing a view-model's text, present only while there is some (the pane's message lines). */
    public static void showText(Label label, javafx.beans.value.ObservableStringValue text) {
        label.textProperty().bind(text);
        showWhenText(label, text);
    }

    /**
     * Loads a tool pane's FXML (beside {@code view}) with {@code controller} and returns its root. A pane's FXML is
     * part of the application, so failing to load it is a broken build, not a user's problem.
     */
    public static Parent load(Class<?> view, String fxml, Object controller) {
        FXMLLoader loader = new FXMLLoader(view.getResource(fxml));
        loader.setController(controller);
        try {
            return loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException(fxml + " is part of the application and must load", e);
        }
    }
}
