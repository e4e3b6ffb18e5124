package dev.stacklab.app;

import dev.stacklab.dissect.FieldNode;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeView;

/**
 * Puts real data into the window before the previews are taken: a ping of the simulated server, the peer
 * resolved, a datagram echoed on port 7, a TCP connection to the echo service opened, used and closed, and then
 * the sample capture with an ICMP frame selected and its layers open.
 */
final class PreviewScenes {
    private PreviewScenes() {
    }

    static void prepare(AppWindow window) {
        Parent ping = tab(window, "Ping");
        AppWindow.run(() -> {
            ((TextField) ping.lookup("#targetField")).setText("10.0.0.1");
            ((TextField) ping.lookup("#countField")).setText("8");
            ((TextField) ping.lookup("#intervalField")).setText("0.2");
            ((Button) ping.lookup("#startButton")).fire();
        });
        Parent arp = tab(window, "ARP");
        AppWindow.run(() -> {
            ((TextField) arp.lookup("#addressField")).setText("10.0.0.3");
            ((Button) arp.lookup("#resolveButton")).fire();
        });
        Parent udp = tab(window, "UDP");
        AppWindow.run(() -> {
            ((TextField) udp.lookup("#bindPortField")).setText("5000");
            ((Button) udp.lookup("#bindButton")).fire();
        });
        AppWindow.waitUntil("the UDP port bound", () -> !((Button) udp.lookup("#unbindButton")).isDisabled());
        AppWindow.run(() -> {
            ((TextField) udp.lookup("#destinationField")).setText("10.0.0.1");
            ((TextField) udp.lookup("#destinationPortField")).setText("7");
            ((TextArea) udp.lookup("#payloadArea")).setText("hello from stacklab");
            ((Button) udp.lookup("#sendButton")).fire();
        });
        AppWindow.waitUntil("the echo back", () -> !((TableView<?>) udp.lookup("#receivedTable")).getItems().isEmpty());
        Parent tcp = tab(window, "TCP");
        AppWindow.run(() -> {
            ((TextField) tcp.lookup("#hostField")).setText("10.0.0.1");
            ((TextField) tcp.lookup("#portField")).setText("7");
            ((Button) tcp.lookup("#connectButton")).fire();
        });
        AppWindow.waitUntil("the TCP connection", () -> !((Button) tcp.lookup("#sendButton")).isDisabled());
        AppWindow.run(() -> {
            ((TextField) tcp.lookup("#payloadField")).setText("hello over TCP");
            ((Button) tcp.lookup("#sendButton")).fire();
        });
        AppWindow.waitUntil("the TCP echo", () -> ((TextArea) tcp.lookup("#receivedArea")).getText().contains("hello"));
        AppWindow.run(() -> ((Button) tcp.lookup("#closeButton")).fire());
        AppWindow.waitUntil("TIME-WAIT", () -> String.valueOf(((ListView<?>) tcp.lookup("#connectionList")).getItems())
                .contains("TIME-WAIT"));
        AppWindow.waitUntil("the neighbour row", () -> !((TableView<?>) arp.lookup("#neighborTable")).getItems().isEmpty());
        AppWindow.waitUntil("the ping's statistics", () -> ((ListView<?>) ping.lookup("#outputList")).getItems().stream()
                .anyMatch(line -> String.valueOf(line).contains("packets transmitted")));
        tab(window, "Ping");

        AppWindow.run(() -> window.lookup("#sampleButton", Button.class).fire());
        TableView<?> packets = window.lookup("#packetList", TableView.class);
        AppWindow.waitUntil("the sample capture", () -> packets.getItems().size() > 10);
        AppWindow.run(() -> {
            int row = 0;
            for (int i = 0; i < packets.getItems().size(); i++) {
                if ("ICMP".equals(String.valueOf(packets.getColumns().get(protocolColumn(packets)).getCellData(i)))) {
                    row = i;
                    break;
                }
            }
            packets.getSelectionModel().clearAndSelect(row);
            packets.scrollTo(Math.max(0, row - 2));
        });
        @SuppressWarnings("unchecked")
        TreeView<FieldNode> details = window.lookup("#detailsTree", TreeView.class);
        AppWindow.waitUntil("the frame's tree", () -> details.getRoot() != null && !details.getRoot().getChildren().isEmpty());
        AppWindow.run(() -> {
            for (TreeItem<FieldNode> layer : details.getRoot().getChildren()) {
                if (layer.getValue().name().equals("icmp")) {
                    layer.setExpanded(true);
                    details.getSelectionModel().select(layer.getChildren().isEmpty() ? layer : layer.getChildren().get(0));
                }
            }
        });
    }

    static void prepareTab(AppWindow window, String tabTitle) {
    }

