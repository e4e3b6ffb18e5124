package dev.stacklab.dissect;

import dev.stacklab.wire.Ipv4Address;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Transport headers quoted inside ICMP errors, dissected as the IPv4 dissector hands them over
 * (quote depth 1, columns fenced). Expected values from tshark 4.0.17 on the same ICMP errors.
 */
class TransportQuotedTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final int CLIENT = Ipv4Address.parse("10.44.0.1").bits();
    private static final int SERVER = Ipv4Address.parse("10.44.0.2").bits();

    @Test
    void quotedUdpDatagramFromAPortUnreachable() {
        FrameTree tree = new TransportFrames().dissectQuoted(17, HEX.parseHex("c288270f000b8f7c68690a"), CLIENT, SERVER);
        assertThat(tree.fieldValues("udp.srcport")).isEqualTo("49800");
        assertThat(tree.fieldValues("udp.dstport")).isEqualTo("9999");
        assertThat(tree.fieldValues("udp.port")).isEqualTo("49800,9999");
        assertThat(tree.fieldValues("udp.length")).isEqualTo("11");
        assertThat(tree.fieldValues("udp.checksum")).isEqualTo("0x8f7c");
        assertThat(tree.fieldValues("udp.checksum.status")).isEqualTo("2");
        assertThat(tree.fieldValues("udp.stream")).isEqualTo("0");
        assertThat(tree.fieldValues("udp.payload")).isEqualTo("68690a");
        assertThat(tree.fieldValues("udp.time_relative")).isEmpty();
        assertThat(tree.summary().info()).isEmpty();
    }

    @Test
    void quotedFirstEightBytesOfATcpSyn() {
        FrameTree tree = new TransportFrames().dissectQuoted(6, HEX.parseHex("e71e1f9093fa66aa"), CLIENT, SERVER);
        assertThat(tree.fieldValues("tcp.srcport")).isEqualTo("59166");
        assertThat(tree.fieldValues("tcp.dstport")).isEqualTo("8080");
        assertThat(tree.fieldValues("tcp.seq")).isEqualTo("2482661034");
        assertThat(tree.fieldValues("tcp.stream")).isEmpty();
        assertThat(tree.find("_ws.malformed")).isNull();
        assertThat(tree.find("tcp").displayLine()).isEqualTo("Transmission Control Protocol, Src Port: 59166, Dst Port: 8080");
    }

    @Test
    void quotedWholeTcpSyn() {
        FrameTree tree = new TransportFrames().dissectQuoted(6,
                HEX.parseHex("e71e1f9093fa66aa00000000a002faf081310000020405b40402080ab88efd9d000000000103030a"), CLIENT, SERVER);
        assertThat(tree.fieldValues("tcp.seq")).isEqualTo("2482661034");
        assertThat(tree.fieldValues("tcp.seq_raw")).isEmpty();
        assertThat(tree.fieldValues("tcp.stream")).isEqualTo("0");
        assertThat(tree.fieldValues("tcp.ack")).isEqualTo("0");
        assertThat(tree.fieldValues("tcp.hdr_len")).isEqualTo("40");
        assertThat(tree.fieldValues("tcp.flags")).isEqualTo("0x0002");
        assertThat(tree.fieldValues("tcp.flags.str")).isEqualTo("··········S·");
        assertThat(tree.fieldValues("tcp.window_size")).isEqualTo("64240");
        assertThat(tree.fieldValues("tcp.option_kind")).isEqualTo("2,4,8,1,3");
        assertThat(tree.fieldValues("tcp.options.mss_val")).isEqualTo("1460");
        assertThat(tree.fieldValues("tcp.len")).isEmpty();
        assertThat(tree.fieldValues("tcp.nxtseq")).isEmpty();
        assertThat(tree.find("tcp").displayLine())
                .isEqualTo("Transmission Control Protocol, Src Port: 59166, Dst Port: 8080, Seq: 2482661034");
    }
}
