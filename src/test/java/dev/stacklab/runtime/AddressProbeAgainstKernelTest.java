package dev.stacklab.runtime;

import dev.stacklab.stack.AddressConflictDetection;
import dev.stacklab.stack.ProbeTiming;
import dev.stacklab.testsupport.KernelPeer;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.Ipv4Cidr;
import dev.stacklab.wire.MacAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link AddressProbe} against a real Linux kernel in a namespace the test makes: the kernel's own address is
 * reported in use by the kernel's MAC (Linux answers RFC 5227 probes), an address nobody holds is free.
 */
class AddressProbeAgainstKernelTest {
    private KernelPeer kernel;

    @BeforeEach
    void createKernelPeer() {
        kernel = KernelPeer.create();
    }

    @AfterEach
    void removeKernelPeer() {
        if (kernel != null) {
            kernel.close();
        }
    }

    @Test
    void theKernelsAddressIsInUseByItsMacAndAFreeOneIsFree() throws Exception {
        try (AddressProbe probe = AddressProbe.onInterface(kernel.stackDevice, null)) {
            var taken = probe.probe(Ipv4Address.parse(kernel.kernelAddress), ProbeTiming.QUICK);
            var free = probe.probe(Ipv4Address.parse(kernel.stackAddress), ProbeTiming.QUICK);

            ProbeResult takenResult = taken.get(30, TimeUnit.SECONDS);
            assertThat(takenResult).isEqualTo(new ProbeResult.InUse(Ipv4Address.parse(kernel.kernelAddress),
                    MacAddress.parse(kernel.kernelMac()), AddressConflictDetection.Evidence.REPLY));
            assertThat(((ProbeResult.InUse) takenResult).describe())
                    .isEqualTo(kernel.kernelAddress + " is already in use: " + kernel.kernelMac() + " answered for it (ARP reply)");
            assertThat(free.get(30, TimeUnit.SECONDS)).isEqualTo(new ProbeResult.Free(Ipv4Address.parse(kernel.stackAddress)));
        }
    }

    @Test
    void proposesTheFreeHostOfASlash30WhoseOtherHostTheKernelHolds() throws Exception {
        // The kernel holds .1; the /30 has hosts .1 and .2 only, so .2 is the one answer.
        Ipv4Cidr slash30 = new Ipv4Cidr(Ipv4Address.parse(kernel.kernelAddress), 30);
        try (AddressProbe probe = AddressProbe.onInterface(kernel.stackDevice, null)) {
            Optional<Ipv4Address> proposed = probe.proposeFree(slash30, Set.of(), 2, ProbeTiming.QUICK).get(30, TimeUnit.SECONDS);

            assertThat(proposed).contains(Ipv4Address.parse(kernel.stackAddress));
            assertThat(probe.proposeFree(slash30, Set.of(Ipv4Address.parse(kernel.stackAddress)), 2, ProbeTiming.QUICK)
                    .get(30, TimeUnit.SECONDS)).isEmpty();
        }
    }
}