    /**
     * The TCP tab in step mode, the handshake scenario two steps in: the client ESTABLISHED, the server in
     * SYN-RECEIVED, the client's ACK held on the wire; the capture cleared first, so that it holds the SYN and the
     * SYN-ACK, the second selected.
     */
    static Parent tcpStepModeMidHandshake(AppWindow window) {
        // Clear returns the capture from the sample file to the live network, where the scenario's frames go.
        AppWindow.run(() -> window.lookup("#clearButton", Button.class).fire());
        Parent tcp = tab(window, "TCP");
        AppWindow.run(() -> ((Button) tcp.lookup("#runScenarioButton")).fire());
        AppWindow.waitUntil("the handshake scenario", () -> ((Label) tcp.lookup("#stepCounterLabel")).getText() != null
                && ((Label) tcp.lookup("#stepCounterLabel")).getText().startsWith("Step 0 of 3"));
        for (int step = 1; step <= 2; step++) {
            AppWindow.run(() -> ((Button) tcp.lookup("#stepButton")).fire());
            String counter = "Step " + step + " of 3";
            AppWindow.waitUntil(counter, () -> ((Label) tcp.lookup("#stepCounterLabel")).getText().startsWith(counter));
        }
        TableView<?> packets = window.lookup("#packetList", TableView.class);
        AppWindow.waitUntil("the scenario's two frames in the capture", () -> packets.getItems().size() == 2);
        AppWindow.run(() -> packets.getSelectionModel().clearAndSelect(1));
        return tcp;
    }

    static void leaveTcpStepMode(Parent tcp) {
        AppWindow.run(() -> ((javafx.scene.control.CheckBox) tcp.lookup("#stepModeCheck")).setSelected(false));
    }

    /**
     * The TCP tab after a bulk transfer with loss: the Link tab set to 3% loss and 5 ms delay, a connection to the
     * discard service (port 9), 300 kB sent from the Charts tab, waited for until the ladder shows a retransmission
     * and every byte is acknowledged; the impairments are reset afterwards ({@link #leaveBulkTransfer}).
     */
    static Parent tcpBulkTransferWithLoss(AppWindow window) {
        AppWindow.run(() -> window.lookup("#clearButton", Button.class).fire());
        Parent link = tab(window, "Link");
        AppWindow.run(() -> {
            ((javafx.scene.control.Slider) link.lookup("#loss")).setValue(3);
            ((javafx.scene.control.Slider) link.lookup("#delay")).setValue(5);
        });
        Parent tcp = tab(window, "TCP");
        AppWindow.run(() -> {
            ((TextField) tcp.lookup("#hostField")).setText("10.0.0.1");
            ((TextField) tcp.lookup("#portField")).setText("9");
            ((Button) tcp.lookup("#connectButton")).fire();
        });
        AppWindow.waitUntil("the connection to the discard service", () -> !((Button) tcp.lookup("#sendButton")).isDisabled());
        TabPane analysis = (TabPane) AppWindow.call(() -> tcp.lookup("#analysisTabs"));
        AppWindow.run(() -> {
            analysis.getSelectionModel().select(analysis.getTabs().stream().filter(t -> t.getText().equals("Charts")).findFirst().orElseThrow());
            ((TextField) tcp.lookup("#blockSizeField")).setText("300000");
            ((Button) tcp.lookup("#sendBlockButton")).fire();
        });
        Label summary = (Label) AppWindow.call(() -> tcp.lookup("#ladderSummary"));
        AppWindow.waitUntil("a retransmission in the ladder and the block acknowledged", 90, () -> summary.getText().contains("retransmission")
                && ((Label) tcp.lookup("#resultLabel")).getText().startsWith("Sent a block of 300000 bytes")
                && ((dev.stacklab.app.tcp.ladder.LadderPane) tcp.lookup("#ladderPane")).viewModel().shownProperty().get()
                        .segments().stream().anyMatch(s -> s.acknowledgment() == 300_001));
        return tcp;
    }

    static void leaveBulkTransfer(AppWindow window) {
        Parent link = tab(window, "Link");
        AppWindow.run(() -> {
            ((javafx.scene.control.Slider) link.lookup("#loss")).setValue(0);
            ((javafx.scene.control.Slider) link.lookup("#delay")).setValue(0);
        });
    }

    /** {@code content} alone in a scene of its own at the given size, styled as the main window, for a snapshot. */
    static Parent alone(AppWindow window, Parent content, double width, double height) {
        return AppWindow.call(() -> {
            javafx.scene.Scene scene = new javafx.scene.Scene(content, width, height);
            scene.getStylesheets().setAll(window.stage.getScene().getStylesheets());
            content.getStylesheets().addAll(window.root().getStylesheets());
            content.applyCss();
            content.layout();
            return content;
        });
    }

    private static int protocolColumn(TableView<?> packets) {
        for (int i = 0; i < packets.getColumns().size(); i++) {
            if ("protocolColumn".equals(packets.getColumns().get(i).getId())) {
                return i;
            }
        }
        throw new AssertionError("no Protocol column");
    }

    private static Parent tab(AppWindow window, String title) {
        TabPane tools = window.lookup(".tool-tabs", TabPane.class);
        return AppWindow.call(() -> {
            Tab tab = tools.getTabs().stream().filter(t -> t.getText().equals(title)).findFirst().orElseThrow();
            tools.getSelectionModel().select(tab);
            return (Parent) tab.getContent();
        });
    }
}
