package dev.stacklab.capture;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.fail;

/** Runs tshark or capinfos on a file the test wrote and keeps what it printed. */
record ExternalCommand(int exitCode, String standardOutput, String standardError) {
    /** tshark says this on every run as root; it is about the user, not the file. */
    private static final String ROOT_NOTICE = "Running as user \"root\"";

    static ExternalCommand run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        CompletableFuture<String> output = readAsync(process.getInputStream());
        CompletableFuture<String> errors = readAsync(process.getErrorStream());
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(String.join(" ", command) + " did not finish within 60 s");
        }
        return new ExternalCommand(process.exitValue(), output.join(), errors.join());
    }

    /** Standard error without tshark's notice about running as root: a warning or error about the file, or "". */
    String complaints() {
        return standardError.lines().filter(line -> !line.startsWith(ROOT_NOTICE)).reduce("", (a, b) -> a + b + "\n").strip();
    }

    List<String> outputLines() {
        return standardOutput.lines().toList();
    }

    private static CompletableFuture<String> readAsync(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(could not read: " + e + ")";
            }
        });
    }
}
