package dev.stacklab.app.tcp;

import dev.stacklab.app.FxThreadProblems;
import dev.stacklab.app.TestContext;
import dev.stacklab.app.TestLan;
import dev.stacklab.app.TestPatience;
import dev.stacklab.stack.tcp.TcpState;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
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

/** The TCP pane on screen (headless Monocle): the diagram follows a connection to the echo peer; port 70000 is a message. */
@ExtendWith(ApplicationExtension.class)
class TcpViewTest {
    private TestLan lan;
    private FxThreadProblems problems;

    @Start
    void start(Stage stage) {
        problems = FxThreadProblems.watch();
        lan = new TestLan();
        TestContext app = new TestContext(lan);
        stage.setScene(new Scene(TcpView.load(new TcpViewModel(app.context)), 900, 760));
        stage.show();
    }

    @AfterEach
    void close() {
        lan.close();
    }

    private TcpStateDiagram diagram(FxRobot robot) {
        return robot.lookup(".tcp-state-diagram").queryAs(TcpStateDiagram.class);
    }

    @Test
    void theDiagramAndTheGridFollowAnEchoConnectionToItsClose(FxRobot robot) throws Exception {
        robot.clickOn("#hostField").write("10.0.0.1");
        robot.clickOn("#portField").eraseText(2).write("7");
        robot.clickOn("#connectButton");
        WaitForAsyncUtils.waitFor(TestPatience.SECONDS, TimeUnit.SECONDS, () -> diagram(robot).getState() == TcpState.ESTABLISHED);
        // The TCB grid is laid out on a later pulse than the diagram's state: wait for it, don't race it.
        WaitForAsyncUtils.waitFor(TestPatience.SECONDS, TimeUnit.SECONDS, () -> robot.lookup("ESTABLISHED").tryQuery().isPresent());

        // Connect's socket reaches the pane after the state events that drew ESTABLISHED (it comes from the
        // connecting worker): until then Send is disabled and a click on it does nothing.
        WaitForAsyncUtils.waitFor(TestPatience.SECONDS, TimeUnit.SECONDS, () -> !robot.lookup("#sendButton").queryButton().isDisabled());
        robot.clickOn("#payloadField").write("hello, diagram");
        robot.clickOn("#sendButton");
        WaitForAsyncUtils.waitFor(TestPatience.SECONDS, TimeUnit.SECONDS,
                () -> robot.lookup("#receivedArea").queryAs(TextArea.class).getText().equals("hello, diagram"));

        robot.clickOn("#closeButton");
        WaitForAsyncUtils.waitFor(TestPatience.SECONDS, TimeUnit.SECONDS, () -> diagram(robot).getState() == TcpState.TIME_WAIT);
        TcpStateDiagram diagram = diagram(robot);
        assertThat(diagram.path()).extracting(TcpStateDiagram.Transition::from)
                .startsWith(TcpState.CLOSED, TcpState.SYN_SENT, TcpState.ESTABLISHED, TcpState.FIN_WAIT_1);
        assertThat(diagram.box(TcpState.TIME_WAIT).getPseudoClassStates()).contains(TcpStateDiagram.CURRENT);
        assertThat(robot.lookup("#sendButton").queryButton().isDisabled()).as("nothing to send after the FIN").isTrue();
        assertThat(problems.thrown()).isEmpty();
    }

    @Test
    void port70000ShowsAMessage(FxRobot robot) {
        robot.clickOn("#hostField").write("10.0.0.1");
        robot.clickOn("#portField").eraseText(2).write("70000");
        robot.clickOn("#connectButton");
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(robot.lookup("#messageLabel").queryAs(Label.class).getText())
                .isEqualTo("Port: '70000' is not a port number (1-65535)");
        assertThat(diagram(robot).getState()).isNull();
        assertThat(problems.thrown()).isEmpty();
    }
}
