package dev.stacklab.cli;

import dev.stacklab.dissect.FieldRegistry;
import dev.stacklab.dissect.FieldType;
import dev.stacklab.testsupport.Prerequisites;
import dev.stacklab.testsupport.Processes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Holds {@code stacklab decode} against tshark on captures of real traffic kept as test resources, each made again
 * by the script named beside it: summary lines, {@code -V} trees line for line, and every field stacklab knows as
 * {@code tshark -T fields} prints it.
 * <ul>
 *     <li>tcp-analysis-client.pcap, tcp-analysis-server.pcap (scripts/make-tcp-analysis-captures.sh): the Linux
 *     kernel's TCP through a bridge that drops, reorders and duplicates data, a receiver that stops reading, idle
 *     connections with keep-alives, a connection picked up in the middle and one without window scaling, seen from
 *     both ends.</li>
 *     <li>http.pcap, tls.pcap, ftp.pcap, smtp.pcap (scripts/make-http-tls-captures.sh): curl against python3's
 *     http.server and a small HTTP/1.1 server (bodies in many segments, keep-alive, chunked, POST), against openssl
 *     s_server (TLS 1.2 and 1.3), against a small FTP server (listing and download with their data connections), and
 *     sending mail to python3's smtpd (the message reassembled from DATA and shown as IMF).</li>
 *     <li>http-lossy.pcap (the same script): curl --limit-rate fetching 150 kB, then ten responses of 2.5 to 12 kB on one
 *     kept-alive connection, through the bridge dropping, reordering and duplicating data: messages completed by fast
 *     retransmissions and out-of-order segments, held back by plain retransmissions, and requests answered after
 *     others were lost.</li>
 *     <li>cooked-v1.pcap, cooked-v2.pcap, raw-ip.pcap, raw-ipv4.pcapng (scripts/make-cooked-captures.sh): what
 *     {@code tcpdump -i any} writes (Linux cooked captures v1 and v2: ARP, pings over a veth and on loopback, TCP,
 *     UDP and its ICMP error), and the same IP frames as LINKTYPE_RAW in pcap and LINKTYPE_IPV4 in pcapng.</li>
 *     <li>dns.pcap (scripts/make-dns-dhcp-captures.sh): dig and nslookup against dnsmasq over UDP and TCP, a record of
 *     each type (A, AAAA, CNAME, PTR, MX, NS, SOA, TXT, SRV, a private type), EDNS cookies, NXDOMAIN; mDNS and LLMNR
 *     queries and answers with compressed names, cache-flush bits and a query sent again.</li>
 *     <li>dns-tcp.pcap (the same script): DNS over TCP, dig +tcp and a python3 client against dnsmasq: answers of thirty
 *     TXT records spanning segments, two queries in one segment, a length in a segment of its own and one cut in
 *     two.</li>
 *     <li>ipv6-kernel.pcap, ipv6-cooked.pcap, raw-ipv6.pcap (scripts/make-ipv6-captures.sh): IPv6 between three
 *     namespaces, a host, a router running dnsmasq and a host behind it: Duplicate Address Detection, MLDv1 and v2
 *     reports and queries, router and neighbor solicitations and advertisements, a redirect, pings (fragmented too),
 *     the errors the kernel sends (time exceeded, packet too big, port and parameter problems, quoting the packet),
 *     hop-by-hop, destination options and routing headers, UDP and TCP; on Ethernet, as tcpdump -i any writes it, and
 *     as LINKTYPE_RAW.</li>
 *     <li>raw-ipv6.pcapng (the same script): raw-ipv6.pcap in pcapng, with packet flags giving each frame's direction
 *     and comments.</li>
 *     <li>pcapng-options.pcapng (scripts/make-pcapng-options-capture.sh): dns.pcap's first frames with every kind of
 *     packet flags, a drop count, a packet id, a queue, a hash and comments (editcap -a).</li>
 *     <li>dhcp.pcap, ntp-ssdp.pcap (the same script): dhclient getting, confirming and releasing a lease from dnsmasq;
 *     sntp asking chronyd the time; SSDP NOTIFY, M-SEARCH and the answer, from python3.</li>
 *     <li>smtp-imf.pcap (scripts/make-smtp-imf-capture.sh): curl sending python3's smtpd a message with a date, display
 *     names, two recipients and a copy, a message ID, a folded subject, a field tshark does not know and a body in
 *     three segments.</li>
 *     <li>dhcpv6.pcap (scripts/make-ipv6-captures.sh): dhclient -6 getting an address from dnsmasq (Solicit, Advertise,
 *     Request, Reply) and releasing it; dhcpv6-crafted.pcap (scripts/make-dhcpv6-crafted-capture.py): what those two do
 *     not send, built after RFC 8415: relayed messages (a relay of a relay too), DUID-EN, -LL and -UUID, IA_TA, IA_PD
 *     with an IA Prefix, Rapid Commit, Interface-Id, Confirm, Renew, Rebind, Decline, Reconfigure, Information-request
 *     and options tshark does not decode.</li>
 * </ul>
 */
class RealCapturesAgainstTsharkTest {
    private static final String CHECK_IP_CHECKSUMS = "ip.check_checksum:TRUE";
    private static final Path RESOURCES = Path.of("src/test/resources/dev/stacklab/dissect");

