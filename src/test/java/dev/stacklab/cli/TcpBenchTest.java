package dev.stacklab.cli;

import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code bench tcp} on a small transfer: every line it prints parses, the figures agree, nothing is missing. */
class TcpBenchTest {
    private static final Pattern HEADER = Pattern.compile("bench tcp: 1 MiB client → server between two stacks in memory"
            + " \\(no I/O, one thread, MTU 1500\\), after rounds of 1 MiB unmeasured until the JIT is done; load average (\\d+\\.\\d+) \\S+ \\S+ at the start, \\d+ cores");
    private static final Pattern RATE = Pattern.compile("  stacklab ↔ stacklab in memory: ([\\d,]+) Mbit/s \\(target ≥ 5,000;"
            + " smoltcp's loopback benchmark, the reference: 15,000\\)");
    private static final Pattern BYTES = Pattern.compile("  received ([\\d,]+) of ([\\d,]+) bytes, every byte equal to what was sent;"
            + " ([\\d,]+) retransmissions; ([\\d,]+) segments; after (\\d+) warm-up rounds \\(([\\d,]+) MiB\\)");
    private static final Pattern TIMES = Pattern.compile("  (\\d+\\.\\d\\d) s wall, (\\d+\\.\\d\\d) s CPU \\((\\d+)% of one core\\):"
            + " ([\\d,]+) Mbit per CPU second; load average \\d+\\.\\d+ \\S+ \\S+ at the end");

    @Test
    void aMebibyteArrivesWholeAndTheFiguresAgree() {
        CommandRun run = CommandRun.of("bench", "tcp", "--mib", "1", "--warm-up-mib", "1");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        String[] lines = run.out().split("\n");
        assertThat(lines).hasSize(4);
        assertThat(lines[0]).matches(HEADER);
        Matcher rate = matched(RATE, lines[1]);
        Matcher bytes = matched(BYTES, lines[2]);
        Matcher times = matched(TIMES, lines[3]);
        assertThat(number(bytes.group(1))).as("bytes received").isEqualTo(1 << 20);
        assertThat(number(bytes.group(2))).as("bytes sent").isEqualTo(1 << 20);
        // A perfect cable: nothing is lost, so nothing is sent twice. At least one full-sized segment per 1460 bytes.
        assertThat(number(bytes.group(3))).as("retransmissions").isZero();
        assertThat(number(bytes.group(4))).as("segments").isGreaterThanOrEqualTo((1 << 20) / 1460);
        // Warm-up rounds of 1 MiB until the JIT is done: at least 2, at most 40, each a whole MiB.
        assertThat(Integer.parseInt(bytes.group(5))).as("warm-up rounds").isBetween(2, 40);
        assertThat(number(bytes.group(6))).as("warm-up MiB").isEqualTo(Integer.parseInt(bytes.group(5)));
        double wallSeconds = Double.parseDouble(times.group(1));
        long megabits = number(rate.group(1));
        assertThat(megabits).isPositive();
        if (wallSeconds >= 0.1) {
            // The rate is the bytes over the wall time (rounded to 10 ms in print): within 10% of it.
            assertThat((double) megabits).isCloseTo((1 << 20) * 8 / 1e6 / wallSeconds, org.assertj.core.data.Percentage.withPercentage(10));
        }
    }

    @Test
    void sizesOutOfRangeAreRefusedInOneLine() {
        CommandRun zero = CommandRun.of("bench", "tcp", "--mib", "0");
        assertThat(zero.exitCode()).isEqualTo(2);
        assertThat(zero.err()).isEqualTo("bench tcp: --mib must be 1 to 1000000, not 0\n");
        assertThat(zero.out()).isEmpty();
        CommandRun negative = CommandRun.of("bench", "tcp", "--warm-up-mib", "-1");
        assertThat(negative.exitCode()).isEqualTo(2);
        assertThat(negative.err()).isEqualTo("bench tcp: --warm-up-mib must be 0 to 1000000, not -1\n");
        CommandRun rounds = CommandRun.of("bench", "tcp", "--veth", "--rounds", "0");
        assertThat(rounds.exitCode()).isEqualTo(2);
        assertThat(rounds.err()).isEqualTo("bench tcp: --rounds must be 1 to 100, not 0\n");
        CommandRun connections = CommandRun.of("bench", "tcp", "--connections", "0");
        assertThat(connections.exitCode()).isEqualTo(2);
        assertThat(connections.err()).isEqualTo("bench tcp: --connections must be 1 to 4000, not 0\n");
    }

    private static Matcher matched(Pattern pattern, String line) {
        Matcher matcher = pattern.matcher(line);
        assertThat(matcher.matches()).as("%s matches %s", line, pattern).isTrue();
        return matcher;
    }

    private static long number(String digits) {
        return Long.parseLong(digits.replace(",", ""));
    }
}
