package dev.stacklab.cli;

import dev.stacklab.dissect.FieldRegistry;
import dev.stacklab.testsupport.NamespacePair;
import dev.stacklab.testsupport.Prerequisites;
import dev.stacklab.testsupport.Processes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Holds {@code stacklab decode} against tshark on real kernel traffic: two namespaces made here
 * exchange ARP, pings (plain, 4000-byte fragmented, with Record Route), UDP to a closed port (ICMP
 * port unreachable quoting the datagram), a TCP connection with options, data both ways and both
 * FINs, and a refused connection; tcpdump captures it; then every field stacklab knows must print
 * exactly what {@code tshark -T fields} prints, frame by frame, and every summary line must match.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DecodeTsharkAgreementTest {
    /** The fields issue 2 names; the capture must exercise each, or agreeing on them proves nothing. */
    private static final List<String> REQUIRED_FIELDS = List.of("frame.len", "eth.dst", "eth.src", "eth.type", "vlan.id",
            "arp.opcode", "arp.src.hw_mac", "arp.src.proto_ipv4", "arp.dst.hw_mac", "arp.dst.proto_ipv4", "ip.version",
            "ip.hdr_len", "ip.dsfield.dscp", "ip.dsfield.ecn", "ip.len", "ip.id", "ip.flags.df", "ip.flags.mf",
            "ip.frag_offset", "ip.ttl", "ip.proto", "ip.checksum", "ip.src", "ip.dst", "icmp.type", "icmp.code",
            "icmp.checksum", "icmp.ident", "icmp.seq", "udp.srcport", "udp.dstport", "udp.length", "udp.checksum",
            "tcp.srcport", "tcp.dstport", "tcp.seq_raw", "tcp.ack_raw", "tcp.hdr_len", "tcp.flags", "tcp.flags.syn",
            "tcp.flags.ack", "tcp.flags.fin", "tcp.flags.reset", "tcp.flags.push", "tcp.window_size_value",
            "tcp.checksum", "tcp.urgent_pointer", "tcp.len", "tcp.options.mss_val", "tcp.options.wscale.shift",
            "tcp.options.sack_perm", "tcp.options.timestamp.tsval", "tcp.options.timestamp.tsecr");

    private Path capture;
    private NamespacePair lab;

    @BeforeAll
    void captureKernelTraffic(@TempDir Path directory) {
        Prerequisites.requireRoot();
        for (String command : List.of("ip", "tcpdump", "tshark", "ping", "arping", "nc", "ss")) {
            Prerequisites.requireCommand(command);
        }
        capture = directory.resolve("kernel.pcap");
        lab = NamespacePair.create();
        // A VLAN on top of the veth, so that tagged frames cross it too.
        String vlanA = lab.deviceA + ".7";
        String vlanB = lab.deviceB + ".7";
        String vlanPrefix = lab.addressA.substring(0, lab.addressA.indexOf(".0.1"));
        lab.shell(lab.namespaceA, 10, "ip link add link " + lab.deviceA + " name " + vlanA + " type vlan id 7 && ip addr add "
                + vlanPrefix + ".7.1/24 dev " + vlanA + " && ip link set " + vlanA + " up").orThrow(List.of("vlan a"));
        lab.shell(lab.namespaceB, 10, "ip link add link " + lab.deviceB + " name " + vlanB + " type vlan id 7 && ip addr add "
                + vlanPrefix + ".7.2/24 dev " + vlanB + " && ip link set " + vlanB + " up").orThrow(List.of("vlan b"));

        Process tcpdump = lab.startCapture(lab.namespaceA, lab.deviceA, capture);
        String b = lab.addressB;
        lab.exec(lab.namespaceA, 10, "arping", "-c", "1", "-I", lab.deviceA, b).orThrow(List.of("arping"));
        lab.exec(lab.namespaceA, 10, "ping", "-c", "2", "-i", "0.2", b).orThrow(List.of("ping"));
        lab.exec(lab.namespaceA, 10, "ping", "-c", "1", "-s", "4000", b).orThrow(List.of("ping -s 4000"));
        lab.exec(lab.namespaceA, 10, "ping", "-c", "1", "-R", b).orThrow(List.of("ping -R"));
        lab.exec(lab.namespaceA, 10, "ping", "-c", "1", vlanPrefix + ".7.2").orThrow(List.of("ping over the VLAN"));
        lab.shell(lab.namespaceA, 10, "printf x | nc -u -w 1 " + b + " 9999");
        Path serverLog = directory.resolve("server.log");
        lab.start(lab.namespaceB, serverLog, "sh", "-c", "printf 'world\\n' | nc -l -N " + b + " 8080 > /dev/null");
        lab.shell(lab.namespaceB, 10, "for i in $(seq 100); do ss -ltn | grep -q ':8080 ' && exit 0; sleep 0.05; done; exit 1")
                .orThrow(List.of("wait for the TCP server"));
        lab.shell(lab.namespaceA, 10, "printf 'hello\\n' | nc -N -w 2 " + b + " 8080").orThrow(List.of("nc client"));
        lab.shell(lab.namespaceA, 10, "nc -z -w 1 " + b + " 8081");
        NamespacePair.stopCapture(tcpdump);
    }

    @AfterAll
    void removeNamespaces() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void everyFieldPrintsWhatTsharkPrints() {
        List<String> fields = fieldsTsharkKnows();
        List<Map<String, String>> ours = decodeJson();
        List<String[]> theirs = tsharkFields(fields);
        assertThat(ours).as("frames decoded").hasSize(theirs.size()).hasSizeGreaterThan(20);

        List<String> differences = new ArrayList<>();
        for (int frame = 0; frame < theirs.size(); frame++) {
            for (int i = 0; i < fields.size(); i++) {
                String expected = theirs.get(frame)[i];
                String actual = ours.get(frame).getOrDefault(fields.get(i), "");
                if (!expected.equals(actual)) {
                    differences.add("frame " + (frame + 1) + " " + fields.get(i) + ": tshark '" + abbreviate(expected)
                            + "', stacklab '" + abbreviate(actual) + "'");
                }
            }
        }
        assertThat(differences).as("fields where stacklab and tshark disagree").isEmpty();
    }

    @Test
    void theCaptureExercisesEveryFieldTheIssueNames() {
        Set<String> seen = new LinkedHashSet<>();
        for (Map<String, String> frame : decodeJson()) {
            frame.forEach((name, value) -> {
                if (!value.isEmpty()) {
                    seen.add(name);
                }
            });
        }
        assertThat(seen).containsAll(REQUIRED_FIELDS);
    }

    @Test
    void summaryLinesMatchTsharkDefaultOutput() {
        List<String> theirs = Processes.run(List.of("tshark", "-n", "-r", capture.toString()), 60).orThrow(List.of("tshark"))
                .stdout().lines().toList();
        List<String> ours = decode(capture.toString()).lines().toList();
        assertThat(ours).containsExactlyElementsOf(theirs);
    }

    private List<String> fieldsTsharkKnows() {
        Set<String> tsharkNames = new HashSet<>();
        for (String line : Processes.run(List.of("tshark", "-G", "fields"), 120).stdout().lines().toList()) {
            String[] columns = line.split("\t");
            if (columns.length > 2 && (columns[0].equals("F") || columns[0].equals("P"))) {
                tsharkNames.add(columns[2]);
            }
        }
        List<String> fields = new ArrayList<>();
        for (String name : FieldRegistry.all().keySet()) {
            if (tsharkNames.contains(name)) {
                fields.add(name);
            }
        }
        assertThat(fields).as("stacklab fields that tshark knows").containsAll(REQUIRED_FIELDS);
        return fields;
    }

    private List<String[]> tsharkFields(List<String> fields) {
        List<String> command = new ArrayList<>(List.of("tshark", "-n", "-r", capture.toString(), "-T", "fields",
                "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=,"));
        for (String field : fields) {
            command.add("-e");
            command.add(field);
        }
        List<String[]> rows = new ArrayList<>();
        for (String line : Processes.run(command, 120).orThrow(command).stdout().split("\n")) {
            if (!line.isEmpty()) {
                rows.add(line.split("\t", -1));
            }
        }
        return rows;
    }

    private List<Map<String, String>> decodeJson() {
        List<Map<String, String>> frames = new ArrayList<>();
        for (String line : decode("--json", capture.toString()).lines().toList()) {
            frames.add(FlatJson.parse(line));
        }
        return frames;
    }

    private static String decode(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> command = new ArrayList<>(List.of("decode"));
        command.addAll(List.of(args));
        int exit = Main.run(new PrintWriter(out), new PrintWriter(err), command.toArray(String[]::new));
        assertThat(exit).as("decode exit code; stderr: %s", err).isZero();
        return out.toString();
    }

    private static String abbreviate(String value) {
        return value.length() > 80 ? value.substring(0, 77) + "..." : value;
    }
}
