package dev.stacklab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stacklab.capture.SampleCapture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** decode's own UTF-8 encoding of its lines, and what a real process prints through it. */
class Utf8LinesTest {
    private static byte[] encoded(String... lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Utf8Lines utf8 = new Utf8Lines((bytes, length) -> out.write(bytes, 0, length));
        for (String line : lines) {
            utf8.line(line);
        }
        utf8.flush();
        return out.toByteArray();
    }

    @Test
    void encodesEveryCharacterAsTheJdkDoes() {
        String[] lines = {"    1   0.000000 0e:8e:5f:d9:cf:bb → Broadcast    ARP 42", "[TCP Flags: ·······A···F]", "é ü ß",
            "😀 outside the BMP", "", "x".repeat(200_000)};
        assertThat(encoded(lines)).isEqualTo((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aLoneSurrogateBecomesAQuestionMarkAsInTheJdk() {
        assertThat(encoded("a\uD800b")).isEqualTo("a?b\n".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aFailedSinkIsRememberedAndLaterLinesAreDropped() {
        List<Integer> writes = new ArrayList<>();
        Utf8Lines utf8 = new Utf8Lines((bytes, length) -> {
            writes.add(length);
            throw new IOException("Broken pipe");
        });
        utf8.line("first");
        utf8.flush();
        assertThat(utf8.failure()).hasMessage("Broken pipe");
        utf8.line("second");
        utf8.flush();
        assertThat(writes).containsExactly(6);
    }

    /** The bytes a real decode process writes to its standard output equal the text an in-process run prints. */
    @Test
    void aDecodeProcessPrintsWhatTheCommandPrintsInProcess(@TempDir Path directory) throws Exception {
        Path capture = directory.resolve(SampleCapture.NAME);
        try (InputStream sample = SampleCapture.open()) {
            Files.copy(sample, capture);
        }
        for (String format : List.of("", "-V", "--json")) {
            List<String> args = new ArrayList<>(List.of("decode"));
            if (!format.isEmpty()) {
                args.add(format);
            }
            args.add(capture.toString());
            CommandRun inProcess = CommandRun.of(args.toArray(String[]::new));
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), Main.class.getName()));
            command.addAll(args);
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] printed = process.getInputStream().readAllBytes();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(format).isZero();
            // Both the summaries and the trees hold non-ASCII text, the part a wrong encoding would break.
            if (!format.equals("--json")) {
                assertThat(inProcess.out()).as(format).contains(format.isEmpty() ? " → " : "[TCP Flags: ·······A···F]");
            }
            assertThat(new String(printed, StandardCharsets.UTF_8)).as(format).isEqualTo(inProcess.out());
        }
    }
}
