package dev.stacklab.wire;

/** A 48-bit IEEE 802 MAC address, held in the low 48 bits of a long. */
public record MacAddress(long bits) implements Comparable<MacAddress> {
    public static final MacAddress BROADCAST = new MacAddress(0xFFFF_FFFF_FFFFL);
    public static final MacAddress ZERO = new MacAddress(0);

    public MacAddress {
        if ((bits & ~0xFFFF_FFFF_FFFFL) != 0) {
            throw new IllegalArgumentException("MAC address wider than 48 bits: 0x" + Long.toHexString(bits));
        }
    }

    /** Reads six bytes at {@code offset}. */
    public static MacAddress read(byte[] bytes, int offset) {
        return new MacAddress(BigEndian.u48(bytes, offset));
    }

    public void write(byte[] bytes, int offset) {
        BigEndian.putU48(bytes, offset, bits);
    }

    /**
     * Parses {@code aa:bb:cc:dd:ee:ff} (also with {@code -} separators, either case).
     *
     * @throws IllegalArgumentException quoting the value when it is not a MAC address
     */
    public static MacAddress parse(String text) {
        String[] parts = text.trim().split("[:-]", -1);
        if (parts.length != 6) {
            throw new IllegalArgumentException("'" + text + "' is not a MAC address (expected six hex pairs like 02:00:00:00:00:01)");
        }
        long bits = 0;
        for (String part : parts) {
            if (part.length() != 2 || Character.digit(part.charAt(0), 16) < 0 || Character.digit(part.charAt(1), 16) < 0) {
                throw new IllegalArgumentException("'" + text + "' is not a MAC address (expected six hex pairs like 02:00:00:00:00:01)");
            }
            bits = (bits << 8) | Integer.parseInt(part, 16);
        }
        return new MacAddress(bits);
    }

    public boolean isBroadcast() {
        return bits == BROADCAST.bits;
    }

    /** The I/G bit of the first octet: set for group (multicast and broadcast) addresses. */
    public boolean isMulticast() {
        return (bits & 0x0100_0000_0000L) != 0;
    }

    public boolean isUnicast() {
        return !isMulticast();
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** Lower-case, colon-separated, as Wireshark and iproute2 print it. */
    @Override
    public String toString() {
        char[] out = new char[17];
        for (int i = 0; i < 6; i++) {
            int octet = (int) (bits >>> (40 - 8 * i)) & 0xFF;
            out[i * 3] = HEX[octet >>> 4];
            out[i * 3 + 1] = HEX[octet & 0xF];
            if (i < 5) {
                out[i * 3 + 2] = ':';
            }
        }
        return new String(out);
    }

    @Override
    public int compareTo(MacAddress other) {
        return Long.compare(bits, other.bits);
    }
}
