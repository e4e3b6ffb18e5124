package dev.stacklab.stack;

import dev.stacklab.wire.Ipv4Address;

import java.util.function.IntPredicate;
import java.util.random.RandomGenerator;

/**
 * Ephemeral port selection per RFC 6056 ("Recommendations for Transport-Protocol Port Randomization"), in the
 * dynamic range of RFC 6335 section 6 (49152-65535):
 * <ul>
 *   <li>For a connection whose remote end is known (TCP connect, a connected UDP socket): Algorithm 4, "Double-Hash
 *       Port Selection" (RFC 6056 3.3.4). An offset F(local, remote, remote port, secret1) spreads four-tuples over
 *       the range; a counter in a small table, chosen by G(local, remote, remote port, secret2), moves on after each
 *       pick, so the same tuple gets a fresh port next time (TIME-WAIT is not hit), while an observer of one tuple's
 *       ports learns nothing about another's.</li>
 *   <li>For a bind without a remote end (UDP {@code bind(0)}): Algorithm 1, "Simple Port Randomization" (RFC 6056
 *       3.3.1): a random start, then the next free port. With no tuple to keep apart, a random port is as
 *       unguessable as it gets.</li>
 * </ul>
 * Ports in use (the predicate) are skipped; when all are, {@link IllegalStateException}.
 */
public final class EphemeralPorts {
    /** RFC 6335 section 6: the dynamic (ephemeral) port range. */
    public static final int FIRST = 49152;
    public static final int LAST = 65535;
    static final int COUNT = LAST - FIRST + 1;
    /** RFC 6056 3.3.4's table_length: a few kilobytes, enough that unrelated destinations rarely share a counter. */
    static final int TABLE_LENGTH = 1024;

    private final RandomGenerator random;
    private final SipHash offsetHash;
    private final SipHash tableHash;
    private final short[] table = new short[TABLE_LENGTH];

    /** Draws both secrets from {@code random}, and uses it for binds without a remote end. */
    public EphemeralPorts(RandomGenerator random) {
        this.random = random;
        this.offsetHash = new SipHash(random.nextLong(), random.nextLong());
        this.tableHash = new SipHash(random.nextLong(), random.nextLong());
    }

    /** RFC 6056 Algorithm 4 for a connection to {@code remote:remotePort}. */
    public int pick(Ipv4Address local, Ipv4Address remote, int remotePort, IntPredicate inUse) {
        long addresses = (long) local.bits() << 32 | (remote.bits() & 0xFFFF_FFFFL);
        int offset = (int) Long.remainderUnsigned(offsetHash.hash(addresses, remotePort), COUNT);
        int index = (int) Long.remainderUnsigned(tableHash.hash(addresses, remotePort), TABLE_LENGTH);
        for (int tried = 0; tried < COUNT; tried++) {
            int port = FIRST + Math.floorMod(offset + table[index], COUNT);
            table[index]++;
            if (!inUse.test(port)) {
                return port;
            }
        }
        throw new IllegalStateException("every ephemeral port (" + FIRST + "-" + LAST + ") to " + remote + ":" + remotePort
                + " is in use");
    }

    /** RFC 6056 Algorithm 1 for a bind without a remote end. */
    public int pick(IntPredicate inUse) {
        int start = random.nextInt(COUNT);
        for (int tried = 0; tried < COUNT; tried++) {
            int port = FIRST + (start + tried) % COUNT;
            if (!inUse.test(port)) {
                return port;
            }
        }
        throw new IllegalStateException("every ephemeral port (" + FIRST + "-" + LAST + ") is in use");
    }
}
