package dev.stacklab.stack;

import dev.stacklab.wire.ArpPacket;
import dev.stacklab.wire.ArpRepr;
import dev.stacklab.wire.BigEndian;
import dev.stacklab.wire.EtherType;
import dev.stacklab.wire.EthernetFrame;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.MacAddress;
import dev.stacklab.wire.MalformedPacketException;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Finds out whether an IPv4 address is free on a link before a host takes it: IPv4 Address Conflict Detection,
 * RFC 5227 section 2.1. Sans-I/O like {@link NetStack}: times are passed in, frames come in through
 * {@link #receive} and go out through {@link #poll}, and the random delays come from the generator it is given.
 *
 * <p>It sends ARP probes (requests with sender IP 0.0.0.0, so that no neighbor caches the unproven address) for
 * the candidate and decides:
 * <ul>
 *   <li>taken, as soon as any ARP packet (request or reply) has the candidate as its sender IP: its owner answered
 *       a probe (Linux replies to a probe from the address, to the prober's MAC) or announced or used it;</li>
 *   <li>taken, when another station probes for the same address at the same time (an ARP probe for it from a MAC
 *       that is not ours): RFC 5227 gives the address to neither;</li>
 *   <li>free, when {@link ProbeTiming#announceWaitNanos()} has passed after the last probe without either.</li>
 * </ul>
 * Frames from our own MAC are ignored: a capture that also sees what we send must not find us in conflict with
 * ourselves.
 */
public final class AddressConflictDetection {
    private static final int FRAME_LENGTH = EthernetFrame.HEADER_LENGTH + ArpRepr.EthernetIpv4.LENGTH;

    /** What showed the address to be in use. */
    public enum Evidence {
        /** An ARP reply from the address: its owner answered. */
        REPLY,
        /** An ARP request from the address: its owner asked for someone, or announced itself. */
        REQUEST,
        /** Another station probed for the same address while we did. */
        PROBE
    }

    /** Who holds the address: the MAC of the station that answered for it, and how it showed. */
    public record Conflict(MacAddress mac, Evidence evidence) {
    }

    private final MacAddress ownMac;
    private final Ipv4Address candidate;
    private final ProbeTiming timing;
    private final RandomGenerator random;
    private int probesSent;
    /** Its two deadlines, in a timer queue of its own: it runs before any NetStack exists. */
    private final TimerQueue timers = new TimerQueue();
    private final TimerQueue.Timer nextProbe = timers.newTimer(this::probeDue);
    private final TimerQueue.Timer decision = timers.newTimer(now -> decide(null));
    /** The transmitter of the poll that fires the timers. */
    private FrameTransmitter transmitting;
    private boolean started;
    private boolean decided;
    private Conflict conflict;

    /**
     * @param ownMac the MAC the probes come from: the one the host will use, since the owner of the address answers to it
     * @param candidate the address to probe
     * @param random the source of the random delays RFC 5227 asks for (so that hosts powered on together do not probe in step)
     */
    public AddressConflictDetection(MacAddress ownMac, Ipv4Address candidate, ProbeTiming timing, RandomGenerator random) {
        this.ownMac = Objects.requireNonNull(ownMac, "ownMac");
        this.candidate = Objects.requireNonNull(candidate, "candidate");
        this.timing = Objects.requireNonNull(timing, "timing");
        this.random = Objects.requireNonNull(random, "random");
        if (candidate.isUnspecified()) {
            throw new IllegalArgumentException("0.0.0.0 cannot be probed: it is what a probe says instead of an address");
        }
    }

    public Ipv4Address candidate() {
        return candidate;
    }

    /** Starts probing at {@code now}: the first probe goes out after a random delay of up to PROBE_WAIT. */
    public void start(long now) {
        if (started) {
            throw new IllegalStateException("the probe for " + candidate + " has already started");
        }
        started = true;
        nextProbe.schedule(now + randomUpTo(timing.probeWaitNanos()));
    }

    /** One Ethernet frame seen on the link; anything but ARP for IPv4 over Ethernet is ignored. */
    public void receive(byte[] frame, int length, long now) {
        if (!started || decided) {
            return;
        }
        ArpPacket arp;
        try {
            EthernetFrame ethernet = EthernetFrame.wrapChecked(frame, 0, length);
            if (ethernet.etherTypeValue() != EtherType.ARP.value()) {
                return;
            }
            arp = ArpPacket.wrapChecked(frame, ethernet.payloadOffset(), ethernet.payloadLength());
        } catch (MalformedPacketException e) {
            return;
        }
        if (!arp.isEthernetIpv4()) {
            return;
        }
        MacAddress sender = MacAddress.read(frame, arp.senderHardwareOffset());
        if (sender.equals(ownMac)) {
            return;
        }
        int senderIp = BigEndian.i32(frame, arp.senderProtocolOffset());
        int targetIp = BigEndian.i32(frame, arp.targetProtocolOffset());
        int operation = arp.operation();
        if (senderIp == candidate.bits()) {
            decide(new Conflict(sender, operation == ArpPacket.OPERATION_REPLY ? Evidence.REPLY : Evidence.REQUEST));
        } else if (senderIp == 0 && targetIp == candidate.bits() && operation == ArpPacket.OPERATION_REQUEST) {
            decide(new Conflict(sender, Evidence.PROBE));
        }
    }

    /** Sends the probe that is due, or decides "free" once ANNOUNCE_WAIT after the last probe has passed. */
    public void poll(long now, FrameTransmitter transmit) {
        if (!started || decided) {
            return;
        }
        transmitting = transmit;
        try {
            timers.fireDue(now);
        } finally {
            transmitting = null;
        }
    }

    private void probeDue(long now) {
        byte[] probe = probeFrame();
        transmitting.transmit(probe, 0, probe.length);
        probesSent++;
        if (probesSent < timing.probeCount()) {
            nextProbe.schedule(now + timing.probeMinNanos() + randomUpTo(timing.probeMaxNanos() - timing.probeMinNanos()));
        } else {
            decision.schedule(now + timing.announceWaitNanos());
        }
    }

    /** When {@link #poll} next has work; {@code Long.MAX_VALUE} once decided (or before the start). */
    public long pollAt() {
        return decided ? Long.MAX_VALUE : timers.nextDeadline();
    }

    public boolean isDecided() {
        return decided;
    }

    /** Whether the address turned out free; false also while undecided. */
    public boolean isFree() {
        return decided && conflict == null;
    }

    /** Who holds the address, or null (free, or not decided yet). */
    public Conflict conflict() {
        return conflict;
    }

    public int probesSent() {
        return probesSent;
    }

    private void decide(Conflict found) {
        decided = true;
        conflict = found;
        nextProbe.cancel();
        decision.cancel();
    }

    /** An ARP probe (RFC 5227 section 2.1.1): a broadcast request, sender IP all zeroes, target hardware address zero. */
    private byte[] probeFrame() {
        byte[] frame = new byte[FRAME_LENGTH];
        BigEndian.putU48(frame, EthernetFrame.DESTINATION, MacAddress.BROADCAST.bits());
        BigEndian.putU48(frame, EthernetFrame.SOURCE, ownMac.bits());
        BigEndian.putU16(frame, EthernetFrame.TYPE, EtherType.ARP.value());
        ArpRepr.EthernetIpv4.request(ownMac, Ipv4Address.UNSPECIFIED, candidate).emit(frame, EthernetFrame.HEADER_LENGTH);
        return frame;
    }

    private long randomUpTo(long nanos) {
        return nanos <= 0 ? 0 : random.nextLong(nanos + 1);
    }
}
