package dev.stacklab.runtime;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The lab network {@code stacklab labnet} makes: a place where the stack meets a real Linux kernel.
 *
 * <p>Veth mode: a veth pair whose stack side ({@link #STACK_DEVICE}) stays in the current namespace
 * with no address, so the kernel never answers for the stack, and whose kernel side
 * ({@link #KERNEL_DEVICE}) gets {@link #KERNEL_ADDRESS} inside a namespace of its own
 * ({@link #NAMESPACE}), so the lab cannot disturb the host's routing. Checksum and segmentation
 * offloads are off on the kernel side: otherwise the kernel sends frames with unfinished checksums
 * and larger than the MTU. IPv6 is off on both ends (its chatter is noise in a lab about IPv4).
 *
 * <p>TAP mode: a TAP device ({@link #TAP_DEVICE}) whose kernel side has {@link #TAP_KERNEL_ADDRESS};
 * the stack opens {@code /dev/net/tun} and attaches to it.
 */
public final class LabNetwork {
    public static final String NAMESPACE = "stacklab";
    public static final String STACK_DEVICE = "sl-stack";
    public static final String KERNEL_DEVICE = "sl-kernel";
    public static final String KERNEL_ADDRESS = "10.99.0.1/24";
    public static final String STACK_ADDRESS = "10.99.0.2/24";
    public static final String TAP_DEVICE = "sltap0";
    public static final String TAP_KERNEL_ADDRESS = "10.99.1.1/24";
    public static final String TAP_STACK_ADDRESS = "10.99.1.2/24";

    /** A command that did not work, with what it printed. */
    public static final class LabNetworkException extends Exception {
        public LabNetworkException(String message) {
            super(message);
        }
    }

    /** What exists of the lab network now. */
    public record Status(boolean namespaceExists, boolean vethExists, boolean tapExists) {
    }

    private LabNetwork() {
    }

    public static void upVeth() throws LabNetworkException {
        requirePrivilege();
        if (status().vethExists()) {
            throw new LabNetworkException("the lab network is already up (" + STACK_DEVICE + " exists); `stacklab labnet down` removes it");
        }
        List<List<String>> undo = new ArrayList<>();
        try {
            run("ip", "netns", "add", NAMESPACE);
            undo.add(List.of("ip", "netns", "del", NAMESPACE));
            run("ip", "link", "add", STACK_DEVICE, "type", "veth", "peer", "name", KERNEL_DEVICE, "netns", NAMESPACE);
            undo.add(List.of("ip", "link", "del", STACK_DEVICE));
            quietIpv6Off(null, STACK_DEVICE);
            run("ip", "link", "set", STACK_DEVICE, "up");
            quietIpv6Off(NAMESPACE, KERNEL_DEVICE);
            run("ip", "-n", NAMESPACE, "addr", "add", KERNEL_ADDRESS, "dev", KERNEL_DEVICE);
            run("ip", "-n", NAMESPACE, "link", "set", "lo", "up");
            run("ip", "-n", NAMESPACE, "link", "set", KERNEL_DEVICE, "up");
            offloadsOff(List.of("ip", "netns", "exec", NAMESPACE), KERNEL_DEVICE);
        } catch (LabNetworkException e) {
            for (int i = undo.size() - 1; i >= 0; i--) {
                runQuietly(undo.get(i));
            }
            throw e;
        }
    }

    public static void upTap() throws LabNetworkException {
        requirePrivilege();
        if (status().tapExists()) {
            throw new LabNetworkException("the lab TAP device is already up (" + TAP_DEVICE + " exists); `stacklab labnet down --tap` removes it");
        }
        try {
            run("ip", "tuntap", "add", "dev", TAP_DEVICE, "mode", "tap");
            quietIpv6Off(null, TAP_DEVICE);
            run("ip", "addr", "add", TAP_KERNEL_ADDRESS, "dev", TAP_DEVICE);
            run("ip", "link", "set", TAP_DEVICE, "up");
            offloadsOff(List.of(), TAP_DEVICE);
        } catch (LabNetworkException e) {
            runQuietly(List.of("ip", "link", "del", TAP_DEVICE));
            throw e;
        }
    }

    /** Removes whatever exists of the lab network; says false when there was nothing to remove. */
    public static boolean down(boolean tap) throws LabNetworkException {
        requirePrivilege();
        Status before = status();
        if (tap) {
            if (!before.tapExists()) {
                return false;
            }
            run("ip", "link", "del", TAP_DEVICE);
            return true;
        }
        if (!before.namespaceExists() && !before.vethExists()) {
            return false;
        }
        if (before.vethExists()) {
            run("ip", "link", "del", STACK_DEVICE);
        }
        if (before.namespaceExists()) {
            run("ip", "netns", "del", NAMESPACE);
        }
        return true;
    }

    public static Status status() {
        return new Status(Files.exists(Path.of("/run/netns", NAMESPACE)), Files.exists(Path.of("/sys/class/net", STACK_DEVICE)),
                Files.exists(Path.of("/sys/class/net", TAP_DEVICE)));
    }

    /** Creating devices and namespaces needs CAP_NET_ADMIN and CAP_SYS_ADMIN: root, or root inside `unshare -rn`. */
    private static void requirePrivilege() throws LabNetworkException {
        if (!onPath("ip")) {
            throw new LabNetworkException("the `ip` command is missing: install iproute2 (sudo apt-get install iproute2)");
        }
        if (!isRoot()) {
            throw new LabNetworkException("making network devices needs root: run `sudo java -jar stacklab.jar labnet ...` "
                    + "(or work inside `unshare -rn`, a user and network namespace of your own)");
        }
    }

    private static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    // The effective uid is the second number of the line.
                    return line.split("\\s+")[2].equals("0");
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String directory : path.split(File.pathSeparator)) {
            if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, command))) {
                return true;
            }
        }
        return false;
    }

    private static void quietIpv6Off(String namespace, String device) {
        List<String> prefix = namespace == null ? List.of() : List.of("ip", "netns", "exec", namespace);
        List<String> keys = namespace == null ? List.of(device) : List.of("all", "default", device);
        for (String key : keys) {
            List<String> command = new ArrayList<>(prefix);
            command.addAll(List.of("sysctl", "-qw", "net.ipv6.conf." + key + ".disable_ipv6=1"));
            runQuietly(command);
        }
    }

    /** Offloads off where ethtool exists; without it the lab still works for small frames, so this is best effort. */
    private static void offloadsOff(List<String> prefix, String device) {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of("ethtool", "-K", device, "tx", "off", "tso", "off", "gso", "off"));
        runQuietly(command);
    }

    static void run(String... command) throws LabNetworkException {
        Result result = execute(List.of(command));
        if (result.exitCode != 0) {
            throw new LabNetworkException("`" + String.join(" ", command) + "` failed: " + result.output.strip());
        }
    }

    private static void runQuietly(List<String> command) {
        try {
            execute(command);
        } catch (LabNetworkException ignored) {
            // Best effort: undoing or tuning something that is not there is not worth reporting.
        }
    }

    record Result(int exitCode, String output) {
    }

    static Result execute(List<String> command) throws LabNetworkException {
        return execute(command, 10);
    }

    static Result execute(List<String> command, int timeoutSeconds) throws LabNetworkException {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new LabNetworkException("`" + String.join(" ", command) + "` did not finish within " + timeoutSeconds + " s");
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new LabNetworkException("cannot run `" + String.join(" ", command) + "`: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabNetworkException("interrupted while running `" + String.join(" ", command) + "`");
        }
    }
}
