package dev.stacklab.app;

import atlantafx.base.controls.Notification;
import atlantafx.base.theme.Styles;
import javafx.animation.PauseTransition;
import javafx.application.Platform;
import javafx.geometry.Pos;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The window's {@link Notifier}: problems and notes appear as cards in the top right corner over the panes, an
 * error with its fix underneath, and stay until closed (a note goes away by itself). Callable from any thread.
 * Everything shown is also logged, so a report can quote it.
 */
public final class NotificationArea implements Notifier {
    public static final String STYLE_CLASS = "notification-area";
    public static final String ERROR_STYLE_CLASS = "stacklab-error";
    public static final String INFO_STYLE_CLASS = "stacklab-info";
    /** Cards shown at once at most: a burst of errors must not cover the window. */
    static final int MAX_SHOWN = 4;
    private static final Duration INFO_SHOWN_FOR = Duration.seconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(NotificationArea.class);

    private final VBox area;

    public NotificationArea(VBox area) {
        this.area = area;
        area.getStyleClass().add(STYLE_CLASS);
        area.setAlignment(Pos.TOP_RIGHT);
        area.setPickOnBounds(false);
        area.setMaxSize(Region.USE_PREF_SIZE, Region.USE_PREF_SIZE);
    }

    @Override
    public void error(String problem, String fix) {
        LOG.warn("{} ({})", problem, fix);
        onFxThread(() -> show(problem, fix, true));
    }

    @Override
    public void info(String message) {
        LOG.info(message);
        onFxThread(() -> show(message, null, false));
    }

    private static void onFxThread(Runnable action) {
        if (Platform.isFxApplicationThread()) {
            action.run();
        } else {
            Platform.runLater(action);
        }
    }

    private void show(String message, String fix, boolean error) {
        Notification card = new Notification();
        card.setGraphic(ToolbarIcons.icon(error ? ToolbarIcons.ERROR : ToolbarIcons.INFO));
        card.setMessage(fix == null || fix.isBlank() ? message : message + "\n" + fix);
        card.getStyleClass().addAll(Styles.ELEVATED_2, error ? Styles.DANGER : Styles.ACCENT, error ? ERROR_STYLE_CLASS : INFO_STYLE_CLASS);
        card.setPrefWidth(420);
        card.setMaxHeight(Region.USE_PREF_SIZE);
        card.setOnClose(event -> area.getChildren().remove(card));
        area.getChildren().add(card);
        while (area.getChildren().size() > MAX_SHOWN) {
            area.getChildren().remove(0);
        }
        if (!error) {
            PauseTransition shownFor = new PauseTransition(INFO_SHOWN_FOR);
            shownFor.setOnFinished(event -> area.getChildren().remove(card));
            shownFor.play();
        }
    }

    /** The cards shown now, oldest first, as "message\nfix" (tests read them). */
    public java.util.List<String> shownMessages() {
        return area.getChildren().stream()
                .filter(Notification.class::isInstance)
                .map(node -> ((Notification) node).getMessage())
                .toList();
    }
}
