package dev.stacklab.app.capture;

import dev.stacklab.capture.CapturedFrame.Direction;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableListBase;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;

/**
 * The packet list's items: every frame the store holds, or only those a display filter matched, as rows made on
 * demand (a table asks only for the rows it shows, so a million frames cost no million row objects). Frames that
 * arrive are told with {@link #framesArrived} and become rows when {@link #listArrived} reports them, as frames
 * appended at the end and frames the ring dropped leaving the start: once per pulse, or less often for a long list
 * (the view-model decides). FX thread only.
 */
final class DisplayedFrames extends ObservableListBase<PacketRow> {
    private FrameStore store;
    /**
     * Null while every frame is shown; else the numbers of the matching frames, ascending: [start, end) are listed,
     * [end, arrivedEnd) arrived since.
     */
    private int[] matching;
    private int start;
    private int end;
    private int arrivedEnd;
    // What the list showed at the last change, to report the next one as removals at the front and additions at the end.
    private int shownFirst;
    private int shownNext;

    DisplayedFrames(FrameStore store) {
        this.store = store;
        this.shownFirst = store.firstNumber();
        this.shownNext = store.nextNumber();
    }

    /**
     * The row at {@code index}; a stand-in with its number alone for a frame the ring dropped since the list last
     * changed (its removal is reported with the next frames listed).
     */
    @Override
    public PacketRow get(int index) {
        PacketRow row = store.rowIfHeld(numberAt(index));
        return row != null ? row : placeholder(numberAt(index));
    }

    @Override
    public int size() {
        return matching == null ? shownNext - shownFirst : end - start;
    }

    boolean isFiltered() {
        return matching != null;
    }

    /** The frame number shown at {@code index}. */
    int numberAt(int index) {
        if (index < 0 || index >= size()) {
            throw new IndexOutOfBoundsException("row " + index + " of " + size());
        }
        return matching == null ? shownFirst + index : matching[start + index];
    }

    /** The row showing frame {@code number}, or -1 when it is not shown. */
    int indexOf(int number) {
        if (matching == null) {
            return number >= shownFirst && number < shownNext ? number - shownFirst : -1;
        }
        int found = Arrays.binarySearch(matching, start, end, number);
        return found < 0 ? -1 : found - start;
    }

    /** Shows every frame of {@code newStore} (a new capture, or the filter cleared). */
    void showAll(FrameStore newStore) {
        List<PacketRow> old = placeholders(0, size());
        store = newStore;
        matching = null;
        shownFirst = newStore.firstNumber();
        shownNext = newStore.nextNumber();
        replaced(old);
    }

    /** Shows only frames {@code numbers[0, count)} (ascending) of {@code newStore}. */
    void showOnly(FrameStore newStore, int[] numbers, int count) {
        List<PacketRow> old = placeholders(0, size());
        store = newStore;
        matching = numbers;
        start = 0;
        end = count;
        arrivedEnd = count;
        shownFirst = newStore.firstNumber();
        shownNext = newStore.nextNumber();
        dropBelow(shownFirst);
        replaced(old);
    }

    private void replaced(List<PacketRow> old) {
        if (!old.isEmpty() || size() > 0) {
            fireChange(new RowsChange(this, old, 0, size()));
        }
    }

    /**
     * The store took new frames (and may have dropped old ones); {@code matches} are those the display filter kept
     * (ignored when unfiltered). They are listed by the next {@link #listArrived}.
     */
    void framesArrived(int[] matches, int matchCount) {
        if (matching == null) {
            return;
        }
        for (int i = 0; i < matchCount; i++) {
            append(matches[i]);
        }
    }

    /** Whether frames arrived or left the store since the list last changed. */
    boolean hasArrivals() {
        if (matching == null) {
            return store.firstNumber() != shownFirst || store.nextNumber() != shownNext;
        }
        return arrivedEnd != end || (start < end && matching[start] < store.firstNumber());
    }

    /**
     * Reports what changed since the list last did, as one change: the frames that arrived (those the filter kept)
     * appended at the end, the frames the ring dropped removed from the start.
     */
    void listArrived() {
        int first = store.firstNumber();
        int next = store.nextNumber();
        if (matching == null) {
            int removed = Math.max(0, Math.min(first, shownNext) - shownFirst);
            int kept = shownNext - shownFirst - removed;
            int addedFrom = Math.max(shownNext, first);
            List<PacketRow> removedRows = placeholderNumbers(shownFirst, removed);
            shownFirst = first;
            shownNext = next;
            fire(removedRows, kept, next - addedFrom);
            return;
        }
        int before = end - start;
        int firstKept = start;
        while (firstKept < end && matching[firstKept] < first) {
            firstKept++;
        }
        int removed = firstKept - start;
        List<PacketRow> removedRows = removed == 0 ? List.of() : placeholderNumbers(Arrays.copyOfRange(matching, start, firstKept));
        // Frames that arrived and were dropped before they were listed leave without a word (they were never shown);
        // then every listed one was dropped too, the numbers being ascending.
        int firstNew = end;
        while (firstNew < arrivedEnd && matching[firstNew] < first) {
            firstNew++;
        }
        start = firstNew > end ? firstNew : firstKept;
        int added = arrivedEnd - firstNew;
        end = arrivedEnd;
        shownFirst = first;
        shownNext = next;
        fire(removedRows, before - removed, added);
    }

