package dev.stacklab.app;

import dev.stacklab.app.tcp.TcpStateDiagram;
import dev.stacklab.app.tcp.ladder.LadderDiagram;
import dev.stacklab.stack.tcp.TcpState;
import javafx.geometry.Point2D;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.testfx.api.FxRobot;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Step mode in the real window at its default size (Monocle), as issue 9 asks: the handshake scenario stepped three
 * times takes both diagrams to ESTABLISHED with three arrows in the ladder and three frames in the packet list; one
 * step back shows the server in SYN-RECEIVED again, and exactly two arrows and two frames (the undone step's frame
 * is taken out of the capture); clicking an arrow selects its frame in the packet list.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TcpStepModeWindowTest {
    private AppWindow window;
    private final FxRobot robot = new FxRobot();

    @BeforeAll
    void start() throws Exception {
        window = AppWindow.start("TcpStepModeWindowTest");
        AppWindow.run(() -> {
            window.stage.setX(0);
            window.stage.setY(0);
            window.stage.setWidth(1400);
            window.stage.setHeight(880);
        });
    }

    @AfterAll
    void stop() throws Exception {
        window.close();
    }

    private Parent toolTab(String title) {
        TabPane tools = window.lookup(".tool-tabs", TabPane.class);
        return AppWindow.call(() -> {
            Tab tab = tools.getTabs().stream().filter(t -> t.getText().equals(title)).findFirst().orElseThrow();
            tools.getSelectionModel().select(tab);
            return (Parent) tab.getContent();
        });
    }

    private static void click(Parent pane, String id) {
        AppWindow.run(() -> ((Button) pane.lookup(id)).fire());
    }

    private static void waitForStep(Parent tcp, int step) {
        AppWindow.waitUntil("step " + step, () -> {
            String text = ((Label) tcp.lookup("#stepCounterLabel")).getText();
            return text != null && text.startsWith("Step " + step + " of 3");
        });
    }

    @SuppressWarnings("unchecked")
    private TableView<Object> packetList() {
        return window.lookup("#packetList", TableView.class);
    }

    private int selectedFrameNumber() {
        TableView<Object> list = packetList();
        return AppWindow.call(() -> {
            Object row = list.getSelectionModel().getSelectedItem();
            if (row == null) {
                return 0;
            }
            TableColumn<Object, ?> number = list.getColumns().stream().filter(c -> "numberColumn".equals(c.getId())).findFirst().orElseThrow();
            return ((Number) number.getCellObservableValue(row).getValue()).intValue();
        });
    }

    @Test
    void theHandshakeStepByStepBackOnceAndAnArrowSelectsItsFrame() {
        org.controlsfx.control.StatusBar bar = window.lookup(".main-status-bar", org.controlsfx.control.StatusBar.class);
        AppWindow.waitUntil("the simulated LAN to be up", () -> "Simulated LAN: up".equals(bar.getText()));
        AppWindow.run(() -> window.lookup("#clearButton", Button.class).fire());
        Parent tcp = toolTab("TCP");
        TcpStateDiagram client = (TcpStateDiagram) AppWindow.call(() -> tcp.lookup("#diagram"));
        TcpStateDiagram server = (TcpStateDiagram) AppWindow.call(() -> tcp.lookup("#peerDiagram"));
        TableView<Object> packets = packetList();

        click(tcp, "#runScenarioButton");
        waitForStep(tcp, 0);
        for (int step = 1; step <= 3; step++) {
            click(tcp, "#stepButton");
            waitForStep(tcp, step);
        }
        AppWindow.waitUntil("both ends ESTABLISHED",
                () -> client.getState() == TcpState.ESTABLISHED && server.getState() == TcpState.ESTABLISHED);
        TabPane views = (TabPane) AppWindow.call(() -> tcp.lookup("#analysisTabs"));
        AppWindow.run(() -> views.getSelectionModel().select(views.getTabs().stream()
                .filter(tab -> tab.getText().equals("Ladder")).findFirst().orElseThrow()));
        LadderDiagram ladder = (LadderDiagram) AppWindow.call(() -> tcp.lookup("#ladderDiagram"));
        AppWindow.waitUntil("three arrows and three frames", () -> ladder.rowCount() == 3 && packets.getItems().size() == 3);

        click(tcp, "#backButton");
        waitForStep(tcp, 2);
        AppWindow.waitUntil("the server in SYN-RECEIVED again", () -> server.getState() == TcpState.SYN_RECEIVED);
        assertThat(AppWindow.call(client::getState)).isEqualTo(TcpState.ESTABLISHED);
        AppWindow.waitUntil("two arrows and two frames: the undone step's frame taken out",
                () -> ladder.rowCount() == 2 && packets.getItems().size() == 2);

        // Click the SYN-ACK's arrow: the packet list selects frame 2.
        Point2D synAck = AppWindow.call(() -> {
            Point2D centre = ladder.arrowCentre(1);
            return centre == null ? null : ladder.localToScreen(centre);
        });
        assertThat(synAck).as("the SYN-ACK's arrow in sight").isNotNull();
        robot.clickOn(synAck);
        AppWindow.waitUntil("frame 2 selected in the packet list", () -> selectedFrameNumber() == 2);

        // The step taken again: three arrows and three frames again, the third not a retransmission.
        click(tcp, "#stepButton");
        waitForStep(tcp, 3);
        AppWindow.waitUntil("three arrows and three frames again", () -> ladder.rowCount() == 3 && packets.getItems().size() == 3);
        Label summary = (Label) AppWindow.call(() -> tcp.lookup("#ladderSummary"));
        assertThat(AppWindow.call(summary::getText)).endsWith(": 3 segments");
        AppWindow.run(() -> ((javafx.scene.control.CheckBox) tcp.lookup("#stepModeCheck")).setSelected(false));
    }
}
