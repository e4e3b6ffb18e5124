package dev.stacklab.cli;

import dev.stacklab.capture.LinkType;
import dev.stacklab.capture.PcapWriter;
import dev.stacklab.testsupport.Prerequisites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
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

    /**
     * tshark's quirks on captures written here, times chosen to hit them: frames out of time order (counted in the
     * latest interval), a duration that rounds up a magnitude (9.7 s at 1 s, 9.96 s at 0.1 s: tshark pads and formats
     * with the old one), a duration on a whole interval (its last frame in no row), microseconds with leading zeros
     * (tshark's "2. 30698"), exactly half way (rounded down), one frame (no rows), and a long capture (250 s).
     */
    @Test
    void tsharksRoundingAndOrderQuirksOnCraftedTimes(@TempDir Path directory) throws IOException {
        Prerequisites.requireCommand("tshark");
        List<double[]> timings = List.of(new double[] {0, 2.5, 1.2, 0.4, 3.1}, new double[] {5, 6.5, 4.2, 7.1},
                new double[] {0, 9.7}, new double[] {0, 9.96}, new double[] {0, 2.0}, new double[] {0, 2.030698},
                new double[] {0, 2.0305}, new double[] {5}, new double[] {0, 130.7, 250.2});
        List<String> tables = List.of("io,stat,1", "io,stat,0.1", "io,stat,0", "io,stat,0.5,arp,,tcp", "io,stat,100", "io,stat,0.25");
        byte[] arp = HexFormat.of().parseHex("ffffffffffff020000000001080600010800060400010200000000010a000001"
                + "0000000000000a000002000000000000000000000000000000000000");
        int compared = 0;
        for (double[] times : timings) {
            Path capture = directory.resolve("times-" + compared + ".pcap");
            try (PcapWriter writer = PcapWriter.create(capture, LinkType.ETHERNET)) {
                for (double time : times) {
                    writer.write(1_700_000_000_000_000_000L + Math.round(time * 1e6) * 1000, arp, 0, arp.length, arp.length);
                }
            }
            List<String> zs = new ArrayList<>();
            for (String table : tables) {
                zs.add("-z");
                zs.add(table);
            }
            String theirs = StatisticsAgainstTsharkTest.tshark(capture, zs);
            List<String> args = new ArrayList<>(List.of("decode", "-q"));
            args.addAll(zs);
            args.add(capture.toString());
            CommandRun ours = CommandRun.of(args.toArray(String[]::new));
            assertThat(ours.exitCode()).as("times %s: %s", Arrays.toString(times), ours.err()).isZero();
            assertThat(ours.out().lines().toList()).as("times %s", Arrays.toString(times)).isEqualTo(theirs.lines().toList());
            compared++;
        }
        assertThat(compared).isEqualTo(timings.size());
    }
}
