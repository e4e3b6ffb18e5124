package dev.stacklab.app;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EventPumpTest {
    /** A consumer that takes at least {@code nanosPerEvent} of the pulse for each event. */
    private static final class SlowConsumer implements java.util.function.Consumer<List<Integer>> {
        final List<Integer> batchSizes = new ArrayList<>();
        final List<Integer> received = new ArrayList<>();
        private final long nanosPerEvent;

        SlowConsumer(long nanosPerEvent) {
            this.nanosPerEvent = nanosPerEvent;
        }

        @Override
        public void accept(List<Integer> batch) {
            long until = System.nanoTime() + nanosPerEvent * batch.size();
            while (System.nanoTime() - until < 0) {
                Thread.onSpinWait();
            }
            batchSizes.add(batch.size());
            received.addAll(batch);
        }
    }

    @Test
    void aSlowConsumerGetsWhatFitsThePulseAndTheBacklogFollowsInOrder() {
        // 2 µs an event or more: at most 10,000 fit the 20 ms budget.
        SlowConsumer consumer = new SlowConsumer(2_000);
        EventPump<Integer> pump = new EventPump<>(100_000, consumer);
        for (int i = 0; i < 30_000; i++) {
            pump.offer(i);
        }

        pump.drainNow();
        assertThat(consumer.batchSizes).as("nothing measured yet: as much as a pulse takes").containsExactly(30_000);
        for (int i = 30_000; i < 60_000; i++) {
            pump.offer(i);
        }
        pump.drainNow();
        assertThat(consumer.batchSizes.get(1)).isBetween(EventPump.MIN_PER_PULSE, 10_000);

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
        EventPump<Integer> pump = new EventPump<>(100_000, consumer);
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
        EventPump<Integer> pump = new EventPump<>(100_000, consumer);
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
