package dev.stacklab.dissect;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever the bytes, the dissector returns a tree and a summary: damage becomes a
 * {@code [Malformed Packet]} node, never an exception and never the "dissector failure" node that
 * {@link Dissector} puts up when a protocol dissector throws (that node marks a bug). The input is
 * also cut into several frames fed to one dissector, to reach the state kept across frames (IP
 * reassembly, TCP conversations).
 *
 * <p>Under {@code mvn verify} this replays the inputs in
 * {@code src/test/resources/dev/stacklab/dissect/DissectorFuzzTestInputs/dissectFrames/};
 * {@code JAZZER_FUZZ=1 mvn -o test -Dtest=DissectorFuzzTest} fuzzes for {@code maxDuration}.
 */
class DissectorFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void dissectFrames(byte[] input) {
        Dissector dissector = new Dissector();
        checkFrame(dissector, input, input.length);
        // Then as a sequence of frames, each prefixed by a one-byte length, so fragments and segments meet.
        int position = 0;
        while (position < input.length) {
            int length = Math.min(input[position] & 0xFF, input.length - position - 1);
            byte[] frame = Arrays.copyOfRange(input, position + 1, position + 1 + length);
            checkFrame(dissector, frame, frame.length);
            FrameSummary summary = dissector.summarize(0, frame, frame.length, frame.length);
            assertThat(summary.info()).isNotNull();
            position += 1 + length;
        }
    }

    /** The link types besides Ethernet, in the order the first input byte picks them. */
    private static final int[] LINK_TYPES = {113, 276, 101, 228, 1};

    /**
     * The other link types (Linux cooked captures v1 and v2, raw IPv4): the first byte picks one, the rest is a
     * sequence of length-prefixed frames as in {@link #dissectFrames}, through one dissector.
     * Inputs in {@code DissectorFuzzTestInputs/dissectLinkTypes/}.
     */
    @FuzzTest(maxDuration = "60s")
    void dissectLinkTypes(byte[] input) {
        if (input.length == 0) {
            return;
        }
        Dissector dissector = new Dissector();
        dissector.linkType(LINK_TYPES[(input[0] & 0xFF) % LINK_TYPES.length]);
        int position = 1;
        while (position < input.length) {
            int length = Math.min(input[position] & 0xFF, input.length - position - 1);
            byte[] frame = Arrays.copyOfRange(input, position + 1, position + 1 + length);
            checkFrame(dissector, frame, frame.length);
            assertThat(dissector.summarize(0, frame, frame.length, frame.length).info()).isNotNull();
            position += 1 + length;
        }
    }

    /**
     * IPv6 packets (LINKTYPE_IPV6), each prefixed by a two-byte length (packets are often longer than 255 bytes), through
     * one dissector: extension headers, fragments and their reassembly, ICMPv6 with Neighbor Discovery and MLD, errors
     * quoting packets, UDP and TCP. Inputs in {@code DissectorFuzzTestInputs/dissectIpv6Packets/}, seeded with the
     * packets of raw-ipv6.pcap (scripts/make-ipv6-captures.sh), one of each kind whole and cut short, and the fragments
     * of its two fragmented pings.
     */
    @FuzzTest(maxDuration = "60s")
    void dissectIpv6Packets(byte[] input) {
        Dissector dissector = new Dissector();
        dissector.linkType(229);
        int position = 0;
        while (position + 2 <= input.length) {
            int length = Math.min(((input[position] & 0xFF) << 8) | (input[position + 1] & 0xFF), input.length - position - 2);
            byte[] frame = Arrays.copyOfRange(input, position + 2, position + 2 + length);
            checkFrame(dissector, frame, frame.length);
            assertThat(dissector.summarize(0, frame, frame.length, frame.length).info()).isNotNull();
            position += 2 + length;
        }
    }

    private static void checkFrame(Dissector dissector, byte[] frame, int length) {
        FrameTree tree = dissector.dissect(0, frame, length, length);
        tree.forEachField(node -> {
            assertThat(node.displayLine()).doesNotContain("dissector failure");
            assertThat(node.offset()).isNotNegative();
            assertThat(node.length()).isNotNegative();
            byte[] source = tree.dataSources().get(node.dataSource()).bytes();
            int sourceLength = tree.dataSources().get(node.dataSource()).length();
            assertThat(node.offset() + node.length()).as("%s ends inside its data source", node.name())
                    .isLessThanOrEqualTo(Math.min(sourceLength, source.length));
            node.fieldValue();
        });
        assertThat(tree.summary().protocol()).isNotNull();
    }
}
