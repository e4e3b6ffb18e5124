package dev.stacklab.app.tcp;

import dev.stacklab.app.AppContext;
import dev.stacklab.app.TestContext;
import dev.stacklab.app.capture.CaptureViewModel;
import dev.stacklab.app.tcp.ladder.LadderMark;
import dev.stacklab.app.TestInbox;
import dev.stacklab.app.TestLan;
import dev.stacklab.capture.CapturedFrame;
import dev.stacklab.runtime.stepping.TcpScenario;
import dev.stacklab.stack.tcp.TcpState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.stacklab.stack.tcp.TcpState.CLOSED;
import static dev.stacklab.stack.tcp.TcpState.CLOSE_WAIT;
import static dev.stacklab.stack.tcp.TcpState.CLOSING;
import static dev.stacklab.stack.tcp.TcpState.ESTABLISHED;
import static dev.stacklab.stack.tcp.TcpState.FIN_WAIT_1;
import static dev.stacklab.stack.tcp.TcpState.FIN_WAIT_2;
import static dev.stacklab.stack.tcp.TcpState.LAST_ACK;
import static dev.stacklab.stack.tcp.TcpState.LISTEN;
import static dev.stacklab.stack.tcp.TcpState.SYN_RECEIVED;
import static dev.stacklab.stack.tcp.TcpState.SYN_SENT;
import static dev.stacklab.stack.tcp.TcpState.TIME_WAIT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Step mode through the pane's view-model, every scenario stepped to its end: the states the client (the pane's
 * chosen connection) and the server (the second diagram) go through, and the frames the capture is handed.
 */
class TcpStepViewModelTest {
    /** What each scenario does: the client's path, the server's, and the frames delivered. */
    record Expected(List<TcpState> client, List<TcpState> server, int frames) {
    }

    private static final List<TcpState> OPENED = List.of(CLOSED, SYN_SENT, ESTABLISHED);
    private static final List<TcpState> ACCEPTED = List.of(LISTEN, SYN_RECEIVED, ESTABLISHED);
    private static final Map<TcpScenario, Expected> EXPECTED = new EnumMap<>(TcpScenario.class);

    static {
        EXPECTED.put(TcpScenario.HANDSHAKE, new Expected(OPENED, ACCEPTED, 3));
        EXPECTED.put(TcpScenario.SIMULTANEOUS_OPEN, new Expected(List.of(CLOSED, SYN_SENT, SYN_RECEIVED, ESTABLISHED),
                List.of(CLOSED, SYN_SENT, SYN_RECEIVED, ESTABLISHED), 4));
        EXPECTED.put(TcpScenario.LOST_SEGMENT, new Expected(OPENED, ACCEPTED, 7 + 1));
        EXPECTED.put(TcpScenario.FAST_RETRANSMIT, new Expected(OPENED, ACCEPTED, 13 + 1));
        EXPECTED.put(TcpScenario.ZERO_WINDOW, new Expected(OPENED, ACCEPTED, 18));
        EXPECTED.put(TcpScenario.CLOSE_FROM_CLIENT, new Expected(
                List.of(CLOSED, SYN_SENT, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, TIME_WAIT, CLOSED),
                List.of(LISTEN, SYN_RECEIVED, ESTABLISHED, CLOSE_WAIT, LAST_ACK, CLOSED), 7));
        EXPECTED.put(TcpScenario.CLOSE_FROM_SERVER, new Expected(
                List.of(CLOSED, SYN_SENT, ESTABLISHED, CLOSE_WAIT, LAST_ACK, CLOSED),
                List.of(LISTEN, SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, TIME_WAIT, CLOSED), 7));
        EXPECTED.put(TcpScenario.SIMULTANEOUS_CLOSE, new Expected(
                List.of(CLOSED, SYN_SENT, ESTABLISHED, FIN_WAIT_1, CLOSING, TIME_WAIT, CLOSED),
                List.of(LISTEN, SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, CLOSING, TIME_WAIT, CLOSED), 7));
        EXPECTED.put(TcpScenario.RESET, new Expected(List.of(CLOSED, SYN_SENT, ESTABLISHED, CLOSED),
                List.of(LISTEN, SYN_RECEIVED, ESTABLISHED, CLOSED), 4));
        EXPECTED.put(TcpScenario.SYN_TO_CLOSED_PORT, new Expected(List.of(CLOSED, SYN_SENT, CLOSED), List.of(CLOSED), 2));
    }

