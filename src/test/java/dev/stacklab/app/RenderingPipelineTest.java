package dev.stacklab.app;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RenderingPipelineTest {
    @Test
    void linuxWithoutAGraphicsDeviceRendersInSoftwareAtOnce() {
        assertThat(RenderingPipeline.softwareOnly("Linux", path -> false)).isTrue();
    }

    @Test
    void anyGraphicsDeviceKeepsJavaFxsOwnChoice() {
        for (String device : Set.of("/dev/dri", "/dev/nvidiactl", "/dev/dxg")) {
            assertThat(RenderingPipeline.softwareOnly("Linux", Path.of(device)::equals)).as(device).isFalse();
        }
    }

    @Test
    void otherSystemsKeepJavaFxsOwnChoice() {
        assertThat(RenderingPipeline.softwareOnly("Mac OS X", path -> false)).isFalse();
        assertThat(RenderingPipeline.softwareOnly("Windows 11", path -> false)).isFalse();
    }
}
