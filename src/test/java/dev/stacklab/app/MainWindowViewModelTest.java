package dev.stacklab.app;

import dev.stacklab.capture.CapturedFrame;
import dev.stacklab.link.LinkEvent;
import dev.stacklab.runtime.LabSession;
import dev.stacklab.runtime.StackRunner;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.value.ObservableValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.prefs.Preferences;

import static org.assertj.core.api.Assertions.assertThat;

/** The main window's view-model without an FX thread: frames reach the capture in batches, sessions switch cleanly. */
class MainWindowViewModelTest {
    private Preferences node;
    private AppPreferences preferences;
    private final SimpleObjectProperty<LabSession> session = new SimpleObjectProperty<>();
    private final RecordingCapture capture = new RecordingCapture();

    @BeforeEach
    void separatePreferences() {
        node = Preferences.userRoot().node("dev/stacklab/test/" + getClass().getSimpleName() + System.nanoTime());
        preferences = new AppPreferences(node);
    }

    @AfterEach
    void removePreferences() throws Exception {
        node.removeNode();
    }

    @Test
    void framesFromTheSessionReachTheCaptureAsOneBatchPerDrain() {
        MainWindowViewModel viewModel = new MainWindowViewModel(session, capture, preferences);
        WatchOnlySession lan = new WatchOnlySession("eth9 (watch only)");
        session.set(lan);

        for (int i = 0; i < 5; i++) {
            lan.emit(frame(i));
        }
        assertThat(capture.batches).isEmpty();
        viewModel.drainNow();

        assertThat(capture.batches).hasSize(1);
        assertThat(capture.batches.get(0)).extracting(frame -> frame.bytes()[0]).containsExactly((byte) 0, (byte) 1, (byte) 2, (byte) 3, (byte) 4);
        assertThat(viewModel.linkStateProperty().get()).isEqualTo("eth9 (watch only): up");
        assertThat(viewModel.ourAddressProperty().get()).isEqualTo("watch only (no stack)");
    }

    @Test
    void switchingNetworksStopsListeningToTheOldOne() {
        MainWindowViewModel viewModel = new MainWindowViewModel(session, capture, preferences);
        WatchOnlySession first = new WatchOnlySession("first");
        WatchOnlySession second = new WatchOnlySession("second");
        session.set(first);
        session.set(second);

        assertThat(first.listeners).isEmpty();
        assertThat(second.listeners).hasSize(1);
        first.emit(frame(1));
        second.emit(frame(2));
        viewModel.drainNow();
        assertThat(capture.batches).hasSize(1);
        assertThat(capture.batches.get(0)).extracting(frame -> frame.bytes()[0]).containsExactly((byte) 2);

        session.set(null);
        assertThat(second.listeners).isEmpty();
        assertThat(viewModel.linkStateProperty().get()).isEqualTo("No network");
    }

    @Test
    void clearForgetsFramesCapturedBeforeItThatWereNotShownYet() {
        MainWindowViewModel viewModel = new MainWindowViewModel(session, capture, preferences);
        WatchOnlySession lan = new WatchOnlySession("eth9 (watch only)");
        session.set(lan);
        lan.emit(frame(1));

        viewModel.clearCapture();
        lan.emit(frame(2));
        viewModel.drainNow();

        assertThat(capture.commands).containsExactly("clear");
        assertThat(capture.batches).singleElement().satisfies(batch ->
                assertThat(batch).extracting(frame -> frame.bytes()[0]).containsExactly((byte) 2));
        assertThat(viewModel.dropsTextProperty().get()).isEqualTo("Drops: none");
    }

    @Test
    void themeIsRememberedAndToggles() {
        MainWindowViewModel viewModel = new MainWindowViewModel(session, capture, preferences);
        assertThat(viewModel.themeProperty().get()).isEqualTo(Theme.LIGHT);
        viewModel.toggleTheme();
        assertThat(preferences.theme()).isEqualTo(Theme.DARK);
        assertThat(new MainWindowViewModel(session, capture, preferences).themeProperty().get()).isEqualTo(Theme.DARK);
    }