    private final TestLan lan = new TestLan();
    private final TestContext app = new TestContext(lan);
    private final TestInbox ui = new TestInbox();
    private final TcpViewModel pane = new TcpViewModel(app.context, ui.pump());
    private final TcpStepViewModel step = pane.stepMode();
    private final List<CapturedFrame> captured = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        lan.close();
    }

    private void start(TcpScenario scenario) {
        lan.addCaptureListener(frame -> {
            if (frame.timestampNanos() > 0 && isScenarios(frame)) {
                captured.add(frame);
            }
        });
        step.scenarioProperty().set(scenario);
        step.runScenario();
        ui.awaitUntil("the scenario started", () -> step.statusProperty().get() != null);
    }

    /** The scenario's frames come from the lab's MACs (02:00:00:00:00:0x); the test LAN's are 00:1b:21:... */
    private static boolean isScenarios(CapturedFrame frame) {
        return frame.bytes()[6] == 0x02 && frame.bytes()[7] == 0;
    }

    private void stepOnce() {
        int before = step.statusProperty().get().step();
        step.step();
        ui.awaitUntil("step " + (before + 1), () -> step.statusProperty().get().step() == before + 1);
    }

    @ParameterizedTest
    @EnumSource(TcpScenario.class)
    void everyScenarioStepsToItsEnd(TcpScenario scenario) {
        Expected expected = EXPECTED.get(scenario);
        start(scenario);
        assertThat(step.seedProperty().get()).isEqualTo(Long.toString(scenario.defaultSeed()));
        List<String> held = new ArrayList<>();
        while (step.canStepProperty().get()) {
            held.add(step.heldTextProperty().get());
            assertThat(step.predictionTextProperty().get()).isNotBlank();
            stepOnce();
        }
        TcpViewModel.Connection client = pane.selectedProperty().get();
        assertThat(client).as("the scenario's client is the chosen connection").isNotNull();
        assertThat(client.toString()).startsWith("scenario");
        assertThat(client.states()).containsExactlyElementsOf(expected.client());
        assertThat(step.peerPath()).containsExactlyElementsOf(expected.server());
        assertThat(step.peerInferredProperty().get()).isFalse();
        assertThat(captured).as("frames delivered, and lost, in the capture").hasSize(expected.frames());
        assertThat(held.get(0)).startsWith(scenario == TcpScenario.SIMULTANEOUS_OPEN
                ? "Held on the wire:  server → client   SYN" : "Held on the wire:  client → server   SYN");
        assertThat(step.heldTextProperty().get()).isEqualTo("Nothing held: the scenario is over");
        assertThat(step.stepTextProperty().get()).startsWith("Step " + held.size() + " of " + held.size());
    }

    @Test
    void theHandshakeHeldSegmentSaysWhatItWillDoAndBackReturnsToSynReceived() {
        start(TcpScenario.HANDSHAKE);
        assertThat(step.heldTextProperty().get()).startsWith("Held on the wire:  client → server   SYN  Seq=0").contains("absolute SEQ ");
        assertThat(step.predictionTextProperty().get()).isEqualTo("server: LISTEN → SYN-RECEIVED, sends SYN, ACK");
        assertThat(step.canBackProperty().get()).isFalse();
        stepOnce();
        stepOnce();
        stepOnce();
        assertThat(pane.selectedProperty().get().stateProperty().get()).isEqualTo(ESTABLISHED);
        assertThat(step.peerPath()).last().isEqualTo(ESTABLISHED);
        assertThat(step.peerCaptionProperty().get()).startsWith("SYN-RECEIVED → ESTABLISHED  on rcv ACK");
        step.back();
        ui.awaitUntil("back at step 2", () -> step.statusProperty().get().step() == 2);
        assertThat(step.peerPath()).containsExactly(LISTEN, SYN_RECEIVED);
        assertThat(pane.selectedProperty().get().stateProperty().get()).isEqualTo(ESTABLISHED);
        assertThat(step.heldTextProperty().get()).startsWith("Held on the wire:  client → server   ACK  Seq=1 Ack=1");
        stepOnce();
        assertThat(step.peerPath()).containsExactly(LISTEN, SYN_RECEIVED, ESTABLISHED);
        assertThat(captured).as("the step taken again is handed to the capture again").hasSize(4);
    }

    @Test
    void runStepsOnItsOwnToTheEndAndPauseStops() {
        step.speedProperty().set(TcpStepViewModel.MAX_SPEED);
        start(TcpScenario.CLOSE_FROM_CLIENT);
        step.run();
        assertThat(step.runningProperty().get()).isTrue();
        ui.awaitUntil("the end", () -> step.statusProperty().get().finished());
        assertThat(step.runningProperty().get()).isFalse();
        assertThat(pane.selectedProperty().get().stateProperty().get()).isEqualTo(CLOSED);

        step.restart();
        ui.awaitUntil("back at the start", () -> step.statusProperty().get().step() == 0);
        step.speedProperty().set(TcpStepViewModel.MIN_SPEED);
        step.run();
        step.pause();
        assertThat(step.runningProperty().get()).isFalse();
        ui.drain();
        assertThat(step.statusProperty().get().step()).as("paused before its first step").isZero();
    }

    @Test
    void badInputIsAMessage() {
        step.step();
        assertThat(step.messageProperty().get()).startsWith("Choose a scenario and press Run scenario first");
        step.seedProperty().set("twelve");
        step.runScenario();
        assertThat(step.messageProperty().get()).isEqualTo("Seed: \"twelve\" is not a whole number; use one such as 1");
        assertThat(step.statusProperty().get()).isNull();
        step.seedProperty().set("12");
        step.runScenario();
        ui.awaitUntil("the scenario started", () -> step.statusProperty().get() != null);
        assertThat(step.messageProperty().get()).isNull();
        assertThat(step.statusProperty().get().seed()).isEqualTo(12);
    }

    @Test
    void leavingStepModeRemovesTheScenariosRowAndThePeerIsInferredAgain() {
        start(TcpScenario.HANDSHAKE);
        stepOnce();
        assertThat(pane.connections()).hasSize(1);
        step.stepModeProperty().set(false);
        assertThat(pane.connections()).isEmpty();
        assertThat(step.peerInferredProperty().get()).isTrue();
        assertThat(step.peerPath()).isEmpty();
    }

    @Test
    void thePeerOfALiveConnectionIsInferredFromOurStates() {
        assertThat(PeerStateInference.infer(List.of(CLOSED, SYN_SENT, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, TIME_WAIT)))
                .containsExactly(LISTEN, SYN_RECEIVED, ESTABLISHED, CLOSE_WAIT, LAST_ACK);
        assertThat(PeerStateInference.infer(List.of(LISTEN, SYN_RECEIVED, ESTABLISHED, CLOSE_WAIT, LAST_ACK, CLOSED)))
                .containsExactly(CLOSED, SYN_SENT, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, TIME_WAIT);
        assertThat(PeerStateInference.infer(List.of(CLOSED, SYN_SENT, CLOSED))).containsExactly(LISTEN, CLOSED);
        assertThat(PeerStateInference.infer(List.of(CLOSED, SYN_SENT, ESTABLISHED, FIN_WAIT_1, CLOSING, TIME_WAIT)))
                .containsExactly(LISTEN, SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, CLOSING, TIME_WAIT);
    }

    @Test
    void againstTheLiveNetworkOurSegmentsWaitForReleaseWhileThePeerRuns() {
        step.holdLiveProperty().set(true);
        assertThat(step.stepModeProperty().get()).isTrue();
        assertThat(step.noteProperty().get()).contains("its own timers keep running");
        pane.hostProperty().set("10.0.0.1");
        pane.portProperty().set("7");
        pane.connect();
        ui.awaitUntil("our SYN held", () -> step.liveHeldCountProperty().get() == 1);
        assertThat(step.liveHeldTextProperty().get()).startsWith("ours → 10.0.0.1:7   SYN  Seq=");
        assertThat(pane.selectedProperty().get().stateProperty().get()).isEqualTo(SYN_SENT);

        step.releaseLive();
        // The peer answers the SYN at once; our ACK of its SYN-ACK is held in turn.
        ui.awaitUntil("ESTABLISHED, our ACK held", () -> pane.selectedProperty().get().stateProperty().get() == ESTABLISHED
                && step.liveHeldTextProperty().get() != null && step.liveHeldTextProperty().get().contains("   ACK  Seq="));

        step.holdLiveProperty().set(false);
        assertThat(step.liveHeldTextProperty().get()).isNull();
        ui.awaitUntil("the held ACK sent when the hold ends", () -> lan.stack().orElseThrow().heldSegments().join().isEmpty());
        pane.payloadProperty().set("after the hold");
        pane.send();
        ui.awaitUntil("the echo, nothing held any more",
                () -> pane.selectedProperty().get().receivedProperty().get().equals("after the hold"));
    }

    @Test
    void againstTheLiveNetworkStepSendsTheOldestHeldAndRunSendsThemAsTheyCome() {
        step.holdLiveProperty().set(true);
        assertThat(step.canRunProperty().get()).as("Run waits for our segments").isTrue();
        pane.hostProperty().set("10.0.0.1");
        pane.portProperty().set("7");
        pane.connect();
        ui.awaitUntil("our SYN held, Step enabled", () -> step.liveHeldCountProperty().get() == 1 && step.canStepProperty().get());
        assertThat(step.stepTextProperty().get()).isEqualTo("Live: 1 of our segments held");
        assertThat(step.canBackProperty().get()).isFalse();
        step.back();
        assertThat(step.messageProperty().get()).isEqualTo("Against the live network there is no going back: the peer has what we sent");

        step.step();
        ui.awaitUntil("ESTABLISHED, our ACK held", () -> pane.selectedProperty().get().stateProperty().get() == ESTABLISHED
                && step.liveHeldTextProperty().get() != null && step.liveHeldTextProperty().get().contains("   ACK  Seq="));

        step.speedProperty().set(TcpStepViewModel.MAX_SPEED);
        step.run();
        assertThat(step.runningProperty().get()).isTrue();
        pane.payloadProperty().set("sent by Run");
        pane.send();
        ui.awaitUntil("the echo of what Run sent", () -> pane.selectedProperty().get().receivedProperty().get().equals("sent by Run"));
        assertThat(lan.stack().orElseThrow().heldSegments().join()).as("still holding: Run sends what comes").isNotNull();
        step.pause();
        assertThat(step.runningProperty().get()).isFalse();
        pane.payloadProperty().set("paused");
        pane.send();
        ui.awaitUntil("our data held again once paused", () -> step.liveHeldTextProperty().get() != null
                && step.liveHeldTextProperty().get().contains("Len=6"));
        assertThat(pane.selectedProperty().get().receivedProperty().get()).isEqualTo("sent by Run");
        step.holdLiveProperty().set(false);
        ui.awaitUntil("the rest sent when the hold ends", () -> pane.selectedProperty().get().receivedProperty().get()
                .equals("sent by Runpaused"));
    }

    @Test
    void backTakesTheUndoneStepsFramesOutOfTheCaptureAndTheLadder() {
        // The app's capture panes behind the pane's ladder, fed the session's frames in the pane's own inbox order.
        CaptureViewModel capture = new CaptureViewModel(app.context, Runnable::run, 10_000, System::nanoTime);
        AppContext withCapture = new AppContext(app.context.session(), app.context.notifier(), app.context.frameSelector(), capture);
        TestInbox inbox = new TestInbox();
        lan.addCaptureListener(frame -> inbox.pump().offer(() -> capture.accept(List.of(frame))));
        TcpViewModel withLadder = new TcpViewModel(withCapture, inbox.pump());
        TcpStepViewModel stepping = withLadder.stepMode();
        stepping.runScenario();
        inbox.awaitUntil("the scenario started", () -> stepping.statusProperty().get() != null);
        long before = capture.capturedCountProperty().get();
        for (int i = 1; i <= 3; i++) {
            int number = i;
            stepping.step();
            inbox.awaitUntil("step " + number + " in the capture and the ladder", () -> stepping.statusProperty().get().step() == number
                    && capture.capturedCountProperty().get() == before + number && segments(withLadder) == number);
        }
        stepping.back();
        inbox.awaitUntil("back at step 2: two frames, two arrows", () -> stepping.statusProperty().get().step() == 2
                && capture.capturedCountProperty().get() == before + 2 && segments(withLadder) == 2);
        stepping.step();
        inbox.awaitUntil("step 3 again: the replayed frame once", () -> stepping.statusProperty().get().step() == 3
                && capture.capturedCountProperty().get() == before + 3 && segments(withLadder) == 3);
        // The analysis sees the frame taken again as new, not as a retransmission of the one taken out.
        assertThat(withLadder.ladder().summaryProperty().get()).endsWith(": 3 segments");
        stepping.restart();
        inbox.awaitUntil("back at the start: none of the scenario's frames left", () -> stepping.statusProperty().get().step() == 0
                && capture.capturedCountProperty().get() == before);
        assertThat(stepping.noteProperty().get()).isNull();
    }

    /** How many of the scenario's arrows carry each mark, as the ladder draws them. */
    private static final Map<TcpScenario, Map<LadderMark, Long>> LADDER_MARKS = new EnumMap<>(TcpScenario.class);

    static {
        for (TcpScenario scenario : TcpScenario.values()) {
            LADDER_MARKS.put(scenario, Map.of());
        }
        // The wire loses the first data segment: drawn lost, then its retransmission after the timeout.
        LADDER_MARKS.put(TcpScenario.LOST_SEGMENT, Map.of(LadderMark.LOST, 1L, LadderMark.RETRANSMISSION, 1L));
        // One segment lost, three duplicate ACKs, then the fast retransmission.
        LADDER_MARKS.put(TcpScenario.FAST_RETRANSMIT, Map.of(LadderMark.LOST, 1L, LadderMark.DUPLICATE_ACK, 3L,
                LadderMark.FAST_RETRANSMISSION, 1L));
        // The server's window closes twice while its application does not read (three zero windows); the client's
        // two persist probes and the ACK of the first are probes, not retransmissions or dup ACKs: as tshark 4.0
        // marks a capture of this run (ZeroWindow on frames 8, 10, 17; ZeroWindowProbe 9, 11; ProbeAck 10).
        LADDER_MARKS.put(TcpScenario.ZERO_WINDOW, Map.of(LadderMark.ZERO_WINDOW, 3L, LadderMark.ZERO_WINDOW_PROBE, 3L));
        // Each SYN-ACK repeats its sender's SYN's sequence number: marked a retransmission, as Wireshark does.
        LADDER_MARKS.put(TcpScenario.SIMULTANEOUS_OPEN, Map.of(LadderMark.RETRANSMISSION, 2L));
    }

    @ParameterizedTest
    @EnumSource(TcpScenario.class)
    void everyScenarioDrawsItsFramesInTheLadderWithTheirMarks(TcpScenario scenario) {
        CaptureViewModel capture = new CaptureViewModel(app.context, Runnable::run, 10_000, System::nanoTime);
        AppContext withCapture = new AppContext(app.context.session(), app.context.notifier(), app.context.frameSelector(), capture);
        TestInbox inbox = new TestInbox();
        lan.addCaptureListener(frame -> inbox.pump().offer(() -> capture.accept(List.of(frame))));
        TcpViewModel withLadder = new TcpViewModel(withCapture, inbox.pump());
        TcpStepViewModel stepping = withLadder.stepMode();
        stepping.scenarioProperty().set(scenario);
        stepping.runScenario();
        inbox.awaitUntil("the scenario started", () -> stepping.statusProperty().get() != null);
        while (stepping.canStepProperty().get()) {
            int before = stepping.statusProperty().get().step();
            stepping.step();
            inbox.awaitUntil("step " + (before + 1), () -> stepping.statusProperty().get().step() == before + 1);
        }
        int frames = EXPECTED.get(scenario).frames();
        inbox.awaitUntil("every frame in the ladder", () -> segments(withLadder) == frames);
        var trace = withLadder.ladder().shownProperty().get();
        Map<LadderMark, Long> marks = new EnumMap<>(LadderMark.class);
        for (LadderMark mark : LadderMark.values()) {
            long count = trace.segments().stream().filter(segment -> segment.has(mark)).count();
            if (count > 0) {
                marks.put(mark, count);
            }
        }
        assertThat(trace.segments()).extracting(segment -> segment.frameNumber()).doesNotHaveDuplicates();
        assertThat(marks).as("the ladder's marks").isEqualTo(LADDER_MARKS.get(scenario));
    }

    private static int segments(TcpViewModel pane) {
        var shown = pane.ladder().shownProperty().get();
        return shown == null ? 0 : shown.segments().size();
    }

    @Test
    void releasingWithNothingHeldIsAMessage() {
        step.releaseLive();
        assertThat(step.messageProperty().get()).isEqualTo("Hold our segments first: nothing of ours is held");
    }

    @Test
    void onALanOfOurOwnStacksThePeersDiagramIsItsOwnNotInferred() {
        pane.hostProperty().set("10.0.0.1");
        pane.portProperty().set("7");
        pane.connect();
        ui.awaitUntil("connected", () -> pane.selectedCanSendProperty().get());
        // The inferred path ends in ESTABLISHED too: wait for the server's own.
        ui.awaitUntil("the echo server's own ESTABLISHED", () -> !step.peerInferredProperty().get()
                && !step.peerPath().isEmpty() && step.peerPath().get(step.peerPath().size() - 1) == ESTABLISHED);
        assertThat(step.peerInferredProperty().get()).isFalse();
        assertThat(step.peerPath()).containsExactly(LISTEN, SYN_RECEIVED, ESTABLISHED);
        assertThat(step.peerTitleProperty().get()).isEqualTo("peer  ·  ESTABLISHED  (its own stack)");
        assertThat(step.peerCaptionProperty().get()).isEqualTo("SYN-RECEIVED → ESTABLISHED  on rcv ACK");

        pane.close();
        ui.awaitUntil("the echo server closed too", () -> step.peerPath().get(step.peerPath().size() - 1) == CLOSED);
        assertThat(step.peerPath()).containsExactly(LISTEN, SYN_RECEIVED, ESTABLISHED, CLOSE_WAIT, LAST_ACK, CLOSED);
        assertThat(step.peerInferredProperty().get()).isFalse();
    }
}
