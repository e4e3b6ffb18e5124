package dev.stacklab.cli;

import dev.stacklab.testsupport.KernelPeer;
import dev.stacklab.testsupport.NamespacePair;
import dev.stacklab.testsupport.Prerequisites;
import dev.stacklab.testsupport.Processes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * IP options in our echo replies as the Linux kernel sees them: its {@code ping -R} and
 * {@code ping -T} against {@code serve} over a veth into a namespace made here, with a capture of
 * the exchange that tshark must decode without a malformed packet or an expert warning.
 */
class EchoOptionsAgainstKernelTest {
    private KernelPeer kernel;
    private Path pcap;
    private StacklabProcess serve;

    @BeforeEach
    void makeKernelPeer() throws Exception {
        for (String command : new String[] {"ping", "ethtool", "tcpdump", "tshark", "python3"}) {
            Prerequisites.requireCommand(command);
        }
        kernel = KernelPeer.create();
        pcap = Files.createTempFile("stacklab-echo-options", ".pcap");
    }

    @AfterEach
    void removeKernelPeer() throws Exception {
        if (serve != null) {
            serve.close();
        }
        if (kernel != null) {
            kernel.close();
        }
        Files.deleteIfExists(pcap);
    }

    @Test
    void theKernelsPingFindsUsInRecordRouteAndTimestamps() throws Exception {
        Process capture = kernel.startCapture(pcap);
        StacklabProcess serve = serve();
        String us = kernel.stackAddress.replace(".", "\\.");
        String them = kernel.kernelAddress.replace(".", "\\.");

        // The kernel records itself leaving and arriving; we record ourselves once, between.
        Processes.Result recordRoute = kernel.exec("ping", "-R", "-c", "2", "-i", "0.2", "-W", "10", kernel.stackAddress);
        assertThat(recordRoute.stdout()).as(recordRoute.stderr()).contains("2 packets transmitted, 2 received")
                .containsPattern("RR: \t" + them + "\n\t" + us + "\n\t" + them + "\n");

        // iputils prints the first timestamp absolute and each later one as the difference from the one
        // before: ours must be close to the kernel's, so it is the real time of day, not the engine's clock.
        Processes.Result timestamps = kernel.exec("ping", "-T", "tsonly", "-c", "2", "-i", "0.2", "-W", "10", kernel.stackAddress);
        assertThat(timestamps.stdout()).as(timestamps.stderr()).contains("2 packets transmitted, 2 received");
        assertSmallDifferences(timestamps.stdout(), Pattern.compile("TS: \t\\d+ absolute\n\t(-?\\d+)\n\t(-?\\d+)\n"));

        Processes.Result withAddresses = kernel.exec("ping", "-T", "tsandaddr", "-c", "2", "-i", "0.2", "-W", "10", kernel.stackAddress);
        assertThat(withAddresses.stdout()).as(withAddresses.stderr()).contains("2 packets transmitted, 2 received");
        assertSmallDifferences(withAddresses.stdout(),
                Pattern.compile("TS: \t" + them + "\t\\d+ absolute\n\t" + us + "\t(-?\\d+)\n\t" + them + "\t(-?\\d+)\n"));

        // Prespecified: only the listed addresses stamp, in order; we are listed first.
        Processes.Result prespecified = kernel.exec("ping", "-T", "tsprespec", kernel.stackAddress, kernel.kernelAddress,
                "-c", "1", "-W", "10", kernel.stackAddress);
        assertThat(prespecified.stdout()).as(prespecified.stderr()).contains("1 packets transmitted, 1 received")
                .containsPattern("TS: \t" + us + "\t\\d+ absolute\n\t" + them + "\t-?\\d+\n");

        // 3000 bytes: the request arrives in fragments and our reply leaves in three, RR only in the first.
        Processes.Result large = kernel.exec("ping", "-R", "-s", "3000", "-c", "1", "-W", "10", kernel.stackAddress);
        assertThat(large.stdout()).as(large.stderr()).contains("3008 bytes from " + kernel.stackAddress, "1 received")
                .containsPattern("RR: \t" + them + "\n\t" + us + "\n\t" + them + "\n");

        assertThat(serve.interrupt(StackAgainstKernelTest.SERVE_STOP_SECONDS)).as(serve.output()).isZero();
        NamespacePair.stopCapture(capture);
        assertTsharkFindsNothingWrong();
    }

