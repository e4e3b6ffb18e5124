package dev.stacklab.app.capture;

import dev.stacklab.capture.CaptureReader;
import dev.stacklab.capture.LinkType;
import dev.stacklab.capture.SampleCapture;
import dev.stacklab.dissect.DisplayFilter;
import dev.stacklab.dissect.DisplayFilterException;
import dev.stacklab.dissect.Dissector;
import dev.stacklab.dissect.FrameTree;
import dev.stacklab.dissect.SummaryBatch;
import dev.stacklab.wire.BigEndian;
import dev.stacklab.wire.Checksum;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rows are coloured from bytes and summaries at arrival; each decision must be the one Wireshark's rule makes when
 * its filter is evaluated on the full tree by the dissector (first matching rule wins), on real and damaged frames.
 */
class ColouringRuleTest {
    /** Wireshark's rule filters, as the dissector's filter language spells them (eth[0] & 1 is eth.dst.ig). */
    private static final Map<ColouringRule, String> FILTERS = new EnumMap<>(Map.ofEntries(
            Map.entry(ColouringRule.MALFORMED, "_ws.malformed"),
            Map.entry(ColouringRule.BAD_TCP,
                    "tcp.analysis.flags && !tcp.analysis.window_update && !tcp.analysis.keep_alive && !tcp.analysis.keep_alive_ack"),
            Map.entry(ColouringRule.ICMP_ERROR, "icmp.type in {3, 4, 5, 11} || icmpv6.type in {1, 2, 3, 4}"),
            Map.entry(ColouringRule.ARP, "arp"),
            Map.entry(ColouringRule.ICMP, "icmp || icmpv6"),
            Map.entry(ColouringRule.TCP_RST, "tcp.flags.reset == 1"),
            Map.entry(ColouringRule.TTL_LOW, "(ip.dst != 224.0.0.0/4 && ip.ttl < 5) || (ip.dst == 224.0.0.0/24 && ip.dst != 224.0.0.251 && ip.ttl != 1)"),
            Map.entry(ColouringRule.CHECKSUM_ERROR, "ip.checksum.status == 0"),
            Map.entry(ColouringRule.HTTP, "http || tcp.port == 80"),
            Map.entry(ColouringRule.TCP_SYN_FIN, "tcp.flags.syn == 1 || tcp.flags.fin == 1"),
            Map.entry(ColouringRule.TCP, "tcp"),
            Map.entry(ColouringRule.UDP, "udp"),
            Map.entry(ColouringRule.BROADCAST, "eth.dst.ig == 1")));

    @TempDir
    Path temp;

