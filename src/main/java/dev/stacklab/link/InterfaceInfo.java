package dev.stacklab.link;

import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.Ipv4Cidr;
import dev.stacklab.wire.MacAddress;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A network interface of this host (in the JVM's network namespace), as the CLI lists it and as the stack
 * takes its defaults from (MAC, address, MTU).
 *
 * <p>Read from {@code /sys/class/net} (name, index, MAC, MTU, state), with the IPv4 addresses from
 * {@link NetworkInterface}: Java's own list leaves out every interface without an IP address, which is exactly
 * what the stack's side of a lab veth is. Neither needs root or libpcap, so the error that says "libpcap is
 * missing" can still list the interfaces there are. ({@code ip netns exec} remounts /sys, so this is the JVM's
 * own namespace.)
 *
 * @param name the kernel's interface name, e.g. {@code eth0}
 * @param index the kernel's interface index
 * @param mac the hardware address, or null for interfaces without one (loopback, tun)
 * @param ipv4Addresses the IPv4 addresses with their prefix lengths
 * @param mtu the interface MTU
 * @param up whether the interface is administratively up
 */
public record InterfaceInfo(String name, int index, MacAddress mac, List<Ipv4Cidr> ipv4Addresses, int mtu, boolean up) {

    public InterfaceInfo {
        ipv4Addresses = List.copyOf(ipv4Addresses);
    }

    private static final Path SYS_CLASS_NET = Path.of("/sys/class/net");
    // include/uapi/linux/if.h
    private static final int IFF_UP = 0x1;

    /** Every interface of this host, ordered by index (the order {@code ip link} prints). */
    public static List<InterfaceInfo> list() {
        List<InterfaceInfo> result = new ArrayList<>();
        try (Stream<Path> devices = Files.list(SYS_CLASS_NET)) {
            devices.map(path -> path.getFileName().toString()).forEach(name -> byName(name).ifPresent(result::add));
        } catch (IOException e) {
            // Listing is only used to help a person choose; an empty list is reported as "none found".
            return List.of();
        }
        result.sort(Comparator.comparingInt(InterfaceInfo::index));
        return result;
    }

    /** The interface with this name, if there is one in the JVM's network namespace. */
    public static Optional<InterfaceInfo> byName(String name) {
        if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
            return Optional.empty();
        }
        Path device = SYS_CLASS_NET.resolve(name);
        try {
            int index = Integer.parseInt(attribute(device, "ifindex"));
            String address = attribute(device, "address");
            MacAddress mac = null;
            // Ethernet-like devices only (ARPHRD_ETHER = 1); loopback's all-zero address is no station address.
            if (attribute(device, "type").equals("1") && address.length() == 17) {
                mac = MacAddress.parse(address);
            }
            int mtu = Integer.parseInt(attribute(device, "mtu"));
            boolean up = (Integer.decode(attribute(device, "flags")) & IFF_UP) != 0;
            return Optional.of(new InterfaceInfo(name, index, mac, ipv4Addresses(name), mtu, up));
        } catch (IOException | RuntimeException e) {
            // Not there (or removed while reading): as if it never existed.
            return Optional.empty();
        }
    }

    private static String attribute(Path device, String attribute) throws IOException {
        return Files.readString(device.resolve(attribute)).strip();
    }

    private static List<Ipv4Cidr> ipv4Addresses(String name) {
        List<Ipv4Cidr> addresses = new ArrayList<>();
        try {
            NetworkInterface nic = NetworkInterface.getByName(name);
            if (nic != null) {
                for (InterfaceAddress address : nic.getInterfaceAddresses()) {
                    if (address.getAddress() instanceof Inet4Address v4) {
                        addresses.add(new Ipv4Cidr(Ipv4Address.read(v4.getAddress(), 0), address.getNetworkPrefixLength()));
                    }
                }
            }
        } catch (SocketException e) {
            // Addresses are informative only.
        }
        return addresses;
    }

    /** The names of all interfaces, comma-separated, for "unknown interface" messages. */
    public static String namesForMessage() {
        List<InterfaceInfo> all = list();
        if (all.isEmpty()) {
            return "(none found)";
        }
        StringBuilder names = new StringBuilder();
        for (InterfaceInfo info : all) {
            if (names.length() > 0) {
                names.append(", ");
            }
            names.append(info.name());
        }
        return names.toString();
    }

    /** One line as the CLI lists it: {@code eth0  02:fc:00:00:00:01  10.0.0.5/24  mtu 1500  up}. */
    @Override
    public String toString() {
        StringBuilder line = new StringBuilder(name);
        line.append("  ").append(mac == null ? "-" : mac.toString());
        line.append("  ");
        if (ipv4Addresses.isEmpty()) {
            line.append('-');
        }
        for (int i = 0; i < ipv4Addresses.size(); i++) {
            line.append(i == 0 ? "" : ",").append(ipv4Addresses.get(i));
        }
        line.append("  mtu ").append(mtu).append(up ? "  up" : "  down");
        return line.toString();
    }
}
