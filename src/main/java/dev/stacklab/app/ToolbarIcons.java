package dev.stacklab.app;

import javafx.scene.layout.Region;

/**
 * The toolbar's icons as style classes: each is a {@link Region} shaped by an SVG path in stacklab.css
 * ({@code -fx-shape}) and filled with the theme's text colour, so the icons follow light and dark without image
 * files. The same paths are in icons/toolbar/*.svg for anyone who wants them as files.
 */
public final class ToolbarIcons {
    public static final String ICON = "icon";
    public static final String PAUSE = "icon-pause";
    public static final String RESUME = "icon-resume";
    public static final String CLEAR = "icon-clear";
    public static final String OPEN = "icon-open";
    public static final String SAMPLE = "icon-sample";
    public static final String SAVE = "icon-save";
    public static final String THEME = "icon-theme";
    public static final String ERROR = "icon-error";
    public static final String INFO = "icon-info";

    private ToolbarIcons() {
    }

    public static Region icon(String styleClass) {
        Region icon = new Region();
        icon.getStyleClass().addAll(ICON, styleClass);
        return icon;
    }
}
