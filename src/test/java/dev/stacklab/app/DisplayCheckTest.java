package dev.stacklab.app;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DisplayCheckTest {
    @Test
    void noDisplayNamesBothVariablesAndTheFix() {
        String problem = DisplayCheck.problem(Map.of(), null);
        assertThat(problem).contains("(DISPLAY and WAYLAND_DISPLAY are unset)").contains("sudo -E").doesNotContain("\n");
    }

    @Test
    void waylandWithoutXwaylandSaysDisplayIsNeeded() {
        assertThat(DisplayCheck.problem(Map.of("WAYLAND_DISPLAY", "wayland-0"), null))
                .contains("DISPLAY is unset").contains("WAYLAND_DISPLAY=wayland-0").contains("XWayland");
    }

    @Test
    void aDisplayOrHeadlessMonocleIsFine() {
        assertThat(DisplayCheck.problem(Map.of("DISPLAY", ":0"), null)).isNull();
        assertThat(DisplayCheck.problem(Map.of(), "Monocle")).isNull();
    }

    @Test
    void aRefusedDisplayBecomesOneLineWithXhost() {
        String line = DisplayCheck.explain(new RuntimeException("Application launch failed",
                new UnsupportedOperationException("Unable to open DISPLAY")), Map.of("DISPLAY", ":0"));
        assertThat(line).contains("DISPLAY=:0").contains("xhost +SI:localuser:root");
    }
}
