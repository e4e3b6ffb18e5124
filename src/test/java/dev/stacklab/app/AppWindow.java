package dev.stacklab.app;

import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.stage.Stage;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;

/**
 * The real main window for end-to-end tests and the preview renderer: {@link StacklabApp} started headless
 * (Monocle) with a preferences node of its own, so neither a developer's settings nor another test's leak in.
 */
final class AppWindow implements AutoCloseable {
    private final Preferences node;
    private final StacklabApp app;
    final Stage stage;

    private AppWindow(Preferences node, StacklabApp app, Stage stage) {
        this.node = node;
        this.app = app;
        this.stage = stage;
    }

    static AppWindow start(String testName) throws Exception {
        return start(Preferences.userRoot().node("dev/stacklab/test/" + testName + "-" + System.nanoTime()));
    }

    /** Starts on the given preferences node (removed on close). */
    static AppWindow start(Preferences node) throws Exception {
        StacklabApp.preferencesForNextStart = new AppPreferences(node);
        Stage stage = FxToolkit.registerPrimaryStage();
        StacklabApp app = (StacklabApp) FxToolkit.setupApplication(StacklabApp.class);
        WaitForAsyncUtils.waitForFxEvents();
        return new AppWindow(node, app, stage);
    }

    Parent root() {
        return stage.getScene().getRoot();
    }

    <T extends Node> T lookup(String selector, Class<T> type) {
        return type.cast(call(() -> root().lookup(selector)));
    }

    /** Runs on the FX thread and waits for the answer (as long as a loaded machine may take to get to it). */
    /**
     * The windows open now whose root has {@code styleClass} ("follow-stream", "statistics"): the app's own windows.
     * Read where the caller is (inside {@link #call} or a wait's condition), as the window list is.
     */
    static java.util.List<javafx.stage.Window> windowsStyled(String styleClass) {
        return javafx.stage.Window.getWindows().stream()
                .filter(w -> w.getScene() != null && w.getScene().getRoot().getStyleClass().contains(styleClass)).toList();
    }

    static <T> T call(Callable<T> action) {
        try {
            return WaitForAsyncUtils.asyncFx(action).get(TestPatience.SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("FX action failed", e);
        }
    }

    static void run(Runnable action) {
        call(() -> {
            action.run();
            return null;
        });
    }

    /** Waits until the condition (checked on the FX thread) holds, failing with {@code what} after {@link TestPatience#WAIT}. */
    static void waitUntil(String what, BooleanSupplier condition) {
        waitUntil(what, TestPatience.SECONDS, condition);
    }

    /**
     * Waits until the condition (checked on the FX thread) holds, failing with {@code what} after {@code seconds}, for
     * something known to take longer than {@link TestPatience#WAIT}; never less than that (a shorter wait is what a
     * loaded machine fails).
     */
    static void waitUntil(String what, long seconds, BooleanSupplier condition) {
        long patience = Math.max(seconds, TestPatience.SECONDS);
        try {
            WaitForAsyncUtils.waitFor(patience, TimeUnit.SECONDS, () -> call(condition::getAsBoolean));
        } catch (TimeoutException e) {
            throw new AssertionError("timed out after " + patience + " s waiting for: " + what);
        }
    }

    Preferences preferencesNode() {
        return node;
    }

    /** Stops the app but keeps its preferences, for a test that starts it again on them. */
    void closeKeepingPreferences() throws TimeoutException {
        FxToolkit.cleanupApplication(app);
        Platform.runLater(stage::hide);
        WaitForAsyncUtils.waitForFxEvents();
        StacklabApp.preferencesForNextStart = null;
    }

    @Override
    public void close() throws TimeoutException, BackingStoreException {
        closeKeepingPreferences();
        node.removeNode();
    }
}
