package dev.stacklab.dissect;

import dev.stacklab.capture.CaptureReader;
import dev.stacklab.capture.SampleCapture;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Dissector#matches} makes only the nodes a filter reads: it must select exactly the frames that the filter
 * selects on whole trees, frame after frame (cross-frame state, "displayed" times), for every kind of field a filter
 * can read: protocols, numbers, flags, addresses either way, strings, bytes and slices, expert notes, generated
 * analysis fields, reassembled datagrams, malformed frames, and fields read from the rest of the tree.
 */
class FilterOnlyTreesTest {
    private static final List<String> FILTERS = List.of(
            "tcp", "arp", "icmp", "udp", "ip", "eth", "data",
            "tcp.flags.reset == 1 || icmp.type == 3", "tcp.flags.syn == 1 && tcp.flags.ack == 0",
            "tcp.port == 80", "udp.port in {7, 53, 9999}", "ip.addr == 10.0.0.1", "ip.src != 10.0.0.1", "all ip.src == 10.0.0.2",
            "eth.addr == ff:ff:ff:ff:ff:ff", "eth.src[0:3] == 02:00:00", "ip.ttl < 64", "ip.ttl >= 64",
            "ip.flags.mf == 1 || ip.frag_offset > 0", "ip.fragments && ip.reassembled.length > 1000", "ip.checksum.status == 0",
            "frame.len > 100", "frame.number >= 10 && frame.number <= 20", "frame.time_delta_displayed > 0.001",
            "frame.time_relative < 1", "frame.protocols contains \"icmp\"", "_ws.malformed", "_ws.expert.message",
            "_ws.expert.message contains \"reset\"",
            "tcp.analysis.acks_frame", "tcp.analysis.bytes_in_flight > 100", "tcp.len > 0", "tcp.seq == 1", "tcp.stream == 1", "tcp.options.mss_val == 1460",
            "icmp.seq == 1", "icmp.resptime > 0", "icmp.resp_to", "arp.opcode == 2", "arp.duplicate-address-detected",
            "data.data contains 68:65", "udp.length > 8 and not icmp", "!(tcp or udp)", "tcp.srcport > tcp.dstport");

    @Test
    void selectsTheFramesWholeTreesSelect() throws IOException, DisplayFilterException {
        List<Capture> captures = List.of(
                read("sample", SampleCapture.open()),
                read("l3-kernel", FilterOnlyTreesTest.class.getResourceAsStream("l3-kernel.pcap")),
                read("l3-crafted", FilterOnlyTreesTest.class.getResourceAsStream("l3-crafted.pcap")),
                read("ping-lo", FilterOnlyTreesTest.class.getResourceAsStream("/dev/stacklab/capture/ping-lo.pcapng")));
        int partial = 0;
        for (String text : FILTERS) {
            DisplayFilter filter = DisplayFilter.compile(text);
            for (Capture capture : captures) {
                List<Integer> whole = new ArrayList<>();
                List<Integer> filterOnly = new ArrayList<>();
                Dissector wholeTrees = new Dissector();
                Dissector filterTrees = new Dissector();
                for (int i = 0; i < capture.frames.size(); i++) {
                    byte[] frame = capture.frames.get(i);
                    long time = capture.times.get(i);
                    if (filter.matches(wholeTrees.dissect(time, frame, frame.length, capture.originalLengths.get(i)))) {
                        whole.add(i + 1);
                    } else {
                        wholeTrees.frameFilteredOut();
                    }
                    if (filterTrees.matches(filter, time, frame, frame.length, capture.originalLengths.get(i))) {
                        filterOnly.add(i + 1);
                    } else {
                        filterTrees.frameFilteredOut();
                    }
                }
                assertThat(filterOnly).as("%s on %s", text, capture.name).isEqualTo(whole);
                if (!whole.isEmpty() && whole.size() < capture.frames.size()) {
                    partial++;
                }
            }
        }
        // The comparison means something only if the filters select some frames and leave others.
        assertThat(partial).isGreaterThan(60);
    }

