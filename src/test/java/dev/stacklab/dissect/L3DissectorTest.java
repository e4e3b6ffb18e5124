package dev.stacklab.dissect;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ethernet, VLAN, ARP and IPv4 dissection held against tshark 4.0.17. Every expected value below
 * was printed by {@code tshark -r FILE -T fields -e NAME} (or {@code -V}, or the default summary)
 * for the same frame of the same file.
 *
 * <p>{@code l3-kernel.pcap}: real kernel traffic on a veth pair between two namespaces (MTU 576):
 * ARP request/reply, ping, {@code ping -s 1000} (two fragments each way), {@code ping -R},
 * {@code arping -U} and {@code arping -A}. {@code l3-crafted.pcap}: frames built from those (this
 * kernel has no 802.1Q module): the echo request with an 802.1Q tag and with QinQ tags, padded
 * and trailed frames, an unknown EtherType, broken IPv4 headers and options, fragments out of
 * order, duplicated and overlapping.
 */
class L3DissectorTest {

    @Test
    void arpRequestAndReplyMatchTshark() throws IOException {
        List<FrameTree> trees = dissectAll("l3-kernel.pcap");
        FrameTree request = trees.get(0);
        assertFields(request, "eth.dst", "ff:ff:ff:ff:ff:ff", "eth.src", "02:00:00:00:00:01", "eth.type", "0x0806",
                "eth.addr", "ff:ff:ff:ff:ff:ff,02:00:00:00:00:01", "eth.dst_resolved", "Broadcast",
                "eth.addr_resolved", "Broadcast,02:00:00:00:00:01", "eth.dst.oui", "16777215", "eth.addr.oui", "16777215,131072",
                "eth.lg", "1,1", "eth.ig", "1,0", "eth.dst.ig", "1", "eth.src.ig", "0",
                "arp.hw.type", "1", "arp.proto.type", "0x0800", "arp.hw.size", "6", "arp.proto.size", "4", "arp.opcode", "1",
                "arp.src.hw_mac", "02:00:00:00:00:01", "arp.src.proto_ipv4", "10.0.0.1",
                "arp.dst.hw_mac", "00:00:00:00:00:00", "arp.dst.proto_ipv4", "10.0.0.2", "arp.isgratuitous", "");
        assertSummary(request, "02:00:00:00:00:01", "Broadcast", "ARP", "Who has 10.0.0.2? Tell 10.0.0.1");
        assertThat(request.find("arp").displayLine()).isEqualTo("Address Resolution Protocol (request)");
        assertThat(request.find("eth").displayLine()).isEqualTo(
                "Ethernet II, Src: 02:00:00:00:00:01 (02:00:00:00:00:01), Dst: Broadcast (ff:ff:ff:ff:ff:ff)");
        assertThat(request.find("arp.dst.hw_mac").displayLine()).isEqualTo("Target MAC address: 00:00:00_00:00:00 (00:00:00:00:00:00)");
        assertThat(request.find("eth.dst.lg").displayLine()).isEqualTo(
                ".... ..1. .... .... .... .... = LG bit: Locally administered address (this is NOT the factory default)");

        FrameTree reply = trees.get(1);
        assertFields(reply, "arp.opcode", "2", "arp.src.hw_mac", "02:00:00:00:00:02", "arp.src.proto_ipv4", "10.0.0.2",
                "arp.dst.hw_mac", "02:00:00:00:00:01", "arp.dst.proto_ipv4", "10.0.0.1");
        assertSummary(reply, "02:00:00:00:00:02", "02:00:00:00:00:01", "ARP", "10.0.0.2 is at 02:00:00:00:00:02");
    }

