package dev.stacklab.cli;

import dev.stacklab.capture.SampleCapture;
import dev.stacklab.testsupport.Prerequisites;
import dev.stacklab.testsupport.Processes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Where decode reads from: a file, standard input ({@code -}, as {@code tshark -r -}), or the sample inside stacklab. */
class DecodeInputTest {
    @TempDir
    Path directory;

    private Path sampleFile() throws IOException {
        Path file = directory.resolve(SampleCapture.NAME);
        try (InputStream in = SampleCapture.open()) {
            Files.copy(in, file);
        }
        return file;
    }

    /** decode with {@code bytes} on standard input. */
    private static CommandRun withStandardInput(byte[] bytes, String... args) {
        InputStream original = System.in;
        System.setIn(new ByteArrayInputStream(bytes));
        try {
            return CommandRun.of(args);
        } finally {
            System.setIn(original);
        }
    }

    @Test
    void theSamplePrintsWhatTsharkPrintsForIt() throws IOException {
        Prerequisites.requireCommand("tshark");
        Path file = sampleFile();
        CommandRun sample = CommandRun.of("decode", "--sample");
        assertThat(sample.exitCode()).as(sample.err()).isZero();
        String tshark = Processes.run(List.of("tshark", "-r", file.toString()), 60).orThrow(List.of("tshark")).stdout();
        assertThat(sample.out()).isEqualTo(tshark).contains("Port unreachable", "[RST, ACK]", "Fragmented IP protocol");
        assertThat(CommandRun.of("decode", file.toString()).out()).isEqualTo(sample.out());
    }

    @Test
    void dashReadsPcapAndPcapngFromStandardInputAsTsharkDoes() throws IOException {
        Prerequisites.requireCommand("tshark");
        Path pcap = sampleFile();
        Path pcapng = directory.resolve("sample.pcapng");
        Processes.run(List.of("tshark", "-r", pcap.toString(), "-F", "pcapng", "-w", pcapng.toString()), 60).orThrow(List.of("tshark -w"));
        for (Path file : List.of(pcap, pcapng)) {
            CommandRun fromFile = CommandRun.of("decode", "-V", file.toString());
            CommandRun fromStdin = withStandardInput(Files.readAllBytes(file), "decode", "-V", "-");
            assertThat(fromStdin.exitCode()).as(fromStdin.err()).isZero();
            assertThat(fromStdin.out()).as(file.toString()).isEqualTo(fromFile.out()).isNotEmpty();
            // tshark reads the same standard input the same way.
            String tshark = Processes.shell("tshark -r - < " + file + " | head -3", 60).stdout();
            assertThat(withStandardInput(Files.readAllBytes(file), "decode", "-c", "3", "-").out()).isEqualTo(tshark);
        }
    }

    @Test
    void standardInputThatIsNoCaptureIsOneLineAndExitTwo() {
        CommandRun run = withStandardInput("hello, not a capture\n".getBytes(), "decode", "-");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().lines()).singleElement().asString()
                .startsWith("decode: '-' is not a capture stacklab can read: ").contains("magic number");
        CommandRun empty = withStandardInput(new byte[0], "decode", "-");
        assertThat(empty.exitCode()).isEqualTo(2);
        assertThat(empty.err()).contains("empty");
    }

    @Test
    void sampleAndFileTogetherOrNeitherIsAnError() throws IOException {
        CommandRun both = CommandRun.of("decode", "--sample", sampleFile().toString());
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).isEqualTo("decode: give FILE or --sample, not both\n");
        CommandRun neither = CommandRun.of("decode");
        assertThat(neither.exitCode()).isEqualTo(2);
        assertThat(neither.err()).isEqualTo("decode: missing FILE (or --sample for stacklab's sample capture;"
                + " see java -jar target/stacklab.jar decode --help)\n");
    }

    @Test
    void theSampleTakesFiltersAndCounts() {
        CommandRun arp = CommandRun.of("decode", "--sample", "-Y", "arp");
        assertThat(arp.out().lines()).hasSize(2).allMatch(line -> line.contains(" ARP "));
        assertThat(CommandRun.of("decode", "--sample", "-c", "4").out().lines()).hasSize(4);
    }
}
