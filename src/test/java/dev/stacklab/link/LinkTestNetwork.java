package dev.stacklab.link;


import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import dev.stacklab.testsupport.Prerequisites;
import dev.stacklab.testsupport.Processes;

/**
 * A network namespace made for one real-device test, with the commands to set it up, and everything the test
 * created (the namespace, veths, TAP devices) removed by {@link #close()} even when the test fails. Traffic goes
 * only to the addresses given out here, on a 10.x.0.0/24 that exists only inside the namespace.
 */
final class LinkTestNetwork implements AutoCloseable {
    final String tag;
    final String namespace;
    /** The kernel's address inside the namespace. */
    final String kernelAddress;
    /** The address the test's link pretends to have: on the namespace's subnet, owned by nobody. */
    final String linkAddress;
    private final Deque<List<String>> cleanup = new ArrayDeque<>();

    private LinkTestNetwork() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        tag = Integer.toHexString(0x1000 + random.nextInt(0xF000));
        namespace = "lk-" + tag;
        int subnet = 150 + random.nextInt(50);
        kernelAddress = "10." + subnet + ".0.1";
        linkAddress = "10." + subnet + ".0.2";
    }

    /**
     * Aborts the test unless it can touch real devices (root, and the ip command); when STACKLAB_REQUIRE_NET=1
     * it fails instead, so that a CI machine that should run these tests cannot skip them silently.
     */
    static void requireRealNetwork() {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("ip");
    }

    /** Creates the namespace with IPv6 off (its chatter would only be noise) and loopback up. */
    static LinkTestNetwork create() {
        LinkTestNetwork network = new LinkTestNetwork();
        try {
            network.check("ip", "netns", "add", network.namespace);
            network.cleanup.push(List.of("ip", "netns", "del", network.namespace));
            for (String key : new String[] {"all", "default"}) {
                network.inside("sysctl", "-qw", "net.ipv6.conf." + key + ".disable_ipv6=1");
            }
            network.inside("ip", "link", "set", "lo", "up");
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
        return network;
    }

    /** Registers a command that undoes something, run by close() in reverse order of registration. */
    void undoWith(String... command) {
        cleanup.push(List.of(command));
    }

    /**
     * Gives a device that is already inside the namespace the kernel's address, turns off IPv6 and the
     * offloads (so frames leave with finished checksums and within the MTU), and brings it up.
     */
    void configureKernelSide(String device) {
        inside("sysctl", "-qw", "net.ipv6.conf." + device + ".disable_ipv6=1");
        inside("ip", "addr", "add", kernelAddress + "/24", "dev", device);
        inside("ip", "link", "set", device, "up");
        runQuietly("ip", "netns", "exec", namespace, "ethtool", "-K", device, "tx", "off", "tso", "off", "gso", "off");
    }

    /** The MAC address of a device inside the namespace. */
    String macInside(String device) {
        return read("/sys/class/net/" + device + "/address", true);
    }

    private String read(String file, boolean inNamespace) {
        List<String> command = new ArrayList<>();
        if (inNamespace) {
            command.addAll(List.of("ip", "netns", "exec", namespace));
        }
        command.addAll(List.of("cat", file));
        return check(command.toArray(String[]::new)).strip();
    }

    String inside(String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(List.of(command));
        return check(full.toArray(String[]::new));
    }

    Processes.Result runQuietly(String... command) {
        return Processes.run(List.of(command), 60);
    }

    String check(String... command) {
        return Processes.run(List.of(command), 60).orThrow(List.of(command)).stdout();
    }

    @Override
    public void close() {
        while (!cleanup.isEmpty()) {
            Processes.run(cleanup.pop(), 60);
        }
    }
}
