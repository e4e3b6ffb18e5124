package dev.stacklab.wire;

/**
 * A TCP sequence number: 32 bits that wrap around (RFC 9293 section 3.4). Numbers are compared by
 * their signed distance modulo 2^32 (RFC 1982's serial number arithmetic, as every TCP does): a is
 * before b when b - a, taken as a 32-bit signed int, is positive. The order is meaningful only for
 * numbers less than 2^31 apart, which TCP guarantees by keeping windows under 2^30 (RFC 7323 section 2.3).
 *
 * <p>The static methods on raw {@code int}s are for the engine's hot paths, the record for APIs.
 *
 * @param bits the 32 bits, as a Java int (sign bit included)
 */
public record TcpSeqNumber(int bits) {
    public static final TcpSeqNumber ZERO = new TcpSeqNumber(0);

    /** The sequence number for an unsigned value as carried in a header (0 to 2^32-1; higher bits are dropped). */
    public static TcpSeqNumber of(long value) {
        return new TcpSeqNumber((int) value);
    }

    /** The unsigned value, 0 to 2^32-1. */
    public long value() {
        return bits & 0xFFFF_FFFFL;
    }

    /** This number plus {@code length} octets, wrapping. */
    public TcpSeqNumber plus(long length) {
        return new TcpSeqNumber(bits + (int) length);
    }

    /** How far this number is after {@code earlier} (negative when before), as a signed 32-bit distance. */
    public int minus(TcpSeqNumber earlier) {
        return bits - earlier.bits;
    }

    public boolean isBefore(TcpSeqNumber other) {
        return before(bits, other.bits);
    }

    public boolean isAfter(TcpSeqNumber other) {
        return after(bits, other.bits);
    }

    public boolean isAtOrBefore(TcpSeqNumber other) {
        return atOrBefore(bits, other.bits);
    }

    public boolean isAtOrAfter(TcpSeqNumber other) {
        return atOrAfter(bits, other.bits);
    }

    /** {@code low <= this < high} in sequence space (an empty range when they are equal). */
    public boolean isWithin(TcpSeqNumber low, TcpSeqNumber high) {
        return within(bits, low.bits, high.bits);
    }

    /** The later of two numbers. */
    public static TcpSeqNumber max(TcpSeqNumber a, TcpSeqNumber b) {
        return after(a.bits, b.bits) ? a : b;
    }

    /** The earlier of two numbers. */
    public static TcpSeqNumber min(TcpSeqNumber a, TcpSeqNumber b) {
        return before(a.bits, b.bits) ? a : b;
    }

    /** a < b modulo 2^32. */
    public static boolean before(int a, int b) {
        return a - b < 0;
    }

    /** a > b modulo 2^32. */
    public static boolean after(int a, int b) {
        return b - a < 0;
    }

    /** a <= b modulo 2^32. */
    public static boolean atOrBefore(int a, int b) {
        return a - b <= 0;
    }

    /** a >= b modulo 2^32. */
    public static boolean atOrAfter(int a, int b) {
        return b - a <= 0;
    }

    /** low <= x < high modulo 2^32. */
    public static boolean within(int x, int low, int high) {
        return x - low >= 0 && x - high < 0 && high - low > 0;
    }

    /** a > b for unsigned 32-bit values carried in {@code long}s, as views and Reprs hold them. */
    public static boolean after(long a, long b) {
        return after((int) a, (int) b);
    }

    @Override
    public String toString() {
        return Long.toString(value());
    }
}