    static List<String> captures() {
        return List.of("tcp-analysis-client.pcap", "tcp-analysis-server.pcap", "tcp-analysis-missed.pcap", "cooked-v1.pcap",
                "cooked-v2.pcap", "raw-ip.pcap", "raw-ipv4.pcapng", "http.pcap", "http-lossy.pcap", "tls.pcap", "ftp.pcap", "smtp.pcap",
                "dns.pcap", "dns-tcp.pcap", "ipv6-kernel.pcap", "ipv6-cooked.pcap", "raw-ipv6.pcap", "raw-ipv6.pcapng", "dhcp.pcap",
                "ntp-ssdp.pcap", "dhcpv6.pcap", "dhcpv6-crafted.pcap", "smtp-imf.pcap", "pcapng-options.pcapng");
    }

    /**
     * The captures whose -V trees stacklab shows in full. Not yet: TLS's handshake details (certificates, cipher suite
     * lists, JA3), FTP's response code names and working directory.
     */
    static List<String> capturesWithFullTrees() {
        return captures().stream().filter(capture -> !List.of("tls.pcap", "ftp.pcap").contains(capture)).toList();
    }

    /** Layers tshark finds that stacklab does not dissect yet, by capture: frame.protocols agrees up to them. */
    private static final Map<String, String> LAYERS_NOT_DISSECTED = Map.of("tls.pcap", ":x509");

    @BeforeAll
    static void requireTshark() {
        Prerequisites.requireCommand("tshark");
    }

    @ParameterizedTest
    @MethodSource("captures")
    void summaryLinesAreTsharks(String capture) {
        String file = RESOURCES.resolve(capture).toString();
        List<String> theirs = tshark("-r", file);
        // tshark read the capture (the shortest, ntp-ssdp.pcap, is two exchanges: five frames).
        assertThat(theirs).hasSizeGreaterThanOrEqualTo(5);
        assertThat(decode(file)).containsExactlyElementsOf(theirs);
    }

    @ParameterizedTest
    @MethodSource("capturesWithFullTrees")
    void verboseTreesAreTsharksLineForLine(String capture) {
        String file = RESOURCES.resolve(capture).toString();
        List<String> theirs = tshark("-r", file, "-V");
        assertThat(decode("-V", file)).containsExactlyElementsOf(theirs);
    }

    @ParameterizedTest
    @MethodSource("captures")
    void everyFieldIsTsharks(String capture) {
        String file = RESOURCES.resolve(capture).toString();
        List<String> fields = fieldsTsharkKnows();
        List<String> command = new ArrayList<>(List.of("-r", file, "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a",
                "-E", "aggregator=,"));
        for (String field : fields) {
            command.add("-e");
            command.add(field);
        }
        List<String> theirs = tshark(command.toArray(String[]::new));
        List<String> ours = decode("--json", file);
        assertThat(ours).hasSameSizeAs(theirs);
        List<String> differences = new ArrayList<>();
        for (int frame = 0; frame < theirs.size(); frame++) {
            String[] expected = theirs.get(frame).split("\t", -1);
            Map<String, String> actual = FlatJson.parse(ours.get(frame));
            for (int i = 0; i < fields.size(); i++) {
                String want = i < expected.length ? expected[i] : "";
                String got = actual.getOrDefault(fields.get(i), "");
                String notDissected = LAYERS_NOT_DISSECTED.get(capture);
                if (notDissected != null && fields.get(i).equals("frame.protocols") && want.startsWith(got + notDissected)) {
                    // Layers not dissected yet (the certificates' X.509); the rest must agree.
                    continue;
                }
                if (!want.equals(got)) {
                    differences.add("frame " + (frame + 1) + " " + fields.get(i) + ": tshark '" + want + "', stacklab '" + got + "'");
                }
            }
        }
        assertThat(differences).as("fields where stacklab and tshark disagree").isEmpty();
    }

    /** The captures show what the analysis is for; agreeing on frames without any of it would prove little. */
    @Test
    void theCapturesShowEveryKindOfTcpAnalysis() {
        Set<String> infos = new HashSet<>();
        Set<String> scaleFactors = new HashSet<>();
        for (String capture : captures()) {
            String file = RESOURCES.resolve(capture).toString();
            for (String line : decode(file)) {
                for (int at = line.indexOf("[TCP "); at >= 0; at = line.indexOf("[TCP ", at + 1)) {
                    String note = line.substring(at, line.indexOf(']', at) + 1);
                    infos.add(note.startsWith("[TCP Dup ACK ") ? "[TCP Dup ACK]" : note);
                }
            }
            scaleFactors.addAll(tshark("-r", file, "-T", "fields", "-e", "tcp.window_size_scalefactor"));
        }
        assertThat(infos).contains("[TCP Retransmission]", "[TCP Fast Retransmission]", "[TCP Spurious Retransmission]",
                "[TCP Out-Of-Order]", "[TCP Previous segment not captured]", "[TCP ACKed unseen segment]", "[TCP Dup ACK]", "[TCP Window Full]",
                "[TCP ZeroWindow]", "[TCP Window Update]", "[TCP Keep-Alive]", "[TCP Keep-Alive ACK]");
        assertThat(scaleFactors).contains("-1", "-2", "1024");
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
