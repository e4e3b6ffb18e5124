package dev.stacklab.link;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Seeded, netem-like damage to a stream of frames: the pure decision of what to deliver and when, for the
 * real-time {@link ImpairedLink} and for the simulation in virtual time alike.
 *
 * <p>Deterministic: two instances with the same seed, given the same settings and the same sequence of calls,
 * return the same deliveries. Every call draws the same number of random values whatever the settings, so that
 * changing one impairment does not reshuffle the others (with loss raised, the same frames are still corrupted).
 *
 * <p>Thread-safe ({@link #apply} is synchronized: the random stream is shared state). Settings can be changed at
 * any time; they apply from the next frame.
 */
public final class Impairments {
    /** Corruption spares the 14-byte Ethernet header when the frame has more: see {@link #apply}. */
    private static final int ETHERNET_HEADER = 14;

    private final SplittableRandom random;
    private final long seed;
    private volatile ImpairmentSettings settings;

    public Impairments(ImpairmentSettings settings, long seed) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    public long seed() {
        return seed;
    }

    public ImpairmentSettings settings() {
        return settings;
    }

    public void setSettings(ImpairmentSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * One frame to deliver.
     *
     * @param frame the bytes to deliver: a fresh array, distinct for every delivery, which the receiver may keep
     * @param atNanos when to deliver it, on the clock of the {@code nowNanos} given to {@link #apply}
     * @param duplicate whether this is the extra copy of a duplicated frame
     * @param reordered whether this frame was held back so that later frames overtake it
     * @param corruptedBit the index of the flipped bit (bit 0 is the most significant bit of byte 0), or -1
     */
    public record Delivery(byte[] frame, long atNanos, boolean duplicate, boolean reordered, int corruptedBit) {
        public boolean corrupted() {
            return corruptedBit >= 0;
        }
    }

    /** {@link #apply(byte[], int, int, long)} for a frame at the start of its array. */
    public List<Delivery> apply(byte[] frame, int length, long nowNanos) {
        return apply(frame, 0, length, nowNanos);
    }

    /**
     * Decides the fate of one frame sent at {@code nowNanos}: an empty list when it is lost, else the frame (and
     * its duplicate, if any), each with its delivery time. The input is never modified.
     *
     * <p>A corrupted frame has one bit flipped after the Ethernet header (anywhere, if the frame is no longer
     * than a header). On a real wire the FCS would catch damage to the header and the payload alike; the point
     * of corrupting here is to show the IP, ICMP, UDP and TCP checksums at work, which a frame whose
     * destination address was damaged would never reach.
     */
    public synchronized List<Delivery> apply(byte[] frame, int offset, int length, long nowNanos) {
        ImpairmentSettings current = settings;
        double lossDraw = random.nextDouble();
        double duplicateDraw = random.nextDouble();
        double reorderDraw = random.nextDouble();
        double corruptDraw = random.nextDouble();
        double jitterDraw = random.nextDouble();
        double duplicateJitterDraw = random.nextDouble();
        long bitDraw = random.nextLong();

        if (lossDraw < current.loss()) {
            return List.of();
        }
        long delay = current.delay().toNanos();
        long jitter = current.jitter().toNanos();
        boolean reordered = reorderDraw < current.reorder();
        long at = nowNanos + jittered(delay, jitter, jitterDraw) + (reordered ? current.reorderDelay().toNanos() : 0);

        byte[] delivered = new byte[length];
        System.arraycopy(frame, offset, delivered, 0, length);
        int corruptedBit = -1;
        if (corruptDraw < current.corrupt() && length > 0) {
            int firstBit = length > ETHERNET_HEADER ? ETHERNET_HEADER * 8 : 0;
            int bitCount = length * 8 - firstBit;
            corruptedBit = firstBit + (int) Math.floorMod(bitDraw, (long) bitCount);
            delivered[corruptedBit >>> 3] ^= (byte) (0x80 >>> (corruptedBit & 7));
        }
        Delivery original = new Delivery(delivered, at, false, reordered, corruptedBit);
        if (duplicateDraw >= current.duplicate()) {
            return List.of(original);
        }
        // The copy is made from the undamaged input: corruption hits one transmission, not both.
        byte[] copy = new byte[length];
        System.arraycopy(frame, offset, copy, 0, length);
        Delivery duplicate = new Delivery(copy, nowNanos + jittered(delay, jitter, duplicateJitterDraw), true, false, -1);
        return List.of(original, duplicate);
    }

    /** {@code delay} plus a uniform offset in {@code [-jitter, +jitter]}, never below zero. */
    private static long jittered(long delay, long jitter, double draw) {
        if (jitter == 0) {
            return delay;
        }
        return Math.max(0, delay + Math.round((2 * draw - 1) * jitter));
    }

    /**
     * Reports what {@link #apply} decided as {@link LinkEvent}s, so that the UI can show lost, damaged,
     * duplicated and held-back frames: one DROPPED event for a lost frame, and one CORRUPTED, DUPLICATED or
     * REORDERED event for each of those that happened. Frames that merely got the configured delay are not
     * reported (that is every frame).
     *
     * @param frame the frame as it was given to {@code apply}
     */
    public static void report(String linkName, LinkEvent.Direction direction, byte[] frame, int offset, int length,
            List<Delivery> deliveries, long nowNanos, LinkEventListener listener) {
        if (deliveries.isEmpty()) {
            listener.linkEvent(new LinkEvent(linkName, LinkEvent.Kind.DROPPED, direction,
                    "a " + length + "-byte frame was lost (simulated loss)", copy(frame, offset, length), nowNanos));
            return;
        }
        List<LinkEvent> events = new ArrayList<>(2);
        for (Delivery delivery : deliveries) {
            if (delivery.corrupted()) {
                int bit = delivery.corruptedBit();
                events.add(new LinkEvent(linkName, LinkEvent.Kind.CORRUPTED, direction, "a " + length
                        + "-byte frame was corrupted: one bit of byte " + (bit >>> 3) + " flipped (mask 0x"
                        + Integer.toHexString(0x80 >>> (bit & 7)) + ")",
                        copy(frame, offset, length), nowNanos));
            }
            if (delivery.duplicate()) {
                events.add(new LinkEvent(linkName, LinkEvent.Kind.DUPLICATED, direction,
                        "a " + length + "-byte frame was duplicated", copy(frame, offset, length), nowNanos));
            }
            if (delivery.reordered()) {
                events.add(new LinkEvent(linkName, LinkEvent.Kind.REORDERED, direction, "a " + length
                        + "-byte frame was held back " + formatMillis(delivery.atNanos() - nowNanos)
                        + " so that later frames overtake it", copy(frame, offset, length), nowNanos));
            }
        }
        for (LinkEvent event : events) {
            listener.linkEvent(event);
        }
    }

    private static byte[] copy(byte[] frame, int offset, int length) {
        byte[] copy = new byte[length];
        System.arraycopy(frame, offset, copy, 0, length);
        return copy;
    }

    private static String formatMillis(long nanos) {
        long micros = nanos / 1000;
        String fraction = Long.toString(1000 + micros % 1000).substring(1);
        return micros / 1000 + "." + fraction + " ms";
    }
}