    /**
     * RFC 791's timestamps come from one wall clock here, the kernel's: ours, taken after the request arrived, is never
     * earlier than the kernel's stamp on the request, nor later than its stamp on our reply. iputils prints each as the
     * difference from the one before, so neither difference may be negative (it was -1 now and then when the wall
     * clock's offset was read once, at start, and short by up to a millisecond).
     */
    @Test
    void ourTimestampLiesBetweenTheKernelsStampsOnTheRequestAndOnTheReply() throws Exception {
        StacklabProcess serve = serve();

        Processes.Result timestamps = kernel.exec("ping", "-T", "tsonly", "-c", "200", "-i", "0.005", "-W", "10", kernel.stackAddress);
        assertThat(timestamps.stdout()).as(timestamps.stderr()).contains("200 packets transmitted, 200 received");
        Matcher entries = Pattern.compile("TS: \t\\d+ absolute\n\t(-?\\d+)\n\t(-?\\d+)\n").matcher(timestamps.stdout());
        int replies = 0;
        while (entries.find()) {
            replies++;
            assertThat(Long.parseLong(entries.group(1))).as("ours minus the request's, reply %d", replies).isBetween(0L, 999L);
            assertThat(Long.parseLong(entries.group(2))).as("the reply's arrival minus ours, reply %d", replies).isBetween(0L, 999L);
        }
        assertThat(replies).isEqualTo(200);
        assertThat(serve.interrupt(StackAgainstKernelTest.SERVE_STOP_SECONDS)).as(serve.output()).isZero();
    }

    /**
     * serve in a JVM of its own, ended with Ctrl-C once the kernel's pings are done ({@link #removeKernelPeer} ends it
     * if the test fails first): a fixed --duration could run out before them on a loaded machine.
     */
    private StacklabProcess serve() throws InterruptedException {
        serve = StacklabProcess.start("serve", "--interface-name", kernel.stackDevice, "--ip", kernel.stackCidr(), "--quiet");
        serve.awaitOutput(text -> text.contains("serving as"));
        return serve;
    }

    private static void assertSmallDifferences(String pingOutput, Pattern entries) {
        Matcher matcher = entries.matcher(pingOutput);
        assertThat(matcher.find()).as(pingOutput).isTrue();
        for (int group = 1; group <= matcher.groupCount(); group++) {
            assertThat(Math.abs(Long.parseLong(matcher.group(group)))).as(pingOutput).isLessThan(1000);
        }
    }

    /**
     * Our frames, options and fragments included, decode cleanly with every checksum checked. Only
     * ours: the kernel's later fragments of a {@code ping -R} carry its RR overwritten with NOPs,
     * which tshark warns about ("4 NOP in a row").
     */
    private void assertTsharkFindsNothingWrong() {
        // tshark checks ICMP checksums always, IP header checksums only when asked.
        Processes.Result decoded = Processes.run(List.of("tshark", "-r", pcap.toString(), "-V", "-o", "ip.check_checksum:TRUE",
                "-Y", "eth.src == " + ourMac()), 60);
        String text = decoded.stdout();
        assertThat(decoded.exitCode()).as(decoded.stderr()).isZero();
        assertThat(text).doesNotContain("Malformed", "[Expert Info (Warning", "[Expert Info (Error", "Bad checksum",
                "[Header checksum status: Bad]");
        assertThat(text).contains("IP Option - Record Route (39 bytes)", "Recorded Route: " + kernel.stackAddress,
                "Flag: Time stamps only", "Flag: Time stamp and address", "Flag: Time stamps for prespecified addresses",
                "[3 IPv4 Fragments (3008 bytes)");
        // RR twice, tsonly twice, tsandaddr twice (shorter: iputils fits four pairs), prespecified once.
        assertThat(fields("ip.src == " + kernel.stackAddress + " && icmp.type == 0 && ip.opt.type", "ip.hdr_len"))
                .as("replies with options").containsExactly("60", "60", "60", "60", "56", "56", "40");
        assertThat(fields("ip.src == " + kernel.stackAddress + " && (ip.flags.mf == 1 || ip.frag_offset > 0)", "ip.hdr_len",
                "ip.frag_offset", "ip.opt.type")).as("fragments of the large reply: RR and its EOL padding only in the first")
                .containsExactly("60\t0\t7,0", "20\t180\t", "20\t365\t"); // offsets in 8-byte units: 1440 and 2920 bytes
    }

    /** One line per frame matching {@code filter}: the fields' values, tab-separated, as tshark prints them. */
    private List<String> fields(String filter, String... names) {
        List<String> command = new ArrayList<>(List.of("tshark", "-r", pcap.toString(), "-Y", filter, "-T", "fields"));
        for (String name : names) {
            command.add("-e");
            command.add(name);
        }
        Processes.Result result = Processes.run(command, 60);
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        return result.stdout().lines().toList();
    }

    /** The stack's MAC, as the kernel learned it. */
    private String ourMac() {
        String neighbors = kernel.exec("ip", "neigh", "show", kernel.stackAddress).stdout();
        Matcher mac = Pattern.compile("lladdr (\\S+)").matcher(neighbors);
        assertThat(mac.find()).as(neighbors).isTrue();
        return mac.group(1);
    }
}
