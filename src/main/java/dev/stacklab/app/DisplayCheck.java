package dev.stacklab.app;

import java.util.Map;

/**
 * Says, before JavaFX tries, why the window cannot open, in one line with the fix: JavaFX on Linux draws through
 * X11 (XWayland on a Wayland desktop), so it needs DISPLAY; root started with plain sudo has neither DISPLAY nor
 * the right to use the user's display.
 */
final class DisplayCheck {
    private static final String ROOT_HINT = "as root keep the desktop's variables with `sudo -E` after allowing root "
            + "with `xhost +SI:localuser:root` (README: \"Real interfaces: run it as root\")";

    private DisplayCheck() {
    }

    /** Null when a display is there (or JavaFX runs headless on Monocle), else the problem and the fix. */
    static String problem(Map<String, String> env, String glassPlatform) {
        if ("Monocle".equalsIgnoreCase(glassPlatform) || !System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            return null;
        }
        if (!isBlank(env.get("DISPLAY"))) {
            return null;
        }
        if (!isBlank(env.get("WAYLAND_DISPLAY"))) {
            return "no X display: DISPLAY is unset (WAYLAND_DISPLAY=" + env.get("WAYLAND_DISPLAY")
                    + ", but JavaFX draws through XWayland, usually DISPLAY=:0); " + ROOT_HINT;
        }
        return "no display to open the window on (DISPLAY and WAYLAND_DISPLAY are unset): start it from a desktop "
                + "session; " + ROOT_HINT + "; the other commands, e.g. `java -jar target/stacklab.jar decode`, need no display";
    }

    /** One line for a toolkit that failed to start (typically: the display refused us). */
    static String explain(Throwable failure, Map<String, String> env) {
        StringBuilder messages = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause.getMessage() != null) {
                messages.append(cause.getMessage()).append(' ');
            }
        }
        String text = messages.toString();
        if (text.contains("DISPLAY") || text.contains("display")) {
            return "cannot use the display DISPLAY=" + env.getOrDefault("DISPLAY", "") + "; " + ROOT_HINT;
        }
        return text.isBlank() ? failure.getClass().getSimpleName() : text.strip();
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
