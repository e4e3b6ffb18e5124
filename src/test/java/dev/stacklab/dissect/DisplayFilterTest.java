package dev.stacklab.dissect;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static dev.stacklab.dissect.FilterTestFrames.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DisplayFilterTest {
    private static final List<FrameTree> WITHOUT_HIDDEN_FIELDS = FilterTestFrames.trees(false);
    private static final List<FrameTree> WITH_HIDDEN_FIELDS = FilterTestFrames.trees(true);

    private static Arguments row(String filter, Integer... frames) {
        return Arguments.of(filter, Arrays.asList(frames));
    }

    /**
     * Each filter with the frames tshark 4.0.17 selects from the same nine frames
     * ({@code tshark -r f.pcap -Y FILTER -T fields -e frame.number}; the pcap held exactly {@link FilterTestFrames#FRAMES}).
     */
    static Stream<Arguments> tsharkSelections() {
        return Stream.of(
            row("tcp", 7, 8, 9),
            row("arp", 1, 2),
            row("ip", 3, 4, 5, 6, 7, 8, 9),
            row("icmp", 3, 4, 6),
            row("udp", 5, 6),
            row("data", 3, 4, 5, 6),
            row("eth", 1, 2, 3, 4, 5, 6, 7, 8, 9),
            row("frame", 1, 2, 3, 4, 5, 6, 7, 8, 9),
            row("tcp.flags.syn", 7, 8, 9),
            row("ip.flags.df", 3, 4, 5, 6, 7, 8, 9),
            row("tcp.options.mss_val", 7, 8),
            row("tcp.flags.syn == 1", 7, 8),
            row("tcp.flags.syn == 0", 9),
            row("tcp.flags.syn == 2", 7, 8),
            row("tcp.flags.syn == True", 7, 8),
            row("tcp.flags.syn == TRUE", 7, 8),
            row("tcp.flags.syn == False", 9),
            row("tcp.flags.syn == FALSE", 9),
            row("tcp.flags.syn == Set", 7, 8),
            row("tcp.flags.syn == \"Not set\"", 9),
            row("tcp.flags.syn eq 0", 9),
            row("tcp.flags.syn != 1", 9),
            row("tcp.flags.syn == 1 and tcp.flags.ack == 0", 7),
            row("tcp.flags.syn == 1 && tcp.flags.ack == 1 || arp", 1, 2, 8),
            row("tcp.flags == 0x002", 7),
            row("tcp.flags == 2", 7),
            row("ip.addr == 10.0.0.1", 3, 4, 5, 6, 7, 8, 9),
            row("ip.addr == 10.0.0.2", 3, 4, 5, 6, 7, 8),
            row("ip.addr == 192.168.1.5", 9),
            row("ip.addr eq 10.0.0.1 or arp", 1, 2, 3, 4, 5, 6, 7, 8, 9),
            row("ip.addr != 10.0.0.1"),
            row("ip.addr != 10.0.0.5", 3, 4, 5, 6, 7, 8, 9),
            row("ip.addr ne 192.168.1.5", 3, 4, 5, 6, 7, 8),
            row("ip.addr ~= 10.0.0.1", 3, 4, 5, 6, 7, 8, 9),
            row("ip.addr any_ne 10.0.0.1", 3, 4, 5, 6, 7, 8, 9),
            row("ip.addr !== 10.0.0.1", 3, 4, 5, 6, 7, 8, 9),
            row("ip.addr all_ne 10.0.0.1"),
            row("ip.addr === 10.0.0.1"),
            row("ip.addr all_eq 10.0.0.2"),
            row("ip.addr any_eq 10.0.0.2", 3, 4, 5, 6, 7, 8),
            row("ip.addr == 10.0.0.1 and ip.addr == 10.0.0.2", 3, 4, 5, 6, 7, 8),
            row("ip.src == 10.0.0.2", 4, 6, 8),
            row("ip.src != 10.0.0.2", 3, 5, 7, 9),
            row("!(ip.src == 10.0.0.2)", 1, 2, 3, 5, 7, 9),
            row("!ip.src == 10.0.0.1", 1, 2, 4, 8, 9),
            row("any ip.src == 10.0.0.1", 3, 5, 6, 7),
            row("all ip.src == 10.0.0.2", 4, 8),
            row("all ip.src == 10.0.0.1", 3, 5, 7),
            row("any ip.src != 10.0.0.1", 4, 6, 8, 9),
            row("any tcp.port != 80", 7, 8, 9),
            row("all tcp.port != 80", 9),
            row("all tcp.port > 79", 7, 8, 9),
            row("any tcp.port === 80", 7, 8),
            row("ip.src == 10.0.0.0/24", 3, 4, 5, 6, 7, 8),
            row("ip.src != 10.0.0.0/24", 9),
            row("ip.src == 10.0.0.1/8", 3, 4, 5, 6, 7, 8),
            row("ip.src == 10.0.0.1/0", 3, 4, 5, 6, 7, 8, 9),
            row("ip.addr == 192.168.1.0/24", 9),
            row("ip.src > 10.0.0.1", 4, 6, 8, 9),
            row("ip.src < 11.0.0.0", 3, 4, 5, 6, 7, 8),
            row("ip.src > 10.0.0.0/8", 9),
            row("ip.src < 10.0.0.0/8"),
            row("ip.src >= 10.0.0.2", 4, 6, 8, 9),
            row("ip.src <= 10.0.0.1", 3, 5, 6, 7),
            row("ip.dst eq 10.0.0.1 and tcp", 8, 9),
            row("ip.src == ip.dst", 6),
            row("ip.src != ip.dst", 3, 4, 5, 7, 8, 9),
            row("ip.addr == ip.addr", 3, 4, 5, 6, 7, 8, 9),
            row("tcp.srcport > tcp.dstport", 7),
            row("tcp.srcport < tcp.dstport", 8, 9),
            row("udp.port == 33434", 5, 6),
            row("udp.port == 40000", 5, 6),
            row("udp.srcport == 40000", 5, 6),
            row("tcp.port == 80", 7, 8),
            row("tcp.port != 80", 9),
            row("tcp.port ~= 80", 7, 8, 9),
            row("tcp.port === 80"),
            row("tcp.port > 1000", 7, 8, 9),
            row("tcp.port >= 54839", 9),
            row("tcp.port lt 100", 7, 8),
            row("tcp.port le 80", 7, 8),
            row("tcp.port gt 54838", 9),
            row("tcp.port ge 54838", 7, 8, 9),
            row("tcp.srcport == 0x50", 8),
            row("tcp.srcport == 0120", 8),
            row("tcp.srcport == 0b1010000", 8),
            row("tcp.port==80||arp", 1, 2, 7, 8),
            row("tcp.port == 80 or tcp.port == 443 and ip.ttl == 128", 7, 8, 9),
            row("(tcp.port == 80 or tcp.port == 443) and ip.ttl == 128", 9),
            row("ip.ttl == 0100", 3, 4, 5, 6, 7, 8),
            row("ip.ttl == 64", 3, 4, 5, 6, 7, 8),
            row("ip.ttl >= 0x40", 3, 4, 5, 6, 7, 8, 9),
            row("ip.ttl ne 64", 9),
            row("ip.ttl le 64", 3, 4, 5, 6, 7, 8),
            row("ip.ttl gt 64", 9),
            row("ip.ttl ge 128", 9),
            row("ip.ttl < 65 && ip.ttl > 63", 3, 4, 5, 6, 7, 8),
            row("ip.id == 0x5555", 5, 6),
            row("ip.proto == 6", 7, 8, 9),
            row("ip.proto == TCP", 7, 8, 9),
            row("ip.proto == \"UDP\"", 5, 6),
            row("ip.proto in {TCP, UDP}", 5, 6, 7, 8, 9),
            row("ip.flags.df == 1", 3, 4, 5, 6, 7, 8),
            row("ip.flags.df == \"Set\"", 3, 4, 5, 6, 7, 8),
            row("not ip.flags.df == 0", 1, 2, 3, 4, 5, 7, 8),
            row("ip.ttl == 64 and not ip.flags.df == 0", 3, 4, 5, 7, 8),
            row("eth.dst == ff:ff:ff:ff:ff:ff", 1),
            row("eth.dst == FF:FF:FF:FF:FF:FF", 1),
            row("eth.dst == ff-ff-ff-ff-ff-ff", 1),
            row("eth.dst == ffff.ffff.ffff", 1),
            row("eth.dst == ff.ff.ff.ff.ff.ff", 1),
            row("eth.dst == ffffffffffff", 1),
            row("eth.src == 001b.21aa.bbcc", 9),
            row("eth.src == 00:1b:21:aa:bb:cc", 9),
            row("eth.src != 02:00:00:00:00:01", 2, 4, 6, 8, 9),
            row("eth.src > 02:00:00:00:00:01", 2, 4, 6, 8),
            row("eth.addr == 02:00:00:00:00:01", 1, 2, 3, 4, 5, 6, 7, 8, 9),
            row("eth.addr == 02:00:00:00:00:02", 2, 3, 4, 5, 6, 7, 8),
            row("eth.addr != 02:00:00:00:00:01"),
            row("eth.addr != ff:ff:ff:ff:ff:ff", 2, 3, 4, 5, 6, 7, 8, 9),
            row("eth.type == 0x0806", 1, 2),
            row("eth.type == 2048", 3, 4, 5, 6, 7, 8, 9),
            row("arp.opcode == 2", 2),
            row("arp.src.proto_ipv4 == 10.0.0.2", 2),
            row("arp.dst.hw_mac == 00:00:00:00:00:00", 1),
            row("eth.src[0:3] == 00:1b:21", 9),
            row("eth.src[-3:] == aa:bb:cc", 9),
            row("eth.src[0-1] == 00:1b", 9),
            row("eth.src[:2] == 00:1b", 9),
            row("eth.src[3:] == aa:bb:cc", 9),
            row("eth.src[5] == cc", 9),
            row("ip.src[0:2] == c0.a8", 9),
            row("ip.src[0] == 0xc0", 9),
            row("frame[0:6] == ff:ff:ff:ff:ff:ff", 1),
            row("frame[12:2] == 08:06", 1, 2),
            row("eth[12:2] == 08:00", 3, 4, 5, 6, 7, 8, 9),
            row("data.data == 68:65:6c:6c:6f", 5, 6),
            row("data.data == 68656c6c6f", 5, 6),
            row("data.data == 68.65.6c.6c.6f", 5, 6),
            row("data.data == \"hello\"", 5, 6),
            row("data.data contains \"ll\"", 5, 6),
            row("data.data contains 62:63", 3, 4),
            row("data.data > 68:65", 3, 4, 5, 6),
            row("data.data < 68:65"),
            row("data.data == 68:65:6c:6c"),
            row("udp.port in {33434}", 5, 6),
            row("tcp.port in {80, 443}", 7, 8, 9),
            row("tcp.port in {443 ,80}", 7, 8, 9),
            row("tcp.port in {80..100}", 7, 8),
            row("tcp.port in {80 .. 100}", 7, 8),
            row("tcp.port in {0x50, 0600}", 7, 8),
            row("tcp.port not in {80, 443}", 1, 2, 3, 4, 5, 6),
            row("!(tcp.port in {80, 443})", 1, 2, 3, 4, 5, 6),
            row("tcp.srcport in {80..443}", 8, 9),
            row("ip.src in {10.0.0.2, 192.168.1.0/24}", 4, 6, 8, 9),
            row("ip.src in {10.0.0.1..10.0.0.1}", 3, 5, 6, 7),
            row("frame.len in {60..70}", 1, 2, 3, 4, 5, 7, 8, 9),
            row("frame.number in {1, 3..5}", 1, 3, 4, 5),
            row("frame.number == 3", 3),
            row("frame.len > 60", 6),
            row("frame.len == 75", 6),
            row("frame.time_relative > 4", 6, 7, 8, 9),
            row("frame.time_relative >= 4.5", 6, 7, 8, 9),
            row("frame.time_relative == 4", 5),
            row("frame.time_relative <= 0.000000001", 1),
            row("frame.time_delta == 1", 2, 3, 4, 5, 6, 7, 8, 9),
            row("ip.host == 10.0.0.1", 3, 4, 5, 6, 7, 8, 9),
            row("ip.host == \"192.168.1.5\"", 9),
            row("ip.host", 3, 4, 5, 6, 7, 8, 9),
            row("ip or arp and tcp", 3, 4, 5, 6, 7, 8, 9),
            row("arp or icmp and ip.ttl == 64", 1, 2, 3, 4, 6),
            row("arp and icmp or udp", 5, 6),
            row("arp || icmp && ip.src == 10.0.0.1", 1, 2, 3, 6),
            row("not arp and not ip"),
            row("!tcp and !arp", 3, 4, 5, 6),
            row("not tcp or udp", 1, 2, 3, 4, 5, 6),
            row("not not arp", 1, 2),
            row("!!arp", 1, 2),
            row("ip.src == 10.0.0.1 && !icmp", 5, 7),
            row("((arp))", 1, 2),
            row("!(arp or tcp) and ip.ttl == 64", 3, 4, 5, 6),
            row("icmp.type == 3 and udp.dstport == 33434", 6),
            row("icmp.type == 8 || icmp.type == 0", 3, 4));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tsharkSelections")
    void selectsTheFramesTsharkSelects(String filter, List<Integer> expected) throws DisplayFilterException {
        DisplayFilter compiled = DisplayFilter.compile(filter, LOOKUP);
        assertThat(selected(compiled, WITHOUT_HIDDEN_FIELDS)).as("either-direction names as aliases").isEqualTo(expected);
        assertThat(selected(compiled, WITH_HIDDEN_FIELDS)).as("with hidden ip.addr, tcp.port, ... in the tree").isEqualTo(expected);
    }

    private static List<Integer> selected(DisplayFilter filter, List<FrameTree> trees) {
        List<Integer> numbers = new ArrayList<>();
        for (int i = 0; i < trees.size(); i++) {
            if (filter.matches(trees.get(i))) {
                numbers.add(i + 1);
            }
        }
        return numbers;
    }

    private static boolean matches(String filter, FrameTree tree) throws DisplayFilterException {
        return DisplayFilter.compile(filter, LOOKUP).matches(tree);
    }

    // ---- semantics beyond the tshark table ----

    @Test
    void emptyFilterMatchesEverythingAndKeepsItsText() throws DisplayFilterException {
        DisplayFilter empty = DisplayFilter.compile("  ", LOOKUP);
        assertThat(selected(empty, WITHOUT_HIDDEN_FIELDS)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(DisplayFilter.compile("tcp.port == 80", LOOKUP).text()).isEqualTo("tcp.port == 80");
    }

    @Test
    void andBindsTighterThanOrAndNotTighterThanAnd() throws DisplayFilterException {
        FrameTree arpRequest = WITHOUT_HIDDEN_FIELDS.get(0);
        // "arp or (tcp and udp)" is true for ARP; "(arp or tcp) and udp" would be false.
        assertThat(matches("arp or tcp and udp", arpRequest)).isTrue();
        assertThat(matches("arp || tcp && udp", arpRequest)).isTrue();
        assertThat(matches("(arp or tcp) and udp", arpRequest)).isFalse();
        // "(not arp) and tcp", not "not (arp and tcp)".
        assertThat(matches("not arp and tcp", arpRequest)).isFalse();
        assertThat(matches("not (arp and tcp)", arpRequest)).isTrue();
        assertThat(matches("tcp and udp or arp", arpRequest)).isTrue();
    }

    @Test
    void registryKnowsTheEitherDirectionNames() throws DisplayFilterException {
        for (String name : List.of("ip.addr", "ip.host", "tcp.port", "udp.port", "eth.addr")) {
            assertThat(FieldRegistry.isKnown(name)).as(name).isTrue();
        }
        DisplayFilter filter = DisplayFilter.compile("ip.addr == 10.0.0.1 || tcp.port == 80 || udp.port == 53 || eth.addr == ff:ff:ff:ff:ff:ff");
        assertThat(selected(filter, WITHOUT_HIDDEN_FIELDS)).containsExactly(1, 3, 4, 5, 6, 7, 8, 9);
        assertThat(DisplayFilter.compile("frame.len == 75").matches(WITHOUT_HIDDEN_FIELDS.get(5))).isTrue();
    }

    @Test
    void multipleOccurrencesFollowWireshark40() throws DisplayFilterException {
        // Frame 6, an ICMP error: ip.src is 10.0.0.2 (outer) and 10.0.0.1 (quoted); ip.dst the reverse.
        FrameTree icmpError = WITHOUT_HIDDEN_FIELDS.get(5);
        assertThat(matches("ip.src == 10.0.0.1", icmpError)).as("== is any").isTrue();
        assertThat(matches("ip.src == 10.0.0.2", icmpError)).isTrue();
        assertThat(matches("ip.src != 10.0.0.1", icmpError)).as("!= is all-not-equal").isFalse();
        assertThat(matches("ip.src ~= 10.0.0.1", icmpError)).as("~= is any-not-equal").isTrue();
        assertThat(matches("ip.src === 10.0.0.1", icmpError)).as("=== is all-equal").isFalse();
        assertThat(matches("all ip.src > 10.0.0.0", icmpError)).isTrue();
        assertThat(matches("all ip.src > 10.0.0.1", icmpError)).isFalse();
        assertThat(matches("any ip.src > 10.0.0.1", icmpError)).isTrue();
        assertThat(matches("ip.src in {10.0.0.1}", icmpError)).isTrue();
        assertThat(matches("all ip.src in {10.0.0.1}", icmpError)).isFalse();
        assertThat(matches("all ip.src in {10.0.0.1, 10.0.0.2}", icmpError)).isTrue();
        // A comparison with a field the frame lacks is false whatever the operator; its negation is true.
        FrameTree arp = WITHOUT_HIDDEN_FIELDS.get(0);
        assertThat(matches("ip.src != 10.0.0.1", arp)).isFalse();
        assertThat(matches("ip.src == 10.0.0.1", arp)).isFalse();
        assertThat(matches("!(ip.src == 10.0.0.1)", arp)).isTrue();
        assertThat(matches("all ip.src == 10.0.0.1", arp)).isFalse();
    }

    @Test
    void ipv4HeldSignExtendedComparesUnsigned() throws DisplayFilterException {
        FrameTree tree = treeOf(new byte[0], node(IP, 0, node(IP_SRC, 0xC0A8_0105), node(IP_DST, 0x0A00_0001)));
        assertThat(matches("ip.src == 192.168.1.5", tree)).isTrue();
        assertThat(matches("ip.src > 10.0.0.1", tree)).isTrue();
        assertThat(matches("ip.src == 192.168.0.0/16", tree)).isTrue();
        assertThat(matches("ip.addr < 11.0.0.0", tree)).isTrue();
        assertThat(matches("ip.src < 11.0.0.0", tree)).isFalse();
    }

    @Test
    void stringFieldsCompareQuotedOrBareTextAndContains() throws DisplayFilterException {
        FrameTree tree = treeOf(new byte[0], node(TCP, 0, stringNode(HTTP_HOST, "example.com")));
        assertThat(matches("http.host == \"example.com\"", tree)).isTrue();
        assertThat(matches("http.host == example.com", tree)).isTrue();
        assertThat(matches("http.host != \"example.org\"", tree)).isTrue();
        assertThat(matches("http.host contains \"ample\"", tree)).isTrue();
        assertThat(matches("http.host contains \"xyz\"", tree)).isFalse();
        assertThat(matches("http.host > \"a\" and http.host < \"f\"", tree)).isTrue();
        assertThat(matches("http.host[0:3] == \"exa\"", tree)).isTrue();
        assertThat(matches("http.host == \"ex\\x61mple.com\"", tree)).as("escapes").isTrue();
        assertThat(matches("http.host in {\"a\", \"example.com\"}", tree)).isTrue();
    }

    @Test
    void signedIntegersAndTimes() throws DisplayFilterException {
        FrameTree tree = treeOf(new byte[0], node(FrameDissector.FRAME, 0,
                node(FrameDissector.TIME_DELTA, -1_500_000_000L), node(TCP_STREAM, -5)));
        assertThat(matches("tcp.stream.delta == -5", tree)).isTrue();
        assertThat(matches("tcp.stream.delta < 0", tree)).isTrue();
        assertThat(matches("tcp.stream.delta > -0x10", tree)).isTrue();
        assertThat(matches("frame.time_delta == -1.5", tree)).isTrue();
        assertThat(matches("frame.time_delta < -1.499999999", tree)).isTrue();
    }

    @Test
    void labelsAndProtocolsTestPresenceAndProtocolsCompareAsBytes() throws DisplayFilterException {
        FrameTree tree = treeOf(HexFormat.of().parseHex("0102030405"),
                new FieldNode(TCP, 1, 4, 0, null, 0), new FieldNode(TCP_NOP, 2, 1, 0, null, 0));
        assertThat(matches("tcp.options.nop", tree)).isTrue();
        assertThat(matches("tcp == 02:03:04:05", tree)).isTrue();
        assertThat(matches("tcp[1:2] == 03:04", tree)).isTrue();
        assertThat(matches("tcp[3:2] == 05:06", tree)).as("slice past the end").isFalse();
        assertThat(matches("tcp contains 04", tree)).isTrue();
        assertThat(matches("tcp.options.nop and not udp", tree)).isTrue();
        assertThat(matches("tcp == 1", tree)).as("a one-digit byte string, accepted as by tshark").isFalse();
        assertThat(matches("tcp[0] == 2", tree)).isTrue();
    }

    @Test
    void flagsAcceptTheirOwnTexts() throws DisplayFilterException {
        FrameTree synAck = WITHOUT_HIDDEN_FIELDS.get(7);
        assertThat(matches("tcp.flags.ack == Set", synAck)).isTrue();
        assertThat(matches("tcp.flags.reset == \"Not set\"", synAck)).isTrue();
        assertThat(matches("tcp.flags.reset == 0x0", synAck)).isTrue();
        assertThat(matches("tcp.flags.syn in {True}", synAck)).isTrue();
    }

    // ---- errors ----

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
            "tcp.flagz                | 1  | \"tcp.flagz\" is neither a field nor a protocol name",
            "a.b and tcp              | 1  | \"a.b\" is neither a field nor a protocol name",
            "tcp.port ==              | 12 | expected a value after \"==\"",
            "tcp.port == 80 &&        | 18 | expected a field, \"!\" or \"(\" after \"&&\"",
            "tcp.port == 80 and       | 19 | expected a field, \"!\" or \"(\" after \"and\"",
            "(tcp                     | 5  | expected \")\" to close the \"(\" at column 1",
            "(tcp udp)                | 6  | expected \")\" to close the \"(\" at column 1, found \"udp\"",
            "tcp)                     | 4  | \")\" has no matching \"(\"",
            "ip.src == abc            | 11 | \"abc\" is not a valid IPv4 address",
            "ip.src == \"10.0.0.1\"   | 11 | \"10.0.0.1\" is not a valid IPv4 address (write addresses without quotes)",
            "ip.addr == 10.0.0.300    | 12 | \"10.0.0.300\" is not a valid IPv4 address",
            "ip.src == 10.0.0.1/33    | 11 | \"10.0.0.1/33\" has an invalid prefix length \"33\" (expected 0-32)",
            "eth.dst == 1.2.3.4       | 12 | \"1.2.3.4\" is not a valid MAC address",
            "eth.src == 02:00:00:00:00 | 12 | (it has 5 bytes, a MAC address has 6)",
            "tcp.port == 0x           | 13 | \"0x\" is not a valid number",
            "ip.ttl > abc             | 10 | \"abc\" is not a valid number",
            "ip.ttl == 64.0           | 11 | \"64.0\" is not a valid number",
            "tcp.srcport == 080       | 16 | \"080\" is not a valid number",
            "ip.ttl == -1             | 11 | \"-1\" is negative, but ip.ttl is unsigned",
            "ip.proto == 256          | 13 | \"256\" is too big for ip.proto, maximum 255",
            "ip.proto == SCTP         | 13 | \"SCTP\" is not a valid number nor a value name of ip.proto",
            "tcp.port == \"80\"       | 13 | \"80\" is a quoted string, but tcp.port is a number",
            "tcp.flags.syn == true    | 18 | \"true\" is not a value of tcp.flags.syn (use 1, 0, True or False, \"Set\" or \"Not set\")",
            "data.data == zz          | 14 | \"zz\" is not a valid byte string",
            "tcp and or udp           | 9  | expected a field, \"!\" or \"(\", found \"or\"",
            "&& tcp                   | 1  | expected a field, \"!\" or \"(\", found \"&&\"",
            "!                        | 2  | expected a field, \"!\" or \"(\" after \"!\"",
            "frame.len == 60 udp      | 17 | unexpected \"udp\" after a complete expression; join conditions with \"and\" or \"or\"",
            "tcp.srcport == 80 == 1   | 19 | unexpected \"==\": the left side of a comparison must be a field",
            "80 == tcp.port           | 1  | expected a field or protocol name, found the value \"80\"",
            "tcp.port = 80            | 10 | \"=\" is not an operator; did you mean \"==\"?",
            "tcp & udp                | 5  | \"&\" is not an operator; did you mean \"&&\"?",
            "tcp AND udp              | 5  | unexpected \"AND\" after a complete expression",
            "tcp.port in {80 443}     | 17 | set members are separated by commas: write {80, 443} rather than {80 443} (the set starts at column 13)",
            "udp.port in {53 67}      | 17 | set members are separated by commas: write {53, 67} rather than {53 67}",
            "ip.addr in {10.0.0.1 10.0.0.2} | 22 | set members are separated by commas: write {10.0.0.1, 10.0.0.2}",
            "http.host in {\"a\" \"b\"} | 19 | set members are separated by commas: write {\"a\", \"b\"} rather than {\"a\" \"b\"}",
            "tcp.port in {80 && 1}    | 17 | expected \",\" or \"}\" after \"80\" in the set starting at column 13, found \"&&\"",
            "tcp.port in {80 ,}       | 18 | expected a value in the set, found \"}\"",
            "tcp.port in 80           | 13 | expected \"{\" after \"in\"",
            "tcp.srcport contains 80  | 13 | \"tcp.srcport\" is a number; \"contains\" works only on bytes and strings",
            "ip.proto == tcp          | 13 | \"ip.proto\" and \"tcp\" are not of compatible types (number and protocol)",
            "tcp.srcport[0] == 00     | 12 | \"tcp.srcport\" is a number and cannot be sliced into bytes",
            "eth.src[a] == 00         | 9  | \"a\" is not a valid byte range",
            "tcp.options.nop == 1     | 1  | \"tcp.options.nop\" is a label without a value; it can only be tested for presence",
            "http.host == \"abc       | 14 | the string that starts here is not closed with '\"'",
            "ip.src matches \"x\"     | 8  | \"matches\" (regular expressions) is not supported",
            "any tcp.port             | 13 | expected a comparison after \"any\" \"tcp.port\"",
    })
    void rejectsBadFiltersWithColumnAndReason(String filter, int column, String problem) {
        assertThatThrownBy(() -> DisplayFilter.compile(filter, LOOKUP))
                .isInstanceOfSatisfying(DisplayFilterException.class, e -> {
                    assertThat(e.column()).as("column").isEqualTo(column);
                    assertThat(e.problem()).startsWith(problem.startsWith("(") ? e.problem() : problem).contains(problem);
                    assertThat(e.getMessage()).isEqualTo(e.problem() + " (column " + column + ")");
                });
    }

    @Test
    void unknownNamesAreCheckedAgainstTheRegistry() {
        assertThatThrownBy(() -> DisplayFilter.compile("tcp.flagz == 1"))
                .isInstanceOf(DisplayFilterException.class)
                .hasMessage("\"tcp.flagz\" is neither a field nor a protocol name (column 1)");
    }

    @Test
    void pointerPutsACaretUnderTheOffendingText() {
        DisplayFilterException e = new DisplayFilterException("bad", 11, 3);
        assertThat(e.pointer("ip.src == abc")).isEqualTo("ip.src == abc\n          ^~~");
        assertThat(e.length()).isEqualTo(3);
    }
}