    /**
     * The app's filter splits a big capture between two threads: the second dissector summarizes the first part
     * and filters the rest. It must select in the rest what one pass over everything selects there.
     */
    @Test
    void aDissectorBroughtUpBySummariesFiltersAsOnePass() throws IOException, DisplayFilterException {
        List<Capture> captures = List.of(
                read("sample", SampleCapture.open()),
                read("l3-kernel", FilterOnlyTreesTest.class.getResourceAsStream("l3-kernel.pcap")),
                read("l3-crafted", FilterOnlyTreesTest.class.getResourceAsStream("l3-crafted.pcap")));
        int compared = 0;
        for (String text : FILTERS) {
            DisplayFilter filter = DisplayFilter.compile(text);
            if (filter.reads("frame.time_delta_displayed")) {
                continue;
            }
            for (Capture capture : captures) {
                int frames = capture.frames.size();
                List<Integer> onePass = new ArrayList<>();
                Dissector whole = new Dissector();
                for (int i = 0; i < frames; i++) {
                    if (whole.matches(filter, capture.times.get(i), capture.frames.get(i), capture.frames.get(i).length, capture.originalLengths.get(i))) {
                        onePass.add(i + 1);
                    } else {
                        whole.frameFilteredOut();
                    }
                }
                for (int split = 1; split < frames; split += Math.max(1, frames / 9)) {
                    Dissector second = new Dissector();
                    for (int i = 0; i < split; i++) {
                        second.summarize(capture.times.get(i), capture.frames.get(i), capture.frames.get(i).length, capture.originalLengths.get(i));
                    }
                    List<Integer> rest = new ArrayList<>();
                    for (int i = split; i < frames; i++) {
                        if (second.matches(filter, capture.times.get(i), capture.frames.get(i), capture.frames.get(i).length, capture.originalLengths.get(i))) {
                            rest.add(i + 1);
                        } else {
                            second.frameFilteredOut();
                        }
                    }
                    int from = split + 1;
                    assertThat(rest).as("%s on %s from frame %d", text, capture.name, from)
                            .isEqualTo(onePass.stream().filter(number -> number >= from).toList());
                    compared++;
                }
            }
        }
        assertThat(compared).isGreaterThan(1000);
    }

    /** A filter skips a whole layer it reads nothing of only where that layer's subtree holds its own fields alone. */
    @Test
    void selfContainedLayersHoldOnlyTheirOwnFields() throws IOException {
        List<Capture> captures = List.of(
                read("sample", SampleCapture.open()),
                read("l3-kernel", FilterOnlyTreesTest.class.getResourceAsStream("l3-kernel.pcap")),
                read("l3-crafted", FilterOnlyTreesTest.class.getResourceAsStream("l3-crafted.pcap")),
                read("ping-lo", FilterOnlyTreesTest.class.getResourceAsStream("/dev/stacklab/capture/ping-lo.pcapng")));
        java.util.Set<String> layersSeen = new java.util.TreeSet<>();
        for (Capture capture : captures) {
            Dissector dissector = new Dissector();
            for (int i = 0; i < capture.frames.size(); i++) {
                byte[] frame = capture.frames.get(i);
                FrameTree tree = dissector.dissect(capture.times.get(i), frame, frame.length, capture.originalLengths.get(i));
                for (FieldNode layer : tree.layers()) {
                    String name = layer.name();
                    if (!FilterFields.SELF_CONTAINED_LAYERS.contains(name)) {
                        continue;
                    }
                    layersSeen.add(name);
                    int number = i + 1;
                    layer.forEach(node -> assertThat(node.name()).as("%s frame %d, under %s", capture.name, number, name)
                            .matches(field -> field.equals(name) || field.startsWith(name + ".") || field.startsWith("_ws."),
                                    "is " + name + "'s own or an expert note"));
                }
            }
        }
        assertThat(layersSeen).containsExactlyInAnyOrderElementsOf(FilterFields.SELF_CONTAINED_LAYERS);
    }

    private record Capture(String name, List<byte[]> frames, List<Long> times, List<Integer> originalLengths) {
    }

    private static Capture read(String name, InputStream in) throws IOException {
        assertThat(in).as(name).isNotNull();
        List<byte[]> frames = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        List<Integer> originalLengths = new ArrayList<>();
        try (CaptureReader reader = CaptureReader.open(in)) {
            while (reader.next()) {
                frames.add(Arrays.copyOf(reader.data(), reader.capturedLength()));
                times.add(reader.timestampNanos());
                originalLengths.add(reader.originalLength());
            }
        }
        return new Capture(name, frames, times, originalLengths);
    }
}
