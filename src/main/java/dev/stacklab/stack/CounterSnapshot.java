package dev.stacklab.stack;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A {@link NetStack}'s counters at one moment: a value per {@link Counter} and a drop count per {@link DropReason}. */
public final class CounterSnapshot {
    private static final Counter[] COUNTERS = Counter.values();
    private static final DropReason[] REASONS = DropReason.values();

    private final long[] values;
    private final long[] drops;

    CounterSnapshot(long[] values, long[] drops) {
        if (values.length != COUNTERS.length || drops.length != REASONS.length) {
            throw new IllegalArgumentException(values.length + " counters and " + drops.length + " drop reasons");
        }
        this.values = values.clone();
        this.drops = drops.clone();
    }

    public long get(Counter counter) {
        return values[counter.ordinal()];
    }

    public long dropped(DropReason reason) {
        return drops[reason.ordinal()];
    }

    /** Drops for every reason together. */
    public long droppedTotal() {
        long total = 0;
        for (long count : drops) {
            total += count;
        }
        return total;
    }

    /**
     * Every counter under its label in {@link Counter} order, then "dropped: " and each {@link DropReason}: the
     * stable order {@code serve} prints them in.
     */
    public Map<String, Long> byLabel() {
        Map<String, Long> map = new LinkedHashMap<>();
        for (Counter counter : COUNTERS) {
            map.put(counter.label(), values[counter.ordinal()]);
        }
        for (DropReason reason : REASONS) {
            map.put("dropped: " + reason, drops[reason.ordinal()]);
        }
        return Collections.unmodifiableMap(map);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CounterSnapshot o && Arrays.equals(values, o.values) && Arrays.equals(drops, o.drops);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(values) + Arrays.hashCode(drops);
    }

    @Override
    public String toString() {
        return "CounterSnapshot" + byLabel();
    }
}
