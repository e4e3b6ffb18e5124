package dev.stacklab.wire;

/**
 * An IPv6 address (RFC 4291), held as its 128 bits in two longs, in network order (the first byte in the high byte of
 * {@code high}). Printed in RFC 5952's canonical form: lower case, leading zeros dropped, the longest run of two or
 * more zero groups (the first of equal runs) as "::", and an embedded IPv4 address in dotted form for IPv4-mapped and
 * IPv4-compatible addresses, as Wireshark prints them.
 */
public record Ipv6Address(long high, long low) {
    public static final int LENGTH = 16;
    public static final Ipv6Address UNSPECIFIED = new Ipv6Address(0, 0);

    public static Ipv6Address read(byte[] bytes, int offset) {
        return new Ipv6Address(BigEndian.i64(bytes, offset), BigEndian.i64(bytes, offset + 8));
    }

    public void write(byte[] bytes, int offset) {
        BigEndian.putI64(bytes, offset, high);
        BigEndian.putI64(bytes, offset + 8, low);
    }

    /** The 16-bit group at {@code index} (0-7). */
    public int group(int index) {
        long half = index < 4 ? high : low;
        return (int) (half >>> (48 - 16 * (index & 3))) & 0xFFFF;
    }

    public byte[] toBytes() {
        byte[] bytes = new byte[LENGTH];
        write(bytes, 0);
        return bytes;
    }

    public boolean isMulticast() {
        return (high >>> 56) == 0xFF;
    }

    /**
     * Parses the text forms of RFC 4291 section 2.2 (full, with "::", with a dotted IPv4 tail).
     *
     * @throws IllegalArgumentException quoting the value when it is not an IPv6 address
     */
    public static Ipv6Address parse(String text) {
        int[] groups = new int[8];
        int count = 0;
        int gap = -1;
        int at = 0;
        int length = text.length();
        if (text.startsWith("::")) {
            gap = 0;
            at = 2;
        } else if (text.startsWith(":")) {
            throw invalid(text);
        }
        while (at < length) {
            int end = at;
            while (end < length && text.charAt(end) != ':') {
                end++;
            }
            String part = text.substring(at, end);
            if (part.indexOf('.') >= 0) {
                if (end != length || count > 6) {
                    throw invalid(text);
                }
                int v4;
                try {
                    v4 = Ipv4Address.parse(part).bits();
                } catch (IllegalArgumentException notDotted) {
                    throw invalid(text);
                }
                groups[count++] = v4 >>> 16;
                groups[count++] = v4 & 0xFFFF;
                at = end;
                break;
            }
            if (part.isEmpty() || part.length() > 4 || count == 8) {
                throw invalid(text);
            }
            int value = 0;
            for (int i = 0; i < part.length(); i++) {
                int digit = Character.digit(part.charAt(i), 16);
                if (digit < 0) {
                    throw invalid(text);
                }
                value = value << 4 | digit;
            }
            groups[count++] = value;
            if (end == length) {
                at = end;
                break;
            }
            // A "::" after this group.
            if (end + 1 < length && text.charAt(end + 1) == ':') {
                if (gap >= 0) {
                    throw invalid(text);
                }
                gap = count;
                at = end + 2;
            } else if (end + 1 == length) {
                throw invalid(text);
            } else {
                at = end + 1;
            }
        }
        if (gap < 0 ? count != 8 : count > 7) {
            throw invalid(text);
        }
        int[] full = new int[8];
        if (gap < 0) {
            full = groups;
        } else {
            System.arraycopy(groups, 0, full, 0, gap);
            int tail = count - gap;
            System.arraycopy(groups, gap, full, 8 - tail, tail);
        }
        long high = 0;
        long low = 0;
        for (int i = 0; i < 4; i++) {
            high = high << 16 | full[i];
            low = low << 16 | full[i + 4];
        }
        return new Ipv6Address(high, low);
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("'" + text + "' is not an IPv6 address (expected eight groups of hex digits like fd00::1)");
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(39);
        appendTo(out);
        return out.toString();
    }

    /** Appends the RFC 5952 text. */
    public void appendTo(StringBuilder out) {
        // IPv4-compatible (::a.b.c.d, not :: or ::1) and IPv4-mapped (::ffff:a.b.c.d), as inet_ntop writes them.
        if (high == 0 && (low >>> 32 == 0 || low >>> 32 == 0xFFFF) && (low & 0xFFFF_0000L) != 0) {
            out.append(low >>> 32 == 0 ? "::" : "::ffff:");
            out.append(new Ipv4Address((int) low));
            return;
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (group(i) != 0) {
                i++;
                continue;
            }
            int start = i;
            while (i < 8 && group(i) == 0) {
                i++;
            }
            if (i - start > bestLength) {
                bestStart = start;
                bestLength = i - start;
            }
        }
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (i > 0 && i != bestStart + bestLength) {
                out.append(':');
            }
            out.append(Integer.toHexString(group(i)));
        }
    }
}
