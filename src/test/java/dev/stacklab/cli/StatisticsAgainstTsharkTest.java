package dev.stacklab.cli;

import dev.stacklab.testsupport.Prerequisites;
import dev.stacklab.testsupport.Processes;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code decode -q -z ...} prints, line for line, what {@code tshark -q} prints for the same statistics, on every kept
 * capture (src/test/resources/dev/stacklab/dissect and capture: 28 files of real programs' and crafted traffic over
 * Ethernet, Linux cooked and raw IP, pcap and pcapng), in one run each with every statistic (so tshark's order of
 * drawing is checked too): the Ethernet, IPv4, IPv6, TCP and UDP conversations (addresses, which is A, frames and
 * sizes each way, relative start, duration, tshark's order) and endpoints (tx and rx), the protocol hierarchy and the
 * expert information. Exact text, padding included. The last run compared 221 conversations, 303 endpoints, 167
 * protocol hierarchy lines and 262 expert rows.
 *
 * <p>Left out where the decoder's trees are not tshark's (so the statistics over them cannot be): io,phs of
 * ftp.pcap (tshark puts FTP's current directory and FTP-DATA's setup fields at the top of the tree, each a level of
 * its hierarchy; stacklab does not show them) and io,phs and expert of l3-crafted.pcap (stacklab dissects no LLC
 * nor GRE, validates the IPv4 checksum tshark leaves unverified, and has no note for an Ethernet trailer or an IPv6
 * payload length past the frame).
 */
class StatisticsAgainstTsharkTest {
    private static final List<String> TABLES = List.of("conv,eth", "conv,ip", "conv,ipv6", "conv,tcp", "conv,udp",
            "endpoints,eth", "endpoints,ip", "endpoints,ipv6", "endpoints,tcp", "endpoints,udp");
    private static final Set<String> HIERARCHY_DIFFERS = Set.of("ftp.pcap", "l3-crafted.pcap");
    private static final Set<String> EXPERT_DIFFERS = Set.of("l3-crafted.pcap");

    @Test
    void everyStatisticIsTsharksOnEveryKeptCapture() throws IOException {
        Prerequisites.requireCommand("tshark");
        int captures = 0;
        int conversations = 0;
        int endpoints = 0;
        int hierarchyLines = 0;
        int expertRows = 0;
        for (Path capture : keptCaptures()) {
            List<String> statistics = new ArrayList<>(TABLES);
            String name = capture.getFileName().toString();
            if (!HIERARCHY_DIFFERS.contains(name)) {
                statistics.add("io,phs");
            }
            if (!EXPERT_DIFFERS.contains(name)) {
                statistics.add("expert");
            }
            List<String> zs = new ArrayList<>();
            for (String statistic : statistics) {
                zs.add("-z");
                zs.add(statistic);
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
            hierarchyLines += (int) theirs.lines().filter(line -> line.matches(" *\\S+ +frames:\\d+ bytes:\\d+")).count();
            expertRows += (int) theirs.lines().filter(line -> line.matches(" {3,}\\d+ +\\S+ +.+  .*")).count();
        }
        assertThat(captures).isEqualTo(28);
        // Enough rows that the comparison means something; the figures of the last run are in the class comment.
        assertThat(conversations).isGreaterThan(200);
        assertThat(endpoints).isGreaterThan(280);
        assertThat(hierarchyLines).isGreaterThan(150);
        assertThat(expertRows).isGreaterThan(200);
        System.out.printf("StatisticsAgainstTsharkTest: %d captures, %d conversations, %d endpoints, %d hierarchy lines, %d expert rows identical%n",
                captures, conversations, endpoints, hierarchyLines, expertRows);
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
