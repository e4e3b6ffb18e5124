package dev.stacklab.dissect;

import java.util.Arrays;

/**
 * Conversations by endpoint pair (either direction), or any values under a key of two longs, least recently used forgotten first once
 * more than {@code capacity} are known: the behaviour of an access-ordered {@code LinkedHashMap}
 * that removes its eldest entry, without a key object, map entry or boxed lookup per segment.
 *
 * <p>Entries live in parallel arrays under a stable index, linked from least to most recently
 * used; an open-addressed table of entry indexes (linear probing, backward-shift deletion) finds
 * them.
 */
final class ConversationTable<V> {
    private static final int NONE = -1;

    private final int capacity;
    // Entries, by stable index.
    // Both halves of each key side by side (2 * entry, 2 * entry + 1): one cache line per comparison.
    private long[] keys = new long[128];
    private Object[] values = new Object[64];
    private int[] older = new int[64];
    private int[] newer = new int[64];
    private int entryCount;
    private int freeList = NONE;
    private int oldest = NONE;
    private int newest = NONE;
    private int size;
    // Slots hold entry index + 1; 0 is empty.
    private int[] slots = new int[128];

    ConversationTable(int capacity) {
        this.capacity = capacity;
    }

    /** The value for the pair, made the most recently used; null when unknown. */
    V get(int addressA, int portA, int addressB, int portB) {
        long a = endpoint(addressA, portA);
        long b = endpoint(addressB, portB);
        return get(Math.min(a, b), Math.max(a, b));
    }

    /** Sets the value for the pair, made the most recently used; forgets the least recently used beyond capacity. */
    void put(int addressA, int portA, int addressB, int portB, V value) {
        long a = endpoint(addressA, portA);
        long b = endpoint(addressB, portB);
        put(Math.min(a, b), Math.max(a, b), value);
    }

    /** The value under a key of two longs, for tables keyed otherwise (ICMP echo transactions); made the most recently used. */
    V get(long lower, long upper) {
        int entry = find(lower, upper);
        if (entry == NONE) {
            return null;
        }
        touch(entry);
        return value(entry);
    }

    /** Sets the value under a key of two longs, made the most recently used; forgets the least recently used beyond capacity. */
    void put(long lower, long upper, V value) {
        int entry = find(lower, upper);
        if (entry != NONE) {
            values[entry] = value;
            touch(entry);
            return;
        }
        entry = allocate();
        keys[2 * entry] = lower;
        keys[2 * entry + 1] = upper;
        values[entry] = value;
        linkNewest(entry);
        size++;
        insertSlot(entry);
        if (size > capacity) {
            remove(oldest);
        }
        // Grown only after the eviction, so a full table stays at half load without doubling for one entry.
        if (size * 2 > slots.length) {
            rehash(slots.length * 2);
        }
    }

    @SuppressWarnings("unchecked")
    private V value(int entry) {
        return (V) values[entry];
    }

    private static long endpoint(int address, int port) {
        return ((address & 0xFFFF_FFFFL) << 16) | (port & 0xFFFF);
    }

    private static int hash(long lower, long upper) {
        long h = (lower * 0x9E3779B97F4A7C15L + upper) * 0xC2B2AE3D27D4EB4FL;
        return (int) (h ^ (h >>> 32));
    }

    private int find(long lower, long upper) {
        int mask = slots.length - 1;
        for (int slot = hash(lower, upper) & mask; ; slot = (slot + 1) & mask) {
            int stored = slots[slot];
            if (stored == 0) {
                return NONE;
            }
            int entry = stored - 1;
            if (keys[2 * entry] == lower && keys[2 * entry + 1] == upper) {
                return entry;
            }
        }
    }

    private void insertSlot(int entry) {
        int mask = slots.length - 1;
        int slot = hash(keys[2 * entry], keys[2 * entry + 1]) & mask;
        while (slots[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        slots[slot] = entry + 1;
    }

    private void rehash(int slotCount) {
        slots = new int[slotCount];
        for (int entry = oldest; entry != NONE; entry = newer[entry]) {
            insertSlot(entry);
        }
    }

    private void remove(int entry) {
        int mask = slots.length - 1;
        int slot = hash(keys[2 * entry], keys[2 * entry + 1]) & mask;
        while (slots[slot] != entry + 1) {
            slot = (slot + 1) & mask;
        }
        // Backward-shift deletion: pull later entries of the probe run into the hole.
        int hole = slot;
        for (int next = (hole + 1) & mask; slots[next] != 0; next = (next + 1) & mask) {
            int moved = slots[next] - 1;
            int home = hash(keys[2 * moved], keys[2 * moved + 1]) & mask;
            // Move it if its home is not cyclically within (hole, next].
            if (((next - home) & mask) >= ((next - hole) & mask)) {
                slots[hole] = slots[next];
                hole = next;
            }
        }
        slots[hole] = 0;
        unlink(entry);
        values[entry] = null;
        older[entry] = freeList;
        freeList = entry;
        size--;
    }

    private int allocate() {
        if (freeList != NONE) {
            int entry = freeList;
            freeList = older[entry];
            return entry;
        }
        if (entryCount == values.length) {
            int grown = entryCount * 2;
            keys = Arrays.copyOf(keys, 2 * grown);
            values = Arrays.copyOf(values, grown);
            older = Arrays.copyOf(older, grown);
            newer = Arrays.copyOf(newer, grown);
        }
        return entryCount++;
    }

    private void touch(int entry) {
        if (entry != newest) {
            unlink(entry);
            linkNewest(entry);
        }
    }

    private void linkNewest(int entry) {
        older[entry] = newest;
        newer[entry] = NONE;
        if (newest != NONE) {
            newer[newest] = entry;
        } else {
            oldest = entry;
        }
        newest = entry;
    }

    private void unlink(int entry) {
        int before = older[entry];
        int after = newer[entry];
        if (before != NONE) {
            newer[before] = after;
        } else {
            oldest = after;
        }
        if (after != NONE) {
            older[after] = before;
        } else {
            newest = before;
        }
    }
}
