package dev.stacklab.dissect;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link CaptureStatistics} over {@link FilterTestFrames}' nine real frames (ARP both ways, a ping, UDP to a closed port
 * and the ICMP error quoting it, a TCP SYN and SYN/ACK, a RST from another host; frame i at i-1 seconds), a cut frame,
 * and none. The figures are worked out from the frames by hand in each test's comment.
 */
class CaptureStatisticsTest {
    private static final long SECOND = 1_000_000_000L;

    private static CaptureStatistics statisticsOf(List<byte[]> frames) {
        Dissector dissector = new Dissector();
        CaptureStatistics statistics = new CaptureStatistics();
        for (int i = 0; i < frames.size(); i++) {
            byte[] frame = frames.get(i);
            long time = 1_700_000_000L * SECOND + i * SECOND;
            statistics.add(i + 1, time, dissector.dissect(time, frame, frame.length, frame.length));
        }
        return statistics;
    }

    private static List<byte[]> nineFrames() {
        return FilterTestFrames.FRAMES.stream().map(HexFormat.of()::parseHex).toList();
    }

    private static long length(int frameNumber) {
        return FilterTestFrames.FRAMES.get(frameNumber - 1).length() / 2;
    }

    @Test
    void aConversationsAIsTheSenderOfItsFirstFrameAndTheQuotedDatagramMakesNone() {
        CaptureStatistics statistics = statisticsOf(nineFrames());
        assertThat(statistics.frames()).isEqualTo(9);
        // 10.0.0.1 sent frames 3, 5 and 7 to 10.0.0.2, which sent 4, 6 (the ICMP error) and 8 back; 192.168.1.5 sent 9.
        List<Conversation> ip = statistics.conversations(ConversationType.IPV4);
        assertThat(ip).hasSize(2);
        Conversation pair = ip.get(0);
        assertThat(pair.addressA()).isEqualTo("10.0.0.1");
        assertThat(pair.addressB()).isEqualTo("10.0.0.2");
        assertThat(pair.portA()).isEqualTo(-1);
        assertThat(pair.framesAToB()).isEqualTo(3);
        assertThat(pair.bytesAToB()).isEqualTo(length(3) + length(5) + length(7));
        assertThat(pair.framesBToA()).isEqualTo(3);
        assertThat(pair.bytesBToA()).isEqualTo(length(4) + length(6) + length(8));
        assertThat(pair.relativeStartNanos()).isEqualTo(2 * SECOND);
        assertThat(pair.durationNanos()).isEqualTo(5 * SECOND);
        assertThat(pair.filter()).isEqualTo("ip.addr==10.0.0.1 && ip.addr==10.0.0.2");
        assertThat(ip.get(1).addressA()).isEqualTo("192.168.1.5");
        assertThat(ip.get(1).framesBToA()).isZero();

        // The UDP datagram quoted in frame 6 is not a second UDP frame.
        List<Conversation> udp = statistics.conversations(ConversationType.UDP);
        assertThat(udp).singleElement().satisfies(conversation -> {
            assertThat(conversation.frames()).isEqualTo(1);
            assertThat(conversation.addressA() + ":" + conversation.portA()).isEqualTo("10.0.0.1:40000");
        });

        // The SYN's sender is A, its port first: the bigger conversation (2 frames) before the RST's (1).
        List<Conversation> tcp = statistics.conversations(ConversationType.TCP);
        assertThat(tcp).extracting(Conversation::frames).containsExactly(2L, 1L);
        assertThat(tcp.get(0).filter()).isEqualTo("ip.addr==10.0.0.1 && tcp.port==54838 && ip.addr==10.0.0.2 && tcp.port==80");
        assertThat(tcp.get(0).relativeStartNanos()).isEqualTo(6 * SECOND);
        assertThat(tcp.get(0).durationNanos()).isEqualTo(SECOND);
        assertThat(tcp.get(1).addressA() + ":" + tcp.get(1).portA()).isEqualTo("192.168.1.5:443");
        assertThat(statistics.conversations(ConversationType.IPV6)).isEmpty();

        // Ethernet: 02:..:01 broadcast the ARP request (frame 1); every other frame is between 02:..:01 and 02:..:02,
        // but frame 9 came from 00:1b:21:aa:bb:cc.
        List<Conversation> ethernet = statistics.conversations(ConversationType.ETHERNET);
        assertThat(ethernet).extracting(Conversation::frames).containsExactly(7L, 1L, 1L);
        assertThat(ethernet.get(0).addressA()).isEqualTo("02:00:00:00:00:02");
        assertThat(ethernet.get(1).addressB()).isEqualTo("ff:ff:ff:ff:ff:ff");
    }

