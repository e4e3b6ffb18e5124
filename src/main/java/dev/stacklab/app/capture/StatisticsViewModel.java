package dev.stacklab.app.capture;

import dev.stacklab.dissect.CaptureStatistics;
import dev.stacklab.dissect.Conversation;
import dev.stacklab.dissect.ConversationType;
import dev.stacklab.dissect.DisplayFilter;
import dev.stacklab.dissect.DisplayFilterException;
import dev.stacklab.dissect.Endpoint;
import dev.stacklab.dissect.ExpertItem;
import dev.stacklab.dissect.IoStatistics;
import dev.stacklab.dissect.ProtocolNode;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Wireshark's Statistics menu for the capture pane: Conversations and Endpoints (Ethernet, IPv4, IPv6, TCP, UDP),
 * the Protocol Hierarchy and Expert Information, over the frames held or only those the display filter shows.
 * The counting is {@link CaptureStatistics}' (held to tshark's -z output); this gathers it off the FX thread
 * through {@link CaptureViewModel#gatherStatistics}, shows progress, and turns a row into a filter or a selection.
 * All methods run on the FX thread.
 */
public final class StatisticsViewModel {
    /** The window's tabs, in Wireshark's menu order. */
    public enum Tab {
        CONVERSATIONS("Conversations"), ENDPOINTS("Endpoints"), PROTOCOL_HIERARCHY("Protocol Hierarchy"),
        EXPERT_INFORMATION("Expert Information"), IO_GRAPH("I/O Graph");

        private final String title;

        Tab(String title) {
            this.title = title;
        }

        public String title() {
            return title;
        }
    }

    /** The I/O graph's interval: Auto picks the smallest that draws the capture in at most {@link #AUTO_POINTS} points. */
    public enum Interval {
        AUTO("Auto", 0), MS_1("1 ms", 1_000_000L), MS_10("10 ms", 10_000_000L), MS_100("100 ms", 100_000_000L),
        S_1("1 s", 1_000_000_000L), S_10("10 s", 10_000_000_000L), MIN_1("1 min", 60_000_000_000L), MIN_10("10 min", 600_000_000_000L);

        private final String text;
        private final long nanos;

        Interval(String text, long nanos) {
            this.text = text;
            this.nanos = nanos;
        }

        public long nanos() {
            return nanos;
        }

        @Override
        public String toString() {
            return text;
        }

        /** The interval to count in for a capture spanning {@code spanNanos}: this one, or Auto's choice. */
        long nanosFor(long spanNanos) {
            if (this != AUTO && spanNanos / nanos < MOST_POINTS) {
                return nanos;
            }
            // Auto, or an interval that would draw more points than a chart can: the smallest that fits.
            int most = this == AUTO ? AUTO_POINTS : MOST_POINTS;
            for (Interval each : values()) {
                if (each != AUTO && spanNanos / each.nanos < most) {
                    return each.nanos;
                }
            }
            return MIN_10.nanos;
        }
    }

    /** What the I/O graph's lines count per interval. */
    public enum IoUnit {
        PACKETS("Packets"), BYTES("Bytes"), BITS_PER_SECOND("Bits/s");

        private final String text;

        IoUnit(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** The most points Auto draws a line with: enough to see bursts, few enough for a chart to draw at once. */
    static final int AUTO_POINTS = 1000;
    /**
     * The most points any interval draws a line with: a JavaFX chart of millions of points would hold the FX thread
     * for seconds (1 ms over an hour's capture), so a finer interval than this allows is counted in the next that fits.
     */
    static final int MOST_POINTS = 20_000;
    /** The I/O graph's second line at first, as Wireshark's: the frames its TCP analysis flags. */
    static final String DEFAULT_IO_FILTER = "tcp.analysis.flags";

    private static final DateTimeFormatter GATHERED_AT = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);

    private final CaptureViewModel capture;
    private final ObjectProperty<Tab> tab = new SimpleObjectProperty<>(this, "tab", Tab.CONVERSATIONS);
    private final BooleanProperty limitToDisplayFilter = new SimpleBooleanProperty(this, "limitToDisplayFilter");
    private final ReadOnlyBooleanWrapper canLimit = new ReadOnlyBooleanWrapper(this, "canLimit");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress");
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", "");
    private final Map<ConversationType, ObservableList<Conversation>> conversations = new EnumMap<>(ConversationType.class);
    private final Map<ConversationType, ObservableList<Endpoint>> endpoints = new EnumMap<>(ConversationType.class);
    private final ReadOnlyObjectWrapper<ProtocolNode> hierarchy = new ReadOnlyObjectWrapper<>(this, "hierarchy");
    private final ObservableList<ExpertItem> expertItems = FXCollections.observableArrayList();
    private final ObjectProperty<Interval> interval = new SimpleObjectProperty<>(this, "interval", Interval.AUTO);
    private final ObjectProperty<IoUnit> ioUnit = new SimpleObjectProperty<>(this, "ioUnit", IoUnit.PACKETS);
    private final StringProperty ioFilterText = new SimpleStringProperty(this, "ioFilterText", DEFAULT_IO_FILTER);
    private final ReadOnlyStringWrapper ioFilterError = new ReadOnlyStringWrapper(this, "ioFilterError", "");
    private final ReadOnlyObjectWrapper<IoStatistics> io = new ReadOnlyObjectWrapper<>(this, "io");
    private String ioFilterCounted = "";
    private String ioNote = "";
    private CaptureViewModel.StatisticsPass pass;
    private String filterWhenAsked = "";

    /** Statistics of {@code capture}'s frames, opened on {@code tab}; {@link #refresh} gathers them. */
    public StatisticsViewModel(CaptureViewModel capture, Tab tab) {
        this.capture = capture;
        this.tab.set(tab);
        for (ConversationType type : ConversationType.values()) {
            conversations.put(type, FXCollections.observableArrayList());
            endpoints.put(type, FXCollections.observableArrayList());
        }
        limitToDisplayFilter.addListener((property, was, limit) -> refresh());
        interval.addListener((property, was, now) -> refresh());
    }

    /** The I/O graph's interval; changing it counts again. */
    public ObjectProperty<Interval> intervalProperty() {
        return interval;
    }

    /** What the I/O graph's lines count: packets, bytes or bits per second. */
    public ObjectProperty<IoUnit> ioUnitProperty() {
        return ioUnit;
    }

    /** The display filter of the I/O graph's second line (empty: none); {@link #applyIoFilter} counts with it. */
    public StringProperty ioFilterTextProperty() {
        return ioFilterText;
    }

    /** What is wrong with the second line's filter, or empty. */
    public ReadOnlyStringProperty ioFilterErrorProperty() {
        return ioFilterError.getReadOnlyProperty();
    }

    /** The I/O graph's counts (column 0 every frame, column 1 the second line's filter when given), or null before a pass ends. */
    public ReadOnlyObjectProperty<IoStatistics> ioProperty() {
        return io.getReadOnlyProperty();
    }

    /** The second line's filter the counts were made with ("" for none). */
    public String ioFilterCounted() {
        return ioFilterCounted;
    }

    /** Counts again with the second line's filter as typed, or says what is wrong with it. */
    public void applyIoFilter() {
        if (compiledIoFilter() != null || ioFilterError.get().isEmpty()) {
            refresh();
        }
    }

    /** The second line's filter compiled, or null when empty or wrong (then {@link #ioFilterErrorProperty} says why). */
    private DisplayFilter compiledIoFilter() {
        String text = ioFilterText.get() == null ? "" : ioFilterText.get().strip();
        ioFilterError.set("");
        if (text.isEmpty()) {
            return null;
        }
        try {
            return DisplayFilter.compile(text);
        } catch (DisplayFilterException e) {
            ioFilterError.set("Second line: " + e.getMessage());
            return null;
        }
    }

    /**
     * The value line {@code column} shows at {@code interval}, in the unit chosen: frames, bytes, or bits per second
     * (bytes × 8 over the interval's length).
     */
    public static double ioValue(IoStatistics counts, IoUnit unit, int column, int interval) {
        return switch (unit) {
            case PACKETS -> counts.frames(column, interval);
            case BYTES -> counts.bytes(column, interval);
            case BITS_PER_SECOND -> counts.bytes(column, interval) * 8e9 / counts.intervalNanos();
        };
    }

    /** The tab shown. */
    public ObjectProperty<Tab> tabProperty() {
        return tab;
    }

    /** Count only the frames the packet list shows (Wireshark's "Limit to display filter"); changing it gathers again. */
    public BooleanProperty limitToDisplayFilterProperty() {
        return limitToDisplayFilter;
    }

    /** Whether a display filter hides frames, so that limiting to it means something. */
    public ReadOnlyBooleanProperty canLimitProperty() {
        return canLimit.getReadOnlyProperty();
    }

    /** True while a pass over the frames runs. */
    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    /** How far the pass is, 0 to 1. */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    /** What was counted: "1,234 frames, gathered at 12:30:05" or those a display filter shows, or what is being done. */
    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    public ObservableList<Conversation> conversations(ConversationType type) {
        return conversations.get(type);
    }

    public ObservableList<Endpoint> endpoints(ConversationType type) {
        return endpoints.get(type);
    }

    /** The protocol hierarchy's root (every frame), or null before the first pass ends. */
    public ReadOnlyObjectProperty<ProtocolNode> hierarchyProperty() {
        return hierarchy.getReadOnlyProperty();
    }

    public ObservableList<ExpertItem> expertItems() {
        return expertItems;
    }

    /** "TCP · 12": a conversation or endpoint tab's title, as Wireshark's. */
    public String tabTitle(ConversationType type, boolean ofEndpoints) {
        int count = ofEndpoints ? endpoints.get(type).size() : conversations.get(type).size();
        return type.label() + " · " + count;
    }

    /** Gathers the statistics again, over the frames held now (a live capture moves on), cancelling a pass under way. */
    public void refresh() {
        cancel();
        canLimit.set(capture.isFiltered());
        boolean limit = limitToDisplayFilter.get() && capture.isFiltered();
        filterWhenAsked = limit ? capture.appliedFilterTextProperty().get() : "";
        busy.set(true);
        progress.set(0);
        summary.set(limit ? "Counting the frames display filter " + filterWhenAsked + " shows…" : "Counting the frames held…");
        DisplayFilter second = compiledIoFilter();
        String secondText = second == null ? "" : ioFilterText.get().strip();
        long span = capture.heldSpanNanos();
        long counted = interval.get().nanosFor(span);
        ioNote = interval.get() != Interval.AUTO && counted != interval.get().nanos()
                ? String.format(Locale.ROOT, "; the I/O graph in %s steps, as %s would draw %,d points", intervalText(counted),
                        interval.get(), span / interval.get().nanos())
                : "";
        CaptureViewModel.IoRequest request = new CaptureViewModel.IoRequest(counted, second);
        pass = capture.gatherStatistics(limit, request, progress::set, result -> {
            ioFilterCounted = secondText;
            show(result);
        });
    }

    /** Stops a pass under way (the window closed). */
    public void cancel() {
        if (pass != null) {
            pass.cancel();
            pass = null;
        }
        busy.set(false);
    }

    private void show(CaptureViewModel.StatisticsResult result) {
        pass = null;
        CaptureStatistics statistics = result.statistics();
        for (ConversationType type : ConversationType.values()) {
            conversations.get(type).setAll(statistics.conversations(type));
            endpoints.get(type).setAll(statistics.endpoints(type));
        }
        hierarchy.set(statistics.protocolHierarchy());
        expertItems.setAll(statistics.expertItems());
        io.set(result.io());
        String frames = String.format(Locale.ROOT, "%,d %s", statistics.frames(), statistics.frames() == 1 ? "frame" : "frames");
        String when = ", gathered at " + LocalTime.now().format(GATHERED_AT);
        summary.set((filterWhenAsked.isEmpty() ? frames + " (all held)" + when
                : frames + " shown by display filter " + filterWhenAsked + when) + ioNote);
        progress.set(1);
        busy.set(false);
    }

    /** Puts {@code filter} in the capture's display filter field and applies it (a row's "Apply as Filter"). */
    public void applyFilter(String filter) {
        capture.filterTextProperty().set(filter);
        capture.applyFilter();
    }

    /** Puts {@code filter} in the capture's display filter field without applying it ("Prepare as Filter"). */
    public void prepareFilter(String filter) {
        capture.filterTextProperty().set(filter);
    }

    /** Selects frame {@code number} in the packet list (an expert item's frame). */
    public void selectFrame(int number) {
        capture.selectFrame(number);
    }

    /** The conversations of {@code type} as CSV, with the table's columns, for the clipboard. */
    public String conversationsCsv(ConversationType type) {
        StringBuilder csv = new StringBuilder("Address A,Port A,Address B,Port B,Packets,Bytes,Packets A → B,Bytes A → B,"
                + "Packets B → A,Bytes B → A,Rel Start,Duration\n");
        for (Conversation c : conversations.get(type)) {
            csv.append(String.join(",", quoted(c.addressA()), port(c.portA()), quoted(c.addressB()), port(c.portB()),
                    Long.toString(c.frames()), Long.toString(c.bytes()), Long.toString(c.framesAToB()), Long.toString(c.bytesAToB()),
                    Long.toString(c.framesBToA()), Long.toString(c.bytesBToA()), seconds(c.relativeStartNanos(), 6),
                    seconds(c.durationNanos(), 4))).append('\n');
        }
        return csv.toString();
    }

    /** The endpoints of {@code type} as CSV, with the table's columns, for the clipboard. */
    public String endpointsCsv(ConversationType type) {
        StringBuilder csv = new StringBuilder("Address,Port,Packets,Bytes,Tx Packets,Tx Bytes,Rx Packets,Rx Bytes\n");
        for (Endpoint e : endpoints.get(type)) {
            csv.append(String.join(",", quoted(e.address()), port(e.port()), Long.toString(e.frames()), Long.toString(e.bytes()),
                    Long.toString(e.txFrames()), Long.toString(e.txBytes()), Long.toString(e.rxFrames()), Long.toString(e.rxBytes())))
                    .append('\n');
        }
        return csv.toString();
    }

    /** "100 ms", "1 s": an interval as the I/O graph's axis names it. */
    static String intervalText(long nanos) {
        for (Interval each : Interval.values()) {
            if (each.nanos() == nanos && each != Interval.AUTO) {
                return each.toString();
            }
        }
        return seconds(nanos, 3) + " s";
    }

    /** A port, or nothing for an address-only conversation. */
    static String port(int port) {
        return port < 0 ? "" : Integer.toString(port);
    }

    /** Seconds with {@code decimals} decimals, as Wireshark's tables show times. */
    static String seconds(long nanos, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", nanos / 1e9);
    }

    /** "12.5%": {@code part} of {@code whole}, as the hierarchy's percent columns. */
    static String percent(long part, long whole) {
        return whole <= 0 ? "0.0%" : String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
    }

    /** Bits per second over {@code nanos}, or "N/A" as Wireshark says when the duration is too short to tell. */
    static String bitsPerSecond(long bytes, long nanos) {
        if (nanos <= 0) {
            return "N/A";
        }
        double bits = bytes * 8e9 / nanos;
        return bits >= 1e6 ? String.format(Locale.ROOT, "%.1f M", bits / 1e6)
                : bits >= 1e3 ? String.format(Locale.ROOT, "%.1f k", bits / 1e3) : String.format(Locale.ROOT, "%.0f", bits);
    }

    /** The frames of {@code node} that end there (no deeper protocol): the hierarchy's "End Packets". */
    static long endFrames(ProtocolNode node) {
        long below = 0;
        for (ProtocolNode child : node.children()) {
            below += child.frames();
        }
        return Math.max(0, node.frames() - below);
    }

    private static String quoted(String field) {
        return field.contains(",") || field.contains("\"") ? "\"" + field.replace("\"", "\"\"") + "\"" : field;
    }
}
