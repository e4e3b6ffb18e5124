package dev.stacklab.dissect;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

/**
 * Real frames the Linux kernel sent in two network namespaces (ping, UDP to a closed port and the
 * ICMP port unreachable it caused, a TCP connection to `nc -l` with options, data and both FINs, and
 * a connection refused with RST), held against what tshark 4.0.17 printed for the same frames.
 */
class TransportAgainstTsharkTest {
    private static final HexFormat HEX = HexFormat.of();

    /** Capture time stamp in nanoseconds, then the frame, as captured by tcpdump in namespace l4-b. */
    static final String[] FRAMES = {
            "1795313765504312000 fffffffffffffefb3dec2bbd08060001080006040001fefb3dec2bbd0a2c00010000000000000a2c0002",
            "1795313765504321000 fefb3dec2bbd26ddbf8dc4340806000108000604000226ddbf8dc4340a2c0002fefb3dec2bbd0a2c0001",
            "1795313765504325000 26ddbf8dc434fefb3dec2bbd0800450000544d6540004001d8e90a2c00010a2c00020800e11613a800016550026b00000000d5b1070000000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637",
            "1795313765504342000 fefb3dec2bbd26ddbf8dc4340800450000543f290000400127260a2c00020a2c00010000e91613a800016550026b00000000d5b1070000000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637",
            "1795313765707668000 26ddbf8dc434fefb3dec2bbd0800450000544d8d40004001d8c10a2c00010a2c0002080074fb13a800026550026b000000003ecc0a0000000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637",
            "1795313765707686000 fefb3dec2bbd26ddbf8dc4340800450000543f3100004001271e0a2c00020a2c000100007cfb13a800026550026b000000003ecc0a0000000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637",
            "1795313765712516000 26ddbf8dc434fefb3dec2bbd08004500001f94854000401191ee0a2c00010a2c0002c288270f000b8f7c68690a",
            "1795313765712546000 fefb3dec2bbd26ddbf8dc434080045c0003b3f320000400126760a2c00020a2c000103031174000000004500001f94854000401191ee0a2c00010a2c0002c288270f000b8f7c68690a",
            "1795313766217917000 26ddbf8dc434fefb3dec2bbd08004500003ccc9a4000400659c70a2c00010a2c0002e71e1f9093fa66aa00000000a002faf081310000020405b40402080ab88efd9d000000000103030a",
            "1795313766217935000 fefb3dec2bbd26ddbf8dc43408004500003c00004000400626620a2c00020a2c00011f90e71e2d5fc6f793fa66aba012fe8839c30000020405b40402080a01e64d88b88efd9d0103030a",
            "1795313766217948000 26ddbf8dc434fefb3dec2bbd080045000034cc9b4000400659ce0a2c00010a2c0002e71e1f9093fa66ab2d5fc6f88010003f66dc00000101080ab88efd9d01e64d88",
            "1795313766217995000 26ddbf8dc434fefb3dec2bbd080045000043cc9c4000400659be0a2c00010a2c0002e71e1f9093fa66ab2d5fc6f88018003f772c00000101080ab88efd9d01e64d8868656c6c6f20737461636b6c61620a",
            "1795313766218000000 fefb3dec2bbd26ddbf8dc434080045000034290240004006fd670a2c00020a2c00011f90e71e2d5fc6f893fa66ba8010004066cc00000101080a01e64d88b88efd9d",
            "1795313766218008000 26ddbf8dc434fefb3dec2bbd080045000034cc9d4000400659cc0a2c00010a2c0002e71e1f9093fa66ba2d5fc6f88011003f66cc00000101080ab88efd9d01e64d88",
            "1795313766218045000 fefb3dec2bbd26ddbf8dc434080045000034290340004006fd660a2c00020a2c00011f90e71e2d5fc6f893fa66bb8011004066ca00000101080a01e64d88b88efd9d",
            "1795313766218062000 26ddbf8dc434fefb3dec2bbd080045000034cc9e4000400659cb0a2c00010a2c0002e71e1f9093fa66bb2d5fc6f98010003f66cb00000101080ab88efd9d01e64d88",
            "1795313767724089000 26ddbf8dc434fefb3dec2bbd08004500003c0966400040061cfc0a2c00010a2c0002a9fc0051388d029700000000a002faf08fd90000020405b40402080a93b72faf000000000103030a",
            "1795313767724100000 fefb3dec2bbd26ddbf8dc43408004500002800004000400626760a2c00020a2c00010051a9fc00000000388d029850140000b6030000",
    };

