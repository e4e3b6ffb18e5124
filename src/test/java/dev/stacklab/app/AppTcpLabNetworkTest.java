package dev.stacklab.app;

import dev.stacklab.app.network.NetworkChoice;
import dev.stacklab.app.tcp.TcpStateDiagram;
import dev.stacklab.runtime.LabNetwork;
import dev.stacklab.stack.tcp.TcpState;
import dev.stacklab.testsupport.Prerequisites;
import javafx.css.PseudoClass;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextField;
import org.controlsfx.control.StatusBar;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * As root (required when STACKLAB_REQUIRE_NET=1): the TCP pane of the real window against the real Linux kernel of
 * the lab network (the app makes the veth and its namespace, and removes them when it closes), python's http.server
 * listening in that namespace. Connect from the pane, see ESTABLISHED with the peer's diagram marked inferred, Close
 * and see our diagram reach TIME-WAIT (we closed first); then a second connection asks for a page with HTTP/1.0, the
 * server closes first, and our Close takes us through CLOSE-WAIT and LAST-ACK to CLOSED (the passive closer). Run
 * under the net lock: {@code flock /tmp/stacklab-net.lock mvn -o test -Dtest=AppTcpLabNetworkTest}.
 */
class AppTcpLabNetworkTest {
    private static final String KERNEL = LabNetwork.KERNEL_ADDRESS.substring(0, LabNetwork.KERNEL_ADDRESS.indexOf('/'));
    private static final int HTTP_PORT = 8000;
    private static final PseudoClass INFERRED = PseudoClass.getPseudoClass("inferred");

