package dev.stacklab.link;

import dev.stacklab.wire.MacAddress;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps any {@link Link} with {@link Impairments} on the frames it sends, on the frames it receives, or both,
 * in real time: delayed frames wait on one scheduler thread of this link's own.
 *
 * <p>Sent frames that are due at once go straight to the inner link from the caller's thread; later ones are
 * sent from the scheduler thread. Received frames always pass through the scheduler thread, even when due at
 * once, so that the receiver is called from one thread only, as {@link Link#start} promises.
 *
 * <p>Frames waiting for their time are bounded ({@value #MAX_PENDING_FRAMES}): beyond that they are dropped and
 * reported as QUEUE_FULL, so a long delay on a fast link cannot exhaust memory. Wrap a link only to impair it:
 * the hand-over to the scheduler thread costs received frames some microseconds.
 */
public final class ImpairedLink implements Link {
    static final int MAX_PENDING_FRAMES = 10_000;

    private final Link inner;
    private final Impairments outbound;
    private final Impairments inbound;
    private final ScheduledThreadPoolExecutor scheduler;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile LinkEventListener events = LinkEventListener.IGNORE;
    private volatile boolean closed;

    /**
     * @param inner the link to impair; closed with this one
     * @param outbound what happens to frames sent, or null to send them unchanged
     * @param inbound what happens to frames received, or null to deliver them unchanged
     */
    public ImpairedLink(Link inner, Impairments outbound, Impairments inbound) {
        this.inner = Objects.requireNonNull(inner, "inner");
        this.outbound = outbound;
        this.inbound = inbound;
        this.scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "stacklab-impair-" + inner.name());
            thread.setDaemon(true);
            return thread;
        });
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        scheduler.setRemoveOnCancelPolicy(true);
    }

    public Impairments outbound() {
        return outbound;
    }

    public Impairments inbound() {
        return inbound;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public MacAddress hardwareAddress() {
        return inner.hardwareAddress();
    }

    @Override
    public int mtu() {
        return inner.mtu();
    }

    @Override
    public void start(FrameSink receiver, LinkEventListener listener) {
        events = listener;
        if (inbound == null) {
            inner.start(receiver, listener);
            return;
        }
        inner.start((frame, length, timestampNanos) -> {
            List<Impairments.Delivery> deliveries = inbound.apply(frame, length, timestampNanos);
            Impairments.report(inner.name(), LinkEvent.Direction.RECEIVE, frame, 0, length, deliveries, timestampNanos, listener);
            for (Impairments.Delivery delivery : deliveries) {
                schedule(delivery, timestampNanos, LinkEvent.Direction.RECEIVE,
                        () -> receiver.frameReceived(delivery.frame(), delivery.frame().length, System.nanoTime()));
            }
        }, listener);
    }

    @Override
    public void send(byte[] frame, int offset, int length) {
        if (closed) {
            return;
        }
        if (outbound == null) {
            inner.send(frame, offset, length);
            return;
        }
        long now = System.nanoTime();
        List<Impairments.Delivery> deliveries = outbound.apply(frame, offset, length, now);
        Impairments.report(inner.name(), LinkEvent.Direction.SEND, frame, offset, length, deliveries, now, events);
        for (Impairments.Delivery delivery : deliveries) {
            if (delivery.atNanos() <= now) {
                inner.send(delivery.frame(), 0, delivery.frame().length);
            } else {
                schedule(delivery, now, LinkEvent.Direction.SEND,
                        () -> inner.send(delivery.frame(), 0, delivery.frame().length));
            }
        }
    }

    private void schedule(Impairments.Delivery delivery, long now, LinkEvent.Direction direction, Runnable action) {
        if (pending.incrementAndGet() > MAX_PENDING_FRAMES) {
            pending.decrementAndGet();
            events.linkEvent(new LinkEvent(inner.name(), LinkEvent.Kind.QUEUE_FULL, direction,
                    MAX_PENDING_FRAMES + " frames are already waiting for their delay on " + inner.name()
                            + ": frame dropped", null, now));
            return;
        }
        try {
            scheduler.schedule(() -> {
                pending.decrementAndGet();
                if (closed) {
                    return;
                }
                try {
                    action.run();
                } catch (RuntimeException e) {
                    // The executor would swallow it silently; a receiver bug must be visible.
                    events.linkEvent(new LinkEvent(inner.name(), LinkEvent.Kind.RECEIVE_ERROR, direction,
                            "delivering a delayed " + delivery.frame().length + "-byte frame on " + inner.name()
                                    + " failed: " + e, null, System.nanoTime()));
                }
            }, delivery.atNanos() - now, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // Closed meanwhile: the frame goes nowhere, like every frame after close().
            pending.decrementAndGet();
        }
    }

    /** Frames waiting for their delivery time. */
    public int pendingFrames() {
        return pending.get();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        scheduler.shutdownNow();
        inner.close();
        try {
            scheduler.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