    /**
     * {@code tshark -r all.pcap -T fields -E header=y -E occurrence=a -E aggregator=, -e FIELD... -e _ws.col.Info}
     * for every ICMP, UDP and TCP field stacklab defines, as tshark 4.0.17 printed it for the frames above.
     */
    static final String TSHARK_FIELDS = """
            icmp.checksum\ticmp.checksum.status\ticmp.code\ticmp.data_time\ticmp.data_time_relative\ticmp.ident\ticmp.ident_le\ticmp.length\ticmp.length.original_datagram\ticmp.mtu\ticmp.pointer\ticmp.redir_gw\ticmp.resp_to\ticmp.resptime\ticmp.seq\ticmp.seq_le\ticmp.type\ticmp.unused\ttcp.ack\ttcp.ack_raw\ttcp.analysis.ack_rtt\ttcp.analysis.acks_frame\ttcp.analysis.bytes_in_flight\ttcp.analysis.initial_rtt\ttcp.analysis.push_bytes_sent\ttcp.checksum\ttcp.checksum.status\ttcp.dstport\ttcp.flags\ttcp.flags.ack\ttcp.flags.ae\ttcp.flags.cwr\ttcp.flags.ece\ttcp.flags.fin\ttcp.flags.push\ttcp.flags.res\ttcp.flags.reset\ttcp.flags.str\ttcp.flags.syn\ttcp.flags.urg\ttcp.hdr_len\ttcp.len\ttcp.nxtseq\ttcp.option_kind\ttcp.option_len\ttcp.options\ttcp.options.eol\ttcp.options.mss\ttcp.options.mss_val\ttcp.options.nop\ttcp.options.sack\ttcp.options.sack.count\ttcp.options.sack_le\ttcp.options.sack_perm\ttcp.options.sack_re\ttcp.options.timestamp\ttcp.options.timestamp.tsecr\ttcp.options.timestamp.tsval\ttcp.options.wscale\ttcp.options.wscale.multiplier\ttcp.options.wscale.shift\ttcp.payload\ttcp.port\ttcp.seq\ttcp.seq_raw\ttcp.srcport\ttcp.stream\ttcp.time_delta\ttcp.time_relative\ttcp.urgent_pointer\ttcp.window_size\ttcp.window_size_scalefactor\ttcp.window_size_value\tudp.checksum\tudp.checksum.status\tudp.dstport\tudp.length\tudp.payload\tudp.port\tudp.srcport\tudp.stream\tudp.time_delta\tudp.time_relative\t_ws.col.Info
            \t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\tWho has 10.44.0.2? Tell 10.44.0.1
            \t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t10.44.0.2 is at 26:dd:bf:8d:c4:34
            0xe116\t1\t0\tNov 22, 2026 02:16:05.000000000 UTC\t0.504325000\t5032\t43027\t\t\t\t\t\t\t\t1\t256\t8\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\tEcho (ping) request  id=0x13a8, seq=1/256, ttl=64
            0xe916\t1\t0\tNov 22, 2026 02:16:05.000000000 UTC\t0.504342000\t5032\t43027\t\t\t\t\t\t3\t0.017\t1\t256\t0\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\tEcho (ping) reply    id=0x13a8, seq=1/256, ttl=64 (request in 3)
            0x74fb\t1\t0\tNov 22, 2026 02:16:05.000000000 UTC\t0.707668000\t5032\t43027\t\t\t\t\t\t\t\t2\t512\t8\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\tEcho (ping) request  id=0x13a8, seq=2/512, ttl=64
            0x7cfb\t1\t0\tNov 22, 2026 02:16:05.000000000 UTC\t0.707686000\t5032\t43027\t\t\t\t\t\t5\t0.018\t2\t512\t0\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\tEcho (ping) reply    id=0x13a8, seq=2/512, ttl=64 (request in 5)
            \t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t0x8f7c\t2\t9999\t11\t68690a\t49800,9999\t49800\t0\t0.000000000\t0.000000000\t49800 → 9999 Len=3
            0x1174\t1\t3\t\t\t\t\t\t\t\t\t\t\t\t\t\t3\t00000000\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t0x8f7c\t2\t9999\t11\t68690a\t49800,9999\t49800\t0\t\t\tDestination unreachable (Port unreachable)
            \t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t0\t0\t\t\t\t\t\t0x8131\t2\t8080\t0x0002\t0\t0\t0\t0\t0\t0\t0\t0\t··········S·\t1\t0\t40\t0\t1\t2,4,8,1,3\t4,2,10,3\t020405b40402080ab88efd9d000000000103030a\t\t020405b4\t1460\t01\t\t\t\t0402\t\t080ab88efd9d00000000\t0\t3096378781\t03030a\t1024\t10\t\t59166,8080\t0\t2482661034\t59166\t0\t0.000000000\t0.000000000\t0\t64240\t\t64240\t\t\t\t\t\t\t\t\t\t\t59166 → 8080 [SYN] Seq=0 Win=64240 Len=0 MSS=1460 SACK_PERM TSval=3096378781 TSecr=0 WS=1024
            \t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t1\t2482661035\t0.000018000\t9\t\t\t\t0x39c3\t2\t59166\t0x0012\t1\t0\t0\t0\t0\t0\t0\t0\t·······A··S·\t1\t0\t40\t0\t1\t2,4,8,1,3\t4,2,10,3\t020405b40402080a01e64d88b88efd9d0103030a\t\t020405b4\t1460\t01\t\t\t\t0402\t\t080a01e64d88b88efd9d\t3096378781\t31870344\t03030a\t1024\t10\t\t8080,59166\t0\t761251575\t8080\t0\t0.000018000\t0.000018000\t0\t65160\t\t65160\t\t\t\t\t\t\t\t\t\t\t8080 → 59166 [SYN, ACK] Seq=0 Ack=1 Win=65160 Len=0 MSS=1460 SACK_PERM TSval=31870344 TSecr=3096378781 WS=1024
            \t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t1\t761251576\t0.000013000\t10\t\t0.000031000\t\t0x66dc\t2\t8080\t0x0010\t1\t0\t0\t0\t0\t0\t0\t0\t·······A····\t0\t0\t32\t0\t1\t1,1,8\t10\t0101080ab88efd9d01e64d88\t\t\t\t01,01\t\t\t\t\t\t080ab88efd9d01e64d88\t31870344\t3096378781\t\t\t\t\t59166,8080\t1\t2482661035\t59166\t0\t0.000013000\t0.000031000\t0\t64512\t1024\t63\t\t\t\t\t\t\t\t\t\t\t59166 → 8080 [ACK] Seq=1 Ack=1 Win=64512 Len=0 TSval=3096378781 TSecr=31870344
            \t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t1\t761251576\t\t\t15\t0.000031000\t15\t0x772c\t2\t8080\t0x0018\t1\t0\t0\t0\t0\t1\t0\t0\t·······AP···\t0\t0\t32\t15\t16\t1,1,8\t10\t0101080ab88efd9d01e64d88\t\t\t\t01,01\t\t\t\t\t\t080ab88efd9d01e64d88\t31870344\t3096378781\t\t\t\t68656c6c6f20737461636b6c61620a\t59166,8080\t1\t2482661035\t59166\t0\t0.000047000\t0.000078000\t0\t64512\t1024\t63\t\t\t\t\t\t\t\t\t\t\t59166 → 8080 [PSH, ACK] Seq=1 Ack=1 Win=64512 Len=15 TSval=3096378781 TSecr=31870344
            \t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t16\t2482661050\t0.000005000\t12\t\t0.000031000\t\t0x66cc\t2\t59166\t0x0010\t1\t0\t0\t0\t0\t0\t0\t0\t·······A····\t0\t0\t32\t0\t1\t1,1,8\t10\t0101080a01e64d88b88efd9d\t\t\t\t01,01\t\t\t\t\t\t080a01e64d88b88efd9d\t3096378781\t31870344\t\t\t\t\t8080,59166\t1\t761251576\t8080\t0\t0.000005000\t0.000083000\t0\t65536\t1024\t64\t\t\t\t\t\t\t\t\t\t\t8080 → 59166 [ACK] Seq=1 Ack=16 Win=65536 Len=0 TSval=31870344 TSecr=3096378781
            \t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t1\t761251576\t\t\t\t\t\t0x66cc\t2\t8080\t0x0011\t1\t0\t0\t0\t1\t0\t0\t0\t·······A···F\t0\t0\t32\t0\t17\t1,1,8\t10\t0101080ab88efd9d01e64d88\t\t\t\t01,01\t\t\t\t\t\t080ab88efd9d01e64d88\t31870344\t3096378781\t\t\t\t\t59166,8080\t16\t2482661050\t59166\t0\t0.000008000\t0.000091000\t0\t64512\t1024\t63\t\t\t\t\t\t\t\t\t\t\t59166 → 8080 [FIN, ACK] Seq=16 Ack=1 Win=64512 Len=0 TSval=3096378781 TSecr=31870344
            \t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t17\t2482661051\t0.000037000\t14\t\t0.000031000\t\t0x66ca\t2\t59166\t0x0011\t1\t0\t0\t0\t1\t0\t0\t0\t·······A···F\t0\t0\t32\t0\t2\t1,1,8\t10\t0101080a01e64d88b88efd9d\t\t\t\t01,01\t\t\t\t\t\t080a01e64d88b88efd9d\t3096378781\t31870344\t\t\t\t\t8080,59166\t1\t761251576\t8080\t0\t0.000037000\t0.000128000\t0\t65536\t1024\t64\t\t\t\t\t\t\t\t\t\t\t8080 → 59166 [FIN, ACK] Seq=1 Ack=17 Win=65536 Len=0 TSval=31870344 TSecr=3096378781
            \t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t2\t761251577\t0.000017000\t15\t\t0.000031000\t\t0x66cb\t2\t8080\t0x0010\t1\t0\t0\t0\t0\t0\t0\t0\t·······A····\t0\t0\t32\t0\t17\t1,1,8\t10\t0101080ab88efd9d01e64d88\t\t\t\t01,01\t\t\t\t\t\t080ab88efd9d01e64d88\t31870344\t3096378781\t\t\t\t\t59166,8080\t17\t2482661051\t59166\t0\t0.000017000\t0.000145000\t0\t64512\t1024\t63\t\t\t\t\t\t\t\t\t\t\t59166 → 8080 [ACK] Seq=17 Ack=2 Win=64512 Len=0 TSval=3096378781 TSecr=31870344
            \t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t0\t0\t\t\t\t\t\t0x8fd9\t2\t81\t0x0002\t0\t0\t0\t0\t0\t0\t0\t0\t··········S·\t1\t0\t40\t0\t1\t2,4,8,1,3\t4,2,10,3\t020405b40402080a93b72faf000000000103030a\t\t020405b4\t1460\t01\t\t\t\t0402\t\t080a93b72faf00000000\t0\t2478256047\t03030a\t1024\t10\t\t43516,81\t0\t948765335\t43516\t1\t0.000000000\t0.000000000\t0\t64240\t\t64240\t\t\t\t\t\t\t\t\t\t\t43516 → 81 [SYN] Seq=0 Win=64240 Len=0 MSS=1460 SACK_PERM TSval=2478256047 TSecr=0 WS=1024
            \t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t1\t948765336\t0.000011000\t17\t\t0.000011000\t\t0xb603\t2\t43516\t0x0014\t1\t0\t0\t0\t0\t0\t0\t1\t·······A·R··\t0\t0\t20\t0\t1\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t81,43516\t1\t0\t81\t1\t0.000011000\t0.000011000\t0\t0\t-1\t0\t\t\t\t\t\t\t\t\t\t\t81 → 43516 [RST, ACK] Seq=1 Ack=1 Win=0 Len=0
            """;

