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
import dev.stacklab.app.ping.PingView;
import dev.stacklab.app.ping.PingViewModel;
import dev.stacklab.app.tcp.TcpView;
import dev.stacklab.app.tcp.TcpViewModel;
import dev.stacklab.app.udp.UdpView;
import dev.stacklab.app.udp.UdpViewModel;
import javafx.beans.InvalidationListener;
import javafx.beans.Observable;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.value.ObservableValue;
import javafx.scene.Node;
import javafx.scene.control.Tab;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * The panes the main window hosts, made and wired in one place: the network bar (whose session every pane
 * follows), the capture panes, and the tool tabs. This is the only class that knows the panes' own classes.
 *
 * @param networkBar the toolbar's network chooser, address and start/stop
 * @param session the network the panes follow (null while none runs)
 * @param capture the capture panes' commands and counters
 * @param captureView the capture panes
 * @param toolTabs Ping, ARP, UDP, TCP, Link (each tab's content is made when it is first selected)
 * @param begin lists the networks and starts the last one used (the simulated LAN by default), off the FX thread;
 *              the app runs it once the window is up, so the first frame waits for neither
 * @param shutdown closes the running network when the window closes
 */
public record MainWindowParts(Node networkBar, ReadOnlyObjectProperty<LabSession> session, CaptureControls capture,
                              Node captureView, List<Tab> toolTabs, Runnable begin, Runnable shutdown) {

    /**
     * Makes the panes, reporting problems to {@code notifier}; {@link #begin} then chooses the network last used
     * again (if still there and usable). FX thread.
     */
    public static MainWindowParts create(Notifier notifier, AppPreferences preferences) {
        NetworkBarViewModel network = new NetworkBarViewModel(notifier);
        network.selectedNetworkIdProperty().addListener((observable, old, id) -> {
            if (id != null) {
                preferences.setLastNetwork(id);
            }
        });
        // The capture is the context's frame selector and needs the context itself: a late-bound reference.
        CaptureViewModel[] captureHolder = new CaptureViewModel[1];
        AppContext context = new AppContext(network.sessionProperty(), notifier,
                displayFilter -> captureHolder[0].selectFramesMatching(displayFilter), new LateCaptureFeed(captureHolder));
        CaptureViewModel capture = new CaptureViewModel(context);
        captureHolder[0] = capture;
        // The view-models follow the session from the start (the ARP pane keeps warnings heard before it is
        // opened); a pane's controls are made when its tab is first shown, so the first frame builds only one.
        PingViewModel ping = new PingViewModel(context);
        ArpViewModel arp = new ArpViewModel(context);
        UdpViewModel udp = new UdpViewModel(context);
        TcpViewModel tcp = new TcpViewModel(context);
        ImpairmentsViewModel impairments = new ImpairmentsViewModel(context);
        List<Tab> tools = List.of(
                lazyTab("Ping", () -> PingView.load(ping)),
                lazyTab("ARP", () -> ArpView.load(arp)),
                lazyTab("UDP", () -> UdpView.load(udp)),
                lazyTab("TCP", () -> TcpView.load(tcp)),
                lazyTab("Link", () -> ImpairmentsView.load(impairments)));
        String lastNetwork = preferences.lastNetwork().orElse(null);
        return new MainWindowParts(NetworkBarView.load(network), network.sessionProperty(), new CapturePanes(capture),
                CaptureView.load(capture), tools, () -> network.begin(lastNetwork), network::shutdown);
    }

    /** A tab whose content is made the first time it is selected (at once if it already is). */
    private static Tab lazyTab(String title, Supplier<Node> content) {
        Tab tab = new Tab(title);
        tab.selectedProperty().addListener(new InvalidationListener() {
            @Override
            public void invalidated(Observable selected) {
                if (tab.isSelected()) {
                    tab.selectedProperty().removeListener(this);
                    tab.setContent(content.get());
                }
            }
        });
        return tab;
    }

    /** The capture's frames for the tool panes, through the same late-bound reference as the frame selector. */
    private record LateCaptureFeed(CaptureViewModel[] capture) implements CaptureFeed {
        @Override
        public void addListener(Listener listener) {
            capture[0].addListener(listener);
        }

        @Override
        public void removeListener(Listener listener) {
            capture[0].removeListener(listener);
        }

        @Override
        public ReadOnlyIntegerProperty selectedFrameNumberProperty() {
            return capture[0].selectedFrameNumberProperty();
        }

        @Override
        public void selectFrame(int number) {
            capture[0].selectFrame(number);
        }

        @Override
        public List<CapturedFrame> framesNumbered(int[] numbers) {
            return capture[0].framesNumbered(numbers);
        }

        @Override
        public boolean removeFrames(int[] numbers) {
            return capture[0].removeFrames(numbers);
        }
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
