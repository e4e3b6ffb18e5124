package dev.stacklab.app;

import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.zip.CRC32;

/**
 * Starts the window in a child JVM that maps the app's classes from a class-data sharing archive (JDK 13+
 * dynamic CDS), when the jar runs as {@code java [options] -jar stacklab.jar [gui]}.
 *
 * <p>Why: about a third of the CPU time before the first frame is loading, parsing and verifying some 5,000
 * classes (JavaFX's, AtlantaFX's, ours) from the jar; an archive maps them ready-made. The flag that uses one,
 * {@code -XX:SharedArchiveFile}, cannot come from a jar's manifest, so the launching JVM, which has loaded almost
 * nothing yet, starts the real one with it and passes stdin, stdout, stderr and the exit code through. The first
 * start makes the archive ({@code -XX:ArchiveClassesAtExit}, written as the app exits) under
 * {@code ~/.cache/stacklab/}, one per jar and JVM (the three newest are kept); the JVM itself refuses an archive whose jar changed (size and
 * time) and then loads from the jar as before. Anything out of the ordinary (not a jar, a JVM without CDS, other
 * CDS, agent or debug options, no cache directory, the child not starting) starts the window in this JVM instead.
 * {@code -Dstacklab.sharedArchive=false} turns it off.
 */
public final class SharedArchiveStart {
    /** Set on the child's command line: it is the window's JVM and must not relaunch again. */
    static final String CHILD_PROPERTY = "stacklab.sharedArchive.child";
    static final String ENABLED_PROPERTY = "stacklab.sharedArchive";
    /** Options that say the user runs CDS, an agent or a debugger themselves: not ours to double. */
    /** Archives kept in the cache directory, the newest (27 MB each). */
    static final int ARCHIVES_KEPT = 3;
    private static final List<String> OPTIONS_KEPT_TO_ONE_JVM = List.of("-XX:SharedArchiveFile", "-XX:ArchiveClassesAtExit",
            "-Xshare", "-XX:SharedClassListFile", "-XX:DumpLoadedClassList", "-agentlib", "-agentpath", "-javaagent",
            "-Xrunjdwp", "-Xdebug", "-XX:+AutoCreateSharedArchive");

    private SharedArchiveStart() {
    }

    /**
     * Runs the window in a child JVM with the archive and returns its exit code once it ends, or returns empty
     * when this JVM should open the window itself. {@code capture}, when not null, is passed on for the window to open.
     */
    public static OptionalInt relaunch(Path capture) {
        if (!Boolean.parseBoolean(System.getProperty(ENABLED_PROPERTY, "true")) || System.getProperty(CHILD_PROPERTY) != null
                || DisplayCheck.problem(System.getenv(), System.getProperty("glass.platform")) != null) {
            return OptionalInt.empty();
        }
        try {
            Map<String, String> env = System.getenv();
            // Options from the environment reach both JVMs (the child inherits it): an agent there would run twice.
            String environmentOptions = env.getOrDefault("JDK_JAVA_OPTIONS", "") + " " + env.getOrDefault("JAVA_TOOL_OPTIONS", "")
                    + " " + env.getOrDefault("_JAVA_OPTIONS", "");
            Optional<Plan> plan = plan(ProcessHandle.current().info().command(), ProcessHandle.current().info().arguments(),
                    environmentOptions, System.getProperty("java.vm.info", ""), cacheDirectory(env, System.getProperty("user.home")));
            if (plan.isEmpty()) {
                return OptionalInt.empty();
            }
            return OptionalInt.of(run(capture == null ? plan.get() : plan.get().opening(capture)));
        } catch (IOException | RuntimeException e) {
            LoggerFactory.getLogger(SharedArchiveStart.class).debug("starting the window in this JVM: the child could not start", e);
            return OptionalInt.empty();
        }
    }

    /**
     * The child's command line and archive files, or empty: {@code command} is this JVM's executable,
     * {@code arguments} its command line after it, {@code vmInfo} the JVM's {@code java.vm.info} ("sharing" when
     * the JDK's own archive is mapped, which a dynamic archive builds on).
     */
    static Optional<Plan> plan(Optional<String> command, Optional<String[]> arguments, String vmInfo, Optional<Path> cacheDirectory) throws IOException {
        return plan(command, arguments, "", vmInfo, cacheDirectory);
    }

    /** {@link #plan}, with the JVM options the environment adds ({@code JDK_JAVA_OPTIONS} and the like). */
    static Optional<Plan> plan(Optional<String> command, Optional<String[]> arguments, String environmentOptions, String vmInfo,
                               Optional<Path> cacheDirectory) throws IOException {
        if (command.isEmpty() || arguments.isEmpty() || cacheDirectory.isEmpty() || !vmInfo.contains("sharing")) {
            return Optional.empty();
        }
        String[] args = arguments.get();
        int jarAt = List.of(args).indexOf("-jar");
        // After the jar: nothing, "gui", "gui FILE" or "FILE"; the file goes to the child by Plan.opening.
        int after = args.length - (jarAt + 2);
        if (jarAt < 0 || jarAt + 1 >= args.length || after > 2 || after == 2 && !args[jarAt + 2].equals("gui")) {
            return Optional.empty();
        }
        List<String> jvmOptions = List.of(args).subList(0, jarAt);
        List<String> everyOption = new ArrayList<>(jvmOptions);
        everyOption.addAll(List.of(environmentOptions.trim().split("\\s+")));
        // Plain loops here: the launching JVM is cold, and a stream's lambda costs it milliseconds to link.
        for (String option : everyOption) {
            for (String kept : OPTIONS_KEPT_TO_ONE_JVM) {
                if (option.startsWith(kept)) {
                    return Optional.empty();
                }
            }
        }
        Path jar = Path.of(args[jarAt + 1]).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            return Optional.empty();
        }
        Path directory = cacheDirectory.get();
        Files.createDirectories(directory);
        Path archive = directory.resolve("classes-" + key(jar, command.get()) + ".jsa");

