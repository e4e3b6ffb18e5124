package dev.stacklab.stack;

import dev.stacklab.wire.Ipv4Address;

import java.util.random.RandomGenerator;

/**
 * TCP initial sequence numbers per RFC 6528 section 3 (and RFC 9293 3.4.1):
 * {@code ISN = M + F(localip, localport, remoteip, remoteport, secretkey)}, where M is a clock ticking every
 * 4 microseconds and F a keyed hash (here SipHash-2-4, as Linux's {@code secure_tcp_seq}). For one four-tuple the
 * ISN grows with time as RFC 9293's clock-driven generator does, so a new incarnation of a connection starts above
 * the old one's sequence space; across four-tuples the offsets are unrelated and, without the secret, unguessable
 * (the blind spoofing attacks RFC 6528 section 1 describes).
 *
 * <p>The secret comes from the stack's randomness ({@link StackConfig#entropy()}): fixed by the seed in a
 * simulation, so that a run repeats, and from {@code SecureRandom} otherwise.
 */
public final class InitialSequenceNumbers {
    /** RFC 9293 3.4.1: the clock "is incremented roughly every 4 microseconds". */
    static final long CLOCK_TICK_NANOS = 4_000;

    private final SipHash hash;

    /** A generator with the secret key (k0, k1). */
    public InitialSequenceNumbers(long k0, long k1) {
        this.hash = new SipHash(k0, k1);
    }

    /** A generator whose secret is drawn from {@code random}. */
    public static InitialSequenceNumbers withSecretFrom(RandomGenerator random) {
        return new InitialSequenceNumbers(random.nextLong(), random.nextLong());
    }

    /**
     * The ISN for a connection from {@code localAddress:localPort} to {@code remoteAddress:remotePort} opened at
     * {@code nowNanos} (the engine's time), as an unsigned 32-bit value in an int (sequence space wraps, RFC 9293 3.4).
     */
    public int next(Ipv4Address localAddress, int localPort, Ipv4Address remoteAddress, int remotePort, long nowNanos) {
        long tuple = (long) localPort << 16 | remotePort;
        long addresses = (long) localAddress.bits() << 32 | (remoteAddress.bits() & 0xFFFF_FFFFL);
        int offset = (int) hash.hash(addresses, tuple);
        int clock = (int) Math.floorDiv(nowNanos, CLOCK_TICK_NANOS);
        return clock + offset;
    }
}
