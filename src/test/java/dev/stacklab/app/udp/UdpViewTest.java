package dev.stacklab.app.udp;

import dev.stacklab.app.FxThreadProblems;
import dev.stacklab.app.TestContext;
import dev.stacklab.app.TestLan;
import dev.stacklab.app.TestPatience;
import dev.stacklab.app.udp.UdpViewModel.DatagramRow;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
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

/** The UDP pane on screen (headless Monocle): send to the echo peer, see the echo; port 70000 is a message. */
@ExtendWith(ApplicationExtension.class)
class UdpViewTest {
    private TestLan lan;
    private FxThreadProblems problems;

    @Start
    void start(Stage stage) {
        problems = FxThreadProblems.watch();
        lan = new TestLan();
        TestContext app = new TestContext(lan);
        stage.setScene(new Scene(UdpView.load(new UdpViewModel(app.context)), 900, 640));
        stage.show();
    }

    @AfterEach
    void close() {
        lan.close();
    }

    @SuppressWarnings("unchecked")
    private TableView<DatagramRow> table(FxRobot robot) {
        return robot.lookup("#receivedTable").queryAs(TableView.class);
    }

    @Test
    void sendingToTheEchoPeerShowsTheEcho(FxRobot robot) throws Exception {
        robot.clickOn("#destinationField").write("10.0.0.1");
        robot.clickOn("#payloadArea").write("hello, echo");
        robot.clickOn("#sendButton");

        WaitForAsyncUtils.waitFor(TestPatience.SECONDS, TimeUnit.SECONDS, () -> !table(robot).getItems().isEmpty());
        DatagramRow row = table(robot).getItems().get(0);
        assertThat(row.source()).isEqualTo("10.0.0.1:7");
        assertThat(row.text()).isEqualTo("hello, echo");
        // The table's cells are laid out on a pulse after its items change: wait for the cell, don't race it.
        WaitForAsyncUtils.waitFor(TestPatience.SECONDS, TimeUnit.SECONDS, () -> robot.lookup("hello, echo").tryQuery().isPresent());

        robot.clickOn("#showHexBox");
        WaitForAsyncUtils.waitFor(TestPatience.SECONDS, TimeUnit.SECONDS,
                () -> robot.lookup("68 65 6c 6c 6f 2c 20 65 63 68 6f").tryQuery().isPresent());
        assertThat(problems.thrown()).isEmpty();
    }

    @Test
    void port70000ShowsAMessage(FxRobot robot) {
        robot.clickOn("#destinationField").write("10.0.0.1");
        robot.clickOn("#destinationPortField").eraseText(1).write("70000");
        robot.clickOn("#sendButton");
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(robot.lookup("#messageLabel").queryAs(Label.class).getText())
                .isEqualTo("Port: '70000' is not a port number (1-65535)");
        assertThat(table(robot).getItems()).isEmpty();
        assertThat(problems.thrown()).isEmpty();
    }
}
