package dev.stacklab.app;

import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Follow TCP Stream from the packet list (its right-click menu, or Ctrl+Alt+Shift+T), as in Wireshark: the list shows only the stream, a
 * window shows the HTTP request in the client's colour and the response in the server's, a click on a line selects
 * its frame, and "Filter Out This Stream" hides the stream.
 */
class FollowStreamWindowTest {
    /** curl fetching /hello.txt from python3 -m http.server (scripts/make-http-tls-captures.sh); stream 0. */
    private static final Path HTTP_CAPTURE = Path.of("src/test/resources/dev/stacklab/dissect/http.pcap");
    private final FxRobot robot = new FxRobot();
    private AppWindow window;

    @AfterEach
    void stop() throws Exception {
        StacklabApp.captureToOpen = null;
        AppWindow.run(() -> followWindows().forEach(Window::hide));
        if (window != null) {
            window.close();
        }
    }

    private static List<Window> followWindows() {
        return AppWindow.windowsStyled("follow-stream");
    }

    @Test
    void followTcpStreamShowsTheConversationAndFiltersTheList() throws Exception {
        StacklabApp.captureToOpen = HTTP_CAPTURE;
        window = AppWindow.start("FollowStreamWindowTest");
        @SuppressWarnings("unchecked")
        TableView<Object> list = window.lookup("#packetList", TableView.class);
        AppWindow.waitUntil("http.pcap's 141 frames", () -> list.getItems().size() == 141);
        // Frame 4 is curl's GET.
        AppWindow.run(() -> {
            list.getSelectionModel().clearAndSelect(3);
            list.scrollTo(0);
            list.requestFocus();
        });
        // The right-click menu offers both; Wireshark's keys do the same (Monocle shows no context menus).
        assertThat(AppWindow.call(() -> list.getContextMenu().getItems().stream()
                .filter(item -> !(item instanceof javafx.scene.control.SeparatorMenuItem)).map(javafx.scene.control.MenuItem::getText).toList()))
                .containsExactly("Follow TCP Stream", "Follow UDP Stream", "Export Displayed Frames…");
        robot.press(KeyCode.CONTROL, KeyCode.ALT, KeyCode.SHIFT, KeyCode.T).release(KeyCode.T, KeyCode.SHIFT, KeyCode.ALT, KeyCode.CONTROL);

        AppWindow.waitUntil("the Follow TCP Stream window", () -> !followWindows().isEmpty());
        Parent follow = AppWindow.call(() -> followWindows().get(0).getScene().getRoot());
        @SuppressWarnings("unchecked")
        ListView<Object> text = (ListView<Object>) AppWindow.call(() -> follow.lookup("#textList"));
        AppWindow.waitUntil("the request and the response in the window", () -> text.getItems().size() > 5);
        List<String> lines = AppWindow.call(() -> text.getItems().stream().map(line -> ((dev.stacklab.app.capture.FollowStreamViewModel.Line) line).text()).toList());
        assertThat(lines).contains("GET /hello.txt HTTP/1.1", "HTTP/1.0 200 OK", "hello from the namespace");
        assertThat(AppWindow.call(() -> followWindows().get(0) instanceof javafx.stage.Stage stage ? stage.getTitle() : ""))
                .startsWith("Follow TCP Stream (tcp.stream eq 0)");
        // The request line is the client's colour, the body the server's.
        AppWindow.waitUntil("lines coloured by who sent them", () -> follow.lookupAll(".list-cell").stream()
                .anyMatch(cell -> cell.getPseudoClassStates().contains(javafx.css.PseudoClass.getPseudoClass("client")))
                && follow.lookupAll(".list-cell").stream()
                .anyMatch(cell -> cell.getPseudoClassStates().contains(javafx.css.PseudoClass.getPseudoClass("server"))));

        // The packet list shows the stream only: its 12 frames (tshark -Y "tcp.stream eq 0" -r http.pcap).
        TextField filter = window.lookup("#filterField", TextField.class);
        AppWindow.waitUntil("tcp.stream eq 0 applied", () -> "tcp.stream eq 0".equals(filter.getText()) && list.getItems().size() == 12);

        // A click on the body's line selects frame 8, which carried it.
        int body = lines.indexOf("hello from the namespace");
        AppWindow.run(() -> text.getSelectionModel().clearAndSelect(body));
        AppWindow.waitUntil("frame 8 selected in the packet list",
                () -> StacklabApp.lastViewModel != null && list.getSelectionModel().getSelectedItem() != null
                        && list.getSelectionModel().getSelectedItem().toString().contains("number=8,"));

        robot.clickOn((Button) AppWindow.call(() -> follow.lookup("#filterOutButton")));
        AppWindow.waitUntil("the stream filtered out", () -> "!(tcp.stream eq 0)".equals(filter.getText()) && list.getItems().size() == 141 - 12);
        assertThat(AppWindow.call(FollowStreamWindowTest::followWindows)).as("the window closes").isEmpty();
    }
}
