package dev.stacklab.cli;

import dev.stacklab.testsupport.Processes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * stacklab's CLI in a JVM of its own, as a person runs it in a terminal: what it prints (standard output and error, as
 * a terminal interleaves them) goes to a file the test reads while it runs, and Ctrl-C ends it. A command that runs
 * until Ctrl-C ({@code serve}, {@code ping} without -c) is stopped when the test has done its work, not after a
 * guessed duration that a slow machine may need more than.
 */
final class StacklabProcess implements AutoCloseable {
    /**
     * A shell started in the background hands its children SIGINT ignored, and a JVM keeps it ignored; this
     * launcher gives the command SIGINT's default, as a terminal's foreground job has.
     */
    private static final String WITH_DEFAULT_SIGINT =
            "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])";

    /** How long a command may take to get going: a JVM's start, libpcap, the address probe (seconds on a loaded machine). */
    static final long START_SECONDS = 60;

    private final Process process;
    private final Path output;

    private StacklabProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** Starts {@code stacklab arguments} (needs python3 for the launcher: the caller requires it). */
    static StacklabProcess start(String... arguments) {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of("python3", "-c", WITH_DEFAULT_SIGINT,
                java, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(arguments));
        Path output = null;
        try {
            output = Files.createTempFile("stacklab-process", ".out");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            return new StacklabProcess(process, output);
        } catch (IOException e) {
            deleteQuietly(output);
            throw new UncheckedIOException(e);
        }
    }

    Process process() {
        return process;
    }

    /** What the command has printed so far (always UTF-8, whatever the locale: the summaries use "→"). */
    String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until what the command printed satisfies {@code ready}; fails if it exits first or takes over a minute. */
    void awaitOutput(Predicate<String> ready) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
        while (true) {
            String text = output();
            if (ready.test(text)) {
                return;
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new AssertionError("the command did not get going within " + START_SECONDS + " s (alive: "
                        + process.isAlive() + "):\n" + text);
            }
            Thread.sleep(50);
        }
    }

    /**
     * Sends SIGINT, as Ctrl-C does, and returns the exit status once the command has ended; fails if it is still
     * running {@code limitSeconds} after.
     */
    int interrupt(long limitSeconds) throws InterruptedException {
        Processes.check("kill", "-INT", Long.toString(process.pid()));
        boolean ended = process.waitFor(limitSeconds, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly();
            throw new AssertionError("still running " + limitSeconds + " s after Ctrl-C:\n" + output());
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        deleteQuietly(output);
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // A leftover temp file is harmless.
            }
        }
    }
}
