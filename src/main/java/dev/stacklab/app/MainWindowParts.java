package dev.stacklab.app;

import dev.stacklab.capture.CapturedFrame;
import dev.stacklab.runtime.LabSession;
import dev.stacklab.runtime.SimulatedLanSession;
import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.value.ObservableValue;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The panes the main window hosts, made and wired in one place: the network bar (whose session every pane
 * follows), the capture panes, and the tool tabs. This is the only class that knows the panes' own classes.
 *
 * @param networkBar the toolbar's network chooser, address and start/stop
 * @param session the network the panes follow (null while none runs)
 * @param capture the capture panes' commands and counters
 * @param captureView the capture panes
 * @param toolTabs Ping, ARP, UDP, Link
 * @param shutdown closes the running network when the window closes
 */
public record MainWindowParts(Node networkBar, ReadOnlyObjectProperty<LabSession> session, CaptureControls capture,
                              Node captureView, List<Tab> toolTabs, Runnable shutdown) {

    /** Makes every pane, reporting problems to {@code notifier}. FX thread. */
    public static MainWindowParts create(Notifier notifier) {
        SimpleObjectProperty<LabSession> session = new SimpleObjectProperty<>();
        Placeholder capture = new Placeholder();
        // Until the network bar is on main: the simulated LAN, started off the FX thread.
        CompletableFuture.supplyAsync(SimulatedLanSession::start).whenComplete((lan, failure) -> Platform.runLater(() -> {
            if (failure != null) {
                notifier.error("The simulated LAN did not start: " + failure.getMessage(), "Restart the app.");
            } else {
                session.set(lan);
            }
        }));
        return new MainWindowParts(new Label(SimulatedLanSession.NAME), session, capture,
                new Label("The capture panes arrive with the capture helper's work."),
                List.of(new Tab("Ping"), new Tab("ARP"), new Tab("UDP"), new Tab("Link")), () -> {
                    if (session.get() != null) {
                        session.get().close();
                    }
                });
    }

    /** Stands in for the capture panes until they are on main: counts what arrives. */
    private static final class Placeholder implements CaptureControls {
        private final BooleanProperty paused = new SimpleBooleanProperty();
        private final SimpleLongProperty count = new SimpleLongProperty();

        @Override
        public BooleanProperty pausedProperty() {
            return paused;
        }

        @Override
        public void clear() {
            count.set(0);
        }

        @Override
        public void openFile(Path file) {
        }

        @Override
        public void openSample() {
        }

        @Override
        public void saveAs(Path file) {
        }

        @Override
        public void accept(List<CapturedFrame> batch) {
            if (!paused.get()) {
                count.set(count.get() + batch.size());
            }
        }

        @Override
        public ObservableValue<? extends Number> capturedCount() {
            return count;
        }

        @Override
        public ObservableValue<? extends Number> framesPerSecond() {
            return new SimpleLongProperty();
        }

        @Override
        public ObservableValue<? extends Number> ringDropped() {
            return new SimpleLongProperty();
        }
    }
}
