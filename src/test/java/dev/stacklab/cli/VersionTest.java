package dev.stacklab.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** --version prints the version the build was made from (the pom's), from the classes as from the jar. */
class VersionTest {
    /** The project's own version in pom.xml: the first version element after its artifactId. */
    static String pomVersion() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher version = Pattern.compile("<artifactId>stacklab</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        assertThat(version.find()).as("the project's version in pom.xml").isTrue();
        return version.group(1);
    }

    @Test
    void versionIsThePomsVersion() throws IOException {
        String expected = "stacklab " + pomVersion() + "\n";
        for (String flag : new String[] {"--version", "-V"}) {
            CommandRun run = CommandRun.of(flag);
            assertThat(run.exitCode()).isZero();
            assertThat(run.out()).isEqualTo(expected).doesNotContain("development", "${");
        }
    }
}
