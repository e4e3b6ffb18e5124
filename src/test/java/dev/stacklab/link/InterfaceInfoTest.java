package dev.stacklab.link;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stacklab.testsupport.Prerequisites;
import dev.stacklab.testsupport.Processes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** InterfaceInfo reads the JVM's own network namespace: /proc/self/net/dev and ioctls, not /sys/class/net. */
class InterfaceInfoTest {
    private static final Pattern IP_LINK_LINE = Pattern.compile(
            "^(\\d+): ([^:@ ]+)(@\\S+)?: <([^>]*)> mtu (\\d+) .*?link/(\\S+)(?: ([0-9a-f:]{17}))?.*$");

    @Test
    void namesAreWhatComesBeforeTheColonAfterTheTwoTitleLines() {
        String netDev = """
                Inter-|   Receive                                                |  Transmit
                 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                    lo:    1200      12    0    0    0     0          0         0     1200      12    0    0    0     0       0          0
                  eth0:123456789012 99    0    0    0     0          0         0     1200      12    0    0    0     0       0          0
                sl-stack:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0
                  a|b:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0

                """;
        assertThat(InterfaceInfo.namesInNetDev(netDev)).containsExactly("lo", "eth0", "sl-stack", "a|b");
    }

    @Test
    void loopbackIsIndexOneWithoutAStationAddress() {
        InterfaceInfo lo = InterfaceInfo.byName("lo").orElseThrow();
        assertThat(lo.index()).isEqualTo(1);
        assertThat(lo.mac()).isNull();
        assertThat(lo.mtu()).isPositive();
        assertThat(InterfaceInfo.list()).extracting(InterfaceInfo::name).contains("lo");
    }

    @Test
    void namesTheKernelCannotHaveAreNotThere() {
        assertThat(InterfaceInfo.byName("nosuchif0")).isEmpty();
        assertThat(InterfaceInfo.byName("")).isEmpty();
        assertThat(InterfaceInfo.byName("a-name-much-too-long")).isEmpty();
        assertThat(InterfaceInfo.byName("../lo")).isEmpty();
    }

    /**
     * The bug this class once had: in a network namespace of its own (here `unshare -rn`, where sysfs still shows the
     * host's), the JVM must list that namespace's interfaces, with their index, MAC, MTU and state as `ip link` shows
     * them, and none of the host's.
     */
    @Test
    void aJvmInANetworkNamespaceOfItsOwnListsThatNamespacesInterfacesAsIpLinkDoes() {
        Prerequisites.requireCommand("unshare");
        Prerequisites.requireCommand("ip");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String script = "ip link add slprobea type veth peer name slprobeb && ip link set slprobea mtu 1400 up"
                + " && ip addr add 10.98.0.1/24 dev slprobeb && ip -o link show && echo --- && exec \"$@\"";
        Processes.Result result = Processes.run(List.of("unshare", "--user", "--map-root-user", "--net", "sh", "-c", script, "sh",
                java, "-cp", System.getProperty("java.class.path"), InterfaceListProbe.class.getName()), 60);
        if (result.exitCode() != 0 && result.stderr().contains("unshare failed")) {
            Prerequisites.missing("user namespaces are not available here: " + result.stderr().strip());
        }
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        String[] parts = result.stdout().split("---\n", 2);

        List<String> expected = new ArrayList<>();
        expected.add("user namespace: true");
        for (String line : parts[0].strip().split("\n")) {
            Matcher fields = IP_LINK_LINE.matcher(line);
            assertThat(fields.matches()).as(line).isTrue();
            String name = fields.group(2);
            boolean up = List.of(fields.group(4).split(",")).contains("UP");
            String mac = fields.group(6).equals("ether") ? fields.group(7) : "-";
            String addresses = name.equals("slprobeb") ? "10.98.0.1/24" : "-";
            expected.add(fields.group(1) + " " + name + "  " + mac + "  " + addresses + "  mtu " + fields.group(5) + (up ? "  up" : "  down"));
        }
        assertThat(expected).hasSize(4);
        assertThat(parts[1].strip().split("\n")).containsExactlyElementsOf(expected);
    }
}
