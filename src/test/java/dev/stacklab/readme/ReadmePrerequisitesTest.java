package dev.stacklab.readme;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The README lists the Debian packages the tests need exactly as .ci/run installs them. */
class ReadmePrerequisitesTest {
    @Test
    void theReadmesPackagesAreWhatCiInstalls() throws IOException {
        // .ci/run: apt-get install -y -qq --no-install-recommends \ <packages, over lines> >/dev/null
        Matcher ci = Pattern.compile("apt-get install((?:\\s+(?:\\\\\\n)?\\s*[-\\w.]+)+)").matcher(Files.readString(Path.of(".ci/run")));
        assertThat(ci.find()).as("the apt-get install line of .ci/run").isTrue();
        List<String> installed = Arrays.stream(ci.group(1).replace("\\\n", " ").trim().split("\\s+"))
                .filter(word -> !word.startsWith("-")).toList();

        Matcher readme = Pattern.compile("(?m)^sudo apt-get install ([-\\w. ]+)$").matcher(Files.readString(Path.of("README.md")));
        assertThat(readme.find()).as("the README's apt-get install line").isTrue();
        List<String> listed = Arrays.asList(readme.group(1).trim().split("\\s+"));

        assertThat(installed).contains("tshark", "iputils-arping", "netcat-openbsd");
        assertThat(listed).isEqualTo(installed);
    }
}
