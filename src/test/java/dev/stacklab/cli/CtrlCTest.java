package dev.stacklab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stacklab.testsupport.KernelPeer;
import dev.stacklab.testsupport.Prerequisites;
import dev.stacklab.testsupport.Processes;
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
     * Ctrl-C must end a command quickly. The bound is generous because the whole JVM has to stop (runner, link,
     * printer) on a machine that may be loaded; a command that hangs on Ctrl-C still fails it.
     */
    private static final long CTRL_C_LIMIT_SECONDS = 10;

    private KernelPeer kernel;

    @BeforeEach
    void makeKernelPeer() {
        Prerequisites.requireCommand("python3");
        Prerequisites.requireCommand("ping");
        kernel = KernelPeer.create();
    }

    @AfterEach
    void removeKernelPeer() {
        if (kernel != null) {
            kernel.close();
        }
    }

    @Test
    void ctrlCEndsPingWithItsStatisticsAndStatusZero() throws Exception {
        try (StacklabProcess ping = StacklabProcess.start("ping", "--interface-name", kernel.stackDevice, "--ip", kernel.stackCidr(),
                "--target-ip", kernel.kernelAddress, "-i", "0.1")) {
            ping.awaitOutput(text -> text.contains("icmp_seq=3 "));

            int status = ping.interrupt(CTRL_C_LIMIT_SECONDS);

            String text = ping.output();
            assertThat(status).as(text).isZero();
            assertThat(text).contains("--- " + kernel.kernelAddress + " ping statistics ---")
                    .containsPattern("\\d+ packets transmitted, \\d+ received, \\d+% packet loss, time \\d+ms")
                    .containsPattern("rtt min/avg/max/mdev = ");
        }
    }

    @Test
    void ctrlCEndsServeWithItsCountersAndStatusZero() throws Exception {
        try (StacklabProcess serve = StacklabProcess.start("serve", "--interface-name", kernel.stackDevice, "--ip", kernel.stackCidr())) {
            serve.awaitOutput(text -> text.contains("Ctrl-C stops."));
            Processes.Result ping = kernel.exec("ping", "-c", "2", "-i", "0.2", "-W", "10", kernel.stackAddress);
            assertThat(ping.stdout()).as(ping.stderr()).contains("2 packets transmitted, 2 received");

            int status = serve.interrupt(CTRL_C_LIMIT_SECONDS);

            String text = serve.output();
            assertThat(status).as(text).isZero();
            assertThat(text).contains("counters:").containsPattern("icmp echo replies sent +2\n");
        }
    }
}