    @Test
    void endpointsCountWhatEachSentAndReceived() {
        CaptureStatistics statistics = statisticsOf(nineFrames());
        List<Endpoint> ip = statistics.endpoints(ConversationType.IPV4);
        assertThat(ip).extracting(Endpoint::address).containsExactly("10.0.0.1", "10.0.0.2", "192.168.1.5");
        Endpoint host = ip.get(0);
        assertThat(host.txFrames()).isEqualTo(3);
        assertThat(host.txBytes()).isEqualTo(length(3) + length(5) + length(7));
        assertThat(host.rxFrames()).isEqualTo(4);
        assertThat(host.rxBytes()).isEqualTo(length(4) + length(6) + length(8) + length(9));
        assertThat(host.frames()).isEqualTo(7);
        assertThat(host.bytes()).isEqualTo(host.txBytes() + host.rxBytes());
        assertThat(host.port()).isEqualTo(-1);
        assertThat(host.filter()).isEqualTo("ip.addr==10.0.0.1");

        List<Endpoint> tcp = statistics.endpoints(ConversationType.TCP);
        assertThat(tcp).hasSize(4);
        assertThat(tcp).filteredOn(endpoint -> endpoint.port() == 80).singleElement().satisfies(server -> {
            assertThat(server.txFrames()).isEqualTo(1);
            assertThat(server.rxFrames()).isEqualTo(1);
            assertThat(server.filter()).isEqualTo("ip.addr==10.0.0.2 && tcp.port==80");
        });
    }

