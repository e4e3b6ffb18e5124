package dev.stacklab.app.network;

import dev.stacklab.link.InterfaceInfo;
import dev.stacklab.link.Privileges;
import dev.stacklab.link.TapLink;
import dev.stacklab.runtime.InterfaceSession;
import dev.stacklab.runtime.LabNetworkSession;
import dev.stacklab.runtime.LabSession;
import dev.stacklab.runtime.SimulatedLanSession;
import dev.stacklab.runtime.WatchOnlySession;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.Ipv4Cidr;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What the network chooser asks of the machine: the rights this process has, the interfaces there are, and how
 * each kind of network is opened. The app uses {@link #SYSTEM}; view-model tests give their own answers to the
 * questions about rights and interfaces (a machine where they are not root, say) and keep the real openers.
 */
public interface NetworkEnvironment {

    /** May capture and send raw frames (root or CAP_NET_RAW). */
    boolean canCapture();

    /** May make network devices (root, CAP_NET_ADMIN, or root inside {@code unshare -rn}). */
    boolean canAdministerNetwork();

    List<InterfaceInfo> interfaces();

    boolean isTapDevice(String name);

    /** Opens the network; blocks (called off the FX thread). Exceptions carry a one-line message with the fix. */
    default LabSession open(NetworkChoice choice, InterfaceSession.OurHostSettings settings, String captureFilter)
            throws Exception {
        return switch (choice.kind()) {
            case SIMULATED_LAN -> SimulatedLanSession.start();
            case LAB_NETWORK -> LabNetworkSession.open();
            case WATCH_ONLY -> WatchOnlySession.open(choice.interfaceName(), captureFilter);
            case INTERFACE -> InterfaceSession.openAfterProbe(choice.interfaceName(), false, settings);
            case TAP -> InterfaceSession.openAfterProbe(choice.interfaceName(), true, settings);
        };
    }

    /** A free address on {@code subnet} of the interface, after RFC 5227 probes (4 to 7 s). */
    default CompletableFuture<Optional<Ipv4Address>> proposeFreeAddress(NetworkChoice choice, Ipv4Cidr subnet,
            Collection<Ipv4Address> avoid) {
        return InterfaceSession.proposeFreeAddress(choice.interfaceName(), choice.kind() == NetworkChoice.Kind.TAP,
                subnet, avoid);
    }

    /**
     * The gateway of the IPv4 default route through {@code interfaceName}, from {@code /proc/net/route} (the JVM's
     * network namespace): what our host there most likely wants as its gateway too.
     */
    default Optional<Ipv4Address> defaultGateway(String interfaceName) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/net/route")).stream().skip(1).toList()) {
                String[] fields = line.trim().split("\\s+");
                // Iface Destination Gateway ...: hex in the kernel's (little-endian) byte order.
                if (fields.length > 2 && fields[0].equals(interfaceName) && fields[1].equals("00000000")) {
                    int gateway = Integer.reverseBytes(Integer.parseUnsignedInt(fields[2], 16));
                    if (gateway != 0) {
                        return Optional.of(new Ipv4Address(gateway));
                    }
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** This machine as it is. */
    NetworkEnvironment SYSTEM = new NetworkEnvironment() {
        @Override
        public boolean canCapture() {
            return Privileges.canCapture();
        }

        @Override
        public boolean canAdministerNetwork() {
            return Privileges.canAdministerNetwork();
        }

        @Override
        public List<InterfaceInfo> interfaces() {
            return InterfaceInfo.list();
        }

        @Override
        public boolean isTapDevice(String name) {
            return TapLink.isTapDevice(name);
        }
    };
}
