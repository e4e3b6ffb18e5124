package dev.stacklab.runtime.stepping;

import dev.stacklab.capture.CapturedFrame;
import dev.stacklab.runtime.stepping.TcpStepLab.Frame;
import dev.stacklab.runtime.stepping.TcpStepLab.Step;
import dev.stacklab.stack.tcp.TcpState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

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

/** Every scenario stepped to its end on two real stacks: the states each end passes, the segments, the replay. */
class TcpStepLabTest {

    /** Steps {@code lab} to its end and returns the frames delivered, as "from flags" lines. */
    private static List<String> stepToTheEnd(TcpStepLab lab) {
        List<String> frames = new ArrayList<>();
        while (true) {
            var step = lab.step();
            if (step.isEmpty()) {
                return frames;
            }
            Frame frame = step.get().frame();
            if (frame != null) {
                frames.add(frame.from() + " " + frame.segment().flagNames());
            }
        }
    }

    private static List<TcpState> clientPath(TcpStepLab lab) {
        return lab.status().client().path();
    }

    private static List<TcpState> serverPath(TcpStepLab lab) {
        return lab.status().server().path();
    }

    @Test
    void handshake() {
        TcpStepLab lab = TcpStepLab.start(TcpScenario.HANDSHAKE, 1);
        assertThat(lab.held()).get().extracting(step -> step.frame().summary()).asString().startsWith("SYN  Seq=0");
        assertThat(lab.held().get().prediction()).isEqualTo("server: LISTEN → SYN-RECEIVED, sends SYN, ACK");
        assertThat(stepToTheEnd(lab)).containsExactly("client SYN", "server SYN, ACK", "client ACK");
        assertThat(clientPath(lab)).containsExactly(CLOSED, SYN_SENT, ESTABLISHED);
        assertThat(serverPath(lab)).containsExactly(LISTEN, SYN_RECEIVED, ESTABLISHED);
        assertThat(lab.status().client().snapshot().state()).isEqualTo(ESTABLISHED);
    }

    @Test
    void simultaneousOpen() {
        TcpStepLab lab = TcpStepLab.start(TcpScenario.SIMULTANEOUS_OPEN, 2);
        assertThat(stepToTheEnd(lab)).containsExactlyInAnyOrder("client SYN", "server SYN", "client SYN, ACK", "server SYN, ACK");
        assertThat(clientPath(lab)).containsExactly(CLOSED, SYN_SENT, SYN_RECEIVED, ESTABLISHED);
        assertThat(serverPath(lab)).containsExactly(CLOSED, SYN_SENT, SYN_RECEIVED, ESTABLISHED);
    }

    @Test
    void lostSegmentIsRetransmittedOnItsTimer() {
        TcpStepLab lab = TcpStepLab.start(TcpScenario.LOST_SEGMENT, 3);
        List<String> frames = stepToTheEnd(lab);
        assertThat(frames).hasSize(7);
        List<Frame> lost = lab.trace().stream().flatMap(step -> step.lost().stream()).toList();
        assertThat(lost).hasSize(1);
        assertThat(lost.get(0).relativeSequence()).isEqualTo(1);
        Frame retransmission = delivered(lab).stream().filter(frame -> frame.from().equals("client")
                && frame.relativeSequence() == 1 && frame.segment().length() > 0).findFirst().orElseThrow();
        assertThat(retransmission.origin()).isEqualTo("retransmission (retransmission timeout)");
        assertThat(retransmission.deliveredAtNanos()).as("after the 200 ms minimum RTO").isGreaterThan(200_000_000L);
        assertThat(delivered(lab).stream().filter(frame -> "duplicate ACK".equals(frame.origin()))).hasSize(1);
        assertThat(delivered(lab).get(6).relativeAcknowledgment()).as("all 12 bytes acknowledged").isEqualTo(13);
        assertThat(clientPath(lab)).containsExactly(CLOSED, SYN_SENT, ESTABLISHED);
        assertThat(serverPath(lab)).containsExactly(LISTEN, SYN_RECEIVED, ESTABLISHED);
    }

    @Test
    void fastRetransmitAfterThreeDuplicateAcks() {
        TcpStepLab lab = TcpStepLab.start(TcpScenario.FAST_RETRANSMIT, 4);
        List<String> frames = stepToTheEnd(lab);
        assertThat(frames).hasSize(13);
        List<Frame> delivered = delivered(lab);
        int retransmitted = indexOf(delivered, "fast retransmission (after duplicate ACKs)");
        assertThat(retransmitted).isPositive();
        long duplicatesBefore = delivered.subList(0, retransmitted).stream()
                .filter(frame -> "duplicate ACK".equals(frame.origin())).count();
        assertThat(duplicatesBefore).isGreaterThanOrEqualTo(3);
        assertThat(delivered.get(retransmitted).relativeSequence()).isEqualTo(1);
        assertThat(delivered.get(retransmitted).deliveredAtNanos()).as("long before a 200 ms RTO").isLessThan(100_000_000L);
        assertThat(delivered.get(delivered.size() - 1).relativeAcknowledgment()).isEqualTo(1 + 5 * TcpScenario.FULL_SEGMENT);
    }

