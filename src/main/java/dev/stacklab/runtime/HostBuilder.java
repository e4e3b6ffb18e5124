package dev.stacklab.runtime;

import dev.stacklab.link.InterfaceInfo;
import dev.stacklab.link.Link;
import dev.stacklab.link.LinkException;
import dev.stacklab.link.PcapLink;
import dev.stacklab.link.TapLink;
import dev.stacklab.stack.StackConfig;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.Ipv4Cidr;
import dev.stacklab.wire.MacAddress;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Sets up a {@link Host}. Defaults, chosen so that {@code Host.onInterface("veth1").start()} does what a person
 * expects:
 * <ul>
 *   <li>address: the interface's own first IPv4 address (required for a TAP device or an interface without one);</li>
 *   <li>MAC: the link's own hardware address when it has one (a pcap interface, a switch port): the NIC's unicast
 *       filter then passes the stack's frames without promiscuous mode, switches learn it, and Wi-Fi cards that
 *       refuse foreign source addresses still work. A TAP device's address belongs to the kernel's side, so
 *       there (and for links without one) a random locally administered unicast address, {@code 02:xx:xx:xx:xx:xx}
 *       (IEEE 802: bit 1 of the first octet set, bit 0 clear);</li>
 *   <li>MTU: the link's; no gateway; ping timeout 1 s.</li>
 * </ul>
 */
public final class HostBuilder {
    /** An IPv4 datagram's length field has 16 bits; loopback's 65536-byte MTU is more than IPv4 can use. */
    private static final int MAX_IPV4_MTU = 65535;
    private final String interfaceName;
    private final Link givenLink;
    private boolean tap;
    private Ipv4Cidr address;
    private Ipv4Address gateway;
    private MacAddress mac;
    private Integer mtu;
    private Duration pingTimeout = Duration.ofSeconds(1);
    private final List<RunnerListener> listeners = new ArrayList<>();

    HostBuilder(String interfaceName, Link givenLink) {
        this.interfaceName = interfaceName;
        this.givenLink = givenLink;
    }

    /** Uses the TAP device of that name (opened or created through /dev/net/tun) instead of libpcap. */
    public HostBuilder tap() {
        this.tap = true;
        return this;
    }

    /** The stack's address and subnet, e.g. {@code 10.0.0.2/24}. */
    public HostBuilder address(String cidr) {
        return address(Ipv4Cidr.parse(cidr));
    }

    public HostBuilder address(Ipv4Cidr cidr) {
        this.address = Objects.requireNonNull(cidr, "address");
        return this;
    }

    /** The next hop for destinations off the subnet; must be on it. */
    public HostBuilder gateway(String ip) {
        return gateway(Ipv4Address.parse(ip));
    }

    public HostBuilder gateway(Ipv4Address ip) {
        this.gateway = ip;
        return this;
    }

    public HostBuilder mac(String text) {
        return mac(MacAddress.parse(text));
    }

    public HostBuilder mac(MacAddress value) {
        this.mac = value;
        return this;
    }

    public HostBuilder mtu(int value) {
        this.mtu = value;
        return this;
    }

    /** How long {@link Host#ping(Ipv4Address, int)} waits for a reply. */
    public HostBuilder pingTimeout(Duration value) {
        this.pingTimeout = Objects.requireNonNull(value, "pingTimeout");
        return this;
    }

