package dev.stacklab.link;

import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.Ipv4Cidr;
import dev.stacklab.wire.MacAddress;
import java.net.Inet4Address;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A network interface of this host (in the JVM's network namespace), as the CLI lists it and as the stack
 * takes its defaults from (MAC, address, MTU).
 *
 * <p>Read through {@link NetworkInterface} rather than libpcap, so listing works without root and without
 * libpcap installed: the error that says "libpcap is missing" can still list the interfaces there are.
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

    /** Every interface of this host, ordered by index (the order {@code ip link} prints). */
    public static List<InterfaceInfo> list() {
        List<InterfaceInfo> result = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                result.add(of(nic));
            }
        } catch (SocketException e) {
            // Listing is only used to help a person choose; an empty list is reported as "none found".
            return List.of();
        }
        result.sort(Comparator.comparingInt(InterfaceInfo::index));
        return result;
    }

    /** The interface with this name, if there is one in the JVM's network namespace. */
    public static Optional<InterfaceInfo> byName(String name) {
        try {
            NetworkInterface nic = NetworkInterface.getByName(name);
            return nic == null ? Optional.empty() : Optional.of(of(nic));
        } catch (SocketException e) {
            return Optional.empty();
        }
    }

    private static InterfaceInfo of(NetworkInterface nic) throws SocketException {
        byte[] hardware = nic.getHardwareAddress();
        MacAddress mac = hardware != null && hardware.length == 6 ? MacAddress.read(hardware, 0) : null;
        List<Ipv4Cidr> addresses = new ArrayList<>();
        for (InterfaceAddress address : nic.getInterfaceAddresses()) {
            if (address.getAddress() instanceof Inet4Address v4) {
                addresses.add(new Ipv4Cidr(Ipv4Address.read(v4.getAddress(), 0), address.getNetworkPrefixLength()));
            }
        }
        return new InterfaceInfo(nic.getName(), nic.getIndex(), mac, addresses, nic.getMTU(), nic.isUp());
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
