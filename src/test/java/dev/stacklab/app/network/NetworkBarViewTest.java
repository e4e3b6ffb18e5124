package dev.stacklab.app.network;

import atlantafx.base.theme.PrimerLight;
import dev.stacklab.app.TestPatience;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.layout.BorderPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The network bar on a real (headless) stage, on a machine without privileges: it starts on the simulated LAN,
 * real networks are greyed-out entries that cannot be picked, and Stop/Start work through the buttons.
 */
@ExtendWith(ApplicationExtension.class)
class NetworkBarViewTest {
    private final CollectingNotifier notifier = new CollectingNotifier();
    private NetworkBarViewModel viewModel;

    @Start
    void start(Stage stage) {
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        viewModel = new NetworkBarViewModel(notifier, new TestEnvironment(false), Platform::runLater);
        BorderPane root = new BorderPane();
        root.setTop(NetworkBarView.load(viewModel));
        stage.setScene(new Scene(root, 1400, 400));
        stage.show();
        viewModel.begin(null);
    }

    @AfterEach
    void shutdown() throws Exception {
        WaitForAsyncUtils.asyncFx(viewModel::shutdown).get(TestPatience.SECONDS, TimeUnit.SECONDS);
    }

    private void awaitState(NetworkBarViewModel.State state) throws Exception {
        WaitForAsyncUtils.waitFor(TestPatience.SECONDS, TimeUnit.SECONDS, () -> viewModel.stateProperty().get() == state);
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void startsOnTheSimulatedLanAndShowsOurAddress(FxRobot robot) throws Exception {
        awaitState(NetworkBarViewModel.State.RUNNING);

        ComboBox<?> chooser = robot.lookup(".combo-box").queryAs(ComboBox.class);
        assertThat(chooser.getValue()).hasToString("Simulated LAN — 10.0.0.0/24, server 10.0.0.1, peer 10.0.0.3");
        assertThat(chooser.getButtonCell().getText()).isEqualTo("Simulated LAN");
        assertThat(robot.lookup(".our-address").queryAs(Label.class).getText()).isEqualTo("10.0.0.2/24 · 02:00:00:00:00:02");
        assertThat(robot.lookup("Start").queryButton().isDisabled()).isTrue();
        assertThat(robot.lookup("Stop").queryButton().isDisabled()).isFalse();
    }

    @Test
    void withoutPrivilegesRealNetworksAreGreyedOutAndCannotBePicked(FxRobot robot) throws Exception {
        awaitState(NetworkBarViewModel.State.RUNNING);
        WaitForAsyncUtils.waitFor(TestPatience.SECONDS, TimeUnit.SECONDS, () -> !viewModel.listingProperty().get());
        WaitForAsyncUtils.waitForFxEvents();

        robot.clickOn(".combo-box");
        ComboBox<?> chooser = robot.lookup(".combo-box").queryAs(ComboBox.class);
        // The popup's cells are laid out on a pulse after it opens: wait for all five, don't race them.
        WaitForAsyncUtils.waitFor(TestPatience.SECONDS, TimeUnit.SECONDS, () -> WaitForAsyncUtils.waitFor(
                WaitForAsyncUtils.asyncFx(() -> listCells(robot, chooser).size() == 5)));
        List<ListCell<?>> cells = WaitForAsyncUtils.waitFor(WaitForAsyncUtils.asyncFx(() -> listCells(robot, chooser)));
        assertThat(cells).hasSize(5);
        ListCell<?> eth0 = cells.stream().filter(cell -> cell.getText().startsWith("eth0 — 192.168.1.20/24")).findFirst().orElseThrow();
        assertThat(eth0.isDisabled()).isTrue();
        assertThat(eth0.getPseudoClassStates()).contains(NetworkBarView.UNAVAILABLE);
        assertThat(eth0.getText()).endsWith("(needs root or CAP_NET_RAW to send and capture)");
        assertThat(eth0.getTooltip().getText()).contains("sudo -E java -jar target/stacklab.jar");
        ListCell<?> lan = cells.get(0);
        assertThat(lan.isDisabled()).isFalse();

        robot.clickOn(eth0);
        robot.type(javafx.scene.input.KeyCode.ESCAPE);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(viewModel.selectedNetworkIdProperty().get()).isEqualTo("simulated");
        assertThat(viewModel.stateProperty().get()).isEqualTo(NetworkBarViewModel.State.RUNNING);

        Hyperlink hint = robot.lookup("." + NetworkBarView.HINT_STYLE_CLASS).queryAs(Hyperlink.class);
        assertThat(hint.isVisible()).isTrue();
        assertThat(hint.getTooltip().getText()).contains("sudo setcap cap_net_raw,cap_net_admin=eip $(readlink -f $(which java))");
    }

    /** The chooser's open list's cells holding a network, in order (not the combo box's button cell). FX thread. */
    private static List<ListCell<?>> listCells(FxRobot robot, ComboBox<?> chooser) {
        List<ListCell<?>> cells = new java.util.ArrayList<>();
        for (ListCell<?> cell : robot.lookup("." + NetworkBarView.CELL_STYLE_CLASS).queryAllAs(ListCell.class)) {
            if (cell.getItem() != null && cell != chooser.getButtonCell()) {
                cells.add(cell);
            }
        }
        cells.sort(java.util.Comparator.comparingInt(ListCell::getIndex));
        return cells;
    }

    @Test
    void stopAndStartThroughTheButtons(FxRobot robot) throws Exception {
        awaitState(NetworkBarViewModel.State.RUNNING);
        Button stop = robot.lookup("Stop").queryButton();

        robot.clickOn(stop);
        awaitState(NetworkBarViewModel.State.STOPPED);
        assertThat(viewModel.sessionProperty().get()).isNull();
        assertThat(robot.lookup(".our-address").queryAs(Label.class).getText()).isEqualTo("—");

        robot.clickOn("Start");
        awaitState(NetworkBarViewModel.State.RUNNING);
        assertThat(viewModel.sessionProperty().get()).isNotNull();
        assertThat(notifier.errors).isEmpty();
    }
}
