package dev.stacklab.dissect;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/** DHCP and NTP messages cut short or with options that overrun: marked malformed, never an exception. */
class DhcpNtpMalformedTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final String ETHERNET = "02000a51000202000a5100010800";

    @Test
    void aDhcpOptionRunningPastTheMessageIsMalformedAfterTheOptionsBeforeIt() {
        // A Discover's fixed part, the magic cookie, option 53 (Discover), then option 12 claiming 200 bytes.
        String bootp = "01010600" + "3903f326" + "0000" + "0000" + "00".repeat(16) + "02000a510102" + "00".repeat(10)
                + "00".repeat(64) + "00".repeat(128) + "63825363" + "350101" + "0cc86c6162";
        FrameTree tree = dissectUdp(68, 67, bootp);
        assertThat(tree.summary().info()).isEqualTo("DHCP Discover - Transaction ID 0x3903f326[Malformed Packet]");
        assertThat(tree.fieldValues("dhcp.option.dhcp")).isEqualTo("1");
        assertThat(tree.find("_ws.malformed").displayLine()).contains("option 12 runs past the end");
    }

    @Test
    void aBootpMessageShorterThanItsHeaderIsMalformed() {
        FrameTree tree = dissectUdp(68, 67, "0101060012345678");
        assertThat(tree.summary().protocol()).isEqualTo("DHCP");
        assertThat(tree.summary().malformed()).isTrue();
    }

    @Test
    void anNtpPacketShorterThanItsHeaderIsMalformed() {
        FrameTree tree = dissectUdp(40000, 123, "e30006ec00000000");
        assertThat(tree.summary().info()).isEqualTo("NTP Version 4, client[Malformed Packet]");
        assertThat(tree.fieldValues("ntp.flags.mode")).isEqualTo("3");
    }

    @Test
    void everyPrefixOfADhcpAndAnNtpMessageDissectsWithoutException() {
        String bootp = "02010600" + "3903f326" + "0000" + "8000" + "00".repeat(4) + "0a510136" + "0a510101" + "00".repeat(4)
                + "02000a510102" + "00".repeat(10) + "00".repeat(192) + "63825363" + "350102" + "36040a510101" + "33040000012c"
                + "0104ffffff00" + "0304" + "0a510101" + "ff" + "0000";
        String ntp = "240806e7" + "00000000" + "00000000" + "7f7f0101" + "eebb93740bcec060".repeat(4);
        for (String[] message : new String[][]{{"67", "68", bootp}, {"123", "40000", ntp}}) {
            for (int cut = 0; cut <= message[2].length() / 2; cut++) {
                FrameTree tree = dissectUdp(Integer.parseInt(message[0]), Integer.parseInt(message[1]), message[2].substring(0, 2 * cut));
                tree.forEachField(node -> assertThat(node.displayLine()).doesNotContain("dissector failure"));
            }
        }
    }

    private static FrameTree dissectUdp(int sourcePort, int destinationPort, String payload) {
        String udp = String.format("%04x%04x%04x", sourcePort, destinationPort, 8 + payload.length() / 2) + "0000" + payload;
        String ip = "4500" + String.format("%04x", 20 + udp.length() / 2) + "0000" + "4000" + "4011" + "0000" + "0a510001" + "0a510002";
        byte[] frame = HEX.parseHex(ETHERNET + ip + udp);
        return new Dissector().dissect(0, frame, frame.length, frame.length);
    }
}
