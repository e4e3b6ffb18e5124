package dev.stacklab.stack;

import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.Ipv4Cidr;
import dev.stacklab.wire.MacAddress;

import java.util.Objects;

/**
 * What a {@link NetStack} is on its one interface: its MAC, its IPv4 address and prefix, the
 * default gateway (null for none), and the IP MTU. Timings are RFC 1122's defaults unless changed.
 *
 * @param mac                     the interface's own MAC (the stack answers ARP with it)
 * @param address                 the interface address and subnet, e.g. 10.0.0.2/24
 * @param gateway                 the next hop for destinations off the subnet, or null
 * @param mtu                     the largest IPv4 datagram the link carries (1500 for Ethernet)
 * @param neighborReachableNanos  how long an ARP entry stays reachable (60 s by default)
 * @param arpRetryNanos           time between ARP requests for one address (1 s: RFC 1122 2.3.2.1)
 * @param arpAttempts             requests before giving up (3)
 * @param reassemblyTimeoutNanos  how long fragments wait for the rest (30 s: RFC 791 suggests 15 s upwards)
 * @param entropy                 where secrets and random choices come from: {@link Entropy#secure()} unless a
 *                                simulation gives a seed
 */
public record StackConfig(MacAddress mac, Ipv4Cidr address, Ipv4Address gateway, int mtu, long neighborReachableNanos,
                          long arpRetryNanos, int arpAttempts, long reassemblyTimeoutNanos, Entropy entropy) {
    public static final int ETHERNET_MTU = 1500;
    private static final long SECOND = 1_000_000_000L;

    public StackConfig {
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(entropy, "entropy");
        if (mtu < 68 || mtu > 65535) {
            // RFC 791: every internet module must be able to forward a datagram of 68 octets.
            throw new IllegalArgumentException("MTU " + mtu + " is outside 68-65535");
        }
        if (gateway != null && !address.contains(gateway)) {
            throw new IllegalArgumentException("gateway " + gateway + " is not on the subnet " + address);
        }
    }

    /** A host on Ethernet with RFC 1122's default timings. */
    public static StackConfig of(MacAddress mac, Ipv4Cidr address, Ipv4Address gateway) {
        return new StackConfig(mac, address, gateway, ETHERNET_MTU, 60 * SECOND, SECOND, 3, 30 * SECOND, Entropy.secure());
    }

    public StackConfig withMtu(int newMtu) {
        return new StackConfig(mac, address, gateway, newMtu, neighborReachableNanos, arpRetryNanos, arpAttempts, reassemblyTimeoutNanos, entropy);
    }

    public StackConfig withNeighborReachable(long nanos) {
        return new StackConfig(mac, address, gateway, mtu, nanos, arpRetryNanos, arpAttempts, reassemblyTimeoutNanos, entropy);
    }

    /** The same host drawing its randomness from {@code newEntropy} (a simulation passes a seed). */
    public StackConfig withEntropy(Entropy newEntropy) {
        return new StackConfig(mac, address, gateway, mtu, neighborReachableNanos, arpRetryNanos, arpAttempts, reassemblyTimeoutNanos,
                newEntropy);
    }
}
