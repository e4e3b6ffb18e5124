package dev.stacklab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stacklab.capture.SampleCapture;
import dev.stacklab.testsupport.Prerequisites;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bench decode --processes times real decode and tshark processes, side by side. */
class DecodeProcessBenchTest {
    @TempDir
    Path directory;

    private Path sample() throws Exception {
        Path capture = directory.resolve(SampleCapture.NAME);
        try (InputStream sample = SampleCapture.open()) {
            Files.copy(sample, capture);
        }
        return capture;
    }

    @Test
    void timesStacklabAndTsharkAsProcessesOnTheFirstFramesAndTheWholeFile() throws Exception {
        Prerequisites.requireCommand("tshark");
        CommandRun run = CommandRun.of("bench", "decode", "--processes", "--tshark", "--rounds", "1", "--first", "3", sample().toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains(" -cp ", "output to /dev/null", "best and median of 1 rounds");
        assertThat(run.out().lines().filter(line -> line.matches(
                "  (stacklab decode|tshark -r), (first 3 frames|whole file) +\\d+\\.\\d{3} s best +\\d+\\.\\d{3} s median"
                        + "   CPU +\\d+\\.\\d\\d s best +\\d+\\.\\d\\d s median"))).hasSize(4);
        assertThat(run.out().lines().filter(line -> line.matches(
                "  tshark's time / stacklab's +\\d+\\.\\d\\d× +\\d+\\.\\d\\d× +\\d+\\.\\d\\d× +\\d+\\.\\d\\d×"))).hasSize(2);
        assertThat(run.out()).containsPattern("load average \\d+\\.\\d\\d at the start").containsPattern("load average \\d+\\.\\d\\d at the end");
        // A JVM uses CPU time to start: the time read from /proc is the child's, not zero.
        assertThat(run.out().lines().filter(line -> line.startsWith("  stacklab decode, first 3 frames"))
                .map(line -> line.replaceAll(".*CPU +(\\d+\\.\\d\\d) s best.*", "$1"))).singleElement()
                .satisfies(cpu -> assertThat(Double.parseDouble(cpu)).isPositive());
    }

    @Test
    void aFailingProcessIsAnErrorNotATime(@TempDir Path empty) throws Exception {
        Path notACapture = Files.writeString(empty.resolve("text.pcap"), "not a capture");
        CommandRun run = CommandRun.of("bench", "decode", "--processes", "--rounds", "1", notACapture.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("failed (exit 2)");
    }
}
