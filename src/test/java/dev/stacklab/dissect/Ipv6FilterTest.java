package dev.stacklab.dissect;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Display filters on IPv6 and ICMPv6 fields: addresses in any text form, next headers, ICMPv6 types, extension headers. */
class Ipv6FilterTest {
    /** An echo request from fd00:56::56ff:fe00:1 to fd00:56::2 (from raw-ipv6.pcap), as LINKTYPE_IPV6. */
    private static final byte[] ECHO = HexFormat.of().parseHex("600d55ee" + "0010" + "3a" + "40"
            + "fd000056000000000000" + "56fffe000001"
            + "fd000056000000000000" + "000000000002"
            + "8000ffff5d9b0001" + "0001020304050607");

    private static FrameTree echo() {
        Dissector dissector = new Dissector();
        dissector.linkType(229);
        return dissector.dissect(0, ECHO, ECHO.length, ECHO.length);
    }

    private static boolean matches(String filter) throws DisplayFilterException {
        return DisplayFilter.compile(filter).matches(echo());
    }

    @Test
    void addressesCompareInAnyTextForm() throws DisplayFilterException {
        assertThat(matches("ipv6.src == fd00:56::56ff:fe00:1")).isTrue();
        assertThat(matches("ipv6.src == FD00:0056:0:0:0:56ff:fe00:0001")).isTrue();
        assertThat(matches("ipv6.dst == fd00:56::2")).isTrue();
        assertThat(matches("ipv6.addr == fd00:56::2 && ipv6.addr == fd00:56::56ff:fe00:1")).isTrue();
        assertThat(matches("ipv6.src == fd00:56::2")).isFalse();
        assertThat(matches("ipv6.dst != fd00:56::2")).isFalse();
        assertThat(matches("ipv6.src[0:2] == fd:00")).isTrue();
    }

    @Test
    void headerFieldsAndIcmpv6() throws DisplayFilterException {
        assertThat(matches("ipv6 && icmpv6")).isTrue();
        assertThat(matches("ip")).isFalse();
        assertThat(matches("ipv6.nxt == 58 && ipv6.hlim == 64 && ipv6.plen == 16")).isTrue();
        assertThat(matches("ipv6.flow == 0xd55ee")).isTrue();
        assertThat(matches("icmpv6.type == 128 && icmpv6.echo.sequence_number == 1")).isTrue();
        assertThat(matches("ipv6.fraghdr")).isFalse();
    }

    @Test
    void aBadAddressIsAnErrorNamingIt() {
        assertThatThrownBy(() -> DisplayFilter.compile("ipv6.src == fd00::56::1"))
                .isInstanceOf(DisplayFilterException.class).hasMessageContaining("fd00::56::1").hasMessageContaining("IPv6");
    }
}
