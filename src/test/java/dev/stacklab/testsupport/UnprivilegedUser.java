package dev.stacklab.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * A person without root, for one test: stacklab runs in a JVM of its own as the user nobody (65534), in the host's
 * namespaces, with no capabilities at all, from a copy of the test classpath that nobody can read (the original is
 * under /root). {@link #close()} removes the copy.
 */
public final class UnprivilegedUser implements AutoCloseable {
    private static final List<String> AS_NOBODY = List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups");

    private final Path directory;
    private final String classPath;

    private UnprivilegedUser(Path directory, String classPath) {
        this.directory = directory;
        this.classPath = classPath;
    }

    /** Needs root (to become nobody) and setpriv (util-linux). */
    public static UnprivilegedUser create() {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("setpriv");
        Path directory = null;
        try {
            directory = Files.createTempDirectory("stacklab-user", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            return new UnprivilegedUser(directory, UnprivilegedNamespace.copyClassPath(directory));
        } catch (IOException e) {
            UnprivilegedNamespace.deleteTree(directory);
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code java -cp <copy> dev.stacklab.cli.Main args} as nobody and waits for it. */
    public Processes.Result stacklab(String... args) {
        List<String> command = new ArrayList<>(AS_NOBODY);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classPath, "dev.stacklab.cli.Main"));
        command.addAll(List.of(args));
        return Processes.run(command, 60);
    }

    @Override
    public void close() {
        UnprivilegedNamespace.deleteTree(directory);
    }
}
