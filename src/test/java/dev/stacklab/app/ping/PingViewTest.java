package dev.stacklab.app.ping;

import dev.stacklab.app.FxThreadProblems;
import dev.stacklab.app.TestContext;
import dev.stacklab.app.TestLan;
import dev.stacklab.app.TestPatience;
import dev.stacklab.app.ping.PingViewModel.PingLine;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
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

/** The ping pane on screen (headless Monocle): type, click, read the lines; bad input is a message, not an exception. */
@ExtendWith(ApplicationExtension.class)
class PingViewTest {
    private TestLan lan;
    private TestContext app;
    private FxThreadProblems problems;

    @Start
    void start(Stage stage) {
        problems = FxThreadProblems.watch();
        lan = new TestLan();
        app = new TestContext(lan);
        stage.setScene(new Scene(PingView.load(new PingViewModel(app.context)), 900, 640));
        stage.show();
    }

    @AfterEach
    void close() {
        lan.close();
    }

    @SuppressWarnings("unchecked")
    private ListView<PingLine> output(FxRobot robot) {
        return robot.lookup("#outputList").queryAs(ListView.class);
    }

    @Test
    void typingATargetAndClickingStartPrintsRepliesAndStatistics(FxRobot robot) throws Exception {
        robot.clickOn("#targetField").write("10.0.0.1");
        robot.clickOn("#countField").eraseText(1).write("3");
        robot.clickOn("#intervalField").eraseText(1).write("0.1");
        robot.clickOn("#startButton");

        WaitForAsyncUtils.waitFor(TestPatience.SECONDS, TimeUnit.SECONDS, () -> output(robot).getItems().stream()
                .anyMatch(line -> line.text().startsWith("rtt min/avg/max/mdev = ")));

        assertThat(output(robot).getItems()).extracting(PingLine::text)
                .contains("PING 10.0.0.1 (10.0.0.1) 56(84) bytes of data.", "--- 10.0.0.1 ping statistics ---")
                .filteredOn(text -> text.startsWith("64 bytes from 10.0.0.1: icmp_seq=")).hasSize(3);
        assertThat(robot.lookup("#packetsLabel").queryAs(Label.class).getText())
                .startsWith("3 packets transmitted, 3 received, 0% packet loss");

        // The list's cells are laid out on a pulse after its items change: wait for the line's cell, don't race it.
        WaitForAsyncUtils.waitFor(TestPatience.SECONDS, TimeUnit.SECONDS, () -> secondReplyCell(robot).tryQuery().isPresent());
        robot.clickOn(secondReplyCell(robot).queryAs(javafx.scene.Node.class));
        assertThat(app.selections).singleElement().asString().matches("icmp\\.ident == 0x[0-9a-f]{4} && icmp\\.seq == 2");
        assertThat(problems.thrown()).isEmpty();
    }

    private static org.testfx.service.query.NodeQuery secondReplyCell(FxRobot robot) {
        return robot.lookup(".list-cell").match(cell -> ((javafx.scene.control.ListCell<?>) cell).getText() != null
                && ((javafx.scene.control.ListCell<?>) cell).getText().contains("icmp_seq=2 "));
    }

    @Test
    void badInputShowsAMessage(FxRobot robot) {
        robot.clickOn("#targetField").write("10.0.0.256");
        robot.clickOn("#startButton");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#messageLabel").queryAs(Label.class).getText())
                .isEqualTo("Target: '10.0.0.256' is not an IPv4 address (expected four numbers 0-255 like 10.0.0.1)");

        robot.clickOn("#targetField").eraseText(10);
        robot.clickOn("#startButton");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#messageLabel").queryAs(Label.class).getText())
                .isEqualTo("Target: enter an IPv4 address such as 10.0.0.1");
        assertThat(output(robot).getItems()).isEmpty();
        assertThat(problems.thrown()).isEmpty();
    }

    @Test
    void withoutANetworkTheButtonIsOffAndTheBannerSaysWhy(FxRobot robot) {
        robot.interact(() -> app.session.set(null));
        assertThat(robot.lookup("#startButton").queryButton().isDisabled()).isTrue();
        assertThat(robot.lookup("#unavailableLabel").queryAs(Label.class).getText())
                .isEqualTo("No network is running: choose one in the toolbar and press Start to ping.");
        assertThat(robot.lookup("#unavailableLabel").queryAs(Label.class).isVisible()).isTrue();
    }
}
