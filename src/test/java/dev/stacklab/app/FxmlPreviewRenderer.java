package dev.stacklab.app;

import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import org.controlsfx.control.StatusBar;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Renders every view of the app to a PNG, headless, from the real window with real data (the simulated LAN
 * running, the sample capture loaded): {@code mvn -o -q test -Dtest=FxmlPreviewRenderer -Dstacklab.previews=fxml-previews}
 * writes them into fxml-previews/; without the property they go to target/fxml-previews (so the build checks
 * that every view still renders).
 */
class FxmlPreviewRenderer {
    static final String OUTPUT_PROPERTY = "stacklab.previews";

    @Test
    void rendersEveryView() throws Exception {
        Path output = Path.of(System.getProperty(OUTPUT_PROPERTY, "target/fxml-previews"));
        Files.createDirectories(output);
        List<Path> written = new ArrayList<>();
        try (AppWindow window = AppWindow.start("FxmlPreviewRenderer")) {
            AppWindow.run(() -> {
                window.stage.setWidth(1400);
                window.stage.setHeight(880);
            });
            StatusBar status = window.lookup(".main-status-bar", StatusBar.class);
            AppWindow.waitUntil("the simulated LAN to be up", () -> status.getText().equals("Simulated LAN: up"));
            PreviewScenes.prepare(window);

            written.add(snapshot(window.root(), output.resolve("main-window.png")));
            TabPane tools = window.lookup(".tool-tabs", TabPane.class);
            for (Tab tab : AppWindow.call(() -> List.copyOf(tools.getTabs()))) {
                AppWindow.run(() -> tools.getSelectionModel().select(tab));
                PreviewScenes.prepareTab(window, tab.getText());
                String name = tab.getText().toLowerCase().replaceAll("[^a-z0-9]+", "-");
                written.add(snapshot(tab.getContent() == null ? tools : tab.getContent(), output.resolve("tool-" + name + ".png")));
            }
            AppWindow.run(() -> tools.getSelectionModel().select(0));
            AppWindow.run(() -> window.lookup("#themeButton", Button.class).fire());
            written.add(snapshot(window.root(), output.resolve("main-window-dark.png")));
            AppWindow.run(() -> window.lookup("#themeButton", Button.class).fire());
            // Last, as it clears the capture: step mode mid-handshake, the scenario's frames in the live capture.
            Parent tcpStepMode = PreviewScenes.tcpStepModeMidHandshake(window);
            written.add(snapshot(tcpStepMode, output.resolve("tool-tcp-step-mode.png")));
            written.add(snapshot(window.root(), output.resolve("main-window-tcp-step-mode.png")));
            PreviewScenes.leaveTcpStepMode(tcpStepMode);
            // A bulk transfer through 3% loss: the ladder at its first retransmission, and both charts filled.
            Parent bulk = PreviewScenes.tcpBulkTransferWithLoss(window);
            written.add(snapshot(bulk, output.resolve("tool-tcp-charts.png")));
            dev.stacklab.app.tcp.ladder.LadderPane shownLadder = (dev.stacklab.app.tcp.ladder.LadderPane) AppWindow.call(() -> bulk.lookup("#ladderPane"));
            dev.stacklab.app.tcp.chart.ChartsPane shownCharts = (dev.stacklab.app.tcp.chart.ChartsPane) AppWindow.call(() -> bulk.lookup("#chartsPane"));
            dev.stacklab.app.tcp.ladder.LadderPane ladder = AppWindow.call(() -> new dev.stacklab.app.tcp.ladder.LadderPane(shownLadder.viewModel()));
            PreviewScenes.alone(window, ladder, 1100, 760);
            AppWindow.run(() -> {
                var segments = shownLadder.viewModel().shownProperty().get().segments();
                for (int i = 0; i < segments.size(); i++) {
                    if (segments.get(i).has(dev.stacklab.app.tcp.ladder.LadderMark.RETRANSMISSION)
                            || segments.get(i).has(dev.stacklab.app.tcp.ladder.LadderMark.FAST_RETRANSMISSION)) {
                        ladder.diagram().scrollToRow(i);
                        break;
                    }
                }
            });
            written.add(snapshot(ladder, output.resolve("tcp-ladder-retransmission.png")));
            for (boolean congestion : new boolean[] {false, true}) {
                dev.stacklab.app.tcp.chart.ChartsPane charts = AppWindow.call(() -> new dev.stacklab.app.tcp.chart.ChartsPane(shownCharts.viewModel()));
                PreviewScenes.alone(window, charts, 1000, 620);
                AppWindow.run(() -> {
                    charts.showCongestion(congestion);
                    charts.congestionChart().draw();
                    charts.sequenceChart().draw();
                });
                written.add(snapshot(charts, output.resolve(congestion ? "tcp-chart-cwnd.png" : "tcp-chart-sequence.png")));
            }
            PreviewScenes.leaveBulkTransfer(window);
            written.add(snapshot(followHttpStream(window), output.resolve("follow-tcp-stream.png")));
            Parent statistics = statisticsOfLossyTransfers(window);
            written.add(snapshot(statistics, output.resolve("statistics-conversations.png")));
            TabPane statisticsTabs = (TabPane) AppWindow.call(() -> statistics.lookup("#tabs"));
            AppWindow.run(() -> {
                statisticsTabs.getSelectionModel().select(3);
                @SuppressWarnings("unchecked")
                javafx.scene.control.TreeTableView<Object> expert = (javafx.scene.control.TreeTableView<Object>) statistics.lookup("#expertTable");
                expert.getRoot().getChildren().get(1).setExpanded(true);
            });
            written.add(snapshot(statistics, output.resolve("statistics-expert-information.png")));
            AppWindow.run(() -> statisticsTabs.getSelectionModel().select(4));
            written.add(snapshot(statistics, output.resolve("statistics-io-graph.png")));
        }
        for (Path png : written) {
            assertThat(ImageIO.read(png.toFile()).getWidth()).as(png.toString()).isGreaterThan(100);
        }
    }

