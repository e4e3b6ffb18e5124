package dev.stacklab.dissect;

/**
 * Two transport endpoints (IPv4 address and port) in a canonical order, so that both directions
 * of a conversation map to the same key.
 *
 * <p>A table keeps one mutable instance as its lookup probe ({@link #set}), so finding the
 * conversation of a segment allocates nothing; keys stored in a map are fresh copies and never
 * change.
 */
final class EndpointPair {
    private long lower;
    private long upper;

    private EndpointPair(long lower, long upper) {
        this.lower = lower;
        this.upper = upper;
    }

    /** A probe to be filled with {@link #set} before each lookup. */
    static EndpointPair probe() {
        return new EndpointPair(0, 0);
    }

    static EndpointPair of(int addressA, int portA, int addressB, int portB) {
        return probe().set(addressA, portA, addressB, portB);
    }

    EndpointPair set(int addressA, int portA, int addressB, int portB) {
        long a = ((addressA & 0xFFFF_FFFFL) << 16) | (portA & 0xFFFF);
        long b = ((addressB & 0xFFFF_FFFFL) << 16) | (portB & 0xFFFF);
        lower = Math.min(a, b);
        upper = Math.max(a, b);
        return this;
    }

    /** An unchanging copy, to store as a key. */
    EndpointPair copy() {
        return new EndpointPair(lower, upper);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EndpointPair pair && pair.lower == lower && pair.upper == upper;
    }

    @Override
    public int hashCode() {
        // Endpoints of one capture differ in a few bits (a port, the last octet): spread them over
        // the whole hash, or HashMap buckets collide and turn into trees.
        long h = (lower * 0x9E3779B97F4A7C15L + upper) * 0xC2B2AE3D27D4EB4FL;
        return (int) (h ^ (h >>> 32));
    }

    @Override
    public String toString() {
        return "EndpointPair[lower=" + lower + ", upper=" + upper + "]";
    }
}
