package dev.stacklab.dissect;

import dev.stacklab.capture.CaptureReader;
import dev.stacklab.testsupport.Prerequisites;
import dev.stacklab.testsupport.Processes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Follow TCP/UDP Stream gives, byte for byte, what {@code tshark -q -z follow,tcp,ascii,N} gives, for every stream
 * of captures of real programs: HTTP, TLS, FTP and SMTP sessions, DNS over UDP, and the TCP analysis captures
 * whose retransmissions, out-of-order segments and segments missing from the capture test the reassembly.
 */
class StreamFollowerAgainstTsharkTest {
    private static final Path DIR = Path.of("src/test/resources/dev/stacklab/dissect");

    @ParameterizedTest
    @ValueSource(strings = {"http.pcap", "tls.pcap", "ftp.pcap", "smtp.pcap", "tcp-analysis-client.pcap", "tcp-analysis-server.pcap",
            "tcp-analysis-missed.pcap", "dns.pcap", "ntp-ssdp.pcap", "cooked-v2.pcap"})
    void everyStreamFollowsAsTsharkFollowsIt(String capture) throws IOException {
        Prerequisites.requireCommand("tshark");
        Path file = DIR.resolve(capture);
        int streams = 0;
        for (StreamFollower.Protocol protocol : StreamFollower.Protocol.values()) {
            Map<Long, StreamFollower> followers = followAll(file, protocol);
            if (followers.isEmpty()) {
                continue;
            }
            // One tshark run follows every stream (one -z each); it prints them in an order of its own.
            List<String> command = new ArrayList<>(List.of("-r", file.toString(), "-q"));
            for (long index : followers.keySet()) {
                command.addAll(List.of("-z", "follow," + protocol.filterName() + ",ascii," + index));
            }
            Map<String, String> theirs = byFilter(tshark(command.toArray(String[]::new)));
            assertThat(theirs).as("streams tshark followed in %s", capture).hasSize(followers.size());
            for (var entry : followers.entrySet()) {
                String filter = protocol.filter(entry.getKey());
                assertThat(StreamFollower.asTsharkAscii(entry.getValue().result())).as("%s %s", capture, filter).isEqualTo(theirs.get(filter));
                streams++;
            }
        }
        assertThat(streams).as("streams in %s", capture).isPositive();
    }

    /** Dissects the capture in order with one dissector, as the app does, following every stream of {@code protocol}. */
    private static Map<Long, StreamFollower> followAll(Path file, StreamFollower.Protocol protocol) throws IOException {
        Map<Long, StreamFollower> followers = new TreeMap<>();
        String streamField = protocol.filterName() + ".stream";
        Dissector dissector = new Dissector();
        try (CaptureReader reader = CaptureReader.open(file)) {
            int number = 0;
            while (reader.next()) {
                if (number == 0) {
                    dissector.linkType(reader.linkType());
                }
                number++;
                FrameTree tree = dissector.dissect(reader.timestampNanos(), reader.data(), reader.capturedLength(), reader.originalLength());
                for (FieldNode layer : tree.layers()) {
                    FieldNode stream = layer.name().equals(protocol.filterName()) ? layer.find(streamField) : null;
                    if (stream != null) {
                        long index = stream.value();
                        followers.computeIfAbsent(index, i -> new StreamFollower(protocol, i)).add(number, tree);
                        break;
                    }
                }
            }
        }
        return followers;
    }

    /** tshark's follow output cut into each stream's part (from the blank line before its rule), by its Filter line. */
    private static Map<String, String> byFilter(String output) {
        String start = "\n" + "=".repeat(67) + "\nFollow: ";
        Map<String, String> parts = new LinkedHashMap<>();
        int at = output.indexOf(start);
        while (at >= 0) {
            int next = output.indexOf(start, at + 1);
            String part = next < 0 ? output.substring(at) : output.substring(at, next);
            int filter = part.indexOf("Filter: ");
            parts.put(part.substring(filter + "Filter: ".length(), part.indexOf('\n', filter)), part);
            at = next;
        }
        return parts;
    }

    private static String tshark(String... args) {
        List<String> command = new ArrayList<>(List.of("tshark"));
        command.addAll(List.of(args));
        return Processes.run(command, 120).orThrow(command).stdout();
    }
}
