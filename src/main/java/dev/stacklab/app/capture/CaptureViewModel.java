package dev.stacklab.app.capture;

import dev.stacklab.app.AppContext;
import dev.stacklab.app.CaptureFeed;
import dev.stacklab.app.FrameSelector;
import dev.stacklab.capture.CaptureFormatException;
import dev.stacklab.capture.CaptureInterface;
import dev.stacklab.capture.CaptureReader;
import dev.stacklab.capture.CapturedFrame;
import dev.stacklab.capture.CapturedFrame.Direction;
import dev.stacklab.capture.LinkType;
import dev.stacklab.capture.PacketBlockOptions;
import dev.stacklab.capture.PcapWriter;
import dev.stacklab.capture.SampleCapture;
import dev.stacklab.dissect.CaptureStatistics;
import dev.stacklab.dissect.DisplayFilter;
import dev.stacklab.dissect.DisplayFilterException;
import dev.stacklab.dissect.Dissector;
import dev.stacklab.dissect.FieldNode;
import dev.stacklab.dissect.FrameInterface;
import dev.stacklab.dissect.FrameOptions;
import dev.stacklab.dissect.FrameTree;
import dev.stacklab.dissect.IoStatistics;
import dev.stacklab.dissect.StreamFollower;
import dev.stacklab.dissect.SummaryBatch;
import dev.stacklab.runtime.LabSession;
import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.ObservableList;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.DoubleConsumer;
import java.util.function.LongSupplier;

/**
 * Wireshark's three panes in one view-model: the packet list (every frame's summary, made once at arrival, in a
 * bounded ring), the details tree of the selected frame and its bytes, and the display filter.
 *
 * <p>The shell calls {@link #accept} once per pulse with the frames its event pump collected; everything else that
 * may take long (opening or saving a file, a display filter over a big capture, the tree of a frame deep in a
 * million) runs on a worker thread and comes back through the {@code ui} executor (Platform::runLater in the app,
 * a queue the test drains in tests). Every other method is called on the FX thread; no method waits for a worker.
 */
public final class CaptureViewModel implements FrameSelector, CaptureFeed {
    /** The ring's default size: about 300 MB for a million frames of a typical lab capture. */
    public static final int DEFAULT_RING_CAPACITY = 1_000_000;
    /** Frames held back while paused; later ones are counted as missed. */
    public static final int PAUSE_HOLD_LIMIT = 100_000;
    /** How long a selection request waits for its frames to arrive (the ping pane may ask before they are shown). */
    private static final long SELECTION_WAIT_NANOS = 3_000_000_000L;
    private static final int CHUNK = 4096;
    private static final int PROGRESS_EVERY = 1 << 16;
    /** Below this many frames a filter runs in one pass: a split would save less than it costs to start. */
    static final int SPLIT_FILTER_FROM = 50_000;
    /** The most frames {@link #removeFrames} summarizes again on the FX thread (a few tens of milliseconds). */
    static final int REMOVE_FRAMES_LIMIT = 50_000;
    /**
     * Where a big capture is split between the filter's two threads: the second summarizes the first part (about a
     * sixth of the cost of filtering it) before filtering its own, so the first takes a little more than half.
     */
    private static final double SPLIT_FRACTION = 0.54;
    private static final String DISPLAYED_DELTA = "frame.time_delta_displayed";
    private static final int GIVE_BACK_MEMORY_FROM = 200_000;
    /**
     * Up to this many rows the packet list takes new frames on every pulse that brings some. A longer one takes them
     * less often (see {@link #LIST_HOLD_NANOS_PER_ROW}): each change of the list makes JavaFX's VirtualFlow walk every
     * row up to the one shown, several times (its size estimate, the current index, the viewport's offset; fixed cell
     * size or not), so while the list follows a live capture at its end a change costs in proportion to its length:
     * at a million rows and 60 changes a second that walk was 85 % of the FX thread's samples (JFR, 45 s live).
     */
    static final int LISTED_EVERY_PULSE_UP_TO = 50_000;
    /** A long list takes new frames at most once per this many nanoseconds per row it has: 100 ms at a million. */
    static final long LIST_HOLD_NANOS_PER_ROW = 100;
    private static final String PCAP_FIX = "Open a pcap or pcapng file (as written by Wireshark, tcpdump -w, or Save as here).";

    /** How the display filter field shows its text. */
    public enum FilterState { EMPTY, VALID, INVALID }

    private final AppContext context;
    private final Executor ui;
    private final int ringCapacity;
    private final LongSupplier nanoClock;
    private final ExecutorService jobs = Executors.newSingleThreadExecutor(daemon("capture-jobs"));
    private final ExecutorService detailsWorker = Executors.newSingleThreadExecutor(daemon("capture-details"));
    /** Whether a display filter over a big capture may use a second core now (tests say always). */
    BooleanSupplier secondCoreFree = CaptureViewModel::secondCoreIsFree;
    /** The second core's share of a display filter over a big capture. */
    private final ExecutorService filterHelper = Executors.newSingleThreadExecutor(daemon("capture-filter-helper"));
    private final ObjectProperty<TimeFormat> timeFormat = new SimpleObjectProperty<>(this, "timeFormat", TimeFormat.SINCE_START);
    private ZoneId timeZone = ZoneId.systemDefault();
    private final ExecutorService statisticsWorker = Executors.newSingleThreadExecutor(daemon("capture-statistics"));

    private FrameStore store;
    private Dissector arrivalDissector;
    /** The columns of the frame arriving, from the dissector to the store (one batch, reused: no String per frame). */
    private final SummaryBatch arrivalColumns = new SummaryBatch(1);
    private final DisplayedFrames displayed;

    // The display filter applied to the list; its dissector tests new frames as they arrive (full trees).
    private DisplayFilter appliedFilter;
    private Dissector filterDissector;
    // A selection request still waiting for its frames.
    private DisplayFilter pendingSelection;
    private Dissector pendingDissector;
    private long pendingDeadline;

    private final StringProperty filterText = new SimpleStringProperty(this, "filterText", "");
    private final ReadOnlyObjectWrapper<FilterState> filterState = new ReadOnlyObjectWrapper<>(this, "filterState", FilterState.EMPTY);
    private final ReadOnlyStringWrapper filterError = new ReadOnlyStringWrapper(this, "filterError", "");
    private final ReadOnlyIntegerWrapper filterErrorColumn = new ReadOnlyIntegerWrapper(this, "filterErrorColumn", 0);
    private final ReadOnlyStringWrapper appliedFilterText = new ReadOnlyStringWrapper(this, "appliedFilterText", "");

    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress");
    private final ReadOnlyStringWrapper busyText = new ReadOnlyStringWrapper(this, "busyText", "");
    private Job currentJob;

    private final ReadOnlyLongWrapper capturedCount = new ReadOnlyLongWrapper(this, "capturedCount");
    private final ReadOnlyIntegerWrapper displayedCount = new ReadOnlyIntegerWrapper(this, "displayedCount");
    private final ReadOnlyLongWrapper ringDropped = new ReadOnlyLongWrapper(this, "ringDropped");
    private final ReadOnlyDoubleWrapper framesPerSecond = new ReadOnlyDoubleWrapper(this, "framesPerSecond");
    private final ReadOnlyStringWrapper countsText = new ReadOnlyStringWrapper(this, "countsText", "");
    private final ReadOnlyStringWrapper sourceText = new ReadOnlyStringWrapper(this, "sourceText", "");
    private final ReadOnlyLongWrapper revision = new ReadOnlyLongWrapper(this, "revision");
    private final ReadOnlyBooleanWrapper live = new ReadOnlyBooleanWrapper(this, "live", true);
    private long rateCount;
    private long rateSince;
    /** When the packet list last took new frames, by {@link #nanoClock}. */
    private long listedAt;
    private final ReadOnlyBooleanWrapper framesWaiting = new ReadOnlyBooleanWrapper(this, "framesWaiting");

