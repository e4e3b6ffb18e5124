package dev.stacklab.readme;

import dev.stacklab.testsupport.Processes;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged jar (after `package`): its version is the build's, and a printed hint runs as printed, in a shell. */
class PackagedJarIT {
    @Test
    void theJarPrintsTheBuildsVersion() throws IOException {
        Matcher version = Pattern.compile("<artifactId>stacklab</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(Path.of("pom.xml")));
        assertThat(version.find()).isTrue();
        Processes.Result run = Processes.run(List.of("java", "-jar", "target/stacklab.jar", "--version"), 60);
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).isEqualTo("stacklab " + version.group(1) + "\n").doesNotContain("development");
    }

    @Test
    void aHintRunsAsPrinted() {
        Processes.Result wrong = Processes.run(List.of("java", "-jar", "target/stacklab.jar", "bench", "decode", "--no-such-option"), 60);
        assertThat(wrong.exitCode()).isEqualTo(2);
        Matcher hint = Pattern.compile("see (.*--help)\\)").matcher(wrong.stderr());
        assertThat(hint.find()).as(wrong.stderr()).isTrue();
        assertThat(hint.group(1)).isEqualTo("java -jar target/stacklab.jar bench decode --help");
        Processes.Result followed = Processes.shell(hint.group(1), 60);
        assertThat(followed.exitCode()).as(followed.stderr()).isZero();
        assertThat(followed.stdout()).startsWith("Usage: java -jar target/stacklab.jar bench decode ").contains("--tshark", "--rounds");
    }
}
