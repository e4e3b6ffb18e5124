package dev.stacklab.wire;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Ipv4Test {
    private static final HexFormat HEX = HexFormat.of();
    // Kernel echo request header (DF, TTL 64, ICMP), captured on a veth; checksum 0xfd0b per tshark.
    private static final String ECHO_HEADER = "45000054299b40004001fd0b0a0000010a000002";
    // `ping -R`: IHL 15, a NOP then Record Route (length 39, pointer 8, first slot 10.0.0.1).
    private static final String RECORD_ROUTE_HEADER = "4f00007c299e40004001c0d00a0000010a000002"
            + "010727080a000001" + "0".repeat(64);
    // First fragment of `ping -s 1000` over a 576-byte MTU: MF, offset 0, total length 572.
    private static final String FIRST_FRAGMENT_HEADER = "4500023c299d200040011b220a0000010a000002";
    // Its last fragment: offset 69 units (552 bytes), no MF.
    private static final String LAST_FRAGMENT_HEADER = "450001dc299d004540013b3d0a0000010a000002";

    @Test
    void decodesTheKernelEchoRequestHeader() throws MalformedPacketException {
        byte[] bytes = withPayload(ECHO_HEADER, 64);
        Ipv4Packet packet = Ipv4Packet.wrapChecked(bytes, 0, bytes.length);
        assertThat(packet.version()).isEqualTo(4);
        assertThat(packet.headerLength()).isEqualTo(20);
        assertThat(packet.totalLength()).isEqualTo(84);
        assertThat(packet.identification()).isEqualTo(0x299b);
        assertThat(packet.dontFragment()).isTrue();
        assertThat(packet.moreFragments()).isFalse();
        assertThat(packet.isFragment()).isFalse();
        assertThat(packet.timeToLive()).isEqualTo(64);
        assertThat(packet.protocol()).isEqualTo(IpProtocol.ICMP);
        assertThat(packet.headerChecksum()).isEqualTo(0xfd0b);
        assertThat(packet.verifyChecksum()).isTrue();
        assertThat(packet.source()).isEqualTo(Ipv4Address.parse("10.0.0.1"));
        assertThat(packet.destination()).isEqualTo(Ipv4Address.parse("10.0.0.2"));
        assertThat(packet.payloadOffset()).isEqualTo(20);
        assertThat(packet.payloadLength()).isEqualTo(64);
    }

    @Test
    void emitReproducesTheKernelHeaderWithItsChecksum() throws MalformedPacketException {
        Ipv4Repr built = Ipv4Repr.simple(Ipv4Address.parse("10.0.0.1"), Ipv4Address.parse("10.0.0.2"), IpProtocol.ICMP, 64,
                0x299b, true, 64);
        byte[] out = new byte[built.bufferLength()];
        assertThat(built.emit(out, 0)).isEqualTo(20);
        assertThat(HEX.formatHex(out)).isEqualTo(ECHO_HEADER);
        byte[] bytes = withPayload(ECHO_HEADER, 64);
        assertThat(Ipv4Repr.parse(Ipv4Packet.wrapChecked(bytes, 0, bytes.length))).isEqualTo(built);
    }

    @Test
    void parsesRecordRouteAndRoundTripsTheOptions() throws MalformedPacketException {
        byte[] bytes = withPayload(RECORD_ROUTE_HEADER, 64);
        Ipv4Repr repr = Ipv4Repr.parse(Ipv4Packet.wrapChecked(bytes, 0, bytes.length));
        assertThat(repr.options()).hasSize(2);
        assertThat(repr.options().get(0)).isEqualTo(new Ipv4Option.NoOperation());
        Ipv4Option.RecordRoute route = (Ipv4Option.RecordRoute) repr.options().get(1);
        assertThat(route.pointer()).isEqualTo(8);
        assertThat(route.length()).isEqualTo(39);
        assertThat(route.route()).hasSize(9);
        assertThat(route.recorded()).containsExactly(Ipv4Address.parse("10.0.0.1"));
        assertThat(repr.headerLength()).isEqualTo(60);
        assertThat(repr.payloadLength()).isEqualTo(64);
        byte[] out = new byte[repr.bufferLength()];
        repr.emit(out, 0);
        assertThat(HEX.formatHex(out)).isEqualTo(RECORD_ROUTE_HEADER);
    }

    @Test
    void withOptionsLaysOutAndPadsTheOptions() {
        Ipv4Repr repr = Ipv4Repr.simple(Ipv4Address.parse("10.0.0.1"), Ipv4Address.parse("10.0.0.2"), IpProtocol.ICMP, 64,
                0x299e, true, 64).withOptions(List.of(new Ipv4Option.NoOperation(),
                new Ipv4Option.RecordRoute(4, List.of(Ipv4Address.UNSPECIFIED, Ipv4Address.UNSPECIFIED)),
                new Ipv4Option.EndOfOptionList()));
        assertThat(HEX.formatHex(repr.rawOptions())).isEqualTo("01070b04" + "0000000000000000" + "00" + "000000");
        assertThat(repr.headerLength()).isEqualTo(36);
    }

    @Test
    void decodesFragmentFields() throws MalformedPacketException {
        byte[] first = withPayload(FIRST_FRAGMENT_HEADER, 552);
        Ipv4Repr head = Ipv4Repr.parse(Ipv4Packet.wrapChecked(first, 0, first.length));
        assertThat(head.moreFragments()).isTrue();
        assertThat(head.dontFragment()).isFalse();
        assertThat(head.fragmentOffset()).isZero();
        byte[] last = withPayload(LAST_FRAGMENT_HEADER, 456);
        Ipv4Repr tail = Ipv4Repr.parse(Ipv4Packet.wrapChecked(last, 0, last.length));
        assertThat(tail.moreFragments()).isFalse();
        assertThat(tail.fragmentOffset()).isEqualTo(552);
        assertThat(tail.identification()).isEqualTo(head.identification());
        byte[] out = new byte[tail.bufferLength()];
        tail.emit(out, 0);
        assertThat(HEX.formatHex(out)).isEqualTo(LAST_FRAGMENT_HEADER);
    }

    @Test
    void dscpEcnAndTheReservedFlagRoundTrip() throws MalformedPacketException {
        // DSCP 46 (EF), ECN 3 (CE), reserved flag set: crafted, checksum computed by emit.
        Ipv4Repr repr = new Ipv4Repr(46, 3, 0x1234, true, false, false, 0, 64, IpProtocol.UDP, Ipv4Address.parse("10.0.0.1"),
                Ipv4Address.parse("10.0.0.2"), List.of(), new byte[0], 12, true);
        byte[] out = new byte[repr.bufferLength() + 12];
        repr.emit(out, 0);
        assertThat(HEX.formatHex(out, 0, 8)).isEqualTo("45bb002012348000");
        Ipv4Packet packet = Ipv4Packet.wrapChecked(out, 0, out.length);
        assertThat(packet.dscp()).isEqualTo(46);
        assertThat(packet.ecn()).isEqualTo(3);
        assertThat(packet.reservedFlag()).isTrue();
        assertThat(Ipv4Repr.parse(packet)).isEqualTo(repr);
    }

    @Test
    void aBadChecksumIsReportedNotFixed() throws MalformedPacketException {
        byte[] bytes = withPayload(ECHO_HEADER, 64);
        bytes[11] ^= 1;
        Ipv4Packet packet = Ipv4Packet.wrapChecked(bytes, 0, bytes.length);
        assertThat(packet.verifyChecksum()).isFalse();
        assertThat(Ipv4Repr.parse(packet).checksumValid()).isFalse();
        assertThat(bytes[11]).isEqualTo((byte) (0x0b ^ 1));
    }

    @Test
    void decrementTimeToLivePatchesTheChecksumIncrementally() throws MalformedPacketException {
        byte[] bytes = withPayload(ECHO_HEADER, 64);
        Ipv4Packet packet = Ipv4Packet.wrapChecked(bytes, 0, bytes.length);
        for (int expected = 63; expected >= 0; expected--) {
            assertThat(packet.decrementTimeToLive()).isEqualTo(expected);
            assertThat(packet.verifyChecksum()).isTrue();
            byte[] zeroed = bytes.clone();
            zeroed[10] = 0;
            zeroed[11] = 0;
            assertThat(packet.headerChecksum()).isEqualTo(Checksum.compute(zeroed, 0, 20));
        }
        assertThatThrownBy(packet::decrementTimeToLive).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void paddingAfterTheTotalLengthIsAllowed() throws MalformedPacketException {
        byte[] bytes = withPayload(ECHO_HEADER, 64 + 18);
        assertThat(Ipv4Packet.wrapChecked(bytes, 0, bytes.length).payloadLength()).isEqualTo(64);
    }

    @Test
    void malformedHeadersAreRejectedWithTheField() {
        byte[] ihl4 = withPayload(ECHO_HEADER, 64);
        ihl4[0] = 0x44;
        assertMalformed(ihl4, "ip.hdr_len");
        byte[] ihlBeyond = HEX.parseHex("4f" + ECHO_HEADER.substring(2));
        assertMalformed(ihlBeyond, "ip.hdr_len");
        byte[] totalBeyond = withPayload(ECHO_HEADER, 10);
        assertMalformed(totalBeyond, "ip.len");
        byte[] totalShort = withPayload(ECHO_HEADER, 64);
        totalShort[2] = 0;
        totalShort[3] = 16;
        assertMalformed(totalShort, "ip.len");
        for (int length = 0; length < 20; length++) {
            int prefix = length;
            assertThatThrownBy(() -> Ipv4Packet.wrapChecked(ihl4, 0, prefix)).isInstanceOf(MalformedPacketException.class);
        }
    }

    @Test
    void badOptionLengthsAreMalformed() throws MalformedPacketException {
        for (String options : List.of("07000000", "07010000", "07080400", "01010144")) {
            byte[] bytes = HEX.parseHex("46000018299b40004001" + "0000" + "0a0000010a000002" + options);
            Ipv4Packet packet = Ipv4Packet.wrapChecked(bytes, 0, bytes.length);
            assertThatThrownBy(packet::options).isInstanceOf(MalformedPacketException.class)
                    .satisfies(e -> assertThat(((MalformedPacketException) e).field()).isEqualTo("ip.opt.len"));
            assertThatThrownBy(() -> Ipv4Repr.parse(packet)).isInstanceOf(MalformedPacketException.class);
        }
    }

    @Test
    void optionsAfterEndOfListArePaddingAndUnknownOptionsAreKept() throws MalformedPacketException {
        byte[] bytes = HEX.parseHex("4700001c299b40004001" + "0000" + "0a0000010a000002" + "9e04abcd" + "00ffffff");
        Ipv4Repr repr = Ipv4Repr.parse(Ipv4Packet.wrapChecked(bytes, 0, bytes.length));
        assertThat(repr.options()).containsExactly(new Ipv4Option.Other(0x9e, HEX.parseHex("abcd")), new Ipv4Option.EndOfOptionList());
        assertThat(HEX.formatHex(repr.rawOptions())).isEqualTo("9e04abcd00ffffff");
    }

    @Test
    void versionOtherThanFourIsMalformed() throws MalformedPacketException {
        byte[] bytes = withPayload(ECHO_HEADER, 64);
        bytes[0] = 0x65;
        Ipv4Packet packet = Ipv4Packet.wrapChecked(bytes, 0, bytes.length);
        assertThatThrownBy(() -> Ipv4Repr.parse(packet)).isInstanceOf(MalformedPacketException.class).hasMessageContaining("version 6");
    }

    @Test
    void aQuotedHeaderMayAnnounceMoreThanIsPresent() throws MalformedPacketException {
        byte[] bytes = withPayload(ECHO_HEADER, 8);
        Ipv4Packet packet = Ipv4Packet.wrapHeaderChecked(bytes, 0, bytes.length);
        assertThat(packet.totalLength()).isEqualTo(84);
        assertThat(packet.payloadLength()).isEqualTo(8);
    }

    private static void assertMalformed(byte[] bytes, String field) {
        assertThatThrownBy(() -> Ipv4Packet.wrapChecked(bytes, 0, bytes.length)).isInstanceOf(MalformedPacketException.class)
                .satisfies(e -> assertThat(((MalformedPacketException) e).field()).isEqualTo(field));
    }

    private static byte[] withPayload(String header, int payload) {
        byte[] head = HEX.parseHex(header);
        byte[] bytes = new byte[head.length + payload];
        System.arraycopy(head, 0, bytes, 0, head.length);
        return bytes;
    }
}