    private final BooleanProperty paused = new SimpleBooleanProperty(this, "paused");
    private final ArrayDeque<CapturedFrame> held = new ArrayDeque<>();
    private final ReadOnlyLongWrapper missedCount = new ReadOnlyLongWrapper(this, "missedCount");
    /** The file shown, or null while showing live frames. */
    private String offlineName;

    private int selectionGeneration;
    private final ReadOnlyObjectWrapper<PacketRow> selectedRow = new ReadOnlyObjectWrapper<>(this, "selectedRow");
    private final ReadOnlyObjectWrapper<FrameTree> selectedTree = new ReadOnlyObjectWrapper<>(this, "selectedTree");
    private final ReadOnlyObjectWrapper<FieldNode> selectedField = new ReadOnlyObjectWrapper<>(this, "selectedField");
    private final ReadOnlyIntegerWrapper selectedDataSource = new ReadOnlyIntegerWrapper(this, "selectedDataSource");
    private final ReadOnlyObjectWrapper<int[]> selectionRequest = new ReadOnlyObjectWrapper<>(this, "selectionRequest");
    private final Set<String> expandedPaths = new HashSet<>();
    private final ReadOnlyIntegerWrapper selectedFrameNumber = new ReadOnlyIntegerWrapper(this, "selectedFrameNumber");
    private final List<CaptureFeed.Listener> feedListeners = new ArrayList<>();

    // Owned by the details worker: a dissector positioned after frame cursorNext - 1 of cursorStore.
    private FrameStore cursorStore;
    private Dissector cursorDissector;
    private int cursorNext;

    /** The app's view-model: results come back with Platform.runLater, a ring of {@link #DEFAULT_RING_CAPACITY}. */
    public CaptureViewModel(AppContext context) {
        this(context, Platform::runLater, DEFAULT_RING_CAPACITY, System::nanoTime);
    }