    @Test
    void zeroWindowIsProbedUntilTheApplicationReads() {
        TcpStepLab lab = TcpStepLab.start(TcpScenario.ZERO_WINDOW, 5);
        stepToTheEnd(lab);
        List<Frame> delivered = delivered(lab);
        assertThat(delivered).hasSize(18);
        assertThat(delivered.stream().filter(frame -> frame.from().equals("server") && frame.segment().window() == 0))
                .as("the server's window falls to zero").isNotEmpty();
        List<Frame> probes = delivered.stream().filter(frame -> "zero-window probe (persist timer)".equals(frame.origin())).toList();
        assertThat(probes).hasSizeGreaterThanOrEqualTo(2);
        assertThat(probes.get(1).sentAtNanos() - probes.get(0).sentAtNanos())
                .as("the persist timer backs off").isGreaterThan(probes.get(0).sentAtNanos() - 300_000_000L);
        assertThat(delivered.stream().mapToLong(frame -> frame.from().equals("server") ? frame.relativeAcknowledgment() : 0).max())
                .hasValue(8193);
    }

    @Test
    void closeFromTheClient() {
        TcpStepLab lab = TcpStepLab.start(TcpScenario.CLOSE_FROM_CLIENT, 6);
        assertThat(stepToTheEnd(lab)).containsExactly("client SYN", "server SYN, ACK", "client ACK", "client FIN, ACK",
                "server ACK", "server FIN, ACK", "client ACK");
        assertThat(clientPath(lab)).containsExactly(CLOSED, SYN_SENT, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, TIME_WAIT, CLOSED);
        assertThat(serverPath(lab)).containsExactly(LISTEN, SYN_RECEIVED, ESTABLISHED, CLOSE_WAIT, LAST_ACK, CLOSED);
        Step last = lab.trace().get(lab.trace().size() - 1);
        assertThat(last.frame()).as("the last step only lets TIME-WAIT run out").isNull();
        assertThat(last.timeNanos()).as("2·MSL after the last ACK").isGreaterThan(60_000_000_000L);
    }

    @Test
    void closeFromTheServer() {
        TcpStepLab lab = TcpStepLab.start(TcpScenario.CLOSE_FROM_SERVER, 7);
        assertThat(stepToTheEnd(lab)).containsExactly("client SYN", "server SYN, ACK", "client ACK", "server FIN, ACK",
                "client ACK", "client FIN, ACK", "server ACK");
        assertThat(serverPath(lab)).containsExactly(LISTEN, SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, TIME_WAIT, CLOSED);
        assertThat(clientPath(lab)).containsExactly(CLOSED, SYN_SENT, ESTABLISHED, CLOSE_WAIT, LAST_ACK, CLOSED);
    }

    @Test
    void simultaneousClose() {
        TcpStepLab lab = TcpStepLab.start(TcpScenario.SIMULTANEOUS_CLOSE, 8);
        assertThat(stepToTheEnd(lab)).hasSize(7);
        for (List<TcpState> path : List.of(clientPath(lab), serverPath(lab))) {
            assertThat(path.subList(path.size() - 5, path.size())).containsExactly(ESTABLISHED, FIN_WAIT_1, CLOSING, TIME_WAIT, CLOSED);
        }
    }

    @Test
    void reset() {
        TcpStepLab lab = TcpStepLab.start(TcpScenario.RESET, 9);
        assertThat(stepToTheEnd(lab)).containsExactly("client SYN", "server SYN, ACK", "client ACK", "client RST");
        assertThat(clientPath(lab)).containsExactly(CLOSED, SYN_SENT, ESTABLISHED, CLOSED);
        assertThat(serverPath(lab)).containsExactly(LISTEN, SYN_RECEIVED, ESTABLISHED, CLOSED);
        assertThat(lab.status().server().lastChange().cause()).contains("RST").contains("reset");
    }

    @Test
    void synToAClosedPortIsRefused() {
        TcpStepLab lab = TcpStepLab.start(TcpScenario.SYN_TO_CLOSED_PORT, 10);
        assertThat(lab.held().get().prediction()).isEqualTo("server stays CLOSED, sends RST, ACK");
        assertThat(stepToTheEnd(lab)).containsExactly("client SYN", "server RST, ACK");
        assertThat(clientPath(lab)).containsExactly(CLOSED, SYN_SENT, CLOSED);
        assertThat(serverPath(lab)).containsExactly(CLOSED);
        assertThat(lab.status().client().lastChange().cause()).contains("refused");
    }

