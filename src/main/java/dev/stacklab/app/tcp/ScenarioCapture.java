package dev.stacklab.app.tcp;

import dev.stacklab.app.CaptureFeed;
import dev.stacklab.capture.CapturedFrame;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A step-mode scenario's frames in the capture panes: which numbers the capture gave the frames the scenario handed
 * it, so that going back can take the frames of the undone steps out again ({@link CaptureFeed#removeFrames}) and the
 * packet list and the ladder show exactly the steps taken. Frames are known by identity: the capture is handed the
 * very objects the lab made. A frame taken back before the capture showed it (still on its way through the
 * session's queue, or held while the capture is paused) is taken out as soon as it arrives.
 *
 * <p>{@link #published} is called on the lab's thread; everything else on the FX thread.
 */
final class ScenarioCapture {
    private final CaptureFeed feed;
    /** Runs a task on the FX thread after the current one (a removal is never made inside the feed's own callback). */
    private final Consumer<Runnable> later;
    /** Every frame the scenario handed the capture and not taken back: touched from the lab's thread too. */
    private final Set<CapturedFrame> published = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
    /** The capture's number of each published frame it shows. */
    private final Map<CapturedFrame, Integer> numbers = new IdentityHashMap<>();
    /** Frames taken back before the capture showed them. */
    private final Set<CapturedFrame> takenBackEarly = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Set while our own removal makes the capture tell its listeners of a reset and of the frames kept. */
    private boolean removing;
    private String problem;

    ScenarioCapture(CaptureFeed feed, Consumer<Runnable> later) {
        this.feed = feed;
        this.later = later;
        feed.addListener(new CaptureFeed.Listener() {
            @Override
            public void framesAdded(int firstNumber, List<CapturedFrame> frames) {
                added(firstNumber, frames);
            }

            @Override
            public void captureReset() {
                if (!removing) {
                    numbers.clear();
                    takenBackEarly.clear();
                }
            }
        });
    }

    /** The scenario handed {@code frame} to the capture. Any thread. */
    void published(CapturedFrame frame) {
        published.add(frame);
    }

    /** A new scenario, or step mode left: its frames stay in the capture as they are, no longer followed. */
    void forget() {
        published.clear();
        numbers.clear();
        takenBackEarly.clear();
    }

    /** Why the last removal could not be made (a big capture, a file shown), or null. */
    String problem() {
        return problem;
    }

    /** Takes {@code frames} (of steps gone back) out of the capture. Returns false if the capture kept some. */
    boolean takeBack(List<CapturedFrame> frames) {
        List<Integer> gone = new ArrayList<>();
        for (CapturedFrame frame : frames) {
            Integer number = numbers.remove(frame);
            if (number != null) {
                gone.add(number);
            } else if (published.contains(frame)) {
                takenBackEarly.add(frame);
            }
            published.remove(frame);
        }
        return remove(gone);
    }

    private void added(int firstNumber, List<CapturedFrame> frames) {
        if (removing || published.isEmpty() && takenBackEarly.isEmpty()) {
            return;
        }
        List<Integer> early = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            CapturedFrame frame = frames.get(i);
            if (takenBackEarly.remove(frame)) {
                early.add(firstNumber + i);
            } else if (published.contains(frame)) {
                numbers.put(frame, firstNumber + i);
            }
        }
        if (!early.isEmpty()) {
            // Not from inside the capture's own callback: its other listeners are still being told of these frames.
            later.accept(() -> remove(early));
        }
    }

    private boolean remove(List<Integer> gone) {
        problem = null;
        if (gone.isEmpty()) {
            return true;
        }
        int[] removed = gone.stream().mapToInt(Integer::intValue).sorted().toArray();
        boolean done;
        removing = true;
        try {
            done = feed.removeFrames(removed);
        } finally {
            removing = false;
        }
        if (!done) {
            problem = "The capture holds too many frames to take the undone steps' frames out of it (or shows a file):"
                    + " they stay in the packet list. Clear the capture for an exact replay.";
            return false;
        }
        // The frames after each one removed moved up by one.
        for (Map.Entry<CapturedFrame, Integer> entry : numbers.entrySet()) {
            int number = entry.getValue();
            int below = 0;
            while (below < removed.length && removed[below] < number) {
                below++;
            }
            entry.setValue(number - below);
        }
        return true;
    }
}
