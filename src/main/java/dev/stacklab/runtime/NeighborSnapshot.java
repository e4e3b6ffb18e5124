package dev.stacklab.runtime;

import dev.stacklab.stack.NeighborEntry;

import java.util.List;

/**
 * The neighbor (ARP) cache as read at one moment of the engine's time, so that a table can show each entry's age
 * and how long until it expires without knowing which clock the engine runs on.
 *
 * @param takenAtNanos the engine's time when it was read
 * @param entries      the entries in the engine's order (oldest first)
 */
public record NeighborSnapshot(long takenAtNanos, List<NeighborEntry> entries) {
    public NeighborSnapshot {
        entries = List.copyOf(entries);
    }

    /** How long ago the entry last changed or was confirmed. */
    public long ageNanos(NeighborEntry entry) {
        return Math.max(0, takenAtNanos - entry.updatedAtNanos());
    }

    /** How long until the entry's next change (REACHABLE to STALE, the next ARP retry), or -1 when it has none. */
    public long expiresInNanos(NeighborEntry entry) {
        if (entry.expiresAtNanos() == Long.MAX_VALUE) {
            return -1;
        }
        return Math.max(0, entry.expiresAtNanos() - takenAtNanos);
    }
}
