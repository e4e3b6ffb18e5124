package dev.stacklab.cli;

import dev.stacklab.testsupport.KernelPeer;
import dev.stacklab.testsupport.NamespacePair;
import dev.stacklab.testsupport.Prerequisites;
import dev.stacklab.testsupport.Processes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code stacklab ping -M do|want} against the real Linux kernel over a veth into a namespace made
 * here, with tcpdump on the kernel's end and tshark reading what crossed: Don't Fragment on the wire,
 * the local error for a request too big to leave, fragments when wanted, and a Linux router's
 * "fragmentation needed" with its next-hop MTU, which the stack then keeps to (path MTU discovery).
 */
class PingDontFragmentAgainstKernelTest {
    private KernelPeer kernel;
    private Path capture;
    private Process tcpdump;

    @BeforeEach
    void makeKernelPeerAndCapture(@TempDir Path directory) {
        for (String command : new String[] {"ping", "ethtool", "tcpdump", "tshark"}) {
            Prerequisites.requireCommand(command);
        }
        kernel = KernelPeer.create();
        capture = directory.resolve("kernel-side.pcap");
        tcpdump = kernel.startCapture(capture);
    }

    @AfterEach
    void removeKernelPeer() {
        if (kernel != null) {
            kernel.close();
        }
    }

    private CommandRun ourPing(String... flags) {
        List<String> args = new ArrayList<>(List.of("ping", "--interface-name", kernel.stackDevice, "--ip", kernel.stackCidr(),
                "-i", "0.2", "-W", "10"));
        args.addAll(List.of(flags));
        return CommandRun.of(args.toArray(String[]::new));
    }

    /** Stops the capture and returns the chosen fields of the IPv4 frames our stack sent, one tab-separated line each. */
    private List<String> ourDatagrams(String... fields) {
        NamespacePair.stopCapture(tcpdump);
        List<String> command = new ArrayList<>(List.of("tshark", "-r", capture.toString(), "-Y",
                "ip.src == " + kernel.stackAddress, "-T", "fields"));
        for (String field : fields) {
            command.addAll(List.of("-e", field));
        }
        return Processes.run(command, 60).orThrow(command).stdout().lines().toList();
    }

    @Test
    void doSetsDfOnRequestsThatFitAndTheKernelAnswers() {
        CommandRun run = ourPing("--target-ip", kernel.kernelAddress, "-c", "2", "-M", "do", "-s", "1472");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("PING " + kernel.kernelAddress + " (" + kernel.kernelAddress + ") 1472(1500) bytes of data.\n")
                .containsPattern("1480 bytes from " + kernel.kernelAddress.replace(".", "\\.") + ": icmp_seq=1 ttl=64 time=[0-9.]+ ms")
                .contains("2 packets transmitted, 2 received, 0% packet loss");
        // icmp.type, ip.flags.df, ip.len, ip.frag_offset for every datagram the stack sent.
        assertThat(ourDatagrams("icmp.type", "ip.flags.df", "ip.len", "ip.frag_offset")).containsExactly("8\t1\t1500\t0", "8\t1\t1500\t0");
    }

    @Test
    void doWithARequestBiggerThanTheMtuIsALocalErrorAndNothingLeaves() {
        CommandRun run = ourPing("--target-ip", kernel.kernelAddress, "-c", "2", "-M", "do", "-s", "3000");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("ping: local error: message too long, mtu=1500\n".repeat(2));
        assertThat(run.out()).startsWith("PING " + kernel.kernelAddress + " (" + kernel.kernelAddress + ") 3000(3028) bytes of data.\n")
                .contains("2 packets transmitted, 0 received, +2 errors, 100% packet loss").doesNotContain("rtt");
        assertThat(ourDatagrams("ip.len")).as("IPv4 datagrams from the stack").isEmpty();
    }

    @Test
    void wantFragmentsABigRequestWithoutDfAndTheKernelAnswers() {
        CommandRun run = ourPing("--target-ip", kernel.kernelAddress, "-c", "1", "-M", "want", "-s", "3000");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("3008 bytes from " + kernel.kernelAddress + ": icmp_seq=1 ttl=64");
        assertThat(ourDatagrams("ip.flags.df", "ip.len", "ip.frag_offset")).containsExactly("0\t1500\t0", "0\t1500\t185", "0\t68\t370");
    }

    @Test
    void aLinuxRouterWithASmallerMtuAnswersFragmentationNeededAndTheStackLearnsItsMtu() {
        // The kernel's namespace becomes a router to a second namespace over a link with MTU 1400.
        String subnet = kernel.kernelAddress.substring(0, kernel.kernelAddress.lastIndexOf(".0.1"));
        String farNamespace = kernel.namespace + "-far";
        String routerDevice = kernel.kernelDevice + "r";
        String farDevice = kernel.kernelDevice + "f";
        String farAddress = subnet + ".1.2";
        Processes.check("ip", "netns", "add", farNamespace);
        try {
            Processes.check("ip", "link", "add", routerDevice, "netns", kernel.namespace, "type", "veth", "peer", "name", farDevice,
                    "netns", farNamespace);
            Processes.check("ip", "-n", kernel.namespace, "link", "set", routerDevice, "mtu", "1400");
            Processes.check("ip", "-n", farNamespace, "link", "set", farDevice, "mtu", "1400");
            NamespacePair.configure(kernel.namespace, routerDevice, subnet + ".1.1");
            NamespacePair.configure(farNamespace, farDevice, farAddress);
            Processes.check("ip", "-n", farNamespace, "route", "add", "default", "via", subnet + ".1.1");
            kernel.exec("sysctl", "-qw", "net.ipv4.ip_forward=1").orThrow(List.of("sysctl ip_forward"));

            CommandRun small = ourPing("--target-ip", farAddress, "--gateway", kernel.kernelAddress, "-c", "1", "-M", "do");
            assertThat(small.exitCode()).as(small.err()).isZero();
            assertThat(small.out()).contains("64 bytes from " + farAddress + ": icmp_seq=1 ttl=63");

            // As iputils against the same router: the first request learns the path MTU, the second is refused here with it.
            CommandRun refused = ourPing("--target-ip", farAddress, "--gateway", kernel.kernelAddress, "-c", "2", "-M", "do", "-s", "1472");
            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.out()).contains("From " + kernel.kernelAddress + " icmp_seq=1 Frag needed and DF set (mtu = 1400)\n",
                    "2 packets transmitted, 0 received, +2 errors, 100% packet loss");
            assertThat(refused.err()).isEqualTo("ping: local error: message too long, mtu=1400\n");

            // ... and with want, the second request goes in fragments that fit the router's link and is answered.
            CommandRun fragmented = ourPing("--target-ip", farAddress, "--gateway", kernel.kernelAddress, "-c", "2", "-M", "want",
                    "-s", "1472");
            assertThat(fragmented.exitCode()).as(fragmented.err()).isZero();
            assertThat(fragmented.out()).contains("From " + kernel.kernelAddress + " icmp_seq=1 Frag needed and DF set (mtu = 1400)\n",
                    "1480 bytes from " + farAddress + ": icmp_seq=2 ttl=63",
                    "2 packets transmitted, 1 received, +1 errors, 50% packet loss");
        } finally {
            Processes.run("ip", "netns", "del", farNamespace);
        }
    }
}
