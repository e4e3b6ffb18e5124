package dev.stacklab.testsupport;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** tcpdump writing every frame of one device to a pcap, run through a command that puts it in the right namespace. */
public final class Tcpdump {
    private Tcpdump() {
    }

    /**
     * Starts {@code enter + tcpdump} on {@code device}, writing {@code pcap}, and returns once it is listening:
     * everything sent afterwards is in the file. {@code enter} is what puts tcpdump in the namespace
     * ({@code ip netns exec NAME}, {@code nsenter --target PID --net}) and must exec it in place, so that the process
     * returned is tcpdump's own.
     */
    public static Process start(List<String> enter, String device, Path pcap) {
        List<String> command = new ArrayList<>(enter);
        // Immediate mode: otherwise frames wait in the kernel's ring buffer for up to a second, and those still
        // waiting when the capture is stopped never reach the file. -Z root: stay root rather than become the
        // tcpdump user, who may not write where the test keeps its files.
        command.addAll(List.of("tcpdump", "--immediate-mode", "-U", "-Z", "root", "-n", "-i", device, "-w", pcap.toString()));
        try {
            Path log = Files.createTempFile("stacklab-tcpdump", ".log");
            Process tcpdump = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(log.toFile())
                    .start();
            // Generous: tcpdump is quick to start, but a loaded machine may take seconds to run it.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(log, StandardCharsets.UTF_8).contains("listening on")) {
                if (!tcpdump.isAlive() || System.nanoTime() > deadline) {
                    tcpdump.destroyForcibly();
                    throw new IllegalStateException("tcpdump did not start: " + Files.readString(log, StandardCharsets.UTF_8));
                }
                Thread.sleep(20);
            }
            return tcpdump;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting tcpdump", e);
        }
    }

    /** Stops a capture cleanly (SIGINT lets tcpdump flush and close the file). */
    public static void stop(Process tcpdump) {
        try {
            Processes.run("kill", "-INT", Long.toString(tcpdump.pid()));
            // Killed only if it will not end: a tcpdump killed may leave its last frames out of the file.
            if (!tcpdump.waitFor(30, TimeUnit.SECONDS)) {
                tcpdump.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
