package dev.stacklab.dissect;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DHCPv6 messages cut short, with options too short for what they hold or running past their message, relays with
 * wrong hop counts and broken search lists: notes in the tree (as tshark 4.0 words them where it has one), never an
 * exception. The well-formed messages are held to tshark by RealCapturesAgainstTsharkTest (dhcpv6.pcap,
 * dhcpv6-crafted.pcap).
 */
class Dhcpv6MalformedTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final String CLIENT_ID = "0001000e" + "0001000132a3cdd2020056000001";
    private static final String RELAY_HEADER = "20010db8000000000000000000000001" + "fe80000000000000005600fffe000001";

    @Test
    void anOptionRunningPastItsMessageEndsTheListWithANoteAfterTheOptionsBeforeIt() {
        // Solicit, a client identifier, then an elapsed-time option claiming 10 bytes of which 2 are there.
        FrameTree tree = dissect(546, 547, "0147473a" + CLIENT_ID + "0008000a" + "0000");
        assertThat(tree.summary().protocol()).isEqualTo("DHCPv6");
        assertThat(tree.summary().info()).isEqualTo("Solicit XID: 0x47473a CID: 0001000132a3cdd2020056000001 ");
        assertThat(tree.fieldValues("dhcpv6.duidllt.link_layer_addr")).isEqualTo("02:00:56:00:00:01");
        assertThat(tree.fieldValues("dhcpv6.option.type")).isEqualTo("1");
        assertThat(expertNotes(tree)).containsExactly("DHCPv6: option 8 of 10 bytes runs past the end of its message (6 bytes left)");
    }

    @Test
    void optionsTooShortForWhatTheyHoldAreNotedUnderThemAsTsharkWordsIt() {
        String options = "00010001" + "00" // a DUID of one byte
                + "00030005" + "0000000000" // IA_NA without room for IAID, T1 and T2
                + "00080001" + "00" // elapsed time of one byte
                + "00070000" // preference without its value
                + "00170004" + "00000000" // DNS servers not a multiple of 16 bytes
                + "0003001a" + "56000001" + "00000e10" + "00001518" + "0005000a" + "00".repeat(10); // IA Address cut to 10 bytes
        FrameTree tree = dissect(547, 546, "07000001" + options);
        assertThat(expertNotes(tree)).containsExactly("DUID: malformed option", "IA_NA: malformed option", "ELAPSED-TIME: malformed option",
                "PREFERENCE: malformed option", "DNS servers address: malformed option", "IA_TA: malformed option");
        // The IA around the short address is read: its IAID and times.
        assertThat(tree.fieldValues("dhcpv6.iaid")).isEqualTo("56000001");
        assertThat(tree.fieldValues("dhcpv6.iaid.t2")).isEqualTo("5400");
        assertThat(tree.summary().malformed()).isFalse();
    }

    @Test
    void anOptionNotDecodedShowsItsCodeAndLengthWithItsBytesFilterableOutOfSight() {
        FrameTree tree = dissect(546, 547, "0babcdef" + "00c80004deadbeef" + "0052000400000e10");
        assertThat(tree.fieldValues("dhcpv6.option.type_str")).isEqualTo("DHCP option 200,SOL_MAX_RT");
        assertThat(tree.find("dhcpv6.option.type").displayLine()).isEqualTo("Option: Unknown (200)");
        assertThat(tree.fieldValues("dhcpv6.option.value")).isEqualTo("deadbeef,00000e10");
        assertThat(tree.findAll("dhcpv6.option.value")).allMatch(FieldNode::isHidden);
    }

    @Test
    void aMessageShorterThanItsTransactionIdIsMalformed() {
        FrameTree tree = dissect(546, 547, "0100");
        assertThat(tree.summary().info()).isEqualTo("Solicit [Malformed Packet]");
        assertThat(tree.fieldValues("dhcpv6.msgtype")).isEqualTo("1");
        assertThat(tree.summary().malformed()).isTrue();
    }

    @Test
    void aStatusCodeWithoutItsCodeAtTheEndOfTheDatagramIsMalformed() {
        FrameTree tree = dissect(547, 546, "07000016" + "000d0001" + "00");
        assertThat(tree.summary().info()).isEqualTo("Reply XID: 0x000016 [Malformed Packet]");
        assertThat(tree.summary().malformed()).isTrue();
    }

    @Test
    void hopCountsAreCheckedAcrossRelaysAsWiresharkDoes() {
        String inner = "0c03" + RELAY_HEADER.replace("20010db8", "20010db9");
        FrameTree tree = dissect(547, 547, "0c28" + RELAY_HEADER + "0009" + String.format("%04x", inner.length() / 2) + inner);
        assertThat(tree.summary().info()).isEqualTo("Relay-forw L: 2001:db8::1 Relay-forw L: 2001:db9::1 ");
        assertThat(expertNotes(tree)).containsExactly("Hopcount (40) exceeds the maximum limit HOP_COUNT_LIMIT (32)",
                "hopcount is not correctly incremented by 1 (expected : 4, actual : 40)");
        // The relayed message is a second dhcpv6 tree inside the option, not a layer of its own.
        assertThat(tree.findAll("dhcpv6.hopcount")).hasSize(2);
        assertThat(tree.fieldValues("frame.protocols")).endsWith(":udp:dhcpv6");
    }

    @Test
    void anEmptyRelayMessageAndARelayHeaderCutShortAreNoted() {
        FrameTree empty = dissect(547, 547, "0c00" + RELAY_HEADER + "00090000");
        assertThat(expertNotes(empty)).containsExactly("RELAY-MSG: malformed option");
        FrameTree cut = dissect(547, 547, "0d00" + RELAY_HEADER.substring(0, 36));
        assertThat(cut.summary().info()).isEqualTo("Relay-reply L: 2001:db8::1 [Malformed Packet]");
        assertThat(cut.summary().malformed()).isTrue();
    }

    @Test
    void searchListNamesThatOverrunTheFieldOrAreTopLevelDomainsAreNoted() {
        // "abc." alone (a TLD), then a label of 3 bytes with 2 left.
        FrameTree tree = dissect(547, 546, "0700001d" + "00180008" + "0361626300" + "036465");
        assertThat(tree.summary().info()).isEqualTo("Reply XID: 0x00001d  [DOMAIN FIELD LEN EXCEEDED]");
        assertThat(tree.fieldValues("dhcpv6.tld")).isEqualTo("abc.");
        assertThat(tree.fieldValues("dhcpv6.search_list_entry")).isEmpty();
        assertThat(expertNotes(tree)).containsExactly("WARNING: TLDs are rarely resolvable ", "ERROR: FQDN exceeds length of the domain name field");
        // A first octet above 63 is no label length.
        FrameTree notDns = dissect(547, 546, "0700001e" + "00180002" + "c00c");
        assertThat(expertNotes(notDns)).containsExactly("ERROR: This name is not a DNS record encoded");
    }

    @Test
    void everyPrefixOfEveryKindOfMessageDissectsWithoutException() {
        String advertise = "0247473a" + CLIENT_ID + "0002000e0001000132a3cdce020056000002"
                + "00030028560000010000070800000c4e00050018fd00005600000000000000000000016200000e1000000e10"
                + "000d0009000073756363657373" + "0007000100" + "0018000d036c6162076578616d706c6500"
                + "00170010fd000056000000000000000000000002";
        String solicit = "011a2b3c" + "0001000c0002000000090c0c0c0c0001" + "00060006001700180052" + "000800020096" + "000e0000"
                + "000400200a0b0c0d00050018fd000056000000000000000000000a110000012c00000258" + "0019000c000000010000000000000000"
                + "00190029" + "00000001" + "00000708" + "00000b40" + "001a0019" + "00000e10" + "00001c20" + "38"
                + "20010db8010000000000000000000000";
        String relayed = "0c00" + RELAY_HEADER + "0012000465746830" + "0009" + String.format("%04x", solicit.length() / 2) + solicit;
        for (String message : List.of(advertise, solicit, relayed)) {
            for (int cut = 0; cut <= message.length() / 2; cut++) {
                FrameTree tree = dissect(547, 546, message.substring(0, 2 * cut));
                tree.forEachField(node -> {
                    assertThat(node.displayLine()).doesNotContain("dissector failure");
                    assertThat(node.offset() + node.length()).isLessThanOrEqualTo(tree.dataSources().get(node.dataSource()).length());
                });
            }
        }
    }

    private static List<String> expertNotes(FrameTree tree) {
        return tree.findAll("_ws.expert.message").stream().map(FieldNode::fieldValue).toList();
    }

    /** The payload in a UDP datagram between two link-local addresses, over IPv6 on Ethernet. */
    private static FrameTree dissect(int sourcePort, int destinationPort, String payload) {
        String udp = String.format("%04x%04x%04x", sourcePort, destinationPort, 8 + payload.length() / 2) + "0000" + payload;
        String ipv6 = "60000000" + String.format("%04x", udp.length() / 2) + "11ff" + "fe80000000000000005600fffe000001"
                + "ff020000000000000000000000010002";
        byte[] frame = HEX.parseHex("333300010002" + "020056000001" + "86dd" + ipv6 + udp);
        return new Dissector().dissect(0, frame, frame.length, frame.length);
    }
}
