package dev.stacklab.app.capture;

import dev.stacklab.capture.CaptureReader;
import dev.stacklab.dissect.Dissector;
import dev.stacklab.dissect.SummaryBatch;
import dev.stacklab.testsupport.Prerequisites;
import dev.stacklab.testsupport.Processes;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packet list colours each frame by the rule tshark itself names for it ({@code tshark --color} fills
 * {@code frame.coloring_rule.name} from Wireshark's default colouring rules), on every capture the project keeps:
 * Ethernet, Linux cooked v1 and v2, raw IPv4 and IPv6; IPv4 and IPv6; ARP, ICMP and ICMPv6 with their errors,
 * TCP with its analysis ("Bad TCP"), HTTP, UDP. The rows are coloured as the app colours a file it opens: from the
 * frame's bytes and its summary columns.
 */
class ColouringAgainstTsharkTest {
    private static final Path RESOURCES = Path.of("src/test/resources/dev/stacklab");

    @Test
    void everyKeptCaptureIsColouredByTheRuleTsharkNames() throws IOException {
        Prerequisites.requireCommand("tshark");
        List<Path> captures;
        try (Stream<Path> files = Files.walk(RESOURCES)) {
            captures = files.filter(file -> file.toString().endsWith(".pcap") || file.toString().endsWith(".pcapng")).sorted().toList();
        }
        assertThat(captures).as("captures kept under %s", RESOURCES).hasSizeGreaterThan(10);

        List<String> differences = new ArrayList<>();
        Set<ColouringRule> seen = EnumSet.noneOf(ColouringRule.class);
        int frames = 0;
        int malformed = 0;
        for (Path capture : captures) {
            List<String> theirs = Processes.run(List.of("tshark", "--color", "-o", "ip.check_checksum:TRUE", "-r", capture.toString(),
                    "-T", "fields", "-e", "frame.coloring_rule.name"), 120).orThrow(List.of("tshark", capture.toString())).stdout().lines().toList();
            List<ColouringRule> ours = colours(capture);
            assertThat(ours).as("frames of %s", capture).hasSameSizeAs(theirs);
            for (int i = 0; i < ours.size(); i++) {
                // Malformed is stacklab's own rule, ahead of Wireshark's (which colours such a frame by its protocol).
                if (ours.get(i) == ColouringRule.MALFORMED) {
                    malformed++;
                    continue;
                }
                String ourName = ours.get(i) == ColouringRule.NONE ? "" : ours.get(i).title();
                if (!ourName.equals(theirs.get(i))) {
                    differences.add(capture.getFileName() + " frame " + (i + 1) + ": tshark '" + theirs.get(i) + "', stacklab '" + ourName + "'");
                }
                seen.add(ours.get(i));
            }
            frames += ours.size();
        }
        assertThat(differences).as("frames coloured otherwise than tshark colours them, of %d", frames).isEmpty();
        assertThat(malformed).as("frames coloured Malformed instead (the crafted damaged ones)").isLessThan(frames / 50);
        assertThat(seen).as("rules the kept captures exercise").contains(ColouringRule.BAD_TCP, ColouringRule.ICMP_ERROR,
                ColouringRule.ARP, ColouringRule.ICMP, ColouringRule.HTTP, ColouringRule.TCP_SYN_FIN, ColouringRule.TCP, ColouringRule.UDP);
    }

    /** Each frame's rule, decided as the app decides it when it opens the file. */
    private static List<ColouringRule> colours(Path capture) throws IOException {
        List<ColouringRule> rules = new ArrayList<>();
        Dissector dissector = new Dissector();
        SummaryBatch columns = new SummaryBatch(1);
        try (CaptureReader reader = CaptureReader.open(capture)) {
            boolean first = true;
            while (reader.next()) {
                if (first) {
                    dissector.linkType(reader.linkType());
                    first = false;
                }
                byte[] bytes = reader.data();
                int length = reader.capturedLength();
                columns.clear();
                dissector.summarizeInto(reader.timestampNanos(), bytes, length, reader.originalLength(), columns);
                rules.add(ColouringRule.of(reader.linkType(), bytes, length, columns, 0, false));
            }
        }
        return rules;
    }
}
