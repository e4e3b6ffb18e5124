package dev.stacklab.app.tcp;

import dev.stacklab.app.TestContext;
import dev.stacklab.app.TestLan;
import dev.stacklab.app.TestPatience;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.ToggleButton;
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
 * The pane at the size the main window gives it by default (about 620 px wide): the diagrams one at a time, chosen
 * by the ends' buttons and following the end a step changed, each view a tab with the whole room, and a divider
 * between the connections and the views that can be dragged (headless Monocle).
 */
@ExtendWith(ApplicationExtension.class)
class TcpViewLayoutTest {
    private TestLan lan;
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        lan = new TestLan();
        TestContext app = new TestContext(lan);
        stage.setScene(new Scene(TcpView.load(new TcpViewModel(app.context)), 620, 760));
        stage.show();
    }

    @AfterEach
    void close() {
        lan.close();
    }

    private static boolean shown(FxRobot robot, String id) {
        Node node = robot.lookup(id).query();
        return node.isVisible() && node.isManaged();
    }

    /** Waits until the condition, read on the FX thread, holds. */
    private static void waitUntil(java.util.function.BooleanSupplier condition) throws java.util.concurrent.TimeoutException {
        WaitForAsyncUtils.waitFor(TestPatience.SECONDS, TimeUnit.SECONDS,
                () -> WaitForAsyncUtils.waitFor(WaitForAsyncUtils.asyncFx(condition::getAsBoolean)));
    }

    private static String text(FxRobot robot, String id) {
        return robot.lookup(id).queryAs(Label.class).getText();
    }

    @Test
    void narrowShowsOneDiagramAtATimeFollowingTheEndAStepChanged(FxRobot robot) throws Exception {
        TabPane views = robot.lookup("#analysisTabs").queryAs(TabPane.class);
        assertThat(views.getTabs()).extracting(Tab::getText).containsExactly("State diagrams", "TCB variables", "Ladder", "Charts");
        assertThat(shown(robot, "#endChoice")).as("too narrow for both: the ends' buttons").isTrue();
        assertThat(shown(robot, "#ourEnd")).isTrue();
        assertThat(shown(robot, "#peerEnd")).isFalse();
        // The diagram shown takes the tab's width, at a size that can be read.
        TcpStateDiagram ours = robot.lookup("#diagram").queryAs(TcpStateDiagram.class);
        assertThat(ours.getWidth()).isGreaterThan(0.6 * 620);

        // The divider between the connections and the views moves both ways.
        SplitPane split = robot.lookup("#split").queryAs(SplitPane.class);
        double listHeight = robot.lookup("#connectionsArea").query().getLayoutBounds().getHeight();
        robot.interact(() -> split.setDividerPositions(0.6));
        // The split lays its items out on a pulse after the divider moved: wait for it, don't race it.
        waitUntil(() -> robot.lookup("#connectionsArea").query().getLayoutBounds().getHeight() > listHeight + 100);
        robot.interact(() -> split.setDividerPositions(0.1));
        // Laid out again (the list smaller than at first), the divider stays where it was put.
        waitUntil(() -> robot.lookup("#connectionsArea").query().getLayoutBounds().getHeight() < listHeight);
        assertThat(split.getDividerPositions()[0]).isLessThan(0.2);

        robot.clickOn("#runScenarioButton");
        WaitForAsyncUtils.waitFor(TestPatience.SECONDS, TimeUnit.SECONDS, () -> text(robot, "#stepCounterLabel") != null
                && text(robot, "#stepCounterLabel").startsWith("Step 0 of 3"));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#peerEndButton").queryAs(ToggleButton.class).getText()).isEqualTo("server  ·  LISTEN");
        robot.clickOn("#stepButton");
        // The SYN reaches the server: its diagram is shown, the client's button still says where the client is.
        WaitForAsyncUtils.waitFor(TestPatience.SECONDS, TimeUnit.SECONDS, () -> shown(robot, "#peerEnd"));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(shown(robot, "#ourEnd")).isFalse();
        assertThat(robot.lookup("#ourEndButton").queryAs(ToggleButton.class).getText()).isEqualTo("client  ·  SYN-SENT");
        robot.clickOn("#stepButton");
        WaitForAsyncUtils.waitFor(TestPatience.SECONDS, TimeUnit.SECONDS, () -> shown(robot, "#ourEnd"));
        WaitForAsyncUtils.waitForFxEvents();
        // The user may look at the other end at any time.
        robot.clickOn("#peerEndButton");
        assertThat(shown(robot, "#peerEnd")).isTrue();
        assertThat(shown(robot, "#ourEnd")).isFalse();

        // The TCB tab marks what the step changed (the client's ACK of the SYN-ACK moved RCV.NXT on).
        robot.interact(() -> views.getSelectionModel().select(1));
        // The tab's grid may be laid out on a later pulse: wait for its values, then look at what they mark.
        waitUntil(() -> !robot.lookup(".tcp-tcb-value").queryAll().isEmpty());
        java.util.Set<Node> values = robot.lookup(".tcp-tcb-value").queryAll();
        assertThat(values.stream().filter(value -> value.getPseudoClassStates().toString().contains("changed")).count())
                .as("values the step changed").isPositive();
        assertThat(text(robot, "#tcbTitleLabel")).startsWith("The transmission control block of scenario");

        // Wide enough for both: side by side, no buttons.
        robot.interact(() -> stage.setWidth(1300));
        // The pane hears of its new width when it is laid out, on a pulse after the stage's width changed.
        waitUntil(() -> !shown(robot, "#endChoice"));
        assertThat(shown(robot, "#ourEnd")).isTrue();
        assertThat(shown(robot, "#peerEnd")).isTrue();
    }

    @Test
    void holdingOurSegmentsKeepsConnectAndTheConnectionsAScenarioHides(FxRobot robot) {
        SplitPane split = robot.lookup("#split").queryAs(SplitPane.class);
        Node connections = robot.lookup("#connectionsArea").query();
        robot.clickOn("#stepModeCheck");
        assertThat(shown(robot, "#liveForm")).as("a scenario runs on a wire of its own: no Connect").isFalse();
        assertThat(split.getItems()).doesNotContain(connections);
        robot.clickOn("#holdLiveCheck");
        // Step mode against the live network: our own connections, opened here, their segments held.
        assertThat(shown(robot, "#liveForm")).isTrue();
        assertThat(split.getItems()).contains(connections);
        assertThat(robot.lookup("#connectButton").queryButton().isDisabled()).isFalse();
        robot.clickOn("#holdLiveCheck");
        assertThat(shown(robot, "#liveForm")).isFalse();
        robot.clickOn("#stepModeCheck");
        assertThat(shown(robot, "#liveForm")).isTrue();
        assertThat(split.getItems()).contains(connections);
    }
}
