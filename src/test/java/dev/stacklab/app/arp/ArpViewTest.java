package dev.stacklab.app.arp;

import dev.stacklab.app.FxThreadProblems;
import dev.stacklab.app.TestContext;
import dev.stacklab.app.TestLan;
import dev.stacklab.app.TestPatience;
import dev.stacklab.app.arp.ArpViewModel.NeighborRow;
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

/** The ARP pane on screen (headless Monocle): resolve, see the row, flush; bad input is a message. */
@ExtendWith(ApplicationExtension.class)
class ArpViewTest {
    private TestLan lan;
    private FxThreadProblems problems;

    @Start
    void start(Stage stage) {
        problems = FxThreadProblems.watch();
        lan = new TestLan();
        TestContext app = new TestContext(lan);
        stage.setScene(new Scene(ArpView.load(new ArpViewModel(app.context)), 900, 640));
        stage.show();
    }

    @AfterEach
    void close() {
        lan.close();
    }

    @SuppressWarnings("unchecked")
    private TableView<NeighborRow> table(FxRobot robot) {
        return robot.lookup("#neighborTable").queryAs(TableView.class);
    }

    @Test
    void resolvingShowsTheRowAndFlushEmptiesTheTable(FxRobot robot) throws Exception {
        robot.clickOn("#addressField").write("10.0.0.1");
        robot.clickOn("#resolveButton");

        WaitForAsyncUtils.waitFor(TestPatience.SECONDS, TimeUnit.SECONDS, () -> table(robot).getItems().stream()
                .anyMatch(row -> row.ip().equals("10.0.0.1") && row.state().equals("REACHABLE")));
        NeighborRow row = table(robot).getItems().get(0);
        assertThat(row.mac()).isEqualTo("00:1b:21:ab:cd:ef");
        assertThat(row.vendor()).isEqualTo("IntelCor_ab:cd:ef");
        assertThat(robot.lookup("#resultLabel").queryAs(Label.class).getText())
                .isEqualTo("10.0.0.1 is at 00:1b:21:ab:cd:ef (IntelCor_ab:cd:ef)");
        // The table's cells are laid out on a pulse after its items change: wait for the cell, don't race it.
        WaitForAsyncUtils.waitFor(TestPatience.SECONDS, TimeUnit.SECONDS,
                () -> robot.lookup("IntelCor_ab:cd:ef").tryQuery().isPresent());

        robot.clickOn("#flushButton");
        WaitForAsyncUtils.waitFor(TestPatience.SECONDS, TimeUnit.SECONDS, () -> table(robot).getItems().isEmpty());
        assertThat(robot.lookup("#resultLabel").queryAs(Label.class).getText()).isEqualTo("Flushed 1 entry");
        assertThat(problems.thrown()).isEmpty();
    }

    @Test
    void badInputShowsAMessage(FxRobot robot) {
        robot.clickOn("#addressField").write("not an ip");
        robot.clickOn("#resolveButton");
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(robot.lookup("#messageLabel").queryAs(Label.class).getText())
                .isEqualTo("Address: 'not an ip' is not an IPv4 address (expected four numbers 0-255 like 10.0.0.1)");
        assertThat(table(robot).getItems()).isEmpty();
        assertThat(problems.thrown()).isEmpty();
    }
}
