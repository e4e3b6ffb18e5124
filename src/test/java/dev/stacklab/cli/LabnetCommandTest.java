package dev.stacklab.cli;

import dev.stacklab.runtime.LabNetwork;
import dev.stacklab.testsupport.Arping;
import dev.stacklab.testsupport.Prerequisites;
import dev.stacklab.testsupport.Processes;
import dev.stacklab.testsupport.Tcpdump;
import dev.stacklab.testsupport.UnprivilegedNamespace;
import dev.stacklab.testsupport.UnprivilegedUser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code stacklab labnet} really makes and removes the devices it promises, with the kernel side configured: run by
 * root in the host's network namespace, and run by an unprivileged user inside {@code unshare -rn}.
 */
class LabnetCommandTest {
    private static final Pattern ETHER = Pattern.compile("link/ether ([0-9a-f:]{17})");

    /** Set once a root test has seen that no lab network exists on the host: only then may it remove one. */
    private boolean hostLabIsOurs;

    /** Root tests work in the host's namespace, where someone's lab network may be up: a test must not take it down. */
    private void requireAFreeHostLab() {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("ip");
        Prerequisites.requireCommand("ethtool");
        LabNetwork.Status status = LabNetwork.status();
        if (status.vethExists() || status.namespaceExists() || status.tapExists()) {
            Prerequisites.missing("a lab network already exists here (java -jar target/stacklab.jar labnet status)");
        }
        hostLabIsOurs = true;
    }

    @AfterEach
    void removeWhatWasMade() {
        // JUnit runs this even after a test that was skipped because someone else's lab is up.
        if (hostLabIsOurs) {
            Processes.run("ip", "netns", "del", LabNetwork.NAMESPACE);
            Processes.run("ip", "link", "del", LabNetwork.STACK_DEVICE);
            Processes.run("ip", "link", "del", LabNetwork.TAP_DEVICE);
        }
    }

    @Test
    void upMakesAVethWithTheKernelSideAddressedInItsNamespaceAndDownRemovesIt() {
        requireAFreeHostLab();
        CommandRun up = CommandRun.of("labnet", "up");
        assertThat(up.exitCode()).as(up.err()).isZero();
        assertThat(up.out()).contains("serve --interface-name sl-stack --ip 10.99.0.2/24", "ip netns exec stacklab ping 10.99.0.2");

        assertThat(Processes.check("ip", "-4", "addr", "show", LabNetwork.STACK_DEVICE)).doesNotContain("inet ");
        // The host's kernel takes in what arrives on sl-stack too: it must neither answer ARP there nor route it on.
        assertThat(Processes.check("sysctl", "-n", "net.ipv4.conf.sl-stack.arp_ignore", "net.ipv4.conf.sl-stack.forwarding"))
                .isEqualTo("1\n0\n");
        assertThat(Processes.check("ip", "-n", LabNetwork.NAMESPACE, "-4", "addr", "show", LabNetwork.KERNEL_DEVICE))
                .contains("inet 10.99.0.1/24").contains("UP");
        assertThat(Processes.check("ip", "netns", "exec", LabNetwork.NAMESPACE, "ethtool", "-k", LabNetwork.KERNEL_DEVICE))
                .contains("tx-checksumming: off").contains("tcp-segmentation-offload: off").contains("generic-segmentation-offload: off");
        assertThat(CommandRun.of("labnet", "status").out()).startsWith("lab network up (veth pair).\n").contains("in namespace stacklab");

        CommandRun again = CommandRun.of("labnet", "up");
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err().lines()).singleElement().asString().contains("already up");

