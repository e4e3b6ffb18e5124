package dev.stacklab.link;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.Ipv4Cidr;
import dev.stacklab.wire.MacAddress;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A network interface of this host (in the JVM's network namespace), as the CLI lists it and as the stack
 * takes its defaults from (MAC, address, MTU).
 *
 * <p>The names come from {@code /proc/self/net/dev}, and index, MAC, MTU and flags from {@code ioctl}s on a socket
 * (SIOCGIFINDEX, SIOCGIFHWADDR, SIOCGIFMTU, SIOCGIFFLAGS); the IPv4 addresses from {@link NetworkInterface}. All
 * three answer for the network namespace of this process. {@code /sys/class/net} does not: sysfs shows the namespace
 * it was mounted in, so after {@code unshare -n} (or inside {@code unshare -rn}) it still lists the host's
 * interfaces and misses the namespace's own. Java's own list leaves out every interface without an IP address, which
 * is exactly what the stack's side of a lab veth is. None of this needs root or libpcap, so the error that says
 * "libpcap is missing" can still list the interfaces there are.
 *
 * @param name the kernel's interface name, e.g. {@code eth0}
 * @param index the kernel's interface index
 * @param mac the hardware address, or null for interfaces without an Ethernet one (loopback, tun)
 * @param ipv4Addresses the IPv4 addresses with their prefix lengths
 * @param mtu the interface MTU
 * @param up whether the interface is administratively up
 */
public record InterfaceInfo(String name, int index, MacAddress mac, List<Ipv4Cidr> ipv4Addresses, int mtu, boolean up) {

    public InterfaceInfo {
        ipv4Addresses = List.copyOf(ipv4Addresses);
    }

    /** Per network namespace: the namespace of the process that reads it. */
    private static final Path NET_DEV = Path.of("/proc/self/net/dev");
    /** Two lines of column titles come before the first interface. */
    private static final int NET_DEV_HEADER_LINES = 2;
    // include/uapi/linux/sockios.h
    private static final long SIOCGIFFLAGS = 0x8913;
    private static final long SIOCGIFMTU = 0x8921;
    private static final long SIOCGIFHWADDR = 0x8927;
    private static final long SIOCGIFINDEX = 0x8933;
    // include/uapi/linux/if_arp.h, include/uapi/linux/if.h
    private static final int ARPHRD_ETHER = 1;
    private static final int IFF_UP = 0x1;

    /** Every interface of this host, ordered by index (the order {@code ip link} prints). */
    public static List<InterfaceInfo> list() {
        List<String> names;
        try {
            names = namesInNetDev(new String(Files.readAllBytes(NET_DEV), StandardCharsets.UTF_8));
        } catch (IOException e) {
            // Listing is only used to help a person choose; an empty list is reported as "none found".
            return List.of();
        }
        List<InterfaceInfo> result = describe(names);
        result.sort(Comparator.comparingInt(InterfaceInfo::index));
        return result;
    }

    /** The interface with this name, if there is one in the JVM's network namespace. */
    public static Optional<InterfaceInfo> byName(String name) {
        if (!InterfaceRequest.fits(name)) {
            return Optional.empty();
        }
        return describe(List.of(name)).stream().findFirst();
    }

    /**
     * The interface names in the text of {@code /proc/net/dev}: after the two title lines, one line per interface,
     * {@code name:} and its counters (with no space after the colon once a counter is wide). A name holds no colon
     * or white space (the kernel refuses them), so the name is everything before the first colon.
     */
    static List<String> namesInNetDev(String netDev) {
        List<String> names = new ArrayList<>();
        netDev.lines().skip(NET_DEV_HEADER_LINES).forEach(line -> {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.substring(0, colon).isBlank()) {
                names.add(line.substring(0, colon).strip());
            }
        });
        return names;
    }

    private static List<InterfaceInfo> describe(List<String> names) {
        List<InterfaceInfo> found = new ArrayList<>();
        int socket;
        try {
            // Any socket will do: these ioctls are answered for the socket's network namespace, the JVM's.
            socket = Libc.socket(Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
        } catch (LastErrorException e) {
            return found;
        }
        try {
            for (String name : names) {
                describe(socket, name).ifPresent(found::add);
            }
        } finally {
            Libc.closeQuietly(socket);
        }
        return found;
    }

    private static Optional<InterfaceInfo> describe(int socket, String name) {
        try {
            int index = InterfaceRequest.intValue(ask(socket, SIOCGIFINDEX, name));
            byte[] hardware = ask(socket, SIOCGIFHWADDR, name);
            // Ethernet-like devices only; loopback's all-zero address (ARPHRD_LOOPBACK) is no station address.
            MacAddress mac = InterfaceRequest.hardwareType(hardware) == ARPHRD_ETHER
                    ? MacAddress.read(InterfaceRequest.hardwareAddress(hardware, 6), 0) : null;
            int mtu = InterfaceRequest.intValue(ask(socket, SIOCGIFMTU, name));
            boolean up = (InterfaceRequest.flags(ask(socket, SIOCGIFFLAGS, name)) & IFF_UP) != 0;
            return Optional.of(new InterfaceInfo(name, index, mac, ipv4Addresses(name), mtu, up));
        } catch (LastErrorException e) {
            // ENODEV: not there (or removed while reading): as if it never existed.
            return Optional.empty();
        }
    }

    /**
     * Whether this is a TUN or TAP device: the kernel gives those, and only those, a {@code tun_flags} file in sysfs
     * (drivers/net/tun.c). Sysfs shows the network namespace it was mounted in, which may not be the JVM's (inside
     * {@code unshare -rn}), so the device there counts only if its index is this one's too.
     */
    public boolean isTunOrTap() {
        Path device = Path.of("/sys/class/net", name);
        try {
            return Files.exists(device.resolve("tun_flags"))
                    && Files.readString(device.resolve("ifindex"), StandardCharsets.US_ASCII).strip().equals(Integer.toString(index));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** One SIOCGIF* request about {@code name}; the kernel's answer is in the returned struct ifreq. */
    private static byte[] ask(int socket, long request, String name) {
        byte[] ifreq = InterfaceRequest.forName(name);
        Libc.ioctl(socket, new NativeLong(request), ifreq);
        return ifreq;
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
