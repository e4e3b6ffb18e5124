package dev.stacklab.app.ping;

import dev.stacklab.app.AppContext;
import dev.stacklab.app.EventPump;
import dev.stacklab.app.InputCheck;
import dev.stacklab.app.InputCheck.InvalidInput;
import dev.stacklab.app.SessionStack;
import dev.stacklab.runtime.PingResult;
import dev.stacklab.runtime.PingRun;
import dev.stacklab.runtime.PingSettings;
import dev.stacklab.runtime.PingStatistics;
import dev.stacklab.runtime.PingSummary;
import dev.stacklab.runtime.PingText;
import dev.stacklab.runtime.StackRunner;
import dev.stacklab.stack.PathMtuDiscovery;
import dev.stacklab.stack.PingOutcome;
import dev.stacklab.wire.Ipv4Address;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The ping pane: iputils ping from our stack, with its lines, a live round-trip chart and its statistics.
 *
 * <p>Requests leave on a {@link PingRun}'s schedule; everything it reports is queued into this view-model's inbox
 * (an {@link EventPump} of tasks) and applied once per pulse on the FX thread. Tests give their own inbox and drain
 * it on their own thread, so no FX thread is needed.
 */
public final class PingViewModel {
    /** Output lines kept; older ones scroll away, so a ping left running for a day costs no memory. */
    static final int MAX_LINES = 2000;
    /** Round trips the chart shows: the latest ones, like a strip chart. */
    static final int CHART_POINTS = 120;
    /**
     * How long each request waits for its answer before "no answer yet" (iputils' -W, shorter for a lab), at least
     * one second more than ARP takes to give up, so an address nobody answers reads "Destination Host Unreachable".
     */
    static final Duration TIMEOUT = Duration.ofSeconds(2);
    static final int MAX_COUNT = 1_000_000;
    static final double MIN_INTERVAL_SECONDS = 0.002;
    static final double MAX_INTERVAL_SECONDS = 3600;
    private static final int INBOX_CAPACITY = 65_536;

    /** How a line reads: the view colours each kind. */
    public enum LineKind { HEADER, REPLY, ERROR, TIMEOUT, STATISTICS }

    /**
     * One line of ping's output. {@code sequence} is the ICMP sequence number it is about, or -1 (the header and the
     * statistics); with the run's {@code identifier} it names the request and reply frames in the capture.
     */
    public record PingLine(String text, LineKind kind, int identifier, int sequence) {
        public boolean pointsAtFrames() {
            return sequence >= 0;
        }
    }

    /** One round trip for the chart. */
    public record RttPoint(int sequence, double millis) {
    }

    private final AppContext context;
    private final EventPump<Runnable> inbox;
    private final SessionStack stack;

    private final StringProperty target = new SimpleStringProperty(this, "target", "");
    private final StringProperty count = new SimpleStringProperty(this, "count", "5");
    private final BooleanProperty continuous = new SimpleBooleanProperty(this, "continuous", false);
    private final StringProperty interval = new SimpleStringProperty(this, "interval", "1");
    private final StringProperty size = new SimpleStringProperty(this, "size", Integer.toString(PingSettings.DEFAULT_PAYLOAD_SIZE));
    private final StringProperty ttl = new SimpleStringProperty(this, "ttl", Integer.toString(PingSettings.DEFAULT_TTL));
    private final BooleanProperty dontFragment = new SimpleBooleanProperty(this, "dontFragment", false);

    private final ObservableList<PingLine> lines = FXCollections.observableArrayList();
    /** Read-only, and one instance: a wrapper made per call would lose its listeners when collected. */
    private final ObservableList<PingLine> linesView = FXCollections.unmodifiableObservableList(lines);
    private final ObservableList<RttPoint> chartPoints = FXCollections.observableArrayList();
    /** Read-only, and one instance: a wrapper made per call would lose its listeners when collected. */
    private final ObservableList<RttPoint> chartPointsView = FXCollections.unmodifiableObservableList(chartPoints);
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running", false);
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message");
    private final ReadOnlyStringWrapper packetsText = new ReadOnlyStringWrapper(this, "packetsText", "");
    private final ReadOnlyStringWrapper rttText = new ReadOnlyStringWrapper(this, "rttText", "");
    private final BooleanBinding canStart;

    private PingRun run;
    /** The settings of the run being shown, and its number: reports of an earlier run are ignored. */
    private PingSettings runSettings;
    private int generation;
    private PingStatistics statistics;
    private int transmitted;
    private long startedAtNanos;
    private Ipv4Address ourAddress;

    /** The pane in the app: results are applied once per pulse on the FX thread. Construct on the FX thread. */
    public PingViewModel(AppContext context) {
        this(context, new EventPump<>(INBOX_CAPACITY, PingViewModel::runAll));
        inbox.start();
    }

