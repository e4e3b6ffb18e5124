package dev.stacklab.cli;

import dev.stacklab.testsupport.Prerequisites;
import dev.stacklab.testsupport.Processes;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code decode -q -z conv,TYPE -z endpoints,TYPE} prints, line for line, what {@code tshark -q} prints for the same
 * statistics, on every kept capture (src/test/resources/dev/stacklab/dissect and capture: 28 files of real programs'
 * and crafted traffic over Ethernet, Linux cooked and raw IP, pcap and pcapng): the Ethernet, IPv4, IPv6, TCP and UDP
 * conversations (addresses, which is A, frames and sizes each way, relative start, duration, tshark's order) and
 * endpoints (tx and rx). Exact text, padding included. The last run compared 221 conversations and 303 endpoints.
 */
class StatisticsAgainstTsharkTest {
    private static final List<String> TABLES = List.of("conv,eth", "conv,ip", "conv,ipv6", "conv,tcp", "conv,udp",
            "endpoints,eth", "endpoints,ip", "endpoints,ipv6", "endpoints,tcp", "endpoints,udp");

    @Test
    void conversationsAndEndpointsAreTsharksOnEveryKeptCapture() throws IOException {
        Prerequisites.requireCommand("tshark");
        int captures = 0;
        int conversations = 0;
        int endpoints = 0;
        for (Path capture : keptCaptures()) {
            List<String> zs = new ArrayList<>();
            for (String table : TABLES) {
                zs.add("-z");
                zs.add(table);
            }
            String theirs = tshark(capture, zs);
            List<String> args = new ArrayList<>(List.of("decode", "-q"));
            args.addAll(zs);
            args.add(capture.toString());
            CommandRun ours = CommandRun.of(args.toArray(String[]::new));
            assertThat(ours.exitCode()).as("%s: %s", capture, ours.err()).isZero();
            assertThat(ours.out().lines().toList()).as("%s", capture).isEqualTo(theirs.lines().toList());
            captures++;
            conversations += rows(theirs, " Conversations");
            endpoints += rows(theirs, " Endpoints");
        }
        assertThat(captures).isEqualTo(28);
        // Enough rows that the comparison means something; the figures of the last run are in the class comment.
        assertThat(conversations).isGreaterThan(200);
        assertThat(endpoints).isGreaterThan(280);
        System.out.printf("StatisticsAgainstTsharkTest: %d captures, %d conversations, %d endpoints identical%n", captures, conversations, endpoints);
    }

    static List<Path> keptCaptures() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String dir : List.of("src/test/resources/dev/stacklab/dissect", "src/test/resources/dev/stacklab/capture")) {
            try (Stream<Path> list = Files.list(Path.of(dir))) {
                list.filter(path -> path.toString().endsWith(".pcap") || path.toString().endsWith(".pcapng")).sorted().forEach(files::add);
            }
        }
        return files;
    }

    static String tshark(Path capture, List<String> statistics) {
        List<String> command = new ArrayList<>(List.of("tshark", "-r", capture.toString(), "-q"));
        command.addAll(statistics);
        return Processes.run(command, 120).orThrow(command).stdout();
    }

    /** The rows of the tables whose title ends with {@code titleEnd}: the lines between the title's header and the closing rule. */
    private static int rows(String output, String titleEnd) {
        int rows = 0;
        boolean inTable = false;
        int headerLines = 0;
        for (String line : output.lines().toList()) {
            if (line.endsWith(titleEnd)) {
                inTable = true;
                headerLines = titleEnd.equals(" Conversations") ? 3 : 2;
            } else if (inTable && headerLines > 0) {
                headerLines--;
            } else if (inTable && line.startsWith("=====")) {
                inTable = false;
            } else if (inTable) {
                rows++;
            }
        }
        return rows;
    }
}
