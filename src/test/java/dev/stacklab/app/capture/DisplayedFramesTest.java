package dev.stacklab.app.capture;

import dev.stacklab.capture.CapturedFrame.Direction;
import dev.stacklab.dissect.FrameSummary;
import javafx.collections.ListChangeListener;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packet list's changes, as a listener sees them: applied one after the other to a copy of the list, they give
 * the list itself, for frames appended, the ring dropping the oldest, a filter applied and cleared, a new store.
 */
class DisplayedFramesTest {
    private static void add(FrameStore store, int count) {
        for (int i = 0; i < count; i++) {
            int number = store.nextNumber();
            store.add(1_000L * number, Direction.IN, new byte[60], 60,
                    new FrameSummary(number, 0, "a", "b", "UDP", 60, "frame " + number, false), ColouringRule.NONE);
        }
    }

    /** A copy of the list kept by its change events alone, and what the events looked like. */
    private static final class Replica implements ListChangeListener<PacketRow> {
        final List<Integer> numbers = new ArrayList<>();
        final List<String> changes = new ArrayList<>();

        @Override
        public void onChanged(Change<? extends PacketRow> change) {
            StringBuilder seen = new StringBuilder();
            while (change.next()) {
                assertThat(change.wasPermutated()).isFalse();
                assertThat(change.wasUpdated()).isFalse();
                int from = change.getFrom();
                List<Integer> removed = change.getRemoved().stream().map(PacketRow::number).toList();
                assertThat(numbers.subList(from, from + removed.size())).as("rows removed at %d", from).isEqualTo(removed);
                numbers.subList(from, from + removed.size()).clear();
                List<Integer> added = change.getAddedSubList().stream().map(PacketRow::number).toList();
                assertThat(added).hasSize(change.getTo() - from);
                numbers.addAll(from, added);
                seen.append('[').append(from).append(" -").append(removed.size()).append(" +").append(added.size()).append(']');
            }
            changes.add(seen.toString());
            // Past its last sub-change a change still answers for that one, as JavaFX's own do: TableView's selection
            // model asks wasRemoved() after its loop (an IllegalStateException on the FX thread when this threw).
            assertThat(change.getTo()).isGreaterThanOrEqualTo(change.getFrom());
            assertThat(change.wasRemoved() || change.wasAdded()).isTrue();
            change.reset();
            assertThat(change.next()).as("a change can be read again after reset").isTrue();
        }
    }

    private static List<Integer> numbersOf(DisplayedFrames list) {
        return list.stream().map(PacketRow::number).toList();
    }

    @Test
    void aListenerKeepsACopyOfTheListFromItsChangesAlone() {
        FrameStore store = new FrameStore(100);
        DisplayedFrames list = new DisplayedFrames(store);
        Replica replica = new Replica();
        list.addListener(replica);

        add(store, 40);
        list.framesArrived(null, 0);
        list.listArrived();
        assertThat(replica.numbers).isEqualTo(numbersOf(list)).hasSize(40);
        assertThat(replica.changes).last().isEqualTo("[0 -0 +40]");

        add(store, 90);
        list.framesArrived(null, 0);
        list.listArrived();
        assertThat(list.size()).isEqualTo(100);
        assertThat(replica.numbers).isEqualTo(numbersOf(list)).startsWith(31);
        assertThat(replica.changes).last().isEqualTo("[0 -30 +0][10 -0 +90]");

        list.showOnly(store, new int[] {35, 50, 120, 130}, 4);
        assertThat(replica.numbers).isEqualTo(numbersOf(list)).containsExactly(35, 50, 120, 130);
        assertThat(replica.changes).last().isEqualTo("[0 -100 +4]");

        add(store, 20);
        list.framesArrived(new int[] {140, 145}, 2);
        list.listArrived();
        assertThat(replica.numbers).isEqualTo(numbersOf(list)).containsExactly(120, 130, 140, 145);
        assertThat(replica.changes).last().isEqualTo("[0 -2 +0][2 -0 +2]");

        // Frames that arrive wait for listArrived; meanwhile the ring drops listed ones, which show as stand-ins.
        add(store, 80);
        list.framesArrived(new int[] {160, 170}, 2);
        assertThat(list.hasArrivals()).isTrue();
        assertThat(numbersOf(list)).containsExactly(120, 130, 140, 145);
        assertThat(list.get(0).info()).isEmpty();
        assertThat(list.get(3).info()).isEqualTo("frame 145");
        add(store, 20);
        list.framesArrived(new int[] {240}, 1);
        assertThat(list.indexOf(240)).isEqualTo(-1);
        list.listArrived();
        assertThat(list.hasArrivals()).isFalse();
        assertThat(replica.numbers).isEqualTo(numbersOf(list)).containsExactly(160, 170, 240);
        assertThat(replica.changes).last().isEqualTo("[0 -4 +3]");
        assertThat(list.indexOf(240)).isEqualTo(2);

        // Listed and waiting frames all dropped before the list changes again: only the listed ones are reported.
        list.framesArrived(new int[] {245}, 1);
        add(store, 200);
        list.framesArrived(new int[] {400, 430}, 2);
        list.listArrived();
        assertThat(replica.numbers).isEqualTo(numbersOf(list)).containsExactly(400, 430);
        assertThat(replica.changes).last().isEqualTo("[0 -3 +2]");

        // Many arrivals between changes: the array of matches grows and compacts without losing the listed ones.
        int next = store.nextNumber();
        add(store, 60);
        for (int i = 0; i < 60; i++) {
            list.framesArrived(new int[] {next + i}, 1);
        }
        list.listArrived();
        assertThat(replica.numbers).isEqualTo(numbersOf(list)).hasSize(61).startsWith(430, next);

        list.showAll(store);
        assertThat(replica.numbers).isEqualTo(numbersOf(list)).hasSize(100).startsWith(store.firstNumber());
        add(store, 5);
        assertThat(list.hasArrivals()).isTrue();
        assertThat(list).hasSize(100);
        list.listArrived();
        assertThat(replica.numbers).isEqualTo(numbersOf(list)).hasSize(100).startsWith(store.firstNumber());
        assertThat(replica.changes).last().isEqualTo("[0 -5 +0][95 -0 +5]");

        FrameStore fresh = new FrameStore(100);
        list.showAll(fresh);
        assertThat(replica.numbers).isEmpty();
        assertThat(list).isEmpty();
        assertThat(replica.changes).last().isEqualTo("[0 -100 +0]");
    }
}
