package dev.stacklab.app;

import javafx.css.PseudoClass;
import javafx.scene.Node;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.scene.text.Font;
import javafx.scene.text.Text;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code stacklab FILE} (or {@code gui FILE}) opens the window with the capture in its panes, as {@code wireshark FILE}
 * does; the columns fit what the file holds (whole IPv6 addresses) and the rows carry Wireshark's colours for it.
 */
class AppOpensCaptureTest {
    private static final Path IPV6_CAPTURE = Path.of("src/test/resources/dev/stacklab/dissect/ipv6-kernel.pcap");
    private final org.testfx.api.FxRobot robot = new org.testfx.api.FxRobot();
    private AppWindow window;

    @AfterEach
    void stop() throws Exception {
        StacklabApp.captureToOpen = null;
        if (window != null) {
            window.close();
        }
    }

    @Test
    void theCaptureNamedOnTheCommandLineOpensWithItsColumnsFittedAndColoured() throws Exception {
        StacklabApp.captureToOpen = IPV6_CAPTURE;
        window = AppWindow.start("AppOpensCaptureTest");
        @SuppressWarnings("unchecked")
        TableView<Object> list = window.lookup("#packetList", TableView.class);
        // tshark -r ipv6-kernel.pcap lists 62 frames.
        AppWindow.waitUntil("the capture's 62 frames in the packet list", () -> list.getItems().size() == 62);
        TableColumn<Object, ?> source = AppWindow.call(() -> list.getColumns().stream().filter(c -> "sourceColumn".equals(c.getId())).findFirst().orElseThrow());
        // The capture's longest source, a global address the router advertised (tshark -T fields -e _ws.col.Source).
        AppWindow.waitUntil("the Source column wide enough for fd00:56::56ff:fe00:1", () -> {
            Text text = new Text("fd00:56::56ff:fe00:1");
            Node cell = list.lookup(".table-cell");
            text.setFont(cell instanceof javafx.scene.control.Labeled labeled ? labeled.getFont() : Font.getDefault());
            return source.getWidth() > text.getLayoutBounds().getWidth();
        });
        // Every frame is ICMPv6: Wireshark's "ICMP" rule (icmp || icmpv6) colours the rows.
        AppWindow.waitUntil("the first row coloured by the ICMP rule",
                () -> list.lookupAll(".table-row-cell").stream().anyMatch(row -> row.getPseudoClassStates().contains(PseudoClass.getPseudoClass("row-icmp"))));

        // Ctrl+Alt+5, as in Wireshark: the Time column shows seconds since the previous frame and says so in its title;
        // Ctrl+Alt+1 shows the date and time of day, and the column widens to show it whole; Ctrl+Alt+4 goes back.
        TableColumn<Object, ?> time = AppWindow.call(() -> list.getColumns().stream().filter(c -> "timeColumn".equals(c.getId())).findFirst().orElseThrow());
        AppWindow.run(list::requestFocus);
        robot.press(KeyCode.CONTROL, KeyCode.ALT, KeyCode.DIGIT5).release(KeyCode.DIGIT5, KeyCode.ALT, KeyCode.CONTROL);
        AppWindow.waitUntil("the Time column in seconds since the previous frame", () -> "Δ Time".equals(time.getText()));
        AppWindow.waitUntil("the second row's delta (tshark -t d: 0.103912)", () -> timeCells(list).contains("0.103912"));
        double relativeWidth = AppWindow.call(time::getWidth);
        robot.press(KeyCode.CONTROL, KeyCode.ALT, KeyCode.DIGIT1).release(KeyCode.DIGIT1, KeyCode.ALT, KeyCode.CONTROL);
        AppWindow.waitUntil("the date and time of day", () -> "Time (date)".equals(time.getText())
                && timeCells(list).stream().anyMatch(text -> text.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6}")));
        AppWindow.waitUntil("the column widened to a whole date", () -> time.getWidth() > relativeWidth + 60);
        robot.press(KeyCode.CONTROL, KeyCode.ALT, KeyCode.DIGIT4).release(KeyCode.DIGIT4, KeyCode.ALT, KeyCode.CONTROL);
        AppWindow.waitUntil("seconds since the first frame again", () -> "Time".equals(time.getText()) && timeCells(list).contains("0.000000"));

        // Ctrl+G, as in Wireshark: the Go to Packet bar; a frame past the end is a message, frame 40 is selected.
        robot.press(KeyCode.CONTROL, KeyCode.G).release(KeyCode.G, KeyCode.CONTROL);
        javafx.scene.control.TextField goTo = window.lookup("#goToField", javafx.scene.control.TextField.class);
        javafx.scene.control.Label goToMessage = window.lookup("#goToMessage", javafx.scene.control.Label.class);
        javafx.scene.Node goToBar = window.lookup("#goToBar", javafx.scene.Node.class);
        AppWindow.waitUntil("the Go to Packet bar, its field focused", () -> goToBar.isVisible() && goTo.isFocused());
        robot.write("99").press(KeyCode.ENTER).release(KeyCode.ENTER);
        AppWindow.waitUntil("the frame past the end refused",
                () -> "No frame 99: the capture holds 1 to 62".equals(goToMessage.getText()));
        AppWindow.run(() -> goTo.setText(""));
        robot.write("40").press(KeyCode.ENTER).release(KeyCode.ENTER);
        AppWindow.waitUntil("the bar closed", () -> !goToBar.isVisible());
        AppWindow.waitUntil("frame 40 selected", () -> list.getSelectionModel().getSelectedItem() != null
                && list.getSelectionModel().getSelectedItem().toString().contains("number=40,"));
    }

    /** The texts the Time column's cells show now. */
    private static java.util.List<String> timeCells(TableView<Object> list) {
        return AppWindow.call(() -> list.lookupAll(".table-cell").stream()
                .filter(node -> node instanceof javafx.scene.control.TableCell<?, ?> cell && cell.getTableColumn() != null
                        && "timeColumn".equals(cell.getTableColumn().getId()) && cell.getText() != null)
                .map(node -> ((javafx.scene.control.TableCell<?, ?>) node).getText()).toList());
    }
}
