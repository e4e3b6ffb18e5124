package dev.stacklab.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What an unprivileged user gets from {@code unshare -rn}: a user namespace where they are uid 0, and a network
 * namespace of their own. Made for one test by a process of the user nobody (65534) that holds both open, and gone
 * with it at {@link #close()}. Commands run inside as that user ({@code setpriv}, then {@code nsenter --user --net
 * --preserve-credentials}, as a second terminal of theirs would), and stacklab runs from a copy of the test classpath
 * that nobody can read (the original is under /root).
 *
 * <p>The holder is also in a mount namespace of its own (made by the test's root, which nobody's commands enter first),
 * so that a test may put a {@code /dev/net/tun} of a chosen mode there without touching the host's.
 */
public final class UnprivilegedNamespace implements AutoCloseable {
    private static final String NOBODY = "65534";
    /** How long the holder may take to unshare and exec cat: generous, for a loaded machine. */
    private static final long HOLDER_START_SECONDS = 60;
    private static final List<String> AS_NOBODY = List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups");

    private final Path directory;
    private final String classPath;
    private final Process holder;
    private final List<Process> started = new ArrayList<>();

    private UnprivilegedNamespace(Path directory, String classPath, Process holder) {
        this.directory = directory;
        this.classPath = classPath;
        this.holder = holder;
    }

    /** The namespaces, with the host's /dev/net/tun. */
    public static UnprivilegedNamespace create() {
        return create(null);
    }

