package dev.stacklab.app;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pump against a clock of the test's own, which the consumer moves on by what it takes per event: what the pump
 * measures is exactly that, however loaded the machine (a stall in the middle of a batch, a collection, would
 * otherwise count as the consumer's time and shrink the next batch).
 */
class EventPumpTest {
    private final AtomicLong clock = new AtomicLong();

    /** A consumer that takes {@code nanosPerEvent} of the pulse for each event, on the test's clock. */
    private final class SlowConsumer implements java.util.function.Consumer<List<Integer>> {
        final List<Integer> batchSizes = new ArrayList<>();
        final List<Integer> received = new ArrayList<>();
        private final long nanosPerEvent;

        SlowConsumer(long nanosPerEvent) {
            this.nanosPerEvent = nanosPerEvent;
        }

        @Override
        public void accept(List<Integer> batch) {
            clock.addAndGet(nanosPerEvent * batch.size());
            batchSizes.add(batch.size());
            received.addAll(batch);
        }
    }

    @Test
    void aSlowConsumerGetsWhatFitsThePulseAndTheBacklogFollowsInOrder() {
        // 2 µs an event: 10,000 fit the 20 ms budget.
        SlowConsumer consumer = new SlowConsumer(2_000);
        EventPump<Integer> pump = new EventPump<>(100_000, consumer, clock::get);
        for (int i = 0; i < 30_000; i++) {
            pump.offer(i);
        }

        pump.drainNow();
        assertThat(consumer.batchSizes).as("nothing measured yet: as much as a pulse takes").containsExactly(30_000);
        for (int i = 30_000; i < 60_000; i++) {
            pump.offer(i);
        }
        pump.drainNow();
        assertThat(consumer.batchSizes.get(1)).isEqualTo(10_000);

        while (consumer.received.size() < 60_000) {
            pump.drainNow();
        }
        assertThat(consumer.batchSizes.subList(1, consumer.batchSizes.size())).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(10_000));
        for (int i = 0; i < 60_000; i++) {
            assertThat(consumer.received.get(i)).isEqualTo(i);
        }
        assertThat(pump.droppedCount()).isZero();
    }

    @Test
    void aFastConsumerGetsTheWholeBacklogAtOnce() {
        SlowConsumer consumer = new SlowConsumer(0);
        EventPump<Integer> pump = new EventPump<>(100_000, consumer, clock::get);
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 5_000; i++) {
                pump.offer(i);
            }
            pump.drainNow();
        }
        assertThat(consumer.batchSizes).containsExactly(5_000, 5_000, 5_000);
    }

    @Test
    void aVerySlowConsumerStillGetsTheMinimumEachPulse() {
        // 50 µs an event: the budget would say 400, the floor keeps the pump ahead of 20,000 frames/s.
        SlowConsumer consumer = new SlowConsumer(50_000);
        EventPump<Integer> pump = new EventPump<>(100_000, consumer, clock::get);
        for (int i = 0; i < 100; i++) {
            pump.offer(i);
        }
        pump.drainNow();
        for (int i = 0; i < 3_000; i++) {
            pump.offer(i);
        }
        pump.drainNow();
        assertThat(consumer.batchSizes).containsExactly(100, EventPump.MIN_PER_PULSE);
    }
}
