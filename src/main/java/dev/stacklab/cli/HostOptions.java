package dev.stacklab.cli;

import dev.stacklab.link.InterfaceInfo;
import dev.stacklab.link.LinkException;
import dev.stacklab.runtime.AddressProbe;
import dev.stacklab.runtime.ProbeResult;
import dev.stacklab.stack.ProbeTiming;
import dev.stacklab.runtime.Host;
import dev.stacklab.runtime.HostBuilder;
import dev.stacklab.runtime.RunnerListener;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.Ipv4Cidr;
import dev.stacklab.wire.MacAddress;
import picocli.CommandLine.Option;

/** The options every command that puts the stack on a network shares: where, and as whom. */
final class HostOptions {
    @Option(names = "--interface-name", required = true, paramLabel = "IF",
            description = "the interface to use (a veth end, a NIC, or with --tap a TAP device)")
    String interfaceName;

    @Option(names = "--ip", paramLabel = "ADDR/LEN", converter = Converters.CidrConverter.class,
            description = "the stack's own address and prefix (default: the interface's own address)")
    Ipv4Cidr address;

    @Option(names = "--gateway", paramLabel = "IP", converter = Converters.Ipv4Converter.class,
            description = "next hop for destinations off the subnet")
    Ipv4Address gateway;

    @Option(names = "--mac", paramLabel = "MAC", converter = Converters.MacConverter.class,
            description = "the stack's MAC (default: the interface's, or a random locally administered one for TAP)")
    MacAddress mac;

    @Option(names = "--tap", description = "open the interface as a TAP device through /dev/net/tun instead of libpcap")
    boolean tap;

    @Option(names = "--force", description = "use --ip even when another station on the link answers for it")
    boolean force;

    /**
     * Opens the link and starts the stack.
     *
     * @throws LinkException with a one-line message naming the fix (sudo/setcap, libpcap, the interfaces there are)
     * @throws IllegalArgumentException when the addresses do not fit together, saying which
     */
    Host start(RunnerListener listener) throws LinkException {
        checkOwnAddresses();
        if (!tap && InterfaceInfo.byName(interfaceName).filter(InterfaceInfo::isTunOrTap).isPresent()) {
            // Through libpcap the stack's frames would go to whoever holds the device open, never to the kernel.
            throw new IllegalArgumentException(interfaceName + " is a TUN/TAP device: add --tap, so that the stack"
                    + " attaches to it through /dev/net/tun (through libpcap its frames never reach the kernel)");
        }
        MacAddress ownMac = mac;
        if (address != null && !force) {
            ownMac = requireAddressFree();
        }
        HostBuilder builder = Host.onInterface(interfaceName);
        if (tap) {
            builder.tap();
        }
        if (address != null) {
            builder.address(address);
        }
        if (gateway != null) {
            builder.gateway(gateway);
        }
        if (ownMac != null) {
            builder.mac(ownMac);
        }
        if (listener != null) {
            builder.listener(listener);
        }
        return builder.start();
    }

    /** A group MAC or a subnet's network or broadcast address as our own: refused, naming the flag and the value. */
    private void checkOwnAddresses() {
        if (mac != null && HostBuilder.problemWithOwnMac(mac) != null) {
            throw new IllegalArgumentException("--mac " + mac + " " + HostBuilder.problemWithOwnMac(mac));
        }
        if (address != null && HostBuilder.problemWithOwnAddress(address) != null) {
            throw new IllegalArgumentException("--ip " + address + " " + HostBuilder.problemWithOwnAddress(address));
        }
    }

    /**
     * Probes {@code --ip} as RFC 5227 asks before a host takes an address, quickly ({@link ProbeTiming#QUICK}: about
     * 0.3 s), and refuses it when a station answers for it. Returns the MAC the probes came from, which the host must
     * then use: on a TAP device that is a random one, and the owner of the address answered to it.
     */
    private MacAddress requireAddressFree() throws LinkException {
        try (AddressProbe probe = AddressProbe.onInterface(interfaceName, tap, mac)) {
            ProbeResult result;
            try {
                result = probe.probeAndWait(address.address(), ProbeTiming.QUICK);
            } catch (IllegalStateException e) {
                throw new IllegalArgumentException("could not probe whether --ip " + address + " is free: " + e.getMessage(), e);
            }
            if (result instanceof ProbeResult.InUse inUse) {
                throw new IllegalArgumentException("--ip " + address + ": " + inUse.describe() + " on " + interfaceName
                        + "; choose another address, or add --force to take it anyway");
            }
            return probe.mac();
        }
    }
}
