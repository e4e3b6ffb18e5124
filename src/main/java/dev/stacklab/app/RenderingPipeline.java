package dev.stacklab.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;

/**
 * Chooses JavaFX's software renderer at once on a Linux machine without a graphics device, instead of after its
 * OpenGL pipeline's probe fails.
 *
 * <p>Why: JavaFX tries OpenGL (es2) first. Without a GPU driver, Mesa answers with its software rasterizer
 * (llvmpipe), which JavaFX's hardware check then refuses, and it falls back to its own software pipeline: the probe
 * (loading Mesa, making a context, compiling its shaders) cost a third of the toolkit's start on this two-core
 * machine, for nothing. A GPU shows as a device node (a DRM driver's {@code /dev/dri}, NVIDIA's {@code /dev/nvidiactl},
 * WSL's {@code /dev/dxg}); where there is none, OpenGL can only be software. A {@code prism.order} of the user's
 * own is left as it is.
 */
final class RenderingPipeline {
    static final String PROPERTY = "prism.order";
    static final List<Path> GRAPHICS_DEVICES = List.of(Path.of("/dev/dri"), Path.of("/dev/nvidiactl"), Path.of("/dev/dxg"));

    private RenderingPipeline() {
    }

    /** Sets {@code prism.order=sw} before the toolkit starts when OpenGL cannot be more than software here. */
    static void chooseBeforeTheToolkitStarts() {
        if (System.getProperty(PROPERTY) == null && softwareOnly(System.getProperty("os.name", ""), Files::exists)) {
            System.setProperty(PROPERTY, "sw");
        }
    }

    /** Whether a machine running {@code osName}, whose device files {@code exists} sees, has no GPU to render on. */
    static boolean softwareOnly(String osName, Predicate<Path> exists) {
        if (!osName.toLowerCase().contains("linux")) {
            return false;
        }
        for (Path device : GRAPHICS_DEVICES) {
            if (exists.test(device)) {
                return false;
            }
        }
        return true;
    }
}
