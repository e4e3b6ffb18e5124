package dev.stacklab.app.tcp;

import dev.stacklab.app.FxThreadProblems;
import dev.stacklab.app.TestContext;
import dev.stacklab.app.TestLan;
import dev.stacklab.app.TestPatience;
import dev.stacklab.stack.tcp.TcpState;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Step mode on screen (headless Monocle): the handshake scenario stepped three times takes both diagrams to
 * ESTABLISHED; one step back shows the server in SYN-RECEIVED again.
 */
@ExtendWith(ApplicationExtension.class)
class TcpStepViewTest {
    private TestLan lan;
    private FxThreadProblems problems;

    @Start
    void start(Stage stage) {
        problems = FxThreadProblems.watch();
        lan = new TestLan();
        TestContext app = new TestContext(lan);
        stage.setScene(new Scene(TcpView.load(new TcpViewModel(app.context)), 1100, 900));
        stage.show();
    }

    @AfterEach
    void close() {
        lan.close();
    }

    private static TcpStateDiagram diagram(FxRobot robot, String id) {
        return robot.lookup(id).queryAs(TcpStateDiagram.class);
    }

    private static String text(FxRobot robot, String id) {
        return robot.lookup(id).queryAs(Label.class).getText();
    }

    private static void stepTo(FxRobot robot, String button, int step) throws Exception {
        robot.clickOn(button);
        WaitForAsyncUtils.waitFor(TestPatience.SECONDS, TimeUnit.SECONDS,
                () -> text(robot, "#stepCounterLabel") != null && text(robot, "#stepCounterLabel").startsWith("Step " + step + " of 3"));
        // The condition is read off the FX thread: let the pulse that set it finish before looking further.
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void theHandshakeStepByStepAndOneBack(FxRobot robot) throws Exception {
        assertThat(robot.lookup("#stepControls").query().isVisible()).as("no step controls outside step mode").isFalse();
        robot.clickOn("#runScenarioButton");
        WaitForAsyncUtils.waitFor(TestPatience.SECONDS, TimeUnit.SECONDS, () -> text(robot, "#heldLabel") != null
                && text(robot, "#heldLabel").startsWith("Held on the wire:  client → server   SYN"));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(text(robot, "#predictionLabel")).isEqualTo("It will make  server: LISTEN → SYN-RECEIVED, sends SYN, ACK");
        assertThat(robot.lookup("#backButton").queryButton().isDisabled()).isTrue();
        assertThat(problems.thrown()).isEmpty();
        assertThat(diagram(robot, "#diagram").getState()).isEqualTo(TcpState.SYN_SENT);
        assertThat(diagram(robot, "#peerDiagram").getState()).isEqualTo(TcpState.LISTEN);

        stepTo(robot, "#stepButton", 1);
        assertThat(diagram(robot, "#peerDiagram").getState()).isEqualTo(TcpState.SYN_RECEIVED);
        stepTo(robot, "#stepButton", 2);
        assertThat(diagram(robot, "#diagram").getState()).isEqualTo(TcpState.ESTABLISHED);
        stepTo(robot, "#stepButton", 3);
        assertThat(diagram(robot, "#diagram").getState()).isEqualTo(TcpState.ESTABLISHED);
        assertThat(diagram(robot, "#peerDiagram").getState()).isEqualTo(TcpState.ESTABLISHED);
        assertThat(diagram(robot, "#peerDiagram").box(TcpState.ESTABLISHED).getPseudoClassStates()).contains(TcpStateDiagram.CURRENT);
        assertThat(diagram(robot, "#peerDiagram").lastTaken().from()).isEqualTo(TcpState.SYN_RECEIVED);
        Label cause = diagram(robot, "#peerDiagram").causeBadge();
        assertThat(cause.isVisible()).isTrue();
        assertThat(cause.getText()).startsWith("SYN-RECEIVED → ESTABLISHED  on rcv ACK");
        assertThat(robot.lookup("#stepButton").queryButton().isDisabled()).as("the handshake is over").isTrue();

        stepTo(robot, "#backButton", 2);
        assertThat(diagram(robot, "#peerDiagram").getState()).isEqualTo(TcpState.SYN_RECEIVED);
        assertThat(diagram(robot, "#peerDiagram").box(TcpState.SYN_RECEIVED).getPseudoClassStates()).contains(TcpStateDiagram.CURRENT);
        assertThat(diagram(robot, "#diagram").getState()).as("the client got the SYN-ACK before").isEqualTo(TcpState.ESTABLISHED);
        assertThat(text(robot, "#heldLabel")).startsWith("Held on the wire:  client → server   ACK  Seq=1 Ack=1");
        assertThat(problems.thrown()).isEmpty();
    }

    @Test
    void aBadSeedIsAMessage(FxRobot robot) {
        robot.doubleClickOn("#seedField").eraseText(3).write("x1");
        robot.clickOn("#runScenarioButton");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(text(robot, "#stepMessageLabel")).isEqualTo("Seed: \"x1\" is not a whole number; use one such as 1");
        assertThat(problems.thrown()).isEmpty();
    }
}
