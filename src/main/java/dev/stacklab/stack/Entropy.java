package dev.stacklab.stack;

import java.security.SecureRandom;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Where a {@link NetStack}'s randomness comes from: the secrets of its TCP initial sequence numbers (RFC 6528) and
 * ephemeral ports (RFC 6056), and its random delays. {@link #secure()} (the default) draws from {@link SecureRandom},
 * as a real host must (RFC 4086); {@link #seeded(long)} from a seed, so that a simulation repeats exactly.
 *
 * @param seeded whether {@code seed} is used
 * @param seed   the seed of a seeded source
 */
public record Entropy(boolean seeded, long seed) {
    private static final Entropy SECURE = new Entropy(false, 0);

    public static Entropy secure() {
        return SECURE;
    }

    public static Entropy seeded(long seed) {
        return new Entropy(true, seed);
    }

    /** A new generator: a {@link SplittableRandom} from the seed, or a {@link SecureRandom}. */
    public RandomGenerator newGenerator() {
        return seeded ? new SplittableRandom(seed) : new SecureRandom();
    }

    @Override
    public String toString() {
        return seeded ? "seeded(" + seed + ")" : "secure";
    }
}
