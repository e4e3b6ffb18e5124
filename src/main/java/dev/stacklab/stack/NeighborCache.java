package dev.stacklab.stack;

import dev.stacklab.wire.ArpPacket;
import dev.stacklab.wire.ArpRepr;
import dev.stacklab.wire.BigEndian;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.MacAddress;
import dev.stacklab.wire.MalformedPacketException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ARP (RFC 826) and the neighbor cache (RFC 1122 section 2.3.2).
 *
 * <ul>
 *   <li>A new destination starts INCOMPLETE: a broadcast request at most once per {@code arpRetryNanos}
 *       (RFC 1122 2.3.2.1: no more than one per second per destination), {@code arpAttempts} in all,
 *       then FAILED: queued datagrams are dropped and their owners told "host unreachable".</li>
 *   <li>Datagrams wait in a bounded queue per entry while it is INCOMPLETE and go out once it
 *       resolves (RFC 1122 2.3.2.2 SHOULD save at least one), so the first ping is not lost.</li>
 *   <li>REACHABLE lasts {@code neighborReachableNanos}, then STALE. A STALE entry is still used, and
 *       its first use sends unicast requests to the cached MAC (the "unicast poll" of RFC 1122 2.3.2.1,
 *       Linux's PROBE); when none is answered it becomes FAILED.</li>
 *   <li>RFC 826's merge: any ARP packet whose sender is in the table updates it; an entry is created
 *       only for the sender of a request for our address, never from an unsolicited reply.</li>
 * </ul>
 */
final class NeighborCache {
    /** Entries kept; beyond this the oldest unresolved or stale one is forgotten. */
    static final int MAX_ENTRIES = 512;
    /** Datagrams waiting for one address (a 65507-byte ping is 45 fragments). */
    static final int MAX_PENDING_PER_ENTRY = 64;
    /** Datagrams waiting for all addresses together. */
    static final int MAX_PENDING_TOTAL = 1024;
    /** Resolve callbacks waiting for one address. */
    static final int MAX_WAITERS_PER_ENTRY = 64;
    private static final long NO_MAC = -1;

    /** Someone to tell when a datagram it sent can never leave because ARP failed. */
    interface PendingOwner {
        void neighborUnreachable(Ipv4Address nextHop, long now);
    }

    private record Pending(byte[] frame, PendingOwner owner) {
    }

    private static final class Entry {
        final int address;
        long mac = NO_MAC;
        NeighborState state;
        /** When the entry last changed state or MAC, or was last confirmed: what the app shows as its age. */
        long updatedAt;
        /** REACHABLE: when it turns STALE. */
        long expiresAt = Long.MAX_VALUE;
        /** INCOMPLETE or probing STALE: when the next request goes (or, all sent, when it fails). */
        long nextRequestAt = Long.MAX_VALUE;
        long lastRequestAt = Long.MIN_VALUE;
        int requestsSent;
        boolean probing;
        final ArrayDeque<Pending> pending = new ArrayDeque<>();
        final List<ResolveCallback> waiters = new ArrayList<>();
        /** Due at {@link #expiresAt} while REACHABLE, at {@link #nextRequestAt} while INCOMPLETE or probing. */
        final TimerQueue.Timer timer;

        Entry(int address, TimerQueue timers, NeighborCache cache) {
            this.address = address;
            this.timer = timers.newTimer(now -> cache.timerFired(this, now));
        }
    }

    private final NetStack stack;
    private final StackConfig config;
    private final Map<Integer, Entry> entries = new LinkedHashMap<>();
    /** The last entry looked up: a run of frames to one peer skips the map (and the Integer box). */
    private Entry recent;
    private int pendingTotal;
    /**
     * Counts the times a datagram found the ARP queue for its next hop full (it is then dropped, or it filled the
     * last place), so that the engine stops pulling from its sender until ARP settles (see NetStack.poll).
     */
    private long queueFullSoFar;

    NeighborCache(NetStack stack) {
        this.stack = stack;
        this.config = stack.config();
    }

    private Entry lookup(int address) {
        Entry entry = recent;
        if (entry != null && entry.address == address) {
            return entry;
        }
        entry = entries.get(address);
        if (entry != null) {
            recent = entry;
        }
        return entry;
    }

    /** How many times a datagram found its ARP queue full, or filled it, since the cache was made. */
    long queueFullSoFar() {
        return queueFullSoFar;
    }

    // ---- output ----

    /**
     * Sends an IPv4 frame (Ethernet header still to be written) to {@code nextHop}: now when its MAC is
     * known, else once ARP finds it. {@code owner} (may be null) hears if it never can.
     */
    void send(byte[] frame, int nextHop, PendingOwner owner, long now) {
        Entry entry = lookup(nextHop);
        if (entry != null && entry.mac != NO_MAC) {
            stack.transmitIpv4(frame, entry.mac, now);
            if (entry.state == NeighborState.STALE && !entry.probing) {
                startRequests(entry, now, true);
            }
            return;
        }
        if (entry == null) {
            entry = create(nextHop, now);
            if (entry == null) {
                queueFullSoFar++;
                stack.dropOutgoing(now, DropReason.QUEUE_FULL, "neighbor cache full of unresolved addresses", frame);
                return;
            }
        } else if (entry.state == NeighborState.FAILED) {
            changeState(entry, NeighborState.INCOMPLETE, now);
            startRequests(entry, now, false);
        }
        if (entry.pending.size() >= MAX_PENDING_PER_ENTRY || pendingTotal >= MAX_PENDING_TOTAL) {
            queueFullSoFar++;
            stack.dropOutgoing(now, DropReason.QUEUE_FULL, "ARP queue for " + new Ipv4Address(nextHop) + " is full", frame);
            return;
        }
        entry.pending.add(new Pending(frame, owner));
        pendingTotal++;
        if (entry.pending.size() >= MAX_PENDING_PER_ENTRY || pendingTotal >= MAX_PENDING_TOTAL) {
            queueFullSoFar++;
        }
    }

    /** {@code NetStack.resolve}: from the cache when the MAC is known, else by ARP. */
    void resolve(int address, long now, ResolveCallback callback) {
        Ipv4Address ip = new Ipv4Address(address);
        if (address == stack.ownAddress) {
            callback.resolved(ip, stack.config().mac());
            return;
        }
        if (address == -1 || address == stack.config().address().broadcast().bits()) {
            callback.resolved(ip, MacAddress.BROADCAST);
            return;
        }
        Entry entry = lookup(address);
        if (entry != null && entry.mac != NO_MAC) {
            callback.resolved(ip, new MacAddress(entry.mac));
            return;
        }
        if (entry == null) {
            entry = create(address, now);
            if (entry == null) {
                callback.resolved(ip, null);
                return;
            }
        } else if (entry.state == NeighborState.FAILED) {
            changeState(entry, NeighborState.INCOMPLETE, now);
            startRequests(entry, now, false);
        }
        if (entry.waiters.size() >= MAX_WAITERS_PER_ENTRY) {
            callback.resolved(ip, null);
            return;
        }
        entry.waiters.add(callback);
    }

    private Entry create(int address, long now) {
        if (entries.size() >= MAX_ENTRIES && !evictOne(now)) {
            return null;
        }
        Entry entry = new Entry(address, stack.timers, this);
        entry.state = NeighborState.INCOMPLETE;
        entry.updatedAt = now;
        entries.put(address, entry);
        publishChange(entry, NO_MAC, null, now);
        startRequests(entry, now, false);
        return entry;
    }

    /** Forgets the oldest entry that nobody waits on: FAILED or STALE first, then REACHABLE. */
    private boolean evictOne(long now) {
        for (NeighborState victim : new NeighborState[] {NeighborState.FAILED, NeighborState.STALE, NeighborState.REACHABLE}) {
            Iterator<Entry> it = entries.values().iterator();
            while (it.hasNext()) {
                Entry entry = it.next();
                if (entry.state == victim && entry.pending.isEmpty() && entry.waiters.isEmpty()) {
                    it.remove();
                    entry.timer.cancel();
                    if (recent == entry) {
                        recent = null;
                    }
                    publishRemoval(entry, now);
                    return true;
                }
            }
        }
        return false;
    }

    /** Starts a round of requests: broadcast for INCOMPLETE, unicast to the cached MAC for a STALE probe. */
    private void startRequests(Entry entry, long now, boolean probe) {
        entry.probing = probe;
        entry.requestsSent = 0;
        // RFC 1122 2.3.2.1: never more than one request per retry interval, even across rounds.
        long earliest = entry.lastRequestAt == Long.MIN_VALUE ? now : Math.max(now, entry.lastRequestAt + config.arpRetryNanos());
        entry.nextRequestAt = earliest;
        if (earliest <= now) {
            sendRequest(entry, now);
        } else {
            entry.timer.schedule(earliest);
        }
    }

    private void sendRequest(Entry entry, long now) {
        long destinationMac = entry.probing ? entry.mac : MacAddress.BROADCAST.bits();
        ArpRepr.EthernetIpv4 request = ArpRepr.EthernetIpv4.request(stack.config().mac(),
                stack.config().address().address(), new Ipv4Address(entry.address));
        sendArp(request, destinationMac, now);
        stack.counters.arpRequestsSent++;
        entry.requestsSent++;
        entry.lastRequestAt = now;
        entry.nextRequestAt = now + config.arpRetryNanos();
        entry.timer.schedule(entry.nextRequestAt);
    }

    private void sendArp(ArpRepr.EthernetIpv4 packet, long destinationMac, long now) {
        byte[] frame = new byte[NetStack.ETHERNET_HEADER + ArpRepr.EthernetIpv4.LENGTH];
        packet.emit(frame, NetStack.ETHERNET_HEADER);
        stack.transmitArp(frame, destinationMac, now);
    }

    /** The ARP announcement (RFC 5227 section 2.3): a broadcast request with our address as sender and target. */
    void announce(long now) {
        Ipv4Address own = stack.config().address().address();
        ArpRepr.EthernetIpv4 announcement = ArpRepr.EthernetIpv4.request(stack.config().mac(), own, own);
        sendArp(announcement, MacAddress.BROADCAST.bits(), now);
        stack.counters.arpRequestsSent++;
    }

    // ---- timers ----

    /** The entry's one timer: REACHABLE turns STALE; an INCOMPLETE or probing entry asks again, or fails. */
    private void timerFired(Entry entry, long now) {
        switch (entry.state) {
            case REACHABLE -> {
                entry.expiresAt = Long.MAX_VALUE;
                changeState(entry, NeighborState.STALE, now);
            }
            case INCOMPLETE, STALE -> {
                if (entry.state == NeighborState.INCOMPLETE || entry.probing) {
                    if (entry.requestsSent < config.arpAttempts()) {
                        sendRequest(entry, now);
                    } else {
                        fail(entry, now);
                    }
                }
            }
            case FAILED -> { }
        }
    }

    /** Nobody answered: drop what waited and tell its owners (RFC 1122 2.3.2.2, ICMP-like "host unreachable"). */
    private void fail(Entry entry, long now) {
        entry.timer.cancel();
        entry.probing = false;
        entry.nextRequestAt = Long.MAX_VALUE;
        long previousMac = entry.mac;
        entry.mac = NO_MAC;
        Ipv4Address address = new Ipv4Address(entry.address);
        NeighborState previous = entry.state;
        entry.state = NeighborState.FAILED;
        entry.updatedAt = now;
        publishChange(entry, previousMac, previous, now);
        // Owners may send again from their callbacks, starting a new round on this entry: detach first.
        List<Pending> dropped = new ArrayList<>(entry.pending);
        pendingTotal -= dropped.size();
        if (!dropped.isEmpty()) {
            stack.neighborSettled();
        }
        entry.pending.clear();
        for (Pending pending : dropped) {
            stack.dropOutgoing(now, DropReason.NEIGHBOR_UNREACHABLE,
                    "no ARP reply from " + address + " after " + entry.requestsSent + " requests", pending.frame());
            if (pending.owner() != null) {
                pending.owner().neighborUnreachable(address, now);
            }
        }
        List<ResolveCallback> waiters = new ArrayList<>(entry.waiters);
        entry.waiters.clear();
        for (ResolveCallback waiter : waiters) {
            waiter.resolved(address, null);
        }
    }

    // ---- input ----

    void receive(byte[] frame, int offset, int length, long now) {
        ArpPacket packet;
        try {
            packet = ArpPacket.wrapChecked(frame, offset, length);
        } catch (MalformedPacketException e) {
            stack.dropReceived(now, DropReason.MALFORMED, e.getMessage());
            return;
        }
        if (!packet.isEthernetIpv4()) {
            stack.dropReceived(now, DropReason.UNSUPPORTED_PROTOCOL, "ARP for other than IPv4 over Ethernet");
            return;
        }
        int operation = packet.operation();
        if (operation != ArpPacket.OPERATION_REQUEST && operation != ArpPacket.OPERATION_REPLY) {
            stack.dropReceived(now, DropReason.UNSUPPORTED_PROTOCOL, "ARP operation " + operation);
            return;
        }
        if (operation == ArpPacket.OPERATION_REQUEST) {
            stack.counters.arpRequestsReceived++;
        } else {
            stack.counters.arpRepliesReceived++;
        }
        long senderMac = BigEndian.u48(frame, packet.senderHardwareOffset());
        int senderAddress = BigEndian.i32(frame, packet.senderProtocolOffset());
        int targetAddress = BigEndian.i32(frame, packet.targetProtocolOffset());
        if (senderMac == stack.ownMac) {
            stack.dropReceived(now, DropReason.NOT_FOR_US, "our own ARP packet came back");
            return;
        }
        if (new MacAddress(senderMac).isMulticast()) {
            stack.dropReceived(now, DropReason.MALFORMED, "ARP sender hardware address is a group address");
            return;
        }
        if (senderAddress == stack.ownAddress) {
            // RFC 5227 section 2.4: someone else uses our address. Nothing is cached from it.
            stack.counters.addressConflicts++;
            stack.publish(new StackEvent.AddressConflict(now, new Ipv4Address(senderAddress), new MacAddress(senderMac)));
            return;
        }
        // RFC 826 "Packet Reception": update the sender's entry if there is one (the merge flag).
        boolean merged = false;
        if (senderAddress != 0) {
            Entry entry = lookup(senderAddress);
            if (entry != null) {
                confirm(entry, senderMac, now);
                merged = true;
            }
        }
        if (targetAddress != stack.ownAddress) {
            if (!merged) {
                stack.dropReceived(now, DropReason.NOT_FOR_US, operation == ArpPacket.OPERATION_REPLY
                        ? "unsolicited ARP reply from " + new Ipv4Address(senderAddress) + " (no cache entry)"
                        : "ARP request for " + new Ipv4Address(targetAddress) + ", not us");
            }
            return;
        }
        if (!merged && senderAddress != 0 && operation == ArpPacket.OPERATION_REQUEST) {
            // "Am I the target? Yes: add the triplet" — for requests only: a reply we did not ask for creates nothing.
            Entry entry = entries.size() < MAX_ENTRIES || evictOne(now) ? new Entry(senderAddress, stack.timers, this) : null;
            if (entry != null) {
                entries.put(senderAddress, entry);
                confirm(entry, senderMac, now);
            }
        } else if (!merged && operation == ArpPacket.OPERATION_REPLY) {
            stack.dropReceived(now, DropReason.NOT_FOR_US, "unsolicited ARP reply from " + new Ipv4Address(senderAddress) + " (no cache entry)");
            return;
        }
        if (operation == ArpPacket.OPERATION_REQUEST) {
            // Answer even an RFC 5227 probe (sender 0.0.0.0): to its sender's MAC, as Linux does.
            ArpRepr.EthernetIpv4 reply = new ArpRepr.EthernetIpv4(ArpPacket.OPERATION_REPLY, stack.config().mac(),
                    stack.config().address().address(), new MacAddress(senderMac), new Ipv4Address(senderAddress));
            sendArp(reply, senderMac, now);
            stack.counters.arpRepliesSent++;
        }
    }

    /** The address is at {@code mac}, just heard: REACHABLE, and whatever waited for it leaves now. */
    private void confirm(Entry entry, long mac, long now) {
        long previousMac = entry.mac;
        NeighborState previousState = entry.state;
        entry.mac = mac;
        entry.state = NeighborState.REACHABLE;
        entry.updatedAt = now;
        entry.probing = false;
        entry.requestsSent = 0;
        entry.nextRequestAt = Long.MAX_VALUE;
        entry.expiresAt = now + config.neighborReachableNanos();
        entry.timer.schedule(entry.expiresAt);
        if (previousMac != mac || previousState != NeighborState.REACHABLE) {
            publishChange(entry, previousMac, previousState, now);
        }
        Pending pending;
        boolean released = false;
        while ((pending = entry.pending.poll()) != null) {
            pendingTotal--;
            released = true;
            stack.transmitIpv4(pending.frame(), mac, now);
        }
        if (released) {
            stack.neighborSettled();
        }
        if (!entry.waiters.isEmpty()) {
            List<ResolveCallback> waiters = new ArrayList<>(entry.waiters);
            entry.waiters.clear();
            Ipv4Address address = new Ipv4Address(entry.address);
            MacAddress resolved = new MacAddress(mac);
            for (ResolveCallback waiter : waiters) {
                waiter.resolved(address, resolved);
            }
        }
    }

    private void changeState(Entry entry, NeighborState state, long now) {
        NeighborState previous = entry.state;
        entry.state = state;
        entry.updatedAt = now;
        publishChange(entry, entry.mac, previous, now);
    }

    private void publishRemoval(Entry entry, long now) {
        if (stack.hasListener()) {
            stack.publish(new StackEvent.NeighborRemoved(now, new Ipv4Address(entry.address),
                    entry.mac == NO_MAC ? null : new MacAddress(entry.mac), entry.state));
        }
    }

    /**
     * Forgets every entry nobody waits on, as {@code ip neigh flush} does: the next datagram to each address asks
     * ARP again. Entries with datagrams or resolve callbacks waiting stay: they are being resolved right now, and
     * dropping them would leave their owners unanswered. Returns how many entries were forgotten.
     */
    int flush(long now) {
        int removed = 0;
        Iterator<Entry> it = entries.values().iterator();
        while (it.hasNext()) {
            Entry entry = it.next();
            if (entry.pending.isEmpty() && entry.waiters.isEmpty()) {
                it.remove();
                entry.timer.cancel();
                publishRemoval(entry, now);
                removed++;
            }
        }
        recent = null;
        return removed;
    }

    private void publishChange(Entry entry, long previousMac, NeighborState previousState, long now) {
        if (stack.hasListener()) {
            stack.publish(new StackEvent.NeighborChanged(now, new Ipv4Address(entry.address),
                    previousMac == NO_MAC ? null : new MacAddress(previousMac),
                    entry.mac == NO_MAC ? null : new MacAddress(entry.mac), previousState, entry.state));
        }
    }

    List<NeighborEntry> snapshot() {
        List<NeighborEntry> list = new ArrayList<>(entries.size());
        for (Entry entry : entries.values()) {
            long expires = switch (entry.state) {
                case REACHABLE -> entry.expiresAt;
                case INCOMPLETE -> entry.nextRequestAt;
                default -> Long.MAX_VALUE;
            };
            list.add(new NeighborEntry(new Ipv4Address(entry.address), entry.mac == NO_MAC ? null : new MacAddress(entry.mac),
                    entry.state, entry.updatedAt, expires));
        }
        return list;
    }
}
