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
    // Linux's reply to `ping -T tsonly`: Timestamp (length 40, pointer 17, flag 0), three stamps 12831495 ms.
    private static final String TIMESTAMP_ONLY_HEADER = "4f00007c6532000040013e2a0a4d00020a4d0001"
            + "44281100" + "00c3cb07".repeat(3) + "0".repeat(48);
    // Linux's reply to `ping -T tsandaddr`: Timestamp (length 36, pointer 29, flag 1), three filled pairs.
    private static final String TIMESTAMP_AND_ADDRESS_HEADER = "4e000078653400004001142e0a4d00020a4d0001"
            + "44241d01" + "0a4d000100c3cb0e" + "0a4d000200c3cb0e" + "0a4d000200c3cb0e" + "0".repeat(16);
    // `ping -T tsprespec 10.77.0.2 10.77.0.1`: Timestamp (length 20, pointer 5, flag 3), two listed addresses.
    private static final String TIMESTAMP_PRESPECIFIED_HEADER = "4a00006827bd400040019b870a4d00010a4d0002"
            + "44140503" + "0a4d000200000000" + "0a4d000100000000";
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
    void parsesLinuxTimestampOptionsAndRoundTripsThem() throws MalformedPacketException {
        Ipv4Option.Timestamp only = singleTimestamp(TIMESTAMP_ONLY_HEADER);
        assertThat(only.pointer()).isEqualTo(17);
        assertThat(only.overflow()).isZero();
        assertThat(only.flag()).isEqualTo(Ipv4Option.TIMESTAMP_ONLY);
        assertThat(only.addresses()).isEmpty();
        assertThat(only.timestamps()).hasSize(9).startsWith(12831495L, 12831495L, 12831495L, 0L);
        assertThat(only.length()).isEqualTo(40);
        assertThat(only.full()).isFalse();
        assertThat(only.malformedByte()).isEqualTo(-1);

        Ipv4Option.Timestamp withAddress = singleTimestamp(TIMESTAMP_AND_ADDRESS_HEADER);
        assertThat(withAddress.flag()).isEqualTo(Ipv4Option.TIMESTAMP_WITH_ADDRESS);
        assertThat(withAddress.pointer()).isEqualTo(29);
        assertThat(withAddress.addresses()).containsExactly(Ipv4Address.parse("10.77.0.1"), Ipv4Address.parse("10.77.0.2"),
                Ipv4Address.parse("10.77.0.2"), Ipv4Address.UNSPECIFIED);
        assertThat(withAddress.timestamps()).containsExactly(12831502L, 12831502L, 12831502L, 0L);

        Ipv4Option.Timestamp prespecified = singleTimestamp(TIMESTAMP_PRESPECIFIED_HEADER);
        assertThat(prespecified.flag()).isEqualTo(Ipv4Option.TIMESTAMP_PRESPECIFIED);
        assertThat(prespecified.addresses()).containsExactly(Ipv4Address.parse("10.77.0.2"), Ipv4Address.parse("10.77.0.1"));
        for (String header : List.of(TIMESTAMP_ONLY_HEADER, TIMESTAMP_AND_ADDRESS_HEADER, TIMESTAMP_PRESPECIFIED_HEADER)) {
            byte[] bytes = withPayload(header, 64);
            Ipv4Repr repr = Ipv4Repr.parse(Ipv4Packet.wrapChecked(bytes, 0, bytes.length));
            byte[] out = new byte[repr.bufferLength()];
            repr.emit(out, 0);
            assertThat(HEX.formatHex(out)).isEqualTo(header);
            // Built from the parsed options alone, the options area is the same bytes: emit writes every field.
            assertThat(HEX.formatHex(Ipv4Option.layOut(repr.options()))).isEqualTo(header.substring(40));
        }
    }

    @Test
    void stampedByFollowsRfc791ForEachFlag() throws MalformedPacketException {
        Ipv4Address us = Ipv4Address.parse("10.77.0.9");
        Ipv4Option.Timestamp only = singleTimestamp(TIMESTAMP_ONLY_HEADER).stampedBy(us, 4242);
        assertThat(only.pointer()).isEqualTo(21);
        assertThat(only.timestamps().get(3)).isEqualTo(4242L);

        Ipv4Option.Timestamp withAddress = singleTimestamp(TIMESTAMP_AND_ADDRESS_HEADER).stampedBy(us, 4242);
        assertThat(withAddress.pointer()).isEqualTo(37);
        assertThat(withAddress.addresses().get(3)).isEqualTo(us);
        assertThat(withAddress.timestamps().get(3)).isEqualTo(4242L);
        assertThat(withAddress.full()).isTrue();
        Ipv4Option.Timestamp overflowed = withAddress.stampedBy(us, 4243);
        assertThat(overflowed.overflow()).isEqualTo(1);
        assertThat(overflowed.timestamps()).isEqualTo(withAddress.timestamps());

        Ipv4Option.Timestamp prespecified = singleTimestamp(TIMESTAMP_PRESPECIFIED_HEADER);
        assertThat(prespecified.stampedBy(us, 4242)).as("not the next listed address").isEqualTo(prespecified);
        Ipv4Option.Timestamp listed = prespecified.stampedBy(Ipv4Address.parse("10.77.0.2"), 4242);
        assertThat(listed.pointer()).isEqualTo(13);
        assertThat(listed.timestamps()).containsExactly(4242L, 0L);
        assertThat(listed.stampedBy(Ipv4Address.parse("10.77.0.2"), 1)).as("listed once, not next").isEqualTo(listed);

        Ipv4Option.Timestamp atLimit = new Ipv4Option.Timestamp(5, 15, 0, List.of(), List.of());
        assertThatThrownBy(() -> atLimit.stampedBy(us, 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void recordRouteRecordsUntilFull() {
        Ipv4Address first = Ipv4Address.parse("10.0.0.1");
        Ipv4Address second = Ipv4Address.parse("10.0.0.2");
        Ipv4Option.RecordRoute empty = new Ipv4Option.RecordRoute(4, List.of(Ipv4Address.UNSPECIFIED, Ipv4Address.UNSPECIFIED));
        Ipv4Option.RecordRoute full = empty.withRecorded(first).withRecorded(second);
        assertThat(full.pointer()).isEqualTo(12);
        assertThat(full.recorded()).containsExactly(first, second);
        assertThat(full.full()).isTrue();
        assertThatThrownBy(() -> full.withRecorded(first)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void parsesSourceRoutesAndOnlyTheyAreCopiedIntoFragments() throws MalformedPacketException {
        // LSRR (length 11, pointer 12: complete, two hops recorded), SSRR (length 7, pointer 4), RR, TS, padding.
        String options = "830b0c" + "c0000201" + "c0000202" + "890704" + "c0000203" + "070704" + "00000000"
                + "44080500" + "00000000" + "00";
        byte[] bytes = HEX.parseHex("4e000038000000004001" + "0000" + "0a0000010a000002" + options + "0000");
        List<Ipv4Option> parsed = Ipv4Packet.wrapChecked(bytes, 0, bytes.length).options();
        Ipv4Option.SourceRoute loose = (Ipv4Option.SourceRoute) parsed.get(0);
        assertThat(loose.strict()).isFalse();
        assertThat(loose.type()).isEqualTo(Ipv4Option.TYPE_LOOSE_SOURCE_ROUTE);
        assertThat(loose.complete()).isTrue();
        assertThat(loose.recorded()).containsExactly(Ipv4Address.parse("192.0.2.1"), Ipv4Address.parse("192.0.2.2"));
        Ipv4Option.SourceRoute strict = (Ipv4Option.SourceRoute) parsed.get(1);
        assertThat(strict.strict()).isTrue();
        assertThat(strict.complete()).isFalse();
        assertThat(strict.nextHop()).isEqualTo(Ipv4Address.parse("192.0.2.3"));
        assertThatThrownBy(loose::nextHop).isInstanceOf(IllegalStateException.class);
        assertThat(parsed).extracting(Ipv4Option::copiedIntoFragments).containsExactly(true, true, false, false, false);
        assertThat(HEX.formatHex(Ipv4Option.layOut(parsed))).isEqualTo(options + "0000");
    }

    @Test
    void malformedPointersAndFlagsNameTheByteAtFault() throws MalformedPacketException {
        // Each: an options area, and the offset within the first option that RFC 791 does not allow (-1: none).
        String[][] cases = {
                {"07070300" + "00000000", "2"},       // Record Route pointer before the first slot
                {"07070600" + "00000000", "2"},       // between slots
                {"07070800" + "00000000", "-1"},      // full: allowed, copied as is
                {"07060400" + "000000" + "00", "1"},  // a length that holds no whole slot: kept as Other
                {"44080400" + "00000000", "2"},       // Timestamp pointer before the first entry
                {"44080502" + "00000000", "3"},       // flag 2 is undefined
                {"440c0501" + "0000000000000000", "-1"},
                {"440c0701" + "0000000000000000", "2"}, // between address-and-timestamp entries
                {"440a0501" + "000000000000" + "0000", "1"},  // half an entry
                {"830702" + "00000000" + "00", "2"},  // loose source route pointer before the first slot
                {"94040000", "-1"},                   // Router Alert: not ours to judge
        };
        for (String[] example : cases) {
            byte[] area = HEX.parseHex(example[0]);
            Ipv4Option first = Ipv4Option.parseAll(area, 0, area.length).get(0);
            assertThat(first.malformedByte()).as(example[0]).isEqualTo(Integer.parseInt(example[1]));
        }
    }

    private static Ipv4Option.Timestamp singleTimestamp(String header) throws MalformedPacketException {
        byte[] bytes = withPayload(header, 64);
        List<Ipv4Option> options = Ipv4Packet.wrapChecked(bytes, 0, bytes.length).options();
        assertThat(options.get(0)).isInstanceOf(Ipv4Option.Timestamp.class);
        return (Ipv4Option.Timestamp) options.get(0);
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