    /**
     * Follow TCP Stream (FollowStreamView.fxml) on curl's fetch from python3 -m http.server (http.pcap): the window
     * opened as the packet list's menu opens it, on the GET (frame 4).
     */
    private static Parent followHttpStream(AppWindow window) {
        AppWindow.run(() -> StacklabApp.lastViewModel.openCapture(Path.of("src/test/resources/dev/stacklab/dissect/http.pcap")));
        @SuppressWarnings("unchecked")
        javafx.scene.control.TableView<Object> list = window.lookup("#packetList", javafx.scene.control.TableView.class);
        AppWindow.waitUntil("http.pcap's 141 frames", () -> list.getItems().size() == 141);
        AppWindow.run(() -> list.getSelectionModel().clearAndSelect(3));
        AppWindow.run(() -> list.getContextMenu().getItems().get(0).fire());
        AppWindow.waitUntil("the Follow TCP Stream window", () -> javafx.stage.Window.getWindows().stream()
                .anyMatch(w -> w.getScene() != null && w.getScene().getRoot().getStyleClass().contains("follow-stream")
                        && !((javafx.scene.control.ListView<?>) w.getScene().getRoot().lookup("#textList")).getItems().isEmpty()));
        return AppWindow.call(() -> javafx.stage.Window.getWindows().stream()
                .filter(w -> w.getScene() != null && w.getScene().getRoot().getStyleClass().contains("follow-stream"))
                .findFirst().orElseThrow().getScene().getRoot());
    }

    /**
     * The Statistics window (StatisticsView.fxml) on two HTTP transfers through loss (http-lossy.pcap), opened from the
     * capture pane's Statistics menu on its Conversations tab.
     */
    private static Parent statisticsOfLossyTransfers(AppWindow window) {
        AppWindow.run(() -> StacklabApp.lastViewModel.openCapture(Path.of("src/test/resources/dev/stacklab/dissect/http-lossy.pcap")));
        @SuppressWarnings("unchecked")
        javafx.scene.control.TableView<Object> list = window.lookup("#packetList", javafx.scene.control.TableView.class);
        AppWindow.waitUntil("http-lossy.pcap's 323 frames", () -> list.getItems().size() == 323);
        javafx.scene.control.MenuButton menu = window.lookup("#statisticsButton", javafx.scene.control.MenuButton.class);
        AppWindow.run(() -> menu.getItems().get(0).fire());
        java.util.function.Supplier<javafx.stage.Window> statistics = () -> javafx.stage.Window.getWindows().stream()
                .filter(w -> w.getScene() != null && w.getScene().getRoot().getStyleClass().contains("statistics")).findFirst().orElse(null);
        AppWindow.waitUntil("the Statistics window, counted", () -> AppWindow.call(() -> statistics.get() != null
                && !statistics.get().getScene().getRoot().lookup("#progressRow").isVisible()));
        return AppWindow.call(() -> statistics.get().getScene().getRoot());
    }

    /** Snapshots a node after the next layout and writes it as PNG (javax.imageio from the pixels; no javafx-swing). */
    static Path snapshot(Node node, Path file) throws IOException {
        WritableImage image = AppWindow.call(() -> {
            node.applyCss();
            if (node instanceof javafx.scene.Parent parent) {
                parent.layout();
            }
            return node.snapshot(null, null);
        });
        int width = (int) image.getWidth();
        int height = (int) image.getHeight();
        PixelReader pixels = image.getPixelReader();
        int[] argb = new int[width * height];
        pixels.getPixels(0, 0, width, height, javafx.scene.image.PixelFormat.getIntArgbInstance(), argb, 0, width);
        BufferedImage png = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        png.setRGB(0, 0, width, height, argb, 0, width);
        ImageIO.write(png, "png", file.toFile());
        return file;
    }
}
