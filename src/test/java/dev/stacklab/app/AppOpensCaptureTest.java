package dev.stacklab.app;

import javafx.css.PseudoClass;
import javafx.scene.Node;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
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
    }
}
