package dev.stacklab.wire;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AddressesTest {
    @Test
    void macAddressParsesAndPrintsLikeWireshark() {
        MacAddress mac = MacAddress.parse("0E:8E:5F:d9:cf:bb");
        assertThat(mac.bits()).isEqualTo(0x0E8E5FD9CFBBL);
        assertThat(mac).hasToString("0e:8e:5f:d9:cf:bb");
        assertThat(MacAddress.BROADCAST.isBroadcast()).isTrue();
        assertThat(MacAddress.parse("01:00:5e:00:00:01").isMulticast()).isTrue();
        assertThat(mac.isUnicast()).isTrue();
    }

    @Test
    void macAddressRejectsBadTextQuotingIt() {
        assertThatThrownBy(() -> MacAddress.parse("0e:8e:5f:d9:cf")).hasMessageContaining("'0e:8e:5f:d9:cf'");
        assertThatThrownBy(() -> MacAddress.parse("0e:8e:5f:d9:cf:zz")).hasMessageContaining("is not a MAC address");
    }

    @Test
    void macAddressReadsAndWritesSixBytes() {
        byte[] bytes = new byte[8];
        MacAddress.parse("02:00:00:00:00:01").write(bytes, 1);
        assertThat(bytes).containsExactly(0, 2, 0, 0, 0, 0, 1, 0);
        assertThat(MacAddress.read(bytes, 1)).isEqualTo(MacAddress.parse("02:00:00:00:00:01"));
    }

    @Test
    void ipv4AddressParsesDottedQuads() {
        assertThat(Ipv4Address.parse("10.77.0.1").bits()).isEqualTo(0x0A4D0001);
        assertThat(Ipv4Address.parse("255.255.255.255").isBroadcast()).isTrue();
        assertThat(Ipv4Address.of(192, 168, 1, 254)).hasToString("192.168.1.254");
        assertThat(Ipv4Address.parse("224.0.0.1").isMulticast()).isTrue();
    }

    @Test
    void ipv4AddressRejectsAnythingElseQuotingIt() {
        for (String bad : new String[] {"10.0.0", "10.0.0.256", "10.0.0.1.", "a.b.c.d", "010.0.0.1", "", "1..2.3", "10.0.0.1/24"}) {
            assertThatThrownBy(() -> Ipv4Address.parse(bad)).as(bad).hasMessageContaining("'" + bad + "'");
        }
    }

    @Test
    void cidrParsesAddressAndPrefix() {
        Ipv4Cidr cidr = Ipv4Cidr.parse("10.0.0.1/24");
        assertThat(cidr.address()).isEqualTo(Ipv4Address.parse("10.0.0.1"));
        assertThat(cidr.netmask()).isEqualTo(Ipv4Address.parse("255.255.255.0"));
        assertThat(cidr.network()).isEqualTo(Ipv4Address.parse("10.0.0.0"));
        assertThat(cidr.broadcast()).isEqualTo(Ipv4Address.parse("10.0.0.255"));
        assertThat(cidr.contains(Ipv4Address.parse("10.0.0.200"))).isTrue();
        assertThat(cidr.contains(Ipv4Address.parse("10.0.1.1"))).isFalse();
        assertThat(Ipv4Cidr.parse("0.0.0.0/0").contains(Ipv4Address.parse("8.8.8.8"))).isTrue();
        assertThat(cidr).hasToString("10.0.0.1/24");
    }

    @Test
    void cidrRejectsBadValuesQuotingThem() {
        assertThatThrownBy(() -> Ipv4Cidr.parse("10.0.0.1")).hasMessageContaining("'10.0.0.1'");
        assertThatThrownBy(() -> Ipv4Cidr.parse("10.0.0.1/33")).hasMessageContaining("'10.0.0.1/33'");
        assertThatThrownBy(() -> Ipv4Cidr.parse("10.0.0.300/24")).hasMessageContaining("'10.0.0.300/24'");
    }
}
