package dev.stacklab.app;

import java.util.Optional;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;

/**
 * What the window remembers between runs (java.util.prefs): its size and place, the split positions, the theme
 * and the last network. The app uses the user node {@code dev/stacklab/app}; tests pass a node of their own so a
 * developer's settings never leak into a test, nor a test's into the developer's window.
 */
public final class AppPreferences {
    /** The node the app keeps its settings in, under the user's preferences root. */
    public static final String USER_NODE = "dev/stacklab/app";

    private static final String WINDOW_X = "window.x";
    private static final String WINDOW_Y = "window.y";
    private static final String WINDOW_WIDTH = "window.width";
    private static final String WINDOW_HEIGHT = "window.height";
    private static final String WINDOW_MAXIMIZED = "window.maximized";
    private static final String THEME = "theme";
    private static final String LAST_NETWORK = "network.last";
    private static final String DIVIDER_PREFIX = "divider.";

    private final Preferences node;

    public AppPreferences(Preferences node) {
        this.node = node;
    }

    public static AppPreferences forUser() {
        return new AppPreferences(Preferences.userRoot().node(USER_NODE));
    }

    /** Where the window was, if it was ever closed before (x, y, width, height). */
    public Optional<WindowBounds> windowBounds() {
        double width = node.getDouble(WINDOW_WIDTH, -1);
        double height = node.getDouble(WINDOW_HEIGHT, -1);
        if (width <= 0 || height <= 0) {
            return Optional.empty();
        }
        return Optional.of(new WindowBounds(node.getDouble(WINDOW_X, 0), node.getDouble(WINDOW_Y, 0), width, height));
    }

    public void setWindowBounds(WindowBounds bounds) {
        node.putDouble(WINDOW_X, bounds.x());
        node.putDouble(WINDOW_Y, bounds.y());
        node.putDouble(WINDOW_WIDTH, bounds.width());
        node.putDouble(WINDOW_HEIGHT, bounds.height());
    }

    public boolean windowMaximized() {
        return node.getBoolean(WINDOW_MAXIMIZED, false);
    }

    public void setWindowMaximized(boolean maximized) {
        node.putBoolean(WINDOW_MAXIMIZED, maximized);
    }

    public Theme theme() {
        return Theme.named(node.get(THEME, Theme.LIGHT.name()));
    }

    public void setTheme(Theme theme) {
        node.put(THEME, theme.name());
    }

    /** The id of the network last chosen (NetworkBarViewModel.selectedNetworkIdProperty()), if any. */
    public Optional<String> lastNetwork() {
        return Optional.ofNullable(node.get(LAST_NETWORK, null));
    }

    public void setLastNetwork(String name) {
        node.put(LAST_NETWORK, name);
    }

    /** A split pane's divider position (0..1) by the split's name, or the given default. */
    public double divider(String splitName, double defaultPosition) {
        double position = node.getDouble(DIVIDER_PREFIX + splitName, defaultPosition);
        return position > 0 && position < 1 ? position : defaultPosition;
    }

    public void setDivider(String splitName, double position) {
        node.putDouble(DIVIDER_PREFIX + splitName, position);
    }

    /** Writes to the backing store now; a failure only loses the remembered layout, so it is not an error. */
    public void flush() {
        try {
            node.flush();
        } catch (BackingStoreException e) {
            org.slf4j.LoggerFactory.getLogger(AppPreferences.class).warn("could not save the window layout: {}", e.getMessage());
        }
    }

    /** Forgets everything (tests, and a user who wants the default layout back). */
    public void clear() {
        try {
            node.clear();
        } catch (BackingStoreException e) {
            org.slf4j.LoggerFactory.getLogger(AppPreferences.class).warn("could not reset the window layout: {}", e.getMessage());
        }
    }

    public record WindowBounds(double x, double y, double width, double height) {
    }
}
