package dev.stacklab.stack;

/**
 * SipHash-2-4 (Aumasson and Bernstein, 2012) over a few 64-bit words: the keyed pseudo-random function behind
 * {@link InitialSequenceNumbers} and {@link EphemeralPorts}, the one Linux uses for the same purposes
 * ({@code secure_tcp_seq}, {@code secure_ipv4_port_ephemeral}). Short inputs, no allocation; a secret key makes the
 * output unpredictable to anyone who sees other outputs, which is all RFC 6528 and RFC 6056 ask of their F().
 */
final class SipHash {
    private final long k0;
    private final long k1;

    SipHash(long k0, long k1) {
        this.k0 = k0;
        this.k1 = k1;
    }

    /** The hash of two 64-bit words (16 bytes, little-endian as the reference implementation reads them). */
    long hash(long m0, long m1) {
        long v0 = k0 ^ 0x736f6d6570736575L;
        long v1 = k1 ^ 0x646f72616e646f6dL;
        long v2 = k0 ^ 0x6c7967656e657261L;
        long v3 = k1 ^ 0x7465646279746573L;
        long[] state = {v0, v1, v2, v3};
        compress(state, m0);
        compress(state, m1);
        // The final block holds only the length (16 bytes) in its top byte.
        compress(state, 16L << 56);
        state[2] ^= 0xFF;
        for (int i = 0; i < 4; i++) {
            round(state);
        }
        return state[0] ^ state[1] ^ state[2] ^ state[3];
    }

    private static void compress(long[] v, long m) {
        v[3] ^= m;
        round(v);
        round(v);
        v[0] ^= m;
    }

    private static void round(long[] v) {
        v[0] += v[1];
        v[1] = Long.rotateLeft(v[1], 13);
        v[1] ^= v[0];
        v[0] = Long.rotateLeft(v[0], 32);
        v[2] += v[3];
        v[3] = Long.rotateLeft(v[3], 16);
        v[3] ^= v[2];
        v[0] += v[3];
        v[3] = Long.rotateLeft(v[3], 21);
        v[3] ^= v[0];
        v[2] += v[1];
        v[1] = Long.rotateLeft(v[1], 17);
        v[1] ^= v[2];
        v[2] = Long.rotateLeft(v[2], 32);
    }
}
