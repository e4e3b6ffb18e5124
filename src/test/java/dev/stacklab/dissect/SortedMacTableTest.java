package dev.stacklab.dissect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stacklab.testsupport.Prerequisites;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Names found by halving the manuf text, which holds only while the file is in Wireshark's order. */
class SortedMacTableTest {
    private static SortedMacTable table(String text) {
        return new SortedMacTable(new MacTableText(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8))));
    }

    private static long key(String prefix, int length) {
        return MacTableText.key(mac(prefix), length);
    }

    /** The address with these leading bytes, zeros after them. */
    private static long mac(String prefix) {
        String hex = prefix.replace(":", "");
        return Long.parseLong(hex, 16) << (48 - 4 * hex.length());
    }

    private static String longestPrefix(SortedMacTable table, String mac) {
        SortedMacTable.Entry entry = table.longestPrefix(mac(mac), 48);
        return entry == null ? null : entry.name() + "/" + entry.length();
    }

    private static final String MANUF = """
            # header comment
            00:00:01\tXerox\tXerox Corporation

            00:1B:21\tIntelCor\tIntel Corporate
            not an entry
            00:1B:C5\tIEEERegi
            00:1B:C5:00:10:00/36\tOpenRBco\tOpenRB.com, Direct SIA
            # a comment between entries
            00:1B:C5:00:20:00/36\tOpenRBc2 # a comment after the name
            00:55:DA\tIEEERegi
            00:55:DA:00:00:00/28\tShinkoTe
            00:55:DA:10:00:00/28\tKoolPOS
            FC:FF:FF\tLastOne""";

    private static SortedMacTable indexed(String text) {
        SortedMacTable table = table(text);
        table.indexNow();
        return table;
    }

    @Test
    void findsTheLongestPrefixAmongCommentsBlankAndDamagedLines() {
        assertLongestPrefixes(table(MANUF));
    }

    @Test
    void theIndexMadeForCapturesWithManyAddressesFindsTheSame() {
        assertLongestPrefixes(indexed(MANUF));
    }

    @Test
    void theIndexPutsAnOutOfOrderFileInOrderAndKeepsTheFirstOfTwoEqualEntries() {
        SortedMacTable table = indexed("""
                FC:FF:FF\tLastOne
                00:1B:C5:00:10:00/36\tOpenRBco
                00:1B:21\tIntelCor
                00:1B:C5\tIEEERegi
                00:1B:21\tSecond
                """);
        assertThat(longestPrefix(table, "00:1B:C5:00:10:05")).isEqualTo("OpenRBco/36");
        assertThat(longestPrefix(table, "00:1B:C5:00:20:05")).isEqualTo("IEEERegi/24");
        assertThat(longestPrefix(table, "00:1B:21:00:00:01")).isEqualTo("IntelCor/24");
        assertThat(longestPrefix(table, "FC:FF:FF:00:00:01")).isEqualTo("LastOne/24");
    }

    @Test
    void aCaptureWithManyAddressesSwitchesToTheIndexAndFindsTheSame() {
        SortedMacTable table = table(MANUF);
        for (int i = 0; i <= SortedMacTable.LOOKUPS_BEFORE_INDEX; i++) {
            assertThat(table.longestPrefix(mac("00:1B:C5:00:10:00") + (i & 0xF), 48).name()).isEqualTo("OpenRBco");
        }
        assertLongestPrefixes(table);
    }

    private static void assertLongestPrefixes(SortedMacTable table) {
        assertThat(longestPrefix(table, "00:00:01:12:34:56")).isEqualTo("Xerox/24");
        assertThat(longestPrefix(table, "00:1B:21:00:00:00")).isEqualTo("IntelCor/24");
        assertThat(longestPrefix(table, "00:1B:C5:00:10:05")).isEqualTo("OpenRBco/36");
        assertThat(longestPrefix(table, "00:1B:C5:00:2F:FF")).isEqualTo("OpenRBc2/36");
        // Between and after the /36 blocks, the OUI that holds them.
        assertThat(longestPrefix(table, "00:1B:C5:00:0F:FF")).isEqualTo("IEEERegi/24");
        assertThat(longestPrefix(table, "00:1B:C5:FF:FF:FF")).isEqualTo("IEEERegi/24");
        assertThat(longestPrefix(table, "00:55:DA:00:00:01")).isEqualTo("ShinkoTe/28");
        assertThat(longestPrefix(table, "00:55:DA:1F:FF:FF")).isEqualTo("KoolPOS/28");
        assertThat(longestPrefix(table, "00:55:DA:20:00:00")).isEqualTo("IEEERegi/24");
        assertThat(longestPrefix(table, "FC:FF:FF:FF:FF:FF")).isEqualTo("LastOne/24");
        // Before, between and after the entries: no prefix.
        assertThat(longestPrefix(table, "00:00:00:00:00:00")).isNull();
        assertThat(longestPrefix(table, "00:1B:22:00:00:00")).isNull();
        assertThat(longestPrefix(table, "FF:FF:FF:FF:FF:FF")).isNull();
        // A bound on the length passes over the longer entries.
        SortedMacTable.Entry oui = table.longestPrefix(mac("00:1B:C5:00:10:05"), 35);
        assertThat(oui.name()).isEqualTo("IEEERegi");
        assertThat(table.longestPrefix(mac("00:1B:C5:00:10:05"), 23)).isNull();
    }

    @Test
    void readsWindowsLineEndsAndAnEmptyText() {
        SortedMacTable table = table("00:00:01\tXerox\r\n00:1B:21\tIntelCor\r\n");
        assertThat(longestPrefix(table, "00:1B:21:00:00:01")).isEqualTo("IntelCor/24");
        assertThat(longestPrefix(table, "00:00:01:00:00:01")).isEqualTo("Xerox/24");
        assertThat(longestPrefix(table(""), "00:1B:21:00:00:01")).isNull();
    }

    @Test
    void rejectsWhatIsNotAnAddressFollowedByAName() {
        MacTableText text = new MacTableText(ByteBuffer.wrap("""
                00:1B:21
                00:1B:\tTrailing
                001:1B:21\tThreeDigits
                00:11:22:33:44:55:66\tSevenOctets
                00:1B:21/49\tTooLong
                00:1B:21/0\tTooShort
                00:1B:21junk\tJunk
                0:1b:2\tShortOctets
                """.getBytes(StandardCharsets.UTF_8)));
        int line = 0;
        for (int i = 0; i < 7; i++) {
            assertThat(text.keyAt(line)).as("line %d", i + 1).isEqualTo(MacTableText.NOT_AN_ENTRY);
            line = text.nextLine(line);
        }
        // An octet may be written with one digit.
        assertThat(text.keyAt(line)).isEqualTo(key("00:1b:02", 24));
    }

    /** The installed file must be in the order the search relies on, and every one of its entries must be found. */
    @Test
    void theInstalledManufIsInOrderAndEveryEntryIsFound() throws Exception {
        Path manuf = Path.of(MacNameTable.DEFAULT_DIRECTORY, "manuf");
        if (!Files.isReadable(manuf)) {
            Prerequisites.missing(manuf + " is not installed (Debian package libwireshark-data, which tshark brings)");
        }
        MacTableText text = new MacTableText(ByteBuffer.wrap(Files.readAllBytes(manuf)));
        SortedMacTable table = SortedMacTable.map(manuf);
        SortedMacTable indexed = SortedMacTable.map(manuf);
        indexed.indexNow();
        long previous = -1;
        int entries = 0;
        for (int line = 0; line < text.size(); line = text.nextLine(line)) {
            long key = text.keyAt(line);
            if (key == MacTableText.NOT_AN_ENTRY) {
                continue;
            }
            assertThat(key).as("entry at byte %d follows the one before it", line).isGreaterThan(previous);
            // An entry is the longest prefix of its own bits, at its own length.
            SortedMacTable.Entry found = table.longestPrefix(MacTableText.bits(key), MacTableText.length(key));
            SortedMacTable.Entry expected = new SortedMacTable.Entry(MacTableText.bits(key), MacTableText.length(key), text.nameAt(line));
            assertThat(found).as("entry at byte %d", line).isEqualTo(expected);
            assertThat(indexed.longestPrefix(expected.bits(), expected.length())).as("entry at byte %d, indexed", line).isEqualTo(expected);
            previous = key;
            entries++;
        }
        assertThat(entries).isGreaterThan(40_000);
    }
}
