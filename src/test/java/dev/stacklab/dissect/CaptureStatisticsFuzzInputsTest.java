package dev.stacklab.dissect;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The statistics never throw, whatever the frames: every input {@link DissectorFuzzTest} keeps (damaged headers,
 * fragments, quoted datagrams, every link type) is cut into frames as that harness cuts it, each frame's tree is added
 * to a {@link CaptureStatistics}, and every table, the hierarchy and the expert items are read and printed as tshark's
 * text.
 */
class CaptureStatisticsFuzzInputsTest {
    private static final Path INPUTS = Path.of("src/test/resources/dev/stacklab/dissect/DissectorFuzzTestInputs");
    private static final int[] LINK_TYPES = {113, 276, 101, 228, 1};

    @Test
    void statisticsOverEveryFuzzInputNeverThrow() throws IOException {
        int inputs = 0;
        long frames = 0;
        for (String harness : List.of("dissectFrames", "dissectLinkTypes", "dissectIpv6Packets")) {
            for (Path input : files(INPUTS.resolve(harness))) {
                byte[] bytes = Files.readAllBytes(input);
                frames += statisticsOf(harness, bytes);
                inputs++;
            }
        }
        assertThat(inputs).isGreaterThan(50);
        assertThat(frames).isGreaterThan(inputs);
    }

    /** Feeds the input's frames as the fuzz harness of that name cuts them; returns how many frames were counted. */
    private static long statisticsOf(String harness, byte[] input) {
        Dissector dissector = new Dissector();
        CaptureStatistics statistics = new CaptureStatistics();
        List<byte[]> frames = new ArrayList<>();
        switch (harness) {
            case "dissectFrames" -> {
                frames.add(input);
                frames.addAll(lengthPrefixed(input, 0, 1));
            }
            case "dissectLinkTypes" -> {
                if (input.length == 0) {
                    return 0;
                }
                dissector.linkType(LINK_TYPES[(input[0] & 0xFF) % LINK_TYPES.length]);
                frames.addAll(lengthPrefixed(input, 1, 1));
            }
            default -> {
                dissector.linkType(229);
                frames.addAll(lengthPrefixed(input, 0, 2));
            }
        }
        int number = 0;
        for (byte[] frame : frames) {
            number++;
            // Times going backwards too: a capture's frames need not be in time order.
            long time = (number % 3) * 1_000_000_000L - number;
            statistics.add(number, time, dissector.dissect(time, frame, frame.length, frame.length));
        }
        for (ConversationType type : ConversationType.values()) {
            for (Conversation conversation : statistics.conversations(type)) {
                assertThat(conversation.filter()).isNotEmpty();
            }
            for (Endpoint endpoint : statistics.endpoints(type)) {
                assertThat(endpoint.filter()).isNotEmpty();
            }
            assertThat(TsharkStatisticsText.conversations(type, statistics.conversations(type))).isNotEmpty();
            assertThat(TsharkStatisticsText.endpoints(type, statistics.endpoints(type))).isNotEmpty();
        }
        assertThat(statistics.protocolHierarchy().frames()).isEqualTo(frames.size());
        assertThat(TsharkStatisticsText.protocolHierarchy(statistics.protocolHierarchy())).isNotEmpty();
        for (ExpertItem item : statistics.expertItems()) {
            assertThat(item.frameNumbers()).hasSize(item.count());
        }
        assertThat(TsharkStatisticsText.expert(statistics.expertItems())).isNotNull();
        return statistics.frames();
    }

    private static List<byte[]> lengthPrefixed(byte[] input, int start, int prefixBytes) {
        List<byte[]> frames = new ArrayList<>();
        int position = start;
        while (position + prefixBytes <= input.length) {
            int declared = prefixBytes == 1 ? input[position] & 0xFF : ((input[position] & 0xFF) << 8) | (input[position + 1] & 0xFF);
            int length = Math.min(declared, input.length - position - prefixBytes);
            frames.add(Arrays.copyOfRange(input, position + prefixBytes, position + prefixBytes + length));
            position += prefixBytes + length;
        }
        return frames;
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
