package dev.stacklab.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.stacklab.wire.MacAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImpairmentsTest {
    private static final MacAddress A = MacAddress.parse("02:00:00:00:00:0a");
    private static final MacAddress B = MacAddress.parse("02:00:00:00:00:0b");
    private static final int FRAMES = 10_000;
    /** One frame per millisecond of virtual time. */
    private static final long GAP = 1_000_000;

    private static List<List<Impairments.Delivery>> run(Impairments impairments, int frames) {
        List<List<Impairments.Delivery>> all = new ArrayList<>();
        for (int i = 0; i < frames; i++) {
            byte[] frame = TestFrames.frame(B, A, i);
            all.add(impairments.apply(frame, frame.length, i * GAP));
        }
        return all;
    }

    @Test
    void noImpairmentDeliversAnIdenticalCopyAtOnce() {
        Impairments none = new Impairments(ImpairmentSettings.NONE, 1);
        byte[] frame = TestFrames.frame(B, A, 5);
        List<Impairments.Delivery> deliveries = none.apply(frame, frame.length, 42);
        assertThat(deliveries).singleElement().satisfies(delivery -> {
            assertThat(delivery.frame()).isEqualTo(frame).isNotSameAs(frame);
            assertThat(delivery.atNanos()).isEqualTo(42);
            assertThat(delivery.corrupted()).isFalse();
            assertThat(delivery.duplicate()).isFalse();
            assertThat(delivery.reordered()).isFalse();
        });
    }

    @Test
    void lossOf30PercentDropsAbout30PercentOfFrames() {
        Impairments lossy = new Impairments(ImpairmentSettings.NONE.withLoss(0.3), 7);
        long lost = run(lossy, FRAMES).stream().filter(List::isEmpty).count();
        // Binomial(10000, 0.3): standard deviation about 46 frames; 4 sigma is about 0.018.
        assertThat(lost / (double) FRAMES).isCloseTo(0.3, within(0.02));
    }

    @Test
    void equalSeedsGiveEqualDecisionsAndOtherSeedsDiffer() {
        ImpairmentSettings settings = new ImpairmentSettings(0.2, Duration.ofMillis(5), Duration.ofMillis(2), 0.1, 0.1,
                Duration.ofMillis(20), 0.1);
        List<String> first = describe(run(new Impairments(settings, 1234), 2000));
        List<String> second = describe(run(new Impairments(settings, 1234), 2000));
        List<String> other = describe(run(new Impairments(settings, 4321), 2000));
        assertThat(second).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    private static List<String> describe(List<List<Impairments.Delivery>> all) {
        List<String> lines = new ArrayList<>();
        for (List<Impairments.Delivery> deliveries : all) {
            StringBuilder line = new StringBuilder();
            for (Impairments.Delivery delivery : deliveries) {
                line.append(delivery.atNanos()).append(' ').append(delivery.duplicate()).append(' ')
                        .append(delivery.reordered()).append(' ').append(delivery.corruptedBit()).append(' ')
                        .append(Arrays.hashCode(delivery.frame())).append(';');
            }
            lines.add(line.toString());
        }
        return lines;
    }

    @Test
    void changingOneImpairmentDoesNotReshuffleTheOthers() {
        ImpairmentSettings corruptOnly = ImpairmentSettings.NONE.withCorrupt(0.1);
        List<List<Impairments.Delivery>> without = run(new Impairments(corruptOnly, 99), 1000);
        List<List<Impairments.Delivery>> with = run(new Impairments(corruptOnly.withDuplicate(0.5), 99), 1000);
        for (int i = 0; i < 1000; i++) {
            assertThat(with.get(i).get(0).corruptedBit()).isEqualTo(without.get(i).get(0).corruptedBit());
        }
    }

    @Test
    void corruptedCopiesDifferFromTheOriginalInExactlyOneBitAfterTheEthernetHeader() {
        Impairments corrupting = new Impairments(ImpairmentSettings.NONE.withCorrupt(0.5), 3);
        int corrupted = 0;
        for (int i = 0; i < FRAMES; i++) {
            byte[] frame = TestFrames.frame(B, A, i);
            byte[] before = frame.clone();
            Impairments.Delivery delivery = corrupting.apply(frame, frame.length, i).get(0);
            assertThat(frame).as("the input is never modified").isEqualTo(before);
            int differingBits = 0;
            int firstDifference = -1;
            for (int j = 0; j < frame.length; j++) {
                int diff = Integer.bitCount((frame[j] ^ delivery.frame()[j]) & 0xFF);
                differingBits += diff;
                if (diff != 0 && firstDifference < 0) {
                    firstDifference = j;
                }
            }
            if (delivery.corrupted()) {
                corrupted++;
                assertThat(differingBits).isEqualTo(1);
                assertThat(firstDifference).isEqualTo(delivery.corruptedBit() / 8).isGreaterThanOrEqualTo(14);
            } else {
                assertThat(differingBits).isZero();
            }
        }
        assertThat(corrupted / (double) FRAMES).isCloseTo(0.5, within(0.03));
    }

    @Test
    void aFrameNoLongerThanAHeaderCanBeCorruptedAnywhere() {
        Impairments corrupting = new Impairments(ImpairmentSettings.NONE.withCorrupt(1), 3);
        byte[] runt = new byte[6];
        Impairments.Delivery delivery = corrupting.apply(runt, runt.length, 0).get(0);
        assertThat(delivery.corruptedBit()).isBetween(0, 47);
        assertThat(Arrays.stream(new int[] {0, 1, 2, 3, 4, 5}).map(i -> Integer.bitCount(delivery.frame()[i] & 0xFF)).sum()).isEqualTo(1);
    }

    @Test
    void duplicationDoublesFramesWithDistinctArrays() {
        Impairments duplicating = new Impairments(ImpairmentSettings.NONE.withDuplicate(1), 5);
        byte[] frame = TestFrames.frame(B, A, 1);
        List<Impairments.Delivery> deliveries = duplicating.apply(frame, frame.length, 0);
        assertThat(deliveries).hasSize(2);
        assertThat(deliveries.get(0).frame()).isEqualTo(frame).isNotSameAs(deliveries.get(1).frame());
        assertThat(deliveries.get(1).frame()).isEqualTo(frame);
        assertThat(deliveries.get(1).duplicate()).isTrue();

        Impairments sometimes = new Impairments(ImpairmentSettings.NONE.withDuplicate(0.25), 5);
        long total = run(sometimes, FRAMES).stream().mapToLong(List::size).sum();
        assertThat(total / (double) FRAMES).isCloseTo(1.25, within(0.02));
    }

    @Test
    void reorderingHoldsFramesBackSoThatLaterOnesOvertakeThem() {
        ImpairmentSettings settings = ImpairmentSettings.NONE.withDelay(Duration.ofMillis(1))
                .withReorder(0.1).withReorderDelay(Duration.ofMillis(5));
        List<Impairments.Delivery> deliveries = new ArrayList<>();
        run(new Impairments(settings, 11), 1000).forEach(deliveries::addAll);
        assertThat(deliveries).hasSize(1000);
        long reordered = deliveries.stream().filter(Impairments.Delivery::reordered).count();
        assertThat(reordered).isBetween(60L, 140L);
        for (int i = 0; i < deliveries.size(); i++) {
            long expected = i * GAP + 1_000_000 + (deliveries.get(i).reordered() ? 5_000_000 : 0);
            assertThat(deliveries.get(i).atNanos()).isEqualTo(expected);
        }
        List<Integer> arrival = deliveries.stream()
                .sorted(Comparator.comparingLong(Impairments.Delivery::atNanos))
                .map(delivery -> TestFrames.sequence(delivery.frame())).toList();
        List<Integer> sent = deliveries.stream().map(delivery -> TestFrames.sequence(delivery.frame())).toList();
        assertThat(arrival).isNotEqualTo(sent).containsExactlyInAnyOrderElementsOf(sent);
    }

    @Test
    void jitterStaysWithinDelayPlusOrMinusJitterAndNeverGoesBelowZero() {
        ImpairmentSettings settings = ImpairmentSettings.NONE.withDelay(Duration.ofMillis(10)).withJitter(Duration.ofMillis(4));
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (List<Impairments.Delivery> deliveries : run(new Impairments(settings, 2), FRAMES)) {
            Impairments.Delivery delivery = deliveries.get(0);
            long sentAt = TestFrames.sequence(delivery.frame()) * GAP;
            long delay = delivery.atNanos() - sentAt;
            min = Math.min(min, delay);
            max = Math.max(max, delay);
        }
        assertThat(min).isBetween(6_000_000L, 6_100_000L);
        assertThat(max).isBetween(13_900_000L, 14_000_000L);

        Impairments wide = new Impairments(ImpairmentSettings.NONE.withDelay(Duration.ofMillis(1)).withJitter(Duration.ofMillis(5)), 2);
        for (List<Impairments.Delivery> deliveries : run(wide, 1000)) {
            long sentAt = TestFrames.sequence(deliveries.get(0).frame()) * GAP;
            assertThat(deliveries.get(0).atNanos()).isGreaterThanOrEqualTo(sentAt);
        }
    }

    @Test
    void reportsLostCorruptedDuplicatedAndReorderedFramesAsEvents() {
        byte[] frame = TestFrames.frame(B, A, 1);
        List<LinkEvent> events = new ArrayList<>();
        Impairments.report("lab0", LinkEvent.Direction.SEND, frame, 0, frame.length, List.of(), 5, events::add);
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.kind()).isEqualTo(LinkEvent.Kind.DROPPED);
            assertThat(event.direction()).isEqualTo(LinkEvent.Direction.SEND);
            assertThat(event.frame()).isEqualTo(frame);
            assertThat(event.message()).isEqualTo("a 60-byte frame was lost (simulated loss)");
        });

        events.clear();
        ImpairmentSettings everything = new ImpairmentSettings(0, Duration.ZERO, Duration.ZERO, 1, 1, Duration.ofMillis(10), 1);
        List<Impairments.Delivery> deliveries = new Impairments(everything, 1).apply(frame, frame.length, 5);
        Impairments.report("lab0", LinkEvent.Direction.RECEIVE, frame, 0, frame.length, deliveries, 5, events::add);
        assertThat(events).extracting(LinkEvent::kind)
                .containsExactly(LinkEvent.Kind.CORRUPTED, LinkEvent.Kind.REORDERED, LinkEvent.Kind.DUPLICATED);
        assertThat(events.get(0).message()).startsWith("a 60-byte frame was corrupted: one bit of byte ");
        assertThat(events.get(1).message()).isEqualTo("a 60-byte frame was held back 10.000 ms so that later frames overtake it");
        assertThat(events.get(0).frame()).as("the event shows the frame as it was sent").isEqualTo(frame);
    }

    @Test
    void settingsRejectProbabilitiesOutsideZeroToOneNamingTheParameter() {
        assertThatThrownBy(() -> ImpairmentSettings.NONE.withLoss(1.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("loss must be a probability between 0 and 1, got 1.5");
        assertThatThrownBy(() -> ImpairmentSettings.NONE.withCorrupt(-0.1))
                .hasMessage("corrupt must be a probability between 0 and 1, got -0.1");
        assertThatThrownBy(() -> ImpairmentSettings.NONE.withDuplicate(Double.NaN))
                .hasMessage("duplicate must be a probability between 0 and 1, got NaN");
        assertThatThrownBy(() -> ImpairmentSettings.NONE.withReorder(2))
                .hasMessage("reorder must be a probability between 0 and 1, got 2.0");
        assertThatThrownBy(() -> ImpairmentSettings.NONE.withJitter(Duration.ofMillis(-1)))
                .hasMessage("jitter must not be negative, got PT-0.001S");
        assertThat(ImpairmentSettings.NONE.isNone()).isTrue();
        assertThat(ImpairmentSettings.NONE.withLoss(0.01).isNone()).isFalse();
    }
}
