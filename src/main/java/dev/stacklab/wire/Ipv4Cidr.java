package dev.stacklab.wire;

/** An IPv4 address with a prefix length, as written {@code 10.0.0.1/24}: an interface address and its subnet. */
public record Ipv4Cidr(Ipv4Address address, int prefixLength) {
    public Ipv4Cidr {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is outside 0-32");
        }
    }

    /**
     * Parses {@code ADDRESS/LENGTH}.
     *
     * @throws IllegalArgumentException quoting the whole value when any part of it is wrong
     */
    public static Ipv4Cidr parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + text + "' is not an address with prefix length (expected e.g. 10.0.0.1/24)");
        }
        Ipv4Address address;
        try {
            address = Ipv4Address.parse(text.substring(0, slash));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not an address with prefix length: " + e.getMessage());
        }
        String length = text.substring(slash + 1);
        if (!length.matches("[0-9]{1,2}") || Integer.parseInt(length) > 32) {
            throw new IllegalArgumentException("'" + text + "' has an invalid prefix length '" + length + "' (expected 0-32)");
        }
        return new Ipv4Cidr(address, Integer.parseInt(length));
    }

    public int netmaskBits() {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    public Ipv4Address netmask() {
        return new Ipv4Address(netmaskBits());
    }

    public Ipv4Address network() {
        return new Ipv4Address(address.bits() & netmaskBits());
    }

    /** The directed broadcast address of the subnet. */
    public Ipv4Address broadcast() {
        return new Ipv4Address(address.bits() | ~netmaskBits());
    }

    public boolean contains(Ipv4Address other) {
        return ((other.bits() ^ address.bits()) & netmaskBits()) == 0;
    }

    @Override
    public String toString() {
        return address + "/" + prefixLength;
    }
}
