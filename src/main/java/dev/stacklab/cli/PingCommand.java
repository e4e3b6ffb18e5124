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

    // Read as text and checked in validate(), so that a bad value is refused in iputils' words, quoting it as typed.
    @Option(names = "-c", paramLabel = "N", description = "stop after N requests (default: until Ctrl-C)")
    String countText;

    @Option(names = "-i", paramLabel = "SECONDS", defaultValue = "1", description = "seconds between requests (default ${DEFAULT-VALUE})")
    String intervalText;

    @Option(names = "-s", paramLabel = "BYTES", defaultValue = "56", description = "data bytes per request (default ${DEFAULT-VALUE})")
    String payloadSizeText;

    @Option(names = "-t", paramLabel = "TTL", defaultValue = "64", description = "IPv4 time to live (default ${DEFAULT-VALUE})")
    String ttlText;

    @Option(names = "-W", paramLabel = "SECONDS", defaultValue = "10", description = "seconds to wait for each reply (default ${DEFAULT-VALUE})")
    String timeoutText;

    /** The largest ICMP payload in one IPv4 datagram: 65535 - 20 (IP header) - 8 (ICMP header). */
    static final int MAX_PAYLOAD = 65507;
    /** iputils' floor for -i without root (MIN_INTERVAL_MS); the stack has no flood mode either. */
    private static final double MIN_INTERVAL_SECONDS = 0.002;

    private int count;
    private double intervalSeconds;
    private int payloadSize;
    private int ttl;
    private double timeoutSeconds;

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

    /**
     * Checks -c, -i, -s, -t and -W as iputils ping (20221126) does, in its words, with the flag added at the end so
     * that the line says which option was wrong: {@code invalid argument: '0': out of range: 1 <= value <= ...}.
     */
    private String validate() {
        try {
            count = countText == null ? 0 : (int) Math.min(Integer.MAX_VALUE, integerInRange(countText, 1, Long.MAX_VALUE, "-c"));
            payloadSize = (int) integerInRange(payloadSizeText, 0, MAX_PAYLOAD, "-s");
            ttl = (int) integerInRange(ttlText, 0, 255, "-t");
            if (ttl == 0) {
                // What iputils says when Linux refuses IP_TTL 0.
                return "cannot set unicast time-to-live: Invalid argument (-t 0)";
            }
            intervalSeconds = positiveSeconds(intervalText, "bad timing interval", "-i");
            if (intervalSeconds < MIN_INTERVAL_SECONDS) {
                return "cannot flood; minimal interval allowed for user is 2ms (-i " + intervalText + ")";
            }
            timeoutSeconds = positiveSeconds(timeoutText, "bad linger time", "-W");
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        return null;
    }

    /** iputils' strtol_or_err: "invalid argument: 'x'" for text that is no integer, "out of range" beyond the bounds. */
    private static long integerInRange(String text, long min, long max, String flag) {
        long value;
        try {
            value = Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid argument: '" + text + "' (" + flag + ")");
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException("invalid argument: '" + text + "': out of range: " + min + " <= value <= " + max
                    + " (" + flag + ")");
        }
        return value;
    }

    /**
     * iputils' -i and -W: "bad timing interval: x", "bad linger time: x" for what is not a number of seconds, for
     * zero or less (iputils lets root flood with -i 0 and takes -W 0 as "wait forever"; the stack does neither), and
     * for more than iputils' INT_MAX / 1000 seconds.
     */
    private static double positiveSeconds(String text, String words, String flag) {
        double value;
        try {
            value = Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(words + ": " + text + " (" + flag + ")");
        }
        if (!(value > 0) || value > Integer.MAX_VALUE / 1000) {
            throw new IllegalArgumentException(words + ": " + text + " (" + flag + ")");
        }
        return value;
    }

    private static void printSummary(PrintWriter out, PingSummary summary) {
        out.println();
        PingText.statistics(summary).forEach(out::println);
        out.flush();
    }
}
