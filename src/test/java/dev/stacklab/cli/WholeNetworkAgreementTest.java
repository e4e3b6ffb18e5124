package dev.stacklab.cli;

import dev.stacklab.dissect.FieldRegistry;
import dev.stacklab.dissect.FieldType;
import dev.stacklab.testsupport.Prerequisites;
import dev.stacklab.testsupport.Processes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decoder against tshark 4.0 over every capture kept in src/test/resources (real traffic made in namespaces by the
 * scripts each capture's test names, and the crafted ones), counted rather than required line for line: packet-list
 * lines identical to tshark's, and fields agreeing, out of all. A field counts for a frame when tshark or stacklab
 * gives it a value there (the fields stacklab registers under a name tshark knows), and agrees when both print the
 * same. Prints the figures of each capture and the total; holds the total to issue 10's targets (95% of lines, 99% of
 * fields). RealCapturesAgainstTsharkTest holds the captures it lists to every line and field; this one is the whole
 * network's figure, differences included.
 */
class WholeNetworkAgreementTest {
    private static final Path RESOURCES = Path.of("src/test/resources");
    private static final String CHECK_IP_CHECKSUMS = "ip.check_checksum:TRUE";

    record Agreement(String capture, int lines, int identicalLines, int fields, int agreeingFields) {
        @Override
        public String toString() {
            return String.format("%-34s lines %5d of %5d (%6.2f%%)   fields %7d of %7d (%6.2f%%)", capture, identicalLines, lines,
                    percent(identicalLines, lines), agreeingFields, fields, percent(agreeingFields, fields));
        }
    }

    @BeforeAll
    static void requireTshark() {
        Prerequisites.requireCommand("tshark");
    }

    @Test
    void linesAndFieldsAgreeWithTsharkOverEveryCapture() throws Exception {
        List<Path> captures = captures();
        // The captures the tests rely on are all here (the ping, IPv4, IPv6, application and TCP analysis ones).
        assertThat(captures.stream().map(path -> path.getFileName().toString()))
                .contains("ping-lo.pcapng", "l3-crafted.pcap", "http-lossy.pcap", "dns-tcp.pcap", "tcp-analysis-client.pcap");
        List<String> fields = fieldsTsharkKnows();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Agreement> results = new ArrayList<>();
        try {
            List<Future<Agreement>> pending = new ArrayList<>();
            for (Path capture : captures) {
                pending.add(pool.submit(() -> measure(capture, fields)));
            }
            for (Future<Agreement> each : pending) {
                results.add(each.get());
            }
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        int lines = 0;
        int identicalLines = 0;
        int fieldCount = 0;
        int agreeingFields = 0;
        for (Agreement result : results) {
            System.out.println(result);
            lines += result.lines();
            identicalLines += result.identicalLines();
            fieldCount += result.fields();
            agreeingFields += result.agreeingFields();
        }
        Agreement total = new Agreement("all " + results.size() + " captures", lines, identicalLines, fieldCount, agreeingFields);
        System.out.println(total);
        assertThat(lines).isGreaterThan(1_000);
        assertThat(percent(identicalLines, lines)).as("packet-list lines identical to tshark's: %s", total).isGreaterThanOrEqualTo(95.0);
        assertThat(percent(agreeingFields, fieldCount)).as("fields agreeing with tshark's: %s", total).isGreaterThanOrEqualTo(99.0);
    }

    private static Agreement measure(Path capture, List<String> fields) {
        String file = capture.toString();
        List<String> theirLines = tshark("-r", file);
        List<String> ourLines = decode(file);
        int identicalLines = 0;
        for (int i = 0; i < Math.min(theirLines.size(), ourLines.size()); i++) {
            if (theirLines.get(i).equals(ourLines.get(i))) {
                identicalLines++;
            }
        }
        List<String> command = new ArrayList<>(List.of("-r", file, "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a",
                "-E", "aggregator=,"));
        for (String field : fields) {
            command.add("-e");
            command.add(field);
        }
        List<String> theirFields = tshark(command.toArray(String[]::new));
        List<String> ourFields = decode("--json", file);
        int counted = 0;
        int agreeing = 0;
        for (int frame = 0; frame < Math.max(theirFields.size(), ourFields.size()); frame++) {
            String[] expected = frame < theirFields.size() ? theirFields.get(frame).split("\t", -1) : new String[0];
            Map<String, String> actual = frame < ourFields.size() ? FlatJson.parse(ourFields.get(frame)) : Map.of();
            for (int i = 0; i < fields.size(); i++) {
                String want = i < expected.length ? expected[i] : "";
                String got = actual.getOrDefault(fields.get(i), "");
                if (!want.isEmpty() || !got.isEmpty()) {
                    counted++;
                    if (want.equals(got)) {
                        agreeing++;
                    }
                }
            }
        }
        return new Agreement(RESOURCES.relativize(capture).toString().replaceFirst("^dev/stacklab/", ""), theirLines.size(),
                identicalLines, counted, agreeing);
    }

    private static List<Path> captures() throws IOException {
        try (Stream<Path> files = Files.walk(RESOURCES)) {
            return files.filter(path -> {
                String name = path.getFileName().toString();
                return Files.isRegularFile(path) && (name.endsWith(".pcap") || name.endsWith(".pcapng"));
            }).sorted().toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static List<String> fieldsTsharkKnows() {
        Set<String> tsharkNames = new HashSet<>();
        for (String line : Processes.run(List.of("tshark", "-G", "fields"), 120).stdout().lines().toList()) {
            String[] columns = line.split("\t");
            if (columns.length > 2 && (columns[0].equals("F") || columns[0].equals("P"))) {
                tsharkNames.add(columns[2]);
            }
        }
        List<String> fields = new ArrayList<>();
        FieldRegistry.all().forEach((name, def) -> {
            if (tsharkNames.contains(name) && def.type() != FieldType.PROTOCOL && def.type() != FieldType.NONE) {
                fields.add(name);
            }
        });
        return fields;
    }

    private static double percent(int part, int whole) {
        return whole == 0 ? 100.0 : 100.0 * part / whole;
    }

    private static List<String> tshark(String... args) {
        List<String> command = new ArrayList<>(List.of("tshark", "-o", CHECK_IP_CHECKSUMS));
        command.addAll(List.of(args));
        return Processes.run(command, 120).orThrow(command).stdout().lines().toList();
    }

    private static List<String> decode(String... args) {
        List<String> command = new ArrayList<>(List.of("decode"));
        command.addAll(List.of(args));
        CommandRun run = CommandRun.of(command.toArray(String[]::new));
        assertThat(run.exitCode()).as("decode exit code; stderr: %s", run.err()).isZero();
        return run.out().lines().toList();
    }
}
