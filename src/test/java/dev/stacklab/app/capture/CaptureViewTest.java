package dev.stacklab.app.capture;

import atlantafx.base.theme.PrimerLight;
import dev.stacklab.app.TestPatience;
import dev.stacklab.app.capture.CaptureTestSupport.CollectingNotifier;
import dev.stacklab.dissect.FieldNode;
import javafx.application.Application;
import javafx.geometry.Point2D;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.TreeCell;
import javafx.scene.control.TreeItem;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The capture panes on their own, headless (Monocle), driven as a user drives them: clicks and typing. */
@ExtendWith(ApplicationExtension.class)
class CaptureViewTest {
    @TempDir
    static Path temp;
    private static Path capture;

    private CaptureViewModel viewModel;
    private CaptureView view;

    @BeforeAll
    static void writeCapture() {
        capture = CaptureTestSupport.synthCapture(temp.resolve("synth.pcap"), 160);
    }

    @Start
    void start(Stage stage) {
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        viewModel = new CaptureViewModel(CaptureTestSupport.context(new CollectingNotifier()));
        Parent root = CaptureView.load(viewModel);
        view = (CaptureView) root.getProperties().get(CaptureView.class);
        stage.setScene(new Scene(root, 1200, 800));
        stage.show();
    }

    @AfterEach
    void stop() {
        read(() -> {
            viewModel.shutdown();
            return true;
        });
    }

    private static void waitFor(BooleanSupplier condition) throws TimeoutException {
        WaitForAsyncUtils.waitFor(TestPatience.SECONDS, TimeUnit.SECONDS, () -> onFx(condition));
    }

    private static boolean onFx(BooleanSupplier condition) {
        return read(condition::getAsBoolean);
    }

    private static <T> T read(java.util.concurrent.Callable<T> read) {
        return WaitForAsyncUtils.waitFor(WaitForAsyncUtils.asyncFx(read));
    }

    private void openCaptureAndSelectRow(FxRobot robot, int row) throws TimeoutException {
        robot.interact(() -> viewModel.openFile(capture));
        waitFor(() -> view.packetList().getItems().size() == 160);
        assertThat(robot.lookup(".pane-hint").queryLabeled().isVisible()).as("the details pane says what it is for").isTrue();
        robot.interact(() -> {
            view.packetList().scrollTo(row);
            view.packetList().getSelectionModel().select(row);
        });
        waitFor(() -> view.detailsTree().getRoot() != null && !view.detailsTree().getRoot().getChildren().isEmpty());
        assertThat(robot.lookup(".pane-hint").queryLabeled().isVisible()).as("the hint gives way to the tree").isFalse();
    }

    @Test
    void selectingAFieldHighlightsItsBytes(FxRobot robot) throws TimeoutException {
        openCaptureAndSelectRow(robot, 13);
        TreeItem<FieldNode> tcp = layer("tcp");
        robot.interact(() -> tcp.setExpanded(true));
        FieldNode sourcePort = tcp.getChildren().stream().map(TreeItem::getValue)
                .filter(node -> node.name().equals("tcp.srcport")).findFirst().orElseThrow();
        // The expanded layer's cells are laid out on a later pulse: wait for the field's cell, don't race it.
        waitFor(() -> robot.lookup(".tree-cell").match((TreeCell<?> c) -> c.getItem() == sourcePort).tryQuery().isPresent());
        TreeCell<?> cell = robot.lookup(".tree-cell").match((TreeCell<?> c) -> c.getItem() == sourcePort).query();
        robot.clickOn(cell);

        waitFor(() -> view.hexView().highlightLength() == 2);
        assertThat(view.hexView().highlightOffset()).isEqualTo(sourcePort.offset()).isEqualTo(34);
        assertThat(viewModel.selectedFieldProperty().get()).isSameAs(sourcePort);
    }

    @Test
    void clickingAByteSelectsItsField(FxRobot robot) throws TimeoutException {
        openCaptureAndSelectRow(robot, 2);
        // Byte 22 is the IPv4 header's time to live.
        Point2D onScreen = read(() -> view.hexView().localToScreen(view.hexView().byteCenter(22)));
        robot.clickOn(onScreen);

        waitFor(() -> view.detailsTree().getSelectionModel().getSelectedItem() != null);
        TreeItem<FieldNode> selected = view.detailsTree().getSelectionModel().getSelectedItem();
        assertThat(selected.getValue().name()).isEqualTo("ip.ttl");
        assertThat(selected.getParent().isExpanded()).isTrue();
        assertThat(view.hexView().highlightOffset()).isEqualTo(22);
        assertThat(view.hexView().highlightLength()).isEqualTo(1);
    }

    @Test
    void aBadFilterTurnsTheFieldRedWithItsErrorAndAGoodOneShrinksTheList(FxRobot robot) throws TimeoutException {
        openCaptureAndSelectRow(robot, 0);
        robot.clickOn(view.filterField()).write("tcp.port == ");

        waitFor(() -> view.filterField().getStyleClass().contains(CaptureView.FILTER_INVALID));
        assertThat(view.filterErrorLabel().isVisible()).isTrue();
        assertThat(view.filterErrorLabel().getText()).contains("column 13");

        robot.write("8081").type(KeyCode.ENTER);
        waitFor(() -> view.filterField().getStyleClass().contains(CaptureView.FILTER_VALID));
        waitFor(() -> view.packetList().getItems().size() == 20);
        assertThat(view.filterErrorLabel().isVisible()).isFalse();
        assertThat(view.packetList().getItems()).allMatch(row -> row.info().contains("8081"));
    }

    private TreeItem<FieldNode> layer(String name) {
        return read(() -> view.detailsTree().getRoot().getChildren().stream()
                .filter(item -> item.getValue().name().equals(name)).findFirst().orElseThrow());
    }
}