    @Test
    void connectCloseAndBeClosedByTheKernelsHttpServer() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("ip");
        Prerequisites.requireCommand("ss");
        Prerequisites.requireCommand("python3");
        Process server = null;
        try (AppWindow window = AppWindow.start("AppTcpLabNetworkTest")) {
            try {
                startLabNetwork(window);
                server = startHttpServer();

                Parent tcp = tab(window, "TCP");
                @SuppressWarnings("unchecked")
                ListView<Object> connections = (ListView<Object>) AppWindow.call(() -> tcp.lookup("#connectionList"));
                TcpStateDiagram ours = (TcpStateDiagram) AppWindow.call(() -> tcp.lookup("#diagram"));
                TcpStateDiagram peer = (TcpStateDiagram) AppWindow.call(() -> tcp.lookup("#peerDiagram"));
                Label peerTitle = (Label) AppWindow.call(() -> tcp.lookup("#peerTitleLabel"));

                // We close first: FIN-WAIT-1, FIN-WAIT-2 (or CLOSING), TIME-WAIT.
                connect(tcp, connections, 1);
                AppWindow.waitUntil("ESTABLISHED with the kernel", () -> ours.getState() == TcpState.ESTABLISHED);
                AppWindow.waitUntil("the peer inferred ESTABLISHED", () -> peer.getState() == TcpState.ESTABLISHED);
                assertThat(AppWindow.call(() -> peer.getPseudoClassStates().contains(INFERRED)))
                        .as("the kernel's diagram is marked inferred").isTrue();
                assertThat(AppWindow.call(peerTitle::getText)).contains("(inferred)");
                fireWhenEnabled(tcp, "#closeButton");
                AppWindow.waitUntil("our diagram in TIME-WAIT", () -> ours.getState() == TcpState.TIME_WAIT);
                assertThat(AppWindow.call(() -> List.copyOf(selectedStates(connections))))
                        .startsWith(TcpState.CLOSED, TcpState.SYN_SENT, TcpState.ESTABLISHED, TcpState.FIN_WAIT_1)
                        .endsWith(TcpState.TIME_WAIT);
                assertThat(AppWindow.call(() -> peer.getPseudoClassStates().contains(INFERRED))).isTrue();

                // The server closes first (HTTP/1.0: one response, then its FIN): we are the passive closer.
                connect(tcp, connections, 2);
                AppWindow.waitUntil("the second connection ESTABLISHED", () -> ours.getState() == TcpState.ESTABLISHED);
                AppWindow.run(() -> ((TextField) tcp.lookup("#payloadField")).setText("GET / HTTP/1.0\\r\\n\\r\\n"));
                fireWhenEnabled(tcp, "#sendButton");
                AppWindow.waitUntil("CLOSE-WAIT after the server's FIN", () -> ours.getState() == TcpState.CLOSE_WAIT);
                AppWindow.waitUntil("the page in Received", () -> ((javafx.scene.control.TextArea) tcp.lookup("#receivedArea"))
                        .getText().startsWith("HTTP/1.0 200"));
                fireWhenEnabled(tcp, "#closeButton");
                AppWindow.waitUntil("our diagram at CLOSED", () -> ours.getState() == TcpState.CLOSED);
                assertThat(AppWindow.call(() -> List.copyOf(selectedStates(connections))))
                        .containsSubsequence(TcpState.ESTABLISHED, TcpState.CLOSE_WAIT, TcpState.LAST_ACK, TcpState.CLOSED);
                assertThat(AppWindow.call(() -> peer.getPseudoClassStates().contains(INFERRED))).isTrue();
            } finally {
                stop(server);
            }
        }
        // The app took its lab network down as it closed: no namespace or veth left behind.
        LabNetwork.Status after = LabNetwork.status();
        assertThat(after.namespaceExists()).as("the lab namespace is gone").isFalse();
        assertThat(after.vethExists()).as("the veth is gone").isFalse();
    }

    private static void startLabNetwork(AppWindow window) {
        @SuppressWarnings("unchecked")
        ComboBox<NetworkChoice> chooser = window.lookup(".network-bar-slot .combo-box", ComboBox.class);
        AppWindow.waitUntil("the lab network in the chooser", () -> chooser.getItems().stream()
                .anyMatch(choice -> choice.id().equals(NetworkChoice.LAB_NETWORK_ID)));
        AppWindow.run(() -> chooser.getSelectionModel().select(chooser.getItems().stream()
                .filter(choice -> choice.id().equals(NetworkChoice.LAB_NETWORK_ID)).findFirst().orElseThrow()));
        StatusBar status = window.lookup(".main-status-bar", StatusBar.class);
        AppWindow.waitUntil("the lab network to be up",
                () -> status.getText().startsWith("Lab network") && status.getText().endsWith(": up"));
    }

    /** python3 -m http.server in the lab's namespace, listening on the kernel's address (up to 60 s at a high load). */
    private static Process startHttpServer() throws IOException, InterruptedException {
        Process server = new ProcessBuilder("ip", "netns", "exec", LabNetwork.NAMESPACE, "python3", "-m", "http.server",
                Integer.toString(HTTP_PORT), "--bind", KERNEL, "--directory", "/")
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!listening()) {
            assertThat(server.isAlive()).as("python's http.server exited").isTrue();
            assertThat(System.nanoTime()).as("python's http.server did not start in 60 s").isLessThan(deadline);
            Thread.sleep(50);
        }
        return server;
    }

    private static boolean listening() throws IOException, InterruptedException {
        Process ss = new ProcessBuilder("ip", "netns", "exec", LabNetwork.NAMESPACE, "ss", "-Hltn", "sport = :" + HTTP_PORT)
                .redirectErrorStream(true).start();
        String out = new String(ss.getInputStream().readAllBytes());
        ss.waitFor();
        return out.contains(":" + HTTP_PORT);
    }

    private static void stop(Process server) throws InterruptedException {
        if (server != null) {
            server.descendants().forEach(ProcessHandle::destroyForcibly);
            server.destroyForcibly();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void connect(Parent tcp, ListView<Object> connections, int count) {
        AppWindow.run(() -> {
            ((TextField) tcp.lookup("#hostField")).setText(KERNEL);
            ((TextField) tcp.lookup("#portField")).setText(Integer.toString(HTTP_PORT));
            ((Button) tcp.lookup("#connectButton")).fire();
        });
        AppWindow.waitUntil(count + " connection(s) in the list", () -> connections.getItems().size() >= count);
    }

    /**
     * Presses a button of the pane once it is enabled: the diagram may show ESTABLISHED a pulse before the connection's
     * socket reaches the pane (connect returns on a worker), and a disabled button ignores fire().
     */
    private static void fireWhenEnabled(Parent tcp, String id) {
        Button button = (Button) AppWindow.call(() -> tcp.lookup(id));
        AppWindow.waitUntil(id + " enabled", () -> !button.isDisabled());
        AppWindow.run(button::fire);
    }

    @SuppressWarnings("unchecked")
    private static List<TcpState> selectedStates(ListView<Object> connections) {
        Object selected = connections.getSelectionModel().getSelectedItem();
        return ((dev.stacklab.app.tcp.TcpViewModel.Connection) selected).states();
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
