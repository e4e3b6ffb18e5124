package dev.stacklab.stack;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The engine's one timer queue: order, cancellation, equal deadlines, and many timers moved often. */
class TimerQueueTest {
    private final TimerQueue queue = new TimerQueue();
    private final List<String> fired = new ArrayList<>();

    private TimerQueue.Timer timer(String name) {
        return queue.newTimer(now -> fired.add(name + "@" + now));
    }

    @Test
    void firesInDeadlineOrderOnlyWhenDue() {
        timer("c").schedule(30);
        timer("a").schedule(10);
        timer("b").schedule(20);
        assertThat(queue.nextDeadline()).isEqualTo(10);

        assertThat(queue.fireDue(9)).isZero();
        assertThat(queue.fireDue(25)).isEqualTo(2);
        assertThat(fired).containsExactly("a@25", "b@25");
        assertThat(queue.nextDeadline()).isEqualTo(30);
        queue.fireDue(30);
        assertThat(fired).containsExactly("a@25", "b@25", "c@30");
        assertThat(queue.nextDeadline()).isEqualTo(Long.MAX_VALUE);
        assertThat(queue.size()).isZero();
    }

    @Test
    void aCancelledTimerNeverFiresAndAStaleCancelDoesNothing() {
        TimerQueue.Timer a = timer("a");
        TimerQueue.Timer b = timer("b");
        a.schedule(10);
        b.schedule(20);
        a.cancel();
        assertThat(a.isScheduled()).isFalse();
        assertThat(a.deadline()).isEqualTo(Long.MAX_VALUE);
        assertThat(queue.nextDeadline()).isEqualTo(20);
        a.cancel();
        queue.fireDue(20);
        assertThat(fired).containsExactly("b@20");
        // Cancelling a timer that fired is harmless, and it can be used again.
        b.cancel();
        b.schedule(40);
        queue.fireDue(100);
        assertThat(fired).containsExactly("b@20", "b@100");
    }

    @Test
    void equalDeadlinesFireInTheOrderTheyWereScheduled() {
        for (String name : List.of("first", "second", "third", "fourth")) {
            timer(name).schedule(50);
        }
        queue.fireDue(50);
        assertThat(fired).containsExactly("first@50", "second@50", "third@50", "fourth@50");
    }

    @Test
    void reschedulingMovesATimerBothWays() {
        TimerQueue.Timer a = timer("a");
        TimerQueue.Timer b = timer("b");
        a.schedule(10);
        b.schedule(20);
        a.schedule(30);
        assertThat(queue.nextDeadline()).isEqualTo(20);
        a.schedule(5);
        assertThat(queue.nextDeadline()).isEqualTo(5);
        a.scheduleNoLaterThan(8);
        assertThat(a.deadline()).isEqualTo(5);
        b.scheduleNoLaterThan(15);
        assertThat(b.deadline()).isEqualTo(15);
        assertThat(queue.size()).isEqualTo(2);
    }

    @Test
    void aTimerThatReschedulesItselfForNowWaitsForTheNextCall() {
        TimerQueue.Timer[] self = new TimerQueue.Timer[1];
        self[0] = queue.newTimer(now -> {
            fired.add("tick@" + now);
            self[0].schedule(now);
        });
        self[0].schedule(10);
        assertThat(queue.fireDue(10)).isEqualTo(1);
        assertThat(queue.nextDeadline()).as("due again at once, on the next poll").isEqualTo(10);
        assertThat(queue.fireDue(10)).isEqualTo(1);
        assertThat(fired).containsExactly("tick@10", "tick@10");
    }

    @Test
    void aTimerThatAnActionSchedulesInThePastFiresOnTheNextCall() {
        TimerQueue.Timer later = timer("later");
        queue.newTimer(now -> later.schedule(15)).schedule(10);
        queue.fireDue(20);
        assertThat(fired).as("scheduled during this call: the next call fires it").isEmpty();
        queue.fireDue(20);
        assertThat(fired).containsExactly("later@20");
    }

    /** Thousands of connections, each moving its timer on every ACK: the order stays exact, against a sorted list. */
    @Test
    void tenThousandTimersMovedAndCancelledAtRandomFireInExactOrder() {
        SplittableRandom random = new SplittableRandom(6298);
        int count = 10_000;
        long[] deadlines = new long[count];
        List<Integer> order = new ArrayList<>();
        TimerQueue.Timer[] timers = new TimerQueue.Timer[count];
        for (int i = 0; i < count; i++) {
            int id = i;
            timers[i] = queue.newTimer(now -> order.add(id));
            deadlines[i] = random.nextLong(1_000_000);
            timers[i].schedule(deadlines[i]);
        }
        for (int move = 0; move < 100_000; move++) {
            int i = random.nextInt(count);
            if (random.nextInt(10) == 0) {
                timers[i].cancel();
                deadlines[i] = Long.MAX_VALUE;
            } else {
                deadlines[i] = random.nextLong(1_000_000);
                timers[i].schedule(deadlines[i]);
            }
        }
        int scheduled = 0;
        for (long deadline : deadlines) {
            if (deadline != Long.MAX_VALUE) {
                scheduled++;
            }
        }
        assertThat(queue.size()).isEqualTo(scheduled);
        queue.fireDue(Long.MAX_VALUE - 1);
        assertThat(order).hasSize(scheduled);
        for (int k = 1; k < order.size(); k++) {
            assertThat(deadlines[order.get(k)]).isGreaterThanOrEqualTo(deadlines[order.get(k - 1)]);
        }
        assertThat(queue.size()).isZero();
    }
}
