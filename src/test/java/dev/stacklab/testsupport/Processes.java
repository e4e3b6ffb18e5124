package dev.stacklab.testsupport;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs external commands for tests, with a deadline, collecting their output. */
public final class Processes {
    private Processes() {
    }

    /** What a finished command printed and returned. */
    public record Result(int exitCode, String stdout, String stderr) {
        public Result orThrow(List<String> command) {
            if (exitCode != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + exitCode + ": " + stderr.strip());
            }
            return this;
        }
    }

    public static Result run(List<String> command, long timeoutSeconds) {
        Path stderrFile = null;
        Path stdoutFile = null;
        try {
            // Both streams go to files, so that no pipe can fill up and stall the command.
            stdoutFile = Files.createTempFile("stacklab-out", ".txt");
            stderrFile = Files.createTempFile("stacklab-err", ".txt");
            Process process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(stdoutFile.toFile())
                    .redirectError(stderrFile.toFile())
                    .start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
            }
            return new Result(process.exitValue(), Files.readString(stdoutFile, StandardCharsets.UTF_8),
                    Files.readString(stderrFile, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        } finally {
            deleteQuietly(stdoutFile);
            deleteQuietly(stderrFile);
        }
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

    public static Result run(String... command) {
        return run(List.of(command), 60);
    }

    /** Runs a command and fails with its stderr when it does not exit 0. */
    public static String check(String... command) {
        return run(List.of(command), 60).orThrow(List.of(command)).stdout();
    }

    /** Runs {@code sh -c script}. */
    public static Result shell(String script, long timeoutSeconds) {
        List<String> command = new ArrayList<>(List.of("sh", "-c", script));
        return run(command, timeoutSeconds);
    }
}
