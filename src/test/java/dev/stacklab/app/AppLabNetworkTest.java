package dev.stacklab.app;

import dev.stacklab.app.network.NetworkChoice;
import dev.stacklab.runtime.LabNetwork;
import dev.stacklab.testsupport.Prerequisites;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ListView;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import org.controlsfx.control.StatusBar;
import org.junit.jupiter.api.Test;


/**
 * As root (required when STACKLAB_REQUIRE_NET=1): the real window on the lab network, the veth with the real
 * Linux kernel at its other end (made by the app, removed when it closes): ping the kernel from the Ping pane and
 * resolve it from the ARP pane. Run under the net lock: {@code flock /tmp/stacklab-net.lock mvn -o test ...}.
 */
class AppLabNetworkTest {
    private static final String KERNEL = LabNetwork.KERNEL_ADDRESS.substring(0, LabNetwork.KERNEL_ADDRESS.indexOf('/'));

    @Test
    void pingAndResolveTheRealKernelFromThePanes() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("ip");
        try (AppWindow window = AppWindow.start("AppLabNetworkTest")) {
            @SuppressWarnings("unchecked")
            ComboBox<NetworkChoice> chooser = window.lookup(".network-bar-slot .combo-box", ComboBox.class);
            // The networks are listed in the background once the window is up.
            AppWindow.waitUntil("the lab network in the chooser", () -> chooser.getItems().stream()
                    .anyMatch(choice -> choice.id().equals(NetworkChoice.LAB_NETWORK_ID)));
            AppWindow.run(() -> chooser.getSelectionModel().select(chooser.getItems().stream()
                    .filter(choice -> choice.id().equals(NetworkChoice.LAB_NETWORK_ID)).findFirst().orElseThrow()));
            StatusBar status = window.lookup(".main-status-bar", StatusBar.class);
            AppWindow.waitUntil("the lab network to be up", () -> status.getText().startsWith("Lab network") && status.getText().endsWith(": up"));

            Parent ping = tab(window, "Ping");
            AppWindow.run(() -> {
                ((TextField) ping.lookup("#targetField")).setText(KERNEL);
                ((TextField) ping.lookup("#countField")).setText("3");
                ((Button) ping.lookup("#startButton")).fire();
            });
            ListView<?> output = (ListView<?>) AppWindow.call(() -> ping.lookup("#outputList"));
            AppWindow.waitUntil("three replies from the kernel", () -> output.getItems().stream()
                    .filter(line -> String.valueOf(line).contains("bytes from " + KERNEL)).count() >= 3);

            Parent arp = tab(window, "ARP");
            AppWindow.run(() -> {
                ((Button) arp.lookup("#flushButton")).fire();
                ((TextField) arp.lookup("#addressField")).setText(KERNEL);
                ((Button) arp.lookup("#resolveButton")).fire();
            });
            @SuppressWarnings("unchecked")
            TableView<Object> table = (TableView<Object>) AppWindow.call(() -> arp.lookup("#neighborTable"));
            AppWindow.waitUntil("the kernel in the neighbor cache", () -> table.getItems().stream().anyMatch(row -> {
                TableColumn<Object, ?> ip = table.getColumns().stream().filter(c -> "ipColumn".equals(c.getId())).findFirst().orElseThrow();
                return KERNEL.equals(String.valueOf(ip.getCellObservableValue(row).getValue()));
            }));
            // The capture reaches the packet list on its own pulses, not with the panes' results: wait for the
            // three requests and replies, don't race them.
            TableView<?> packets = window.lookup("#packetList", TableView.class);
            AppWindow.waitUntil("the pings' six frames in the packet list", () -> packets.getItems().size() >= 6);
        }
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