    @Test
    void gratuitousArpIsFlaggedAsWiresharkWordsIt() throws IOException {
        List<FrameTree> trees = dissectAll("l3-kernel.pcap");
        assertFields(trees.get(10), "arp.isgratuitous", "1", "arp.dst.hw_mac", "ff:ff:ff:ff:ff:ff");
        assertThat(trees.get(10).summary().info()).isEqualTo("Gratuitous ARP for 10.0.0.1 (Request)");
        assertThat(trees.get(10).find("arp").displayLine()).isEqualTo("Address Resolution Protocol (request/gratuitous ARP)");
        assertFields(trees.get(11), "arp.isgratuitous", "1", "arp.opcode", "2");
        assertThat(trees.get(11).summary().info()).isEqualTo("Gratuitous ARP for 10.0.0.1 (Reply)");
    }

    @Test
    void echoRequestHeaderMatchesTshark() throws IOException {
        FrameTree echo = dissectAll("l3-kernel.pcap").get(2);
        assertFields(echo, "ip.version", "4", "ip.hdr_len", "20", "ip.dsfield", "0x00", "ip.dsfield.dscp", "0",
                "ip.dsfield.ecn", "0", "ip.len", "84", "ip.id", "0x299b", "ip.flags", "0x02", "ip.flags.rb", "0",
                "ip.flags.df", "1", "ip.flags.mf", "0", "ip.frag_offset", "0", "ip.ttl", "64", "ip.proto", "1",
                "ip.checksum", "0xfd0b", "ip.checksum.status", "1", "ip.src", "10.0.0.1", "ip.dst", "10.0.0.2",
                "ip.addr", "10.0.0.1,10.0.0.2", "ip.src_host", "10.0.0.1", "ip.dst_host", "10.0.0.2",
                "ip.host", "10.0.0.1,10.0.0.2");
        assertThat(echo.summary().source()).isEqualTo("10.0.0.1");
        assertThat(echo.summary().destination()).isEqualTo("10.0.0.2");
        assertThat(echo.find("ip").displayLine()).isEqualTo("Internet Protocol Version 4, Src: 10.0.0.1, Dst: 10.0.0.2");
        assertThat(echo.find("ip.hdr_len").displayLine()).isEqualTo(".... 0101 = Header Length: 20 bytes (5)");
        assertThat(echo.find("ip.flags").displayLine()).isEqualTo("010. .... = Flags: 0x2, Don't fragment");
        assertThat(echo.find("ip.dsfield").displayLine()).isEqualTo("Differentiated Services Field: 0x00 (DSCP: CS0, ECN: Not-ECT)");
        assertThat(echo.find("ip.dsfield.ecn").displayLine())
                .isEqualTo(".... ..00 = Explicit Congestion Notification: Not ECN-Capable Transport (0)");
        // tshark says "[validation disabled]"; stacklab checks and says so, keeping tshark's status value.
        assertThat(echo.find("ip.checksum").displayLine()).isEqualTo("Header Checksum: 0xfd0b [correct]");
        assertThat(echo.findAll("ip.addr")).allMatch(FieldNode::isHidden);
    }

    @Test
    void fragmentsAreReassembledInTheFrameThatCompletesTheDatagram() throws IOException {
        List<FrameTree> trees = dissectAll("l3-kernel.pcap");
        FrameTree first = trees.get(4);
        assertFields(first, "ip.flags", "0x01", "ip.flags.mf", "1", "ip.frag_offset", "0", "ip.len", "572", "data.len", "552",
                "ip.fragment", "", "ip.reassembled_in", "");
        assertSummary(first, "10.0.0.1", "10.0.0.2", "IPv4", "Fragmented IP protocol (proto=ICMP 1, off=0, ID=299d)");

        FrameTree last = trees.get(5);
        assertFields(last, "ip.flags", "0x00", "ip.frag_offset", "69", "ip.len", "476", "ip.fragment", "5,6",
                "ip.fragment.count", "2", "ip.reassembled.length", "1008");
        assertThat(last.find("ip.frag_offset").displayLine()).isEqualTo("...0 0000 0100 0101 = Fragment Offset: 552");
        assertThat(last.find("ip.fragments").displayLine()).isEqualTo("[2 IPv4 Fragments (1008 bytes): #5(552), #6(456)]");
        assertThat(last.findAll("ip.fragment").get(1).displayLine()).isEqualTo("[Frame: 6, payload: 552-1007 (456 bytes)]");
        assertThat(last.fieldValues("ip.fragments")).hasSize(2016).isEqualTo(last.fieldValues("ip.reassembled.data"));
        assertThat(last.dataSources()).hasSize(2);
        assertThat(last.dataSources().get(1).name()).isEqualTo("Reassembled IPv4 (1008 bytes)");
        // The upper layer (here still the placeholder data layer) reads the reassembled buffer, from its start.
        FieldNode upper = last.layers().get(last.layers().size() - 1);
        assertThat(upper.dataSource()).isEqualTo(1);
        assertThat(upper.offset()).isZero();
        assertThat(upper.length()).isEqualTo(1008);
        assertThat(trees.get(7).fieldValues("ip.fragment")).isEqualTo("7,8");
    }

