package dev.stacklab.testsupport;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PrerequisitesTest {
    @Test
    void findsACommandOnThePath() {
        assertThat(Prerequisites.requireCommand("sh")).isExecutable();
    }

    @Test
    void aMissingCommandSkipsOrFailsWhenRequired() {
        Class<? extends Throwable> expected = Prerequisites.required() ? AssertionFailedError.class : TestAbortedException.class;
        assertThatThrownBy(() -> Prerequisites.requireCommand("stacklab-no-such-command"))
                .isInstanceOf(expected)
                .hasMessageContaining("stacklab-no-such-command is not installed");
    }

    @Test
    void aMissingCommandIsNamedWithItsDebianPackage() {
        assertThat(Prerequisites.debianPackage("nc")).isEqualTo("netcat-openbsd");
        assertThat(Prerequisites.debianPackage("arping")).contains("iputils-arping").contains("arping)");
    }

    /** Every command a test requires, read from the tests' sources, is named with its Debian package. */
    @Test
    void everyCommandTheTestsRequireHasItsPackage() throws IOException {
        Pattern single = Pattern.compile("requireCommand\\(\"([^\"]+)\"\\)");
        Pattern loop = Pattern.compile("for \\(String command : (?:List\\.of\\(|new String\\[\\] \\{)([^)}]*)[)}]");
        Set<String> commands = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src/test/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String text = Files.readString(file);
                single.matcher(text).results().map(m -> m.group(1)).forEach(commands::add);
                loop.matcher(text).results().forEach(m -> Pattern.compile("\"([^\"]+)\"").matcher(m.group(1)).results()
                        .map(q -> q.group(1)).forEach(commands::add));
            }
        }
        commands.removeAll(Set.of("sh", "stacklab-no-such-command"));
        assertThat(commands).contains("arping", "tshark", "ip");
        assertThat(commands).allSatisfy(command -> assertThat(Prerequisites.debianPackage(command)).as(command).isNotBlank());
    }
}
