package dev.stacklab.dissect;

import dev.stacklab.wire.Ipv6Address;

import java.util.HashMap;
import java.util.Map;

/**
 * Stands each IPv6 address in for a 32-bit number, so the tables keyed by IPv4 addresses (UDP and TCP conversations,
 * ICMP echo transactions, fragment reassembly) keep IPv6 traffic too. The numbers are taken from 240.0.0.0/4, which
 * IPv4 reserves (RFC 1112 section 4) and real captures do not carry, so an IPv6 conversation does not meet an IPv4 one.
 * Bounded: past {@link #MAXIMUM_ADDRESSES} addresses the others are folded to a number by hash (two of them may then
 * share one, which merges their conversations; a capture with a million addresses has other troubles).
 */
final class Ipv6AddressIds {
    static final int MAXIMUM_ADDRESSES = 1 << 20;
    private static final int RESERVED_BLOCK = 0xF000_0000;

    private final Map<Ipv6Address, Integer> ids = new HashMap<>();
    // The last address asked for: most frames ask for the two of one conversation in turn.
    private Ipv6Address lastAddress;
    private int lastId;

    int id(Ipv6Address address) {
        if (address.equals(lastAddress)) {
            return lastId;
        }
        Integer known = ids.get(address);
        int id;
        if (known != null) {
            id = known;
        } else if (ids.size() < MAXIMUM_ADDRESSES) {
            id = RESERVED_BLOCK | ids.size();
            ids.put(address, id);
        } else {
            id = RESERVED_BLOCK | (address.hashCode() & (MAXIMUM_ADDRESSES - 1));
        }
        lastAddress = address;
        lastId = id;
        return id;
    }
}