    /**
     * @param ui           runs worker results on the thread that owns the view-model (the FX thread)
     * @param ringCapacity the most frames kept; older ones are dropped and counted
     * @param nanoClock    monotonic nanoseconds, for frames per second and selection waits
     */
    public CaptureViewModel(AppContext context, Executor ui, int ringCapacity, LongSupplier nanoClock) {
        this.context = context;
        this.ui = ui;
        this.ringCapacity = ringCapacity;
        this.nanoClock = nanoClock;
        this.store = new FrameStore(ringCapacity);
        this.arrivalDissector = new Dissector();
        this.displayed = new DisplayedFrames(store);
        this.rateSince = nanoClock.getAsLong();
        filterText.addListener((obs, old, text) -> validateFilter(text));
        paused.addListener((obs, was, isPaused) -> {
            if (!isPaused) {
                releaseHeld();
            }
            updateCounts();
        });
        context.session().addListener((obs, old, session) -> updateSourceText());
        updateSourceText();
        updateCounts();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    // ---- frames arriving ----

    /** One pulse's live frames, in order. FX thread. */
    public void accept(List<CapturedFrame> batch) {
        rateCount += batch.size();
        if (offlineName != null) {
            // A file is shown: live frames wait for Clear, which returns to the live capture.
            missedCount.set(missedCount.get() + batch.size());
            updateCounts();
            return;
        }
        if (paused.get()) {
            for (CapturedFrame frame : batch) {
                if (held.size() < PAUSE_HOLD_LIMIT) {
                    held.add(frame);
                } else {
                    missedCount.set(missedCount.get() + 1);
                }
            }
            updateCounts();
            return;
        }
        add(batch);
    }

    private void add(List<CapturedFrame> batch) {
        int[] matches = appliedFilter != null ? new int[batch.size()] : null;
        int matchCount = 0;
        int[] selected = pendingSelection != null ? new int[batch.size()] : null;
        int selectedCount = 0;
        int firstNumber = -1;
        for (CapturedFrame frame : batch) {
            byte[] bytes = frame.bytes();
            arrivalColumns.clear();
            arrivalDissector.summarizeInto(frame.timestampNanos(), bytes, bytes.length, frame.originalLength(), arrivalColumns);
            store.add(frame.timestampNanos(), frame.direction(), bytes, bytes.length, frame.originalLength(), arrivalColumns, 0,
                    ColouringRule.of(LinkType.ETHERNET, bytes, bytes.length, arrivalColumns, 0, frame.isDropped()));
            int number = arrivalColumns.number(0);
            if (firstNumber < 0) {
                firstNumber = number;
            }
            if (matches != null) {
                if (filterDissector.matches(appliedFilter, frame.timestampNanos(), bytes, bytes.length, frame.originalLength())) {
                    matches[matchCount++] = number;
                } else {
                    filterDissector.frameFilteredOut();
                }
            }
            if (selected != null) {
                if (pendingDissector.matches(pendingSelection, frame.timestampNanos(), bytes, bytes.length, frame.originalLength())) {
                    selected[selectedCount++] = number;
                }
            }
        }
        displayed.framesArrived(matches, matchCount);
        listArrivedIfDue();
        if (firstNumber > 0) {
            for (CaptureFeed.Listener listener : List.copyOf(feedListeners)) {
                listener.framesAdded(firstNumber, batch);
            }
        }
        if (selected != null) {
            if (selectedCount > 0) {
                listArrived();
                selectionRequest.set(Arrays.copyOf(selected, selectedCount));
                pendingSelection = null;
                pendingDissector = null;
            } else if (nanoClock.getAsLong() - pendingDeadline > 0) {
                pendingSelection = null;
                pendingDissector = null;
            }
        }
        updateCounts();
    }

    /**
     * Lists the frames that arrived since the packet list last changed if it is due to change: always while it is
     * short, else once {@link #LIST_HOLD_NANOS_PER_ROW} per row have passed since. Called as frames arrive and, while
     * some wait ({@link #framesWaitingProperty}), by the view on every pulse. Returns whether frames still wait.
     */
    public boolean listArrivedIfDue() {
        if (!displayed.hasArrivals()) {
            framesWaiting.set(false);
            return false;
        }
        int rows = displayed.size();
        if (rows <= LISTED_EVERY_PULSE_UP_TO || nanoClock.getAsLong() - listedAt >= rows * LIST_HOLD_NANOS_PER_ROW) {
            listArrived();
            return false;
        }
        framesWaiting.set(true);
        return true;
    }

    /** Lists the frames that arrived since the packet list last changed, now (a selection is about to be shown). */
    private void listArrived() {
        if (displayed.hasArrivals()) {
            displayed.listArrived();
            listedAt = nanoClock.getAsLong();
            updateCounts();
            revision.set(revision.get() + 1);
        }
        framesWaiting.set(false);
    }

    private void releaseHeld() {
        if (held.isEmpty()) {
            return;
        }
        List<CapturedFrame> frames = new ArrayList<>(held);
        held.clear();
        add(frames);
    }

    /** Updates frames per second from what arrived since the last update; the view calls it once a second. */
    public void updateRate() {
        long now = nanoClock.getAsLong();
        long elapsed = now - rateSince;
        if (elapsed > 0) {
            framesPerSecond.set(rateCount * 1e9 / elapsed);
        }
        rateCount = 0;
        rateSince = now;
    }

    /** Forgets every frame and returns to the live capture (the display filter stays applied). FX thread. */
    public void clear() {
        cancel();
        long forgotten = store.size();
        installStore(new FrameStore(ringCapacity), null);
        arrivalDissector = new Dissector();
        held.clear();
        missedCount.set(0);
        pendingSelection = null;
        pendingDissector = null;
        // A forgotten million frames would otherwise stay in the heap beside the next million until the collector's
        // next full marking.
        giveBackMemory(forgotten);
    }

    private void installStore(FrameStore newStore, String fileName) {
        store = newStore;
        offlineName = fileName;
        selectionGeneration++;
        selectedRow.set(null);
        selectedFrameNumber.set(0);
        selectedTree.set(null);
        selectedField.set(null);
        if (appliedFilter != null && newStore.size() > 0) {
            displayed.showAll(newStore);
            startFilter(appliedFilter);
        } else if (appliedFilter != null) {
            filterDissector = new Dissector();
            displayed.showOnly(newStore, new int[16], 0);
        } else {
            displayed.showAll(newStore);
        }
        updateSourceText();
        updateCounts();
        revision.set(revision.get() + 1);
        for (CaptureFeed.Listener listener : List.copyOf(feedListeners)) {
            listener.captureReset();
        }
    }

    // ---- display filter ----

    private void validateFilter(String text) {
        if (text == null || text.isBlank()) {
            filterState.set(FilterState.EMPTY);
            filterError.set("");
            filterErrorColumn.set(0);
            return;
        }
        try {
            DisplayFilter.compile(text);
            filterState.set(FilterState.VALID);
            filterError.set("");
            filterErrorColumn.set(0);
        } catch (DisplayFilterException e) {
            filterState.set(FilterState.INVALID);
            filterErrorColumn.set(e.column());
            filterError.set(e.problem() + " (column " + e.column() + ")");
        }
    }

    /** Applies the filter field's text (Enter): an empty text shows every frame again; an invalid one does nothing. */
    public void applyFilter() {
        String text = filterText.get() == null ? "" : filterText.get().strip();
        if (text.isEmpty()) {
            if (currentJob != null && currentJob.kind == JobKind.FILTER) {
                cancel();
            }
            appliedFilter = null;
            filterDissector = null;
            appliedFilterText.set("");
            displayed.showAll(store);
            updateCounts();
            return;
        }
        DisplayFilter filter;
        try {
            filter = DisplayFilter.compile(text);
        } catch (DisplayFilterException e) {
            validateFilter(text);
            return;
        }
        startFilter(filter);
    }

    /**
     * Runs {@code filter} over every frame held, on the worker and a helper thread, then shows what matched.
     *
     * <p>A frame's fields can depend on the frames before it (relative sequence numbers, reassembly, "request in"),
     * so one dissector must see every frame in order. To use both cores anyway the frames are split in two: the worker
     * filters the first part; the helper brings a second dissector up to the split by summarizing the first part
     * (several times cheaper than filtering it: summaries make no tree) and then filters the second. Summarizing
     * leaves a dissector in the state filtering does (the details pane relies on the same), so both parts select
     * what one pass would. A filter that reads "time since the previous displayed frame" needs the first part's
     * answers and runs in one pass; so does every filter while the machine has no core to spare (the summaries then
     * only add to the work: about 40 % more CPU time warm, 70 % the first time, while the JIT compiles for both).
     */
    private void startFilter(DisplayFilter filter) {
        FrameStore target = store;
        Job job = startJob(JobKind.FILTER, "Filtering " + String.format("%,d", target.size()) + " frames…");
        jobs.execute(() -> {
            int first = target.firstNumber();
            int end = target.nextNumber();
            int total = Math.max(1, end - first);
            AtomicLong decided = new AtomicLong();
            boolean split = end - first >= SPLIT_FILTER_FROM && !filter.reads(DISPLAYED_DELTA) && secondCoreFree.getAsBoolean();
            // The helper also summarizes the first part, so it takes less than half of the frames to filter.
            int splitAt = split ? first + (int) ((end - first) * SPLIT_FRACTION) : end;
            Future<FilterPart> second = null;
            if (split) {
                second = filterHelper.submit(() -> {
                    Dissector warmed = dissectorFrom(target);
                    FrameStore.FrameChunk chunk = new FrameStore.FrameChunk(CHUNK);
                    for (int next = first; !job.cancelled && next < splitAt && target.copy(next, Math.min(CHUNK, splitAt - next), chunk) >= 0
                            && chunk.count > 0; next = chunk.firstNumber + chunk.count) {
                        for (int i = 0; i < chunk.count; i++) {
                            warmed.advance(chunk.timestamps[i], chunk.frame(i), chunk.capturedLengths[i], chunk.originalLengths[i]);
                        }
                    }
                    return filterPart(target, filter, warmed, splitAt, Integer.MAX_VALUE, job, decided, total);
                });
            }
            FilterPart part = filterPart(target, filter, dissectorFrom(target), first, split ? splitAt : Integer.MAX_VALUE, job, decided, total);
            if (second != null) {
                try {
                    part = part.then(second.get());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (ExecutionException e) {
                    // The helper failed (it never should): the worker filters the rest itself, in order.
                    part = part.then(filterPart(target, filter, part.dissector, part.walkedTo, Integer.MAX_VALUE, job, decided, total));
                }
            }
            Dissector dissector = part.dissector;
            int[] result = part.matched;
            int resultCount = part.count;
            int walkedTo = part.walkedTo;
            ui.execute(() -> {
                if (!finishJob(job)) {
                    return;
                }
                // Frames that arrived after the worker's last look are tested here: a pulse's worth at most.
                int[] caughtUp = result;
                int count = resultCount;
                FrameStore.FrameChunk rest = new FrameStore.FrameChunk(CHUNK);
                for (int from = walkedTo; target.copy(from, CHUNK, rest) >= 0 && rest.count > 0; from = rest.firstNumber + rest.count) {
                    for (int i = 0; i < rest.count; i++) {
                        if (dissector.matches(filter, rest.timestamps[i], rest.frame(i), rest.capturedLengths[i], rest.originalLengths[i], rest.interfaces[i], rest.options[i])) {
                            if (count == caughtUp.length) {
                                caughtUp = Arrays.copyOf(caughtUp, count * 2 + 1);
                            }
                            caughtUp[count++] = rest.firstNumber + i;
                        } else {
                            dissector.frameFilteredOut();
                        }
                    }
                }
                appliedFilter = filter;
                filterDissector = dissector;
                appliedFilterText.set(filter.text());
                displayed.showOnly(target, caughtUp, count);
                updateCounts();
                revision.set(revision.get() + 1);
                giveBackMemory(target.size());
            });
        });
    }

    /** Whether the last minute's load leaves a core idle for the filter's helper. */
    private static boolean secondCoreIsFree() {
        var system = ManagementFactory.getOperatingSystemMXBean();
        double load = system.getSystemLoadAverage();
        return system.getAvailableProcessors() >= 2 && load >= 0 && load <= system.getAvailableProcessors() - 1;
    }

    /** The frames one dissector matched in [from, to) of a store, and that dissector, positioned after them. */
    private record FilterPart(int[] matched, int count, Dissector dissector, int walkedTo) {
        /** This part followed by {@code later}, whose dissector goes on from there. */
        FilterPart then(FilterPart later) {
            int[] both = Arrays.copyOf(matched, count + later.count);
            System.arraycopy(later.matched, 0, both, count, later.count);
            return new FilterPart(both, both.length, later.dissector, later.walkedTo);
        }
    }

    /** Filters frames [from, to) of {@code target} (to the newest when {@code to} is past it) with {@code dissector}. */
    private FilterPart filterPart(FrameStore target, DisplayFilter filter, Dissector dissector, int from, int to, Job job,
                                  AtomicLong decided, int total) {
        int[] matched = new int[1024];
        int matchedCount = 0;
        FrameStore.FrameChunk chunk = new FrameStore.FrameChunk(CHUNK);
        int next = from;
        while (!job.cancelled && next < to) {
            target.copy(next, (int) Math.min(CHUNK, (long) to - next), chunk);
            if (chunk.count == 0) {
                break;
            }
            for (int i = 0; i < chunk.count; i++) {
                if (dissector.matches(filter, chunk.timestamps[i], chunk.frame(i), chunk.capturedLengths[i], chunk.originalLengths[i], chunk.interfaces[i], chunk.options[i])) {
                    if (matchedCount == matched.length) {
                        matched = Arrays.copyOf(matched, matchedCount * 2);
                    }
                    matched[matchedCount++] = chunk.firstNumber + i;
                } else {
                    dissector.frameFilteredOut();
                }
            }
            next = chunk.firstNumber + chunk.count;
            long done = decided.addAndGet(chunk.count);
            if (done % PROGRESS_EVERY < CHUNK) {
                reportProgress(job, Math.min(1.0, done / (double) total));
            }
        }
        return new FilterPart(matched, matchedCount, dissector, next);
    }

    /**
     * After a job over {@code frames} frames (or forgetting them), asks for a full collection on the worker:
     * opening or filtering a million frames makes gigabytes of short-lived objects, and the collector grows the heap
     * to take them (to 3-4 GiB on a loaded two-core machine) and keeps it; a full collection of a store that is a
     * few dozen arrays takes a fraction of a second and gives the rest back, which keeps the app under 1 GiB
     * resident.
     */
    private void giveBackMemory(long frames) {
        if (frames >= GIVE_BACK_MEMORY_FROM) {
            jobs.execute(System::gc);
        }
    }

    /** A dissector that numbers and times frames as the store does, from its oldest frame on. */
    private static Dissector dissectorFrom(FrameStore target) {
        long start = target.captureStartNanos();
        Dissector dissector = start == Long.MIN_VALUE ? new Dissector() : new Dissector(target.firstNumber() - 1, start);
        dissector.linkType(target.linkType());
        return dissector;
    }

    /** Puts the filter for {@code node} in the field and applies it (the tree's "Apply as Filter"). */
    public void applyAsFilter(FieldNode node) {
        String text = FieldFilters.filterFor(node);
        if (text != null) {
            filterText.set(text);
            applyFilter();
        }
    }

    /** Puts the filter for {@code node} in the field without applying it ("Prepare as Filter"). */
    public void prepareAsFilter(FieldNode node) {
        String text = FieldFilters.filterFor(node);
        if (text != null) {
            filterText.set(text);
        }
    }

    /** Whether the tree's filter menu items apply to {@code node} (plain text lines are not fields). */
    public boolean canFilterOn(FieldNode node) {
        return node != null && FieldFilters.filterFor(node) != null;
    }

    /** The filter "Apply as Filter" would use for {@code node}, or null. */
    public String filterFor(FieldNode node) {
        return node == null ? null : FieldFilters.filterFor(node);
    }

    // ---- selecting frames for other panes ----

    /**
     * Selects the frames {@code displayFilter} matches among those shown (the display filter stays as it is), the
     * last one in the details; waits a few seconds for them when none has arrived yet. A bad filter is reported.
     */
    @Override
    public void selectFramesMatching(String displayFilter) {
        DisplayFilter filter;
        try {
            filter = DisplayFilter.compile(displayFilter);
        } catch (DisplayFilterException e) {
            context.notifier().error("Cannot select frames: bad display filter \"" + displayFilter + "\": " + e.getMessage(),
                    "Check the filter's field names and values (as in Wireshark).");
            return;
        }
        FrameStore target = store;
        detailsWorker.execute(() -> {
            Dissector dissector = dissectorFrom(target);
            int[] matched = new int[16];
            int count = 0;
            FrameStore.FrameChunk chunk = new FrameStore.FrameChunk(CHUNK);
            int next = target.firstNumber();
            while (target.copy(next, CHUNK, chunk) >= 0 && chunk.count > 0) {
                for (int i = 0; i < chunk.count; i++) {
                    if (dissector.matches(filter, chunk.timestamps[i], chunk.frame(i), chunk.capturedLengths[i], chunk.originalLengths[i], chunk.interfaces[i], chunk.options[i])) {
                        if (count == matched.length) {
                            matched = Arrays.copyOf(matched, count * 2);
                        }
                        matched[count++] = chunk.firstNumber + i;
                    }
                }
                next = chunk.firstNumber + chunk.count;
            }
            int[] result = Arrays.copyOf(matched, count);
            int walkedTo = next;
            ui.execute(() -> {
                if (store != target) {
                    return;
                }
                if (result.length > 0) {
                    listArrived();
                    selectionRequest.set(result);
                    return;
                }
                // Nothing yet: test the frames still to come (from where the worker stopped) for a few seconds.
                pendingSelection = filter;
                pendingDissector = dissector;
                pendingDeadline = nanoClock.getAsLong() + SELECTION_WAIT_NANOS;
                if (walkedTo < target.nextNumber()) {
                    // Frames that arrived meanwhile: dissect them now, in order, so the pending dissector stays in step.
                    FrameStore.FrameChunk rest = new FrameStore.FrameChunk(CHUNK);
                    List<Integer> found = new ArrayList<>();
                    for (int from = walkedTo; target.copy(from, CHUNK, rest) >= 0 && rest.count > 0; from = rest.firstNumber + rest.count) {
                        for (int i = 0; i < rest.count; i++) {
                            if (dissector.matches(filter, rest.timestamps[i], rest.frame(i), rest.capturedLengths[i], rest.originalLengths[i], rest.interfaces[i], rest.options[i])) {
                                found.add(rest.firstNumber + i);
                            }
                        }
                    }
                    if (!found.isEmpty()) {
                        listArrived();
                        selectionRequest.set(found.stream().mapToInt(Integer::intValue).toArray());
                        pendingSelection = null;
                        pendingDissector = null;
                    }
                }
            });
        });
    }

    // ---- Follow TCP/UDP Stream ----

    /**
     * Follows the selected frame's TCP or UDP conversation, as Wireshark's Follow Stream: the packet list shows only
     * it ({@code tcp.stream eq N}, applied as a display filter), and a pass over the frames held, in order with one
     * dissector as filtering does, collects its data for {@code show} (called on the FX thread). Returns false, with
     * a notification saying what to select, when the selected frame has no such layer of its own.
     */
    public boolean followStream(StreamFollower.Protocol protocol, Consumer<FollowStreamViewModel> show) {
        return followStream(protocol, show, true);
    }

    private boolean followStream(StreamFollower.Protocol protocol, Consumer<FollowStreamViewModel> show, boolean mayWait) {
        PacketRow row = selectedRow.get();
        FrameTree tree = selectedTree.get();
        if (mayWait && row != null && (tree == null || tree.summary().number() != row.number())) {
            // The selected frame's tree is still being made (a right-click selects and opens the menu at once): the
            // details worker makes it first, then hands it to the FX thread, then this runs again.
            detailsWorker.execute(() -> ui.execute(() -> followStream(protocol, show, false)));
            return true;
        }
        long stream = tree == null ? -1 : StreamFollower.streamOf(tree, protocol);
        if (stream < 0) {
            context.notifier().error("Follow " + protocol.name() + " Stream needs a " + protocol.name() + " frame",
                    "Select a frame of the conversation in the packet list (its details show a "
                            + (protocol == StreamFollower.Protocol.TCP ? "Transmission Control Protocol" : "User Datagram Protocol") + " layer).");
            return false;
        }
        filterText.set(protocol.filter(stream));
        applyFilter();
        FrameStore target = store;
        detailsWorker.execute(() -> {
            StreamFollower follower = new StreamFollower(protocol, stream);
            Dissector dissector = dissectorFrom(target);
            FrameStore.FrameChunk chunk = new FrameStore.FrameChunk(CHUNK);
            for (int next = target.firstNumber(); target.copy(next, CHUNK, chunk) >= 0 && chunk.count > 0; next = chunk.firstNumber + chunk.count) {
                for (int i = 0; i < chunk.count; i++) {
                    FrameTree frame = dissector.dissect(chunk.timestamps[i], chunk.frame(i), chunk.capturedLengths[i], chunk.originalLengths[i]);
                    if (StreamFollower.streamOf(frame, protocol) == stream) {
                        follower.add(chunk.firstNumber + i, frame);
                    }
                }
            }
            StreamFollower.Followed followed = follower.result();
            ui.execute(() -> show.accept(new FollowStreamViewModel(followed)));
        });
        return true;
    }

    /** Writes a followed stream's content ("Save as…" in the Follow window) off the FX thread; a notification says how it went. */
    public void saveFollowed(Path file, byte[] content) {
        jobs.execute(() -> {
            try {
                Files.write(file, content);
                context.notifier().info("Saved " + String.format("%,d", content.length) + " bytes of the stream to " + file);
            } catch (IOException | RuntimeException e) {
                context.notifier().error("Could not save the stream to " + file + ": " + e.getMessage(),
                        "Choose a folder you can write to, with space left.");
            }
        });
    }

    // ---- the Time column's format (Wireshark's View > Time Display Format) ----

    /** How the packet list's Time column shows each frame's time; seconds since the first frame at first. */
    public ObjectProperty<TimeFormat> timeFormatProperty() {
        return timeFormat;
    }

    /** The zone times of day are shown in: the system's (tests choose one to compare with tshark under TZ). */
    void timeZone(ZoneId zone) {
        timeZone = zone;
    }

    /**
     * The Time column's text for {@code row}, shown at {@code index} of the packet list (-1 when not known: the
     * previous displayed frame is then taken to be the previous captured one). FX thread.
     */
    public String timeText(PacketRow row, int index) {
        TimeFormat format = timeFormat.get();
        if (format == TimeFormat.SINCE_START || !store.contains(row.number())) {
            return row.time();
        }
        int number = row.number();
        long at = store.timestampNanos(number);
        long previousCaptured = store.contains(number - 1) ? store.timestampNanos(number - 1) : at;
        long previousDisplayed = previousCaptured;
        if (index >= 0 && format == TimeFormat.SINCE_PREVIOUS_DISPLAYED) {
            int shownBefore = index > 0 && index <= displayed.size() ? displayed.numberAt(index - 1) : -1;
            previousDisplayed = shownBefore > 0 && shownBefore < number && store.contains(shownBefore) ? store.timestampNanos(shownBefore) : at;
        }
        return format.text(at, store.captureStartNanos(), previousCaptured, previousDisplayed, row.timePrecision(), timeZone);
    }

    // ---- Statistics: Conversations, Endpoints, Protocol Hierarchy, Expert Information ----

    /** A statistics pass under way. */
    public interface StatisticsPass {
        /** Stops the pass: neither progress nor the result will be reported. */
        void cancel();
    }

    /**
     * What the I/O graph counts: frames and bytes per {@code intervalNanos}, for every frame and for those
     * {@code filter} matches (null: no second line).
     */
    public record IoRequest(long intervalNanos, DisplayFilter filter) {
    }

    /** A statistics pass's result: the tables, and the I/O graph's counts (columns: every frame, then the filter's). */
    public record StatisticsResult(CaptureStatistics statistics, IoStatistics io) {
    }

    /** From the first frame held to the last, or 0 with fewer than two: what the I/O graph's interval is chosen for. */
    public long heldSpanNanos() {
        int first = store.firstNumber();
        int last = store.nextNumber() - 1;
        return last > first ? store.timestampNanos(last) - store.timestampNanos(first) : 0;
    }

    /** Whether the display filter hides some frames now, so that statistics may be limited to those shown. */
    public boolean isFiltered() {
        return displayed.isFiltered();
    }

    /**
     * Gathers statistics over the frames held, or only over those the packet list shows ({@code shownOnly}), on a
     * worker of their own (the details pane keeps answering meanwhile). Every frame is dissected in order, as filtering
     * does, so that the TCP analysis and the stream numbers are those the list shows; the I/O graph's counts come from
     * the same pass ({@code io}). {@code progress} (0 to 1) and {@code done} are called on the FX thread, with at most
     * one progress call per {@value #PROGRESS_EVERY} frames.
     */
    public StatisticsPass gatherStatistics(boolean shownOnly, IoRequest io, DoubleConsumer progress, Consumer<StatisticsResult> done) {
        // The list holds its frames in number order: a snapshot, so that the pass never reads the FX thread's list.
        int[] onlyThese = shownOnly && displayed.isFiltered() ? shownNumbers() : null;
        FrameStore target = store;
        // The frames held now: during a live capture the pass does not chase frames arriving after it was asked for.
        int end = target.nextNumber();
        AtomicBoolean cancelled = new AtomicBoolean();
        statisticsWorker.execute(() -> {
            long start = target.captureStartNanos();
            CaptureStatistics statistics = start == Long.MIN_VALUE ? new CaptureStatistics() : new CaptureStatistics(start);
            List<DisplayFilter> ioColumns = new ArrayList<>();
            ioColumns.add(null);
            if (io.filter() != null) {
                ioColumns.add(io.filter());
            }
            IoStatistics ioStatistics = new IoStatistics(io.intervalNanos(), start == Long.MIN_VALUE ? 0 : start, ioColumns);
            Dissector dissector = dissectorFrom(target);
            FrameStore.FrameChunk chunk = new FrameStore.FrameChunk(CHUNK);
            int first = target.firstNumber();
            double total = Math.max(1, end - first);
            ShownNumbers counted = new ShownNumbers(onlyThese);
            for (int next = first; next < end && target.copy(next, Math.min(CHUNK, end - next), chunk) >= 0 && chunk.count > 0;
                 next = chunk.firstNumber + chunk.count) {
                if (cancelled.get()) {
                    return;
                }
                for (int i = 0; i < chunk.count; i++) {
                    int number = chunk.firstNumber + i;
                    FrameTree frame = dissector.dissect(chunk.timestamps[i], chunk.frame(i), chunk.capturedLengths[i], chunk.originalLengths[i],
                            chunk.interfaces[i], chunk.options[i]);
                    if (!counted.contains(number)) {
                        continue;
                    }
                    statistics.add(number, chunk.timestamps[i], frame);
                    ioStatistics.add(chunk.timestamps[i], frame);
                }
                int passed = chunk.firstNumber + chunk.count - first;
                if ((passed & (PROGRESS_EVERY - 1)) < chunk.count) {
                    double fraction = Math.min(1.0, passed / total);
                    ui.execute(() -> {
                        if (!cancelled.get()) {
                            progress.accept(fraction);
                        }
                    });
                }
            }
            StatisticsResult result = new StatisticsResult(statistics, ioStatistics);
            ui.execute(() -> {
                if (!cancelled.get()) {
                    done.accept(result);
                }
            });
        });
        return () -> cancelled.set(true);
    }

    // ---- the capture as a feed of numbered frames (the TCP pane's ladder) ----

    @Override
    public void addListener(CaptureFeed.Listener listener) {
        feedListeners.add(listener);
    }

    @Override
    public void removeListener(CaptureFeed.Listener listener) {
        feedListeners.remove(listener);
    }

    @Override
    public ReadOnlyIntegerProperty selectedFrameNumberProperty() {
        return selectedFrameNumber.getReadOnlyProperty();
    }

    /** Selects frame {@code number} as {@link #selectFramesMatching} would, without a filter to run. */
    @Override
    public void selectFrame(int number) {
        if (store.contains(number)) {
            listArrived();
            selectionRequest.set(new int[] {number});
        }
    }

    /**
     * Wireshark's Go to Packet (Ctrl+G): selects frame {@code typed} in the packet list. Returns null when it did, or
     * what stands in the way, short enough for the bar ("No frame 99: the capture holds 1 to 57").
     */
    public String goToFrame(String typed) {
        String text = typed == null ? "" : typed.strip();
        if (text.isEmpty()) {
            return "Type the number of a frame";
        }
        int number;
        try {
            number = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return "\"" + text + "\" is not a frame number";
        }
        int first = store.firstNumber();
        int last = store.nextNumber() - 1;
        if (last < first) {
            return "The capture holds no frames yet";
        }
        if (number < first && number >= 1 && store.ringDropped() > 0) {
            return "Frame " + number + " left the ring: the oldest held is " + first;
        }
        if (number < first || number > last) {
            return "No frame " + number + ": the capture holds " + first + " to " + last;
        }
        if (displayed.isFiltered() && displayed.indexOf(number) < 0) {
            return "Frame " + number + " is hidden by the display filter";
        }
        selectFrame(number);
        return null;
    }

    @Override
    public List<CapturedFrame> framesNumbered(int[] numbers) {
        FrameStore target = store;
        List<CapturedFrame> frames = new ArrayList<>(numbers.length);
        for (int number : numbers) {
            if (target.contains(number)) {
                frames.add(new CapturedFrame(target.timestampNanos(number), Direction.UNKNOWN, target.bytes(number),
                        target.originalLength(number), null));
            }
        }
        return frames;
    }

    /**
     * Takes frames out of the capture, as if they never came: the frames after them are numbered again and
     * summarized afresh (the TCP analysis must not see a frame that is gone), the display filter applied again, and
     * the feed's listeners told of a reset and the frames kept. Step mode's Back uses it, so that the packet list and
     * the ladder hold exactly the frames of the steps taken. The whole capture is summarized again on the FX thread,
     * so a big one is left alone (false), as is a file being shown.
     */
    @Override
    public boolean removeFrames(int[] numbers) {
        if (numbers.length == 0) {
            return true;
        }
        if (offlineName != null || store.size() > REMOVE_FRAMES_LIMIT) {
            return false;
        }
        java.util.Set<Integer> gone = new HashSet<>();
        for (int number : numbers) {
            gone.add(number);
        }
        FrameStore old = store;
        List<CapturedFrame> kept = new ArrayList<>(old.size());
        for (int number = old.firstNumber(); number < old.nextNumber(); number++) {
            if (!gone.contains(number)) {
                PacketRow row = old.row(number);
                kept.add(new CapturedFrame(old.timestampNanos(number), row.direction(), old.bytes(number),
                        old.originalLength(number), row.colour() == ColouringRule.DROPPED ? "dropped" : null));
            }
        }
        if (kept.size() == old.size()) {
            return true;
        }
        cancel();
        installStore(new FrameStore(ringCapacity), null);
        arrivalDissector = new Dissector();
        if (!kept.isEmpty()) {
            add(kept);
        }
        return true;
    }

    /** The rows of the requested frames that are shown now, ascending (the view selects them). */
    public int[] displayedIndexesOf(int[] numbers) {
        return Arrays.stream(numbers).map(displayed::indexOf).filter(index -> index >= 0).toArray();
    }

    // ---- the selected frame: details and bytes ----

    /** Shows {@code row}'s tree and bytes (null clears them). The tree is made on the details worker. FX thread. */
    public void select(PacketRow row) {
        if (row != null && row.equals(selectedRow.get()) && selectedTree.get() != null) {
            return;
        }
        int generation = ++selectionGeneration;
        selectedRow.set(row);
        selectedFrameNumber.set(row == null ? 0 : row.number());
        selectedField.set(null);
        selectedDataSource.set(0);
        if (row == null) {
            selectedTree.set(null);
            return;
        }
        FrameStore target = store;
        int number = row.number();
        detailsWorker.execute(() -> {
            FrameTree tree = treeOf(target, number);
            ui.execute(() -> {
                if (generation == selectionGeneration) {
                    selectedTree.set(tree);
                }
            });
        });
    }

    /**
     * The full tree of frame {@code number}, dissected in order after the frames before it so that cross-frame
     * texts (relative sequence numbers, "request in 6") read as in the list. Moving forward continues the same
     * dissector; moving back starts again from the oldest frame. Details worker only.
     */
    private FrameTree treeOf(FrameStore target, int number) {
        if (!target.contains(number)) {
            return null;
        }
        if (cursorStore != target || number < cursorNext || cursorNext < target.firstNumber()) {
            cursorStore = target;
            cursorDissector = dissectorFrom(target);
            cursorNext = target.firstNumber();
        }
        FrameStore.FrameChunk chunk = new FrameStore.FrameChunk(CHUNK);
        while (cursorNext < number) {
            target.copy(cursorNext, Math.min(CHUNK, number - cursorNext), chunk);
            if (chunk.count == 0) {
                break;
            }
            for (int i = 0; i < chunk.count; i++) {
                cursorDissector.advance(chunk.timestamps[i], chunk.frame(i), chunk.capturedLengths[i], chunk.originalLengths[i]);
            }
            cursorNext = chunk.firstNumber + chunk.count;
        }
        target.copy(number, 1, chunk);
        if (chunk.count == 0 || chunk.firstNumber != number) {
            return null;
        }
        FrameTree tree = cursorDissector.dissect(chunk.timestamps[0], chunk.frame(0), chunk.capturedLengths[0], chunk.originalLengths[0],
                chunk.interfaces[0], chunk.options[0]);
        cursorNext = number + 1;
        return tree;
    }

    /** Selects a field of the tree (null for none): its bytes are highlighted, in its data source. */
    public void selectField(FieldNode node) {
        selectedField.set(node);
        if (node != null) {
            selectedDataSource.set(node.dataSource());
        }
    }

    /** Shows data source {@code index} of the selected frame in the bytes pane (the "Reassembled" tab). */
    public void showDataSource(int index) {
        FrameTree tree = selectedTree.get();
        if (tree != null && index >= 0 && index < tree.dataSources().size()) {
            selectedDataSource.set(index);
        }
    }

    /** A byte of the shown data source was clicked: selects the deepest visible field covering it. */
    public void byteClicked(int offset) {
        FieldNode field = fieldAt(selectedDataSource.get(), offset);
        if (field != null) {
            selectedField.set(field);
        }
    }

    /** The deepest shown field of the selected tree that covers byte {@code offset} of data source {@code source}. */
    FieldNode fieldAt(int source, int offset) {
        FrameTree tree = selectedTree.get();
        if (tree == null) {
            return null;
        }
        FieldNode[] best = new FieldNode[1];
        int[] bestDepth = {-1};
        for (FieldNode layer : tree.layers()) {
            deepest(layer, 0, source, offset, best, bestDepth);
        }
        return best[0];
    }

    private static void deepest(FieldNode node, int depth, int source, int offset, FieldNode[] best, int[] bestDepth) {
        // Annotations (expert notes, text lines) share their field's bytes: the field is what a click means.
        if (node.isHidden() || (node.name().startsWith("_ws.") && !node.name().equals("_ws.malformed"))) {
            return;
        }
        boolean covers = node.dataSource() == source && node.length() > 0 && offset >= node.offset()
                && offset < node.offset() + node.length();
        if (covers && (depth > bestDepth[0] || (depth == bestDepth[0] && node.length() < best[0].length()))) {
            best[0] = node;
            bestDepth[0] = depth;
        }
        for (FieldNode child : node.children()) {
            deepest(child, depth + 1, source, offset, best, bestDepth);
        }
    }

    /** Whether the tree line at {@code path} was left expanded (layers stay open from frame to frame, as in Wireshark). */
    public boolean isExpanded(String path) {
        return expandedPaths.contains(path);
    }

    public void setExpanded(String path, boolean expanded) {
        if (expanded) {
            expandedPaths.add(path);
        } else {
            expandedPaths.remove(path);
        }
    }

    // ---- files ----

    /** Opens a pcap or pcapng file in the panes, on the worker; problems become a notification. FX thread. */
    public void openFile(Path path) {
        String name = path.getFileName() == null ? path.toString() : path.getFileName().toString();
        long size;
        try {
            size = Files.size(path);
        } catch (IOException e) {
            size = 0;
        }
        long fileSize = size;
        open(name, fileSize, () -> CaptureReader.open(path), e -> openProblem(path, e));
    }

    /** Opens the capture that ships with stacklab (ARP, ping, fragments, TCP, a refused connection, UDP). */
    public void openSample() {
        open(SampleCapture.NAME, 0, () -> CaptureReader.open(SampleCapture.open()), e -> new String[] {
                "The sample capture cannot be read: " + e.getMessage(), "Rebuild stacklab (mvn package); the sample ships inside it."});
    }

    private interface ReaderSource {
        CaptureReader open() throws IOException;
    }

    private interface Problem {
        String[] describe(IOException e);
    }

    private void open(String name, long fileSize, ReaderSource source, Problem problem) {
        Job job = startJob(JobKind.OPEN, "Opening " + name + "…");
        jobs.execute(() -> {
            FrameStore opened = new FrameStore(ringCapacity);
            Dissector dissector = new Dissector();
            SummaryBatch columns = new SummaryBatch(1);
            String[] failure = null;
            long read = 0;
            long bytesSeen = 0;
            CaptureInterface lastInterface = null;
            FrameInterface lastFrameInterface = null;
            try (CaptureReader reader = source.open()) {
                while (!job.cancelled && reader.next()) {
                    int linkType = reader.linkType();
                    if (read == 0 && Dissector.readsLinkType(linkType)) {
                        // Every link type decode reads: Ethernet, Linux cooked captures, raw IP.
                        opened.linkType(linkType);
                        dissector.linkType(linkType);
                    }
                    if (!Dissector.readsLinkType(linkType)) {
                        failure = new String[] {"Frame " + (read + 1) + " of " + name + " has link type " + LinkType.name(linkType)
                                + "; stacklab decodes ETHERNET, LINUX_SLL, LINUX_SLL2, RAW, IPV4 and IPV6",
                                "Capture on an Ethernet interface or with tcpdump -i any (or convert the file with editcap -T ether)."};
                        break;
                    }
                    if (linkType != opened.linkType()) {
                        failure = new String[] {"Frame " + (read + 1) + " of " + name + " has link type " + LinkType.name(linkType)
                                + " after frames of link type " + LinkType.name(opened.linkType()) + "; the panes show one link type at a time",
                                "Split the file by interface (e.g. editcap or tshark -Y frame.interface_id==N -w)."};
                        break;
                    }
                    read++;
                    byte[] bytes = reader.data();
                    int length = reader.capturedLength();
                    dissector.timestampPrecision(reader.timestampPrecision());
                    columns.clear();
                    dissector.summarizeInto(reader.timestampNanos(), bytes, length, reader.originalLength(), columns);
                    PacketBlockOptions options = reader.packetOptions();
                    opened.add(reader.timestampNanos(), direction(options), bytes, length, reader.originalLength(), columns, 0,
                            ColouringRule.of(linkType, bytes, length, columns, 0, false));
                    if (options != null) {
                        opened.options(opened.nextNumber() - 1, new FrameOptions(options.flags(), options.dropCount(),
                                options.packetId(), options.queue(), options.comments(), options.problems()));
                    }
                    CaptureInterface capturedOn = reader.captureInterface();
                    if (capturedOn != null) {
                        // The Frame section's "on interface eth0, id 0" and Interface id lines, as tshark shows them.
                        if (!capturedOn.equals(lastInterface)) {
                            lastInterface = capturedOn;
                            lastFrameInterface = new FrameInterface(capturedOn.sectionNumber(), capturedOn.id(),
                                    capturedOn.name(), capturedOn.description());
                        }
                        opened.captureInterface(opened.nextNumber() - 1, lastFrameInterface);
                    }
                    bytesSeen += length + 16;
                    if (fileSize > 0 && (read & (PROGRESS_EVERY - 1)) == 0) {
                        reportProgress(job, Math.min(1.0, bytesSeen / (double) fileSize));
                    }
                }
            } catch (CaptureFormatException e) {
                failure = read == 0 ? problem.describe(e) : new String[] {name + " is damaged after frame " + read + ": " + e.getMessage(),
                        "The " + read + " frames before the damage are shown; the rest of the file cannot be read."};
            } catch (IOException e) {
                failure = problem.describe(e);
            } catch (RuntimeException e) {
                failure = new String[] {"Cannot read " + name + ": " + e, PCAP_FIX};
            }
            String[] reported = failure;
            long frames = read;
            ui.execute(() -> {
                if (!finishJob(job)) {
                    return;
                }
                if (reported != null) {
                    context.notifier().error(reported[0], reported[1]);
                }
                if (frames > 0) {
                    installStore(opened, name);
                    giveBackMemory(frames);
                    if (opened.ringDropped() > 0) {
                        context.notifier().info(name + " has " + String.format("%,d", frames) + " frames; the last "
                                + String.format("%,d", opened.size()) + " are shown (the capture keeps at most that many).");
                    }
                } else if (reported == null) {
                    context.notifier().info(name + " holds no frames.");
                }
            });
        });
    }

    /** A frame's direction as its pcapng packet flags give it (inbound, outbound), UNKNOWN when they do not. */
    private static Direction direction(PacketBlockOptions options) {
        int direction = options == null ? PacketBlockOptions.DIRECTION_UNKNOWN : options.direction();
        return direction == PacketBlockOptions.DIRECTION_INBOUND ? Direction.IN
                : direction == PacketBlockOptions.DIRECTION_OUTBOUND ? Direction.OUT : Direction.UNKNOWN;
    }

    private static String[] openProblem(Path path, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new String[] {"Cannot open " + path + ": no such file", "Check the path, or pick the file with Open."};
        }
        if (e instanceof AccessDeniedException) {
            return new String[] {"Cannot open " + path + ": permission denied", "Make it readable (chmod +r) or copy it somewhere you can read."};
        }
        if (e instanceof CaptureFormatException) {
            return new String[] {path.getFileName() + " is not a capture file: " + e.getMessage(), PCAP_FIX};
        }
        if (Files.isDirectory(path)) {
            return new String[] {"Cannot open " + path + ": it is a directory", "Pick a .pcap or .pcapng file inside it."};
        }
        return new String[] {"Cannot read " + path + ": " + e.getMessage(), PCAP_FIX};
    }

    /** Writes every frame held (not only those displayed) to a classic pcap file, on the worker. FX thread. */
    public void saveAs(Path path) {
        save(path, null, "");
    }

    /**
     * Wireshark's Export Specified Packets (displayed): writes as pcap only the frames the packet list shows, all of
     * them when no display filter hides any.
     */
    public void exportDisplayed(Path path) {
        save(path, displayed.isFiltered() ? shownNumbers() : null, displayed.isFiltered() ? " shown by display filter " + appliedFilterText.get() : "");
    }

    /**
     * A pass's question "is frame N one of those the list showed?", asked of ascending numbers, answered by walking the
     * snapshot once ({@link #shownNumbers}); every frame when there is none (no display filter hid any).
     */
    private static final class ShownNumbers {
        private final int[] numbers;
        private int next;

        ShownNumbers(int[] numbers) {
            this.numbers = numbers;
        }

        boolean contains(int number) {
            if (numbers == null) {
                return true;
            }
            while (next < numbers.length && numbers[next] < number) {
                next++;
            }
            return next < numbers.length && numbers[next] == number;
        }
    }

    /** The numbers of the frames the packet list shows, in order: a snapshot workers may read. FX thread. */
    private int[] shownNumbers() {
        int[] shown = new int[displayed.size()];
        for (int i = 0; i < shown.length; i++) {
            shown[i] = displayed.numberAt(i);
        }
        return shown;
    }

    /** Writes the frames held, or only {@code onlyThese} (ascending numbers) when given, as pcap, on the jobs worker. */
    private void save(Path path, int[] onlyThese, String which) {
        FrameStore target = store;
        int total = onlyThese == null ? target.size() : onlyThese.length;
        Job job = startJob(JobKind.SAVE, "Saving " + String.format("%,d", total) + " frames…");
        jobs.execute(() -> {
            String[] failure = null;
            long written = 0;
            Path partial = path.resolveSibling(path.getFileName() + ".part");
            try (PcapWriter writer = PcapWriter.create(partial, target.linkType(), true)) {
                FrameStore.FrameChunk chunk = new FrameStore.FrameChunk(CHUNK);
                ShownNumbers saved = new ShownNumbers(onlyThese);
                for (int next = target.firstNumber(); !job.cancelled && target.copy(next, CHUNK, chunk) >= 0 && chunk.count > 0;
                     next = chunk.firstNumber + chunk.count) {
                    for (int i = 0; i < chunk.count; i++) {
                        if (!saved.contains(chunk.firstNumber + i)) {
                            continue;
                        }
                        writer.write(chunk.timestamps[i], chunk.arenas[i], chunk.offsets[i], chunk.capturedLengths[i], chunk.originalLengths[i]);
                        written++;
                    }
                    reportProgress(job, Math.min(1.0, written / (double) Math.max(1, total)));
                }
            } catch (IOException | RuntimeException e) {
                failure = new String[] {"Cannot save to " + path + ": " + (e instanceof AccessDeniedException ? "permission denied"
                        : e instanceof NoSuchFileException ? "no such folder" : e.getMessage()), "Choose a folder you can write to."};
            }
            if (failure == null && !job.cancelled) {
                try {
                    Files.move(partial, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException e) {
                    failure = new String[] {"Cannot save to " + path + ": " + e.getMessage(), "Choose a folder you can write to."};
                }
            }
            if (failure != null || job.cancelled) {
                try {
                    Files.deleteIfExists(partial);
                } catch (IOException ignored) {
                    // Nothing more to do: the partial file is named .part and the user was told.
                }
            }
            String[] reported = failure;
            long frames = written;
            ui.execute(() -> {
                finishJob(job);
                if (reported != null) {
                    context.notifier().error(reported[0], reported[1]);
                } else if (!job.cancelled) {
                    context.notifier().info("Saved " + String.format("%,d", frames) + " frames" + which + " to " + path);
                }
            });
        });
    }

    // ---- long jobs: one at a time, with progress and cancel ----

    private enum JobKind { OPEN, SAVE, FILTER }

    private static final class Job {
        final JobKind kind;
        volatile boolean cancelled;

        Job(JobKind kind) {
            this.kind = kind;
        }
    }

    private Job startJob(JobKind kind, String text) {
        if (currentJob != null) {
            currentJob.cancelled = true;
        }
        Job job = new Job(kind);
        currentJob = job;
        busy.set(true);
        busyText.set(text);
        progress.set(-1);
        return job;
    }

    private void reportProgress(Job job, double fraction) {
        ui.execute(() -> {
            if (job == currentJob) {
                progress.set(fraction);
            }
        });
    }

    /** Ends {@code job}; false when it was cancelled or replaced (its result is then dropped). */
    private boolean finishJob(Job job) {
        if (job != currentJob) {
            return false;
        }
        currentJob = null;
        busy.set(false);
        busyText.set("");
        progress.set(0);
        return !job.cancelled;
    }

    /** Cancels the running job (filter, open or save); what was shown stays. FX thread. */
    public void cancel() {
        if (currentJob != null) {
            currentJob.cancelled = true;
            currentJob = null;
            busy.set(false);
            busyText.set("");
            progress.set(0);
        }
    }

    // ---- counters and texts ----

    private void updateCounts() {
        capturedCount.set(store.nextNumber() - 1L);
        displayedCount.set(displayed.size());
        ringDropped.set(store.ringDropped());
        StringBuilder text = new StringBuilder();
        text.append("Displayed: ").append(String.format("%,d", displayed.size())).append(" of ")
                .append(String.format("%,d", store.size()));
        if (store.ringDropped() > 0) {
            text.append(" · ring dropped ").append(String.format("%,d", store.ringDropped())).append(" oldest");
        }
        if (paused.get()) {
            text.append(" · paused: ").append(String.format("%,d", held.size())).append(" new frames held");
        }
        if (missedCount.get() > 0) {
            text.append(" · ").append(String.format("%,d", missedCount.get()))
                    .append(offlineName != null ? " live frames not shown (Clear returns to live)" : " missed while paused");
        }
        countsText.set(text.toString());
    }

    private void updateSourceText() {
        live.set(offlineName == null);
        if (offlineName != null) {
            sourceText.set("File: " + offlineName);
            return;
        }
        LabSession session = context.session().get();
        sourceText.set(session == null ? "Live: no network started" : "Live: " + session.name());
    }

    // ---- properties ----

    /** The packet list's rows. */
    public ObservableList<PacketRow> frames() {
        return displayed;
    }

    public StringProperty filterTextProperty() {
        return filterText;
    }

    public ReadOnlyObjectProperty<FilterState> filterStateProperty() {
        return filterState.getReadOnlyProperty();
    }

    /** What is wrong with the filter text, with its column; empty when it is valid or empty. */
    public ReadOnlyStringProperty filterErrorProperty() {
        return filterError.getReadOnlyProperty();
    }

    /** The 1-based column of the filter's error, 0 when there is none. */
    public ReadOnlyIntegerProperty filterErrorColumnProperty() {
        return filterErrorColumn.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty appliedFilterTextProperty() {
        return appliedFilterText.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    /** The running job's progress from 0 to 1, or -1 while unknown. */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty busyTextProperty() {
        return busyText.getReadOnlyProperty();
    }

    /** Frames captured since the last clear (or in the open file), including those the ring dropped. */
    public ReadOnlyLongProperty capturedCountProperty() {
        return capturedCount.getReadOnlyProperty();
    }

    public ReadOnlyIntegerProperty displayedCountProperty() {
        return displayedCount.getReadOnlyProperty();
    }

    /** Oldest frames the ring dropped to stay within its capacity. */
    public ReadOnlyLongProperty ringDroppedProperty() {
        return ringDropped.getReadOnlyProperty();
    }

    public ReadOnlyDoubleProperty framesPerSecondProperty() {
        return framesPerSecond.getReadOnlyProperty();
    }

    /** Frames not shown: beyond the pause hold, or live frames while a file is shown. */
    public ReadOnlyLongProperty missedCountProperty() {
        return missedCount.getReadOnlyProperty();
    }

    /** "Displayed: 12 of 340 · ring dropped 5 oldest · paused: 40 new frames held". */
    public ReadOnlyStringProperty countsTextProperty() {
        return countsText.getReadOnlyProperty();
    }

    /** "Live: Simulated LAN" or "File: lab.pcap". */
    public ReadOnlyStringProperty sourceTextProperty() {
        return sourceText.getReadOnlyProperty();
    }

    /**
     * True while frames that arrived wait to be listed (a long list takes them at most every so often): the view then
     * calls {@link #listArrivedIfDue} on every pulse, so that the last of them are listed too.
     */
    public ReadOnlyBooleanProperty framesWaitingProperty() {
        return framesWaiting.getReadOnlyProperty();
    }

    /** Changes once per pulse that listed new frames (the view follows the end on it, at most once per pulse). */
    public ReadOnlyLongProperty revisionProperty() {
        return revision.getReadOnlyProperty();
    }

    /** True while showing live frames, false while a file is shown (no directions, nothing to follow). */
    public ReadOnlyBooleanProperty liveProperty() {
        return live.getReadOnlyProperty();
    }

    /** While true, new frames are held (up to {@link #PAUSE_HOLD_LIMIT}) and shown on resume. */
    public BooleanProperty pausedProperty() {
        return paused;
    }

    public ReadOnlyObjectProperty<PacketRow> selectedRowProperty() {
        return selectedRow.getReadOnlyProperty();
    }

    /** The selected frame's full tree, null while none is selected (or while it is being made). */
    public ReadOnlyObjectProperty<FrameTree> selectedTreeProperty() {
        return selectedTree.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<FieldNode> selectedFieldProperty() {
        return selectedField.getReadOnlyProperty();
    }

    /** Which of the selected frame's data sources the bytes pane shows (0: the frame, then reassembled buffers). */
    public ReadOnlyIntegerProperty selectedDataSourceProperty() {
        return selectedDataSource.getReadOnlyProperty();
    }

    /** Frame numbers another pane asked to select ({@link #selectFramesMatching}); a new array per request. */
    public ReadOnlyObjectProperty<int[]> selectionRequestProperty() {
        return selectionRequest.getReadOnlyProperty();
    }

    /** The bytes of the selected frame's data source {@code index}, or null. */
    public FrameTree.DataSource dataSource(int index) {
        FrameTree tree = selectedTree.get();
        return tree == null || index < 0 || index >= tree.dataSources().size() ? null : tree.dataSources().get(index);
    }

    /** Colouring rules in the order they are tried, for the legend: title, filter, style class. */
    public static List<String[]> colouringRules() {
        List<String[]> rules = new ArrayList<>();
        for (ColouringRule rule : ColouringRule.values()) {
            if (rule != ColouringRule.NONE) {
                rules.add(new String[] {rule.title(), rule.filter(), rule.styleClass()});
            }
        }
        return rules;
    }

    /** Stops the workers (the app is closing). */
    public void shutdown() {
        cancel();
        jobs.shutdownNow();
        detailsWorker.shutdownNow();
        filterHelper.shutdownNow();
        statisticsWorker.shutdownNow();
    }
}
