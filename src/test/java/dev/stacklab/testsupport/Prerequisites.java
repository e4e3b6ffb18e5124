package dev.stacklab.testsupport;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Tests that need something outside the JVM (tshark, root, libpcap) call these first. Normally a
 * missing prerequisite skips the test with a one-line reason; with {@code STACKLAB_REQUIRE_NET=1}
 * (set by CI) it fails it, so that CI never skips the tests that hold stacklab against the real world.
 */
public final class Prerequisites {
    public static final String REQUIRE_ENVIRONMENT_VARIABLE = "STACKLAB_REQUIRE_NET";

    private Prerequisites() {
    }

    /** Whether missing prerequisites fail tests instead of skipping them. */
    public static boolean required() {
        return "1".equals(System.getenv(REQUIRE_ENVIRONMENT_VARIABLE));
    }

    /**
     * The Debian package of each command a test runs (what {@code .ci/run} installs), so that a missing one is
     * named as the package to install: the command's name is not always the package's.
     */
    private static final Map<String, String> DEBIAN_PACKAGES = Map.ofEntries(
            Map.entry("ip", "iproute2"), Map.entry("ss", "iproute2"), Map.entry("tc", "iproute2"), Map.entry("nstat", "iproute2"),
            Map.entry("sha256sum", "coreutils"),
            Map.entry("tshark", "tshark"), Map.entry("editcap", "wireshark-common"), Map.entry("capinfos", "wireshark-common"),
            Map.entry("tcpdump", "tcpdump"), Map.entry("ethtool", "ethtool"), Map.entry("ping", "iputils-ping"),
            // Debian has two programs called arping: iputils' and Thomas Habets' (package arping); tests take either.
            Map.entry("arping", "iputils-arping (or arping)"), Map.entry("nc", "netcat-openbsd"),
            Map.entry("python3", "python3"), Map.entry("curl", "curl"), Map.entry("pgrep", "procps"), Map.entry("sysctl", "procps"),
            Map.entry("unshare", "util-linux"), Map.entry("nsenter", "util-linux"), Map.entry("setpriv", "util-linux"));

    /**
     * Skips (or, when required, fails) the test unless {@code command} is an executable on the PATH; the message names
     * the Debian package that brings it.
     */
    public static Path requireCommand(String command) {
        Path found = findOnPath(command);
        if (found == null) {
            String debianPackage = DEBIAN_PACKAGES.get(command);
            missing(command + " is not installed (not found on PATH)"
                    + (debianPackage == null ? "" : ": apt-get install " + debianPackage));
        }
        return found;
    }

    /** The Debian package {@link #requireCommand} names for {@code command}, or null when it knows none. */
    static String debianPackage(String command) {
        return DEBIAN_PACKAGES.get(command);
    }

    /** Skips (or, when required, fails) the test unless it runs as root. */
    public static void requireRoot() {
        if (!"root".equals(System.getProperty("user.name"))) {
            missing("needs root (running as " + System.getProperty("user.name") + ")");
        }
    }

    /** Skips the test with {@code reason}, or fails it when prerequisites are required. */
    public static void missing(String reason) {
        if (required()) {
            fail(reason + " and " + REQUIRE_ENVIRONMENT_VARIABLE + "=1");
        }
        Assumptions.abort(reason);
    }

    private static Path findOnPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String directory : path.split(File.pathSeparator)) {
            if (directory.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(directory, command);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