    /** With an inbox the caller drains (tests: on their own thread with {@link EventPump#drainNow()}). */
    PingViewModel(AppContext context, EventPump<Runnable> inbox) {
        this.context = context;
        this.inbox = inbox;
        this.stack = new SessionStack(context.session(), "ping", inbox, event -> false, (runner, event) -> { },
                this::runnerChanged);
        stack.offerSuggestedPeerTo(target);
        this.canStart = Bindings.createBooleanBinding(() -> !running.get() && stack.runner() != null,
                running, stack.runnerProperty());
    }

    static void runAll(List<Runnable> tasks) {
        tasks.forEach(Runnable::run);
    }

    // ---------------------------------------------------------------- inputs

    public StringProperty targetProperty() {
        return target;
    }

    public StringProperty countProperty() {
        return count;
    }

    /** Ping until stopped (iputils without -c). */
    public BooleanProperty continuousProperty() {
        return continuous;
    }

    /** Seconds between requests (iputils' -i). */
    public StringProperty intervalProperty() {
        return interval;
    }

    /** Data bytes per request (iputils' -s). */
    public StringProperty sizeProperty() {
        return size;
    }

    public StringProperty ttlProperty() {
        return ttl;
    }

    /** Don't Fragment on every request (iputils' -M do; without it -M dont). */
    public BooleanProperty dontFragmentProperty() {
        return dontFragment;
    }

    // ---------------------------------------------------------------- outputs

    public ObservableList<PingLine> lines() {
        return linesView;
    }