    @Test
    void recordRouteOptionsMatchTshark() throws IOException {
        List<FrameTree> trees = dissectAll("l3-kernel.pcap");
        FrameTree request = trees.get(8);
        assertFields(request, "ip.hdr_len", "60", "ip.options.nop", "01",
                "ip.options.record_route", "0727080a000001" + "00".repeat(32), "ip.opt.type", "1,7",
                "ip.opt.type.copy", "0,0", "ip.opt.type.class", "0,0", "ip.opt.type.number", "1,7", "ip.opt.len", "39",
                "ip.opt.ptr", "8", "ip.rec_rt", "10.0.0.1", "ip.empty_rt", String.join(",", java.util.Collections.nCopies(8, "0.0.0.0")));
        FieldNode route = request.find("ip.options.record_route");
        assertThat(route.displayLine()).isEqualTo("IP Option - Record Route (39 bytes)");
        assertThat(route.children().stream().map(FieldNode::displayLine)).contains("Pointer: 8", "Recorded Route: 10.0.0.1",
                "Empty Route: 0.0.0.0 <- (next)");
        assertThat(request.find("ip.opt.type.number").displayLine()).isEqualTo("...0 0001 = Number: No-Operation (NOP) (1)");
        assertThat(request.find("ip").children().stream().filter(node -> node.name().equals("_ws.text")).map(FieldNode::displayLine))
                .containsExactly("Options: (40 bytes), Record Route");

        FrameTree reply = trees.get(9);
        assertFields(reply, "ip.opt.type", "7,0", "ip.opt.ptr", "16", "ip.rec_rt", "10.0.0.1,10.0.0.2,10.0.0.2",
                "ip.options.eol", "00");
    }

    @Test
    void vlanAndQinQTagsMatchTshark() throws IOException {
        List<FrameTree> trees = dissectAll("l3-crafted.pcap");
        assertFields(trees.get(0), "eth.type", "0x8100", "vlan.priority", "5", "vlan.dei", "0", "vlan.id", "10",
                "vlan.etype", "0x0800", "ip.src", "10.0.0.1");
        assertThat(trees.get(0).find("vlan").displayLine()).isEqualTo("802.1Q Virtual LAN, PRI: 5, DEI: 0, ID: 10");
        assertThat(trees.get(0).find("vlan.priority").displayLine())
                .isEqualTo("101. .... .... .... = Priority: Voice, < 10ms latency and jitter (5)");
        assertFields(trees.get(1), "eth.type", "0x88a8", "ieee8021ad.priority", "0", "ieee8021ad.dei", "1",
                "ieee8021ad.id", "100", "ieee8021ah.etype", "0x8100", "vlan.id", "20", "vlan.etype", "0x0800");
        assertThat(trees.get(1).find("ieee8021ad").displayLine()).isEqualTo("IEEE 802.1ad, ID: 100");
        // A tagged ARP request padded to 64 bytes: 14 bytes of padding to reach 60, the rest a trailer, under the tag.
        FrameTree taggedArp = trees.get(2);
        assertFields(taggedArp, "vlan.id", "10", "vlan.etype", "0x0806", "eth.padding", "00".repeat(14),
                "vlan.trailer", "00000000", "eth.trailer", "", "arp.opcode", "1");
        assertThat(taggedArp.find("vlan").children().stream().map(FieldNode::name)).contains("eth.padding", "vlan.trailer");
    }

