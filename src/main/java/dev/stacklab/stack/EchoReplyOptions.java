package dev.stacklab.stack;

import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.Ipv4Option;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The IP options an echo reply carries, made from the request's the way Linux's
 * {@code __ip_options_echo} makes them (RFC 1122 3.2.2.6 and 3.2.1.8):
 * <ul>
 *   <li>Record Route and Timestamp are returned "without truncation", updated to include this host,
 *       so that they describe the whole round trip: our address in the next Record Route slot, our
 *       entry in the Timestamp option (for flag 3 only where our address is the next one listed),
 *       or, when there is no room, the route copied as it is and the timestamp's overflow count
 *       incremented (RFC 791). Our address is added once, when the reply leaves; Linux also writes
 *       it when the request arrives, so a Linux target shows up twice in {@code ping -R}.</li>
 *   <li>A completed source route is reversed into the reply's return route (RFC 1122 3.2.1.8c):
 *       the last hop recorded becomes the reply's first hop (its destination field), the other hops
 *       follow in reverse order and the requester is the last address. When the recorded route
 *       starts with the requester itself (the sender put its own address first, case B of 3.2.1.8)
 *       that entry is left out, so the return route is still well formed.</li>
 *   <li>Everything else, No Operation padding and options this host does not know included, is
 *       not copied: an unknown option's meaning for a reply is unknown.</li>
 * </ul>
 * The options keep the request's order; the caller lays them out, padded with End of Option List.
 *
 * @param options     the reply's options
 * @param firstHop    where the reply is addressed: the requester, or the first hop of the return route
 * @param strictRoute true when the return route is strict, so that the first hop must be on-link
 */
record EchoReplyOptions(List<Ipv4Option> options, Ipv4Address firstHop, boolean strictRoute) {

    /**
     * @param request             the request's options, already checked (see {@code Ipv4Layer}): pointers
     *                            well formed, no source route still under way, no timestamp overflow about to overflow
     * @param requester           the request's source address
     * @param us                  this host's address
     * @param millisSinceMidnight the time of day for the Timestamp option (RFC 791: milliseconds since midnight UT)
     */
    static EchoReplyOptions of(List<Ipv4Option> request, Ipv4Address requester, Ipv4Address us, long millisSinceMidnight) {
        List<Ipv4Option> reply = new ArrayList<>(request.size());
        Ipv4Address firstHop = requester;
        boolean strict = false;
        for (Ipv4Option option : request) {
            if (option instanceof Ipv4Option.RecordRoute route) {
                reply.add(route.full() ? route : route.withRecorded(us));
            } else if (option instanceof Ipv4Option.Timestamp timestamp) {
                reply.add(timestamp.stampedBy(us, millisSinceMidnight));
            } else if (option instanceof Ipv4Option.SourceRoute sourceRoute) {
                List<Ipv4Address> hops = returnHops(sourceRoute, requester, us);
                if (!hops.isEmpty()) {
                    firstHop = hops.get(0);
                    strict = sourceRoute.strict();
                    List<Ipv4Address> rest = new ArrayList<>(hops.subList(1, hops.size()));
                    rest.add(requester);
                    reply.add(new Ipv4Option.SourceRoute(sourceRoute.strict(), Ipv4Option.RECORD_ROUTE_FIRST_POINTER, rest));
                }
            }
        }
        return new EchoReplyOptions(reply, firstHop, strict);
    }

    /**
     * The hops a reply passes before the requester: the recorded route reversed, without the
     * requester at its start (RFC 1122 3.2.1.8 case B) and without this host at its end (a hop
     * that is us is no hop at all).
     */
    private static List<Ipv4Address> returnHops(Ipv4Option.SourceRoute route, Ipv4Address requester, Ipv4Address us) {
        List<Ipv4Address> hops = new ArrayList<>(route.recorded());
        if (!hops.isEmpty() && hops.get(0).equals(requester)) {
            hops.remove(0);
        }
        Collections.reverse(hops);
        while (!hops.isEmpty() && hops.get(0).equals(us)) {
            hops.remove(0);
        }
        return hops;
    }
}