    @ParameterizedTest
    @EnumSource(TcpScenario.class)
    void theSameSeedGivesTheSameTrace(TcpScenario scenario) {
        List<String> first = trace(TcpStepLab.start(scenario, 42));
        assertThat(trace(TcpStepLab.start(scenario, 42))).isEqualTo(first);
        if (scenario != TcpScenario.SIMULTANEOUS_OPEN) {
            // The seed picks the ISNs and the client's port: another seed, other numbers on the wire.
            assertThat(trace(TcpStepLab.start(scenario, 43))).isNotEqualTo(first);
        }
    }

    @ParameterizedTest
    @EnumSource(TcpScenario.class)
    void backThenStepDeliversTheSameFrameAgain(TcpScenario scenario) {
        TcpStepLab lab = TcpStepLab.start(scenario, scenario.defaultSeed());
        List<CapturedFrame> captured = new ArrayList<>();
        lab.setCapture(captured::add);
        List<CapturedFrame> takenBack = new ArrayList<>();
        lab.setTakeBack(frames -> {
            takenBack.addAll(frames);
            captured.removeIf(frame -> frames.stream().anyMatch(gone -> gone == frame));
        });
        int middle = Math.max(1, lab.trace().size() / 2);
        Step taken = null;
        for (int i = 0; i < middle; i++) {
            taken = lab.step().orElseThrow();
        }
        int capturedBefore = captured.size();
        var statusBefore = lab.status();
        List<CapturedFrame> lastStepsFrames = List.copyOf(captured.subList(capturedBefore - takenFrames(taken), capturedBefore));
        assertThat(lab.back()).isTrue();
        assertThat(takenBack).as("going back takes the undone step's frames, the very ones captured")
                .hasSize(lastStepsFrames.size()).allMatch(frame -> lastStepsFrames.stream().anyMatch(was -> was == frame));
        assertThat(captured).hasSize(capturedBefore - takenBack.size());
        assertThat(lab.stepCount()).isEqualTo(middle - 1);
        assertThat(lab.held()).contains(taken);
        Step again = lab.step().orElseThrow();
        assertThat(again).isEqualTo(taken);
        assertThat(lab.status().client().path()).isEqualTo(statusBefore.client().path());
        assertThat(lab.status().server().path()).isEqualTo(statusBefore.server().path());
        assertThat(lab.status().timeNanos()).isEqualTo(statusBefore.timeNanos());
        assertThat(captured).as("the step taken again is captured again, once").hasSize(capturedBefore);
        lab.restart();
        assertThat(captured).as("back at the start, nothing of the scenario is left in the capture").isEmpty();
    }

    private static int takenFrames(Step step) {
        return step.lost().size() + (step.frame() == null ? 0 : 1);
    }

    @Test
    void theCaptureSeesEveryFrameOnceFromTheClientsSideWithLostFramesMarked() {
        TcpStepLab lab = TcpStepLab.start(TcpScenario.LOST_SEGMENT, 3);
        List<CapturedFrame> captured = new ArrayList<>();
        lab.setCapture(captured::add);
        stepToTheEnd(lab);
        assertThat(captured).hasSize(8);
        assertThat(captured.stream().filter(CapturedFrame::isDropped)).hasSize(1);
        assertThat(captured.get(0).direction()).isEqualTo(CapturedFrame.Direction.OUT);
        assertThat(captured.get(1).direction()).isEqualTo(CapturedFrame.Direction.IN);
        for (int i = 1; i < captured.size(); i++) {
            assertThat(captured.get(i).timestampNanos()).isGreaterThanOrEqualTo(captured.get(i - 1).timestampNanos());
        }
        assertThat(captured.get(2).timestampNanos() - captured.get(0).timestampNanos())
                .as("virtual time: the ACK 10 ms after the SYN").isBetween(10_000_000L, 10_500_000L);
    }

    @Test
    void backAtTheStartAndStepAtTheEndDoNothing() {
        TcpStepLab lab = TcpStepLab.start(TcpScenario.SYN_TO_CLOSED_PORT, 1);
        assertThat(lab.back()).isFalse();
        stepToTheEnd(lab);
        assertThat(lab.held()).isEmpty();
        assertThat(lab.step()).isEmpty();
        assertThat(lab.status().finished()).isTrue();
    }

    private static List<String> trace(TcpStepLab lab) {
        return lab.trace().stream().map(step -> step.number() + " " + step.timeNanos() + " "
                + (step.frame() == null ? "-" : java.util.HexFormat.of().formatHex(step.frame().bytes())) + " "
                + step.transitions() + " " + step.prediction()).toList();
    }

    private static List<Frame> delivered(TcpStepLab lab) {
        return lab.trace().stream().map(Step::frame).filter(Objects::nonNull).toList();
    }

    private static int indexOf(List<Frame> frames, String origin) {
        for (int i = 0; i < frames.size(); i++) {
            if (origin.equals(frames.get(i).origin())) {
                return i;
            }
        }
        return -1;
    }
}
