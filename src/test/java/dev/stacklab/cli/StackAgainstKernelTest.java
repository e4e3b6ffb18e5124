package dev.stacklab.cli;

import dev.stacklab.testsupport.Arping;
import dev.stacklab.testsupport.KernelPeer;
import dev.stacklab.testsupport.Prerequisites;
import dev.stacklab.testsupport.Processes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;

/**
 * stacklab's stack against the real Linux kernel, over a veth into a namespace made here: our
 * {@code ping} and {@code arp} against the kernel, and the kernel's {@code ping} (also 3000-byte
 * pings, which need our reassembly and fragmentation), {@code arping} and UDP against {@code serve}.
 */
class StackAgainstKernelTest {
    /** How long serve may take to print its counters and end after Ctrl-C (not what this test measures: CtrlCTest does). */
    static final long SERVE_STOP_SECONDS = 60;

    private KernelPeer kernel;

    @BeforeEach
    void makeKernelPeer() {
        for (String command : new String[] {"ping", "arping", "python3", "ethtool", "nc"}) {
            Prerequisites.requireCommand(command);
        }
        kernel = KernelPeer.create();
    }

    @AfterEach
    void removeKernelPeer() {
        if (kernel != null) {
            kernel.close();
        }
    }

    @Test
    void ourPingGetsTheKernelsReplies() {
        CommandRun run = CommandRun.of("ping", "--interface-name", kernel.stackDevice, "--ip", kernel.stackCidr(),
                "--target-ip", kernel.kernelAddress, "-c", "3", "-i", "0.2", "-W", "10");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("PING " + kernel.kernelAddress + " (" + kernel.kernelAddress + ") 56(84) bytes of data.\n");
        for (int sequence = 1; sequence <= 3; sequence++) {
            assertThat(run.out()).containsPattern("64 bytes from " + kernel.kernelAddress.replace(".", "\\.") + ": icmp_seq=" + sequence
                    + " ttl=64 time=[0-9.]+ ms");
        }
        assertThat(run.out()).contains("--- " + kernel.kernelAddress + " ping statistics ---",
                "3 packets transmitted, 3 received, 0% packet loss").containsPattern("rtt min/avg/max/mdev = [0-9.]+/[0-9.]+/[0-9.]+/[0-9.]+ ms");
    }

    @Test
    void ourPingWithFragmentsAndNoAnswerExitsOne() {
        CommandRun big = CommandRun.of("ping", "--interface-name", kernel.stackDevice, "--ip", kernel.stackCidr(),
                "--target-ip", kernel.kernelAddress, "-c", "1", "-s", "4000", "-W", "10");
        assertThat(big.exitCode()).as(big.err()).isZero();
        assertThat(big.out()).contains("4008 bytes from " + kernel.kernelAddress + ": icmp_seq=1 ttl=64");

        String nobody = kernel.stackAddress.substring(0, kernel.stackAddress.lastIndexOf('.')) + ".77";
        CommandRun silent = CommandRun.of("ping", "--interface-name", kernel.stackDevice, "--ip", kernel.stackCidr(),
                "--target-ip", nobody, "-c", "1", "-W", "1");
        assertThat(silent.exitCode()).isEqualTo(1);
        assertThat(silent.out()).contains("1 packets transmitted, 0 received");
    }