    @Test
    void paddingTrailerAndUnknownEtherTypesMatchTshark() throws IOException {
        List<FrameTree> trees = dissectAll("l3-crafted.pcap");
        assertFields(trees.get(3), "eth.padding", "00".repeat(18), "eth.trailer", "");
        // The 18 bytes after the ARP packet are not all zero, so tshark calls them all trailer.
        assertFields(trees.get(4), "eth.padding", "", "eth.trailer", "00".repeat(14) + "deadbeef");
        assertFields(trees.get(5), "eth.padding", "00".repeat(18), "ip.len", "28");
        FrameTree unknown = trees.get(6);
        assertFields(unknown, "eth.type", "0x88b5", "data.len", "50");
        assertSummary(unknown, "02:00:00:00:00:01", "02:00:00:00:00:02", "0x88b5", "Local Experimental Ethertype 1");
        assertThat(trees.get(31).summary().protocol()).isEqualTo("0x8888");
        assertThat(trees.get(31).summary().info()).isEqualTo("PRI: 7  DEI: 0  ID: 5");
    }

    @Test
    void unusualArpOpcodesAndAddressesAreWordedAsWiresharkDoes() throws IOException {
        List<FrameTree> trees = dissectAll("l3-crafted.pcap");
        assertFields(trees.get(26), "arp.hw.type", "32", "arp.hw.size", "20", "arp.src.hw", "000102030405060708090a0b0c0d0e0f10111213",
                "arp.src.hw_mac", "", "arp.src.proto_ipv4", "10.0.0.1");
        assertThat(trees.get(26).find("arp.hw.type").displayLine()).isEqualTo("Hardware type: InfiniBand (32)");
        assertFields(trees.get(27), "arp.proto.type", "0x1234", "arp.src.proto", "1234", "arp.dst.proto", "5678");
        assertThat(trees.get(27).summary().info()).isEqualTo("1234 is at 02:00:00:00:00:01");
        assertSummary(trees.get(28), "02:00:00:00:00:01", "Broadcast", "RARP", "Who is 00:00:00:00:00:00? Tell 02:00:00:00:00:01");
        assertSummary(trees.get(29), "02:00:00:00:00:01", "Broadcast", "Inverse ARP", "02:00:00:00:00:01 is at 10.0.0.1");
        assertSummary(trees.get(30), "02:00:00:00:00:01", "Broadcast", "ARP", "Who has 10.0.0.1? (ARP Probe)");
        assertFields(trees.get(30), "arp.isprobe", "1", "arp.isgratuitous", "");
    }

    @Test
    void outOfOrderDuplicateAndOverlappingFragmentsMatchTshark() throws IOException {
        List<FrameTree> trees = dissectAll("l3-crafted.pcap");
        assertThat(trees.get(19).summary().info()).isEqualTo("Fragmented IP protocol (proto=ICMP 1, off=16, ID=beef)");
        assertThat(trees.get(21).summary().info()).isEqualTo("Fragmented IP protocol (proto=ICMP 1, off=0, ID=beef)");
        FrameTree complete = trees.get(22);
        assertFields(complete, "ip.fragment", "21,22,23,20", "ip.fragment.count", "4", "ip.reassembled.length", "24",
                "ip.fragment.overlap", "1", "ip.reassembled.data", "0800bf7c00420001000102030405060708090a0b0c0d0e0f");
        assertThat(complete.find("ip.fragments").displayLine())
                .isEqualTo("[4 IPv4 Fragments (24 bytes): #21(8), #22(8), #23(8), #20(8)]");
        assertFields(trees.get(25), "ip.fragment", "24,25,26", "ip.fragment.overlap", "1", "ip.fragment.overlap.conflict", "");
        assertThat(trees.get(38).summary().info()).isEqualTo("Fragmented IP protocol (proto=UDP 17, off=0, ID=7777)");
        assertThat(trees.get(39).summary().info()).isEqualTo("Fragmented IP protocol (proto=UDP 17, off=8, ID=7778)");
    }

