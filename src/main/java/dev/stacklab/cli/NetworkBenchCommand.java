package dev.stacklab.cli;

import dev.stacklab.link.LinkException;
import dev.stacklab.runtime.EngineEchoBench;
import dev.stacklab.runtime.LabNetwork;
import dev.stacklab.runtime.LabNetwork.LabNetworkException;
import dev.stacklab.runtime.NetworkBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code stacklab bench network}: issue 3's bench in one run, side by side on the lab veth: stacklab's
 * ping RTT next to iputils' (kernel to kernel over the same veth), stacklab serving the kernel's
 * flood ping, and the engine alone. Makes the lab network if it is not up, and removes it after.
 */
@Command(name = "network", sortOptions = false,
        description = "stacklab vs the Linux kernel on the lab veth: ping RTT, flood ping, engine alone (needs root).")
final class NetworkBenchCommand implements Callable<Integer> {
    @Option(names = "--pings", paramLabel = "N", defaultValue = "200", description = "pings each way (default ${DEFAULT-VALUE})")
    int pings;

    @Option(names = "--flood-seconds", paramLabel = "S", defaultValue = "10", description = "seconds of ping -f (default ${DEFAULT-VALUE})")
    int floodSeconds;

    /** Enough round trips for the JIT to compile the ping path (C2 compiles a method after about 10,000 calls). */
    private static final int WARM_UP_PINGS = 5_000;

    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (pings < 10 || floodSeconds < 1) {
            err.println("bench network: --pings must be at least 10 and --flood-seconds at least 1");
            return 2;
        }
        if (!LabNetwork.isRoot()) {
            // Before the header: every step (the lab, the reference ping's address, the capture) needs root.
            err.println("bench network: needs root: run it with sudo (it makes the lab network, puts a reference address"
                    + " on " + LabNetwork.STACK_DEVICE + " and captures on it)");
            return 2;
        }
        if (LabNetwork.kernelPlace() == LabNetwork.KernelPlace.CURRENT_NAMESPACE) {
            // Its reference, the kernel pinging the kernel over the veth, needs the two ends in two namespaces: in one,
            // the kernel reaches its own address over loopback.
            err.println("bench network: needs real root (sudo), not a user namespace: there the lab's two ends share one"
                    + " network namespace, and the kernel's reference ping would go over loopback instead of the veth");
            return 2;
        }
        boolean madeLab = false;
        try {
            if (!LabNetwork.status().vethExists()) {
                LabNetwork.upVeth();
                madeLab = true;
            }
            out.printf("bench network on %s ↔ kernel %s (namespace %s), %d pings each, 10 ms apart%n",
                    LabNetwork.STACK_DEVICE, LabNetwork.KERNEL_ADDRESS, LabNetwork.NAMESPACE, pings);
            out.flush();
            NetworkBench.Rtt kernel = NetworkBench.kernelPing(pings, 0.01);
            NetworkBench.StackRtt stackRtt = NetworkBench.stackPing(pings, 10_000_000L, WARM_UP_PINGS);
            NetworkBench.Rtt stack = stackRtt.warm();
            out.printf("  %-40s %10s %10s %8s%n", "round-trip time", "median", "p99", "replies");
            out.printf("  %-40s %10s %10s %8d%n", "stacklab ping → kernel", micros(stack.medianNanos()), micros(stack.p99Nanos()), stack.samples());
            out.printf("  %-40s %10s %10s %8d%n", "iputils ping → kernel (reference)", micros(kernel.medianNanos()), micros(kernel.p99Nanos()), kernel.samples());
            out.printf("  %-40s %10s %21s%n", "difference", micros(stack.medianNanos() - kernel.medianNanos()), "(target: median within 100 µs)");
            NetworkBench.Rtt cold = stackRtt.cold();
            out.printf("  %-40s %10s %10s %8d%n", "stacklab ping, cold JVM (first " + pings + ")", micros(cold.medianNanos()),
                    micros(cold.p99Nanos()), cold.samples());
            out.printf("  (stacklab's figure is after %,d unmeasured back-to-back pings that let the JIT compile the path)%n",
                    stackRtt.warmUpPings());
            out.flush();
            NetworkBench.Flood flood = NetworkBench.serveUnderFlood(floodSeconds);
            out.printf("  stacklab serve under the kernel's ping -f for %d s: %,d sent, %,d answered by stacklab, %,d unanswered (target 0)%n",
                    floodSeconds, flood.transmitted(), flood.repliesSent(), flood.unanswered());
            out.printf("    (stacklab saw %,d requests; ping read %,d replies before its deadline)%n",
                    flood.requestsSeen(), flood.received());
            out.flush();
            NetworkBench.Flood reference = NetworkBench.kernelUnderFlood(floodSeconds);
            out.printf("  the host's kernel under the same ping -f (reference): %,d sent, %,d answered%n",
                    reference.transmitted(), reference.received());
            out.flush();
            EngineEchoBench.Result engine = EngineEchoBench.run(56, Duration.ofSeconds(1), Duration.ofSeconds(3));
            out.printf("  engine alone (no I/O, one core): %,.0f echo replies/s (target 1,000,000/s)%n", engine.repliesPerSecond());
            return 0;
        } catch (LabNetworkException | LinkException e) {
            err.println("bench network: " + e.getMessage());
            return 2;
        } finally {
            if (madeLab) {
                try {
                    LabNetwork.down(false);
                } catch (LabNetworkException e) {
                    err.println("bench network: could not remove the lab network: " + e.getMessage());
                }
            }
            out.flush();
        }
    }

    private static String micros(long nanos) {
        return String.format("%.0f µs", nanos / 1000.0);
    }
}
