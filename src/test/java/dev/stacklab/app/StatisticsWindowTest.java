package dev.stacklab.app;

import dev.stacklab.dissect.Conversation;
import dev.stacklab.dissect.ProtocolNode;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableView;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Statistics from the capture pane's menu, on the real window: the Conversations tab lists http.pcap's TCP
 * conversation and a double-click on it filters the packet list to its frames; the Protocol Hierarchy counts every
 * frame; an expert item's frame, clicked, is selected in the packet list.
 */
class StatisticsWindowTest {
    /** curl fetching /hello.txt from python3 -m http.server (scripts/make-http-tls-captures.sh). */
    private static final Path HTTP_CAPTURE = Path.of("src/test/resources/dev/stacklab/dissect/http.pcap");
    private AppWindow window;

    @AfterEach
    void stop() throws Exception {
        StacklabApp.captureToOpen = null;
        AppWindow.run(() -> statisticsWindows().forEach(Window::hide));
        if (window != null) {
            window.close();
        }
    }

    private static List<Window> statisticsWindows() {
        return AppWindow.windowsStyled("statistics");
    }

    /** Opens the Statistics window from the capture pane's menu item {@code title} (Monocle shows no menus: fired). */
    private Parent openStatistics(String title) {
        MenuButton menu = window.lookup("#statisticsButton", MenuButton.class);
        assertThat(AppWindow.call(() -> menu.getItems().stream().map(MenuItem::getText).toList()))
                .containsExactly("Conversations", "Endpoints", "Protocol Hierarchy", "Expert Information", "I/O Graph");
        AppWindow.run(() -> menu.getItems().stream().filter(item -> item.getText().equals(title)).findFirst().orElseThrow().fire());
        AppWindow.waitUntil("the Statistics window", () -> !statisticsWindows().isEmpty());
        Parent statistics = AppWindow.call(() -> statisticsWindows().get(0).getScene().getRoot());
        AppWindow.waitUntil("the frames counted", () -> AppWindow.call(() -> !statistics.lookup("#progressRow").isVisible()));
        return statistics;
    }