    @Test
    void dsfieldReservedFlagAndUnknownProtocolsMatchTshark() throws IOException {
        List<FrameTree> trees = dissectAll("l3-crafted.pcap");
        assertFields(trees.get(8), "ip.dsfield", "0xbb", "ip.dsfield.dscp", "46", "ip.dsfield.ecn", "3", "ip.flags", "0x04",
                "ip.flags.rb", "1", "ip.proto", "17");
        assertThat(trees.get(8).find("ip.dsfield").displayLine()).isEqualTo("Differentiated Services Field: 0xbb (DSCP: EF PHB, ECN: CE)");
        assertThat(trees.get(36).summary().info()).isEqualTo("any private encryption scheme (99)");
        assertThat(trees.get(36).summary().protocol()).isEqualTo("IPv4");
        // Router Alert is dissected; an unknown option is named by its type only; EOL ends the list.
        assertFields(trees.get(17), "ip.opt.type", "148", "ip.opt.ra", "0", "ip.opt.len", "4");
        assertFields(trees.get(37), "ip.options.eol", "00", "ip.opt.type", "0");
    }

    @Test
    void aBadHeaderChecksumIsShownButKeepsTsharksStatusValue() throws IOException {
        FrameTree bad = dissectAll("l3-crafted.pcap").get(7);
        assertFields(bad, "ip.checksum", "0x45ba", "ip.checksum.status", "0");
        assertThat(bad.find("ip.checksum").displayLine())
                .isEqualTo("Header Checksum: 0x45ba incorrect, should be 0x54ab(may be caused by \"IP checksum offload\"?)");
        assertThat(bad.summary().malformed()).isFalse();
    }

    @Test
    void brokenHeadersAndOptionsGetTsharksExpertNotesNotAMalformedPacket() throws IOException {
        List<FrameTree> trees = dissectAll("l3-crafted.pcap");
        FrameTree ihl4 = trees.get(9);
        assertFields(ihl4, "ip.hdr_len", "16", "ip.len", "");
        assertThat(ihl4.summary().info()).isEqualTo("Bogus IP header length (16, must be at least 20)");
        assertThat(ihl4.find("ip.bogus_header_length").displayLine()).isEqualTo("[Bogus IP header length (16, must be at least 20)]");
        FrameTree totalBelowHeader = trees.get(10);
        assertFields(totalBelowHeader, "ip.hdr_len", "60", "ip.len", "28", "ip.id", "");
        assertThat(totalBelowHeader.summary().info()).isEqualTo("Bogus IP length (28, less than header length 60)");
        assertThat(totalBelowHeader.find("ip.bogus_ip_length")).isNotNull();
        // Total length beyond the frame: tshark notes it under the length and hands on what is there.
        assertFields(trees.get(11), "ip.len", "200", "ip.src", "10.0.0.1", "icmp.type", "8", "data.len", "");
        assertThat(trees.get(11).find("ip.bogus_ip_length").displayLine()).isEqualTo("[IPv4 total length exceeds packet length (28 bytes)]");
        for (int index : new int[] {9, 10, 11, 12, 13, 14, 15, 16}) {
            assertThat(trees.get(index).find("_ws.malformed")).as("frame %d", index + 1).isNull();
            assertThat(trees.get(index).summary().malformed()).isFalse();
            assertThat(trees.get(index).summary().info()).doesNotContain("[Malformed Packet]");
        }
        assertThat(trees.get(13).find("ip.opt.len.invalid").displayLine()).contains("too-short option length = 0 bytes");
        assertThat(trees.get(15).find("ip.opt.len.invalid").displayLine()).contains("option length = 8 bytes says option goes past end");
        assertThat(trees.get(16).find("ip.opt.len.invalid").displayLine()).contains("Time Stamp (length byte past end of options)");
        // Bad option lengths: tshark still dissects the payload, and so do we.
        assertFields(trees.get(13), "ip.src", "10.0.0.1", "icmp.type", "8", "data.len", "");
        // Version 6 under the IPv4 EtherType: noted, then dissected as IPv6 (whose hop-by-hop header is cut short).
        assertThat(trees.get(18).find("ip.bogus_ip_version")).isNotNull();
        assertThat(trees.get(18).summary().protocol()).isEqualTo("IPv6");
        for (int index : new int[] {18, 32, 33}) {
            assertThat(trees.get(index).find("_ws.malformed")).as("frame %d", index + 1).isNotNull();
            assertThat(trees.get(index).summary().info()).endsWith("[Malformed Packet]");
        }
        assertSummary(trees.get(32), "02:00:00:00:00:01", "02:00:00:00:00:02", "Ethernet", "[Malformed Packet]");
        assertThat(trees.get(33).summary().protocol()).isEqualTo("VLAN");
    }

