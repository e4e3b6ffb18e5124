package dev.stacklab.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class SharedArchiveStartTest {
    private static final Optional<String> JAVA = Optional.of("/usr/lib/jvm/java-17/bin/java");
    private static final String SHARING = "mixed mode, sharing";

    @TempDir
    Path directory;

    private Path jar() throws IOException {
        Path jar = directory.resolve("stacklab.jar");
        if (!Files.exists(jar)) {
            Files.write(jar, new byte[] {'P', 'K', 3, 4});
        }
        return jar;
    }

    private Optional<SharedArchiveStart.Plan> plan(String... arguments) throws IOException {
        return SharedArchiveStart.plan(JAVA, Optional.of(arguments), SHARING, Optional.of(directory.resolve("cache")));
    }

    @Test
    void theFirstStartMakesTheArchiveAndKeepsTheUsersOptions() throws IOException {
        SharedArchiveStart.Plan plan = plan("-Xmx2g", "-Dstacklab.startupTiming=true", "-jar", jar().toString()).orElseThrow();

        Path archive = directory.resolve("cache").resolve("classes-" + SharedArchiveStart.key(jar(), JAVA.get()) + ".jsa");
        assertThat(plan.archive()).isEqualTo(archive);
        assertThat(plan.partial()).hasValueSatisfying(partial -> {
            assertThat(partial.getParent()).isEqualTo(archive.getParent()).isDirectory();
            assertThat(partial.getFileName().toString()).startsWith(archive.getFileName().toString()).endsWith(".part");
        });
        // The window's options, then the user's (a later option wins in the JVM's command line).
        List<String> start = new ArrayList<>(List.of(JAVA.get()));
        start.addAll(WindowJvmOptions.OPTIONS);
        start.addAll(List.of("-Xmx2g", "-Dstacklab.startupTiming=true"));
        assertThat(plan.command()).startsWith(start.toArray(String[]::new))
                .contains("-XX:ArchiveClassesAtExit=" + plan.partial().get(), "-D" + SharedArchiveStart.CHILD_PROPERTY + "=true")
                .endsWith("-jar", jar().toAbsolutePath().toString(), "gui")
                .noneMatch(option -> option.startsWith("-XX:SharedArchiveFile"));
    }

    @Test
    void theUsersOwnChoiceOfAWindowOptionComesLastAndWins() throws IOException {
        SharedArchiveStart.Plan plan = plan("-XX:MaxNewSize=512m", "-jar", jar().toString()).orElseThrow();

        assertThat(WindowJvmOptions.inEffect(plan.command())).isTrue();
        List<String> newSizes = plan.command().stream().filter(option -> option.startsWith("-XX:MaxNewSize=")).toList();
        assertThat(newSizes).last().isEqualTo("-XX:MaxNewSize=512m");
        assertThat(WindowJvmOptions.inEffect(List.of("-Xmx2g"))).isFalse();
    }

    @Test
    void laterStartsMapTheArchive() throws IOException {
        Path archive = plan("-jar", jar().toString()).orElseThrow().archive();
        Files.write(archive, new byte[] {1});

        SharedArchiveStart.Plan plan = plan("-jar", jar().toString(), "gui").orElseThrow();

        assertThat(plan.partial()).isEmpty();
        assertThat(plan.command()).contains("-XX:SharedArchiveFile=" + archive).noneMatch(option -> option.startsWith("-XX:ArchiveClassesAtExit"));
    }

    @Test
    void aCaptureNamedOnTheCommandLineReachesTheChildByItsAbsolutePath() throws IOException {
        SharedArchiveStart.Plan plan = plan("-jar", jar().toString(), "gui", "trace.pcapng").orElseThrow()
                .opening(Path.of("trace.pcapng"));

        assertThat(plan.command()).endsWith("-jar", jar().toAbsolutePath().toString(), "gui", Path.of("trace.pcapng").toAbsolutePath().toString());
        assertThat(plan("-jar", jar().toString(), "trace.pcapng")).as("stacklab trace.pcapng").isPresent();
    }

    @Test
    void aChangedJarOrAnotherJavaGetsAnotherArchive() throws IOException {
        String before = SharedArchiveStart.key(jar(), JAVA.get());
        assertThat(SharedArchiveStart.key(jar(), "/opt/jdk-21/bin/java")).isNotEqualTo(before);

        Files.setLastModifiedTime(jar(), FileTime.fromMillis(Files.getLastModifiedTime(jar()).toMillis() - 60_000));
        assertThat(SharedArchiveStart.key(jar(), JAVA.get())).isNotEqualTo(before);
    }

    @Test
    void anythingOutOfTheOrdinaryStartsTheWindowInThisJvm() throws IOException {
        String jar = jar().toString();
        assertThat(plan("-agentlib:jdwp=transport=dt_socket,server=y", "-jar", jar)).as("a debugger").isEmpty();
        assertThat(plan("-javaagent:/tmp/agent.jar", "-jar", jar)).as("an agent").isEmpty();
        assertThat(plan("-XX:SharedArchiveFile=/tmp/mine.jsa", "-jar", jar)).as("the user's own archive").isEmpty();
        assertThat(plan("-Xshare:off", "-jar", jar)).as("sharing turned off").isEmpty();
        assertThat(plan("-cp", jar, "dev.stacklab.cli.Main")).as("not -jar (mvn javafx:run, an IDE)").isEmpty();
        assertThat(plan("-jar", jar, "decode", "--sample")).as("a command, not the window").isEmpty();
        assertThat(plan("-jar", directory.resolve("missing.jar").toString())).as("no such jar").isEmpty();
        assertThat(SharedArchiveStart.plan(JAVA, Optional.of(new String[] {"-jar", jar}), "mixed mode", Optional.of(directory)))
                .as("a JVM without the JDK's own archive").isEmpty();
        assertThat(SharedArchiveStart.plan(JAVA, Optional.of(new String[] {"-jar", jar}), SHARING, Optional.empty()))
                .as("no cache directory").isEmpty();
        assertThat(SharedArchiveStart.plan(Optional.empty(), Optional.of(new String[] {"-jar", jar}), SHARING, Optional.of(directory)))
                .as("the JVM's executable unknown").isEmpty();
        assertThat(SharedArchiveStart.plan(JAVA, Optional.of(new String[] {"-jar", jar}), " -Xmx1g  -javaagent:/opt/profiler.jar ", SHARING,
                Optional.of(directory))).as("an agent in JAVA_TOOL_OPTIONS").isEmpty();
        assertThat(SharedArchiveStart.plan(JAVA, Optional.of(new String[] {"-jar", jar}), " -Xmx1g   ", SHARING, Optional.of(directory)))
                .as("harmless options in the environment").isPresent();
    }

    @Test
    void theNewestArchivesAreKeptAndOlderOnesGo() throws IOException {
        Path cache = Files.createDirectories(directory.resolve("cache"));
        Path other = Files.writeString(cache.resolve("notes.txt"), "not an archive");
        Path stalePart = Files.write(cache.resolve("classes-9.jsa.4242.part"), new byte[] {9});
        Files.setLastModifiedTime(stalePart, FileTime.fromMillis(System.currentTimeMillis() - 2 * 24 * 3600 * 1000L));
        Path partBeingWritten = Files.write(cache.resolve("classes-8.jsa.4343.part"), new byte[] {8});
        for (int i = 0; i < SharedArchiveStart.ARCHIVES_KEPT + 2; i++) {
            Path archive = Files.write(cache.resolve("classes-" + i + ".jsa"), new byte[] {(byte) i});
            Files.setLastModifiedTime(archive, FileTime.fromMillis(1_000_000L * (i + 1)));
        }

        SharedArchiveStart.forgetOldArchives(cache);

        try (var left = Files.list(cache)) {
            assertThat(left.map(path -> path.getFileName().toString())).containsExactlyInAnyOrder(
                    "notes.txt", "classes-2.jsa", "classes-3.jsa", "classes-4.jsa", partBeingWritten.getFileName().toString());
        }
        assertThat(other).exists();
    }

    @Test
    void theArchiveLivesInTheUsersCache() {
        assertThat(SharedArchiveStart.cacheDirectory(Map.of("XDG_CACHE_HOME", "/var/cache/me"), "/home/me")).contains(Path.of("/var/cache/me/stacklab"));
        assertThat(SharedArchiveStart.cacheDirectory(Map.of("XDG_CACHE_HOME", "relative"), "/home/me")).contains(Path.of("/home/me/.cache/stacklab"));
        assertThat(SharedArchiveStart.cacheDirectory(Map.of(), "/home/me")).contains(Path.of("/home/me/.cache/stacklab"));
        assertThat(SharedArchiveStart.cacheDirectory(Map.of(), "")).isEmpty();
    }
}
