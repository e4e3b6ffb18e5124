package dev.stacklab.dissect;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/** The summary line both faces print: tshark's default columns, padded as tshark pads them. */
class SummaryLineTest {
    @Test
    void padsNumberTimeAndAddressesAsTsharkDoes() {
        FrameSummary arp = new FrameSummary(4, 503_038_000L, "0e:8e:5f:d9:cf:bb", "Broadcast", "ARP", 42,
                "Who has 10.77.0.2? Tell 10.77.0.1", false);
        assertThat(SummaryLine.of(arp))
                .isEqualTo("    4   0.503038 0e:8e:5f:d9:cf:bb → Broadcast    ARP 42 Who has 10.77.0.2? Tell 10.77.0.1");
        FrameSummary late = new FrameSummary(123_456, 86_400_000_000_000L, "10.77.0.1", "10.77.0.2", "UDP", 44, "35873 → 9999 Len=2", false);
        assertThat(SummaryLine.of(late))
                .isEqualTo("123456 86400.000000    10.77.0.1 → 10.77.0.2    UDP 44 35873 → 9999 Len=2");
    }

    @Test
    void appendsToABuilderWithoutALineEnd() {
        StringBuilder out = new StringBuilder("kept:");
        SummaryLine.appendTo(out, new FrameSummary(1, 0, "a", "b", "Ethernet", 60, "", false));
        assertThat(out).hasToString("kept:    1   0.000000            a → b            Ethernet 60 ");
    }

    @Test
    void secondsRoundToTheMicrosecondWithSixDecimals() {
        assertThat(SummaryLine.seconds(0)).isEqualTo("0.000000");
        assertThat(SummaryLine.seconds(1_499)).isEqualTo("0.000001");
        assertThat(SummaryLine.seconds(1_500)).isEqualTo("0.000002");
        assertThat(SummaryLine.seconds(2_000_000_001L)).isEqualTo("2.000000");
        assertThat(SummaryLine.seconds(-1_250_000L)).isEqualTo("-0.001250");
    }

    @Test
    void isTheLineOfWhatTheDissectorSummarized() {
        Dissector dissector = new Dissector();
        byte[] arpRequest = HexFormat.of().parseHex(
                "ffffffffffff0e8e5fd9cfbb080600010800060400010e8e5fd9cfbb0a4d00010000000000000a4d0002");
        FrameSummary summary = dissector.summarize(7_000_000_000L, arpRequest, arpRequest.length, arpRequest.length);
        assertThat(SummaryLine.of(summary)).endsWith(" → Broadcast    ARP 42 Who has 10.77.0.2? Tell 10.77.0.1")
                .startsWith("    1   0.000000 ");
    }
}
