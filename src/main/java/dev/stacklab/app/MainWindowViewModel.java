package dev.stacklab.app;

import dev.stacklab.capture.CapturedFrame;
import dev.stacklab.link.LinkEvent;
import dev.stacklab.runtime.LabSession;
import dev.stacklab.runtime.RunnerListener;
import dev.stacklab.runtime.StackRunner;
import dev.stacklab.stack.StackConfig;
import dev.stacklab.stack.StackEvent;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The main window's state: which network the panes follow, the capture toolbar's commands, the theme and the
 * status bar's texts. It carries the session's frames to the capture panes and its drop and link events to the
 * status bar through two {@link EventPump}s, so the runner thread only ever enqueues and the FX thread takes one
 * batch per pulse. No FX thread is needed to test it: tests call {@link #drainNow()}.
 */
public final class MainWindowViewModel {
    /** Frames queued between two pulses at most; a flood beyond it is counted as a UI drop, never buffered. */
    public static final int CAPTURE_QUEUE_CAPACITY = 200_000;
    private static final int EVENT_QUEUE_CAPACITY = 20_000;

    private final ReadOnlyObjectProperty<LabSession> session;
    private final CaptureControls capture;
    private final AppPreferences preferences;
    private final EventPump<CapturedFrame> capturePump;
    private final EventPump<Object> eventPump;
    private final Consumer<CapturedFrame> captureListener;
    private final RunnerListener runnerListener;
    private final DropTally drops = new DropTally();
    private long uiDropsCounted;

    private final ObjectProperty<Theme> theme = new SimpleObjectProperty<>(this, "theme");
    private final ReadOnlyStringWrapper linkState = new ReadOnlyStringWrapper(this, "linkState");
    private final ReadOnlyStringWrapper ourAddress = new ReadOnlyStringWrapper(this, "ourAddress");
    private final ReadOnlyStringWrapper dropsText = new ReadOnlyStringWrapper(this, "dropsText");
    private final ReadOnlyStringWrapper dropsDetail = new ReadOnlyStringWrapper(this, "dropsDetail");

    public MainWindowViewModel(ReadOnlyObjectProperty<LabSession> session, CaptureControls capture, AppPreferences preferences) {
        this.session = Objects.requireNonNull(session, "session");
        this.capture = Objects.requireNonNull(capture, "capture");
        this.preferences = Objects.requireNonNull(preferences, "preferences");
        this.capturePump = new EventPump<>(CAPTURE_QUEUE_CAPACITY, this::showFrames);
        this.eventPump = new EventPump<>(EVENT_QUEUE_CAPACITY, this::tally);
        this.captureListener = capturePump::offer;
        this.runnerListener = new RunnerListener() {
            @Override
            public void stackEvent(StackEvent event) {
                // Only drops matter to the status bar; frames reach it through the capture listener.
                if (event instanceof StackEvent.Dropped) {
                    eventPump.offer(event);
                }
            }

            @Override
            public void linkEvent(LinkEvent event) {
                eventPump.offer(event);
            }
        };
        theme.set(preferences.theme());
        theme.addListener((observable, old, now) -> preferences.setTheme(now));
        session.addListener((observable, old, now) -> follow(old, now));
        follow(null, session.get());
    }

    private void follow(LabSession old, LabSession now) {
        if (old != null) {
            old.removeCaptureListener(captureListener);
            old.stack().ifPresent(runner -> runner.removeListener(runnerListener));
        }
        // What the old network queued belongs to it; the new one starts with clean counters.
        capturePump.drainNow();
        eventPump.drainNow();
        drops.clear();
        if (now != null) {
            now.addCaptureListener(captureListener);
            now.stack().ifPresent(runner -> runner.addListener(runnerListener));
        }
        linkState.set(now == null ? "No network" : now.name() + ": up");
        ourAddress.set(now == null ? "—" : now.stack().map(MainWindowViewModel::describeAddress).orElse("watch only (no stack)"));
        showDrops();
    }

    private static String describeAddress(StackRunner runner) {
        StackConfig config = runner.config();
        return config.address() + "  " + config.mac();
    }

    private void showFrames(List<CapturedFrame> batch) {
        capture.accept(batch);
        if (capturePump.droppedCount() + eventPump.droppedCount() != uiDropsCounted) {
            showDrops();
        }
    }

    private void tally(List<Object> batch) {
        LabSession current = session.get();
        for (Object event : batch) {
            if (event instanceof StackEvent.Dropped dropped) {
                drops.record(dropped);
            } else if (event instanceof LinkEvent linkEvent) {
                drops.record(linkEvent);
                if (linkEvent.kind() == LinkEvent.Kind.LINK_DOWN && current != null) {
                    linkState.set(current.name() + ": down (" + linkEvent.message() + ")");
                }
            }
        }
        showDrops();
    }

    private void showDrops() {
        long uiDrops = capturePump.droppedCount() + eventPump.droppedCount();
        drops.recordUiOverflow(uiDrops - uiDropsCounted);
        uiDropsCounted = uiDrops;
        dropsText.set("Drops: " + (drops.total() == 0 ? "none" : Long.toString(drops.total())));
        dropsDetail.set(drops.describe());
    }

    /** Starts the per-pulse pumps. FX thread only (the app; tests drain by hand). */
    public void startPumps() {
        capturePump.start();
        eventPump.start();
    }

    public void stopPumps() {
        capturePump.stop();
        eventPump.stop();
    }

    /** Hands everything queued to the capture and the counters now (tests, and a session change). */
    public void drainNow() {
        capturePump.drainNow();
        eventPump.drainNow();
    }

    public ReadOnlyObjectProperty<LabSession> sessionProperty() {
        return session;
    }

    public CaptureControls capture() {
        return capture;
    }

    public void clearCapture() {
        // Frames captured before Clear that wait for the next pulse are not shown after it (the list would start
        // with a frame from before, on a loaded machine several pulses' worth).
        capturePump.discard();
        capture.clear();
        drops.clear();
        uiDropsCounted = capturePump.droppedCount() + eventPump.droppedCount();
        showDrops();
    }

    public void openCapture(Path file) {
        capture.openFile(file);
    }

    public void openSample() {
        capture.openSample();
    }

    public void saveCapture(Path file) {
        capture.saveAs(file);
    }

    public ObjectProperty<Theme> themeProperty() {
        return theme;
    }

    public void toggleTheme() {
        theme.set(theme.get().other());
    }

    public AppPreferences preferences() {
        return preferences;
    }

    /** "Simulated LAN: up", "eth0: down (interface went away)", or "No network". */
    public ReadOnlyStringProperty linkStateProperty() {
        return linkState.getReadOnlyProperty();
    }

    /** Our host's address and MAC, "watch only (no stack)", or a dash without a network. */
    public ReadOnlyStringProperty ourAddressProperty() {
        return ourAddress.getReadOnlyProperty();
    }

    /** "Drops: none" or "Drops: 15"; the reasons are in {@link #dropsDetailProperty()}. */
    public ReadOnlyStringProperty dropsTextProperty() {
        return dropsText.getReadOnlyProperty();
    }

    /** "12 impairment loss, 3 bad checksum", or "none". */
    public ReadOnlyStringProperty dropsDetailProperty() {
        return dropsDetail.getReadOnlyProperty();
    }
}