    private void fire(List<PacketRow> removedRows, int kept, int added) {
        if (removedRows.isEmpty() && added == 0) {
            return;
        }
        fireChange(new RowsChange(this, removedRows, kept, kept + added));
    }

    /**
     * The list's one kind of change: rows {@code removed} leave the start, and rows [addedFrom, addedTo) (indexes in
     * the list after the removal) appear at the end; one sub-change (a replacement) when the rows added start at 0,
     * else two, as {@link ObservableListBase}'s change builder reports them. Not made with that builder: its
     * {@code nextRemove} copies the removed rows one by one into a list of its own, so replacing a million rows (a
     * filter applied or cleared, a capture cleared) made a million placeholder rows, a third of the FX thread's time
     * in the bench's filter; here the removed rows stay a lazy list, each made only if a listener reads it.
     */
    private static final class RowsChange extends ListChangeListener.Change<PacketRow> {
        private static final int[] NO_PERMUTATION = new int[0];
        private final List<PacketRow> removed;
        private final int addedFrom;
        private final int addedTo;
        /** Whether the removal and the addition are one sub-change (at the same index), or two. */
        private final boolean together;
        private int cursor = -1;

        RowsChange(DisplayedFrames list, List<PacketRow> removed, int addedFrom, int addedTo) {
            super(list);
            this.removed = removed;
            this.addedFrom = addedFrom;
            this.addedTo = addedTo;
            this.together = removed.isEmpty() || addedFrom == addedTo || addedFrom == 0;
        }

        private int subChanges() {
            return together ? 1 : 2;
        }

        /** Whether the current sub-change is the removal at the start (alone, or with the addition). */
        private boolean atRemoval() {
            return cursor == 0 && !removed.isEmpty();
        }

        /** Whether the current sub-change holds the addition. */
        private boolean atAddition() {
            return addedFrom < addedTo && (together || cursor == 1);
        }

        /**
         * Moves to the next sub-change. Past the last one the change stays on it, as JavaFX's own changes do:
         * TableView's selection model asks {@code wasRemoved()} after its {@code while (c.next())} loop.
         */
        @Override
        public boolean next() {
            if (cursor + 1 >= subChanges()) {
                return false;
            }
            cursor++;
            return true;
        }

        @Override
        public void reset() {
            cursor = -1;
        }

        private void checkState() {
            if (cursor < 0) {
                throw new IllegalStateException("Invalid Change state: next() must be called before inspecting the Change.");
            }
        }

        @Override
        public int getFrom() {
            checkState();
            return atAddition() ? addedFrom : 0;
        }

        @Override
        public int getTo() {
            checkState();
            return atAddition() ? addedTo : getFrom();
        }

        @Override
        public List<PacketRow> getRemoved() {
            checkState();
            return atRemoval() ? removed : List.of();
        }

        @Override
        protected int[] getPermutation() {
            checkState();
            return NO_PERMUTATION;
        }
    }

    private void append(int number) {
        if (arrivedEnd == matching.length) {
            int live = arrivedEnd - start;
            int[] bigger = live * 2 + 16 <= matching.length ? matching : new int[Math.max(16, live * 2)];
            System.arraycopy(matching, start, bigger, 0, live);
            matching = bigger;
            end -= start;
            start = 0;
            arrivedEnd = live;
        }
        matching[arrivedEnd++] = number;
    }

    private void dropBelow(int first) {
        while (start < end && matching[start] < first) {
            start++;
        }
    }

    /** Stand-ins for rows that are gone: a row is identified by its number alone. */
    private List<PacketRow> placeholders(int fromIndex, int count) {
        if (matching == null) {
            return placeholderNumbers(shownFirst + fromIndex, count);
        }
        return placeholderNumbers(Arrays.copyOfRange(matching, start + fromIndex, start + fromIndex + count));
    }

    private static List<PacketRow> placeholderNumbers(int firstNumber, int count) {
        return new AbstractList<>() {
            @Override
            public PacketRow get(int index) {
                return placeholder(firstNumber + index);
            }

            @Override
            public int size() {
                return count;
            }
        };
    }

    private static List<PacketRow> placeholderNumbers(int[] numbers) {
        return new AbstractList<>() {
            @Override
            public PacketRow get(int index) {
                return placeholder(numbers[index]);
            }

            @Override
            public int size() {
                return numbers.length;
            }
        };
    }

    private static PacketRow placeholder(int number) {
        return new PacketRow(number, 0, 6, "", "", "", 0, "", Direction.UNKNOWN, ColouringRule.NONE);
    }
}
