package dev.stacklab.wire;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArpTest {
    private static final HexFormat HEX = HexFormat.of();
    // The kernel's ARP request and the peer kernel's reply (Ethernet headers removed), captured on a veth pair.
    private static final String REQUEST = "00010800060400010200000000010a0000010000000000000a000002";
    private static final String REPLY = "00010800060400020200000000020a0000020200000000010a000001";
    // InfiniBand hardware (type 32, 20-byte addresses) with IPv4: valid, but not Ethernet/IPv4.
    private static final String INFINIBAND = "0020080014040001" + "000102030405060708090a0b0c0d0e0f10111213" + "0a000001"
            + "0000000000000000000000000000000000000000" + "0a000002";

    @Test
    void decodesAnEthernetIpv4Request() throws MalformedPacketException {
        byte[] bytes = HEX.parseHex(REQUEST);
        ArpPacket packet = ArpPacket.wrapChecked(bytes, 0, bytes.length);
        assertThat(packet.hardwareType()).isEqualTo(1);
        assertThat(packet.protocolType()).isEqualTo(EtherType.IPV4);
        assertThat(packet.operation()).isEqualTo(ArpPacket.OPERATION_REQUEST);
        assertThat(ArpRepr.parse(packet)).isEqualTo(new ArpRepr.EthernetIpv4(1, MacAddress.parse("02:00:00:00:00:01"),
                Ipv4Address.parse("10.0.0.1"), MacAddress.ZERO, Ipv4Address.parse("10.0.0.2")));
    }

    @Test
    void buildsTheRequestAndTheReplyTheKernelSent() {
        ArpRepr.EthernetIpv4 request = ArpRepr.EthernetIpv4.request(MacAddress.parse("02:00:00:00:00:01"),
                Ipv4Address.parse("10.0.0.1"), Ipv4Address.parse("10.0.0.2"));
        assertThat(HEX.formatHex(emit(request))).isEqualTo(REQUEST);
        ArpRepr.EthernetIpv4 reply = ArpRepr.EthernetIpv4.reply(request, MacAddress.parse("02:00:00:00:00:02"));
        assertThat(HEX.formatHex(emit(reply))).isEqualTo(REPLY);
    }

    @Test
    void otherHardwareTypesStayOpaqueAndRoundTrip() throws MalformedPacketException {
        byte[] bytes = HEX.parseHex(INFINIBAND);
        ArpPacket packet = ArpPacket.wrapChecked(bytes, 0, bytes.length);
        assertThat(packet.isEthernetIpv4()).isFalse();
        ArpRepr repr = ArpRepr.parse(packet);
        assertThat(repr).isInstanceOf(ArpRepr.Generic.class);
        assertThat(((ArpRepr.Generic) repr).hardwareType()).isEqualTo(32);
        assertThat(HEX.formatHex(emit(repr))).isEqualTo(INFINIBAND);
        assertThat(ArpRepr.parse(ArpPacket.wrapChecked(emit(repr), 0, bytes.length))).isEqualTo(repr);
    }

    @Test
    void paddingAfterThePacketIsIgnored() throws MalformedPacketException {
        byte[] padded = HEX.parseHex(REQUEST + "000000000000000000000000000000000000");
        ArpRepr repr = ArpRepr.parse(ArpPacket.wrapChecked(padded, 0, padded.length));
        assertThat(HEX.formatHex(emit(repr))).isEqualTo(REQUEST);
    }

    @Test
    void everyTruncationIsMalformed() {
        byte[] bytes = HEX.parseHex(REQUEST);
        for (int length = 0; length < bytes.length; length++) {
            int prefix = length;
            assertThatThrownBy(() -> ArpPacket.wrapChecked(bytes, 0, prefix)).isInstanceOf(MalformedPacketException.class);
        }
    }

    private static byte[] emit(ArpRepr repr) {
        byte[] out = new byte[repr.bufferLength()];
        repr.emit(out, 0);
        return out;
    }
}