    @Test
    void theHierarchyNestsEachLayerUnderTheOneBefore() {
        ProtocolNode root = statisticsOf(nineFrames()).protocolHierarchy();
        assertThat(root.protocol()).isEqualTo("frame");
        assertThat(root.frames()).isEqualTo(9);
        ProtocolNode eth = root.children().get(0);
        assertThat(eth.protocol()).isEqualTo("eth");
        assertThat(eth.label()).isEqualTo("Ethernet II");
        assertThat(eth.frames()).isEqualTo(9);
        // First seen first: ARP (frames 1, 2), then IPv4 (3 to 9).
        assertThat(eth.children()).extracting(ProtocolNode::protocol).containsExactly("arp", "ip");
        ProtocolNode ip = eth.children().get(1);
        assertThat(ip.frames()).isEqualTo(7);
        assertThat(ip.bytes()).isEqualTo(length(3) + length(4) + length(5) + length(6) + length(7) + length(8) + length(9));
        // ICMP: the ping and the error, whose quoted headers are inside the ICMP layer, not levels of their own; the
        // quoted datagram's payload is a Data layer after ICMP's, in tshark's tree as in stacklab's.
        assertThat(ip.children()).extracting(ProtocolNode::protocol, ProtocolNode::frames)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("icmp", 3L), org.assertj.core.groups.Tuple.tuple("udp", 1L),
                        org.assertj.core.groups.Tuple.tuple("tcp", 3L));
        assertThat(ip.children().get(0).children()).extracting(ProtocolNode::protocol, ProtocolNode::frames, ProtocolNode::bytes)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("data", 1L, length(6)));
        assertThat(ip.children().get(1).children()).extracting(ProtocolNode::protocol).containsExactly("data");
        assertThat(TsharkStatisticsText.protocolHierarchy(root)).contains("\neth                                      frames:9 bytes:")
                .contains("\n    udp                                  frames:1 bytes:60\n      data ");
    }

    @Test
    void expertItemsAreMostSevereFirstWithTheirFrames() {
        List<byte[]> frames = new java.util.ArrayList<>(nineFrames());
        // The RST again, later: one row, two frames.
        frames.add(frames.get(8));
        List<ExpertItem> items = statisticsOf(frames).expertItems();
        assertThat(items.get(0).severity()).isEqualTo("Warning");
        ExpertItem reset = items.stream().filter(item -> item.summary().equals("Connection reset (RST)")).findFirst().orElseThrow();
        assertThat(reset.group()).isEqualTo("Sequence");
        assertThat(reset.protocol()).isEqualTo("TCP");
        assertThat(reset.count()).isEqualTo(2);
        assertThat(reset.frameNumbers()).containsExactly(9, 10);
        ExpertItem syn = items.stream().filter(item -> item.summary().startsWith("Connection establish request (SYN)")).findFirst().orElseThrow();
        assertThat(syn.severity()).isEqualTo("Chat");
        assertThat(syn.frameNumbers()).containsExactly(7);
        List<String> severities = items.stream().map(ExpertItem::severity).toList();
        List<String> order = List.of("Error", "Warning", "Note", "Chat", "Comment");
        assertThat(severities).isSortedAccordingTo((a, b) -> Integer.compare(order.indexOf(a), order.indexOf(b)));
        assertThat(TsharkStatisticsText.expert(items)).startsWith("\nWarns (");
        assertThat(new ExpertItem("Chat", "Sequence", "TCP", "x", 1, new int[] {3}))
                .isEqualTo(new ExpertItem("Chat", "Sequence", "TCP", "x", 1, new int[] {3}));
    }

    @Test
    void anEmptyCaptureHasEmptyTables() {
        CaptureStatistics statistics = new CaptureStatistics();
        assertThat(statistics.frames()).isZero();
        for (ConversationType type : ConversationType.values()) {
            assertThat(statistics.conversations(type)).isEmpty();
            assertThat(statistics.endpoints(type)).isEmpty();
            assertThat(TsharkStatisticsText.conversations(type, List.of()).lines()).hasSize(6);
            assertThat(TsharkStatisticsText.endpoints(type, List.of()).lines()).hasSize(5);
        }
        assertThat(statistics.protocolHierarchy()).isEqualTo(new ProtocolNode("frame", "Frame", 0, 0, List.of()));
        assertThat(statistics.expertItems()).isEmpty();
        assertThat(TsharkStatisticsText.expert(List.of())).isEmpty();
    }

    @Test
    void aCutFrameIsAMalformedPacketInTheHierarchyAndTheExpertItems() {
        // Frame 5 cut inside its IPv4 header: the Ethernet header is whole, the datagram is not.
        byte[] cut = Arrays.copyOf(nineFrames().get(4), 14 + 12);
        CaptureStatistics statistics = statisticsOf(List.of(cut));
        assertThat(statistics.conversations(ConversationType.ETHERNET)).singleElement()
                .satisfies(conversation -> assertThat(conversation.bytes()).isEqualTo(26));
        assertThat(statistics.conversations(ConversationType.IPV4)).isEmpty();
        ProtocolNode eth = statistics.protocolHierarchy().children().get(0);
        assertThat(eth.protocol()).isEqualTo("eth");
        assertThat(eth.children().toString()).contains("_ws.malformed");
        assertThat(statistics.expertItems()).anySatisfy(item -> {
            assertThat(item.severity()).isEqualTo("Error");
            assertThat(item.group()).isEqualTo("Malformed");
            assertThat(item.summary()).isEqualTo("Malformed Packet (Exception occurred)");
            assertThat(item.frameNumbers()).containsExactly(1);
        });
    }

    @Test
    void sizesAreWiresharksWords() {
        assertThat(TsharkStatisticsText.size(0)).isEqualTo("0 bytes");
        assertThat(TsharkStatisticsText.size(9_999)).isEqualTo("9999 bytes");
        assertThat(TsharkStatisticsText.size(10_000)).isEqualTo("10 kB");
        assertThat(TsharkStatisticsText.size(9_999_999)).isEqualTo("9999 kB");
        assertThat(TsharkStatisticsText.size(10_000_000)).isEqualTo("10 MB");
        assertThat(TsharkStatisticsText.size(25_000_000_000L)).isEqualTo("25 GB");
    }
}
