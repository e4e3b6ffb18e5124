package dev.stacklab.app.tcp;

import dev.stacklab.app.TestPatience;
import dev.stacklab.app.tcp.TcpStateDiagram.Transition;
import dev.stacklab.stack.tcp.TcpState;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The RFC 9293 Figure 5 diagram: the state highlighted, the arrow just taken, the path traced (headless Monocle). */
@ExtendWith(ApplicationExtension.class)
class TcpStateDiagramTest {
    private TcpStateDiagram diagram;

    @Start
    void start(Stage stage) {
        diagram = new TcpStateDiagram();
        diagram.resize(900, 640);
        // A group that leaves the size alone: the test sets it (the stage is shared with later tests, keep it as is).
        javafx.scene.Group root = new javafx.scene.Group(diagram);
        root.setAutoSizeChildren(false);
        stage.setScene(new Scene(root, 900, 640));
        stage.show();
    }

    private static boolean has(Node node, javafx.css.PseudoClass pseudoClass) {
        return node.getPseudoClassStates().contains(pseudoClass);
    }

    private Set<TcpState> highlighted() {
        return EnumSet.allOf(TcpState.class).stream().filter(state -> has(diagram.box(state), TcpStateDiagram.CURRENT))
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(TcpState.class)));
    }

    @Test
    void everyStateHasABoxNamedAsTheRfcWritesIt() {
        for (TcpState state : TcpState.values()) {
            assertThat(diagram.box(state).getText()).isEqualTo(state.rfcName());
        }
        assertThat(diagram.transitions()).extracting(Transition::label)
                .contains("rcv SYN / snd SYN,ACK", "rcv SYN,ACK / snd ACK", "CLOSE / snd FIN", "Timeout=2MSL / delete TCB");
    }

    @Test
    void eachStateSetHighlightsExactlyItsBox(FxRobot robot) {
        for (TcpState state : TcpState.values()) {
            robot.interact(() -> diagram.showPath(List.of(state)));
            assertThat(highlighted()).containsExactly(state);
        }
        robot.interact(() -> diagram.setState(null));
        assertThat(highlighted()).isEmpty();
    }

    @Test
    void anActiveOpenAndCloseTracesItsPathAndHighlightsTheLastArrow(FxRobot robot) {
        robot.interact(() -> {
            for (TcpState state : List.of(TcpState.CLOSED, TcpState.SYN_SENT, TcpState.ESTABLISHED, TcpState.FIN_WAIT_1)) {
                diagram.setState(state);
            }
        });
        assertThat(highlighted()).containsExactly(TcpState.FIN_WAIT_1);
        assertThat(diagram.lastTaken()).isEqualTo(transition(TcpState.ESTABLISHED, TcpState.FIN_WAIT_1));
        assertThat(has(diagram.line(TcpState.ESTABLISHED, TcpState.FIN_WAIT_1), TcpStateDiagram.LAST)).isTrue();
        assertThat(has(diagram.line(TcpState.SYN_SENT, TcpState.ESTABLISHED), TcpStateDiagram.TAKEN)).isTrue();
        assertThat(has(diagram.line(TcpState.SYN_SENT, TcpState.ESTABLISHED), TcpStateDiagram.LAST)).isFalse();
        assertThat(has(diagram.line(TcpState.LISTEN, TcpState.SYN_RECEIVED), TcpStateDiagram.TAKEN)).isFalse();
        assertThat(has(diagram.box(TcpState.SYN_SENT), TcpStateDiagram.VISITED)).isTrue();
        assertThat(has(diagram.box(TcpState.LISTEN), TcpStateDiagram.VISITED)).isFalse();

        robot.interact(() -> {
            diagram.setState(TcpState.FIN_WAIT_2);
            diagram.setState(TcpState.TIME_WAIT);
            diagram.setState(TcpState.CLOSED);
        });
        assertThat(diagram.path()).hasSize(6);
        // The connection ended: the CLOSED at the bottom right is the one lit, as in the figure.
        assertThat(has(diagram.closedAtEnd(), TcpStateDiagram.CURRENT)).isTrue();
        assertThat(has(diagram.box(TcpState.CLOSED), TcpStateDiagram.CURRENT)).isFalse();
    }

    @Test
    void aChangeWithoutAnArrowMovesTheHighlightOnly(FxRobot robot) {
        robot.interact(() -> diagram.showPath(List.of(TcpState.CLOSED, TcpState.SYN_SENT, TcpState.ESTABLISHED)));
        assertThat(diagram.path()).hasSize(2);
        robot.interact(() -> diagram.setState(TcpState.CLOSED)); // a RST: Figure 5 draws no arrow for it
        assertThat(diagram.lastTaken()).isNull();
        assertThat(diagram.path()).hasSize(2);
        assertThat(highlighted()).containsExactly(TcpState.CLOSED);
        assertThat(has(diagram.line(TcpState.SYN_SENT, TcpState.ESTABLISHED), TcpStateDiagram.LAST)).isFalse();
    }

    @Test
    void theTextStaysReadableWhenTheDiagramIsSmall(FxRobot robot) {
        robot.interact(() -> {
            diagram.resize(430, 305);
            diagram.layout();
        });
        Label box = diagram.box(TcpState.ESTABLISHED);
        var bounds = box.localToScene(box.getLayoutBounds());
        // Scaled to half (430 / 860), centred: ESTABLISHED's box (128 wide, centred at 430 of 860) at 183-247.
        assertThat(bounds.getWidth()).isCloseTo(64.0, org.assertj.core.data.Offset.offset(0.5));
        assertThat(bounds.getMinX()).isCloseTo(183.0, org.assertj.core.data.Offset.offset(0.5));
    }

    private Transition transition(TcpState from, TcpState to) {
        return diagram.transitions().stream().filter(t -> t.from() == from && t.to() == to).findFirst().orElseThrow();
    }

    @Test
    void aTokenRunsAlongTheArrowJustTakenUnlessMotionIsReduced(FxRobot robot) {
        javafx.animation.PathTransition run = diagram.tokenRun();
        java.util.concurrent.atomic.AtomicBoolean ran = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicBoolean shownWhileRunning = new java.util.concurrent.atomic.AtomicBoolean();
        robot.interact(() -> run.statusProperty().addListener((observable, old, status) -> {
            if (status == javafx.animation.Animation.Status.RUNNING) {
                ran.set(true);
                shownWhileRunning.set(diagram.token().isVisible());
            }
        }));
        robot.interact(() -> {
            diagram.animatedProperty().set(true);
            diagram.showPath(List.of(TcpState.CLOSED));
            diagram.setState(TcpState.SYN_SENT);
        });
        assertThat(ran).as("the token's run started").isTrue();
        assertThat(shownWhileRunning).as("the token shows while it runs").isTrue();
        javafx.scene.shape.Path along = (javafx.scene.shape.Path) run.getPath();
        var line = diagram.line(TcpState.CLOSED, TcpState.SYN_SENT).getPoints();
        // The arrow's own route, from the old state's box to the new one's.
        var start = (javafx.scene.shape.MoveTo) along.getElements().get(0);
        var end = (javafx.scene.shape.LineTo) along.getElements().get(along.getElements().size() - 1);
        assertThat(List.of(start.getX(), start.getY())).isEqualTo(line.subList(0, 2));
        assertThat(List.of(end.getX(), end.getY())).isEqualTo(line.subList(line.size() - 2, line.size()));
        assertThat(along.getElements()).hasSize(line.size() / 2);
        assertThat(run.getNode()).isSameAs(diagram.token());
        // It ends hidden, the arrow lit.
        try {
            org.testfx.util.WaitForAsyncUtils.waitFor(TestPatience.SECONDS, java.util.concurrent.TimeUnit.SECONDS,
                    () -> run.getStatus() == javafx.animation.Animation.Status.STOPPED && !diagram.token().isVisible());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the token did not finish its run", e);
        }
        assertThat(has(diagram.line(TcpState.CLOSED, TcpState.SYN_SENT), TcpStateDiagram.LAST)).isTrue();

        // Reduced motion: the arrow lit at once, nothing moves; a change without an arrow of its own runs nothing.
        ran.set(false);
        robot.interact(() -> {
            diagram.animatedProperty().set(false);
            diagram.setState(TcpState.ESTABLISHED);
        });
        assertThat(ran).as("no run with reduced motion").isFalse();
        assertThat(diagram.token().isVisible()).isFalse();
        assertThat(run.getStatus()).isEqualTo(javafx.animation.Animation.Status.STOPPED);
        assertThat(has(diagram.line(TcpState.SYN_SENT, TcpState.ESTABLISHED), TcpStateDiagram.LAST)).isTrue();
        robot.interact(() -> {
            diagram.animatedProperty().set(true);
            diagram.setState(TcpState.CLOSED);
        });
        assertThat(diagram.token().isVisible()).as("no arrow from ESTABLISHED to CLOSED in the figure").isFalse();
    }
}
