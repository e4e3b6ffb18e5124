package dev.stacklab.app;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;

/**
 * The app's two looks: AtlantaFX's Primer themes as the base of every control, our own stylesheet
 * ({@code stacklab.css}) on top. The dark one also sets the {@code dark} style class on the scene's root so our
 * named colours can switch with it.
 */
public enum Theme {
    LIGHT("Light", new PrimerLight().getUserAgentStylesheet()),
    DARK("Dark", new PrimerDark().getUserAgentStylesheet());

    /** Style class on the root while the dark theme is on (stacklab.css keys its dark colours on it). */
    public static final String DARK_STYLE_CLASS = "dark";

    private final String displayName;
    private final String userAgentStylesheet;

    Theme(String displayName, String userAgentStylesheet) {
        this.displayName = displayName;
        this.userAgentStylesheet = userAgentStylesheet;
    }

    public String displayName() {
        return displayName;
    }

    /** What {@code Application.setUserAgentStylesheet} takes. */
    public String userAgentStylesheet() {
        return userAgentStylesheet;
    }

    public Theme other() {
        return this == LIGHT ? DARK : LIGHT;
    }

    /** The theme saved under this name, or light for anything unknown (a preference from another version). */
    public static Theme named(String name) {
        for (Theme theme : values()) {
            if (theme.name().equalsIgnoreCase(name)) {
                return theme;
            }
        }
        return LIGHT;
    }
}
