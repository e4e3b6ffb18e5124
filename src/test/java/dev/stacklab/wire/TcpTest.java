package dev.stacklab.wire;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TcpTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final Ipv4Address CLIENT = Ipv4Address.parse("10.44.0.1");
    private static final Ipv4Address SERVER = Ipv4Address.parse("10.44.0.2");
    // SYN the Linux kernel sent for `nc 10.44.0.2 8080`: MSS 1460, SACK permitted, timestamps, NOP, window scale 10.
    private static final String SYN = "e71e1f9093fa66aa00000000a002faf081310000020405b40402080ab88efd9d000000000103030a";
    // The data segment that followed: PSH+ACK, NOP NOP timestamps, "hello stacklab\n".
    private static final String DATA = "e71e1f9093fa66ab2d5fc6f88018003f772c00000101080ab88efd9d01e64d88"
            + "68656c6c6f20737461636b6c61620a";
    // RST+ACK the kernel answered to a SYN for a closed port.
    private static final String RESET = "0051a9fc00000000388d029850140000b6030000";

    @Test
    void decodesAKernelSyn() throws MalformedPacketException {
        byte[] bytes = HEX.parseHex(SYN);
        TcpPacket packet = TcpPacket.wrapChecked(bytes, 0, bytes.length);
        assertThat(packet.sourcePort()).isEqualTo(59166);
        assertThat(packet.destinationPort()).isEqualTo(8080);
        assertThat(packet.sequenceNumber()).isEqualTo(2482661034L);
        assertThat(packet.acknowledgmentNumber()).isZero();
        assertThat(packet.headerLength()).isEqualTo(40);
        assertThat(packet.flags()).isEqualTo(TcpPacket.FLAG_SYN);
        assertThat(packet.syn()).isTrue();
        assertThat(packet.ack()).isFalse();
        assertThat(packet.window()).isEqualTo(64240);
        assertThat(packet.checksum()).isEqualTo(0x8131);
        assertThat(packet.checksumValid(CLIENT, SERVER)).isTrue();
        assertThat(packet.computeChecksum(CLIENT, SERVER)).isEqualTo(0x8131);
        assertThat(packet.payloadLength()).isZero();
        assertThat(packet.sequenceLength()).isEqualTo(1);
        assertThat(packet.options()).containsExactly(
                new TcpOption.MaximumSegmentSize(1460),
                new TcpOption.SackPermitted(),
                new TcpOption.Timestamps(3096378781L, 0),
                new TcpOption.NoOperation(),
                new TcpOption.WindowScale(10));
    }

    @Test
    void emitsTheSameSyn() {
        TcpRepr repr = new TcpRepr(59166, 8080, TcpSeqNumber.of(2482661034L), TcpSeqNumber.ZERO, TcpFlags.SYN, 64240, 0,
                List.of(new TcpOption.MaximumSegmentSize(1460), new TcpOption.SackPermitted(),
                        new TcpOption.Timestamps(3096378781L, 0), new TcpOption.NoOperation(), new TcpOption.WindowScale(10)),
                new byte[0]);
        assertThat(repr.headerLength()).isEqualTo(40);
        byte[] out = new byte[repr.bufferLength()];
        repr.emit(out, 0, CLIENT, SERVER);
        assertThat(HEX.formatHex(out)).isEqualTo(SYN);
    }

    @Test
    void dataAndResetRoundTripExactly() throws MalformedPacketException {
        assertRoundTrip(SYN, CLIENT, SERVER);
        assertRoundTrip(DATA, CLIENT, SERVER);
        assertRoundTrip(RESET, SERVER, CLIENT);
        TcpRepr data = TcpRepr.parse(TcpPacket.wrapChecked(HEX.parseHex(DATA), 0, DATA.length() / 2), CLIENT, SERVER);
        assertThat(data.flags()).isEqualTo(TcpFlags.PSH_ACK);
        assertThat(data.acknowledgmentNumber()).isEqualTo(TcpSeqNumber.of(761251576L));
        assertThat(new String(data.payload(), java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("hello stacklab\n");
        TcpRepr reset = TcpRepr.parse(TcpPacket.wrapChecked(HEX.parseHex(RESET), 0, 20), SERVER, CLIENT);
        assertThat(reset.hasFlag(TcpFlags.RST)).isTrue();
        assertThat(reset.options()).isEmpty();
    }

    @Test
    void everyFlagBitIncludingEcnAndNonce() throws MalformedPacketException {
        byte[] bytes = HEX.parseHex(RESET);
        bytes[12] = 0x5F; // data offset 5, reserved 111, NS
        bytes[13] = (byte) 0xFF;
        TcpPacket packet = TcpPacket.wrapChecked(bytes, 0, bytes.length);
        assertThat(packet.flags()).isEqualTo(0xFFF);
        assertThat(packet.ns()).isTrue();
        assertThat(packet.cwr()).isTrue();
        assertThat(packet.ece()).isTrue();
        assertThat(packet.urg()).isTrue();
        assertThat(packet.fin() && packet.syn() && packet.rst() && packet.psh() && packet.ack()).isTrue();
        TcpRepr repr = new TcpRepr(1, 2, TcpSeqNumber.of(3), TcpSeqNumber.of(4),
                TcpFlags.of(TcpFlags.NS, TcpFlags.CWR, TcpFlags.ECE, TcpFlags.SYN), 5, 0, List.of(), new byte[0]);
        byte[] out = new byte[repr.bufferLength()];
        repr.emit(out, 0, CLIENT, SERVER);
        assertThat(HEX.formatHex(out, 12, 14)).isEqualTo("51c2");
    }

    @Test
    void sackBlocksAndUnknownOptionsAreKept() throws MalformedPacketException {
        TcpRepr repr = new TcpRepr(80, 40000, TcpSeqNumber.of(1000), TcpSeqNumber.of(2000), TcpFlags.ACK, 512, 0,
                List.of(new TcpOption.NoOperation(), new TcpOption.NoOperation(),
                        new TcpOption.Sack(List.of(new TcpOption.SackBlock(3000, 4000), new TcpOption.SackBlock(5000, 6000))),
                        new TcpOption.Unknown(30, new byte[]{1})),
                new byte[]{42});
        byte[] out = new byte[repr.bufferLength()];
        repr.emit(out, 0, SERVER, CLIENT);
        assertThat(HEX.formatHex(out, 20, 44)).isEqualTo("0101" + "0512" + "00000bb800000fa00000138800001770" + "1e0301" + "00");
        TcpPacket packet = TcpPacket.wrapChecked(out, 0, out.length);
        assertThat(packet.headerLength()).isEqualTo(44);
        assertThat(packet.checksumValid(SERVER, CLIENT)).isTrue();
        List<TcpOption> options = packet.options();
        assertThat(options.get(2)).isEqualTo(repr.options().get(2));
        assertThat(options.get(3)).isInstanceOfSatisfying(TcpOption.Unknown.class, unknown -> {
            assertThat(unknown.kind()).isEqualTo(30);
            assertThat(unknown.data()).containsExactly(1);
        });
        // The zero byte of padding reads as end-of-list.
        assertThat(options).hasSize(5).last().isEqualTo(new TcpOption.EndOfList());
    }

    @Test
    void dataOffsetUnderFiveOrBeyondTheSegmentIsMalformed() {
        byte[] bytes = HEX.parseHex(RESET);
        bytes[12] = 0x40;
        assertThatThrownBy(() -> TcpPacket.wrapChecked(bytes, 0, bytes.length))
                .isInstanceOf(MalformedPacketException.class).hasMessageContaining("under the minimum");
        bytes[12] = 0x60;
        assertThatThrownBy(() -> TcpPacket.wrapChecked(bytes, 0, bytes.length))
                .isInstanceOf(MalformedPacketException.class).hasMessageContaining("beyond");
        for (int length = 0; length < 20; length++) {
            int cut = length;
            assertThatThrownBy(() -> TcpPacket.wrapChecked(bytes, 0, cut)).isInstanceOf(MalformedPacketException.class);
        }
    }

    @Test
    void illegalOptionLengthsAreMalformed() throws MalformedPacketException {
        // Options area of 4 bytes after a 20-byte header; each case is one bad option.
        String[] bad = {
                "02000000", // length 0
                "02010000", // length 1
                "080a0000", // timestamps running past the end
                "02050000", // MSS with length 5
                "03020000", // window scale with length 2
                "05040000", // SACK with no whole block
                "01010102", // a kind byte with no room for its length
        };
        for (String options : bad) {
            byte[] bytes = HEX.parseHex(RESET.substring(0, 24) + "60" + RESET.substring(26) + options);
            TcpPacket packet = TcpPacket.wrapChecked(bytes, 0, bytes.length);
            assertThatThrownBy(packet::options).as(options).isInstanceOf(MalformedPacketException.class)
                    .hasMessageContaining("option kind");
        }
    }

    @Test
    void reprsCompareByValueAndKeepTheirPayloadToThemselves() throws MalformedPacketException {
        byte[] bytes = HEX.parseHex(DATA);
        TcpRepr first = TcpRepr.parse(TcpPacket.wrapChecked(bytes, 0, bytes.length), CLIENT, SERVER);
        TcpRepr second = TcpRepr.parse(TcpPacket.wrapChecked(bytes.clone(), 0, bytes.length), CLIENT, SERVER);
        assertThat(first).isEqualTo(second).hasSameHashCodeAs(second);
        byte[] handedOut = first.payload();
        handedOut[0] = 'J';
        assertThat(first.payload()[0]).isEqualTo((byte) 'h');
        assertThat(first).isEqualTo(second);
        byte[] given = "abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        TcpRepr built = new TcpRepr(1, 2, TcpSeqNumber.of(3), TcpSeqNumber.of(4), TcpFlags.ACK, 5, 0, List.of(), given);
        given[0] = 'x';
        assertThat(built.payload()).containsExactly('a', 'b', 'c');
        assertThat(built).isNotEqualTo(new TcpRepr(1, 2, TcpSeqNumber.of(3), TcpSeqNumber.of(4), TcpFlags.ACK, 5, 0, List.of(),
                "abd".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        assertThat(built.sequenceLength()).isEqualTo(3);
        assertThat(built.toString()).isEqualTo("1 → 2 [ACK] Seq=3 Ack=4 Win=5 Len=3");
        byte[] unknownData = {7, 8};
        TcpOption.Unknown unknown = new TcpOption.Unknown(99, unknownData);
        unknownData[0] = 0;
        unknown.data()[1] = 0;
        assertThat(unknown).isEqualTo(new TcpOption.Unknown(99, new byte[]{7, 8}));
    }

    @Test
    void settersBuildTheSameSegmentAsEmit() throws MalformedPacketException {
        // The RST+ACK above, written field by field into a zeroed buffer.
        byte[] out = new byte[20];
        TcpPacket packet = TcpPacket.wrapForWriting(out, 0, 20);
        packet.setSourcePort(81);
        packet.setDestinationPort(43516);
        packet.setSequenceNumber(TcpSeqNumber.ZERO);
        packet.setAcknowledgmentNumber(TcpSeqNumber.of(0x388d0298L));
        packet.setHeaderLength(20);
        packet.setFlags(TcpFlags.RST_ACK);
        packet.setWindow(0);
        packet.setUrgentPointer(0);
        packet.fillChecksum(SERVER, CLIENT);
        assertThat(HEX.formatHex(out)).isEqualTo(RESET);
        TcpPacket read = TcpPacket.wrapChecked(out, 0, 20);
        assertThat(read.typedFlags()).isEqualTo(TcpFlags.RST_ACK);
        assertThat(read.acknowledgment()).isEqualTo(TcpSeqNumber.of(0x388d0298L));
        assertThat(read.sequence()).isEqualTo(TcpSeqNumber.ZERO);
        assertThatThrownBy(() -> packet.setHeaderLength(22)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TcpPacket.wrapForWriting(out, 4, 20)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void flagsReadAsWiresharkShowsThem() {
        assertThat(TcpFlags.SYN_ACK).hasToString("[SYN, ACK]");
        assertThat(TcpFlags.of(TcpFlags.FIN, TcpFlags.PSH, TcpFlags.ACK)).hasToString("[FIN, PSH, ACK]");
        assertThat(TcpFlags.of(TcpFlags.SYN, TcpFlags.ECE, TcpFlags.CWR)).hasToString("[SYN, ECE, CWR]");
        assertThat(TcpFlags.NONE).hasToString("[<None>]");
        assertThat(TcpFlags.SYN_ACK.has(TcpFlags.SYN)).isTrue();
        assertThat(TcpFlags.SYN_ACK.without(TcpFlags.SYN)).isEqualTo(TcpFlags.ACK);
        assertThat(TcpFlags.ACK.has(TcpFlags.SYN_ACK)).isFalse();
        assertThatThrownBy(() -> new TcpFlags(0x1000)).isInstanceOf(IllegalArgumentException.class);
    }

    private static void assertRoundTrip(String hex, Ipv4Address source, Ipv4Address destination) throws MalformedPacketException {
        byte[] bytes = HEX.parseHex(hex);
        TcpRepr repr = TcpRepr.parse(TcpPacket.wrapChecked(bytes, 0, bytes.length), source, destination);
        byte[] out = new byte[repr.bufferLength()];
        repr.emit(out, 0, source, destination);
        assertThat(HEX.formatHex(out)).isEqualTo(hex);
    }
}
