package dev.stacklab.cli;

import dev.stacklab.dissect.FieldRegistry;
import dev.stacklab.dissect.FieldType;
import dev.stacklab.testsupport.Arping;
import dev.stacklab.testsupport.NamespacePair;
import dev.stacklab.testsupport.Prerequisites;
import dev.stacklab.testsupport.Processes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

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

    /**
     * Sends an 802.1Q-tagged ARP request, a QinQ-tagged ICMP echo request and ARP requests between vendor and
     * well-known MAC addresses out of the interface argv[1].
     */
    private static final String TAGGED_FRAMES = """
            import socket, struct, sys
            def checksum(data):
                if len(data) % 2: data += b'\\0'
                total = sum(struct.unpack('!%dH' % (len(data) // 2), data))
                while total >> 16: total = (total & 0xffff) + (total >> 16)
                return ~total & 0xffff
            src = bytes.fromhex('020000000701')
            arp = struct.pack('!HHBBH6s4s6s4s', 1, 0x0800, 6, 4, 1, src, bytes([10, 7, 0, 1]), bytes(6), bytes([10, 7, 0, 2]))
            dot1q = b'\\xff' * 6 + src + struct.pack('!HHH', 0x8100, (3 << 13) | 7, 0x0806) + arp
            echo = struct.pack('!BBHHH', 8, 0, 0, 0x1234, 1) + b'stacklab'
            echo = echo[:2] + struct.pack('!H', checksum(echo)) + echo[4:]
            ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(echo), 0x4242, 0x4000, 64, 1, 0, bytes([10, 8, 0, 1]), bytes([10, 8, 0, 2]))
            ip = ip[:10] + struct.pack('!H', checksum(ip)) + ip[12:]
            qinq = bytes.fromhex('020000000802') + src + struct.pack('!HHHHH', 0x88a8, 100, 0x8100, (5 << 13) | 0x1000 | 7, 0x0800) + ip + echo
            s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
            s.bind((sys.argv[1], 0))
            s.send(dot1q)
            s.send(qinq)
            # Addresses that Wireshark's manuf and wka tables name by each of their rules, in ARP requests (whose
            # columns show MAC addresses), each sender with an IPv4 address of its own.
            named = [('001b21123456', '525400abcdef'), ('3cfdfe010203', '01005e000001'), ('001bc5001005', '0180c2000000'),
                     ('00000c07ac05', '333300000001'), ('005056c00008', '00005e000107'), ('080027aabbcc', '00000000fe21'),
                     ('0055da012345', '333312345678'), ('001bc5001abc', '01005e7f1234'), ('00bf12345678', '0180c200000e'),
                     ('011018123456', '020496abcdef'), ('001b21000000', '00000c07acff'), ('011018000001', '001bc5000000')]
            for n, (sender, receiver) in enumerate(named):
                sender, receiver = bytes.fromhex(sender), bytes.fromhex(receiver)
                request = struct.pack('!HHBBH6s4s6s4s', 1, 0x0800, 6, 4, 1, sender, bytes([10, 9, 0, n + 1]), bytes(6), bytes([10, 9, 0, 200]))
                s.send(receiver + sender + b'\\x08\\x06' + request)
            # Address conflicts: a second station claims an address in a request, a reply's target names another
            # holder, a reply's sender conflicts (which Wireshark reports without an Info note), probes say nothing.
            claims = [(1, '001b21000001', 1, '000000000000', 9), (1, '001b21000002', 1, '000000000000', 9),
                      (2, '001b21000003', 3, '001b21000002', 1), (2, '001b21000002', 1, '001b21000003', 3),
                      (1, '001b21000002', None, '000000000000', 7), (1, '001b21000003', None, '000000000000', 7)]
            for operation, sender, sender_ip, target, target_ip in claims:
                sender_address = bytes(4) if sender_ip is None else bytes([10, 9, 1, sender_ip])
                request = struct.pack('!HHBBH6s4s6s4s', 1, 0x0800, 6, 4, operation, bytes.fromhex(sender), sender_address,
                                      bytes.fromhex(target), bytes([10, 9, 1, target_ip]))
                s.send(b'\\xff' * 6 + bytes.fromhex(sender) + b'\\x08\\x06' + request)
            # Source routes (loose and strict) at each point of their way, and one whose pointer is inside an address.
            for kind, pointer in [(131, 4), (131, 8), (137, 12), (131, 16), (131, 5)]:
                route = bytes([kind, 15, pointer]) + bytes([10, 8, 1, 3]) + bytes([10, 8, 1, 4]) + bytes([10, 8, 1, 2]) + bytes(1)
                header = struct.pack('!BBHHHBBH4s4s', 0x45 + len(route) // 4, 0, 20 + len(route) + len(echo), 0x4343, 0, 64, 1, 0,
                                     bytes([10, 8, 1, 1]), bytes([10, 8, 1, 3])) + route
                header = header[:10] + struct.pack('!H', checksum(header)) + header[12:]
                s.send(bytes.fromhex('020000000802') + src + b'\\x08\\x00' + header + echo)
            """;

    /** stacklab verifies IPv4 header checksums; tshark does when told to. */
    private static final String CHECK_IP_CHECKSUMS = "ip.check_checksum:TRUE";

    private Path capture;
    private NamespacePair lab;

    @BeforeAll
    void captureKernelTraffic(@TempDir Path directory) {
        Prerequisites.requireRoot();
        for (String command : List.of("ip", "tcpdump", "tshark", "editcap", "ping", "arping", "nc", "ss")) {
            Prerequisites.requireCommand(command);
        }
        capture = directory.resolve("kernel.pcap");
        lab = NamespacePair.create();
        Process tcpdump = lab.startCapture(lab.namespaceA, lab.deviceA, capture);
        String b = lab.addressB;
        List<String> arping = Arping.requests(lab.deviceA, b, 1, 5);
        lab.exec(lab.namespaceA, 10, arping.toArray(String[]::new)).orThrow(arping);
        lab.exec(lab.namespaceA, 10, "ping", "-c", "2", "-i", "0.2", b).orThrow(List.of("ping"));
        lab.exec(lab.namespaceA, 10, "ping", "-c", "1", "-s", "4000", b).orThrow(List.of("ping -s 4000"));
        lab.exec(lab.namespaceA, 10, "ping", "-c", "1", "-R", b).orThrow(List.of("ping -R"));
        lab.exec(lab.namespaceA, 10, "ping", "-c", "1", "-T", "tsonly", b).orThrow(List.of("ping -T tsonly"));
        lab.exec(lab.namespaceA, 10, "ping", "-c", "1", "-T", "tsandaddr", b).orThrow(List.of("ping -T tsandaddr"));
        // This kernel has no 8021q module (nor VLAN-filtering bridges), so tagged frames are put on the veth with a raw socket.
        lab.exec(lab.namespaceA, 10, "python3", "-c", TAGGED_FRAMES, lab.deviceA).orThrow(List.of("inject tagged frames"));
        lab.shell(lab.namespaceA, 10, "printf x | nc -u -w 1 " + b + " 9999");
        // The Echo port: nobody listens there, so the kernel's port unreachable quotes an Echo request.
        lab.shell(lab.namespaceA, 10, "printf 'echo me' | nc -u -w 1 " + b + " 7");
        Path serverLog = directory.resolve("server.log");
        lab.start(lab.namespaceB, serverLog, "sh", "-c", "printf 'world\\n' | nc -l -N " + b + " 40123 > /dev/null");
        lab.shell(lab.namespaceB, 10, "for i in $(seq 100); do ss -ltn | grep -q ':40123 ' && exit 0; sleep 0.05; done; exit 1")
                .orThrow(List.of("wait for the TCP server"));
        lab.shell(lab.namespaceA, 10, "printf 'hello\\n' | nc -N -w 2 " + b + " 40123").orThrow(List.of("nc client"));
        lab.shell(lab.namespaceA, 10, "nc -z -w 1 " + b + " 40124");
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
        List<String> theirs = Processes.run(List.of("tshark", "-o", CHECK_IP_CHECKSUMS, "-r", capture.toString()), 60).orThrow(List.of("tshark"))
                .stdout().lines().toList();
        List<String> ours = decode(capture.toString()).lines().toList();
        assertThat(ours).containsExactlyElementsOf(theirs);
        assertThat(ours).anyMatch(line -> line.contains(" ECHO ") && line.endsWith(" Request"));
    }

    /**
     * decode -V prints what tshark -V prints, line for line, for every frame; also when a filter leaves some out, and
     * for the same frames in pcapng, whose Frame section names the section and interface.
     */
    @Test
    void verboseOutputIsTsharksLineForLine(@TempDir Path directory) {
        Path pcapng = directory.resolve("kernel.pcapng");
        Processes.run(List.of("editcap", "-F", "pcapng", capture.toString(), pcapng.toString()), 60).orThrow(List.of("editcap"));
        for (Path file : List.of(capture, pcapng)) {
            for (List<String> filter : List.of(List.<String>of(), List.of("-Y", "icmp || arp.opcode == 2"))) {
                List<String> tshark = new ArrayList<>(List.of("tshark", "-o", CHECK_IP_CHECKSUMS, "-r", file.toString(), "-V"));
                tshark.addAll(filter);
                List<String> theirs = Processes.run(tshark, 60).orThrow(tshark).stdout().lines().toList();
                List<String> decode = new ArrayList<>(List.of("-V"));
                decode.addAll(filter);
                decode.add(file.toString());
                List<String> ours = decode(decode.toArray(String[]::new)).lines().toList();
                assertThat(theirs).as("tshark %s %s", filter, file).hasSizeGreaterThan(100);
                assertThat(ours).as("decode -V %s %s", filter, file).containsExactlyElementsOf(theirs);
            }
        }
        assertThat(decode("-V", pcapng.toString())).contains("Interface id: 0 (unknown)");
        assertThat(decode("-V", capture.toString())).contains("[Duplicate IP address detected for 10.9.1.1",
                "Dst: 10.8.1.2, Via: 10.8.1.3", "Source Route: 10.8.1.4 <- (next)", "Pointer points to middle of address",
                "Flag: Time stamp and address (0x1)", "Echo data: ");
    }

    @Test
    void displayFiltersSelectTheFramesTsharkSelects() {
        String b = lab.addressB;
        List<String> filters = List.of("arp", "arp.duplicate-address-detected", "arp.seconds-since-duplicate-address-frame >= 0", "icmp", "tcp", "udp", "vlan", "!tcp && ip", "tcp.flags.syn == 1 && tcp.flags.ack == 0",
                "tcp.flags.reset == 1", "ip.addr == " + b, "ip.src == " + b + " || arp.opcode == 2", "ip.flags.mf == 1",
                "ip.frag_offset > 0", "icmp.type == 3 && udp.dstport == 9999", "tcp.port == 40123 and tcp.len > 0",
                "ip.ttl >= 64 && !(icmp.type == 0)", "frame.len > 1000", "tcp.options.mss_val == 1460", "eth.dst == ff:ff:ff:ff:ff:ff",
                "vlan.id == 7", "ip.opt.type", "tcp.analysis.acks_frame", "icmp.seq in {1, 2}", "ip.src == 10.0.0.0/8",
                "tcp.srcport != 40123", "data.len >= 8");
        for (String filter : filters) {
            List<String> command = List.of("tshark", "-o", CHECK_IP_CHECKSUMS, "-r", capture.toString(), "-Y", filter, "-T", "fields", "-e", "frame.number");
            List<String> theirs = Processes.run(command, 60).orThrow(command).stdout().lines().toList();
            List<String> ours = decode("-Y", filter, capture.toString()).lines().map(line -> line.substring(0, 5).strip()).toList();
            assertThat(theirs).as("frames tshark selects with %s", filter).isNotEmpty();
            assertThat(ours).as("frames matching %s", filter).isEqualTo(theirs);
        }
    }

    private List<String> fieldsTsharkKnows() {
        Set<String> tsharkNames = new HashSet<>();
        for (String line : Processes.run(List.of("tshark", "-G", "fields"), 120).stdout().lines().toList()) {
            String[] columns = line.split("\t");
            if (columns.length > 2 && (columns[0].equals("F") || columns[0].equals("P"))) {
                tsharkNames.add(columns[2]);
            }
        }
        // Protocol headings and text-only lines carry no value of their own (tshark prints their label
        // or "1" for them), so only fields with values are compared.
        List<String> fields = new ArrayList<>();
        FieldRegistry.all().forEach((name, def) -> {
            if (tsharkNames.contains(name) && def.type() != FieldType.PROTOCOL && def.type() != FieldType.NONE) {
                fields.add(name);
            }
        });
        assertThat(fields).as("stacklab fields that tshark knows").containsAll(REQUIRED_FIELDS);
        return fields;
    }

    private List<String[]> tsharkFields(List<String> fields) {
        List<String> command = new ArrayList<>(List.of("tshark", "-o", CHECK_IP_CHECKSUMS, "-r", capture.toString(), "-T", "fields",
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
        List<String> command = new ArrayList<>(List.of("decode"));
        command.addAll(List.of(args));
        CommandRun run = CommandRun.of(command.toArray(String[]::new));
        assertThat(run.exitCode()).as("decode exit code; stderr: %s", run.err()).isZero();
        return run.out();
    }

    private static String abbreviate(String value) {
        return value.length() > 80 ? value.substring(0, 77) + "..." : value;
    }
}