    /**
     * The namespaces, with a /dev/net/tun of {@code tunMode} (e.g. {@code 0666}, most distributions' mode, or
     * {@code 0600}) in place of the host's; null keeps the host's.
     */
    public static UnprivilegedNamespace create(String tunMode) {
        Prerequisites.requireRoot();
        for (String command : List.of("setpriv", "unshare", "nsenter", "ip")) {
            Prerequisites.requireCommand(command);
        }
        Path directory = null;
        try {
            directory = Files.createTempDirectory("stacklab-userns", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            String classPath = copyClassPath(directory);
            Process holder = startHolder(directory, tunMode);
            UnprivilegedNamespace namespace = new UnprivilegedNamespace(directory, classPath, holder);
            namespace.awaitNamespaces();
            return namespace;
        } catch (IOException e) {
            deleteTree(directory);
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code unshare --mount} (as root), optionally a tun device node bound over /dev/net/tun, then nobody's
     * {@code unshare -rn cat}: cat reads the test's pipe, so the namespaces end when the test (or its JVM) does.
     */
    private static Process startHolder(Path directory, String tunMode) throws IOException {
        String asNobody = String.join(" ", AS_NOBODY);
        String script = "exec " + asNobody + " unshare --user --map-root-user --net cat";
        if (tunMode != null) {
            Path tunDirectory = Files.createDirectory(directory.resolve("tun"));
            // 10, 200: the misc device number of /dev/net/tun (Documentation/admin-guide/devices.txt).
            script = "mount -t tmpfs stacklab-tun " + tunDirectory + " && mknod -m " + tunMode + " " + tunDirectory + "/tun c 10 200"
                    + " && mount --bind " + tunDirectory + "/tun /dev/net/tun && " + script;
        }
        return new ProcessBuilder("unshare", "--mount", "--propagation", "private", "sh", "-c", script)
                .directory(directory.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(directory.resolve("holder.err").toFile())
                .start();
    }

    /** Waits until the holder is cat: by then it has unshared, written its uid map and exec'd. */
    private void awaitNamespaces() {
        Path command = Path.of("/proc", Long.toString(holder.pid()), "comm");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HOLDER_START_SECONDS);
        try {
            while (!readOrEmpty(command).equals("cat")) {
                if (!holder.isAlive()) {
                    String reason = Files.readString(directory.resolve("holder.err"), StandardCharsets.UTF_8).strip();
                    close();
                    Prerequisites.missing("an unprivileged user cannot make a user and network namespace here (" + reason + ")");
                }
                if (System.nanoTime() > deadline) {
                    close();
                    throw new IllegalStateException("the namespace holder did not start within " + HOLDER_START_SECONDS + " s");
                }
                Thread.sleep(10);
            }
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while waiting for the namespace holder", e);
        }
    }

    private static String readOrEmpty(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            // Gone: the holder has exited, which the caller sees next.
            return "";
        }
    }

    /** Copies every classpath entry into {@code directory}, readable by all, and returns the copy's classpath. */
    static String copyClassPath(Path directory) throws IOException {
        List<String> copies = new ArrayList<>();
        String[] entries = System.getProperty("java.class.path").split(File.pathSeparator);
        for (int i = 0; i < entries.length; i++) {
            Path entry = Path.of(entries[i]);
            if (!Files.exists(entry)) {
                continue;
            }
            Path copy = directory.resolve(i + "-" + entry.getFileName());
            try (Stream<Path> files = Files.walk(entry)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Path target = copy.resolve(entry.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(file, target);
                    }
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(Files.isDirectory(file) ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
            copies.add(copy.toString());
        }
        return String.join(File.pathSeparator, copies);
    }

    /** The holder's pid: a process inside both namespaces. */
    public long pid() {
        return holder.pid();
    }

    /** Enters the holder's mount namespace as root, becomes nobody, then enters its user and network namespaces. */
    private List<String> inside(List<String> command) {
        String pid = Long.toString(holder.pid());
        List<String> full = new ArrayList<>(List.of("nsenter", "--target", pid, "--mount"));
        full.addAll(AS_NOBODY);
        // --preserve-credentials: otherwise nsenter calls setgroups(), which `unshare -r` has denied, and fails.
        full.addAll(List.of("nsenter", "--target", pid, "--user", "--net", "--preserve-credentials"));
        full.addAll(command);
        return full;
    }

    /** Runs a command inside, as the user, and waits for it. */
    public Processes.Result exec(String... command) {
        return exec(List.of(command));
    }

    /** Runs a command inside, as the user, and waits for it. */
    public Processes.Result exec(List<String> command) {
        return Processes.run(inside(command), 60);
    }

    /** Runs {@code java -cp <copy> dev.stacklab.cli.Main args} inside, as the user. */
    public Processes.Result stacklab(String... args) {
        return Processes.run(inside(stacklabCommand(args)), 60);
    }

    /** The command line of stacklab's CLI from the copied classpath, for running inside. */
    public List<String> stacklabCommand(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, "dev.stacklab.cli.Main"));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * Runs stacklab as the user in a user namespace of its own but in the host's network namespace, as after
     * {@code unshare -r} without {@code -n}: uid 0 there, with no power over the network it is in.
     */
    public Processes.Result stacklabInTheHostsNetwork(String... args) {
        List<String> command = new ArrayList<>(AS_NOBODY);
        command.addAll(List.of("unshare", "--user", "--map-root-user"));
        command.addAll(stacklabCommand(args));
        return Processes.run(command, 60);
    }

    /** Starts a long-running command inside, as the user, with its output in {@code output}; {@link #close} stops it. */
    public Process start(Path output, List<String> command) {
        try {
            Process process = new ProcessBuilder(inside(command))
                    .directory(directory.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            started.add(process);
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts tcpdump on a device of the namespace, as the host's root in the namespace's network only: tcpdump cannot
     * run as the user inside, because it always gives up root for another user, which the user namespace does not map.
     */
    public Process startCapture(String device, Path pcap) {
        Process tcpdump = Tcpdump.start(List.of("nsenter", "--target", Long.toString(holder.pid()), "--net"), device, pcap);
        started.add(tcpdump);
        return tcpdump;
    }

    /** A file in this namespace's own directory (removed at {@link #close}), for outputs and captures. */
    public Path file(String name) {
        return directory.resolve(name);
    }

    @Override
    public void close() {
        for (Process process : started) {
            process.destroy();
        }
        for (Process process : started) {
            awaitOrKill(process);
        }
        try {
            holder.getOutputStream().close();
        } catch (IOException ignored) {
            // cat ends anyway when it is destroyed.
        }
        holder.destroy();
        awaitOrKill(holder);
        deleteTree(directory);
    }

    private static void awaitOrKill(Process process) {
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void deleteTree(Path directory) {
        if (directory == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException ignored) {
            // A leftover temp directory is harmless.
        }
    }
}
