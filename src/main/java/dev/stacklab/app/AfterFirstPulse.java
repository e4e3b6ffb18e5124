package dev.stacklab.app;

import javafx.application.Platform;
import javafx.beans.InvalidationListener;
import javafx.beans.Observable;
import javafx.scene.Node;
import javafx.scene.Scene;

/**
 * Runs a task once a node's scene has been through its first pulse (styled, laid out, handed to the renderer):
 * for what the window can do without in its first frame, so the window comes up sooner and the task follows a
 * moment later. Only once, on the FX thread, after the pulse rather than inside it.
 */
public final class AfterFirstPulse {
    private AfterFirstPulse() {
    }

    /** Runs {@code task} after the first pulse of the scene {@code node} is in, now or once it is put in one. */
    public static void run(Node node, Runnable task) {
        if (node.getScene() != null) {
            run(node.getScene(), task);
            return;
        }
        node.sceneProperty().addListener(new InvalidationListener() {
            @Override
            public void invalidated(Observable scene) {
                if (node.getScene() != null) {
                    node.sceneProperty().removeListener(this);
                    run(node.getScene(), task);
                }
            }
        });
    }

    /** Runs {@code task} after the next pulse of {@code scene} (its first, when it has not been shown yet). */
    public static void run(Scene scene, Runnable task) {
        scene.addPostLayoutPulseListener(new Runnable() {
            private boolean done;

            @Override
            public void run() {
                if (!done) {
                    done = true;
                    // Removed from outside the pulse: the scene is walking its listener list now.
                    Platform.runLater(() -> {
                        scene.removePostLayoutPulseListener(this);
                        task.run();
                    });
                }
            }
        });
    }
}
