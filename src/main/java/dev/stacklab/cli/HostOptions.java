package dev.stacklab.cli;

import dev.stacklab.link.LinkException;
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

    /**
     * Opens the link and starts the stack.
     *
     * @throws LinkException with a one-line message naming the fix (sudo/setcap, libpcap, the interfaces there are)
     * @throws IllegalArgumentException when the addresses do not fit together, saying which
     */
    Host start(RunnerListener listener) throws LinkException {
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
        if (mac != null) {
            builder.mac(mac);
        }
        if (listener != null) {
            builder.listener(listener);
        }
        return builder.start();
    }
}