    @Test
    void ourArpFindsTheKernelsMac() {
        CommandRun run = CommandRun.of("arp", "--interface-name", kernel.stackDevice, "--ip", kernel.stackCidr(), "--target-ip", kernel.kernelAddress);
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().strip()).isEqualTo("mac address for ip(" + kernel.kernelAddress + ") is " + kernel.kernelMac());
    }

    @Test
    void theKernelPingsArpingsAndEchoesThroughServe() throws Exception {
        // serve in a JVM of its own, ended with Ctrl-C once the kernel is done: a fixed --duration ran out before the
        // kernel's last command on a loaded machine, where starting python3 alone can take seconds.
        try (StacklabProcess serve = StacklabProcess.start("serve", "--interface-name", kernel.stackDevice, "--ip", kernel.stackCidr())) {
            serve.awaitOutput(text -> text.contains("serving as"));
            String stack = kernel.stackAddress;

            Processes.Result ping = kernel.exec("ping", "-c", "3", "-i", "0.2", "-W", "10", stack);
            assertThat(ping.stdout()).as(ping.stderr()).contains("3 packets transmitted, 3 received, 0% packet loss");
            Processes.Result big = kernel.exec("ping", "-c", "2", "-s", "3000", "-W", "10", stack);
            assertThat(big.stdout()).as(big.stderr()).contains("3008 bytes from " + stack, "2 packets transmitted, 2 received");
            Processes.Result arping = kernel.exec(Arping.requests(kernel.kernelDevice, stack, 2, 5).toArray(String[]::new));
            assertThat(Arping.replies(arping)).as(arping.stdout()).isEqualTo(2);
            // -w: how long nc waits for the echo after its line went out (it always waits that long: kept short).
            Processes.Result nc = kernel.exec("sh", "-c", "printf 'through nc\\n' | nc -u -w 3 " + stack + " 7");
            assertThat(nc.stdout()).as(nc.stderr()).isEqualTo("through nc\n");
            Processes.Result udp = kernel.exec("python3", "-c", UDP_PROBE, stack);
            assertThat(udp.stdout()).as(udp.stderr()).contains("echo: b'stacklab udp echo'", "closed port: refused");

            assertThat(serve.interrupt(SERVE_STOP_SECONDS)).as(serve.output()).isZero();
            assertThat(serve.output()).contains("IN  " + kernel.kernelAddress + " → " + stack + " ICMP 98 Echo (ping) request",
                    "OUT " + stack + " → " + kernel.kernelAddress + " ICMP 98 Echo (ping) reply",
                    "Fragmented IP protocol", "Destination unreachable (Port unreachable)", "counters:");
            assertThat(serve.output()).containsPattern("icmp echo replies sent +5\n");
        }
    }

    @Test
    void serveAnswersTheKernelOverATapDevice() throws Exception {
        String tap = kernel.stackDevice.replace("slk", "slt");
        String subnet = kernel.kernelAddress.substring(0, kernel.kernelAddress.indexOf(".0.1")) + ".1";
        Processes.check("ip", "tuntap", "add", "dev", tap, "mode", "tap");
        try {
            try (StacklabProcess serve = StacklabProcess.start("serve", "--tap", "--interface-name", tap, "--ip", subnet + ".2/24")) {
                serve.awaitOutput(text -> text.contains("serving as"));
                // The TAP's file descriptor stays with serve when its netdev moves into the kernel's namespace.
                Processes.check("ip", "link", "set", tap, "netns", kernel.namespace);
                kernel.exec("sysctl", "-qw", "net.ipv6.conf." + tap + ".disable_ipv6=1");
                Processes.check("ip", "-n", kernel.namespace, "addr", "add", subnet + ".1/24", "dev", tap);
                Processes.check("ip", "-n", kernel.namespace, "link", "set", tap, "up");

                Processes.Result ping = kernel.exec("ping", "-c", "3", "-i", "0.2", "-W", "10", subnet + ".2");
                assertThat(ping.stdout()).as(ping.stderr()).contains("3 packets transmitted, 3 received, 0% packet loss");
                assertThat(serve.interrupt(SERVE_STOP_SECONDS)).as(serve.output()).isZero();
                assertThat(serve.output()).contains("OUT " + subnet + ".2 → " + subnet + ".1 ICMP 98 Echo (ping) reply");
            }
        } finally {
            Processes.run("ip", "-n", kernel.namespace, "link", "del", tap);
            Processes.run("ip", "link", "del", tap);
        }
    }

    /** Sends a datagram to the echo port and one to a closed port; the kernel reports the ICMP error as ECONNREFUSED. */
    private static final String UDP_PROBE = """
            import socket, sys
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.settimeout(3)
            s.connect((sys.argv[1], 7))
            s.send(b'stacklab udp echo')
            print('echo:', s.recv(100))
            c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            c.settimeout(3)
            c.connect((sys.argv[1], 9999))
            c.send(b'x')
            try:
                c.recv(100)
                print('closed port: answered')
            except ConnectionRefusedError:
                print('closed port: refused')
            """;
}
