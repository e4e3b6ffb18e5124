package dev.stacklab.runtime;

import dev.stacklab.link.ImpairedLink;
import dev.stacklab.link.ImpairmentSettings;
import dev.stacklab.link.Impairments;
import dev.stacklab.link.PcapLink;
import dev.stacklab.testsupport.KernelPeer;
import dev.stacklab.testsupport.Prerequisites;
import dev.stacklab.wire.Ipv4Address;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The blocking TCP facades against the Linux kernel through frame loss: 5% of the frames the stack receives are
 * dropped (seeded) between the veth and the stack, and a transfer from python's http.server still arrives intact,
 * the kernel having retransmitted what was lost.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TcpSocketAgainstKernelTest {
    private KernelPeer kernel;
    private Process server;

    @TempDir
    Path temp;

    @BeforeEach
    void makeKernelPeer() {
        for (String command : new String[] {"python3", "ethtool", "nstat", "ss"}) {
            Prerequisites.requireCommand(command);
        }
        kernel = KernelPeer.create();
    }

    @AfterEach
    void removeKernelPeer() {
        if (server != null) {
            server.destroyForcibly();
        }
        if (kernel != null) {
            kernel.close();
        }
    }

    @Test
    void fourMebibytesArriveIntactWithFivePercentOfOurReceivedFramesDropped() throws Exception {
        byte[] file = new byte[4 << 20];
        new Random(11).nextBytes(file);
        Path served = Files.createDirectory(temp.resolve("www"));
        Files.write(served.resolve("four.bin"), file);
        server = new ProcessBuilder("ip", "netns", "exec", kernel.namespace, "python3", "-m", "http.server", "8000",
                "--bind", kernel.kernelAddress, "--directory", served.toString())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        // Python takes seconds to start when other builds share the cores (over 10 s at load 15): wait up to 60 s.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!kernel.exec("ss", "-Hltn", "sport = :8000").stdout().contains(":8000")) {
            assertThat(server.isAlive()).as("python's http.server exited with %s", server.isAlive() ? "" : server.exitValue()).isTrue();
            assertThat(System.nanoTime()).as("python's http.server did not start").isLessThan(deadline);
            Thread.sleep(50);
        }
        long retransmittedBefore = kernelRetransmissions();
        Impairments inbound = new Impairments(ImpairmentSettings.NONE.withLoss(0.05), 5);
        try (Host host = Host.onLink(new ImpairedLink(PcapLink.open(kernel.stackDevice), null, inbound))
                .address(kernel.stackCidr()).start();
             TcpSocket socket = TcpSocket.connect(host.runner(), Ipv4Address.parse(kernel.kernelAddress), 8000,
                     Duration.ofSeconds(10))) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            HttpGet.Response response;
            try (OutputStream body = new DigestOutputStream(OutputStream.nullOutputStream(), digest)) {
                response = HttpGet.fetch(socket, kernel.kernelAddress + ":8000", "/four.bin", body);
            }
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyBytes()).isEqualTo(file.length);
            assertThat(digest.digest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(file));
        }
        assertThat(kernelRetransmissions() - retransmittedBefore).as("the kernel resent what we lost").isPositive();
    }

    private long kernelRetransmissions() {
        String out = kernel.exec("nstat", "-az", "TcpRetransSegs").stdout();
        return out.lines().filter(line -> line.startsWith("TcpRetransSegs"))
                .mapToLong(line -> Long.parseLong(line.split("\\s+")[1])).findFirst().orElse(0);
    }
}
