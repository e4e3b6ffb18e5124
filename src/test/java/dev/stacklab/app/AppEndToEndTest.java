package dev.stacklab.app;

import dev.stacklab.capture.CaptureReader;
import dev.stacklab.dissect.FieldNode;
import javafx.geometry.Point2D;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeView;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real window end to end, headless, as a user drives it: the sample capture opened from the toolbar, a
 * display filter typed (good and bad), a field's bytes and a byte's field, a capture saved and read back.
 * One window for the class: starting one costs seconds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AppEndToEndTest {
    private AppWindow window;
    private final FxRobot robot = new FxRobot();

    @BeforeAll
    void start() throws Exception {
        window = AppWindow.start("AppEndToEndTest");
    }

    @AfterAll
    void stop() throws Exception {
        window.close();
    }

    @SuppressWarnings("unchecked")
    private TableView<Object> packetList() {
        return window.lookup("#packetList", TableView.class);
    }

    private List<String> column(String id) {
        TableView<Object> list = packetList();
        return AppWindow.call(() -> {
            TableColumn<Object, ?> column = list.getColumns().stream().filter(c -> id.equals(c.getId())).findFirst().orElseThrow();
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < list.getItems().size(); i++) {
                cells.add(String.valueOf(column.getCellData(i)));
            }
            return cells;
        });
    }

    private void openSample() {
        robot.clickOn(window.lookup("#sampleButton", Button.class));
        AppWindow.waitUntil("the sample capture in the packet list", () -> packetList().getItems().size() > 10);
    }

    private javafx.scene.Parent toolTab(String title) {
        javafx.scene.control.TabPane tools = window.lookup(".tool-tabs", javafx.scene.control.TabPane.class);
        return AppWindow.call(() -> {
            javafx.scene.control.Tab tab = tools.getTabs().stream().filter(t -> t.getText().equals(title)).findFirst().orElseThrow();
            tools.getSelectionModel().select(tab);
            return (javafx.scene.Parent) tab.getContent();
        });
    }

    @Test
    @Order(0)
    void pingThePeerFromThePingPaneAndSeeRepliesAndFrames() {
        org.controlsfx.control.StatusBar bar = window.lookup(".main-status-bar", org.controlsfx.control.StatusBar.class);
        AppWindow.waitUntil("the simulated LAN to be up", () -> "Simulated LAN: up".equals(bar.getText()));
        javafx.scene.Parent ping = toolTab("Ping");
        TextField target = (TextField) AppWindow.call(() -> ping.lookup("#targetField"));
        TextField count = (TextField) AppWindow.call(() -> ping.lookup("#countField"));
        // A new user presses Start without typing: the pane offers the simulated LAN's server.
        assertThat(AppWindow.<String>call(target::getText)).isEqualTo("10.0.0.1");
        AppWindow.run(() -> count.setText("3"));
        robot.clickOn((Button) AppWindow.call(() -> ping.lookup("#startButton")));
        @SuppressWarnings("unchecked")
        javafx.scene.control.ListView<Object> output = (javafx.scene.control.ListView<Object>) AppWindow.call(() -> ping.lookup("#outputList"));
        AppWindow.waitUntil("three replies from 10.0.0.1",
                () -> output.getItems().stream().filter(line -> String.valueOf(line).contains("bytes from 10.0.0.1")).count() >= 3);
        AppWindow.waitUntil("the echo requests and replies in the packet list",
                () -> column("infoColumn").stream().filter(info -> info.startsWith("Echo (ping) reply")).count() >= 3);
        assertThat(column("infoColumn").stream().filter(info -> info.startsWith("Echo (ping) request")).count()).isGreaterThanOrEqualTo(3);
    }

    @Test
    @Order(0)
    void resolveThePeerFromTheArpPaneAndSeeTheCacheRow() {
        javafx.scene.Parent arp = toolTab("ARP");
        TextField address = (TextField) AppWindow.call(() -> arp.lookup("#addressField"));
        AppWindow.run(() -> address.setText("10.0.0.3"));
        robot.clickOn((Button) AppWindow.call(() -> arp.lookup("#resolveButton")));
        @SuppressWarnings("unchecked")
        TableView<Object> table = (TableView<Object>) AppWindow.call(() -> arp.lookup("#neighborTable"));
        AppWindow.waitUntil("10.0.0.3 in the neighbor cache", () -> table.getItems().stream().anyMatch(row -> {
            TableColumn<Object, ?> ip = table.getColumns().stream().filter(c -> "ipColumn".equals(c.getId())).findFirst().orElseThrow();
            return "10.0.0.3".equals(String.valueOf(ip.getCellObservableValue(row).getValue()));
        }));
        AppWindow.waitUntil("the ARP request and reply in the packet list",
                () -> column("infoColumn").stream().anyMatch(info -> info.startsWith("10.0.0.3 is at")));
        toolTab("Ping");
    }

    @Test
    @Order(1)
    void theSampleCaptureOpensFromTheToolbar() {
        openSample();
        assertThat(column("protocolColumn")).contains("ARP", "ICMP", "TCP", "UDP");
        Label frames = window.lookup(".main-status-bar .status-item", Label.class);
        assertThat(AppWindow.call(frames::getText)).isEqualTo("Frames: " + AppWindow.call(() -> packetList().getItems().size()));
    }

    @Test
    @Order(2)
    void aDisplayFilterShrinksTheListAndABadOneSaysWhere() {
        int all = AppWindow.call(() -> packetList().getItems().size());
        TextField filter = window.lookup("#filterField", TextField.class);
        robot.clickOn(filter).write("icmp").type(KeyCode.ENTER);
        AppWindow.waitUntil("the list to shrink to ICMP", () -> packetList().getItems().size() < all && !packetList().getItems().isEmpty());
        assertThat(column("protocolColumn")).allMatch(protocol -> protocol.equals("ICMP") || protocol.equals("IPv4"));

        AppWindow.run(filter::clear);
        robot.clickOn(filter).write("icmp.type == ").type(KeyCode.ENTER);
        Label error = window.lookup("#filterErrorLabel", Label.class);
        AppWindow.waitUntil("the filter error", () -> error.isVisible() && !error.getText().isBlank());
        assertThat(AppWindow.call(error::getText)).isNotBlank();

        AppWindow.run(filter::clear);
        robot.clickOn(filter).type(KeyCode.ENTER);
        AppWindow.waitUntil("every frame back", () -> packetList().getItems().size() == all);
    }

    @Test
    @Order(3)
    void aFieldShowsItsBytesAndAByteSelectsItsField() {
        int icmpRow = column("protocolColumn").indexOf("ICMP");
        assertThat(icmpRow).isNotNegative();
        AppWindow.run(() -> {
            packetList().getSelectionModel().clearAndSelect(icmpRow);
            packetList().scrollTo(icmpRow);
        });
        @SuppressWarnings("unchecked")
        TreeView<FieldNode> details = window.lookup("#detailsTree", TreeView.class);
        AppWindow.waitUntil("the frame's tree", () -> details.getRoot() != null && !details.getRoot().getChildren().isEmpty());

        TreeItem<FieldNode> ttl = AppWindow.call(() -> find(details.getRoot(), "ip.ttl"));
        assertThat(ttl).as("ip.ttl in the details").isNotNull();
        AppWindow.run(() -> {
            expandTo(ttl);
            details.getSelectionModel().select(ttl);
        });
        dev.stacklab.app.capture.HexView hex = window.lookup("#hexView", dev.stacklab.app.capture.HexView.class);
        AppWindow.waitUntil("the TTL byte highlighted", () -> hex.highlightOffset() == ttl.getValue().offset() && hex.highlightLength() == 1);

        // Click the byte after Ethernet (14) and a 20-byte IPv4 header: ICMP's type must become the selected field.
        Point2D icmpType = AppWindow.call(() -> hex.localToScreen(hex.byteCenter(34)));
        robot.moveTo(icmpType).clickOn(MouseButton.PRIMARY);
        AppWindow.waitUntil("icmp.type selected in the details", () -> {
            TreeItem<FieldNode> selected = details.getSelectionModel().getSelectedItem();
            return selected != null && selected.getValue().name().equals("icmp.type");
        });
        assertThat(AppWindow.call(() -> hex.highlightOffset())).isEqualTo(34);
        assertThat(AppWindow.call(() -> hex.highlightLength())).isEqualTo(1);
    }

    @Test
    @Order(4)
    void aSavedCaptureReadsBackFrameForFrame(@TempDir Path directory) throws Exception {
        Path saved = directory.resolve("saved.pcap");
        int shown = AppWindow.call(() -> packetList().getItems().size());
        AppWindow.run(() -> StacklabApp.lastViewModel.saveCapture(saved));
        AppWindow.waitUntil("the saved file", () -> Files.exists(saved) && !window.lookup("#progressRow", javafx.scene.Node.class).isVisible());
        int read = 0;
        try (CaptureReader reader = CaptureReader.open(saved)) {
            while (reader.next()) {
                read++;
            }
        }
        assertThat(read).isEqualTo(shown);
    }

    private static TreeItem<FieldNode> find(TreeItem<FieldNode> item, String name) {
        if (item.getValue() != null && name.equals(item.getValue().name())) {
            return item;
        }
        for (TreeItem<FieldNode> child : item.getChildren()) {
            TreeItem<FieldNode> found = find(child, name);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static void expandTo(TreeItem<?> item) {
        for (TreeItem<?> parent = item.getParent(); parent != null; parent = parent.getParent()) {
            parent.setExpanded(true);
        }
    }
}
