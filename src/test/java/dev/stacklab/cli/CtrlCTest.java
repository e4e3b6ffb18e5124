package dev.stacklab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stacklab.testsupport.KernelPeer;
import dev.stacklab.testsupport.Prerequisites;
import dev.stacklab.testsupport.Processes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Ctrl-C on {@code ping} without -c and on {@code serve}, each in a JVM of its own against the kernel in a
 * namespace made here: the run stops, prints its statistics or counters, and exits 0 (not the 130 of a JVM killed
 * by SIGINT), quickly.
 */
class CtrlCTest {
    /**
     * A shell started in the background hands its children SIGINT ignored, and a JVM keeps it ignored; this
     * launcher gives the command SIGINT's default, as a terminal's foreground job has.
     */
    private static final String WITH_DEFAULT_SIGINT =
            "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])";

    private KernelPeer kernel;
    private Path output;

    @BeforeEach
    void makeKernelPeer() throws IOException {
        Prerequisites.requireCommand("python3");
        Prerequisites.requireCommand("ping");
        kernel = KernelPeer.create();
        output = Files.createTempFile("stacklab-ctrlc", ".out");
    }

    @AfterEach
    void removeKernelPeer() throws IOException {
        if (kernel != null) {
            kernel.close();
        }
        Files.deleteIfExists(output);
    }

    @Test
    void ctrlCEndsPingWithItsStatisticsAndStatusZero() throws Exception {
        Process ping = stacklab("ping", "--interface-name", kernel.stackDevice, "--ip", kernel.stackCidr(),
                "--target-ip", kernel.kernelAddress, "-i", "0.1");
        awaitOutput(ping, text -> text.contains("icmp_seq=3 "));

        int status = interrupt(ping);

        String text = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(status).as(text).isZero();
        assertThat(text).contains("--- " + kernel.kernelAddress + " ping statistics ---")
                .containsPattern("\\d+ packets transmitted, \\d+ received, \\d+% packet loss, time \\d+ms")
                .containsPattern("rtt min/avg/max/mdev = ");
    }

    @Test
    void ctrlCEndsServeWithItsCountersAndStatusZero() throws Exception {
        Process serve = stacklab("serve", "--interface-name", kernel.stackDevice, "--ip", kernel.stackCidr());
        awaitOutput(serve, text -> text.contains("Ctrl-C stops."));
        Processes.Result ping = kernel.exec("ping", "-c", "2", "-i", "0.2", "-W", "2", kernel.stackAddress);
        assertThat(ping.stdout()).as(ping.stderr()).contains("2 packets transmitted, 2 received");

        int status = interrupt(serve);

        String text = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(status).as(text).isZero();
        assertThat(text).contains("counters:").containsPattern("icmp echo replies sent +2\n");
    }

    private Process stacklab(String... arguments) throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of("python3", "-c", WITH_DEFAULT_SIGINT,
                java, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(arguments));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    private void awaitOutput(Process process, Predicate<String> ready) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            String text = Files.readString(output, StandardCharsets.UTF_8);
            if (ready.test(text)) {
                return;
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new AssertionError("the command did not get going (alive: " + process.isAlive() + "):\n" + text);
            }
            Thread.sleep(50);
        }
    }

    /** Sends SIGINT, as Ctrl-C does, and returns the exit status; the command must be gone within two seconds. */
    private static int interrupt(Process process) throws InterruptedException {
        Processes.check("kill", "-INT", Long.toString(process.pid()));
        boolean ended = process.waitFor(2, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly();
        }
        assertThat(ended).as("still running two seconds after Ctrl-C").isTrue();
        return process.exitValue();
    }
}
