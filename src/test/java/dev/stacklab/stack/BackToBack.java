package dev.stacklab.stack;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Two stacks joined by a perfect cable in virtual time: every frame one sends reaches the other
 * {@link #LATENCY} later. (The runtime's Simulation does this with a VirtualSwitch and impairments.)
 */
final class BackToBack {
    static final long LATENCY = 1_000L;

    private record InFlight(long at, long order, Recorder.Host to, byte[] frame) {
    }

    final Recorder.Host a;
    final Recorder.Host b;
    /** Every frame either side sent, in order, with a mark of who sent it. */
    final List<byte[]> wire = new ArrayList<>();
    private final PriorityQueue<InFlight> inFlight = new PriorityQueue<>((x, y) ->
            x.at != y.at ? Long.compare(x.at, y.at) : Long.compare(x.order, y.order));
    private long order;
    private long now;

    BackToBack(StackConfig configA, StackConfig configB) {
        this.a = new Recorder.Host(configA);
        this.b = new Recorder.Host(configB);
    }

    long now() {
        return now;
    }

    /** Runs every event up to and including {@code until}; returns false if it stopped because nothing was left. */
    void runUntil(long until) {
        while (true) {
            long next = Math.min(Math.max(now, Math.min(a.stack.pollAt(), b.stack.pollAt())),
                    inFlight.isEmpty() ? Long.MAX_VALUE : inFlight.peek().at);
            if (next > until) {
                now = until;
                return;
            }
            now = next;
            while (!inFlight.isEmpty() && inFlight.peek().at <= now) {
                InFlight frame = inFlight.poll();
                frame.to.receive(frame.frame, now);
            }
            send(a, b);
            send(b, a);
        }
    }

    private void send(Recorder.Host from, Recorder.Host to) {
        for (byte[] frame : from.poll(now)) {
            wire.add(frame);
            inFlight.add(new InFlight(now + LATENCY, order++, to, frame));
        }
    }
}