    @Test
    void captureCommandsGoToTheCapturePanes() {
        MainWindowViewModel viewModel = new MainWindowViewModel(session, capture, preferences);
        viewModel.openCapture(Path.of("/tmp/x.pcap"));
        viewModel.saveCapture(Path.of("/tmp/y.pcap"));
        viewModel.openSample();
        viewModel.clearCapture();
        assertThat(capture.commands).containsExactly("open /tmp/x.pcap", "save /tmp/y.pcap", "sample", "clear");
        assertThat(viewModel.dropsTextProperty().get()).isEqualTo("Drops: none");
    }

    @Test
    void aFloodBeyondTheQueueIsCountedAsAUiDropNotBuffered() {
        MainWindowViewModel viewModel = new MainWindowViewModel(session, capture, preferences);
        WatchOnlySession lan = new WatchOnlySession("flood");
        session.set(lan);
        int extra = 10;
        for (int i = 0; i < MainWindowViewModel.CAPTURE_QUEUE_CAPACITY + extra; i++) {
            lan.emit(frame(i));
        }
        viewModel.drainNow();
        int delivered = capture.batches.stream().mapToInt(List::size).sum();
        assertThat(delivered).isEqualTo(EventPump.MAX_PER_PULSE);
        assertThat(viewModel.dropsTextProperty().get()).isEqualTo("Drops: " + extra);
        assertThat(viewModel.dropsDetailProperty().get()).isEqualTo(extra + " UI event queue full");
        viewModel.clearCapture();
        assertThat(viewModel.dropsTextProperty().get()).isEqualTo("Drops: none");
    }

    @Test
    void dropTallyNamesReasonsMostFrequentFirst() {
        DropTally tally = new DropTally();
        tally.record(new LinkEvent("sw", LinkEvent.Kind.DROPPED, LinkEvent.Direction.SEND, "lost", null, 0));
        tally.record(new LinkEvent("sw", LinkEvent.Kind.DROPPED, LinkEvent.Direction.SEND, "lost", null, 0));
        tally.record(new LinkEvent("sw", LinkEvent.Kind.DUPLICATED, LinkEvent.Direction.SEND, "twice", null, 0));
        tally.record(new dev.stacklab.stack.StackEvent.Dropped(0, dev.stacklab.stack.DropReason.BAD_CHECKSUM, "ip", new byte[0]));
        assertThat(tally.total()).isEqualTo(3);
        assertThat(tally.describe()).isEqualTo("2 impairment loss, 1 bad checksum");
    }

    private static CapturedFrame frame(int marker) {
        return new CapturedFrame(marker, CapturedFrame.Direction.IN, new byte[] {(byte) marker, 0, 0}, 3, null);
    }

    /** A network without a stack that reports the frames the test hands it, as a watch-only capture does. */
    private static final class WatchOnlySession implements LabSession {
        final List<Consumer<CapturedFrame>> listeners = new CopyOnWriteArrayList<>();
        private final String name;

        WatchOnlySession(String name) {
            this.name = name;
        }

        void emit(CapturedFrame frame) {
            listeners.forEach(listener -> listener.accept(frame));
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Optional<StackRunner> stack() {
            return Optional.empty();
        }

        @Override
        public void addCaptureListener(Consumer<CapturedFrame> listener) {
            listeners.add(listener);
        }

        @Override
        public void removeCaptureListener(Consumer<CapturedFrame> listener) {
            listeners.remove(listener);
        }

        @Override
        public void close() {
        }
    }

    private static final class RecordingCapture implements CaptureControls {
        final List<List<CapturedFrame>> batches = new ArrayList<>();
        final List<String> commands = new ArrayList<>();
        private final BooleanProperty paused = new SimpleBooleanProperty();

        @Override
        public BooleanProperty pausedProperty() {
            return paused;
        }

        @Override
        public void clear() {
            commands.add("clear");
        }

        @Override
        public void openFile(Path file) {
            commands.add("open " + file);
        }

        @Override
        public void openSample() {
            commands.add("sample");
        }

        @Override
        public void saveAs(Path file) {
            commands.add("save " + file);
        }

        @Override
        public void accept(List<CapturedFrame> batch) {
            batches.add(batch);
        }

        @Override
        public ObservableValue<? extends Number> capturedCount() {
            return new SimpleLongProperty();
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
