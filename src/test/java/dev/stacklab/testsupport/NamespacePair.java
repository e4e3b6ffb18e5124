package dev.stacklab.testsupport;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

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
    static void configure(String namespace, String device, String address) {
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
        Process process = startIn(namespace, stderr, command);
        started.add(process);
        return process;
    }

    private static Process startIn(String namespace, Path stderr, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(List.of(command));
        try {
            return new ProcessBuilder(full)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(stderr.toFile())
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + String.join(" ", full) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Starts tcpdump on a namespace's veth end, writing a pcap, and returns once it is listening:
     * everything sent afterwards is in the file.
     */
    public Process startCapture(String namespace, String device, Path pcap) {
        Process tcpdump = startCaptureIn(namespace, device, pcap);
        started.add(tcpdump);
        return tcpdump;
    }

    /** {@link #startCapture} for a namespace made elsewhere ({@link KernelPeer}); the caller stops the process. */
    static Process startCaptureIn(String namespace, String device, Path pcap) {
        Path log;
        try {
            log = Files.createTempFile("stacklab-tcpdump", ".log");
        } catch (IOException e) {
            throw new IllegalStateException("cannot start tcpdump: " + e.getMessage(), e);
        }
        // Immediate mode: otherwise frames wait in the kernel's ring buffer for up to a second, and
        // those still waiting when the capture is stopped never reach the file.
        Process tcpdump = startIn(namespace, log, "tcpdump", "--immediate-mode", "-U", "-n", "-i", device, "-w", pcap.toString());
        try {
            awaitListening(tcpdump, log);
            return tcpdump;
        } catch (RuntimeException e) {
            tcpdump.destroyForcibly();
            throw e;
        }
    }

    private static void awaitListening(Process tcpdump, Path log) {
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!Files.readString(log, StandardCharsets.UTF_8).contains("listening on")) {
                if (!tcpdump.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("tcpdump did not start: " + Files.readString(log, StandardCharsets.UTF_8));
                }
                Thread.sleep(20);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read tcpdump's log: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting tcpdump", e);
        }
    }

    /** Stops a capture cleanly (SIGINT lets tcpdump flush and close the file). */
    public static void stopCapture(Process tcpdump) {
        try {
            Processes.run("kill", "-INT", Long.toString(tcpdump.pid()));
            // `ip netns exec` execs tcpdump in place, so the pid is tcpdump's own.
            if (!tcpdump.waitFor(10, TimeUnit.SECONDS)) {
                tcpdump.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        for (Process process : started) {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
        // Deleting a namespace deletes the veth end inside it, and with it the peer.
        Processes.run("ip", "netns", "del", namespaceA);
        Processes.run("ip", "netns", "del", namespaceB);
    }
}
