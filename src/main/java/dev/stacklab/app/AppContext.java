package dev.stacklab.app;

import dev.stacklab.runtime.LabSession;
import javafx.beans.property.ReadOnlyObjectProperty;

import java.util.Objects;

/**
 * What every pane's view-model is given by the main window: the network it is attached to now (null while
 * none is started; it changes when the user picks another), where to report problems, and how to point at
 * frames in the capture, and the capture's frames by number ({@link CaptureFeed}: the TCP pane's ladder is drawn
 * from them). View-model tests build one from plain properties and a collecting notifier.
 */
public record AppContext(ReadOnlyObjectProperty<LabSession> session, Notifier notifier, FrameSelector frameSelector,
                         CaptureFeed captureFeed) {
    public AppContext {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(notifier, "notifier");
        Objects.requireNonNull(frameSelector, "frameSelector");
        Objects.requireNonNull(captureFeed, "captureFeed");
    }

    /** A context without the capture's frames (panes that only point at frames by filter). */
    public AppContext(ReadOnlyObjectProperty<LabSession> session, Notifier notifier, FrameSelector frameSelector) {
        this(session, notifier, frameSelector, CaptureFeed.NONE);
    }
}
