package dev.stacklab.runtime;

import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.Ipv4Cidr;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** How {@link AddressProbe} chooses addresses to propose (the probing itself is held against the kernel elsewhere). */
class AddressProbeTest {
    @Test
    void proposesOnlyHostAddressesOfTheSubnetOutsideThoseToAvoid() {
        Ipv4Cidr subnet = Ipv4Cidr.parse("10.9.0.0/29");
        Set<Ipv4Address> avoid = Set.of(Ipv4Address.parse("10.9.0.1"), Ipv4Address.parse("10.9.0.2"));

        List<Ipv4Address> chosen = AddressProbe.chooseCandidates(subnet, avoid, 10, new SplittableRandom(1));

        assertThat(chosen).containsExactlyInAnyOrder(Ipv4Address.parse("10.9.0.3"), Ipv4Address.parse("10.9.0.4"),
                Ipv4Address.parse("10.9.0.5"), Ipv4Address.parse("10.9.0.6"));
    }

    @Test
    void aSlash31HasTwoHostsAndALargeSubnetGivesDistinctRandomOnes() {
        assertThat(AddressProbe.chooseCandidates(Ipv4Cidr.parse("10.9.0.0/31"), Set.of(), 5, new SplittableRandom(2)))
                .containsExactlyInAnyOrder(Ipv4Address.parse("10.9.0.0"), Ipv4Address.parse("10.9.0.1"));
        List<Ipv4Address> chosen = AddressProbe.chooseCandidates(Ipv4Cidr.parse("10.0.0.0/8"), Set.of(), 4, new SplittableRandom(3));
        assertThat(chosen).hasSize(4).doesNotHaveDuplicates().allMatch(Ipv4Cidr.parse("10.0.0.0/8")::contains)
                .doesNotContain(Ipv4Address.parse("10.0.0.0"), Ipv4Address.parse("10.255.255.255"));
    }
}
