package dev.stacklab.dissect;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which MAC address each IPv4 address was last seen with in ARP, across a capture, so that a second station
 * claiming an address is caught (an address conflict: two hosts configured alike, or ARP spoofing), as
 * Wireshark's duplicate-address detection does.
 *
 * <p>The first claim of an address stands until the same station claims it again (which renews it); another
 * station's claim is reported against it and does not replace it. Claims by the zero or a group MAC address, and
 * of 0.0.0.0 (RFC 5227 probes), say nothing about who owns an address and are ignored. Bounded: the least recently
 * claimed addresses are forgotten first.
 */
final class ArpAddressClaims {
    static final int MAXIMUM_ADDRESSES = 65_536;

    /** A claim that stands: by whom, and in which frame at which second it was last made. */
    record Claim(long mac, int frame, long epochSecond) {
    }

    private final Map<Integer, Claim> claims = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Claim> eldest) {
            return size() > MAXIMUM_ADDRESSES;
        }
    };

    /**
     * Records that {@code mac} claims {@code address} in this frame; returns the earlier claim by another station
     * that this one conflicts with, or null.
     */
    Claim claim(int address, long mac, int frame, long timestampNanos) {
        boolean groupOrZero = mac == 0 || (mac & (1L << 40)) != 0;
        if (address == 0 || groupOrZero) {
            return null;
        }
        long second = Math.floorDiv(timestampNanos, 1_000_000_000L);
        Claim standing = claims.get(address);
        if (standing == null || standing.mac() == mac) {
            claims.put(address, new Claim(mac, frame, second));
            return null;
        }
        return standing;
    }
}
