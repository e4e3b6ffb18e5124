package dev.stacklab.cli;

import dev.stacklab.runtime.TcpBulkBench;
import dev.stacklab.runtime.TcpConnectionsBench;
import dev.stacklab.runtime.TcpVethBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code stacklab bench tcp}: issue 8's speed figure in memory: a bulk TCP transfer between two stacks, no I/O,
 * with the target and smoltcp's loopback figure beside it.
 */
@Command(name = "tcp", sortOptions = false,
        description = "Bulk TCP between two stacks in memory, no I/O: Mbit/s, every byte checked; target 5 Gbit/s.")
final class TcpBench implements Callable<Integer> {
    private static final long MIB = 1 << 20;

    @Option(names = "--mib", paramLabel = "N", defaultValue = "200", description = "MiB transferred, measured (default ${DEFAULT-VALUE})")
    long mib;

    @Option(names = "--warm-up-mib", paramLabel = "N", defaultValue = "50",
            description = "MiB transferred first, unmeasured, so the JIT compiles the path (default ${DEFAULT-VALUE});"
                    + " in memory, repeated until the JIT compiles for under 10 ms in a round")
    long warmUpMib;

    @Option(names = "--veth", description = "Over a veth instead (needs root): stacklab get of --mib MiB from the kernel's"
            + " python3 http.server in a namespace the bench makes, beside the kernel's curl of the same URL, then the"
            + " same transfer in memory")
    boolean veth;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "3",
            description = "With --veth: rounds of curl then get, alternated (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--connections", paramLabel = "N", description = "Instead (needs root): N connections from the kernel"
            + " (a python3 client in a namespace the bench makes) to serve's TCP echo over a veth, held open at once, 100"
            + " bytes echoed on each; heap, resident memory and threads per connection")
    Integer connections;

    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (mib < 1 || mib > 1_000_000) {
            err.println("bench tcp: --mib must be 1 to 1000000, not " + mib);
            return 2;
        }
        if (warmUpMib < 0 || warmUpMib > 1_000_000) {
            err.println("bench tcp: --warm-up-mib must be 0 to 1000000, not " + warmUpMib);
            return 2;
        }
        if (rounds < 1 || rounds > 100) {
            err.println("bench tcp: --rounds must be 1 to 100, not " + rounds);
            return 2;
        }
        if (connections != null) {
            return manyConnections(out, err);
        }
        if (veth) {
            return overVeth(out, err);
        }
        out.printf("bench tcp: %,d MiB client → server between two stacks in memory (no I/O, one thread, MTU 1500),"
                + " after rounds of %,d MiB unmeasured until the JIT is done; load average %s at the start, %d cores%n",
                mib, warmUpMib, loadAverage(), Runtime.getRuntime().availableProcessors());
        out.flush();
        TcpBulkBench.Result result;
        try {
            result = TcpBulkBench.run(mib * MIB, warmUpMib * MIB);
        } catch (IllegalStateException e) {
            err.println("bench tcp: the transfer failed: " + e.getMessage());
            return 1;
        }
        out.printf("  stacklab ↔ stacklab in memory: %,.0f Mbit/s (target ≥ 5,000; smoltcp's loopback benchmark, the"
                + " reference: 15,000)%n", result.megabitsPerSecond());
        out.printf("  received %,d of %,d bytes, every byte equal to what was sent; %,d retransmissions; %,d segments;"
                        + " after %d warm-up rounds (%,d MiB)%n", result.bytesReceived(), result.bytesSent(),
                result.retransmissions(), result.segmentsSent(), result.warmUpRounds(), result.warmUpBytes() / MIB);
        out.printf("  %.2f s wall, %.2f s CPU (%.0f%% of one core): %,.0f Mbit per CPU second; load average %s at the end%n",
                result.elapsedNanos() / 1e9, result.cpuNanos() / 1e9, 100 * result.cpuShare(),
                result.bytesReceived() * 8e3 / Math.max(1, result.cpuNanos()), loadAverage());
        return 0;
    }

    /** {@code --veth}: the kernel's curl and our get on one veth, then the same transfer in memory, and the ratios. */
    private int overVeth(PrintWriter out, PrintWriter err) {
        String why = TcpVethBench.whyUnavailable();
        if (why != null) {
            err.println("bench tcp --veth: " + why);
            return 2;
        }
        out.printf("bench tcp --veth: %,d MiB over a veth (MTU 1500, the kernel end's offloads off) from python3 -m http.server"
                + " in namespace %s, %d rounds of the kernel's curl then stacklab get (after 3 gets of %,d MiB unmeasured);"
                + " load average %s at the start, %d cores%n", mib, TcpVethBench.NAMESPACE, rounds, warmUpMib,
                loadAverage(), Runtime.getRuntime().availableProcessors());
        out.flush();
        TcpVethBench.Result result;
        try {
            result = TcpVethBench.run(mib * MIB, warmUpMib * MIB, rounds, line -> {
                out.println(line);
                out.flush();
            });
        } catch (TcpVethBench.UnavailableException e) {
            err.println("bench tcp --veth: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("bench tcp --veth: " + e.getMessage());
            return 1;
        }
        for (int i = 0; i < rounds; i++) {
            TcpVethBench.Transfer curl = result.kernel().get(i);
            TcpVethBench.Transfer get = result.stack().get(i);
            out.printf("  round %d: kernel curl %,.0f Mbit/s (%.2f s, curl CPU %s, server CPU %s) · stacklab get %,.0f Mbit/s"
                            + " (%.2f s, CPU %s in the stack's threads, %s in the whole JVM, server CPU %s, %,d retransmissions, %,d frames dropped at a full inbox) · get/curl %.2f%n",
                    i + 1, curl.megabitsPerSecond(), curl.wallNanos() / 1e9, seconds(curl.clientCpuNanos()),
                    seconds(curl.serverCpuNanos()), get.megabitsPerSecond(), get.wallNanos() / 1e9,
                    seconds(get.stackCpuNanos()), seconds(get.clientCpuNanos()), seconds(get.serverCpuNanos()), get.retransmissions(), get.inboxDrops(),
                    get.megabitsPerSecond() / curl.megabitsPerSecond());
        }
        double curlMedian = TcpVethBench.Result.median(result.kernel());
        double getMedian = TcpVethBench.Result.median(result.stack());
        out.printf("  load average %s after the veth rounds; now the same %,d MiB between two stacks in memory (no I/O)%n",
                loadAverage(), mib);
        out.flush();
        TcpBulkBench.Result memory;
        try {
            memory = TcpBulkBench.run(mib * MIB, warmUpMib * MIB);
        } catch (IllegalStateException e) {
            err.println("bench tcp --veth: the in-memory transfer failed: " + e.getMessage());
            return 1;
        }
        out.printf("  median over %d rounds: stacklab get %,.0f Mbit/s (target ≥ 1,500) · kernel curl %,.0f Mbit/s ·"
                + " get/curl %.2f%n", rounds, getMedian, curlMedian, getMedian / curlMedian);
        out.printf("  stacklab ↔ stacklab in memory: %,.0f Mbit/s (%.2f s wall, %.2f s CPU; target ≥ 5,000) ·"
                        + " get over veth / in memory %.2f%n", memory.megabitsPerSecond(), memory.elapsedNanos() / 1e9,
                memory.cpuNanos() / 1e9, getMedian / memory.megabitsPerSecond());
        out.printf("  load average %s at the end%n", loadAverage());
        return 0;
    }

    /** {@code --connections}: many connections held by serve at once, and what each costs. */
    private int manyConnections(PrintWriter out, PrintWriter err) {
        if (connections < 1 || connections > 4000) {
            err.println("bench tcp: --connections must be 1 to 4000, not " + connections);
            return 2;
        }
        String why = TcpVethBench.whyUnavailable();
        if (why != null) {
            err.println("bench tcp --connections: " + why.replace("bench tcp --veth", "bench tcp --connections " + connections));
            return 2;
        }
        out.printf("bench tcp --connections: %,d connections from the kernel (python3 in namespace %s) to serve's TCP echo on"
                + " our stack over a veth, all held open; load average %s at the start, %d cores%n", connections,
                TcpVethBench.NAMESPACE, loadAverage(), Runtime.getRuntime().availableProcessors());
        out.flush();
        TcpConnectionsBench.Result result;
        try {
            result = TcpConnectionsBench.run(connections, 100, line -> {
                out.println(line);
                out.flush();
            });
        } catch (TcpVethBench.UnavailableException e) {
            err.println("bench tcp --connections: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("bench tcp --connections: " + e.getMessage());
            return 1;
        }
        out.printf("  the engine held %,d connections; JVM threads %d before, %d with them all open%n",
                result.engineConnections(), result.threadsBefore(), result.threadsHeld());
        out.printf("  heap after a full GC: %,.1f MiB before, %,.1f MiB held: %,.0f bytes per connection%n",
                result.heapBefore() / 1048576.0, result.heapHeld() / 1048576.0, result.heapPerConnection());
        out.printf("  resident memory: %,.1f MiB before, %,.1f MiB held: %,.0f bytes per connection%n",
                result.rssBefore() / 1048576.0, result.rssHeld() / 1048576.0, result.rssPerConnection());
        out.printf("  load average %s at the end%n", loadAverage());
        return 0;
    }

    private static String seconds(long nanos) {
        return nanos < 0 ? "?" : String.format("%.2f s", nanos / 1e9);
    }

    /** The 1, 5 and 15 minute load averages, as uptime prints them. */
    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            return String.format("%.2f", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }
}
