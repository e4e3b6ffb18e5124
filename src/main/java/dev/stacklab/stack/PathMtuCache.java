package dev.stacklab.stack;

import dev.stacklab.wire.Ipv4Address;

import java.util.HashMap;
import java.util.Map;

/**
 * Path MTU discovery's memory (RFC 1191): the MTU learned per destination from "fragmentation needed
 * and DF set" answers to our datagrams. Until one comes the path MTU is the link's. Linux keeps the
 * same per-destination estimate (a route exception), which is why iputils' {@code ping -M want}
 * fragments its second large request to the router's MTU, and {@code -M do} then refuses it locally
 * with that MTU.
 */
final class PathMtuCache {
    /**
     * RFC 1191 section 6.3: an estimate should be forgotten after about ten minutes, so that a path
     * whose bottleneck went away gets the larger MTU back; Linux's net.ipv4.route.mtu_expires is 600 s.
     */
    static final long ESTIMATE_LIFETIME_NANOS = 600_000_000_000L;
    /** Destinations remembered at once; beyond that the estimate closest to expiry makes room. */
    static final int MAX_DESTINATIONS = 256;
    /** RFC 1191 section 3: never below 68 octets, which RFC 791 requires every module to pass whole. */
    static final int MIN_MTU = 68;
    /** RFC 1191 section 7's table of common MTUs, for a router that reports none (section 5). */
    private static final int[] PLATEAUS = {32000, 17914, 8166, 4352, 2002, 1492, 1006, 508, 296, MIN_MTU};

    /** A learned MTU and the timer that forgets it (RFC 1191 section 6.3). */
    private record Estimate(int mtu, long expiresAt, TimerQueue.Timer expiry) {
    }

    private final NetStack stack;
    private final int linkMtu;
    private final Map<Integer, Estimate> estimates = new HashMap<>();

    PathMtuCache(NetStack stack) {
        this.stack = stack;
        this.linkMtu = stack.config().mtu();
    }

    /** The largest datagram that should reach {@code destination} unfragmented: the learned estimate, else the link's MTU. */
    int mtuFor(int destination) {
        if (estimates.isEmpty()) {
            // Every datagram sent asks; most stacks never learn an estimate, so skip the boxed lookup.
            return linkMtu;
        }
        Estimate estimate = estimates.get(destination);
        return estimate == null ? linkMtu : estimate.mtu();
    }

    /**
     * A router could not forward our datagram to {@code destination} without fragmenting it.
     *
     * @param reportedMtu        the error's next-hop MTU; 0 from a router older than RFC 1191
     * @param quotedTotalLength  the total length of our datagram as the error quotes it
     */
    void fragmentationNeeded(int destination, int reportedMtu, int quotedTotalLength, long now) {
        int estimate = Math.max(MIN_MTU, reportedMtu != 0 ? reportedMtu : plateauBelow(quotedTotalLength));
        int previous = mtuFor(destination);
        if (estimate >= previous) {
            // RFC 1191 section 6.1: a host MUST NOT raise its estimate because of a Datagram Too Big message.
            return;
        }
        if (estimates.size() >= MAX_DESTINATIONS && !estimates.containsKey(destination)) {
            forgetClosestToExpiry(now);
        }
        long expiresAt = now + ESTIMATE_LIFETIME_NANOS;
        TimerQueue.Timer expiry = stack.timers.newTimer(at -> forget(destination, at));
        expiry.schedule(expiresAt);
        Estimate replaced = estimates.put(destination, new Estimate(estimate, expiresAt, expiry));
        if (replaced != null) {
            replaced.expiry().cancel();
        }
        publish(destination, previous, estimate, now);
    }

    /** RFC 1191 section 5: the largest plateau below the length of the datagram that was too big. */
    private static int plateauBelow(int totalLength) {
        for (int plateau : PLATEAUS) {
            if (plateau < totalLength) {
                return plateau;
            }
        }
        return MIN_MTU;
    }

    private void forgetClosestToExpiry(long now) {
        int closest = 0;
        long soonest = Long.MAX_VALUE;
        for (Map.Entry<Integer, Estimate> entry : estimates.entrySet()) {
            if (entry.getValue().expiresAt() < soonest) {
                soonest = entry.getValue().expiresAt();
                closest = entry.getKey();
            }
        }
        forget(closest, now);
    }

    private void forget(int destination, long now) {
        Estimate forgotten = estimates.remove(destination);
        forgotten.expiry().cancel();
        publish(destination, forgotten.mtu(), linkMtu, now);
    }

    private void publish(int destination, int previousMtu, int mtu, long now) {
        if (stack.hasListener()) {
            stack.publish(new StackEvent.PathMtuChanged(now, new Ipv4Address(destination), previousMtu, mtu));
        }
    }
}