        List<String> child = new ArrayList<>();
        child.add(command.get());
        // The window's own options first: the user's, after them, win.
        child.addAll(WindowJvmOptions.OPTIONS);
        child.addAll(jvmOptions);
        boolean makeArchive = !Files.isRegularFile(archive);
        Path partial = directory.resolve(archive.getFileName() + "." + ProcessHandle.current().pid() + ".part");
        // Quiet: a stale or foreign archive is the JVM's to refuse, and it then loads from the jar as usual.
        child.add("-Xlog:cds=off");
        child.add("-Xlog:cds+dynamic=off");
        child.add(makeArchive ? "-XX:ArchiveClassesAtExit=" + partial : "-XX:SharedArchiveFile=" + archive);
        child.add("-D" + CHILD_PROPERTY + "=true");
        child.addAll(StartupTiming.launcherProperties());
        child.add("-jar");
        child.add(jar.toString());
        child.add("gui");
        return Optional.of(new Plan(child, makeArchive ? Optional.of(partial) : Optional.empty(), archive));
    }

    /** The child's command line; {@code partial} is where it writes a new archive, moved to {@code archive} after. */
    record Plan(List<String> command, Optional<Path> partial, Path archive) {
        /** This plan with the child opening {@code capture} (by its absolute path: the child could run elsewhere). */
        Plan opening(Path capture) {
            List<String> withCapture = new ArrayList<>(command);
            withCapture.add(capture.toAbsolutePath().toString());
            return new Plan(withCapture, partial, archive);
        }
    }

    private static int run(Plan plan) throws IOException {
        Process child = new ProcessBuilder(plan.command()).inheritIO().start();
        // Ended by a signal (the session closing, kill): end the window too, so it still writes its archive.
        Thread endChild = new Thread(() -> {
            child.destroy();
            waitFor(child);
            keepArchive(plan);
        }, "stacklab-end-window");
        Runtime.getRuntime().addShutdownHook(endChild);
        int exitCode = waitFor(child);
        keepArchive(plan);
        try {
            Runtime.getRuntime().removeShutdownHook(endChild);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or about to: it does the same.
        }
        return exitCode;
    }

    private static int waitFor(Process child) {
        while (true) {
            try {
                return child.waitFor();
            } catch (InterruptedException e) {
                // Nothing to interrupt us for: the window's exit code is what we return.
            }
        }
    }

    /**
     * Keeps the {@link #ARCHIVES_KEPT} newest archives and deletes the others: one per jar in use (a build tree's
     * and an installed copy, say) without piling up one per build.
     */
    static void forgetOldArchives(Path directory) throws IOException {
        List<Path> archives = new ArrayList<>();
        try (DirectoryStream<Path> found = Files.newDirectoryStream(directory, "classes-*.jsa")) {
            found.forEach(archives::add);
        }
        Map<Path, Long> modified = new java.util.HashMap<>();
        for (Path archive : archives) {
            modified.put(archive, Files.getLastModifiedTime(archive).toMillis());
        }
        archives.sort(java.util.Comparator.comparing((Path archive) -> modified.get(archive)).reversed());
        for (Path old : archives.subList(Math.min(ARCHIVES_KEPT, archives.size()), archives.size())) {
            Files.deleteIfExists(old);
        }
        // A window killed while it wrote its archive leaves the part written; none is still being written after a day.
        long dayAgo = System.currentTimeMillis() - 24 * 3600 * 1000L;
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(directory, "classes-*.jsa.*.part")) {
            for (Path part : parts) {
                if (Files.getLastModifiedTime(part).toMillis() < dayAgo) {
                    Files.deleteIfExists(part);
                }
            }
        }
    }

    /** Keeps a newly written archive, and forgets the oldest beyond a few. */
    private static synchronized void keepArchive(Plan plan) {
        if (plan.partial().isEmpty() || !Files.isRegularFile(plan.partial().get())) {
            return;
        }
        Path partial = plan.partial().get();
        try {
            if (Files.size(partial) == 0) {
                Files.delete(partial);
                return;
            }
            try {
                Files.move(partial, plan.archive(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, plan.archive(), StandardCopyOption.REPLACE_EXISTING);
            }
            forgetOldArchives(plan.archive().getParent());
        } catch (IOException e) {
            LoggerFactory.getLogger(SharedArchiveStart.class).debug("the class archive was not kept", e);
        }
    }

    /** {@code $XDG_CACHE_HOME/stacklab}, else {@code ~/.cache/stacklab}. */
    static Optional<Path> cacheDirectory(Map<String, String> env, String userHome) {
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Optional.of(Path.of(xdg, "stacklab"));
        }
        return userHome == null || userHome.isBlank() ? Optional.empty() : Optional.of(Path.of(userHome, ".cache", "stacklab"));
    }

    /**
     * One archive per jar and JVM: the jar's path, size and modification time (what the JVM itself checks before it
     * maps an archive) and the JVM's executable and version.
     */
    static String key(Path jar, String javaCommand) throws IOException {
        CRC32 crc = new CRC32();
        String identity = jar + "\n" + Files.size(jar) + "\n" + Files.getLastModifiedTime(jar).toMillis() + "\n" + javaCommand
                + "\n" + System.getProperty("java.vm.version") + "\n" + System.getProperty("java.vm.name");
        crc.update(identity.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return Long.toHexString(crc.getValue());
    }
}
