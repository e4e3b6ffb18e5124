package dev.stacklab.cli;

import dev.stacklab.link.LinkException;
import dev.stacklab.runtime.Host;
import dev.stacklab.runtime.Ping;
import dev.stacklab.runtime.PingResult;
import dev.stacklab.runtime.PingSettings;
import dev.stacklab.runtime.PingSummary;
import dev.stacklab.runtime.PingText;
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

    @Mixin
    HelpOption help;

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
        CtrlC interrupt = CtrlC.stops("ping", ping::stop);
        try (interrupt; running) {
            out.println(PingText.header(target, payloadSize));
            out.flush();
            PingSummary summary = ping.run(result -> {
                if (result.outcome() instanceof PingOutcome.MessageTooLong tooLong) {
                    // iputils reports a failed send with error(3): on stderr, after the program's name.
                    err.println(PingText.localError(tooLong));
                    err.flush();
                    return;
                }
                String line = PingText.line(result, running.config().address().address());
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

    private static void printSummary(PrintWriter out, PingSummary summary) {
        out.println();
        PingText.statistics(summary).forEach(out::println);
        out.flush();
    }
}
