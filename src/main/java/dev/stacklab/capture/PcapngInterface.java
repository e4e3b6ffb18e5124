package dev.stacklab.capture;

/**
 * What a pcapng Interface Description Block says about the frames captured on it: their link type,
 * snap length, and how to turn their 64-bit timestamps into nanoseconds.
 *
 * @param linkType               LINKTYPE_ value
 * @param snapLength             0 for "no limit"
 * @param resolutionExponent     timestamps count units of 10^-e seconds, or 2^-e when {@code binaryResolution}
 *                               ({@code if_tsresol}, draft-ietf-opsawg-pcapng section 4.2; default 10^-6)
 * @param binaryResolution       whether {@code resolutionExponent} is a power of 2
 * @param offsetSeconds          {@code if_tsoffset}: added to every timestamp
 * @param name                   {@code if_name}, or null
 * @param description            {@code if_description}, or null
 */
record PcapngInterface(int linkType, long snapLength, int resolutionExponent, boolean binaryResolution, long offsetSeconds,
                       String name, String description) {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long[] POWERS_OF_TEN = {
            1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L, 1_000_000_000L,
            10_000_000_000L, 100_000_000_000L, 1_000_000_000_000L, 10_000_000_000_000L, 100_000_000_000_000L,
            1_000_000_000_000_000L, 10_000_000_000_000_000L, 100_000_000_000_000_000L, 1_000_000_000_000_000_000L};

    /**
     * The decimals of a second tshark shows for this interface's times (9, 6, 3, 2, 1 or 0): those of the finest
     * of nanoseconds, microseconds, milliseconds, hundredths, tenths and seconds that the unit is no coarser than
     * (Wireshark's pcapng reader: 10^-7 s shows as microseconds, 2^-10 s as milliseconds).
     */
    int timestampPrecision() {
        // Decimal: 10^e units a second. Binary: 2^e, which reaches 10, 100, 10^3, 10^6 and 10^9 at e = 4, 7, 10, 20, 30.
        int exponent = resolutionExponent;
        if (binaryResolution) {
            return exponent >= 30 ? 9 : exponent >= 20 ? 6 : exponent >= 10 ? 3 : exponent >= 7 ? 2 : exponent >= 4 ? 1 : 0;
        }
        return exponent >= 9 ? 9 : exponent >= 6 ? 6 : exponent >= 3 ? 3 : exponent;
    }

    /** Timestamp units (an unsigned 64-bit count) to nanoseconds since the epoch; beyond year 2262 the result wraps. */
    long nanos(long units) {
        return offsetSeconds * NANOS_PER_SECOND + (binaryResolution ? binaryUnitsToNanos(units) : decimalUnitsToNanos(units));
    }

    private long decimalUnitsToNanos(long units) {
        if (resolutionExponent <= 9) {
            return units * POWERS_OF_TEN[9 - resolutionExponent];
        }
        int divisorExponent = resolutionExponent - 9;
        return divisorExponent < POWERS_OF_TEN.length ? Long.divideUnsigned(units, POWERS_OF_TEN[divisorExponent]) : 0;
    }

    private long binaryUnitsToNanos(long units) {
        int shift = resolutionExponent;
        if (shift == 0) {
            return units * NANOS_PER_SECOND;
        }
        long seconds = shift >= 64 ? 0 : units >>> shift;
        long fraction = shift >= 64 ? units : units & ((1L << shift) - 1);
        // fraction * 10^9 must not overflow: keep at most 30 bits of the fraction (finer than a nanosecond anyway).
        if (shift > 30) {
            int drop = shift - 30;
            fraction = drop >= 64 ? 0 : fraction >>> drop;
            shift = 30;
        }
        return seconds * NANOS_PER_SECOND + ((fraction * NANOS_PER_SECOND) >>> shift);
    }
}