    @Test
    void everyPrefixOfEveryFrameDissectsWithoutAnException() throws IOException {
        for (String file : List.of("l3-kernel.pcap", "l3-crafted.pcap")) {
            for (byte[] frame : frames(file)) {
                for (int length = 0; length <= frame.length; length++) {
                    byte[] prefix = Arrays.copyOf(frame, length);
                    FrameTree tree = new Dissector().dissect(prefix);
                    FrameSummary summary = new Dissector().summarize(0, prefix, length, length);
                    assertThat(summary.info()).isEqualTo(tree.summary().info());
                    FieldNode malformed = tree.find("_ws.malformed");
                    if (malformed != null) {
                        assertThat(malformed.displayLine()).doesNotContain("dissector failure");
                    }
                    if (length < 14) {
                        assertThat(malformed).as("%s prefix %d", file, length).isNotNull();
                    }
                }
            }
        }
        // An IPv4 frame cut inside its header is malformed; cut after it, before its total length, tshark's note says so.
        byte[] echo = frames("l3-kernel.pcap").get(2);
        for (int length = 15; length < echo.length; length++) {
            FrameTree cut = new Dissector().dissect(Arrays.copyOf(echo, length));
            if (length < 14 + 20) {
                assertThat(cut.find("_ws.malformed")).as("prefix %d", length).isNotNull();
            } else {
                assertThat(cut.find("ip.bogus_ip_length")).as("prefix %d", length).isNotNull();
            }
        }
        byte[] arp = frames("l3-kernel.pcap").get(0);
        for (int length = 14; length < arp.length; length++) {
            assertThat(new Dissector().dissect(Arrays.copyOf(arp, length)).find("_ws.malformed")).as("prefix %d", length).isNotNull();
        }
    }

    @Test
    void summariesAgreeWithTreesForWholeCaptures() throws IOException {
        for (String file : List.of("l3-kernel.pcap", "l3-crafted.pcap")) {
            List<FrameTree> trees = dissectAll(file);
            Dissector summaries = new Dissector();
            List<byte[]> frames = frames(file);
            for (int i = 0; i < frames.size(); i++) {
                byte[] frame = frames.get(i);
                FrameSummary summary = summaries.summarize(0, frame, frame.length, frame.length);
                FrameSummary fromTree = trees.get(i).summary();
                assertThat(summary.info()).as("%s frame %d", file, i + 1).isEqualTo(fromTree.info());
                assertThat(summary.protocol()).isEqualTo(fromTree.protocol());
                assertThat(summary.source()).isEqualTo(fromTree.source());
                assertThat(summary.destination()).isEqualTo(fromTree.destination());
            }
        }
    }

