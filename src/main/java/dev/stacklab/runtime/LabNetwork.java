package dev.stacklab.runtime;

import dev.stacklab.link.InterfaceInfo;
import dev.stacklab.link.LinkException;
import dev.stacklab.link.TapLink;
import dev.stacklab.link.UserNamespace;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The lab network {@code stacklab labnet} makes: a place where the stack meets a real Linux kernel.
 *
 * <p>Veth mode: a veth pair whose stack side ({@link #STACK_DEVICE}) stays in the current namespace
 * with no address, so the kernel never answers for the stack, and whose kernel side
 * ({@link #KERNEL_DEVICE}) gets {@link #KERNEL_ADDRESS}. Run by root, the kernel side is inside a
 * namespace of its own ({@link #NAMESPACE}), so the lab cannot disturb the host's routing; inside a
 * user namespace it stays beside the stack side ({@link KernelPlace}). Checksum and segmentation
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

    /**
     * What exists of the lab network now, as the current network namespace sees it.
     *
     * @param kernelSideHere whether {@link #KERNEL_DEVICE} is in the current namespace too, where
     *     {@link KernelPlace#CURRENT_NAMESPACE} puts it
     */
    public record Status(boolean namespaceExists, boolean vethExists, boolean kernelSideHere, boolean tapExists) {
        /** Where the kernel's end of the veth is; meaningful when {@link #vethExists}. */
        public KernelPlace kernelPlace() {
            return kernelSideHere ? KernelPlace.CURRENT_NAMESPACE : KernelPlace.OWN_NAMESPACE;
        }
    }

    /** Where the kernel's end of the veth pair is: that depends on who makes the lab. */
    public enum KernelPlace {
        /**
         * In the named namespace {@link #NAMESPACE}: for real root, whose current namespace is the host's network,
         * which the lab must not touch.
         */
        OWN_NAMESPACE,
        /**
         * Beside the stack's end, in the current network namespace: inside a user namespace ({@code unshare -rn}). It
         * cannot make a named namespace (they are mounts under the host's {@code /run/netns}), and needs none: its
         * network namespace is private already, so the lab cannot touch the host, and it lasts exactly as long as the
         * user's shell in it, so nothing is left behind. One namespace holds both ends of the veth, so the kernel also
         * receives, on {@link #STACK_DEVICE}, every frame it sends out of {@link #KERNEL_DEVICE}; how it is kept from
         * answering there is in {@link #makeVethBesideTheStack}.
         */
        CURRENT_NAMESPACE
    }

    private LabNetwork() {
    }

    /** Where {@link #upVeth} puts (or put) the kernel's end, for this process. */
    public static KernelPlace kernelPlace() {
        return UserNamespace.inside() ? KernelPlace.CURRENT_NAMESPACE : KernelPlace.OWN_NAMESPACE;
    }

    public static void upVeth() throws LabNetworkException {
        requirePrivilege("making");
        if (status().vethExists()) {
            throw new LabNetworkException("the lab network is already up (" + STACK_DEVICE + " exists); `java -jar target/stacklab.jar labnet down` removes it");
        }
        List<List<String>> undo = new ArrayList<>();
        try {
            if (kernelPlace() == KernelPlace.OWN_NAMESPACE) {
                makeVethIntoNamespace(undo);
            } else {
                makeVethBesideTheStack(undo);
            }
        } catch (LabNetworkException e) {
            for (int i = undo.size() - 1; i >= 0; i--) {
                runQuietly(undo.get(i));
            }
            throw e;
        }
    }

    /**
     * The kernel of the namespace that holds {@link #STACK_DEVICE} (the host's, when root) takes in what arrives
     * there too, and must never answer or pass it on:
     * <ul>
     *   <li>{@code arp_ignore=1}: by default Linux answers an ARP request for any of its addresses on any interface
     *       (the weak host model; arp_ignore in Documentation/networking/ip-sysctl.rst), so a request for one of
     *       its addresses arriving there would be answered with {@link #STACK_DEVICE}'s MAC, the one the stack uses;
     *       1 answers only for addresses on {@link #STACK_DEVICE} itself, which has none (unless one is put there on
     *       purpose, as {@code bench network} does for its reference);</li>
     *   <li>{@code forwarding=0}: frames for the stack arrive addressed to that same MAC, so the kernel takes them
     *       in as well, and where forwarding is on (a host router, or a new namespace inheriting its
     *       {@code ip_forward}) it would route them on: out of the host's default route, or back out of
     *       {@link #KERNEL_DEVICE} as a second copy for the stack.</li>
     * </ul>
     * Both are per interface, so the other interfaces keep their settings.
     */
    private static void keepKernelQuietOnStackSide() throws LabNetworkException {
        run("sysctl", "-qw", "net.ipv4.conf." + STACK_DEVICE + ".arp_ignore=1");
        run("sysctl", "-qw", "net.ipv4.conf." + STACK_DEVICE + ".forwarding=0");
    }

    private static void makeVethIntoNamespace(List<List<String>> undo) throws LabNetworkException {
        run("ip", "netns", "add", NAMESPACE);
        undo.add(List.of("ip", "netns", "del", NAMESPACE));
        run("ip", "link", "add", STACK_DEVICE, "type", "veth", "peer", "name", KERNEL_DEVICE, "netns", NAMESPACE);
        undo.add(List.of("ip", "link", "del", STACK_DEVICE));
        quietIpv6Off(null, STACK_DEVICE);
        keepKernelQuietOnStackSide();
        run("ip", "link", "set", STACK_DEVICE, "up");
        quietIpv6Off(NAMESPACE, KERNEL_DEVICE);
        run("ip", "-n", NAMESPACE, "addr", "add", KERNEL_ADDRESS, "dev", KERNEL_DEVICE);
        run("ip", "-n", NAMESPACE, "link", "set", "lo", "up");
        run("ip", "-n", NAMESPACE, "link", "set", KERNEL_DEVICE, "up");
        offloadsOff(List.of("ip", "netns", "exec", NAMESPACE), KERNEL_DEVICE);
    }

    /**
     * Both ends in the current namespace ({@link KernelPlace#CURRENT_NAMESPACE}). The kernel receives on
     * {@link #STACK_DEVICE} what it sent out of {@link #KERNEL_DEVICE}; {@link #STACK_DEVICE} has no address, so the
     * kernel has no route through it and never claims the stack's address, and {@link #keepKernelQuietOnStackSide}
     * does the rest.
     */
    private static void makeVethBesideTheStack(List<List<String>> undo) throws LabNetworkException {
        try {
            run("ip", "link", "add", STACK_DEVICE, "type", "veth", "peer", "name", KERNEL_DEVICE);
        } catch (LabNetworkException e) {
            throw explainedInUserNamespace(e);
        }
        undo.add(List.of("ip", "link", "del", STACK_DEVICE));
        quietIpv6Off(null, STACK_DEVICE);
        quietIpv6Off(null, KERNEL_DEVICE);
        keepKernelQuietOnStackSide();
        run("ip", "link", "set", STACK_DEVICE, "up");
        run("ip", "addr", "add", KERNEL_ADDRESS, "dev", KERNEL_DEVICE);
        run("ip", "link", "set", "lo", "up");
        run("ip", "link", "set", KERNEL_DEVICE, "up");
        offloadsOff(List.of(), KERNEL_DEVICE);
    }

    public static void upTap() throws LabNetworkException {
        requirePrivilege("making");
        if (status().tapExists()) {
            throw new LabNetworkException("the lab TAP device is already up (" + TAP_DEVICE + " exists); `java -jar target/stacklab.jar labnet down --tap` removes it");
        }
        try {
            // `ip tuntap` would only say "open: Permission denied" where /dev/net/tun is closed to a user namespace.
            TapLink.requireTunDevice();
        } catch (LinkException e) {
            throw new LabNetworkException(e.getMessage());
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

    /** What {@link #downEverything} removed: the veth pair (with its namespace), the TAP device. */
    public record Removed(boolean veth, boolean tap) {
    }

    /** Removes everything of the lab network there is, the veth pair (with its namespace) and the TAP device; says what there was. */
    public static Removed downEverything() throws LabNetworkException {
        requirePrivilege("removing");
        Status before = status();
        boolean veth = removeVeth(before);
        return new Removed(veth, removeTap(before));
    }

    /**
     * Removes one kind of lab network, the TAP device ({@code tap}) or the veth pair with its namespace, leaving the
     * other alone (a session or bench removes only what it made); false when there was none.
     */
    public static boolean down(boolean tap) throws LabNetworkException {
        requirePrivilege("removing");
        return tap ? removeTap(status()) : removeVeth(status());
    }

    private static boolean removeTap(Status before) throws LabNetworkException {
        if (!before.tapExists()) {
            return false;
        }
        run("ip", "link", "del", TAP_DEVICE);
        return true;
    }

    private static boolean removeVeth(Status before) throws LabNetworkException {
        boolean veth = before.namespaceExists() || before.vethExists();
        if (before.vethExists()) {
            try {
                run("ip", "link", "del", STACK_DEVICE);
            } catch (LabNetworkException e) {
                throw explainedInUserNamespace(e);
            }
        }
        if (before.namespaceExists()) {
            run("ip", "netns", "del", NAMESPACE);
        }
        return veth;
    }

    /**
     * The devices as the current network namespace has them ({@link InterfaceInfo}, not /sys/class/net, which shows
     * the namespace sysfs was mounted in), and the named namespace only where this process would make one: inside a
     * user namespace, /run/netns is the host's, and its lab is not this one.
     */
    public static Status status() {
        boolean namespaceExists = kernelPlace() == KernelPlace.OWN_NAMESPACE && Files.exists(Path.of("/run/netns", NAMESPACE));
        return new Status(namespaceExists, InterfaceInfo.byName(STACK_DEVICE).isPresent(), InterfaceInfo.byName(KERNEL_DEVICE).isPresent(),
                InterfaceInfo.byName(TAP_DEVICE).isPresent());
    }

    /**
     * A process that keeps the current network namespace, and with it a {@link KernelPlace#CURRENT_NAMESPACE} lab,
     * alive after this JVM exits, and through which another terminal can join it: the parent (the user's shell inside
     * {@code unshare -rn}), when it shares this JVM's network namespace.
     */
    public static Optional<Long> namespaceHolder() {
        Optional<ProcessHandle> parent = ProcessHandle.current().parent();
        if (parent.isEmpty()) {
            return Optional.empty();
        }
        try {
            Path ours = Files.readSymbolicLink(Path.of("/proc/self/ns/net"));
            Path theirs = Files.readSymbolicLink(Path.of("/proc", Long.toString(parent.get().pid()), "ns", "net"));
            return ours.equals(theirs) ? Optional.of(parent.get().pid()) : Optional.empty();
        } catch (IOException | SecurityException e) {
            // A parent outside this user namespace may not be inspected from inside it: then it is not in here either.
            return Optional.empty();
        }
    }

    /**
     * Inside a user namespace, "Operation not permitted" from {@code ip} means the network namespace belongs to
     * someone else (the host's, after {@code unshare -r} without {@code -n}): uid 0 there has no capabilities over it.
     */
    private static LabNetworkException explainedInUserNamespace(LabNetworkException e) {
        if (UserNamespace.inside() && e.getMessage().contains("Operation not permitted")) {
            return new LabNetworkException("this user namespace does not own the current network namespace, so it cannot change"
                    + " devices in it: start a shell with `unshare -rn` (-n gives it a network namespace of its own) and run labnet there");
        }
        return e;
    }

    /**
     * Creating or removing devices and namespaces needs CAP_NET_ADMIN and CAP_SYS_ADMIN: root, or root inside
     * {@code unshare -rn}. {@code doing} is "making" or "removing", for the message.
     */
    private static void requirePrivilege(String doing) throws LabNetworkException {
        if (!onPath("ip")) {
            throw new LabNetworkException("the `ip` command is missing: install iproute2 (sudo apt-get install iproute2)");
        }
        if (!isRoot()) {
            throw new LabNetworkException(doing + " network devices needs root: run `sudo java -jar target/stacklab.jar labnet ...`, "
                    + "or without sudo inside `unshare -rn sh` (a user and network namespace of your own, where the lab then lives)");
        }
    }

    /** Whether this process's effective uid is 0 (real root, or root of a user namespace). */
    public static boolean isRoot() {
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
