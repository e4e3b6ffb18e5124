package dev.stacklab.wire;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EthernetTest {
    private static final HexFormat HEX = HexFormat.of();
    // An ARP request the Linux kernel broadcast on a veth (captured with tcpdump).
    private static final byte[] ARP_FRAME = HEX.parseHex(
            "ffffffffffff020000000001" + "0806" + "00010800060400010200000000010a0000010000000000000a000002");
    // The kernel's echo request, re-sent with an 802.1ad service tag (VID 100, DEI) around an 802.1Q tag (VID 20).
    private static final byte[] QINQ_HEADER = HEX.parseHex("020000000002020000000001" + "88a81064" + "81000014" + "0800");
    // A customer tag alone: PCP 5, VID 10.
    private static final byte[] DOT1Q_HEADER = HEX.parseHex("020000000002020000000001" + "8100a00a" + "0800");

    @Test
    void decodesAnUntaggedFrame() throws MalformedPacketException {
        EthernetFrame frame = EthernetFrame.wrapChecked(ARP_FRAME, 0, ARP_FRAME.length);
        assertThat(frame.destination()).isEqualTo(MacAddress.BROADCAST);
        assertThat(frame.source()).isEqualTo(MacAddress.parse("02:00:00:00:00:01"));
        assertThat(frame.tagCount()).isZero();
        assertThat(frame.etherType()).isEqualTo(EtherType.ARP);
        assertThat(frame.payloadOffset()).isEqualTo(14);
        assertThat(frame.payloadLength()).isEqualTo(28);
    }

    @Test
    void decodesQinQTagsOutermostFirst() throws MalformedPacketException {
        EthernetFrame frame = EthernetFrame.wrapChecked(QINQ_HEADER, 0, QINQ_HEADER.length);
        assertThat(frame.tagCount()).isEqualTo(2);
        assertThat(frame.tag(0)).isEqualTo(new VlanTag(0x88A8, 0, true, 100));
        assertThat(frame.tag(1)).isEqualTo(new VlanTag(0x8100, 0, false, 20));
        assertThat(frame.etherType()).isEqualTo(EtherType.IPV4);
        assertThat(frame.payloadOffset()).isEqualTo(22);
        assertThat(frame.payloadLength()).isZero();
    }

    @Test
    void decodesPriorityAndVlanIdOfACustomerTag() throws MalformedPacketException {
        EthernetRepr repr = EthernetRepr.parse(EthernetFrame.wrapChecked(DOT1Q_HEADER, 0, DOT1Q_HEADER.length));
        assertThat(repr.tags()).containsExactly(VlanTag.customer(5, false, 10));
        assertThat(repr.tags().get(0).tci()).isEqualTo(0xa00a);
    }

    @Test
    void emitReproducesTaggedAndUntaggedHeadersByteForByte() throws MalformedPacketException {
        for (byte[] header : List.of(QINQ_HEADER, DOT1Q_HEADER)) {
            EthernetRepr repr = EthernetRepr.parse(EthernetFrame.wrapChecked(header, 0, header.length));
            byte[] out = new byte[repr.bufferLength()];
            assertThat(repr.emit(out, 0)).isEqualTo(header.length);
            assertThat(HEX.formatHex(out)).isEqualTo(HEX.formatHex(header));
        }
        EthernetRepr built = new EthernetRepr(MacAddress.BROADCAST, MacAddress.parse("02:00:00:00:00:01"), EtherType.ARP);
        byte[] out = new byte[built.bufferLength()];
        built.emit(out, 0);
        assertThat(HEX.formatHex(out)).isEqualTo(HEX.formatHex(ARP_FRAME, 0, 14));
    }

    @Test
    void unknownEtherTypeIsKept() throws MalformedPacketException {
        byte[] frame = HEX.parseHex("020000000002020000000001" + "88b5" + "00");
        EthernetRepr repr = EthernetRepr.parse(EthernetFrame.wrapChecked(frame, 0, frame.length));
        assertThat(repr.etherType().value()).isEqualTo(0x88b5);
        byte[] out = new byte[repr.bufferLength()];
        repr.emit(out, 0);
        assertThat(HEX.formatHex(out)).isEqualTo(HEX.formatHex(frame, 0, 14));
    }

    @Test
    void shortFramesAndTruncatedTagsAreMalformed() {
        assertThatThrownBy(() -> EthernetFrame.wrapChecked(ARP_FRAME, 0, 13))
                .isInstanceOf(MalformedPacketException.class).hasMessageContaining("14-byte header");
        assertThatThrownBy(() -> EthernetFrame.wrapChecked(QINQ_HEADER, 0, 19))
                .isInstanceOf(MalformedPacketException.class)
                .satisfies(e -> assertThat(((MalformedPacketException) e).field()).isEqualTo("vlan.etype"));
        for (int length = 0; length < QINQ_HEADER.length; length++) {
            int prefix = length;
            assertThatThrownBy(() -> EthernetFrame.wrapChecked(QINQ_HEADER, 0, prefix)).isInstanceOf(MalformedPacketException.class);
        }
    }
}
