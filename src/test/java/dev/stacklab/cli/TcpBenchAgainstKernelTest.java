package dev.stacklab.cli;

import dev.stacklab.testsupport.Prerequisites;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bench tcp --veth} and {@code --connections} against the kernel, small: every figure line parses, the
 * transfers are whole (the bench compares every byte), serve holds every connection without a thread each, and the
 * namespace and veth the bench made are gone afterwards.
 */
class TcpBenchAgainstKernelTest {
    private static final Pattern ROUND = Pattern.compile("  round 1: kernel curl ([\\d,]+) Mbit/s \\(.*\\) · stacklab get"
            + " ([\\d,]+) Mbit/s \\(.*, (\\d+) retransmissions, ([\\d,]+) frames dropped at a full inbox\\) · get/curl"
            + " (\\d+\\.\\d\\d)");
    private static final Pattern MEMORY = Pattern.compile("  stacklab ↔ stacklab in memory: ([\\d,]+) Mbit/s .*");
    private static final Pattern HELD = Pattern.compile("  the engine held ([\\d,]+) connections; JVM threads (\\d+) before,"
            + " (\\d+) with them all open");
    private static final Pattern HEAP = Pattern.compile("  heap after a full GC: .* MiB held: (-?[\\d,]+) bytes per connection");

    @BeforeEach
    void requirements() {
        Prerequisites.requireRoot();
        for (String command : new String[] {"python3", "curl", "ethtool", "ip"}) {
            Prerequisites.requireCommand(command);
        }
    }

    @Test
    void getBesideCurlOverTheVethThenInMemory() {
        CommandRun run = CommandRun.of("bench", "tcp", "--veth", "--mib", "4", "--warm-up-mib", "1", "--rounds", "1");

        assertThat(run.exitCode()).as(run.err()).isZero();
        Matcher round = find(ROUND, run.out());
        assertThat(number(round.group(1))).as("curl's rate").isPositive();
        assertThat(number(round.group(2))).as("get's rate").isPositive();
        assertThat(number(find(MEMORY, run.out()).group(1))).as("in memory").isPositive();
        assertThat(run.out()).contains("median over 1 rounds: stacklab get");
        assertThat(Files.exists(Path.of("/run/netns/slbench"))).as("the bench's namespace is removed").isFalse();
        assertThat(Files.exists(Path.of("/sys/class/net/slb-stack"))).as("the bench's veth is removed").isFalse();
    }

    @Test
    void serveHoldsManyConnectionsWithoutAThreadEach() {
        CommandRun run = CommandRun.of("bench", "tcp", "--connections", "200");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("  200 connections open, each echoed 100 bytes");
        Matcher held = find(HELD, run.out());
        assertThat(number(held.group(1))).as("connections in the engine").isEqualTo(200);
        assertThat(Long.parseLong(held.group(3)) - Long.parseLong(held.group(2))).as("threads added").isLessThan(5);
        // Buffers grow with the data: 100 bytes each way must not cost the whole 256 KiB windows.
        assertThat(number(find(HEAP, run.out()).group(1))).as("heap per connection").isLessThan(64 * 1024);
        assertThat(Files.exists(Path.of("/run/netns/slbench"))).isFalse();
    }

    private static Matcher find(Pattern pattern, String output) {
        for (String line : output.split("\n")) {
            Matcher matcher = pattern.matcher(line);
            if (matcher.matches()) {
                return matcher;
            }
        }
        throw new AssertionError("no line matches " + pattern + " in:\n" + output);
    }

    private static long number(String digits) {
        return Long.parseLong(digits.replace(",", ""));
    }
}
