package dev.stacklab.app;

import dev.stacklab.capture.CapturedFrame;
import javafx.beans.property.BooleanProperty;
import javafx.beans.value.ObservableValue;

import java.nio.file.Path;
import java.util.List;

/**
 * What the main window needs from the capture panes: the toolbar's pause / clear / open / save, the frames to
 * show (one batch per pulse), and the counters for the status bar. The capture pane's view-model is adapted to
 * this in one place ({@link MainWindowParts}), so the shell does not depend on the rest of its API.
 */
public interface CaptureControls {
    BooleanProperty pausedProperty();

    void clear();

    void openFile(Path file);

    void openSample();

    void saveAs(Path file);

    /** One batch of live frames, on the FX thread, once per pulse. */
    void accept(List<CapturedFrame> batch);

    /** Frames in the capture now. */
    ObservableValue<? extends Number> capturedCount();

    ObservableValue<? extends Number> framesPerSecond();

    /** Oldest frames dropped by the ring's cap. */
    ObservableValue<? extends Number> ringDropped();
}
