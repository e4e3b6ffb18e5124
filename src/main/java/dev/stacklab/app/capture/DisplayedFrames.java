package dev.stacklab.app.capture;

import dev.stacklab.capture.CapturedFrame.Direction;
import javafx.collections.ObservableListBase;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;

/**
 * The packet list's items: every frame the store holds, or only those a display filter matched, as rows made on
 * demand (a table asks only for the rows it shows, so a million frames cost no million row objects). Changes are
 * reported once per pulse: frames appended at the end, frames the ring dropped at the start. FX thread only.
 */
final class DisplayedFrames extends ObservableListBase<PacketRow> {
    private FrameStore store;
    /** Null while every frame is shown; else the numbers of the matching frames, ascending, in [start, end). */
    private int[] matching;
    private int start;
    private int end;
    // What the list showed at the last change, to report the next one as removals at the front and additions at the end.
    private int shownFirst;
    private int shownNext;

    DisplayedFrames(FrameStore store) {
        this.store = store;
        this.shownFirst = store.firstNumber();
        this.shownNext = store.nextNumber();
    }

    @Override
    public PacketRow get(int index) {
        return store.row(numberAt(index));
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
        shownFirst = newStore.firstNumber();
        shownNext = newStore.nextNumber();
        dropBelow(shownFirst);
        replaced(old);
    }

    private void replaced(List<PacketRow> old) {
        beginChange();
        if (!old.isEmpty()) {
            nextRemove(0, old);
        }
        if (size() > 0) {
            nextAdd(0, size());
        }
        endChange();
    }

    /**
     * The store took new frames (and may have dropped old ones): in the unfiltered list they appear at the end, and
     * in either list the dropped ones leave the start. {@code matches} are the new frames the filter kept (ignored
     * when unfiltered).
     */
    void storeChanged(int[] matches, int matchCount) {
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
        start = firstKept;
        int added = 0;
        for (int i = 0; i < matchCount; i++) {
            if (matches[i] >= first) {
                append(matches[i]);
                added++;
            }
        }
        shownFirst = first;
        shownNext = next;
        fire(removedRows, before - removed, added);
    }

    private void fire(List<PacketRow> removedRows, int kept, int added) {
        if (removedRows.isEmpty() && added == 0) {
            return;
        }
        beginChange();
        if (!removedRows.isEmpty()) {
            nextRemove(0, removedRows);
        }
        if (added > 0) {
            nextAdd(kept, kept + added);
        }
        endChange();
    }

    private void append(int number) {
        if (end == matching.length) {
            int live = end - start;
            int[] bigger = live * 2 + 16 <= matching.length ? matching : new int[Math.max(16, live * 2)];
            System.arraycopy(matching, start, bigger, 0, live);
            matching = bigger;
            start = 0;
            end = live;
        }
        matching[end++] = number;
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
        return new PacketRow(number, 0, "", "", "", 0, "", Direction.UNKNOWN, ColouringRule.NONE);
    }
}
