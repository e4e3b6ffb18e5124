package dev.stacklab.app;

import javafx.scene.control.Button;
import javafx.scene.control.TabPane;
import javafx.scene.control.Tab;
import org.controlsfx.control.StatusBar;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The real main window, headless: it starts on the simulated LAN, switches theme, and survives errors. */
class MainWindowTest {
    private AppWindow window;

    @BeforeEach
    void start() throws Exception {
        window = AppWindow.start("MainWindowTest");
    }

    @AfterEach
    void stop() throws Exception {
        window.close();
    }

    @Test
    void startsOnTheSimulatedLanWithTheToolTabsAndTheIcon() {
        StatusBar status = window.lookup(".main-status-bar", StatusBar.class);
        AppWindow.waitUntil("the simulated LAN to be up", () -> status.getText().equals("Simulated LAN: up"));
        assertThat(AppWindow.call(() -> window.stage.getTitle())).isEqualTo("stacklab");
        assertThat(AppWindow.call(() -> window.stage.getIcons().size())).isEqualTo(StacklabApp.ICON_SIZES.length);
        TabPane tabs = window.lookup(".tool-tabs", TabPane.class);
        assertThat(AppWindow.call(() -> tabs.getTabs().stream().map(Tab::getText).toList())).startsWith("Ping", "ARP", "UDP");
        String address = AppWindow.call(() -> ((javafx.scene.control.Label) window.root().lookup(".status-address")).getText());
        assertThat(address).contains("10.0.0.2/24");
    }

    @Test
    void themeButtonSwitchesToDarkAndBack() {
        Button theme = window.lookup("#themeButton", Button.class);
        AppWindow.run(theme::fire);
        assertThat(AppWindow.call(() -> window.root().getStyleClass().contains(Theme.DARK_STYLE_CLASS))).isTrue();
        AppWindow.run(theme::fire);
        assertThat(AppWindow.call(() -> window.root().getStyleClass().contains(Theme.DARK_STYLE_CLASS))).isFalse();
    }

    @Test
    void anExceptionOnTheFxThreadBecomesANotificationNotACrash() {
        AppWindow.run(() -> javafx.application.Platform.runLater(() -> {
            throw new IllegalStateException("the frame store is gone");
        }));
        NotificationArea notifications = AppWindow.call(() -> findNotificationArea());
        AppWindow.waitUntil("the notification", () -> !notifications.shownMessages().isEmpty());
        assertThat(AppWindow.call(notifications::shownMessages)).singleElement().asString()
                .startsWith("That did not work: the frame store is gone\n").doesNotContain("Exception").doesNotContain("at dev.");
    }

    @Test
    void theSplitAndTheWindowSizeAreRememberedForTheNextStart() throws Exception {
        javafx.scene.control.SplitPane split = window.lookup(".main-split", javafx.scene.control.SplitPane.class);
        double width = AppWindow.call(() -> window.stage.getWidth());
        AppWindow.run(() -> split.setDividerPositions(0.42));
        AppWindow.run(() -> window.stage.fireEvent(new javafx.stage.WindowEvent(window.stage, javafx.stage.WindowEvent.WINDOW_CLOSE_REQUEST)));
        AppPreferences saved = new AppPreferences(window.preferencesNode());
        assertThat(saved.divider(MainWindowView.MAIN_SPLIT, 0.9)).isCloseTo(0.42, org.assertj.core.data.Offset.offset(0.01));
        assertThat(saved.windowBounds()).get().extracting(AppPreferences.WindowBounds::width).isEqualTo(width);

        window.closeKeepingPreferences();
        window = AppWindow.start(window.preferencesNode());
        javafx.scene.control.SplitPane again = window.lookup(".main-split", javafx.scene.control.SplitPane.class);
        assertThat(AppWindow.call(() -> again.getDividerPositions()[0])).isCloseTo(0.42, org.assertj.core.data.Offset.offset(0.02));
        assertThat(AppWindow.call(() -> window.stage.getWidth())).isEqualTo(width);
    }

    private NotificationArea findNotificationArea() {
        return StacklabApp.lastNotifier;
    }
}
