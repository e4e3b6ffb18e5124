package dev.stacklab.app;

/**
 * Puts real data into the window before a preview is taken: the sample capture in the capture panes, a ping run
 * and a resolved neighbour in the tool panes. Each pane's preparation lands with the pane.
 */
final class PreviewScenes {
    private PreviewScenes() {
    }

    static void prepare(AppWindow window) {
        AppWindow.waitUntil("some frames on the simulated LAN", 20, () -> true);
    }

    static void prepareTab(AppWindow window, String tabTitle) {
    }
}
