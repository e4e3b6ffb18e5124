package dev.stacklab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stacklab.capture.SampleCapture;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bench decode times stacklab's summaries and full trees in wall and CPU time, best and median round, with the load beside. */
class DecodeBenchTest {
    @TempDir
    Path directory;

    @Test
    void reportsTheBestAndTheMedianRoundInWallAndCpuTimeWithTheLoadAverage() throws Exception {
        Path capture = directory.resolve(SampleCapture.NAME);
        try (InputStream sample = SampleCapture.open()) {
            Files.copy(sample, capture);
        }
        CommandRun run = CommandRun.of("bench", "decode", "--no-pcap4j", "--rounds", "3", capture.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).containsPattern("best of 3 rounds after warming up; load average \\d+\\.\\d\\d\\n")
                .containsPattern("load average \\d+\\.\\d\\d at the end");
        String row = "  stacklab (summaries|full trees) +[\\d,]+ frames/s  \\([\\d,]+ frames in (\\d+\\.\\d{3}) s, (\\d+\\.\\d{3}) s of CPU; "
                + "median (\\d+\\.\\d{3}) s, (\\d+\\.\\d{3}) s of CPU; [1-4] warm-up rounds?\\)";
        List<String> rows = run.out().lines().filter(line -> line.matches(row)).toList();
        assertThat(rows).as(run.out()).hasSize(2);
        for (String line : rows) {
            double bestWall = Double.parseDouble(line.replaceAll(row, "$2"));
            double medianWall = Double.parseDouble(line.replaceAll(row, "$4"));
            // The best round is the fastest in wall time, so never slower than the median.
            assertThat(bestWall).isLessThanOrEqualTo(medianWall);
        }
    }
}
