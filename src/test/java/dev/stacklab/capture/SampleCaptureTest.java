package dev.stacklab.capture;

import dev.stacklab.dissect.Dissector;
import dev.stacklab.dissect.FrameSummary;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample capture that ships inside stacklab holds what its documentation promises, readable from the
 * classpath (as the jar and the app read it).
 */
class SampleCaptureTest {
    /** What the sample promises, as "protocol info" lines the decoder prints: each must match at least one frame. */
    static final Map<String, Pattern> PROMISED_TRAFFIC = Map.ofEntries(
            Map.entry("ARP request", Pattern.compile("ARP Who has 10\\.77\\.0\\.2\\? Tell 10\\.77\\.0\\.1")),
            Map.entry("ARP reply", Pattern.compile("ARP 10\\.77\\.0\\.2 is at .*")),
            Map.entry("ping request", Pattern.compile("ICMP Echo \\(ping\\) request .*")),
            Map.entry("ping reply", Pattern.compile("ICMP Echo \\(ping\\) reply .*\\(request in \\d+\\)")),
            Map.entry("first fragment", Pattern.compile("IPv4 Fragmented IP protocol \\(proto=ICMP 1, off=0, .*")),
            Map.entry("later fragment", Pattern.compile("IPv4 Fragmented IP protocol \\(proto=ICMP 1, off=1480, .*")),
            Map.entry("TCP SYN", Pattern.compile("TCP \\d+ → 8080 \\[SYN\\] Seq=0 .*")),
            Map.entry("TCP SYN-ACK", Pattern.compile("TCP 8080 → \\d+ \\[SYN, ACK\\] .*")),
            Map.entry("TCP data to the server", Pattern.compile("TCP \\d+ → 8080 \\[PSH, ACK\\] Seq=1 .*Len=6 .*")),
            Map.entry("TCP data from the server", Pattern.compile("TCP 8080 → \\d+ \\[PSH, ACK\\] Seq=1 .*Len=6 .*")),
            Map.entry("TCP close by the client", Pattern.compile("TCP \\d+ → 8080 \\[FIN, ACK\\] .*")),
            Map.entry("TCP close by the server", Pattern.compile("TCP 8080 → \\d+ \\[FIN, ACK\\] .*")),
            Map.entry("refused connection", Pattern.compile("TCP 8081 → \\d+ \\[RST, ACK\\] Seq=1 Ack=1 Win=0 Len=0")),
            Map.entry("UDP to a closed port", Pattern.compile("UDP \\d+ → 9999 Len=\\d+")),
            Map.entry("port unreachable", Pattern.compile("ICMP Destination unreachable \\(Port unreachable\\)")));

    /** "protocol info" of every frame in a capture. */
    static List<String> protocolAndInfo(InputStream capture) throws IOException {
        List<String> lines = new ArrayList<>();
        Dissector dissector = new Dissector();
        try (CaptureReader reader = CaptureReader.open(capture)) {
            while (reader.next()) {
                assertThat(reader.linkType()).isEqualTo(LinkType.ETHERNET);
                FrameSummary summary = dissector.summarize(reader.timestampNanos(), reader.data(), reader.capturedLength(),
                        reader.originalLength());
                assertThat(summary.malformed()).as("frame %d malformed", summary.number()).isFalse();
                lines.add(summary.protocol() + " " + summary.info());
            }
        }
        return lines;
    }

    /** The kinds of {@link #PROMISED_TRAFFIC} that no line shows. */
    static List<String> missingTraffic(List<String> lines) {
        return PROMISED_TRAFFIC.entrySet().stream()
                .filter(kind -> lines.stream().noneMatch(line -> kind.getValue().matcher(line).matches()))
                .map(Map.Entry::getKey).sorted().toList();
    }

    @Test
    void holdsEveryKindOfTrafficItPromises() throws IOException {
        List<String> lines = protocolAndInfo(SampleCapture.open());
        assertThat(lines).hasSizeBetween(15, 60);
        assertThat(missingTraffic(lines)).as("traffic missing from the sample").isEmpty();
    }

    @Test
    void theSampleIsAClassicPcapNamedAsItsResource() throws IOException {
        assertThat(SampleCapture.NAME).endsWith(".pcap");
        try (InputStream in = SampleCapture.class.getResourceAsStream(SampleCapture.NAME);
             CaptureReader reader = CaptureReader.open(SampleCapture.open())) {
            assertThat(in).as("resource " + SampleCapture.NAME).isNotNull();
            assertThat(reader.format()).startsWith("pcap");
        }
    }

    @Test
    void eachOpenIsAFreshStreamFromTheStart() throws IOException {
        try (InputStream first = SampleCapture.open(); InputStream second = SampleCapture.open()) {
            byte[] head = first.readNBytes(24);
            assertThat(second.readNBytes(24)).isEqualTo(head);
            assertThat(first.readAllBytes().length).isGreaterThan(1000);
        }
    }
}
