package dev.stacklab.wire;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Icmpv4Test {
    private static final HexFormat HEX = HexFormat.of();

    // Echo request sent by Linux ping (frame 3 of a capture in a namespace): id 0x13a8, seq 1, 56 data bytes.
    private static final String ECHO_REQUEST = "0800e11613a800016550026b00000000d5b1070000000000101112131415161718191a1b"
            + "1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637";
    // Port unreachable the kernel answered to a UDP datagram to port 9999 (frame 8), quoting it whole.
    private static final String PORT_UNREACHABLE = "0303117400000000" + "4500001f94854000401191ee0a2c00010a2c0002"
            + "c288270f000b8f7c68690a";

    @Test
    void decodesAKernelEchoRequest() throws MalformedPacketException {
        byte[] bytes = HEX.parseHex(ECHO_REQUEST);
        Icmpv4Packet packet = Icmpv4Packet.wrapChecked(bytes, 0, bytes.length);
        assertThat(packet.type()).isEqualTo(8);
        assertThat(packet.code()).isZero();
        assertThat(packet.checksum()).isEqualTo(0xe116);
        assertThat(packet.checksumValid()).isTrue();
        assertThat(packet.identifier()).isEqualTo(0x13a8);
        assertThat(packet.sequenceNumber()).isEqualTo(1);
        assertThat(packet.bodyLength()).isEqualTo(56);

        Icmpv4Repr repr = Icmpv4Repr.parse(packet);
        assertThat(repr).isInstanceOf(Icmpv4Repr.EchoRequest.class);
        Icmpv4Repr.EchoRequest echo = (Icmpv4Repr.EchoRequest) repr;
        assertThat(echo.identifier()).isEqualTo(0x13a8);
        assertThat(echo.sequenceNumber()).isEqualTo(1);
        assertThat(echo.data()).hasSize(56).startsWith(0x65, 0x50, 0x02, 0x6b);
    }

    @Test
    void emitsTheSameEchoRequestByteForByte() {
        byte[] expected = HEX.parseHex(ECHO_REQUEST);
        Icmpv4Repr repr = new Icmpv4Repr.EchoRequest(0x13a8, 1, java.util.Arrays.copyOfRange(expected, 8, expected.length));
        byte[] out = new byte[repr.bufferLength()];
        repr.emit(out, 0);
        assertThat(HEX.formatHex(out)).isEqualTo(ECHO_REQUEST);
    }

    @Test
    void echoReplyChecksumDiffersFromTheRequestByTheTypeWord() {
        byte[] request = HEX.parseHex(ECHO_REQUEST);
        Icmpv4Repr reply = new Icmpv4Repr.EchoReply(0x13a8, 1, java.util.Arrays.copyOfRange(request, 8, request.length));
        byte[] out = new byte[reply.bufferLength()];
        reply.emit(out, 0);
        // The kernel's reply (frame 4) carried checksum 0xe916.
        assertThat(HEX.formatHex(out, 0, 4)).isEqualTo("0000e916");
    }

    @Test
    void decodesPortUnreachableWithItsQuotedDatagram() throws MalformedPacketException {
        byte[] bytes = HEX.parseHex(PORT_UNREACHABLE);
        Icmpv4Packet packet = Icmpv4Packet.wrapChecked(bytes, 0, bytes.length);
        assertThat(packet.checksumValid()).isTrue();
        Icmpv4Repr repr = Icmpv4Repr.parse(packet);
        assertThat(repr).isInstanceOf(Icmpv4Repr.DestinationUnreachable.class);
        Icmpv4Repr.DestinationUnreachable unreachable = (Icmpv4Repr.DestinationUnreachable) repr;
        assertThat(unreachable.code()).isEqualTo(3);
        assertThat(unreachable.nextHopMtu()).isZero();
        assertThat(HEX.formatHex(unreachable.quoted())).isEqualTo(PORT_UNREACHABLE.substring(16));
        assertThat(Icmpv4Packet.isError(packet.type())).isTrue();
        assertRoundTrip(bytes);
    }

    @Test
    void fragmentationNeededCarriesTheNextHopMtu() throws MalformedPacketException {
        Icmpv4Repr repr = new Icmpv4Repr.DestinationUnreachable(4, 1400, HEX.parseHex("4500001f94854000401191ee0a2c00010a2c0002c288270f000b8f7c"));
        byte[] out = new byte[repr.bufferLength()];
        repr.emit(out, 0);
        assertThat(HEX.formatHex(out, 0, 2)).isEqualTo("0304");
        assertThat(HEX.formatHex(out, 4, 8)).isEqualTo("00000578");
        Icmpv4Packet packet = Icmpv4Packet.wrapChecked(out, 0, out.length);
        assertThat(packet.checksumValid()).isTrue();
        assertThat(packet.nextHopMtu()).isEqualTo(1400);
        assertThat(Icmpv4Repr.parse(packet)).isInstanceOfSatisfying(Icmpv4Repr.DestinationUnreachable.class, parsed -> {
            assertThat(parsed.code()).isEqualTo(4);
            assertThat(parsed.nextHopMtu()).isEqualTo(1400);
        });
    }

    @Test
    void timeExceededAndParameterProblemRoundTrip() throws MalformedPacketException {
        byte[] quoted = HEX.parseHex("450000544d6540000101d8e90a2c00010a2c00020800e11613a80001");
        for (Icmpv4Repr repr : new Icmpv4Repr[]{new Icmpv4Repr.TimeExceeded(0, quoted), new Icmpv4Repr.ParameterProblem(0, 20, quoted)}) {
            byte[] out = new byte[repr.bufferLength()];
            repr.emit(out, 0);
            Icmpv4Repr parsed = Icmpv4Repr.parse(Icmpv4Packet.wrapChecked(out, 0, out.length));
            assertThat(parsed.getClass()).isEqualTo(repr.getClass());
            assertRoundTrip(out);
        }
        byte[] problem = new byte[8 + quoted.length];
        new Icmpv4Repr.ParameterProblem(0, 20, quoted).emit(problem, 0);
        assertThat(HEX.formatHex(problem, 0, 1)).isEqualTo("0c");
        assertThat(HEX.formatHex(problem, 4, 8)).isEqualTo("14000000");
        assertThat(Icmpv4Packet.wrapChecked(problem, 0, problem.length).pointer()).isEqualTo(20);
    }

    @Test
    void unusedBytesThatAreNotZeroAreKeptAsOther() throws MalformedPacketException {
        byte[] bytes = HEX.parseHex("0303000000010203" + "4500001f94854000401191ee0a2c00010a2c0002");
        BigEndian.putU16(bytes, 2, Checksum.compute(bytes, 0, bytes.length));
        Icmpv4Repr repr = Icmpv4Repr.parse(Icmpv4Packet.wrapChecked(bytes, 0, bytes.length));
        assertThat(repr).isInstanceOf(Icmpv4Repr.Other.class);
        assertThat(((Icmpv4Repr.Other) repr).restOfHeader()).isEqualTo(0x00010203L);
        assertRoundTrip(bytes);
    }

    @Test
    void rejectsShortMessagesAndBadChecksums() {
        byte[] bytes = HEX.parseHex(ECHO_REQUEST);
        for (int length = 0; length < 8; length++) {
            int cut = length;
            assertThatThrownBy(() -> Icmpv4Packet.wrapChecked(bytes, 0, cut)).isInstanceOf(MalformedPacketException.class);
        }
        bytes[20] ^= 1;
        assertThatThrownBy(() -> Icmpv4Repr.parse(Icmpv4Packet.wrapChecked(bytes, 0, bytes.length)))
                .isInstanceOf(MalformedPacketException.class).hasMessageContaining("checksum");
    }

    private static void assertRoundTrip(byte[] bytes) throws MalformedPacketException {
        Icmpv4Repr repr = Icmpv4Repr.parse(Icmpv4Packet.wrapChecked(bytes, 0, bytes.length));
        byte[] out = new byte[repr.bufferLength()];
        repr.emit(out, 0);
        assertThat(HEX.formatHex(out)).isEqualTo(HEX.formatHex(bytes));
    }
}
