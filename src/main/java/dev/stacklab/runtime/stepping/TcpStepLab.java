package dev.stacklab.runtime.stepping;

import dev.stacklab.capture.CapturedFrame;
import dev.stacklab.link.LinkEvent;
import dev.stacklab.runtime.SimFrame;
import dev.stacklab.runtime.SimHost;
import dev.stacklab.runtime.Simulation;
import dev.stacklab.runtime.SimulationObserver;
import dev.stacklab.stack.StackConfig;
import dev.stacklab.stack.tcp.TcpCause;
import dev.stacklab.stack.tcp.TcpConfig;
import dev.stacklab.stack.tcp.TcpConnection;
import dev.stacklab.stack.tcp.TcpEndpoints;
import dev.stacklab.stack.tcp.TcpEvent;
import dev.stacklab.stack.tcp.TcpLayer;
import dev.stacklab.stack.tcp.TcpListener;
import dev.stacklab.stack.tcp.TcpSnapshot;
import dev.stacklab.stack.tcp.TcpState;
import dev.stacklab.stack.tcp.TcpTimer;
import dev.stacklab.wire.Ipv4Cidr;
import dev.stacklab.wire.MacAddress;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One {@link TcpScenario} played from a seed on two stacklab stacks, a client and a server, in virtual time, with
 * every frame held on the wire until {@link #step()} delivers it. Going {@link #back()} replays the scenario from
 * its seed to the step before: the engine is deterministic, so the replay is the same run (tested).
 *
 * <p>What a step shows before it is taken comes from a second run of the same seed played to the end when the lab
 * is made (the <em>trace</em>): the frame held next, and what it will make its receiver do. The trace and the live
 * run are the same run, which {@link #step()} checks frame by frame.
 *
 * <p>The wire: 2.5 ms per hop (5 ms each way, a 10 ms round trip) at 10 Mbit/s, ARP resolved before the
 * scenario starts, so that every step is a TCP segment. Not thread-safe: use a lab from one thread.
 */
public final class TcpStepLab {
    public static final Ipv4Cidr CLIENT_ADDRESS = Ipv4Cidr.parse("10.0.0.2/24");
    public static final Ipv4Cidr SERVER_ADDRESS = Ipv4Cidr.parse("10.0.0.1/24");
    static final MacAddress CLIENT_MAC = MacAddress.parse("02:00:00:00:00:02");
    static final MacAddress SERVER_MAC = MacAddress.parse("02:00:00:00:00:01");
    static final long HOP_NANOS = 2_500_000;
    /** 10 Mbit/s: a full frame takes 1.2 ms to send, so that segments sent together arrive one after another. */
    static final long BITS_PER_SECOND = 10_000_000;
    /** A scenario is a dozen or two frames; a run that goes on past this is cut there. */
    static final int MAX_STEPS = 400;
    /** Long enough that no ARP refresh interrupts a scenario, TIME-WAIT's minute included. */
    private static final long NEIGHBOR_REACHABLE_NANOS = Duration.ofHours(2).toNanos();

    public static final String CLIENT = "client";
    public static final String SERVER = "server";

    /** A state change of one end, and why ("rcv SYN, ACK Seq=0 Ack=1", "close", "RETRANSMISSION timer"). */
    public record Transition(String side, TcpState from, TcpState to, String cause, long atNanos) {
        @Override
        public String toString() {
            return side + ": " + from.rfcName() + " → " + to.rfcName() + " (" + cause + ")";
        }
    }

    /**
     * One frame on the scenario's wire.
     *
     * @param from            "client" or "server"
     * @param segment         its TCP fields, or null for a frame without TCP (none in the scenarios as they are)
     * @param relativeSequence SEQ minus the sender's ISN (Wireshark's relative numbers), or -1 before it is known
     * @param relativeAcknowledgment ACK minus the receiver's ISN, or -1 when the ACK flag is off or it is not known
     * @param origin          why it was sent when that is worth saying ("retransmission: timeout"), or null
     * @param bytes           the frame (shared, never modify)
     */
    public record Frame(String from, String to, WireSegment segment, long relativeSequence, long relativeAcknowledgment,
                        String origin, long sentAtNanos, long deliveredAtNanos, byte[] bytes) {
        /** "SYN, ACK  Seq=0 Ack=1 Win=65535 Len=0" with relative numbers. */
        public String summary() {
            if (segment == null) {
                return bytes.length + "-byte frame (not TCP)";
            }
            StringBuilder text = new StringBuilder(segment.flagNames());
            text.append("  Seq=").append(relativeSequence >= 0 ? relativeSequence : segment.sequence());
            if (segment.flags().ack()) {
                text.append(" Ack=").append(relativeAcknowledgment >= 0 ? relativeAcknowledgment : segment.acknowledgment());
            }
            text.append(" Win=").append(segment.window()).append(" Len=").append(segment.length());
            return text.toString();
        }

        /** Whether the wire lost it (it is never delivered). */
        public boolean lost() {
            return deliveredAtNanos < 0;
        }
    }

    /**
     * One step: the frame it delivered (null for the last step of a run, which only lets the timers left run out,
     * TIME-WAIT's 2·MSL say), the frames the wire lost on the way, the state changes, and, in the trace, what the
     * delivery makes its receiver do.
     */
    public record Step(int number, Frame frame, List<Frame> lost, List<Transition> transitions, long timeNanos,
                       String prediction) {
        public Step {
            lost = List.copyOf(lost);
            transitions = List.copyOf(transitions);
        }

        Step withPrediction(String text) {
            return new Step(number, frame, lost, transitions, timeNanos, text);
        }
    }

    /** One end as it stands: the states it went through (its first one included), its TCB, and its last change. */
    public record End(String name, TcpEndpoints endpoints, List<TcpState> path, Transition lastChange, TcpSnapshot snapshot) {
        public End {
            path = List.copyOf(path);
        }

        public TcpState state() {
            return path.get(path.size() - 1);
        }
    }

    /** Where the lab stands after a command: what the pane shows. Immutable. */
    public record Status(TcpScenario scenario, long seed, int step, int totalSteps, long timeNanos, Step last,
                         Step next, End client, End server) {
        public boolean finished() {
            return next == null;
        }
    }

    private final TcpScenario scenario;
    private final long seed;
    private final List<Step> trace;
    private final long epochStartNanos;
    private Consumer<CapturedFrame> capture = frame -> { };
    private Consumer<List<CapturedFrame>> takeBack = frames -> { };
    /** The frames each step taken handed to the capture, step 1 first: what going back takes out of it. */
    private final List<List<CapturedFrame>> capturedSteps = new ArrayList<>();
    private Run live;

    private TcpStepLab(TcpScenario scenario, long seed) {
        this.scenario = Objects.requireNonNull(scenario, "scenario");
        this.seed = seed;
        Instant start = Instant.now();
        this.epochStartNanos = start.getEpochSecond() * 1_000_000_000L + start.getNano();
        this.trace = playToTheEnd();
        this.live = new Run(scenario, seed);
    }

    /** Sets the scenario up from {@code seed} (its script started, nothing delivered yet) and plays its trace. */
    public static TcpStepLab start(TcpScenario scenario, long seed) {
        return new TcpStepLab(scenario, seed);
    }

    /**
     * Where each captured frame goes: every frame a step delivers, and every frame the wire loses (with a note), as
     * the client's interface would see it (OUT from the client, IN to it), stamped with the wall time of the start
     * plus the virtual time. Called on the thread that steps.
     */
    public void setCapture(Consumer<CapturedFrame> capture) {
        this.capture = Objects.requireNonNull(capture, "capture");
    }

    /**
     * Where the frames of the steps undone by {@link #back()} or {@link #restart()} go, the very objects the capture
     * was handed, so that it can take them out again: a step taken again is then captured again, and the capture holds
     * exactly the steps taken. Called on the thread that steps.
     */
    public void setTakeBack(Consumer<List<CapturedFrame>> takeBack) {
        this.takeBack = Objects.requireNonNull(takeBack, "takeBack");
    }

    public TcpScenario scenario() {
        return scenario;
    }

    public long seed() {
        return seed;
    }

    /** Every step of the run, with predictions: what the scenario does from start to end. */
    public List<Step> trace() {
        return trace;
    }

    /** Steps taken so far. */
    public int stepCount() {
        return live.steps.size();
    }

    /** The step {@link #step()} takes next (its frame is the one held on the wire), or empty at the end. */
    public Optional<Step> held() {
        int next = live.steps.size();
        return next < trace.size() ? Optional.of(trace.get(next)) : Optional.empty();
    }

    /** Delivers the held frame (timers falling due before it fire first); empty when the scenario is over. */
    public Optional<Step> step() {
        if (live.steps.size() >= trace.size()) {
            return Optional.empty();
        }
        Step taken = live.next();
        Step expected = trace.get(taken.number() - 1);
        if (!sameStep(taken, expected)) {
            throw new IllegalStateException("step " + taken.number() + " of " + scenario + " (seed " + seed
                    + ") differs from its trace: " + describe(taken) + " instead of " + describe(expected));
        }
        List<CapturedFrame> frames = new ArrayList<>();
        taken.lost().forEach(frame -> frames.add(captured(frame)));
        if (taken.frame() != null) {
            frames.add(captured(taken.frame()));
        }
        capturedSteps.add(frames);
        frames.forEach(capture);
        return Optional.of(expected);
    }

    /** Goes back one step by replaying the scenario from its seed to the step before; false at the start. */
    public boolean back() {
        int target = live.steps.size() - 1;
        if (target < 0) {
            return false;
        }
        Run replay = new Run(scenario, seed);
        while (replay.steps.size() < target) {
            replay.next();
        }
        live = replay;
        takeBackStepsAfter(target);
        return true;
    }

    private void takeBackStepsAfter(int kept) {
        List<CapturedFrame> undone = new ArrayList<>();
        while (capturedSteps.size() > kept) {
            undone.addAll(capturedSteps.remove(capturedSteps.size() - 1));
        }
        if (!undone.isEmpty()) {
            takeBack.accept(List.copyOf(undone));
        }
    }

    /** Back to the start of the scenario (step 0), replayed from its seed. */
    public void restart() {
        live = new Run(scenario, seed);
        takeBackStepsAfter(0);
    }

    public Status status() {
        int count = live.steps.size();
        Step last = count == 0 ? null : trace.get(count - 1);
        Step next = count < trace.size() ? trace.get(count) : null;
        return new Status(scenario, seed, count, trace.size(), live.sim.now() - live.startNanos, last, next,
                live.end(CLIENT), live.end(SERVER));
    }

    // ---------------------------------------------------------------- the trace

    private List<Step> playToTheEnd() {
        Run run = new Run(scenario, seed);
        while (run.steps.size() < MAX_STEPS && run.next() != null) {
            // next() records the step
        }
        List<Step> steps = new ArrayList<>(run.steps.size());
        for (Step step : run.steps) {
            steps.add(step.withPrediction(run.predict(step)));
        }
        return List.copyOf(steps);
    }

    private static boolean sameStep(Step a, Step b) {
        return a.number() == b.number() && a.timeNanos() == b.timeNanos() && a.transitions().equals(b.transitions())
                && (a.frame() == null ? b.frame() == null
                    : b.frame() != null && java.util.Arrays.equals(a.frame().bytes(), b.frame().bytes())
                      && a.frame().deliveredAtNanos() == b.frame().deliveredAtNanos());
    }

    private static String describe(Step step) {
        return step.frame() == null ? "no frame" : step.frame().from() + " " + step.frame().summary();
    }

    private CapturedFrame captured(Frame frame) {
        long at = frame.lost() ? frame.sentAtNanos() : frame.deliveredAtNanos();
        CapturedFrame.Direction direction = CLIENT.equals(frame.from()) ? CapturedFrame.Direction.OUT : CapturedFrame.Direction.IN;
        String note = frame.lost() ? "dropped: lost on the scenario's wire (" + scenario.title() + ")" : null;
        return new CapturedFrame(epochStartNanos + at, direction, frame.bytes(), frame.bytes().length, note);
    }

    static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }

    // ---------------------------------------------------------------- one run

    /** What a scenario's script may do: open, send, read, close, and choose a segment for the wire to lose. */
    final class Stage {
        private final Run run;

        Stage(Run run) {
            this.run = run;
        }

        void listen() {
            run.listener = run.serverTcp.listen(TcpScenario.SERVER_PORT, 4);
            run.serverPath.set(0, TcpState.LISTEN);
        }

        TcpConnection connect(int port) {
            run.clientConnection = run.clientTcp.connect(SERVER_ADDRESS.address(), port, 0, run.sim.now());
            return run.clientConnection;
        }

        void openBothWays() {
            run.clientConnection = run.clientTcp.connect(SERVER_ADDRESS.address(), 5001, 5000, run.sim.now());
            run.serverConnection = run.serverTcp.connect(CLIENT_ADDRESS.address(), 5000, 5001, run.sim.now());
        }

        TcpConnection serverConnection() {
            if (run.serverConnection == null && run.listener != null) {
                run.serverConnection = run.listener.accept();
            }
            if (run.serverConnection == null) {
                throw new IllegalStateException(scenario + ": the server has no connection at "
                        + millis(run.sim.now() - run.startNanos));
            }
            return run.serverConnection;
        }

        void serverReadsAll() {
            byte[] buffer = new byte[64 * 1024];
            TcpConnection server = serverConnection();
            while (server.receive(buffer, 0, buffer.length) > 0) {
                // The application takes everything there is: the window opens again.
            }
        }

        void send(TcpConnection connection, String text) {
            send(connection, text.getBytes(StandardCharsets.US_ASCII));
        }

        void send(TcpConnection connection, byte[] data) {
            int sent = connection.send(data, 0, data.length);
            if (sent != data.length) {
                throw new IllegalStateException(scenario + ": the send buffer took " + sent + " of " + data.length + " bytes");
            }
        }

        void at(long millis, Runnable action) {
            run.sim.schedule(run.startNanos + millis * 1_000_000L, action);
        }

        /** The wire loses the client's first segment that carries data, and only that one. */
        void loseFirstDataFromClient() {
            boolean[] done = new boolean[1];
            run.client.loseSending(frame -> {
                if (done[0]) {
                    return false;
                }
                done[0] = WireSegment.parse(frame).map(segment -> segment.length() > 0).orElse(false);
                return done[0];
            });
        }
    }

    /** One play of the scenario from its seed, stepped frame by frame. */
    private final class Run implements SimulationObserver {
        final Simulation sim;
        final SimHost client;
        final SimHost server;
        final TcpLayer clientTcp;
        final TcpLayer serverTcp;
        final long startNanos;
        final List<Step> steps = new ArrayList<>();
        final List<TcpState> clientPath = new ArrayList<>(List.of(TcpState.CLOSED));
        final List<TcpState> serverPath = new ArrayList<>(List.of(TcpState.CLOSED));
        Transition clientLast;
        Transition serverLast;
        TcpSnapshot clientSnapshot;
        TcpSnapshot serverSnapshot;
        TcpListener listener;
        TcpConnection clientConnection;
        TcpConnection serverConnection;
        /** The connection each end's diagram follows: the first it had. */
        long clientConnectionId = -1;
        long serverConnectionId = -1;
        Long clientIsn;
        Long serverIsn;
        /** Every frame sent, lost or not: what a receiver answered, for the predictions. */
        final List<Frame> sent = new ArrayList<>();
        /** Retransmissions: host name and virtual time, to tell a retransmitted frame from a new one. */
        final List<Object[]> retransmissions = new ArrayList<>();
        final List<Transition> pendingTransitions = new ArrayList<>();
        final List<Frame> pendingLost = new ArrayList<>();

        Run(TcpScenario scenario, long seed) {
            sim = new Simulation(seed);
            sim.setHopDelay(HOP_NANOS, BITS_PER_SECOND);
            server = sim.addHost(SERVER, StackConfig.of(SERVER_MAC, SERVER_ADDRESS, null)
                    .withNeighborReachable(NEIGHBOR_REACHABLE_NANOS));
            client = sim.addHost(CLIENT, StackConfig.of(CLIENT_MAC, CLIENT_ADDRESS, null)
                    .withNeighborReachable(NEIGHBOR_REACHABLE_NANOS));
            client.resolve(SERVER_ADDRESS.address());
            server.resolve(CLIENT_ADDRESS.address());
            // ARP answers in a round trip (10 ms); the cache entries then last past any scenario.
            sim.runFor(Duration.ofMillis(100));
            clientTcp = TcpLayer.install(client.stack(), TcpConfig.defaults());
            serverTcp = TcpLayer.install(server.stack(), scenario.serverConfig());
            clientTcp.addListener(event -> tcpEvent(CLIENT, event));
            serverTcp.addListener(event -> tcpEvent(SERVER, event));
            sim.addObserver(this);
            startNanos = sim.now();
            scenario.play(new Stage(this));
            // What the script did at once (the client's active open) belongs to the start, not to step 1.
            pendingTransitions.clear();
        }

        /** Takes one step; null (and nothing recorded) when nothing more happens. */
        Step next() {
            pendingTransitions.clear();
            pendingLost.clear();
            Optional<SimFrame> delivered = sim.step();
            if (delivered.isEmpty() && pendingTransitions.isEmpty() && pendingLost.isEmpty()) {
                return null;
            }
            Frame frame = delivered.map(this::frame).orElse(null);
            Step step = new Step(steps.size() + 1, frame, pendingLost, pendingTransitions, sim.now() - startNanos, null);
            steps.add(step);
            return step;
        }

        End end(String side) {
            boolean isClient = CLIENT.equals(side);
            TcpEndpoints ofClient = clientConnection.endpoints();
            TcpEndpoints endpoints = isClient ? ofClient : new TcpEndpoints(ofClient.remoteAddress(), ofClient.remotePort(),
                    ofClient.localAddress(), ofClient.localPort());
            return new End(side, endpoints, isClient ? clientPath : serverPath, isClient ? clientLast : serverLast,
                    isClient ? clientSnapshot : serverSnapshot);
        }

        // -------------------------------------------------------- observing

        private void tcpEvent(String side, TcpEvent event) {
            boolean isClient = CLIENT.equals(side);
            long followed = isClient ? clientConnectionId : serverConnectionId;
            if (followed == -1) {
                followed = event.connectionId();
                if (isClient) {
                    clientConnectionId = followed;
                } else {
                    serverConnectionId = followed;
                }
            }
            if (event.connectionId() != followed) {
                return;
            }
            if (event instanceof TcpEvent.StateChanged changed) {
                List<TcpState> path = isClient ? clientPath : serverPath;
                TcpState from = path.get(path.size() - 1);
                path.add(changed.to());
                Transition transition = new Transition(side, from, changed.to(), cause(changed), changed.timeNanos() - startNanos);
                if (isClient) {
                    clientLast = transition;
                } else {
                    serverLast = transition;
                }
                snapshot(isClient, changed.snapshot());
                pendingTransitions.add(transition);
            } else if (event instanceof TcpEvent.Retransmitted retransmitted) {
                retransmissions.add(new Object[] {side, retransmitted.timeNanos(), retransmitted.timer()});
                snapshot(isClient, retransmitted.snapshot());
            } else if (event instanceof TcpEvent.SnapshotTaken taken) {
                snapshot(isClient, taken.snapshot());
            }
        }

        private void snapshot(boolean isClient, TcpSnapshot snapshot) {
            if (isClient) {
                clientSnapshot = snapshot;
            } else {
                serverSnapshot = snapshot;
            }
        }

        private String cause(TcpEvent.StateChanged changed) {
            String text;
            if (changed.cause() instanceof TcpCause.Segment segment) {
                text = "rcv " + flagNames(segment.flags());
            } else if (changed.cause() instanceof TcpCause.Timer timer) {
                text = timerName(timer.timer()) + " timer";
            } else if (changed.cause() instanceof TcpCause.Application call) {
                text = call.call();
            } else if (changed.cause() instanceof TcpCause.IcmpError icmp) {
                text = "ICMP error " + icmp.type() + "/" + icmp.code();
            } else {
                text = String.valueOf(changed.cause());
            }
            return changed.closeReason() == null ? text : text + ": " + changed.closeReason().description();
        }

        @Override
        public void frameSent(long timeNanos, SimHost from, byte[] frame) {
            Optional<WireSegment> segment = WireSegment.parse(frame);
            segment.ifPresent(s -> {
                if (s.flags().syn()) {
                    if (from == client && clientIsn == null) {
                        clientIsn = s.sequence();
                    } else if (from == server && serverIsn == null) {
                        serverIsn = s.sequence();
                    }
                }
            });
            sent.add(describe(from, frame, timeNanos, -1));
        }

        @Override
        public void linkEvent(LinkEvent event) {
            if (event.kind() == LinkEvent.Kind.DROPPED && event.frame() != null) {
                SimHost from = CLIENT.equals(event.linkName()) ? client : server;
                pendingLost.add(describe(from, event.frame(), event.timestampNanos(), -1));
            }
        }

        private Frame frame(SimFrame delivered) {
            return describe(delivered.from(), delivered.frame(), delivered.sentAtNanos(), delivered.deliveredAtNanos());
        }

        private Frame describe(SimHost from, byte[] bytes, long sentAt, long deliveredAt) {
            boolean fromClient = from == client;
            WireSegment segment = WireSegment.parse(bytes).orElse(null);
            long relativeSeq = -1;
            long relativeAck = -1;
            if (segment != null) {
                Long ownIsn = fromClient ? clientIsn : serverIsn;
                Long peerIsn = fromClient ? serverIsn : clientIsn;
                relativeSeq = ownIsn == null ? -1 : (segment.sequence() - ownIsn) & 0xFFFF_FFFFL;
                relativeAck = peerIsn == null || !segment.flags().ack() ? -1 : (segment.acknowledgment() - peerIsn) & 0xFFFF_FFFFL;
            }
            String origin = origin(fromClient ? CLIENT : SERVER, sentAt);
            if (origin == null && segment != null) {
                Frame asSent = asSent(fromClient ? CLIENT : SERVER, bytes, sentAt - startNanos);
                if (asSent != null) {
                    origin = asSent.origin();
                } else if (isDuplicateAck(fromClient ? CLIENT : SERVER, segment)) {
                    origin = "duplicate ACK";
                }
            }
            return new Frame(fromClient ? CLIENT : SERVER, fromClient ? SERVER : CLIENT, segment, relativeSeq, relativeAck,
                    origin, sentAt - startNanos, deliveredAt < 0 ? -1 : deliveredAt - startNanos,
                    bytes);
        }

        /** The frame as {@link #frameSent} recorded it, or null when it was not sent yet. */
        private Frame asSent(String side, byte[] bytes, long sentAt) {
            for (int i = sent.size() - 1; i >= 0; i--) {
                Frame candidate = sent.get(i);
                if (candidate.sentAtNanos() == sentAt && candidate.from().equals(side)
                        && java.util.Arrays.equals(candidate.bytes(), bytes)) {
                    return candidate;
                }
            }
            return null;
        }

        /**
         * Whether {@code segment} acknowledges nothing new: no data, SYN or FIN, and the same ACK as the side's
         * segment before (RFC 5681 2's duplicate ACK, the window left aside).
         */
        private boolean isDuplicateAck(String side, WireSegment segment) {
            if (!segment.flags().ack() || segment.sequenceLength() > 0 || segment.flags().rst()) {
                return false;
            }
            for (int i = sent.size() - 1; i >= 0; i--) {
                Frame before = sent.get(i);
                if (before.from().equals(side) && before.segment() != null) {
                    return before.segment().flags().ack() && before.segment().acknowledgment() == segment.acknowledgment();
                }
            }
            return false;
        }

        /** Why a frame sent at {@code sentAt} was sent, when it was a retransmission or a probe. */
        private String origin(String side, long sentAt) {
            for (Object[] retransmission : retransmissions) {
                if (retransmission[0].equals(side) && (long) retransmission[1] == sentAt) {
                    if (retransmission[2] == TcpTimer.PERSIST) {
                        return "zero-window probe (persist timer)";
                    }
                    return answersADelivery(side, sentAt) ? "fast retransmission (after duplicate ACKs)"
                            : "retransmission (retransmission timeout)";
                }
            }
            return null;
        }

        private boolean answersADelivery(String side, long at) {
            for (Step step : steps) {
                if (step.frame() != null && step.frame().to().equals(side) && step.frame().deliveredAtNanos() + startNanos == at) {
                    return true;
                }
            }
            return false;
        }

        // -------------------------------------------------------- predictions

        /** What the step's frame makes its receiver do: its state change and what it sends at once. */
        String predict(Step step) {
            Frame frame = step.frame();
            if (frame == null) {
                StringBuilder text = new StringBuilder("No frame left on the wire: the timers run out");
                for (Transition transition : step.transitions()) {
                    text.append("; ").append(transition.side()).append(" ").append(transition.from().rfcName())
                            .append(" → ").append(transition.to().rfcName()).append(" at ")
                            .append(millis(transition.atNanos())).append(" (").append(transition.cause()).append(")");
                }
                return text.toString();
            }
            String receiver = frame.to();
            StringBuilder text = new StringBuilder(receiver);
            Transition change = null;
            for (Transition transition : step.transitions()) {
                if (transition.side().equals(receiver) && transition.atNanos() == frame.deliveredAtNanos()) {
                    change = transition;
                }
            }
            End now = end(receiver, step.number());
            text.append(change != null ? ": " + change.from().rfcName() + " → " + change.to().rfcName()
                    : " stays " + now.state().rfcName());
            List<String> answers = new ArrayList<>();
            for (Frame answer : sent) {
                if (answer.from().equals(receiver) && answer.sentAtNanos() == frame.deliveredAtNanos()) {
                    answers.add(answer.segment() == null ? "a frame" : answer.segment().flagNames()
                            + (answer.segment().length() > 0 ? " (" + answer.segment().length() + " bytes)" : ""));
                }
            }
            text.append(answers.isEmpty() ? ", sends nothing at once" : ", sends " + String.join(" and ", answers));
            return text.toString();
        }

        /** The receiver's state after step {@code number}, read from the recorded transitions. */
        private End end(String side, int number) {
            List<TcpState> path = new ArrayList<>(List.of(initialState(side)));
            for (Step step : steps.subList(0, number)) {
                for (Transition transition : step.transitions()) {
                    if (transition.side().equals(side)) {
                        path.add(transition.to());
                    }
                }
            }
            return new End(side, null, path, null, null);
        }

        private TcpState initialState(String side) {
            List<TcpState> path = CLIENT.equals(side) ? clientPath : serverPath;
            int changes = 0;
            for (Step step : steps) {
                for (Transition transition : step.transitions()) {
                    if (transition.side().equals(side)) {
                        changes++;
                    }
                }
            }
            // The path holds the first state, the changes made at the start (before step 1), then the steps' changes.
            return path.get(path.size() - 1 - changes);
        }
    }

    private static String flagNames(dev.stacklab.wire.TcpFlags flags) {
        String text = flags.toString();
        return text.substring(1, text.length() - 1);
    }

    private static String timerName(TcpTimer timer) {
        switch (timer) {
            case RETRANSMISSION:
                return "retransmission";
            case DELAYED_ACK:
                return "delayed-ACK";
            case PERSIST:
                return "persist";
            case KEEPALIVE:
                return "keep-alive";
            case TIME_WAIT:
                return "2·MSL";
            default:
                return "FIN-WAIT-2";
        }
    }
}
