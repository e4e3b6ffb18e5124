package dev.stacklab.app.tcp.ladder;

import javafx.collections.ListChangeListener;
import javafx.scene.layout.Background;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.paint.Paint;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Colours for drawing on a canvas taken from the theme: one hidden region per style class, whose background the
 * stylesheet sets from a looked-up colour ({@code ladder.css}). Read after CSS has been applied; until then (or for a
 * class the sheet does not know) the fallback is used.
 */
public final class Swatches {
    public static final String STYLESHEET = Objects.requireNonNull(Swatches.class.getResource("ladder.css"), "ladder.css")
            .toExternalForm();
    /** The style class of a view drawing with swatches (the sheet's selectors start with it). */
    public static final String VIEW = "tcp-canvas-view";

    private final Map<String, Region> regions = new HashMap<>();
    private final Pane owner;

    /**
     * Swatches living in {@code owner}, which gets the stylesheet and the {@link #VIEW} class. The owner is laid out
     * again (and so draws again, with the new colours) when the window's theme changes: the theme is a style class on
     * the scene's root, and the new colours are known after the next pulse's CSS pass, before its layout.
     */
    public Swatches(Pane owner) {
        this.owner = owner;
        owner.getStyleClass().add(VIEW);
        owner.getStylesheets().add(STYLESHEET);
        ListChangeListener<String> themeChanged = change -> owner.requestLayout();
        owner.sceneProperty().addListener((observable, old, scene) -> {
            if (old != null) {
                old.getRoot().getStyleClass().removeListener(themeChanged);
            }
            if (scene != null) {
                scene.getRoot().getStyleClass().addListener(themeChanged);
            }
        });
    }

    /** The colour of {@code styleClass} in the current theme, or {@code fallback}. */
    public Color colour(String styleClass, Color fallback) {
        Region swatch = regions.computeIfAbsent(styleClass, name -> {
            Region region = new Region();
            region.getStyleClass().add(name);
            region.setManaged(false);
            region.setVisible(false);
            owner.getChildren().add(0, region);
            region.applyCss();
            return region;
        });
        Background background = swatch.getBackground();
        if (background == null || background.getFills().isEmpty()) {
            return fallback;
        }
        Paint fill = background.getFills().get(0).getFill();
        return fill instanceof Color colour ? colour : fallback;
    }
}