    @Test
    void eachFrameGetsTheFirstRuleWhoseFilterMatchesItsTree() throws IOException, DisplayFilterException {
        Map<ColouringRule, DisplayFilter> compiled = new EnumMap<>(ColouringRule.class);
        for (var entry : FILTERS.entrySet()) {
            compiled.put(entry.getKey(), DisplayFilter.compile(entry.getValue()));
        }
        List<byte[]> frames = new ArrayList<>();
        frames.addAll(read(CaptureReader.open(CaptureTestSupport.synthCapture(temp.resolve("synth.pcap"), 32))));
        frames.addAll(read(CaptureReader.open(SampleCapture.open())));
        frames.addAll(read(CaptureReader.open(Path.of("src/test/resources/dev/stacklab/dissect/l3-kernel.pcap"))));
        frames.addAll(read(CaptureReader.open(Path.of("src/test/resources/dev/stacklab/dissect/l3-crafted.pcap"))));
        frames.addAll(crafted(frames.get(4), frames.get(2), frames.get(14), frames.get(32 + 24 + 12 + 6)));

        Set<ColouringRule> seen = EnumSet.noneOf(ColouringRule.class);
        Dissector summaries = new Dissector();
        Dissector trees = new Dissector();
        // The app takes each frame's columns from a batch (no FrameSummary made): it must colour and read alike.
        Dissector batched = new Dissector();
        SummaryBatch columns = new SummaryBatch(1);
        for (int i = 0; i < frames.size(); i++) {
            byte[] frame = frames.get(i);
            var summary = summaries.summarize(0, frame, frame.length, frame.length);
            columns.clear();
            batched.summarizeInto(0, frame, frame.length, frame.length, columns);
            assertThat(columns.number(0)).isEqualTo(summary.number());
            assertThat(columns.source(0)).isEqualTo(summary.source());
            assertThat(columns.destination(0)).isEqualTo(summary.destination());
            assertThat(columns.protocol(0)).isEqualTo(summary.protocol());
            assertThat(new String(columns.infoChars(), columns.infoStart(0), columns.infoEnd(0) - columns.infoStart(0))).isEqualTo(summary.info());
            assertThat(columns.malformed(0)).isEqualTo(summary.malformed());
            FrameTree tree = trees.dissect(0, frame, frame.length, frame.length);
            ColouringRule expected = ColouringRule.NONE;
            for (ColouringRule rule : ColouringRule.values()) {
                DisplayFilter filter = compiled.get(rule);
                if (filter != null && filter.matches(tree)) {
                    expected = rule;
                    break;
                }
            }
            assertThat(ColouringRule.of(LinkType.ETHERNET, frame, frame.length, summary, false)).as("frame %d: %s", i + 1, summary.info()).isEqualTo(expected);
            assertThat(ColouringRule.of(LinkType.ETHERNET, frame, frame.length, columns, 0, false)).as("frame %d from its columns", i + 1).isEqualTo(expected);
            seen.add(expected);
        }
        assertThat(seen).containsAll(EnumSet.complementOf(EnumSet.of(ColouringRule.DROPPED, ColouringRule.NONE)));
        assertThat(ColouringRule.of(LinkType.ETHERNET, frames.get(0), frames.get(0).length, summaries.summarize(0, frames.get(0), 42, 42), true))
                .isEqualTo(ColouringRule.DROPPED);
    }

    /** Frames the captures lack: a TCP segment to port 80, a bad IPv4 checksum, a low TTL, local multicast, broadcast. */
    private static List<byte[]> crafted(byte[] tcpSyn, byte[] icmpRequest, byte[] udp, byte[] otherEtherType) {
        List<byte[]> made = new ArrayList<>();
        byte[] udpBadChecksum = udp.clone();
        udpBadChecksum[14 + 8] = 63;
        made.add(udpBadChecksum);
        byte[] broadcast = otherEtherType.clone();
        Arrays.fill(broadcast, 0, 6, (byte) 0xFF);
        made.add(broadcast);
        byte[] http = tcpSyn.clone();
        BigEndian.putU16(http, 14 + 20 + 2, 80);
        made.add(http);
        byte[] badChecksum = icmpRequest.clone();
        badChecksum[14 + 8] = 63;
        made.add(badChecksum);
        byte[] lowTtl = icmpRequest.clone();
        lowTtl[14 + 8] = 3;
        fixIpChecksum(lowTtl);
        made.add(lowTtl);
        byte[] lowTtlTcp = tcpSyn.clone();
        lowTtlTcp[14 + 8] = 2;
        fixIpChecksum(lowTtlTcp);
        made.add(lowTtlTcp);
        byte[] multicast = tcpSyn.clone();
        BigEndian.putI32(multicast, 14 + 16, 0xE0000005);
        multicast[14 + 8] = 2;
        fixIpChecksum(multicast);
        made.add(multicast);
        byte[] multicastOk = multicast.clone();
        multicastOk[14 + 8] = 1;
        fixIpChecksum(multicastOk);
        made.add(multicastOk);
        return made;
    }

    private static void fixIpChecksum(byte[] frame) {
        BigEndian.putU16(frame, 14 + 10, 0);
        BigEndian.putU16(frame, 14 + 10, Checksum.compute(frame, 14, 20));
    }

    private static List<byte[]> read(CaptureReader reader) throws IOException {
        List<byte[]> frames = new ArrayList<>();
        try (reader) {
            while (reader.next()) {
                frames.add(Arrays.copyOf(reader.data(), reader.capturedLength()));
            }
        }
        return frames;
    }
}
