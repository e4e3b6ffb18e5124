package dev.stacklab.wire;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UdpTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final Ipv4Address SOURCE = Ipv4Address.parse("10.44.0.1");
    private static final Ipv4Address DESTINATION = Ipv4Address.parse("10.44.0.2");
    // "hi\n" sent by nc -u from 10.44.0.1:49800 to 10.44.0.2:9999 (kernel checksum 0x8f7c).
    private static final String DATAGRAM = "c288270f000b8f7c68690a";

    @Test
    void decodesAKernelDatagram() throws MalformedPacketException {
        byte[] bytes = HEX.parseHex(DATAGRAM);
        UdpPacket packet = UdpPacket.wrapChecked(bytes, 0, bytes.length);
        assertThat(packet.sourcePort()).isEqualTo(49800);
        assertThat(packet.destinationPort()).isEqualTo(9999);
        assertThat(packet.length()).isEqualTo(11);
        assertThat(packet.checksum()).isEqualTo(0x8f7c);
        assertThat(packet.checksumValid(SOURCE, DESTINATION)).isTrue();
        assertThat(packet.checksumValid(DESTINATION, Ipv4Address.parse("10.44.0.3"))).isFalse();
        assertThat(packet.computeChecksum(SOURCE, DESTINATION)).isEqualTo(0x8f7c);
        UdpRepr repr = UdpRepr.parse(packet, SOURCE, DESTINATION);
        assertThat(repr.sourcePort()).isEqualTo(49800);
        assertThat(repr.destinationPort()).isEqualTo(9999);
        assertThat(repr.payload()).containsExactly('h', 'i', '\n');
        assertThat(repr.checksummed()).isTrue();
    }

    @Test
    void emitsTheSameDatagram() {
        UdpRepr repr = new UdpRepr(49800, 9999, new byte[]{'h', 'i', '\n'});
        byte[] out = new byte[repr.bufferLength()];
        repr.emit(out, 0, SOURCE, DESTINATION);
        assertThat(HEX.formatHex(out)).isEqualTo(DATAGRAM);
    }

    @Test
    void checksumZeroMeansNoneAndRoundTrips() throws MalformedPacketException {
        byte[] bytes = HEX.parseHex("c288270f000b000068690a");
        UdpPacket packet = UdpPacket.wrapChecked(bytes, 0, bytes.length);
        assertThat(packet.checksumValid(SOURCE, DESTINATION)).isTrue();
        UdpRepr repr = UdpRepr.parse(packet, SOURCE, DESTINATION);
        assertThat(repr.checksummed()).isFalse();
        byte[] out = new byte[repr.bufferLength()];
        repr.emit(out, 0, SOURCE, DESTINATION);
        assertThat(HEX.formatHex(out)).isEqualTo("c288270f000b000068690a");
    }

    @Test
    void aComputedZeroChecksumIsSentAsAllOnes() throws MalformedPacketException {
        // Choose the last two payload bytes so that the sum comes out as all ones, i.e. a checksum of 0.
        byte[] payload = new byte[2];
        UdpRepr probe = new UdpRepr(1, 2, payload);
        byte[] out = new byte[probe.bufferLength()];
        probe.emit(out, 0, SOURCE, DESTINATION);
        int checksum = BigEndian.u16(out, UdpPacket.CHECKSUM);
        // Adding the checksum value to the data makes the sum all ones, so the new checksum is zero.
        BigEndian.putU16(payload, 0, checksum);
        UdpRepr zero = new UdpRepr(1, 2, payload);
        zero.emit(out, 0, SOURCE, DESTINATION);
        assertThat(BigEndian.u16(out, UdpPacket.CHECKSUM)).isEqualTo(0xFFFF);
        assertThat(UdpPacket.wrapChecked(out, 0, out.length).checksumValid(SOURCE, DESTINATION)).isTrue();
        assertThat(UdpRepr.parse(UdpPacket.wrapChecked(out, 0, out.length), SOURCE, DESTINATION).payload()).isEqualTo(payload);
    }

    @Test
    void paddingAfterTheLengthIsNotPayload() throws MalformedPacketException {
        byte[] bytes = HEX.parseHex(DATAGRAM + "000000");
        UdpPacket packet = UdpPacket.wrapChecked(bytes, 0, bytes.length);
        assertThat(packet.payloadLength()).isEqualTo(3);
        assertThat(packet.checksumValid(SOURCE, DESTINATION)).isTrue();
    }

    @Test
    void rejectsShortHeadersAndLyingLengths() {
        byte[] bytes = HEX.parseHex(DATAGRAM);
        for (int length = 0; length < bytes.length; length++) {
            int cut = length;
            assertThatThrownBy(() -> UdpPacket.wrapChecked(bytes, 0, cut)).isInstanceOf(MalformedPacketException.class);
        }
        byte[] tooShort = HEX.parseHex("c288270f00078f7c68690a");
        assertThatThrownBy(() -> UdpPacket.wrapChecked(tooShort, 0, tooShort.length))
                .isInstanceOf(MalformedPacketException.class).hasMessageContaining("shorter than the 8-byte header");
        byte[] bad = HEX.parseHex("c288270f000b8f7d68690a");
        assertThatThrownBy(() -> UdpRepr.parse(UdpPacket.wrapChecked(bad, 0, bad.length), SOURCE, DESTINATION))
                .isInstanceOf(MalformedPacketException.class).hasMessageContaining("checksum");
    }
}
