package dev.stacklab.app;

import dev.stacklab.app.tcp.ladder.ConnectionTrace;
import dev.stacklab.app.tcp.ladder.LadderDiagram;
import dev.stacklab.app.tcp.ladder.LadderSegment;
import javafx.geometry.Point2D;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.testfx.api.FxRobot;

import java.lang.reflect.Field;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The TCP pane's ladder in the real window (Monocle): a connection to the simulated LAN's echo service draws the
 * handshake's three arrows; clicking an arrow selects its frame in the packet list, and selecting a frame in the
 * packet list highlights its arrow.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TcpLadderWindowTest {
    private AppWindow window;
    private final FxRobot robot = new FxRobot();

    @BeforeAll
    void start() throws Exception {
        window = AppWindow.start("TcpLadderWindowTest");
        // Tall enough for the TCP pane's connections, state diagram and a ladder of a few rows one above the other.
        AppWindow.run(() -> {
            window.stage.setX(0);
            window.stage.setY(0);
            window.stage.setWidth(1400);
            window.stage.setHeight(980);
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

    @SuppressWarnings("unchecked")
    private TableView<Object> packetList() {
        return window.lookup("#packetList", TableView.class);
    }

    /** The No. column of the packet list's selected row, or 0. */
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

    private static ConnectionTrace shown(LadderDiagram diagram) throws ReflectiveOperationException {
        Field viewModel = LadderDiagram.class.getDeclaredField("viewModel");
        viewModel.setAccessible(true);
        return ((dev.stacklab.app.tcp.ladder.LadderViewModel) viewModel.get(diagram)).shownProperty().get();
    }

    @Test
    void aConnectionToTheEchoPeerDrawsTheHandshakeAndArrowsAndFramesSelectEachOther() throws Exception {
        org.controlsfx.control.StatusBar bar = window.lookup(".main-status-bar", org.controlsfx.control.StatusBar.class);
        AppWindow.waitUntil("the simulated LAN to be up", () -> "Simulated LAN: up".equals(bar.getText()));
        Parent tcp = toolTab("TCP");
        TextField host = (TextField) AppWindow.call(() -> tcp.lookup("#hostField"));
        TextField port = (TextField) AppWindow.call(() -> tcp.lookup("#portField"));
        AppWindow.run(() -> {
            host.setText("10.0.0.1");
            port.setText("7");
        });
        robot.clickOn((Button) AppWindow.call(() -> tcp.lookup("#connectButton")));
        javafx.scene.control.TabPane views = (javafx.scene.control.TabPane) AppWindow.call(() -> tcp.lookup("#analysisTabs"));
        AppWindow.run(() -> views.getSelectionModel().select(views.getTabs().stream()
                .filter(tab -> tab.getText().equals("Ladder")).findFirst().orElseThrow()));

        LadderDiagram diagram = (LadderDiagram) AppWindow.call(() -> tcp.lookup("#ladderDiagram"));
        AppWindow.waitUntil("three arrows in the ladder", () -> diagram.rowCount() >= 3);
        ConnectionTrace trace = AppWindow.call(() -> shown(diagram));
        List<LadderSegment> segments = AppWindow.call(() -> List.copyOf(trace.segments()));
        assertThat(segments.subList(0, 3)).extracting(LadderSegment::flagText).containsExactly("[SYN]", "[SYN, ACK]", "[ACK]");
        assertThat(segments.subList(0, 3)).extracting(LadderSegment::fromA).containsExactly(true, false, true);
        assertThat(trace.ends().endA()).startsWith("10.0.0.2:");
        assertThat(trace.ends().endB()).isEqualTo("10.0.0.1:7");
        Label summary = (Label) AppWindow.call(() -> tcp.lookup("#ladderSummary"));
        assertThat(AppWindow.call(summary::getText)).startsWith(trace.ends() + ": ");

        // Click the SYN-ACK's arrow: the packet list selects its frame.
        Point2D synAck = AppWindow.call(() -> {
            Point2D centre = diagram.arrowCentre(1);
            return centre == null ? null : diagram.localToScreen(centre);
        });
        assertThat(synAck).as("the SYN-ACK's arrow in sight").isNotNull();
        robot.clickOn(synAck);
        int synAckFrame = segments.get(1).frameNumber();
        AppWindow.waitUntil("frame " + synAckFrame + " selected in the packet list", () -> selectedFrameNumber() == synAckFrame);

        // Select the handshake's last ACK in the packet list: its arrow is highlighted.
        int ackFrame = segments.get(2).frameNumber();
        TableView<Object> list = packetList();
        AppWindow.run(() -> {
            for (int i = 0; i < list.getItems().size(); i++) {
                TableColumn<Object, ?> number = list.getColumns().stream().filter(c -> "numberColumn".equals(c.getId())).findFirst().orElseThrow();
                if (((Number) number.getCellObservableValue(list.getItems().get(i)).getValue()).intValue() == ackFrame) {
                    list.getSelectionModel().clearAndSelect(i);
                }
            }
        });
        AppWindow.waitUntil("the ACK's arrow highlighted", () -> {
            try {
                Field viewModel = LadderDiagram.class.getDeclaredField("viewModel");
                viewModel.setAccessible(true);
                return ((dev.stacklab.app.tcp.ladder.LadderViewModel) viewModel.get(diagram)).selectedIndexProperty().get() == 2;
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        });

        // The PNG export: the whole ladder, a row per segment under the header.
        java.nio.file.Path png = java.nio.file.Files.createTempDirectory("ladder").resolve("ladder.png");
        dev.stacklab.app.tcp.ladder.LadderPane pane = (dev.stacklab.app.tcp.ladder.LadderPane) AppWindow.call(() -> tcp.lookup("#ladderPane"));
        int rows = AppWindow.call(diagram::rowCount);
        AppWindow.run(() -> pane.savePng(png));
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
        assertThat(image.getHeight()).as("a header and %d rows of 30 px", rows).isEqualTo(46 + rows * 30 + 10);
        assertThat(image.getWidth()).isGreaterThan(700);
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int x = 0; x < image.getWidth(); x += 3) {
            colours.add(image.getRGB(x, 46 + 15 + 3));
        }
        assertThat(colours).as("the first row holds more than the background: an arrow, its label").hasSizeGreaterThan(3);
        java.nio.file.Files.deleteIfExists(png);
    }
}
