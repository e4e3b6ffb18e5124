package dev.stacklab.cli;

import dev.stacklab.runtime.LabNetwork;
import dev.stacklab.runtime.LabNetwork.LabNetworkException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code stacklab labnet up|down|status [--tap]}: the network where the stack meets the Linux kernel. */
@Command(name = "labnet", sortOptions = false,
        description = {"Make, remove or show the lab network: a veth pair (or a TAP device) with the Linux kernel on the other side.",
                "The kernel side gets an address; the stack side gets none, so only stacklab answers for the stack."})
final class LabnetCommand implements Callable<Integer> {
    enum Action { up, down, status }

    @Parameters(paramLabel = "ACTION", description = "up, down or status")
    Action action;

    @Option(names = "--tap", description = "up: a TAP device instead of a veth pair; down: remove only the TAP device"
            + " (without it, down removes both kinds, and status always shows both)")
    boolean tap;

    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            switch (action) {
                case up -> {
                    if (tap) {
                        LabNetwork.upTap();
                    } else {
                        LabNetwork.upVeth();
                    }
                    out.println("lab network up.");
                    describe(out, LabNetwork.kernelPlace(), tap);
                }
                case down -> out.println(removed(tap ? new LabNetwork.Removed(false, LabNetwork.down(true)) : LabNetwork.downEverything()));
                case status -> status(out, LabNetwork.status());
                default -> throw new IllegalStateException(action.toString());
            }
            out.flush();
            return 0;
        } catch (LabNetworkException e) {
            err.println("labnet: " + e.getMessage());
            return 2;
        }
    }

    private static String removed(LabNetwork.Removed removed) {
        if (removed.veth() && removed.tap()) {
            return "lab network removed (the veth pair " + LabNetwork.STACK_DEVICE + " and the TAP device " + LabNetwork.TAP_DEVICE + ").";
        }
        if (removed.veth()) {
            return "lab network removed (the veth pair " + LabNetwork.STACK_DEVICE + ").";
        }
        if (removed.tap()) {
            return "lab network removed (the TAP device " + LabNetwork.TAP_DEVICE + ").";
        }
        return "there was no lab network to remove.";
    }

    /** Both kinds, whichever flag was given: a lab made with --tap is still a lab network, and the one that is up. */
    private void status(PrintWriter out, LabNetwork.Status status) {
        if (!status.vethExists() && !status.tapExists()) {
            String make = asRoot() + Main.INVOCATION + " labnet up";
            out.println("lab network down: `" + make + "` makes it (a veth pair), `" + make + " --tap` a TAP device.");
            return;
        }
        if (status.vethExists()) {
            out.println("lab network up (veth pair).");
            describe(out, status.kernelPlace(), false);
        }
        if (status.tapExists()) {
            out.println("lab network up (TAP device).");
            describe(out, status.kernelPlace(), true);
        }
    }

    /**
     * What the next commands need in front: {@code sudo} for real root, nothing inside a user namespace, where the user
     * is uid 0 already (and sudo would leave the namespace the lab is in).
     */
    private static String asRoot() {
        return inUserNamespace() ? "" : "sudo ";
    }

    /** Whether this process is in a user namespace, which is where the lab keeps the kernel beside the stack. */
    private static boolean inUserNamespace() {
        return LabNetwork.kernelPlace() == LabNetwork.KernelPlace.CURRENT_NAMESPACE;
    }

    private static void describe(PrintWriter out, LabNetwork.KernelPlace kernelPlace, boolean tap) {
        boolean besideTheStack = kernelPlace == LabNetwork.KernelPlace.CURRENT_NAMESPACE;
        String stacklab = asRoot() + Main.INVOCATION;
        if (tap) {
            String kernel = LabNetwork.TAP_KERNEL_ADDRESS.substring(0, LabNetwork.TAP_KERNEL_ADDRESS.indexOf('/'));
            String stack = LabNetwork.TAP_STACK_ADDRESS.substring(0, LabNetwork.TAP_STACK_ADDRESS.indexOf('/'));
            out.println("  TAP device:  " + LabNetwork.TAP_DEVICE + ", kernel side " + LabNetwork.TAP_KERNEL_ADDRESS);
            out.println(next());
            out.println("  " + stacklab + " serve --tap --interface-name " + LabNetwork.TAP_DEVICE + " --ip " + LabNetwork.TAP_STACK_ADDRESS);
            out.println("  ping " + stack + "                      # the kernel pings the stack");
            out.println("  " + stacklab + " ping --tap --interface-name " + LabNetwork.TAP_DEVICE + " --ip "
                    + LabNetwork.TAP_STACK_ADDRESS + " --target-ip " + kernel);
            out.println("  " + stacklab + " labnet down --tap");
            return;
        }
        String kernel = LabNetwork.KERNEL_ADDRESS.substring(0, LabNetwork.KERNEL_ADDRESS.indexOf('/'));
        String stack = LabNetwork.STACK_ADDRESS.substring(0, LabNetwork.STACK_ADDRESS.indexOf('/'));
        out.println("  stack side:  " + LabNetwork.STACK_DEVICE + " (no address: the stack brings its own)");
        if (besideTheStack) {
            out.println("  kernel side: " + LabNetwork.KERNEL_DEVICE + " in this network namespace, " + LabNetwork.KERNEL_ADDRESS
                    + " (" + LabNetwork.STACK_DEVICE + " answers ARP for none of the kernel's addresses)");
        } else {
            out.println("  kernel side: " + LabNetwork.KERNEL_DEVICE + " in namespace " + LabNetwork.NAMESPACE + ", " + LabNetwork.KERNEL_ADDRESS);
        }
        out.println(next());
        out.println("  " + stacklab + " serve --interface-name " + LabNetwork.STACK_DEVICE + " --ip " + LabNetwork.STACK_ADDRESS);
        if (besideTheStack) {
            out.println("  ping " + stack + "                      # the kernel pings the stack");
        } else {
            out.println("  sudo ip netns exec " + LabNetwork.NAMESPACE + " ping " + stack + "     # the kernel pings the stack");
        }
        out.println("  " + stacklab + " ping --interface-name " + LabNetwork.STACK_DEVICE + " --ip " + LabNetwork.STACK_ADDRESS
                + " --target-ip " + kernel);
        out.println("  " + stacklab + " labnet down");
    }

    /**
     * The title of the next commands. Inside a user namespace they must run in it, which a second terminal (serve
     * keeps the first) enters with nsenter; --preserve-credentials, because without it nsenter calls setgroups(),
     * which the namespace denies, and fails.
     */
    private static String next() {
        if (!inUserNamespace()) {
            return "next:";
        }
        return LabNetwork.namespaceHolder()
                .map(pid -> "next, in this namespace (another terminal joins it with: nsenter --target " + pid
                        + " --user --net --preserve-credentials):")
                .orElse("next, in this namespace:");
    }
}
