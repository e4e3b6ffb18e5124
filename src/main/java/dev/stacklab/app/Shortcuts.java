package dev.stacklab.app;

import javafx.scene.Scene;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyCodeCombination;

/** The window's keyboard shortcuts, the ones Wireshark users reach for: Ctrl+O open, Ctrl+S save, Ctrl+E pause. */
final class Shortcuts {
    private Shortcuts() {
    }

    static void install(Scene scene, MainWindowView view, MainWindowViewModel viewModel) {
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.O, KeyCombination.SHORTCUT_DOWN), view::chooseCaptureToOpen);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.S, KeyCombination.SHORTCUT_DOWN), view::chooseWhereToSave);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.E, KeyCombination.SHORTCUT_DOWN),
                () -> viewModel.capture().pausedProperty().set(!viewModel.capture().pausedProperty().get()));
    }
}
