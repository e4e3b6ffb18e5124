package dev.stacklab.app.tcp;

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
}