        assertThat(CommandRun.of("labnet", "down").out()).isEqualTo("lab network removed (the veth pair sl-stack).\n");
        assertThat(LabNetwork.status()).isEqualTo(new LabNetwork.Status(false, false, false, false));
        assertThat(CommandRun.of("labnet", "down").out()).contains("no lab network");
    }

    @Test
    void upTapMakesATapDeviceWithTheKernelAddress() {
        requireAFreeHostLab();
        CommandRun up = CommandRun.of("labnet", "up", "--tap");
        assertThat(up.exitCode()).as(up.err()).isZero();
        assertThat(Processes.check("ip", "-d", "link", "show", LabNetwork.TAP_DEVICE)).contains("tun type tap");
        assertThat(Processes.check("ip", "-4", "addr", "show", LabNetwork.TAP_DEVICE)).contains("inet 10.99.1.1/24");
        assertThat(CommandRun.of("labnet", "down", "--tap").out()).contains("removed");
        assertThat(LabNetwork.status().tapExists()).isFalse();
    }

    /** Status and down see a TAP lab without being told --tap, and both kinds at once. */
    @Test
    void statusAndDownSeeATapLabAndBothKindsWithoutTap() {
        requireAFreeHostLab();
        assertThat(CommandRun.of("labnet", "up", "--tap").exitCode()).isZero();

        CommandRun status = CommandRun.of("labnet", "status");
        assertThat(status.out()).startsWith("lab network up (TAP device).\n  TAP device:  sltap0, kernel side 10.99.1.1/24\n")
                .contains("serve --tap --interface-name sltap0 --ip 10.99.1.2/24").doesNotContain("veth");
        assertThat(CommandRun.of("labnet", "down").out()).isEqualTo("lab network removed (the TAP device sltap0).\n");
        assertThat(LabNetwork.status().tapExists()).isFalse();

        assertThat(CommandRun.of("labnet", "up", "--tap").exitCode()).isZero();
        assertThat(CommandRun.of("labnet", "up").exitCode()).isZero();
        assertThat(CommandRun.of("labnet", "status").out()).startsWith("lab network up (veth pair).\n")
                .contains("\nlab network up (TAP device).\n", "serve --interface-name sl-stack", "serve --tap --interface-name sltap0");
        // --tap removes only the TAP device; without it, down removes both.
        assertThat(CommandRun.of("labnet", "down", "--tap").out()).isEqualTo("lab network removed (the TAP device sltap0).\n");
        assertThat(LabNetwork.status().vethExists()).isTrue();
        assertThat(CommandRun.of("labnet", "up", "--tap").exitCode()).isZero();
        assertThat(CommandRun.of("labnet", "down").out()).isEqualTo("lab network removed (the veth pair sl-stack and the TAP device sltap0).\n");
        assertThat(LabNetwork.status()).isEqualTo(new LabNetwork.Status(false, false, false, false));
        assertThat(CommandRun.of("labnet", "status").out()).startsWith("lab network down: ");
    }

    /**
     * A user without root (a JVM of its own as nobody): removing says removing needs root, and bench network fails
     * with one line before printing anything, instead of a header and then a raw RTNETLINK error.
     */
    @Test
    void withoutRootDownSaysRemovingNeedsRootAndBenchNetworkFailsFirstInOneLine() {
        try (UnprivilegedUser user = UnprivilegedUser.create()) {
            Processes.Result down = user.stacklab("labnet", "down");
            assertThat(down.exitCode()).isEqualTo(2);
            assertThat(down.stderr().lines()).singleElement().asString()
                    .startsWith("labnet: removing network devices needs root: run `sudo java -jar target/stacklab.jar labnet ...`");
            assertThat(down.stdout()).isEmpty();

            Processes.Result up = user.stacklab("labnet", "up");
            assertThat(up.stderr().lines()).singleElement().asString().startsWith("labnet: making network devices needs root");

            Processes.Result bench = user.stacklab("bench", "network");
            assertThat(bench.exitCode()).isEqualTo(2);
            assertThat(bench.stdout()).isEmpty();
            assertThat(bench.stderr()).isEqualTo("bench network: needs root: run it with sudo (it makes the lab network,"
                    + " puts a reference address on sl-stack and captures on it)\n");
        }
    }

    /**
     * The whole lab as an unprivileged user inside {@code unshare -rn}: no named namespace (that needs the host's
     * root), so the kernel's end stays beside the stack's, and the kernel must still answer only through its own end.
     * A capture on sl-stack shows who sent what; the host's lab network, up or not, must not matter.
     */
    @Test
    void anUnprivilegedUserInUnshareRnMakesTheLabServesTheKernelPingsItAndRemovesIt() throws Exception {
        for (String command : List.of("tcpdump", "tshark", "arping", "ethtool")) {
            Prerequisites.requireCommand(command);
        }
        try (UnprivilegedNamespace user = UnprivilegedNamespace.create()) {
            Processes.Result status = user.stacklab("labnet", "status");
            assertThat(status.stdout()).as(status.stderr()).isEqualTo("lab network down: `java -jar target/stacklab.jar labnet up` makes it"
                    + " (a veth pair), `java -jar target/stacklab.jar labnet up --tap` a TAP device.\n");

            // Run from a shell, as a person would: the shell holds the namespace, so labnet names it for other terminals.
            List<String> viaShell = new ArrayList<>(List.of("sh", "-c", "\"$@\"; echo \"shell $$\"", "sh"));
            viaShell.addAll(user.stacklabCommand("labnet", "up"));
            Processes.Result up = user.exec(viaShell);
            assertThat(up.exitCode()).as(up.stderr()).isZero();
            String shell = up.stdout().lines().filter(line -> line.startsWith("shell ")).findFirst().orElseThrow().substring(6);
            assertThat(up.stdout())
                    .contains("  kernel side: sl-kernel in this network namespace, 10.99.0.1/24")
                    .contains("next, in this namespace (another terminal joins it with: nsenter --target " + shell
                            + " --user --net --preserve-credentials):")
                    .contains("\n  java -jar target/stacklab.jar serve --interface-name sl-stack --ip 10.99.0.2/24\n")
                    .contains("\n  ping 10.99.0.2 ")
                    .contains("\n  java -jar target/stacklab.jar labnet down\n")
                    .doesNotContain("sudo");

            assertThat(user.exec("ip", "-4", "addr", "show", "sl-stack").stdout()).doesNotContain("inet ");
            assertThat(user.exec("ip", "-4", "addr", "show", "sl-kernel").stdout()).contains("inet 10.99.0.1/24").contains("UP");
            assertThat(user.exec("sysctl", "-n", "net.ipv4.conf.sl-stack.arp_ignore", "net.ipv4.conf.sl-stack.forwarding").stdout())
                    .isEqualTo("1\n0\n");
            assertThat(user.exec("ethtool", "-k", "sl-kernel").stdout())
                    .contains("tx-checksumming: off").contains("tcp-segmentation-offload: off").contains("generic-segmentation-offload: off");
            assertThat(user.stacklab("labnet", "status").stdout()).startsWith("lab network up (veth pair).\n").contains("in this network namespace");
            Processes.Result again = user.stacklab("labnet", "up");
            assertThat(again.exitCode()).isEqualTo(2);
            assertThat(again.stderr().lines()).singleElement().asString().contains("already up");

            String stackMac = etherAddress(user, "sl-stack");
            String kernelMac = etherAddress(user, "sl-kernel");
            Path pcap = user.file("sl-stack.pcap");
            Process capture = user.startCapture("sl-stack", pcap);

            Path serveOutput = user.file("serve.txt");
            Process serve = user.start(serveOutput, user.stacklabCommand("serve", "--interface-name", "sl-stack", "--ip", "10.99.0.2/24"));
            // The stack takes sl-stack's MAC, read from this namespace (sysfs would have shown the host's, or nothing).
            awaitLine(serveOutput, serve, "serving as 10.99.0.2/24 (" + stackMac + ") on sl-stack");
            Processes.Result kernelPing = user.exec("ping", "-n", "-c", "3", "-i", "0.2", "-W", "10", "10.99.0.2");
            assertThat(kernelPing.stdout()).as(kernelPing.stderr()).contains("3 packets transmitted, 3 received");
            // A probe for the kernel's own address sent into the veth arrives on sl-stack: with Linux's default
            // (arp_ignore=0) the kernel answers it there, with sl-stack's MAC, the stack's.
            Processes.Result probe = user.exec(Arping.probes("sl-kernel", "10.99.0.1", 2, 3));
            assertThat(Arping.replies(probe)).as(probe.stdout()).isZero();
            serve.destroy();
            assertThat(serve.waitFor(30, TimeUnit.SECONDS)).isTrue();

            Processes.Result ping = user.stacklab("ping", "--interface-name", "sl-stack", "--ip", "10.99.0.2/24",
                    "--target-ip", "10.99.0.1", "-c", "2", "-i", "0.2");
            assertThat(ping.stdout()).as(ping.stderr()).contains("2 packets transmitted, 2 received");
            Processes.Result arp = user.stacklab("arp", "--interface-name", "sl-stack", "--ip", "10.99.0.2/24", "--target-ip", "10.99.0.1");
            assertThat(arp.stdout()).as(arp.stderr()).isEqualTo("mac address for ip(10.99.0.1) is " + kernelMac + "\n");
            Tcpdump.stop(capture);

            // Only the stack spoke from sl-stack, and the kernel only from sl-kernel: one echo reply per request each way.
            assertThat(frames(pcap, "eth.src == " + stackMac + " && (ip.src == 10.99.0.1 || arp.src.proto_ipv4 == 10.99.0.1)")).isZero();
            assertThat(frames(pcap, "eth.src == " + stackMac + " && arp.opcode == 2 && arp.src.proto_ipv4 == 10.99.0.2")).isPositive();
            assertThat(frames(pcap, "icmp.type == 0 && ip.src == 10.99.0.2 && eth.src == " + stackMac)).isEqualTo(3);
            assertThat(frames(pcap, "icmp.type == 0 && ip.src == 10.99.0.2")).isEqualTo(3);
            assertThat(frames(pcap, "icmp.type == 0 && ip.src == 10.99.0.1 && eth.src == " + kernelMac)).isEqualTo(2);
            assertThat(frames(pcap, "icmp.type == 0 && ip.src == 10.99.0.1")).isEqualTo(2);
            assertThat(frames(pcap, "arp.opcode == 2 && arp.src.proto_ipv4 == 10.99.0.1")).isEqualTo(frames(pcap,
                    "arp.opcode == 2 && arp.src.proto_ipv4 == 10.99.0.1 && eth.src == " + kernelMac)).isPositive();

            assertThat(user.stacklab("labnet", "down").stdout()).isEqualTo("lab network removed (the veth pair sl-stack).\n");
            assertThat(user.exec("ip", "link", "show", "sl-stack").exitCode()).isNotZero();
            assertThat(user.exec("ip", "link", "show", "sl-kernel").exitCode()).isNotZero();
            assertThat(user.stacklab("labnet", "status").stdout()).startsWith("lab network down");
            assertThat(user.stacklab("labnet", "down").stdout()).isEqualTo("there was no lab network to remove.\n");
        }
    }

    /** Where /dev/net/tun is open to everyone, as most distributions have it, TAP works in a user namespace too. */
    @Test
    void anUnprivilegedUserInUnshareRnMakesATapLabWhereTheTunDeviceIsOpenToAll() throws Exception {
        try (UnprivilegedNamespace user = UnprivilegedNamespace.create("0666")) {
            Processes.Result up = user.stacklab("labnet", "up", "--tap");
            assertThat(up.exitCode()).as(up.stderr()).isZero();
            assertThat(up.stdout()).contains("\n  java -jar target/stacklab.jar serve --tap --interface-name sltap0 --ip 10.99.1.2/24\n")
                    .doesNotContain("sudo");
            assertThat(user.exec("ip", "-d", "link", "show", "sltap0").stdout()).contains("tun type tap");
            assertThat(user.exec("ip", "-4", "addr", "show", "sltap0").stdout()).contains("inet 10.99.1.1/24");

            Path serveOutput = user.file("serve.txt");
            Process serve = user.start(serveOutput, user.stacklabCommand("serve", "--tap", "--interface-name", "sltap0", "--ip", "10.99.1.2/24"));
            awaitLine(serveOutput, serve, "serving as 10.99.1.2/24");
            Processes.Result kernelPing = user.exec("ping", "-n", "-c", "2", "-i", "0.2", "-W", "10", "10.99.1.2");
            assertThat(kernelPing.stdout()).as(kernelPing.stderr()).contains("2 packets transmitted, 2 received");
            serve.destroy();
            assertThat(serve.waitFor(30, TimeUnit.SECONDS)).isTrue();

            Processes.Result ping = user.stacklab("ping", "--tap", "--interface-name", "sltap0", "--ip", "10.99.1.2/24",
                    "--target-ip", "10.99.1.1", "-c", "2", "-i", "0.2");
            assertThat(ping.stdout()).as(ping.stderr()).contains("2 packets transmitted, 2 received");
            assertThat(user.stacklab("labnet", "down", "--tap").stdout()).isEqualTo("lab network removed (the TAP device sltap0).\n");
            assertThat(user.exec("ip", "link", "show", "sltap0").exitCode()).isNotZero();
        }
    }

    /** Where it is root's alone, uid 0 of a user namespace cannot open it: one line says so and what would help. */
    @Test
    void whereTheTunDeviceIsRootsAloneTapSaysWhyInOneLine() {
        try (UnprivilegedNamespace user = UnprivilegedNamespace.create("0600")) {
            String why = "cannot open /dev/net/tun: permission denied; inside a user namespace uid 0 is not the host's root,"
                    + " and the device is closed to this user (rw-------): ask for `sudo chmod 0666 /dev/net/tun`";
            Processes.Result up = user.stacklab("labnet", "up", "--tap");
            assertThat(up.exitCode()).isEqualTo(2);
            assertThat(up.stderr().lines()).singleElement().asString().startsWith("labnet: " + why);
            assertThat(user.exec("ip", "link", "show", "sltap0").exitCode()).as("nothing made").isNotZero();

            Processes.Result serve = user.stacklab("serve", "--tap", "--interface-name", "sltap0", "--ip", "10.99.1.2/24");
            assertThat(serve.exitCode()).isNotZero();
            assertThat(serve.stderr().lines()).singleElement().asString().startsWith("serve: " + why);
        }
    }

    /** After `unshare -r` without -n the user is uid 0 of a namespace that owns no network: the one line says to add -n. */
    @Test
    void inAUserNamespaceWithoutANetworkOfItsOwnLabnetAndServeSayToUseUnshareRn() {
        requireAFreeHostLab();
        try (UnprivilegedNamespace user = UnprivilegedNamespace.create()) {
            Processes.Result up = user.stacklabInTheHostsNetwork("labnet", "up");
            assertThat(up.exitCode()).isEqualTo(2);
            assertThat(up.stderr().lines()).singleElement().asString().isEqualTo("labnet: this user namespace does not own the current"
                    + " network namespace, so it cannot change devices in it: start a shell with `unshare -rn`"
                    + " (-n gives it a network namespace of its own) and run labnet there");
            assertThat(LabNetwork.status().vethExists()).isFalse();

            Processes.Result serve = user.stacklabInTheHostsNetwork("serve", "--interface-name", "lo", "--ip", "10.99.0.2/24");
            assertThat(serve.exitCode()).isNotZero();
            assertThat(serve.stderr().lines()).singleElement().asString().startsWith("serve: cannot capture on lo: root or CAP_NET_RAW is needed")
                    .endsWith("inside a user namespace, uid 0 has these capabilities only in a network namespace that user namespace owns:"
                            + " work in one made with `unshare -rn` (java -jar target/stacklab.jar labnet up makes the lab there), or run stacklab with sudo outside it");
        }
    }

    private static String etherAddress(UnprivilegedNamespace user, String device) {
        String link = user.exec("ip", "-o", "link", "show", device).stdout();
        Matcher ether = ETHER.matcher(link);
        assertThat(ether.find()).as(link).isTrue();
        return ether.group(1);
    }

    /** Waits for a line from a command started as the user: a JVM's start, generous for a loaded machine. */
    private static void awaitLine(Path output, Process process, String line) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.readString(output, StandardCharsets.UTF_8).contains(line)) {
            assertThat(process.isAlive()).as(Files.readString(output, StandardCharsets.UTF_8)).isTrue();
            assertThat(System.nanoTime()).as("waiting for: " + line).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** How many frames of the capture match a display filter, as tshark counts them. */
    private static int frames(Path pcap, String filter) {
        Processes.Result result = Processes.run(List.of("tshark", "-n", "-r", pcap.toString(), "-Y", filter, "-T", "fields",
                "-e", "frame.number"), 60);
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        return (int) result.stdout().lines().filter(line -> !line.isBlank()).count();
    }
}
