package dev.stacklab.testsupport;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Two network namespaces joined by a veth pair, made for one test and removed by {@link #close()}:
 * real Linux kernels on both ends, addresses 10.X.0.1/24 ("a") and 10.X.0.2/24 ("b") on a subnet
 * that exists only inside them. IPv6 is off (its chatter would only be noise in captures) and so
 * are checksum and segmentation offloads, so that what goes over the veth is what a wire would carry.
 */
public final class NamespacePair implements AutoCloseable {
    public final String namespaceA;
    public final String namespaceB;
    public final String deviceA;
    public final String deviceB;
    public final String addressA;
    public final String addressB;
    private final List<Process> started = new ArrayList<>();

    private NamespacePair(String tag, int subnet) {
        namespaceA = "sl-" + tag + "-a";
        namespaceB = "sl-" + tag + "-b";
        deviceA = "sl" + tag + "a";
        deviceB = "sl" + tag + "b";
        addressA = "10." + subnet + ".0.1";
        addressB = "10." + subnet + ".0.2";
    }

    /** Creates the pair; the caller must have checked {@link Prerequisites#requireRoot()} and {@code ip}. */
    public static NamespacePair create() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        NamespacePair pair = new NamespacePair(Integer.toHexString(0x1000 + random.nextInt(0xF000)), 200 + random.nextInt(50));
        try {
            pair.setUp();
        } catch (RuntimeException e) {
            pair.close();
            throw e;
        }
        return pair;
    }

    private void setUp() {
        Processes.check("ip", "netns", "add", namespaceA);
        Processes.check("ip", "netns", "add", namespaceB);
        Processes.check("ip", "link", "add", deviceA, "netns", namespaceA, "type", "veth", "peer", "name", deviceB, "netns", namespaceB);
        configure(namespaceA, deviceA, addressA);
        configure(namespaceB, deviceB, addressB);
    }

    /**
     * Makes {@code device} inside {@code namespace} a quiet kernel end of a lab link: IPv6 off, the
     * address /24, loopback and the device up, checksum and segmentation offloads off.
     */
    public static void configure(String namespace, String device, String address) {
        for (String key : new String[] {"all", "default", "lo"}) {
            Processes.run("ip", "netns", "exec", namespace, "sysctl", "-qw", "net.ipv6.conf." + key + ".disable_ipv6=1");
        }
        Processes.run("ip", "netns", "exec", namespace, "sysctl", "-qw", "net.ipv6.conf." + device + ".disable_ipv6=1");
        Processes.check("ip", "-n", namespace, "addr", "add", address + "/24", "dev", device);
        Processes.check("ip", "-n", namespace, "link", "set", "lo", "up");
        Processes.check("ip", "-n", namespace, "link", "set", device, "up");
        Processes.run("ip", "netns", "exec", namespace, "ethtool", "-K", device, "tx", "off", "tso", "off", "gso", "off");
    }

    /** Runs a command inside a namespace and waits for it. */
    public Processes.Result exec(String namespace, long timeoutSeconds, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(List.of(command));
        return Processes.run(full, timeoutSeconds);
    }

    /** Runs a shell script inside a namespace and waits for it. */
    public Processes.Result shell(String namespace, long timeoutSeconds, String script) {
        return exec(namespace, timeoutSeconds, "sh", "-c", script);
    }

    /** Starts a long-running command inside a namespace; it is killed by {@link #close()} if still running. */
    public Process start(String namespace, Path stderr, String... command) {
        return start(started, namespace, stderr, command);
    }

    /** Starts a long-running command inside a namespace and adds it to {@code started}, for its owner to kill. */
    static Process start(List<Process> started, String namespace, Path stderr, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(List.of(command));
        try {
            Process process = new ProcessBuilder(full)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(stderr.toFile())
                    .start();
            started.add(process);
            return process;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + String.join(" ", full) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Starts tcpdump on a namespace's veth end, writing a pcap, and returns once it is listening:
     * everything sent afterwards is in the file.
     */
    public Process startCapture(String namespace, String device, Path pcap) {
        return startCapture(started, namespace, device, pcap);
    }

    /** {@link #startCapture(String, String, Path)} for another owner of namespaces, which kills what is in {@code started}. */
    static Process startCapture(List<Process> started, String namespace, String device, Path pcap) {
        // `ip netns exec` execs tcpdump in place, so the process is tcpdump's own.
        Process tcpdump = Tcpdump.start(List.of("ip", "netns", "exec", namespace), device, pcap);
        started.add(tcpdump);
        return tcpdump;
    }

    /** Stops a capture cleanly (SIGINT lets tcpdump flush and close the file). */
    public static void stopCapture(Process tcpdump) {
        Tcpdump.stop(tcpdump);
    }

    @Override
    public void close() {
        killStillRunning(started);
        // Deleting a namespace deletes the veth end inside it, and with it the peer.
        Processes.run("ip", "netns", "del", namespaceA);
        Processes.run("ip", "netns", "del", namespaceB);
    }

    static void killStillRunning(List<Process> started) {
        for (Process process : started) {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }
}
