package dev.stacklab.cli;

import dev.stacklab.link.LinkException;
import dev.stacklab.runtime.Host;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.MacAddress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code stacklab arp}: resolves one address with stacklab's own ARP (RFC 826). */
@Command(name = "arp", sortOptions = false, description = "Resolve an IPv4 address to its MAC with stacklab's ARP.")
final class ArpCommand implements Callable<Integer> {
    @Option(names = "--target-ip", required = true, paramLabel = "IP", converter = Converters.Ipv4Converter.class,
            description = "the address to resolve (on the interface's subnet)")
    Ipv4Address target;

    @Mixin
    HostOptions host;

    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (Host running = host.start(null)) {
            if (!running.config().address().contains(target)) {
                err.println("arp: " + target + " is not on the subnet " + running.config().address()
                        + "; ARP only reaches the local link");
                return 2;
            }
            Optional<MacAddress> mac = running.resolve(target);
            if (mac.isEmpty()) {
                err.println("arp: no answer from " + target + " after " + running.config().arpAttempts() + " requests");
                return 1;
            }
            out.println("mac address for ip(" + target + ") is " + mac.get());
            return 0;
        } catch (LinkException | IllegalArgumentException e) {
            err.println("arp: " + e.getMessage());
            return 2;
        }
    }
}
