package dev.stacklab.wire;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RFC 5952's canonical text for IPv6 addresses, and parsing of every RFC 4291 text form back to the same bits. */
class Ipv6AddressTest {
    @ParameterizedTest
    @CsvSource({
            "20010db8000000000000000000000001, 2001:db8::1",
            // Section 4.2.2: a single zero group is not shortened.
            "20010db8000000010001000100010001, 2001:db8:0:1:1:1:1:1",
            // Section 4.2.3: the longest run of zeros, the first of equal runs.
            "20010db8000000000001000000000001, 2001:db8::1:0:0:1",
            "20010000000000000001000000000001, 2001::1:0:0:1",
            "00000000000000000000000000000000, ::",
            "00000000000000000000000000000001, ::1",
            "fe80000000000000000056fffe000001, fe80::56ff:fe00:1",
            "ff020000000000000000000000000016, ff02::16",
            "ff0200000000000000000001ff000001, ff02::1:ff00:1",
            "20010db8000000000000000000000000, 2001:db8::",
            // Section 5: IPv4-mapped addresses end in dotted form.
            "00000000000000000000ffffc0000201, ::ffff:192.0.2.1",
    })
    void printsCanonicalText(String hex, String text) {
        Ipv6Address address = Ipv6Address.read(HexFormat.of().parseHex(hex), 0);
        assertThat(address.toString()).isEqualTo(text);
        assertThat(Ipv6Address.parse(text)).isEqualTo(address);
        assertThat(HexFormat.of().formatHex(address.toBytes())).isEqualTo(hex);
    }

    @Test
    void parsesTheLongForms() {
        assertThat(Ipv6Address.parse("2001:0DB8:0000:0000:0000:0000:0000:0001")).isEqualTo(Ipv6Address.parse("2001:db8::1"));
        assertThat(Ipv6Address.parse("::ffff:10.0.0.1").toString()).isEqualTo("::ffff:10.0.0.1");
        assertThat(Ipv6Address.parse("1::")).isEqualTo(new Ipv6Address(0x0001_0000_0000_0000L, 0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ":", ":::", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", "g::1", "1:2:3:4:5:6:7:",
            ":1:2:3:4:5:6:7", "::1.2.3", "1.2.3.4", "1::2:3:4:5:6:7:8"})
    void refusesWhatIsNotAnAddress(String text) {
        assertThatThrownBy(() -> Ipv6Address.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("IPv6");
    }
}