    @Test
    void conversationsFilterTheListAndTheHierarchyCountsEveryFrame() throws Exception {
        StacklabApp.captureToOpen = HTTP_CAPTURE;
        window = AppWindow.start("StatisticsWindowTest");
        @SuppressWarnings("unchecked")
        TableView<Object> list = window.lookup("#packetList", TableView.class);
        AppWindow.waitUntil("http.pcap's 141 frames", () -> list.getItems().size() == 141);

        Parent statistics = openStatistics("Conversations");
        TabPane tabs = (TabPane) AppWindow.call(() -> statistics.lookup("#tabs"));
        assertThat(AppWindow.call(() -> tabs.getSelectionModel().getSelectedItem().getText())).isEqualTo("Conversations");
        TabPane types = (TabPane) AppWindow.call(() -> statistics.lookup("#conversationTypes"));
        Tab tcp = AppWindow.call(() -> types.getTabs().stream().filter(tab -> tab.getText().startsWith("TCP")).findFirst().orElseThrow());
        @SuppressWarnings("unchecked")
        TableView<Conversation> tcpTable = (TableView<Conversation>) tcp.getContent();
        int conversations = AppWindow.call(() -> tcpTable.getItems().size());
        assertThat(conversations).isPositive();
        assertThat(AppWindow.call(tcp::getText)).isEqualTo("TCP · " + conversations);

        // A double-click on the first conversation shows only its frames.
        AppWindow.run(() -> types.getSelectionModel().select(tcp));
        Conversation first = AppWindow.call(() -> tcpTable.getItems().get(0));
        AppWindow.waitUntil("the conversation's row", () -> AppWindow.call(() -> firstRow(tcpTable) != null));
        // One click event counting two, as a double-click reaches the row: the robot's two clicks only make one when
        // they arrive within the platform's double-click time, which a loaded machine does not promise.
        Node row = AppWindow.call(() -> firstRow(tcpTable));
        AppWindow.run(() -> javafx.event.Event.fireEvent(row, doubleClick()));
        TextField filter = window.lookup("#filterField", TextField.class);
        AppWindow.waitUntil("the conversation's filter applied",
                () -> first.filter().equals(filter.getText()) && list.getItems().size() == first.frames());

        // The hierarchy's root is every frame held, with Ethernet under it.
        AppWindow.run(() -> tabs.getSelectionModel().select(2));
        @SuppressWarnings("unchecked")
        TreeTableView<ProtocolNode> hierarchy = (TreeTableView<ProtocolNode>) AppWindow.call(() -> statistics.lookup("#hierarchyTable"));
        TreeItem<ProtocolNode> root = AppWindow.call(hierarchy::getRoot);
        assertThat(root.getValue().frames()).isEqualTo(141);
        assertThat(AppWindow.call(() -> root.getChildren().stream().map(child -> child.getValue().protocol()).toList())).contains("eth");

        // Expert Information: an item opened lists its frames; clicking one selects it in the packet list.
        AppWindow.run(() -> tabs.getSelectionModel().select(3));
        @SuppressWarnings("unchecked")
        TreeTableView<Object> expert = (TreeTableView<Object>) AppWindow.call(() -> statistics.lookup("#expertTable"));
        TreeItem<Object> item = AppWindow.call(() -> expert.getRoot().getChildren().get(0));
        AppWindow.run(() -> item.setExpanded(true));
        TreeItem<Object> frameRow = AppWindow.call(() -> item.getChildren().get(0));
        String frameText = AppWindow.call(() -> frameRow.getValue().toString());
        int frame = Integer.parseInt(frameText.replaceAll(".*frameNumber=(\\d+).*", "$1"));
        AppWindow.run(() -> window.lookup("#clearFilterButton", javafx.scene.control.Button.class).fire());
        AppWindow.waitUntil("every frame listed again", () -> list.getItems().size() == 141);
        AppWindow.run(() -> expert.getSelectionModel().select(frameRow));
        AppWindow.waitUntil("frame " + frame + " selected in the packet list",
                () -> list.getSelectionModel().getSelectedItem() != null
                        && list.getSelectionModel().getSelectedItem().toString().contains("number=" + frame + ","));

        // The I/O graph: a line of every frame and one of the TCP analysis' flags, their points adding up to the frames.
        AppWindow.run(() -> tabs.getSelectionModel().select(4));
        @SuppressWarnings("unchecked")
        javafx.scene.chart.LineChart<Number, Number> io = (javafx.scene.chart.LineChart<Number, Number>) AppWindow.call(() -> statistics.lookup("#ioChart"));
        AppWindow.waitUntil("two lines drawn", () -> io.getData().size() == 2);
        assertThat(AppWindow.call(() -> io.getData().stream().map(javafx.scene.chart.XYChart.Series::getName).toList()))
                .containsExactly("All frames", "tcp.analysis.flags");
        double framesDrawn = AppWindow.call(() -> io.getData().get(0).getData().stream().mapToDouble(point -> point.getYValue().doubleValue()).sum());
        assertThat(framesDrawn).isEqualTo(141);
    }

    private static javafx.scene.input.MouseEvent doubleClick() {
        return new javafx.scene.input.MouseEvent(javafx.scene.input.MouseEvent.MOUSE_CLICKED, 5, 5, 5, 5,
                javafx.scene.input.MouseButton.PRIMARY, 2, false, false, false, false, false, false, false, false, false, true, null);
    }

    private static Node firstRow(TableView<?> table) {
        return table.lookupAll(".table-row-cell").stream()
                .filter(node -> node instanceof TableRow<?> row && row.getIndex() == 0 && !row.isEmpty()).findFirst().orElse(null);
    }
}
