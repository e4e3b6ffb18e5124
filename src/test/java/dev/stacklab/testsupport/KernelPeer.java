package dev.stacklab.testsupport;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A Linux kernel for the stack to talk to, made for one test and removed by {@link #close()}: a
 * network namespace holding one end of a veth pair with {@link #kernelAddress}; the other end
 * ({@link #stackDevice}) stays in the test's namespace with no address, so only stacklab answers
 * for {@link #stackAddress}. Both addresses are on a 10.x.0.0/24 that exists only here. IPv6 and
 * the kernel side's offloads are off.
 */
public final class KernelPeer implements AutoCloseable {
    public final String namespace;
    public final String stackDevice;
    public final String kernelDevice;
    public final String kernelAddress;
    public final String stackAddress;
    public final int prefixLength = 24;
    private final List<Process> captures = new ArrayList<>();

    private KernelPeer(String tag, int subnet) {
        namespace = "sl-k-" + tag;
        stackDevice = "slk" + tag + "s";
        kernelDevice = "slk" + tag + "k";
        kernelAddress = "10." + subnet + ".0.1";
        stackAddress = "10." + subnet + ".0.2";
    }

    /** Requires root and iproute2 (skipping or failing per {@link Prerequisites}), then builds the peer. */
    public static KernelPeer create() {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("ip");
        ThreadLocalRandom random = ThreadLocalRandom.current();
        KernelPeer peer = new KernelPeer(Integer.toHexString(0x1000 + random.nextInt(0xF000)), 100 + random.nextInt(50));
        try {
            Processes.check("ip", "netns", "add", peer.namespace);
            Processes.check("ip", "link", "add", peer.stackDevice, "type", "veth", "peer", "name", peer.kernelDevice, "netns", peer.namespace);
            Processes.run("sysctl", "-qw", "net.ipv6.conf." + peer.stackDevice + ".disable_ipv6=1");
            Processes.check("ip", "link", "set", peer.stackDevice, "up");
            NamespacePair.configure(peer.namespace, peer.kernelDevice, peer.kernelAddress);
        } catch (RuntimeException e) {
            peer.close();
            throw e;
        }
        return peer;
    }

    /** The stack's address with its prefix, as {@code --ip} takes it. */
    public String stackCidr() {
        return stackAddress + "/" + prefixLength;
    }

    /** Runs a command inside the kernel's namespace. */
    public Processes.Result exec(String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(List.of(command));
        return Processes.run(full, 60);
    }

    /**
     * Starts tcpdump on the kernel's end of the veth, writing {@code pcap}, once it is listening;
     * stop it with {@link NamespacePair#stopCapture} (close() kills it if still running).
     */
    public Process startCapture(Path pcap) {
        Process tcpdump = NamespacePair.startCaptureIn(namespace, kernelDevice, pcap);
        captures.add(tcpdump);
        return tcpdump;
    }

    /** The kernel side's MAC address. */
    public String kernelMac() {
        return exec("cat", "/sys/class/net/" + kernelDevice + "/address").stdout().strip();
    }

    @Override
    public void close() {
        for (Process capture : captures) {
            if (capture.isAlive()) {
                capture.destroyForcibly();
            }
        }
        // Deleting the namespace deletes the kernel's veth end and with it the stack's.
        Processes.run("ip", "netns", "del", namespace);
        Processes.run("ip", "link", "del", stackDevice);
    }
}
