package dev.stacklab.stack;

import java.util.Arrays;
import java.util.Objects;

/**
 * The engine's one timer queue: every deadline of every component (ARP retries and entry expiry, reassembly
 * timeouts, ping timeouts, path MTU aging, and TCP's retransmission, delayed ACK, persist, keep-alive and TIME-WAIT
 * timers) is a {@link Timer} here, and the earliest one is what {@link NetStack#pollAt()} reports.
 *
 * <p>A binary min-heap keyed by (deadline, order of scheduling), in which each timer knows its own slot: schedule,
 * reschedule and cancel are O(log n), the earliest deadline is O(1), and nothing is allocated after a timer is made.
 * A component makes its timers once (one per ARP entry, per connection and kind) and moves them as often as it
 * likes, which is what a TCP with thousands of connections restarting its retransmission timer on every ACK needs.
 * Cancelling a timer that already fired, or was never scheduled, does nothing, so a stale handle can never cancel
 * someone else's deadline. Timers with the same deadline fire in the order they were scheduled, so a run is
 * deterministic.
 */
public final class TimerQueue {
    /** What a timer does when it fires; it may schedule this or any other timer again. */
    @FunctionalInterface
    public interface Action {
        void fire(long now);
    }

    /** One deadline, reusable: schedule, move, cancel, schedule again. */
    public static final class Timer {
        private final TimerQueue queue;
        private final Action action;
        private long deadline = Long.MAX_VALUE;
        private long order;
        /** Its slot in the heap, or -1 while not scheduled. */
        private int slot = -1;

        private Timer(TimerQueue queue, Action action) {
            this.queue = queue;
            this.action = action;
        }

        /** Sets the deadline, whether or not the timer was already scheduled. */
        public void schedule(long at) {
            queue.schedule(this, at);
        }

        /** Schedules the timer at {@code at} unless it is already scheduled earlier. */
        public void scheduleNoLaterThan(long at) {
            if (slot < 0 || at < deadline) {
                queue.schedule(this, at);
            }
        }

        /** Removes the deadline; nothing happens if the timer is not scheduled (it fired, or was cancelled). */
        public void cancel() {
            queue.cancel(this);
        }

        public boolean isScheduled() {
            return slot >= 0;
        }

        /** The deadline, or {@code Long.MAX_VALUE} when not scheduled. */
        public long deadline() {
            return slot >= 0 ? deadline : Long.MAX_VALUE;
        }

        @Override
        public String toString() {
            return slot >= 0 ? "Timer[at " + deadline + " ns]" : "Timer[not scheduled]";
        }
    }

    private Timer[] heap = new Timer[16];
    private int size;
    private long nextOrder;

    /** A new timer, not scheduled, that runs {@code action} when it fires. */
    public Timer newTimer(Action action) {
        return new Timer(this, Objects.requireNonNull(action, "action"));
    }

    /** Timers scheduled now. */
    public int size() {
        return size;
    }

    /** The earliest deadline, or {@code Long.MAX_VALUE} when none is scheduled. */
    public long nextDeadline() {
        return size == 0 ? Long.MAX_VALUE : heap[0].deadline;
    }

    /**
     * Fires, in deadline order, every timer due at {@code now} that was scheduled before this call; one that an
     * action schedules for {@code now} or earlier fires on the next call (so a timer that keeps rescheduling itself
     * for "now" cannot stall the engine, and {@link #nextDeadline()} then says "now").
     *
     * @return how many fired
     */
    public int fireDue(long now) {
        long before = nextOrder;
        int fired = 0;
        while (size > 0) {
            Timer head = heap[0];
            if (head.deadline > now || head.order >= before) {
                break;
            }
            removeAt(0);
            fired++;
            head.action.fire(now);
        }
        return fired;
    }

    private void schedule(Timer timer, long at) {
        timer.deadline = at;
        timer.order = nextOrder++;
        if (timer.slot >= 0) {
            // Moved: it may have to go up or down; the order of scheduling is new too, as if cancelled and added.
            int slot = timer.slot;
            siftUp(slot);
            if (timer.slot == slot) {
                siftDown(slot);
            }
            return;
        }
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        heap[size] = timer;
        timer.slot = size;
        size++;
        siftUp(size - 1);
    }

    private void cancel(Timer timer) {
        if (timer.slot >= 0) {
            removeAt(timer.slot);
        }
    }

    private void removeAt(int slot) {
        Timer removed = heap[slot];
        removed.slot = -1;
        size--;
        if (slot == size) {
            heap[size] = null;
            return;
        }
        Timer last = heap[size];
        heap[size] = null;
        heap[slot] = last;
        last.slot = slot;
        siftUp(slot);
        if (last.slot == slot) {
            siftDown(slot);
        }
    }

    private static boolean earlier(Timer a, Timer b) {
        return a.deadline < b.deadline || (a.deadline == b.deadline && a.order < b.order);
    }

    private void siftUp(int slot) {
        Timer timer = heap[slot];
        while (slot > 0) {
            int parent = (slot - 1) >>> 1;
            Timer above = heap[parent];
            if (!earlier(timer, above)) {
                break;
            }
            heap[slot] = above;
            above.slot = slot;
            slot = parent;
        }
        heap[slot] = timer;
        timer.slot = slot;
    }

    private void siftDown(int slot) {
        Timer timer = heap[slot];
        int half = size >>> 1;
        while (slot < half) {
            int child = 2 * slot + 1;
            int right = child + 1;
            if (right < size && earlier(heap[right], heap[child])) {
                child = right;
            }
            if (!earlier(heap[child], timer)) {
                break;
            }
            heap[slot] = heap[child];
            heap[slot].slot = slot;
            slot = child;
        }
        heap[slot] = timer;
        timer.slot = slot;
    }
}
