package dev.stacklab.cli;

import dev.stacklab.link.LinkException;
import dev.stacklab.runtime.Host;
import dev.stacklab.runtime.Ping;
import dev.stacklab.runtime.PingResult;
import dev.stacklab.runtime.PingSettings;
import dev.stacklab.runtime.PingSummary;
import dev.stacklab.stack.PathMtuDiscovery;
import dev.stacklab.stack.PingOutcome;
import dev.stacklab.wire.Ipv4Address;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code stacklab ping}: iputils ping, answered through stacklab's own stack. Same lines, same
 * summary; exit 0 when a reply came, 1 when none did, 2 when the stack could not be set up.
 */
@Command(name = "ping", sortOptions = false, description = "Send ICMP echo requests from stacklab's stack, like iputils ping.")
final class PingCommand implements Callable<Integer> {
    @Option(names = "--target-ip", required = true, paramLabel = "IP", converter = Converters.Ipv4Converter.class,
            description = "who to ping")
    Ipv4Address target;

    @Mixin
    HostOptions host;

    @Option(names = "-c", paramLabel = "N", description = "stop after N requests (default: until Ctrl-C)")
    int count;

    @Option(names = "-i", paramLabel = "SECONDS", defaultValue = "1", description = "seconds between requests (default ${DEFAULT-VALUE})")
    double intervalSeconds;

    @Option(names = "-s", paramLabel = "BYTES", defaultValue = "56", description = "data bytes per request (default ${DEFAULT-VALUE})")
    int payloadSize;

    @Option(names = "-t", paramLabel = "TTL", defaultValue = "64", description = "IPv4 time to live (default ${DEFAULT-VALUE})")
    int ttl;

    @Option(names = "-W", paramLabel = "SECONDS", defaultValue = "10", description = "seconds to wait for each reply (default ${DEFAULT-VALUE})")
    double timeoutSeconds;

    // The default is what iputils' requests carry when -M is not given: Linux's IP_PMTUDISC_WANT.
    @Option(names = "-M", paramLabel = "do|want|dont", defaultValue = "want", converter = Converters.PathMtuDiscoveryConverter.class,
            description = "Don't Fragment: do (always; too big for the MTU is a local error), want (when it fits the MTU, "
                    + "else fragment here), dont (never) (default ${DEFAULT-VALUE})")
    PathMtuDiscovery pathMtuDiscovery;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String problem = validate();
        if (problem != null) {
            err.println("ping: " + problem);
            return 2;
        }
        Host running;
        try {
            running = host.start(null);
        } catch (LinkException | IllegalArgumentException e) {
            err.println("ping: " + e.getMessage());
            return 2;
        }
        PingSettings settings = PingSettings.to(target).withCount(count).withPayloadSize(payloadSize).withTtl(ttl)
                .withInterval(Duration.ofNanos(Math.round(intervalSeconds * 1e9)))
                .withTimeout(Duration.ofNanos(Math.round(timeoutSeconds * 1e9))).withPathMtuDiscovery(pathMtuDiscovery);
        Ping ping = new Ping(running.runner(), settings);
        // Ctrl-C ends the run the way iputils does: stop sending, then print the statistics.
        // The link is closed before the interrupt handling ends: a terminating signal waits for both.
        try (CtrlC interrupt = CtrlC.stops("ping", ping::stop); running) {
            out.printf("PING %s (%s) %d(%d) bytes of data.%n", target, target, payloadSize, payloadSize + 28);
            out.flush();
            PingSummary summary = ping.run(result -> {
                if (result.outcome() instanceof PingOutcome.MessageTooLong tooLong) {
                    // iputils reports a failed send with error(3): on stderr, after the program's name.
                    err.println("ping: " + tooLong.description());
                    err.flush();
                    return;
                }
                String line = describe(result);
                if (line != null) {
                    out.println(line);
                    out.flush();
                }
            });
            printSummary(out, summary);
            return summary.received() > 0 ? 0 : 1;
        }
    }

    private String validate() {
        if (count < 0) {
            return "-c must be 0 or more, not " + count;
        }
        if (!(intervalSeconds >= 0.002)) {
            return "-i must be at least 0.002 seconds, not " + intervalSeconds;
        }
        if (payloadSize < 0 || payloadSize > 65507) {
            return "-s must be 0-65507 bytes, not " + payloadSize;
        }
        if (ttl < 1 || ttl > 255) {
            return "-t must be 1-255, not " + ttl;
        }
        if (!(timeoutSeconds > 0)) {
            return "-W must be more than 0 seconds, not " + timeoutSeconds;
        }
        return null;
    }

    /** The line iputils prints for one result; nothing for a timeout, as iputils without -O. */
    private static String describe(PingResult result) {
        PingOutcome outcome = result.outcome();
        if (outcome instanceof PingOutcome.Reply reply) {
            return reply.bytes() + " bytes from " + reply.from() + ": icmp_seq=" + result.sequence() + " ttl=" + reply.ttl()
                    + " time=" + replyTime(reply.roundTripNanos()) + " ms";
        }
        if (outcome instanceof PingOutcome.Unreachable unreachable) {
            return "From " + unreachable.reportedBy() + " icmp_seq=" + result.sequence() + " " + unreachable.description();
        }
        if (outcome instanceof PingOutcome.TimeExceeded exceeded) {
            return "From " + exceeded.reportedBy() + " icmp_seq=" + result.sequence() + " Time to live exceeded";
        }
        if (outcome instanceof PingOutcome.HostUnreachable) {
            return "From " + "stacklab" + " icmp_seq=" + result.sequence() + " Destination Host Unreachable";
        }
        return null;
    }

    /** iputils' precision: three decimals under 1 ms, two under 10, one under 100, none above. */
    static String replyTime(long nanos) {
        long micros = Math.round(nanos / 1000.0);
        if (micros < 1000) {
            return String.format("%d.%03d", micros / 1000, micros % 1000);
        }
        if (micros < 10_000) {
            long hundredths = Math.round(micros / 10.0);
            return String.format("%d.%02d", hundredths / 100, hundredths % 100);
        }
        if (micros < 100_000) {
            long tenths = Math.round(micros / 100.0);
            return String.format("%d.%d", tenths / 10, tenths % 10);
        }
        return Long.toString(Math.round(micros / 1000.0));
    }

    private static String millis3(long nanos) {
        long micros = Math.round(nanos / 1000.0);
        return String.format("%d.%03d", micros / 1000, micros % 1000);
    }

    private static void printSummary(PrintWriter out, PingSummary summary) {
        out.println();
        out.println("--- " + summary.target() + " ping statistics ---");
        int transmitted = summary.transmitted();
        int lossPercent = transmitted == 0 ? 0 : (int) ((transmitted - summary.received()) * 100L / transmitted);
        StringBuilder line = new StringBuilder();
        line.append(transmitted).append(" packets transmitted, ").append(summary.received()).append(" received");
        if (summary.errors() > 0) {
            line.append(", +").append(summary.errors()).append(" errors");
        }
        line.append(", ").append(lossPercent).append("% packet loss, time ")
                .append(Math.round(summary.elapsedNanos() / 1e6)).append("ms");
        out.println(line);
        if (summary.received() > 0) {
            out.println("rtt min/avg/max/mdev = " + millis3(summary.minNanos()) + "/" + millis3(summary.avgNanos()) + "/"
                    + millis3(summary.maxNanos()) + "/" + millis3(summary.mdevNanos()) + " ms");
        }
        out.flush();
    }
}