    @Test
    void aQuotedDatagramMayBeShorterThanItsTotalLengthAndIsNotReassembled() {
        // The kernel's first fragment header (MF, total length 572) followed by only 8 bytes, as an ICMP error quotes it.
        byte[] quoted = HexFormat.of().parseHex("4500023c299d200040011b220a0000010a000002" + "0800e63945cb0001");
        DissectionSession session = new DissectionSession();
        DissectionContext ctx = new DissectionContext(session);
        ctx.start(1, 0, quoted, quoted.length, quoted.length, true);
        ctx.quoteDepth = 1;
        Ipv4Dissector.dissect(ctx, ctx.root, 0, quoted.length);
        FrameTree tree = new FrameTree(ctx.root, ctx.dataSources(), ctx.summary(0));
        assertThat(tree.find("_ws.malformed")).isNull();
        assertThat(tree.fieldValues("ip.len")).isEqualTo("572");
        // As tshark 4.0.17 does, the quoted first fragment's own header (an echo request) is dissected.
        assertThat(tree.fieldValues("icmp.type")).isEqualTo("8");
        assertThat(tree.fieldValues("icmp.seq")).isEqualTo("1");
        assertThat(session.ipv4Reassembly.datagramsInProgress()).isZero();
        assertThat(ctx.ipProtocol).isEqualTo(1);
    }

    @Test
    void theReassemblyTableStaysBounded() {
        Ipv4Reassembly table = new Ipv4Reassembly();
        byte[] payload = new byte[1480];
        for (int id = 0; id < 20_000; id++) {
            assertThat(table.add(1, 2, 17, id & 0xFFFF, id, 0, true, payload, 0, payload.length)).isNull();
            assertThat(table.datagramsInProgress()).isLessThanOrEqualTo(Ipv4Reassembly.MAX_DATAGRAMS);
            assertThat(table.bytesHeld()).isLessThanOrEqualTo(Ipv4Reassembly.MAX_BYTES);
        }
        // The newest datagrams are kept: finishing one still works.
        Ipv4Reassembly.Reassembled done = table.add(1, 2, 17, 19_999, 20_001, 1480, false, payload, 0, 8);
        assertThat(done).isNotNull();
        assertThat(done.bytes()).hasSize(1488);
    }

    // ---- helpers ----

    private static void assertFields(FrameTree tree, String... namesAndValues) {
        for (int i = 0; i < namesAndValues.length; i += 2) {
            assertThat(tree.fieldValues(namesAndValues[i])).as(namesAndValues[i]).isEqualTo(namesAndValues[i + 1]);
        }
    }

    private static void assertSummary(FrameTree tree, String source, String destination, String protocol, String info) {
        FrameSummary summary = tree.summary();
        assertThat(summary.source()).isEqualTo(source);
        assertThat(summary.destination()).isEqualTo(destination);
        assertThat(summary.protocol()).isEqualTo(protocol);
        assertThat(summary.info()).isEqualTo(info);
    }

    private static List<FrameTree> dissectAll(String file) throws IOException {
        Dissector dissector = new Dissector();
        List<FrameTree> trees = new ArrayList<>();
        for (byte[] frame : frames(file)) {
            trees.add(dissector.dissect(frame));
        }
        return trees;
    }

    /** The frames of a small classic little-endian pcap (enough for these fixed test files). */
    private static List<byte[]> frames(String file) throws IOException {
        byte[] bytes;
        try (InputStream in = L3DissectorTest.class.getResourceAsStream(file)) {
            assertThat(in).as(file).isNotNull();
            bytes = in.readAllBytes();
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(buffer.getInt(0)).isEqualTo(0xa1b2c3d4);
        List<byte[]> frames = new ArrayList<>();
        for (int at = 24; at + 16 <= bytes.length; ) {
            int captured = buffer.getInt(at + 8);
            frames.add(Arrays.copyOfRange(bytes, at + 16, at + 16 + captured));
            at += 16 + captured;
        }
        return frames;
    }
}
