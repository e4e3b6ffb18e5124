package dev.stacklab.dissect;

/**
 * Two transport endpoints (IPv4 address and port) in a canonical order, so that both directions
 * of a conversation map to the same key.
 */
record EndpointPair(long lower, long upper) {
    static EndpointPair of(int addressA, int portA, int addressB, int portB) {
        long a = ((addressA & 0xFFFF_FFFFL) << 16) | (portA & 0xFFFF);
        long b = ((addressB & 0xFFFF_FFFFL) << 16) | (portB & 0xFFFF);
        return a <= b ? new EndpointPair(a, b) : new EndpointPair(b, a);
    }
}