    /** Sees every stack and link event from the start (the gratuitous ARP included), on the stack's thread. */
    public HostBuilder listener(RunnerListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * Opens the link and starts the stack on it.
     *
     * @throws LinkException when the link cannot be opened; the message is one line that names the fix
     *     (sudo or setcap, the libpcap package, the interfaces that do exist)
     * @throws IllegalArgumentException when the setup is incomplete or inconsistent (no address to default to, a
     *     gateway off the subnet, an MTU out of range), with a message that says which
     */
    public Host start() throws LinkException {
        if (mac != null && problemWithOwnMac(mac) != null) {
            throw new IllegalArgumentException("MAC " + mac + " " + problemWithOwnMac(mac));
        }
        if (address != null && problemWithOwnAddress(address) != null) {
            throw new IllegalArgumentException("address " + address + " " + problemWithOwnAddress(address));
        }
        Link link = givenLink != null ? givenLink : tap ? TapLink.open(interfaceName) : PcapLink.open(interfaceName);
        try {
            StackConfig config = StackConfig.of(chooseMac(link), chooseAddress(), gateway)
                    .withMtu(mtu != null ? mtu : Math.min(link.mtu(), MAX_IPV4_MTU));
            StackRunner runner = new StackRunner(config, link);
            listeners.forEach(runner::addListener);
            runner.start();
            return new Host(runner, new SecureRandom().nextInt(0x10000), pingTimeout);
        } catch (RuntimeException e) {
            link.close();
            throw e;
        }
    }

    /**
     * Why {@code mac} cannot be a station's own address, as the end of a sentence that starts with the address; null
     * when it can. A group address (IEEE 802: bit 0 of the first octet set, broadcast included) names many stations,
     * and a frame from one is refused by switches and by every host's ARP (RFC 1812 3.3.2 asks routers to drop ARP
     * from them).
     */
    public static String problemWithOwnMac(MacAddress mac) {
        if (mac.isBroadcast()) {
            return "is the broadcast address: a station's own MAC must be unicast (first octet even), such as 02:00:00:00:00:01";
        }
        if (mac.isMulticast()) {
            return "is a group (multicast) address, the lowest bit of its first octet set: a station's own MAC must be unicast"
                    + " (first octet even), such as 02:00:00:00:00:01";
        }
        if (mac.equals(MacAddress.ZERO)) {
            return "is all zeroes, which names no station: use a unicast MAC such as 02:00:00:00:00:01";
        }
        return null;
    }

    /**
     * Why {@code cidr}'s address cannot be a host's own, as the end of a sentence that starts with it; null when it
     * can. The first and last address of a subnet are its network and broadcast address (RFC 919, RFC 922; RFC 1122
     * 3.3.6): a host taking one would take every broadcast for itself. A /31 (RFC 3021) and /32 have neither.
     */
    public static String problemWithOwnAddress(Ipv4Cidr cidr) {
        Ipv4Address address = cidr.address();
        if (address.isUnspecified()) {
            return "is 0.0.0.0, which means \"no address yet\": give the stack a host address of its subnet";
        }
        if (address.isBroadcast()) {
            return "is the limited broadcast address: give the stack a host address of its subnet";
        }
        if (address.isMulticast()) {
            return "is a multicast address (224.0.0.0/4): a host's own address must be unicast";
        }
        if (cidr.prefixLength() > 30) {
            return null;
        }
        String hosts = "a host takes one of " + new Ipv4Address(cidr.network().bits() + 1) + " to "
                + new Ipv4Address(cidr.broadcast().bits() - 1);
        if (address.equals(cidr.network())) {
            return "is the network address of " + new Ipv4Cidr(cidr.network(), cidr.prefixLength()) + ": " + hosts;
        }
        if (address.equals(cidr.broadcast())) {
            return "is the broadcast address of " + new Ipv4Cidr(cidr.network(), cidr.prefixLength()) + ": " + hosts;
        }
        return null;
    }

    private Ipv4Cidr chooseAddress() {
        if (address != null) {
            return address;
        }
        if (!tap && givenLink == null) {
            List<Ipv4Cidr> own = InterfaceInfo.byName(interfaceName).map(InterfaceInfo::ipv4Addresses).orElse(List.of());
            if (!own.isEmpty()) {
                return own.get(0);
            }
            throw new IllegalArgumentException("interface " + interfaceName
                    + " has no IPv4 address to default to: give the stack one (--ip ADDR/LEN)");
        }
        throw new IllegalArgumentException("the stack on " + interfaceName
                + " needs an address of its own (--ip ADDR/LEN)" + (tap ? ": the TAP device's address is the kernel's" : ""));
    }

    private MacAddress chooseMac(Link link) {
        if (mac != null) {
            return mac;
        }
        if (link.hardwareAddress() != null) {
            return link.hardwareAddress();
        }
        return randomLocalMac();
    }

    /** A random locally administered unicast MAC: first octet 0x02, the other five random. */
    static MacAddress randomLocalMac() {
        long random = new SecureRandom().nextLong() & 0xFF_FFFF_FFFFL;
        return new MacAddress(0x02_00_0000_0000L | random);
    }
}
