package dev.stacklab.dissect;

import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.Ipv6Address;

/**
 * The column and field texts of the addresses a capture keeps using ("10.0.0.1", "Broadcast"),
 * formatted once and shared: a capture has few distinct addresses and nearly every frame shows
 * two of them. Direct-mapped, so a new address simply replaces the one in its slot; a String is
 * immutable, so sharing it between frames changes nothing that is printed.
 */
final class AddressTexts {
    private static final int SLOTS = 1024;

    private final int[] ipv4Keys = new int[SLOTS];
    private final String[] ipv4Texts = new String[SLOTS];
    private final Ipv6Address[] ipv6Keys = new Ipv6Address[SLOTS];
    private final String[] ipv6Texts = new String[SLOTS];
    private final long[] macKeys = new long[SLOTS];
    private final String[] macTexts = new String[SLOTS];

    /** Dotted quad, as {@link Ipv4Address#toString()}. */
    String ipv4(int address) {
        int slot = mix(address) & (SLOTS - 1);
        String text = ipv4Texts[slot];
        if (text == null || ipv4Keys[slot] != address) {
            text = new Ipv4Address(address).toString();
            ipv4Keys[slot] = address;
            ipv4Texts[slot] = text;
        }
        return text;
    }

    /** RFC 5952 text, as {@link Ipv6Address#toString()}. */
    String ipv6(Ipv6Address address) {
        int slot = mix(address.hashCode()) & (SLOTS - 1);
        String text = ipv6Texts[slot];
        if (text == null || !address.equals(ipv6Keys[slot])) {
            text = address.toString();
            ipv6Keys[slot] = address;
            ipv6Texts[slot] = text;
        }
        return text;
    }

    /** How Wireshark names a MAC address in the columns ({@link EthernetDissector#resolvedName(long)}). */
    String macName(long mac) {
        int slot = mix((int) (mac ^ (mac >>> 32))) & (SLOTS - 1);
        String text = macTexts[slot];
        if (text == null || macKeys[slot] != mac) {
            text = EthernetDissector.resolvedName(mac);
            macKeys[slot] = mac;
            macTexts[slot] = text;
        }
        return text;
    }

    private static int mix(int key) {
        int h = key * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
