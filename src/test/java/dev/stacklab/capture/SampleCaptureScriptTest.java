package dev.stacklab.capture;

import dev.stacklab.testsupport.Prerequisites;
import dev.stacklab.testsupport.Processes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * scripts/make-sample-capture.sh, which made the sample that ships inside stacklab, still makes one like it from
 * the real kernel: every kind of traffic the sample promises, and namespaces gone afterwards.
 */
class SampleCaptureScriptTest {
    @Test
    void theScriptMakesTheSampleFromTheKernel(@TempDir Path directory) throws IOException {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("ip");
        Prerequisites.requireCommand("ethtool");
        Prerequisites.requireCommand("tcpdump");
        Prerequisites.requireCommand("ping");
        Prerequisites.requireCommand("nc");
        Prerequisites.requireCommand("ss");
        Path output = directory.resolve("sample.pcap");

        Processes.Result run = Processes.run(List.of("scripts/make-sample-capture.sh", output.toString()), 120);

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("wrote " + output);
        List<String> lines;
        try (InputStream in = Files.newInputStream(output)) {
            lines = SampleCaptureTest.protocolAndInfo(in);
        }
        assertThat(SampleCaptureTest.missingTraffic(lines)).as("traffic missing from a fresh capture: " + lines).isEmpty();
        assertThat(Processes.check("ip", "netns", "list")).doesNotContain("sl-sample-");
    }
}