    @Test
    void everyFieldAndInfoColumnMatchesTshark() {
        String[] lines = TSHARK_FIELDS.strip().split("\n");
        String[] names = lines[0].split("\t", -1);
        TransportFrames frames = new TransportFrames();
        assertSoftly(softly -> {
            for (int i = 0; i < FRAMES.length; i++) {
                String[] parts = FRAMES[i].split(" ");
                FrameTree tree = frames.dissect(Long.parseLong(parts[0]), HEX.parseHex(parts[1]));
                String[] expected = lines[i + 1].split("\t", -1);
                int number = i + 1;
                if (tree == null) {
                    continue; // ARP: another helper's layer
                }
                for (int column = 0; column < names.length; column++) {
                    String name = names[column];
                    String want = column < expected.length ? expected[column] : "";
                    if (name.equals("_ws.col.Info")) {
                        softly.assertThat(tree.summary().info()).as("frame %d Info", number).isEqualTo(want);
                    } else {
                        softly.assertThat(tree.fieldValues(name)).as("frame %d %s", number, name).isEqualTo(want);
                    }
                }
            }
        });
    }

    @Test
    void summariesWithoutATreeAgreeWithTheTree() {
        TransportFrames withTree = new TransportFrames();
        TransportFrames withoutTree = new TransportFrames();
        List<String> expected = new ArrayList<>();
        List<String> actual = new ArrayList<>();
        for (String frame : FRAMES) {
            String[] parts = frame.split(" ");
            FrameTree tree = withTree.dissect(Long.parseLong(parts[0]), HEX.parseHex(parts[1]));
            FrameSummary summary = withoutTree.summarize(Long.parseLong(parts[0]), HEX.parseHex(parts[1]));
            if (tree != null) {
                expected.add(tree.summary().info());
                actual.add(summary.info());
            }
        }
        assertThat(actual).isEqualTo(expected).contains(
                "Echo (ping) request  id=0x13a8, seq=1/256, ttl=64",
                "Echo (ping) reply    id=0x13a8, seq=1/256, ttl=64 (request in 3)",
                "Destination unreachable (Port unreachable)",
                "59166 → 8080 [SYN] Seq=0 Win=64240 Len=0 MSS=1460 SACK_PERM TSval=3096378781 TSecr=0 WS=1024",
                "81 → 43516 [RST, ACK] Seq=1 Ack=1 Win=0 Len=0");
    }
}
