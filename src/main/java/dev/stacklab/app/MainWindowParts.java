package dev.stacklab.app;

import dev.stacklab.capture.CapturedFrame;
import dev.stacklab.runtime.LabSession;
import dev.stacklab.app.arp.ArpView;
import dev.stacklab.app.arp.ArpViewModel;
import dev.stacklab.app.capture.CaptureView;
import dev.stacklab.app.capture.CaptureViewModel;
import dev.stacklab.app.network.ImpairmentsView;
import dev.stacklab.app.network.ImpairmentsViewModel;
import dev.stacklab.app.network.NetworkBarView;
import dev.stacklab.app.network.NetworkBarViewModel;
import dev.stacklab.app.network.NetworkChoice;
import dev.stacklab.app.ping.PingView;
import dev.stacklab.app.ping.PingViewModel;
import dev.stacklab.app.udp.UdpView;
import dev.stacklab.app.udp.UdpViewModel;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.value.ObservableValue;
import javafx.scene.Node;
import javafx.scene.control.Tab;

import java.nio.file.Path;
import java.util.List;

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

    /**
     * Makes every pane, reporting problems to {@code notifier}; the network last used (if still there and usable)
     * is chosen again. FX thread.
     */
    public static MainWindowParts create(Notifier notifier, AppPreferences preferences) {
        NetworkBarViewModel network = new NetworkBarViewModel(notifier);
        preferences.lastNetwork().filter(id -> !id.equals(NetworkChoice.SIMULATED_LAN_ID)).ifPresent(network::select);
        network.selectedNetworkIdProperty().addListener((observable, old, id) -> {
            if (id != null) {
                preferences.setLastNetwork(id);
            }
        });
        // The capture is the context's frame selector and needs the context itself: a late-bound reference.
        CaptureViewModel[] captureHolder = new CaptureViewModel[1];
        AppContext context = new AppContext(network.sessionProperty(), notifier,
                displayFilter -> captureHolder[0].selectFramesMatching(displayFilter));
        CaptureViewModel capture = new CaptureViewModel(context);
        captureHolder[0] = capture;
        List<Tab> tools = List.of(
                new Tab("Ping", PingView.load(new PingViewModel(context))),
                new Tab("ARP", ArpView.load(new ArpViewModel(context))),
                new Tab("UDP", UdpView.load(new UdpViewModel(context))),
                new Tab("Link", ImpairmentsView.load(new ImpairmentsViewModel(context))));
        return new MainWindowParts(NetworkBarView.load(network), network.sessionProperty(), new CapturePanes(capture),
                CaptureView.load(capture), tools, network::shutdown);
    }

    /** The capture panes as the toolbar and the status bar see them. */
    private record CapturePanes(CaptureViewModel capture) implements CaptureControls {
        @Override
        public BooleanProperty pausedProperty() {
            return capture.pausedProperty();
        }

        @Override
        public void clear() {
            capture.clear();
        }

        @Override
        public void openFile(Path file) {
            capture.openFile(file);
        }

        @Override
        public void openSample() {
            capture.openSample();
        }

        @Override
        public void saveAs(Path file) {
            capture.saveAs(file);
        }

        @Override
        public void accept(List<CapturedFrame> batch) {
            capture.accept(batch);
        }

        @Override
        public ObservableValue<? extends Number> capturedCount() {
            return capture.capturedCountProperty();
        }

        @Override
        public ObservableValue<? extends Number> framesPerSecond() {
            return capture.framesPerSecondProperty();
        }

        @Override
        public ObservableValue<? extends Number> ringDropped() {
            return capture.ringDroppedProperty();
        }
    }
}
