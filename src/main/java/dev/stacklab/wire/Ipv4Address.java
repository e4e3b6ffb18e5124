package dev.stacklab.wire;

/** An IPv4 address, held as the 32 bits of an int in network order (first octet in the high byte). */
public record Ipv4Address(int bits) implements Comparable<Ipv4Address> {
    public static final Ipv4Address UNSPECIFIED = new Ipv4Address(0);
    public static final Ipv4Address BROADCAST = new Ipv4Address(0xFFFF_FFFF);

    public static Ipv4Address read(byte[] bytes, int offset) {
        return new Ipv4Address(BigEndian.i32(bytes, offset));
    }

    public void write(byte[] bytes, int offset) {
        BigEndian.putI32(bytes, offset, bits);
    }

    public static Ipv4Address of(int a, int b, int c, int d) {
        return new Ipv4Address((a & 0xFF) << 24 | (b & 0xFF) << 16 | (c & 0xFF) << 8 | (d & 0xFF));
    }

    /**
     * Parses dotted-quad notation ({@code 10.0.0.1}); nothing else is accepted.
     *
     * @throws IllegalArgumentException quoting the value when it is not an IPv4 address
     */
    public static Ipv4Address parse(String text) {
        int bits = 0;
        int octets = 0;
        int value = -1;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : '.';
            if (c >= '0' && c <= '9') {
                // Leading zeros are refused: "010" means octal to inet_aton and decimal to others.
                if (value == 0 || (value = Math.max(value, 0) * 10 + (c - '0')) > 255) {
                    throw invalid(text);
                }
            } else if (c == '.' && value >= 0 && octets < 4) {
                bits = bits << 8 | value;
                octets++;
                value = -1;
            } else {
                throw invalid(text);
            }
        }
        if (octets != 4) {
            throw invalid(text);
        }
        return new Ipv4Address(bits);
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("'" + text + "' is not an IPv4 address (expected four numbers 0-255 like 10.0.0.1)");
    }

    /** The address as an unsigned value, handy for arithmetic and range checks. */
    public long unsigned() {
        return bits & 0xFFFF_FFFFL;
    }

    public int octet(int index) {
        return (bits >>> (24 - 8 * index)) & 0xFF;
    }

    public boolean isUnspecified() {
        return bits == 0;
    }

    public boolean isBroadcast() {
        return bits == -1;
    }

    /** 224.0.0.0/4 (RFC 5771). */
    public boolean isMulticast() {
        return (bits & 0xF000_0000) == 0xE000_0000;
    }

    /** 127.0.0.0/8. */
    public boolean isLoopback() {
        return (bits >>> 24) == 127;
    }

    @Override
    public String toString() {
        return octet(0) + "." + octet(1) + "." + octet(2) + "." + octet(3);
    }

    @Override
    public int compareTo(Ipv4Address other) {
        return Integer.compareUnsigned(bits, other.bits);
    }
}
