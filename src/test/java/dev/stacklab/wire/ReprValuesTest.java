package dev.stacklab.wire;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reprs compare by value and keep their bytes to themselves; bad input leaves wire only as MalformedPacketException. */
class ReprValuesTest {
    private static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replace(" ", ""));
    }

    /**
     * A header as an ICMP error may quote it: IHL 5 (20 bytes) but total length 16. wrapHeaderChecked accepts it (it
     * checks the header only); parse must say what is wrong, not throw IllegalArgumentException from the record.
     */
    @Test
    void aQuotedHeaderWithATotalLengthBelowItsHeaderLengthIsMalformed() throws MalformedPacketException {
        byte[] header = hex("4500 0010 1234 0000 4011 0000 0a000001 0a000002");
        Ipv4Packet packet = Ipv4Packet.wrapHeaderChecked(header, 0, header.length);
        assertThatThrownBy(() -> Ipv4Repr.parse(packet))
                .isInstanceOf(MalformedPacketException.class)
                .hasMessageContaining("ip.len")
                .hasMessageContaining("16")
                .satisfies(e -> assertThat(((MalformedPacketException) e).offset()).isEqualTo(2));
    }

    @Test
    void ipv4ReprsCompareByValueAndHandOutCopiesOfTheirOptions() throws MalformedPacketException {
        // 10.0.0.1 -> 10.0.0.2, UDP, TTL 64, with a 4-byte options area (NOP, NOP, NOP, EOL), no payload.
        byte[] bytes = hex("4600 0018 0001 0000 4011 0000 0a000001 0a000002 01010100");
        Ipv4Repr parsed = Ipv4Repr.parse(Ipv4Packet.wrapChecked(bytes, 0, bytes.length));
        Ipv4Repr again = Ipv4Repr.parse(Ipv4Packet.wrapChecked(bytes.clone(), 0, bytes.length));
        assertThat(parsed).isEqualTo(again).hasSameHashCodeAs(again);
        byte[] options = parsed.rawOptions();
        options[0] = 0x44;
        assertThat(parsed.rawOptions()).isEqualTo(hex("01010100"));
        assertThat(parsed).isEqualTo(again);
    }

    @Test
    void udpReprsCompareByValueAndOwnTheirPayload() {
        byte[] data = {1, 2, 3};
        UdpRepr datagram = new UdpRepr(1000, 7, data);
        data[0] = 9;
        assertThat(datagram.payload()).containsExactly(1, 2, 3);
        datagram.payload()[1] = 9;
        assertThat(datagram.payload()).containsExactly(1, 2, 3);
        assertThat(datagram).isEqualTo(new UdpRepr(1000, 7, new byte[] {1, 2, 3})).hasSameHashCodeAs(new UdpRepr(1000, 7, new byte[] {1, 2, 3}));
        assertThat(datagram).isNotEqualTo(new UdpRepr(1000, 7, new byte[] {1, 2, 4}));
        assertThat(datagram.payloadLength()).isEqualTo(3);
        // Emitting still writes the payload it owns: 1000 -> 7, length 11, checksum, 01 02 03.
        byte[] out = new byte[datagram.bufferLength()];
        datagram.emit(out, 0, Ipv4Address.parse("10.0.0.1"), Ipv4Address.parse("10.0.0.2"));
        assertThat(HexFormat.of().formatHex(out)).startsWith("03e80007000b").endsWith("010203");
    }

    @Test
    void icmpReprsCompareByValueAndOwnTheirBytes() throws MalformedPacketException {
        // Echo request id 0x1234 seq 1, data "abc": type 8, code 0, checksum, then the rest.
        Icmpv4Repr request = new Icmpv4Repr.EchoRequest(0x1234, 1, "abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        byte[] bytes = new byte[request.bufferLength()];
        request.emit(bytes, 0);
        Icmpv4Repr parsed = Icmpv4Repr.parse(Icmpv4Packet.wrapChecked(bytes, 0, bytes.length));
        assertThat(parsed).isEqualTo(request).hasSameHashCodeAs(request);
        ((Icmpv4Repr.EchoRequest) parsed).data()[0] = 'z';
        assertThat(parsed).isEqualTo(request);
        assertThat(parsed.toString()).contains("616263");

        byte[] quote = hex("4500001c000100004011000a0a0000010a000002");
        List<Icmpv4Repr> kinds = List.of(new Icmpv4Repr.DestinationUnreachable(3, 0, quote), new Icmpv4Repr.TimeExceeded(0, quote),
                new Icmpv4Repr.ParameterProblem(0, 12, quote), new Icmpv4Repr.Other(13, 0, 0, quote),
                new Icmpv4Repr.EchoReply(1, 2, quote));
        quote[0] = 0;
        for (Icmpv4Repr kind : kinds) {
            byte[] emitted = new byte[kind.bufferLength()];
            kind.emit(emitted, 0);
            assertThat(emitted[8]).as("%s kept its own copy", kind).isEqualTo((byte) 0x45);
            Icmpv4Repr back = Icmpv4Repr.parse(Icmpv4Packet.wrapChecked(emitted, 0, emitted.length));
            assertThat(back).isEqualTo(kind).hasSameHashCodeAs(kind);
        }
        assertThat(new Icmpv4Repr.TimeExceeded(0, quote)).isNotEqualTo(new Icmpv4Repr.TimeExceeded(1, quote));
    }

    @Test
    void genericArpHandsOutCopies() {
        ArpRepr.Generic arp = new ArpRepr.Generic(6, EtherType.IPV4, 1, new byte[] {1, 2}, new byte[] {3}, new byte[] {4, 5},
                new byte[] {6});
        arp.senderHardwareAddress()[0] = 9;
        arp.targetProtocolAddress()[0] = 9;
        assertThat(arp.senderHardwareAddress()).containsExactly(1, 2);
        assertThat(arp.targetProtocolAddress()).containsExactly(6);
        assertThat(arp).isEqualTo(new ArpRepr.Generic(6, EtherType.IPV4, 1, new byte[] {1, 2}, new byte[] {3}, new byte[] {4, 5},
                new byte[] {6}));
    }
}