    public ObservableList<RttPoint> chartPoints() {
        return chartPointsView;
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    public BooleanBinding canStartBinding() {
        return canStart;
    }

    /** The last problem (bad input, a failed run), or null. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** "3 packets transmitted, 3 received, 0% packet loss, time 2002ms", live while running. */
    public ReadOnlyStringProperty packetsTextProperty() {
        return packetsText.getReadOnlyProperty();
    }

    /** "rtt min/avg/max/mdev = ...", once a reply came. */
    public ReadOnlyStringProperty rttTextProperty() {
        return rttText.getReadOnlyProperty();
    }

    /** Why the pane cannot ping now (no network, or one that only watches), or null. */
    public ReadOnlyStringProperty unavailableReasonProperty() {
        return stack.unavailableReasonProperty();
    }

    // ---------------------------------------------------------------- commands

    /** Checks the fields and starts pinging; a problem is shown in {@link #messageProperty()} instead. */
    public void start() {
        if (running.get()) {
            return;
        }
        StackRunner runner = stack.runner();
        if (runner == null) {
            message.set(stack.unavailableReason());
            return;
        }
        PingSettings settings;
        try {
            settings = settingsFromFields(runner);
        } catch (InvalidInput e) {
            message.set(e.getMessage());
            return;
        }
        message.set(null);
        ourAddress = runner.config().address().address();
        statistics = new PingStatistics();
        transmitted = 0;
        startedAtNanos = System.nanoTime();
        chartPoints.clear();
        packetsText.set("");
        rttText.set("");
        if (!lines.isEmpty()) {
            lines.add(new PingLine("", LineKind.HEADER, 0, -1));
        }
        addLine(new PingLine(PingText.header(settings.target(), settings.payloadSize()), LineKind.HEADER, 0, -1));
        running.set(true);
        generation++;
        runSettings = settings;
        run = PingRun.start(runner, settings, new InboxListener(generation));
    }

    /** Ends the run; its statistics follow, as after Ctrl-C. */
    public void stop() {
        if (run != null) {
            run.stop();
        }
    }

    /** Shows the request and reply of a line in the capture panes (for lines about one sequence number). */
    public void showFramesOf(PingLine line) {
        if (line != null && line.pointsAtFrames()) {
            context.frameSelector().selectFramesMatching(displayFilterFor(line.identifier(), line.sequence()));
        }
    }

    /** The display filter that matches one request and its reply: the dissector's fields, as tshark names them. */
    static String displayFilterFor(int identifier, int sequence) {
        return String.format("icmp.ident == 0x%04x && icmp.seq == %d", identifier, sequence);
    }

    public void clear() {
        lines.clear();
        chartPoints.clear();
        if (!running.get()) {
            packetsText.set("");
            rttText.set("");
        }
    }

    private PingSettings settingsFromFields(StackRunner runner) throws InvalidInput {
        Ipv4Address address = InputCheck.ipv4("Target", target.get());
        int requests = continuous.get() ? 0 : InputCheck.wholeNumber("Count", count.get(), 1, MAX_COUNT, "requests");
        double seconds = InputCheck.seconds("Interval", interval.get(), MIN_INTERVAL_SECONDS, MAX_INTERVAL_SECONDS);
        int payload = InputCheck.wholeNumber("Size", size.get(), 0, 65507, "data bytes");
        int timeToLive = InputCheck.wholeNumber("TTL", ttl.get(), 1, 255, "");
        return PingSettings.to(address).withCount(requests).withInterval(Duration.ofNanos(Math.round(seconds * 1e9)))
                .withPayloadSize(payload).withTtl(timeToLive).withTimeout(timeout(runner))
                .withIdentifier(ThreadLocalRandom.current().nextInt(1, 0x10000))
                .withPathMtuDiscovery(dontFragment.get() ? PathMtuDiscovery.DO : PathMtuDiscovery.DONT);
    }

    private static Duration timeout(StackRunner runner) {
        long arpGivesUp = runner.config().arpRetryNanos() * runner.config().arpAttempts();
        return TIMEOUT.compareTo(Duration.ofNanos(arpGivesUp)) > 0 ? TIMEOUT : Duration.ofNanos(arpGivesUp).plusSeconds(1);
    }

    // ---------------------------------------------------------------- results (FX thread)

    private void runnerChanged(StackRunner runner) {
        if (run != null) {
            run.stop();
        }
        message.set(null);
    }

    private boolean isCurrent(int runNumber) {
        return runNumber == generation && running.get();
    }

    private void sent(int runNumber) {
        if (isCurrent(runNumber)) {
            transmitted++;
            updateStatistics();
        }
    }

    private void result(int runNumber, PingResult result) {
        if (!isCurrent(runNumber)) {
            return;
        }
        statistics.add(result);
        int identifier = runSettings.identifier();
        PingOutcome outcome = result.outcome();
        if (outcome instanceof PingOutcome.Reply reply) {
            addLine(new PingLine(PingText.line(result, ourAddress), LineKind.REPLY, identifier, result.sequence()));
            chartPoints.add(new RttPoint(result.sequence(), reply.roundTripNanos() / 1e6));
            if (chartPoints.size() > CHART_POINTS) {
                chartPoints.remove(0, chartPoints.size() - CHART_POINTS);
            }
        } else if (outcome instanceof PingOutcome.Timeout) {
            addLine(new PingLine(PingText.timeoutLine(result.sequence()), LineKind.TIMEOUT, identifier, result.sequence()));
        } else if (outcome instanceof PingOutcome.MessageTooLong tooLong) {
            addLine(new PingLine(PingText.localError(tooLong), LineKind.ERROR, identifier, -1));
        } else {
            addLine(new PingLine(PingText.line(result, ourAddress), LineKind.ERROR, identifier, result.sequence()));
        }
        updateStatistics();
    }

    private void finished(int runNumber, int sent, long elapsedNanos, String failure) {
        if (!isCurrent(runNumber)) {
            return;
        }
        transmitted = sent;
        PingSummary summary = statistics.summary(runSettings.target(), sent, elapsedNanos, List.of());
        addLine(new PingLine("", LineKind.STATISTICS, 0, -1));
        for (String line : PingText.statistics(summary)) {
            addLine(new PingLine(line, LineKind.STATISTICS, 0, -1));
        }
        showStatistics(summary);
        running.set(false);
        run = null;
        if (failure != null) {
            message.set("Ping stopped: " + failure);
            context.notifier().error("Ping stopped: " + failure, "Start the network again from the toolbar, then ping again.");
        }
    }

    private void updateStatistics() {
        showStatistics(statistics.summary(runSettings.target(), transmitted, System.nanoTime() - startedAtNanos, List.of()));
    }

    private void showStatistics(PingSummary summary) {
        List<String> text = PingText.statistics(summary);
        packetsText.set(text.get(1));
        rttText.set(text.size() > 2 ? text.get(2) : "");
    }

    private void addLine(PingLine line) {
        lines.add(line);
        if (lines.size() > MAX_LINES) {
            lines.remove(0, lines.size() - MAX_LINES);
        }
    }

    /** Carries a run's reports from its threads into the inbox, marked with the run they are about. */
    private final class InboxListener implements PingRun.Listener {
        private final int generation;

        InboxListener(int generation) {
            this.generation = generation;
        }

        @Override
        public void sent(int sequence) {
            inbox.offer(() -> PingViewModel.this.sent(generation));
        }

        @Override
        public void result(PingResult result) {
            inbox.offer(() -> PingViewModel.this.result(generation, result));
        }

        @Override
        public void finished(int transmitted, long elapsedNanos, String failure) {
            inbox.offer(() -> PingViewModel.this.finished(generation, transmitted, elapsedNanos, failure));
        }
    }
}
