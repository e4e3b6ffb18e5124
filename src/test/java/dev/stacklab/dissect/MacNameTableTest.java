package dev.stacklab.dissect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The naming rules, on small tables in the formats of Wireshark's manuf and wka files. */
class MacNameTableTest {
    private static final String MANUF = """
            # comment line
            00:00:00\t00:00:00\tOfficially Xerox
            00:1B:21\tIntelCor\tIntel Corporate
            00:1B:C5\tIEEERegi\tIEEE Registration Authority
            00:1B:C5:00:10:00/36\tOpenRBco\tOpenRB.com, Direct SIA
            00:55:DA:00:00:00/28\tShinkoTe\tShinko Technos co.,ltd.
            bad line without a name
            ZZ:00:00\tNotHex\tignored
            """;
    private static final String WKA = """
            01-00-5E/25\t\tIPv4mcast
            33-33-00-00-00-00/16\tIPv6mcast
            33-33-00-00-00-01\tIPv6-all-nodes
            01-10-18-00-00-00/24\tFCoE-group
            FF-FF-FF-FF-FF-FF\tBroadcast
            """;

    private static MacNameTable table() throws IOException {
        return MacNameTable.of(new StringReader(MANUF), new StringReader(WKA));
    }

    private static long mac(String text) {
        return Long.parseLong(text.replace(":", ""), 16);
    }

    @Test
    void aVendorOuiKeepsAllThreeRemainingBytes() throws IOException {
        assertThat(table().name(mac("00:1b:21:12:34:56"))).isEqualTo("IntelCor_12:34:56");
        assertThat(table().name(mac("00:1b:21:00:00:00"))).isEqualTo("IntelCor_00:00:00");
    }

    @Test
    void longerPrefixesWinAndPrintTheirRemainderInAsFewBytesAsItTakes() throws IOException {
        MacNameTable table = table();
        // The /36 block inside the IEEE's own OUI.
        assertThat(table.name(mac("00:1b:c5:00:10:05"))).isEqualTo("OpenRBco_05");
        assertThat(table.name(mac("00:1b:c5:00:1a:bc"))).isEqualTo("OpenRBco_0a:bc");
        assertThat(table.name(mac("00:1b:c5:00:20:00"))).isEqualTo("IEEERegi_00:20:00");
        assertThat(table.name(mac("00:55:da:01:23:45"))).isEqualTo("ShinkoTe_01:23:45");
        assertThat(table.name(mac("01:00:5e:00:00:01"))).isEqualTo("IPv4mcast_01");
        assertThat(table.name(mac("01:00:5e:7f:12:34"))).isEqualTo("IPv4mcast_7f:12:34");
        assertThat(table.name(mac("33:33:12:34:56:78"))).isEqualTo("IPv6mcast_12:34:56:78");
        assertThat(table.name(mac("01:10:18:00:00:00"))).isEqualTo("FCoE-group_00");
    }

    @Test
    void anExactWellKnownAddressIsNamedAlone() throws IOException {
        assertThat(table().name(mac("33:33:00:00:00:01"))).isEqualTo("IPv6-all-nodes");
        assertThat(table().name(0xFFFF_FFFF_FFFFL)).isEqualTo("Broadcast");
    }

    @Test
    void anUnnamedAddressHasNoName() throws IOException {
        assertThat(table().name(mac("02:00:00:00:00:01"))).isNull();
        // 01:00:5e:80:00:00 is outside the /25 multicast range.
        assertThat(table().name(mac("01:00:5e:80:00:00"))).isNull();
    }

    @Test
    void withoutTheTablesOnlyBroadcastAndTheZeroOuiAreNamed(@org.junit.jupiter.api.io.TempDir Path empty) {
        MacNameTable table = MacNameTable.load(empty);
        assertThat(table.name(0xFFFF_FFFF_FFFFL)).isEqualTo("Broadcast");
        assertThat(table.name(0)).isEqualTo("00:00:00_00:00:00");
        assertThat(table.name(mac("00:1b:21:12:34:56"))).isNull();
    }
}
