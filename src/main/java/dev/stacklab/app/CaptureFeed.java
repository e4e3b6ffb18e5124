package dev.stacklab.app;

import dev.stacklab.capture.CapturedFrame;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;

import java.util.List;

/**
 * The capture panes as a source of numbered frames, for views drawn from the same frames (the TCP pane's ladder
 * diagram and sequence chart): every frame the capture adds, with the number it shows in the packet list, and the
 * frame selected there. A view built on it shows what the capture shows, whatever network (or step-mode scenario)
 * produced the frames, and can point at a frame by its number. FX thread only.
 */
public interface CaptureFeed {
    /** Told of the frames the capture adds, in order, and of it being emptied. */
    interface Listener {
        /** {@code frames} were added with the numbers {@code firstNumber}, {@code firstNumber + 1}... */
        void framesAdded(int firstNumber, List<CapturedFrame> frames);

        /** The capture was cleared, or now shows a file: the frames told before are gone from it. */
        void captureReset();
    }

    void addListener(Listener listener);

    void removeListener(Listener listener);

    /** The number of the frame selected in the packet list, 0 when none. */
    ReadOnlyIntegerProperty selectedFrameNumberProperty();

    /** Selects frame {@code number} in the packet list (and shows its details), if the capture still holds it. */
    void selectFrame(int number);

    /**
     * Copies of the frames numbered {@code numbers} that the capture still holds, in the order asked (those the ring
     * dropped are left out), for exporting part of the capture. Their direction is UNKNOWN and they carry no note.
     */
    List<CapturedFrame> framesNumbered(int[] numbers);

    /**
     * Takes the frames numbered {@code numbers} out of the capture, the later ones numbered again, and tells the
     * listeners of a reset and of the frames kept; false when it cannot (a big capture, a file shown), nothing removed.
     */
    default boolean removeFrames(int[] numbers) {
        return false;
    }

    /** No capture behind it (view-model tests of panes that do not need one). */
    CaptureFeed NONE = new CaptureFeed() {
        private final ReadOnlyIntegerWrapper none = new ReadOnlyIntegerWrapper(this, "selectedFrameNumber");

        @Override
        public void addListener(Listener listener) {
        }

        @Override
        public void removeListener(Listener listener) {
        }

        @Override
        public ReadOnlyIntegerProperty selectedFrameNumberProperty() {
            return none.getReadOnlyProperty();
        }

        @Override
        public void selectFrame(int number) {
        }

        @Override
        public List<CapturedFrame> framesNumbered(int[] numbers) {
            return List.of();
        }
    };
}
