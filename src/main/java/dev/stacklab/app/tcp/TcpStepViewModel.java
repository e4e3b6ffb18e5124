package dev.stacklab.app.tcp;

import dev.stacklab.app.AppContext;
import dev.stacklab.app.EventPump;
import dev.stacklab.app.SessionStack;
import dev.stacklab.runtime.StackRunner;
import dev.stacklab.runtime.stepping.WireSegment;
import dev.stacklab.runtime.LabSession;
import dev.stacklab.runtime.stepping.TcpScenario;
import dev.stacklab.runtime.stepping.TcpStepLab;
import dev.stacklab.runtime.stepping.TcpStepLab.End;
import dev.stacklab.runtime.stepping.TcpStepLab.Frame;
import dev.stacklab.runtime.stepping.TcpStepLab.Status;
import dev.stacklab.runtime.stepping.TcpStepLab.Step;
import dev.stacklab.runtime.stepping.TcpStepLab.Transition;
import dev.stacklab.stack.tcp.TcpState;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The TCP pane's step mode and the second state diagram. In step mode a {@link TcpScenario} runs on a
 * {@link TcpStepLab} (two stacklab stacks on a wire of their own, every frame held until Step): Step, Back, Run at a
 * speed and Pause, the held segment with what it will make its receiver do, and both ends' diagrams. The scenario's
 * client appears in the pane's connection list (so the TCB grid and the first diagram follow it) and its frames in
 * the capture panes through {@link LabSession#showInCapture}, like the network's own.
 *
 * <p>Outside step mode the second diagram shows the peer of the chosen connection, inferred from our states
 * ({@link PeerStateInference}) and marked so.
 *
 * <p>The lab lives on one worker thread of its own; the FX thread only sends it commands and takes the
 * {@link Status} each one produces, through the pane's inbox.
 */
public final class TcpStepViewModel {
    public static final double MIN_SPEED = 0.5;
    public static final double MAX_SPEED = 10;
    public static final double DEFAULT_SPEED = 2;
    /** How often the held segments of the live network are read again while they are held. */
    static final long LIVE_REFRESH_MILLIS = 250;

    private final TcpViewModel pane;
    private final AppContext context;
    private final EventPump<Runnable> inbox;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "tcp step mode");
        thread.setDaemon(true);
        return thread;
    });
    /** Bumped by each new scenario: results of an older one still on their way are dropped. */
    private final AtomicInteger generation = new AtomicInteger();
    /** The lab: touched on the worker thread only. */
    private TcpStepLab lab;
    private volatile boolean runRequested;

    private final BooleanProperty stepMode = new SimpleBooleanProperty(this, "stepMode");
    private final ObjectProperty<TcpScenario> scenario = new SimpleObjectProperty<>(this, "scenario", TcpScenario.HANDSHAKE);
    private final StringProperty seed = new SimpleStringProperty(this, "seed", Long.toString(TcpScenario.HANDSHAKE.defaultSeed()));
    private final DoubleProperty speed = new SimpleDoubleProperty(this, "speed", DEFAULT_SPEED);
    private final ReadOnlyObjectWrapper<Status> status = new ReadOnlyObjectWrapper<>(this, "status");
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running");
    private final ReadOnlyBooleanWrapper canStep = new ReadOnlyBooleanWrapper(this, "canStep");
    private final ReadOnlyBooleanWrapper canRun = new ReadOnlyBooleanWrapper(this, "canRun");
    /** The scenario's frames in the capture panes, to take out again on Back. FX thread (see the class). */
    private final ScenarioCapture scenarioCapture;
    private final ReadOnlyBooleanWrapper canBack = new ReadOnlyBooleanWrapper(this, "canBack");
    private final ReadOnlyStringWrapper description = new ReadOnlyStringWrapper(this, "description");
    private final ReadOnlyStringWrapper stepText = new ReadOnlyStringWrapper(this, "stepText");
    private final ReadOnlyStringWrapper heldText = new ReadOnlyStringWrapper(this, "heldText");
    private final ReadOnlyStringWrapper predictionText = new ReadOnlyStringWrapper(this, "predictionText");
    private final ReadOnlyStringWrapper lastText = new ReadOnlyStringWrapper(this, "lastText");
    private final ReadOnlyStringWrapper note = new ReadOnlyStringWrapper(this, "note");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message");
    private final ReadOnlyStringWrapper ourTitle = new ReadOnlyStringWrapper(this, "ourTitle", "ours");
    private final ReadOnlyStringWrapper ourCaption = new ReadOnlyStringWrapper(this, "ourCaption");
    private final ReadOnlyStringWrapper peerTitle = new ReadOnlyStringWrapper(this, "peerTitle", "peer  (inferred)");
    private final ReadOnlyStringWrapper peerCaption = new ReadOnlyStringWrapper(this, "peerCaption");
    private final ReadOnlyBooleanWrapper peerInferred = new ReadOnlyBooleanWrapper(this, "peerInferred");
    private final ObservableList<TcpState> peerPath = FXCollections.observableArrayList();
    private final ObservableList<TcpState> peerPathView = FXCollections.unmodifiableObservableList(peerPath);
    private TcpViewModel.Connection scenarioRow;
    /** Which end of the two diagrams. */
    public enum EndSide { OURS, PEER }
    private final ReadOnlyObjectWrapper<EndSide> lastChangedEnd = new ReadOnlyObjectWrapper<>(this, "lastChangedEnd");
    /** Step mode against the live network: our stack's own TCP segments held in its runner until Release. */
    private final SessionStack live;
    private final BooleanProperty holdLive = new SimpleBooleanProperty(this, "holdLive");
    private final ReadOnlyStringWrapper liveHeldText = new ReadOnlyStringWrapper(this, "liveHeldText");
    private final ReadOnlyIntegerWrapper liveHeldCount = new ReadOnlyIntegerWrapper(this, "liveHeldCount");
    /** The runner holding our segments (FX thread), or null. */
    private StackRunner holdingRunner;
    /** The peer's own states when it is a stacklab stack of the session (the simulated LAN's server). */
    private final PeerStackStates peerStack;
    private final ListChangeListener<TcpState> ourStatesChanged = change -> inferPeer();

    TcpStepViewModel(TcpViewModel pane, AppContext context, EventPump<Runnable> inbox, SessionStack live) {
        this.pane = pane;
        this.context = context;
        this.inbox = inbox;
        this.live = live;
        peerStack = new PeerStackStates(inbox, this::inferPeer);
        scenarioCapture = new ScenarioCapture(context.captureFeed(), inbox::offer);
        context.session().addListener((observable, old, now) -> watchPeerOf(now, null));
        watchPeerOf(context.session().get(), null);
        holdLive.addListener((observable, old, on) -> holdLiveChanged(on));
        live.runnerProperty().addListener((observable, old, now) -> holdLive.set(false));
        scenario.addListener((observable, old, now) -> {
            if (now != null) {
                seed.set(Long.toString(now.defaultSeed()));
                description.set(now.description());
            }
        });
        description.set(scenario.get().description());
        stepMode.addListener((observable, old, on) -> {
            if (!on) {
                leaveStepMode();
            } else {
                note.set(status.get() != null ? null : "Pick a scenario and press Run scenario: its two stacks run on a"
                        + " wire of their own, every frame held until Step; the capture shows each frame as it is delivered.");
            }
            showPeerOfSelected();
        });
        pane.selectedProperty().addListener((observable, old, now) -> {
            if (old != null) {
                old.states().removeListener(ourStatesChanged);
            }
            if (now != null) {
                now.states().addListener(ourStatesChanged);
            }
            showPeerOfSelected();
        });
        showPeerOfSelected();
    }

    // ---------------------------------------------------------------- properties

    /** Whether the pane runs scenarios frame by frame instead of following our stack's connections live. */
    public BooleanProperty stepModeProperty() {
        return stepMode;
    }

    public ObjectProperty<TcpScenario> scenarioProperty() {
        return scenario;
    }

    public List<TcpScenario> scenarios() {
        return List.of(TcpScenario.values());
    }

    /** The seed as typed; a scenario's own seed when it is chosen. */
    public StringProperty seedProperty() {
        return seed;
    }

    /** Steps per second while running, {@value #MIN_SPEED} to {@value #MAX_SPEED}. */
    public DoubleProperty speedProperty() {
        return speed;
    }

    /** Where the scenario stands, or null before one ran. */
    public ReadOnlyObjectProperty<Status> statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canStepProperty() {
        return canStep.getReadOnlyProperty();
    }

    /** Whether Run has something to do: a scenario not over, or our segments held against the live network. */
    public ReadOnlyBooleanProperty canRunProperty() {
        return canRun.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canBackProperty() {
        return canBack.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty descriptionProperty() {
        return description.getReadOnlyProperty();
    }

    /** "Step 2 of 3". */
    public ReadOnlyStringProperty stepTextProperty() {
        return stepText.getReadOnlyProperty();
    }

    /**
     * The segment held on the wire ("Held on the wire:  client → server   SYN ..."): who sends it, flags, SEQ and ACK
     * (relative and absolute), length, window; or why none is held.
     */
    public ReadOnlyStringProperty heldTextProperty() {
        return heldText.getReadOnlyProperty();
    }

    /** What the held segment will make its receiver do ("server: LISTEN → SYN-RECEIVED, sends SYN, ACK"). */
    public ReadOnlyStringProperty predictionTextProperty() {
        return predictionText.getReadOnlyProperty();
    }

    /** What the last step did. */
    public ReadOnlyStringProperty lastTextProperty() {
        return lastText.getReadOnlyProperty();
    }

    /** A line about what step mode holds, or null. */
    public ReadOnlyStringProperty noteProperty() {
        return note.getReadOnlyProperty();
    }

    /** A problem with what the user asked (a bad seed, no scenario yet), or null. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** The first diagram's title ("client 10.0.0.2:49152"). */
    public ReadOnlyStringProperty ourTitleProperty() {
        return ourTitle.getReadOnlyProperty();
    }

    /** The first diagram's last change and its cause. */
    public ReadOnlyStringProperty ourCaptionProperty() {
        return ourCaption.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty peerTitleProperty() {
        return peerTitle.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty peerCaptionProperty() {
        return peerCaption.getReadOnlyProperty();
    }

    /**
     * The end whose state the last step changed (the receiver of the frame delivered, when it changed), or null
     * when the step changed neither or none was taken: a narrow pane shows that end's diagram.
     */
    public ReadOnlyObjectProperty<EndSide> lastChangedEndProperty() {
        return lastChangedEnd.getReadOnlyProperty();
    }

    /** Whether the second diagram is inferred from what the peer sent rather than read from its stack. */
    public ReadOnlyBooleanProperty peerInferredProperty() {
        return peerInferred.getReadOnlyProperty();
    }

    /** The second diagram's path: the scenario's server, or the chosen connection's peer (inferred). */
    public ObservableList<TcpState> peerPath() {
        return peerPathView;
    }

    /**
     * Whether our stack's TCP segments to the live network (a real peer, or the simulated LAN) are held until
     * {@link #releaseLive()}: step mode against a peer we cannot stop, whose own timers keep running.
     */
    public BooleanProperty holdLiveProperty() {
        return holdLive;
    }

    /** The oldest of our segments held, as "ours → 10.0.0.1:80  SYN  Seq=… (2 held)", or null. */
    public ReadOnlyStringProperty liveHeldTextProperty() {
        return liveHeldText.getReadOnlyProperty();
    }

    public ReadOnlyIntegerProperty liveHeldCountProperty() {
        return liveHeldCount.getReadOnlyProperty();
    }

    // ---------------------------------------------------------------- commands

    /** Sends the oldest of our held segments to the live network. */
    public void releaseLive() {
        if (holdingRunner == null) {
            message.set("Hold our segments first: nothing of ours is held");
            return;
        }
        message.set(null);
        StackRunner runner = holdingRunner;
        runner.releaseHeldSegment().whenComplete((released, failure) -> refreshHeld(runner, false));
    }

    private void holdLiveChanged(boolean on) {
        if (on) {
            StackRunner runner = live.runner();
            if (runner == null) {
                message.set(live.unavailableReason());
                holdLive.set(false);
                return;
            }
            message.set(null);
            // One thing steps at a time: a scenario on its own wire, or our segments to the live network.
            dropScenario();
            holdingRunner = runner;
            stepMode.set(true);
            canRun.set(true);
            canBack.set(false);
            stepText.set("Live: our segments wait here; Step sends the oldest, Run sends them as they come");
            runner.holdTcpSegments(true).whenComplete((done, failure) -> refreshHeld(runner, true));
            note.set("Our TCP segments to the network wait here until Release: the peer is not held, its own timers"
                    + " keep running (it may retransmit, or give up).");
            return;
        }
        StackRunner runner = holdingRunner;
        holdingRunner = null;
        pause();
        liveHeldText.set(null);
        liveHeldCount.set(0);
        if (runner != null && status.get() == null) {
            canStep.set(false);
            canRun.set(false);
            stepText.set(null);
        }
        if (runner != null) {
            runner.holdTcpSegments(false); // sends what is held, in order
            note.set(null);
        }
    }

    /** Reads what the runner holds (off the FX thread) and shows it; with {@code again}, again in a moment while the hold lasts. */
    private void refreshHeld(StackRunner runner, boolean again) {
        runner.heldSegments().whenComplete((frames, failure) -> inbox.offer(() -> {
            if (holdingRunner != runner) {
                return;
            }
            if (failure != null) {
                holdLive.set(false);
                message.set("Holding our segments stopped: " + failure.getMessage());
                return;
            }
            liveHeldCount.set(frames.size());
            canStep.set(!frames.isEmpty());
            stepText.set("Live: " + (frames.isEmpty() ? "none" : frames.size()) + " of our segments held"
                    + (running.get() ? "  ·  running: each sent as it comes" : ""));
            liveHeldText.set(frames.isEmpty() ? null : describeOurs(frames.get(0))
                    + (frames.size() > 1 ? "   (" + frames.size() + " held)" : ""));
            if (again) {
                // One chain of these while the hold lasts (a release reads once, without starting another).
                worker.schedule(() -> refreshHeld(runner, true), LIVE_REFRESH_MILLIS, TimeUnit.MILLISECONDS);
            }
        }));
    }

    private static String describeOurs(byte[] frame) {
        return WireSegment.parse(frame).map(segment -> "ours → " + segment.destination() + ":" + segment.destinationPort()
                + "   " + segment.flagNames() + "  Seq=" + segment.sequence()
                + (segment.flags().ack() ? " Ack=" + segment.acknowledgment() : "") + " Win=" + segment.window()
                + " Len=" + segment.length()).orElse(frame.length + "-byte frame");
    }

    /** Starts the chosen scenario from the seed in the field, nothing delivered yet. */
    public void runScenario() {
        TcpScenario chosen = scenario.get();
        if (chosen == null) {
            message.set("Scenario: choose one in the list");
            return;
        }
        long seedValue;
        String text = seed.get() == null ? "" : seed.get().strip();
        try {
            seedValue = Long.parseLong(text);
        } catch (NumberFormatException e) {
            message.set("Seed: \"" + text + "\" is not a whole number; use one such as " + chosen.defaultSeed());
            return;
        }
        message.set(null);
        holdLive.set(false);
        stepMode.set(true);
        pause();
        scenarioCapture.forget();
        int mine = generation.incrementAndGet();
        LabSession session = context.session().get();
        stepText.set("Starting " + chosen.title() + "…");
        worker.execute(() -> {
            try {
                TcpStepLab made = TcpStepLab.start(chosen, seedValue);
                boolean[] shown = {true};
                made.setCapture(frame -> {
                    scenarioCapture.published(frame);
                    shown[0] &= session != null && session.showInCapture(frame);
                });
                // Going back takes the undone steps' frames out of the capture panes again (and the ladder with them).
                made.setTakeBack(frames -> inbox.offer(() -> {
                    if (!scenarioCapture.takeBack(frames)) {
                        note.set(scenarioCapture.problem());
                    }
                }));
                lab = made;
                Status first = made.status();
                inbox.offer(() -> {
                    if (generation.get() == mine) {
                        note.set(session == null
                                ? "No network is running, so the capture panes cannot show the scenario's frames: start one to see them there."
                                : null);
                        show(first);
                    }
                });
            } catch (RuntimeException e) {
                String problem = "Scenario " + chosen.title() + " (seed " + seedValue + ") could not run: " + e.getMessage();
                inbox.offer(() -> message.set(problem));
            }
        });
    }

    /** Delivers the held frame. */
    public void step() {
        if (holdingRunner != null) {
            pause();
            releaseLive();
            return;
        }
        if (noScenario("step")) {
            return;
        }
        pause();
        command(TcpStepLab::step);
    }

    /** Goes back one step (the scenario replayed from its seed to the step before). */
    public void back() {
        if (holdingRunner != null) {
            message.set("Against the live network there is no going back: the peer has what we sent");
            return;
        }
        if (noScenario("go back")) {
            return;
        }
        pause();
        command(TcpStepLab::back);
    }

    /** Back to the start of the scenario. */
    public void restart() {
        if (noScenario("restart")) {
            return;
        }
        pause();
        command(TcpStepLab::restart);
    }

    /** Steps on its own at the speed chosen, until the end or Pause. */
    public void run() {
        if (running.get()) {
            return;
        }
        if (holdingRunner != null) {
            message.set(null);
            running.set(true);
            runRequested = true;
            scheduleLiveRelease(holdingRunner);
            return;
        }
        if (noScenario("run")) {
            return;
        }
        running.set(true);
        runRequested = true;
        scheduleRunStep(generation.get());
    }

    /** Run against the live network: the oldest of our held segments is sent at the speed chosen, until Pause. */
    private void scheduleLiveRelease(StackRunner runner) {
        long delay = Math.round(1000 / Math.max(MIN_SPEED, Math.min(MAX_SPEED, speed.get())));
        worker.schedule(() -> inbox.offer(() -> {
            if (!runRequested || holdingRunner != runner) {
                return;
            }
            runner.releaseHeldSegment().whenComplete((released, failure) -> refreshHeld(runner, false));
            scheduleLiveRelease(runner);
        }), delay, TimeUnit.MILLISECONDS);
    }

    public void pause() {
        runRequested = false;
        running.set(false);
    }

    private void scheduleRunStep(int mine) {
        long delay = Math.round(1000 / Math.max(MIN_SPEED, Math.min(MAX_SPEED, speed.get())));
        worker.schedule(() -> {
            if (!runRequested || generation.get() != mine || lab == null) {
                return;
            }
            boolean more = lab.step().isPresent() && lab.held().isPresent();
            Status now = lab.status();
            inbox.offer(() -> {
                if (generation.get() != mine) {
                    return;
                }
                show(now);
                if (!more) {
                    pause();
                } else if (runRequested) {
                    scheduleRunStep(mine);
                }
            });
        }, delay, TimeUnit.MILLISECONDS);
    }

    private boolean noScenario(String what) {
        if (status.get() == null) {
            message.set("Choose a scenario and press Run scenario first: there is nothing to " + what + " yet");
            return true;
        }
        message.set(null);
        return false;
    }

    private interface LabCall {
        void apply(TcpStepLab lab);
    }

    private void command(LabCall call) {
        int mine = generation.get();
        worker.execute(() -> {
            if (lab == null) {
                return;
            }
            try {
                call.apply(lab);
                Status now = lab.status();
                inbox.offer(() -> {
                    if (generation.get() == mine) {
                        show(now);
                    }
                });
            } catch (RuntimeException e) {
                String problem = "Step mode: " + e.getMessage();
                inbox.offer(() -> message.set(problem));
            }
        });
    }

    // ---------------------------------------------------------------- showing a status (FX thread)

    private void show(Status now) {
        status.set(now);
        canStep.set(!now.finished());
        canRun.set(!now.finished());
        canBack.set(now.step() > 0);
        stepText.set(now.step() == 0
                ? "Step 0 of " + now.totalSteps() + ": nothing delivered yet"
                : "Step " + now.step() + " of " + now.totalSteps() + "  ·  t = " + millis(now.timeNanos()));
        Step next = now.next();
        if (next == null) {
            heldText.set("Nothing held: the scenario is over");
            predictionText.set(null);
        } else if (next.frame() == null) {
            heldText.set("No frame left on the wire: the next step lets the timers run out");
            predictionText.set(next.prediction());
        } else {
            heldText.set("Held on the wire:  " + held(next.frame()));
            predictionText.set(next.prediction());
        }
        lastText.set(now.last() == null ? null : describeLast(now.last()));
        // Told on every step, the same end twice included: the user may have looked at the other one in between.
        lastChangedEnd.set(null);
        lastChangedEnd.set(changedEnd(now.last()));
        End client = now.client();
        End server = now.server();
        // Short titles, so that both fit one line over their half: the list's row has the addresses and ports.
        ourTitle.set("client  ·  " + client.state().rfcName());
        peerTitle.set("server  ·  " + server.state().rfcName());
        peerInferred.set(false);
        // Paths first, captions after: the diagrams place each cause by the arrow just taken.
        if (!peerPath.equals(server.path())) {
            if (server.path().size() == peerPath.size() + 1 && server.path().subList(0, peerPath.size()).equals(peerPath)) {
                peerPath.add(server.path().get(server.path().size() - 1));
            } else {
                peerPath.setAll(server.path());
            }
        }
        scenarioRow = pane.showScenarioConnection(scenarioRow, client.endpoints(), client.path(), client.snapshot());
        ourCaption.set(caption(client));
        peerCaption.set(caption(server));
    }

    /** The end a step changed: the frame's receiver if it changed state, else the one that did, else null. */
    static EndSide changedEnd(Step step) {
        if (step == null || step.transitions().isEmpty()) {
            return null;
        }
        String side = step.transitions().get(0).side();
        for (Transition transition : step.transitions()) {
            if (step.frame() != null && transition.side().equals(step.frame().to())) {
                side = transition.side();
            }
        }
        return TcpStepLab.SERVER.equals(side) ? EndSide.PEER : EndSide.OURS;
    }

    /** "client → server  SYN  Seq=0 Win=65535 Len=0  (SEQ 2045362117, ACK 0)  sent at 0.0 ms". */
    static String held(Frame frame) {
        StringBuilder text = new StringBuilder(frame.from()).append(" → ").append(frame.to()).append("   ")
                .append(frame.summary());
        if (frame.segment() != null) {
            text.append("   (absolute SEQ ").append(frame.segment().sequence());
            if (frame.segment().flags().ack()) {
                text.append(", ACK ").append(frame.segment().acknowledgment());
            }
            text.append(")");
        }
        if (frame.origin() != null) {
            text.append("   ").append(frame.origin());
        }
        return text.toString();
    }

    private static String describeLast(Step step) {
        StringBuilder text = new StringBuilder("Step ").append(step.number()).append(": ");
        for (Frame lost : step.lost()) {
            text.append("the wire lost ").append(lost.from()).append("'s ").append(lost.summary()).append("; ");
        }
        if (step.frame() != null) {
            text.append("delivered ").append(step.frame().from()).append(" → ").append(step.frame().to()).append(" ")
                    .append(step.frame().summary().replace("  ", " "));
        } else {
            text.append("no frame, timers ran");
        }
        for (Transition transition : step.transitions()) {
            text.append("; ").append(transition.side()).append(" ").append(transition.from().rfcName()).append(" → ")
                    .append(transition.to().rfcName());
        }
        return text.toString();
    }

    private static String caption(End end) {
        Transition last = end.lastChange();
        if (last == null) {
            return end.state() == TcpState.LISTEN ? "listening (passive OPEN)" : null;
        }
        return last.from().rfcName() + " → " + last.to().rfcName() + "  on " + last.cause() + " at " + millis(last.atNanos());
    }

    private static String millis(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f ms", nanos / 1e6);
    }

    // ---------------------------------------------------------------- live: the peer inferred

    private void leaveStepMode() {
        holdLive.set(false);
        dropScenario();
        note.set(null);
        message.set(null);
    }

    /** Ends the scenario shown, if any (its frames stay in the capture): its row goes from the list. */
    private void dropScenario() {
        pause();
        generation.incrementAndGet();
        worker.execute(() -> lab = null);
        scenarioCapture.forget();
        boolean hadOne = status.get() != null;
        status.set(null);
        canStep.set(false);
        canRun.set(false);
        canBack.set(false);
        stepText.set(null);
        heldText.set(null);
        predictionText.set(null);
        lastText.set(null);
        lastChangedEnd.set(null);
        pane.forgetScenarioConnection(scenarioRow);
        scenarioRow = null;
        if (hadOne) {
            showPeerOfSelected();
        }
    }

    /** Our stack is about to connect to {@code address}: follow its stack, if it is one of the session's. */
    void aboutToConnect(dev.stacklab.wire.Ipv4Address address) {
        watchPeerOf(context.session().get(), address);
    }

    /** Follows the session's stack at {@code address} (the suggested peer when null), if it is one of ours. */
    private void watchPeerOf(LabSession session, dev.stacklab.wire.Ipv4Address address) {
        if (session == null) {
            peerStack.watch(null);
            return;
        }
        java.util.Optional<dev.stacklab.wire.Ipv4Address> peer = address != null ? java.util.Optional.of(address) : session.suggestedPeer();
        StackRunner runner = peer.flatMap(session::peerStack).orElse(null);
        if (runner != null || address == null) {
            peerStack.watch(runner);
        }
    }

    private void showPeerOfSelected() {
        if (stepMode.get() && status.get() != null) {
            return;
        }
        TcpViewModel.Connection selected = pane.selectedProperty().get();
        if (selected != null) {
            watchPeerOf(context.session().get(), selected.endpoints().remoteAddress());
        }
        peerInferred.set(true);
        if (selected == null) {
            ourTitle.set("ours");
            ourCaption.set(null);
            peerTitle.set("peer  (inferred)");
            peerCaption.set(null);
            peerPath.clear();
            return;
        }
        inferPeer();
    }

    private void inferPeer() {
        if (stepMode.get() && status.get() != null) {
            return;
        }
        TcpViewModel.Connection selected = pane.selectedProperty().get();
        if (selected == null) {
            return;
        }
        List<TcpState> ours = List.copyOf(selected.states());
        PeerStackStates.Path real = peerStack.pathFacing(selected.endpoints());
        if (real != null) {
            // The peer is a stacklab stack of this session: its own states, not a guess.
            List<TcpState> states = real.states();
            peerInferred.set(false);
            peerPath.setAll(states);
            ourTitle.set("ours" + (ours.isEmpty() ? "" : "  ·  " + ours.get(ours.size() - 1).rfcName()));
            peerTitle.set("peer  ·  " + states.get(states.size() - 1).rfcName() + "  (its own stack)");
            peerCaption.set(states.size() < 2 ? null : states.get(states.size() - 2).rfcName() + " → "
                    + states.get(states.size() - 1).rfcName() + "  on " + real.lastCause());
            ourCaption.set(ours.size() < 2 ? null : ours.get(ours.size() - 2).rfcName() + " → " + ours.get(ours.size() - 1).rfcName());
            return;
        }
        peerInferred.set(true);
        List<TcpState> peer = PeerStateInference.infer(ours);
        peerPath.setAll(peer);
        ourTitle.set("ours" + (ours.isEmpty() ? "" : "  ·  " + ours.get(ours.size() - 1).rfcName()));
        peerTitle.set("peer" + (peer.isEmpty() ? "" : "  ·  " + peer.get(peer.size() - 1).rfcName()) + "  (inferred)");
        ourCaption.set(ours.size() < 2 ? ours.isEmpty() ? null : ours.get(0).rfcName()
                : ours.get(ours.size() - 2).rfcName() + " → " + ours.get(ours.size() - 1).rfcName());
        peerCaption.set(peer.isEmpty() ? null : "inferred: " + peer.get(peer.size() - 1).rfcName()
                + " (its own timers and lost segments can make it differ)");
    }
}
