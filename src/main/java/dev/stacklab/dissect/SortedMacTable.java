package dev.stacklab.dissect;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wireshark's {@code manuf} file (about 50,000 lines, 2 MB), looked up where it lies instead of read whole at start:
 * the file is mapped into memory and searched by halving, which touches a few pages per name. Reading it whole cost
 * {@code decode} about half a second of start-up, while a short capture shows a handful of addresses.
 *
 * <p>Searching the text relies on the order Wireshark writes the file in (tools/make-manuf.py sorts the entries by
 * prefix, then by prefix length), which {@code SortedMacTableTest} holds against the installed file. A capture that
 * shows many distinct addresses (more than {@value #LOOKUPS_BEFORE_INDEX}) makes a compact index of every entry
 * instead, once, sorted whatever the file's order, after which a name costs a few array reads.
 */
final class SortedMacTable {
    static final int LOOKUPS_BEFORE_INDEX = 1024;
    private static final SortedMacTable EMPTY = new SortedMacTable(new MacTableText(ByteBuffer.allocate(0)));

    private final MacTableText text;
    private final AtomicInteger lookups = new AtomicInteger();
    /** null until {@link #LOOKUPS_BEFORE_INDEX} lookups. */
    private volatile Index index;

    /** Every entry's key in ascending order, and the line it is on. */
    private record Index(long[] keys, int[] lines) {
    }

    SortedMacTable(MacTableText text) {
        this.text = text;
    }

    /** The file mapped read-only; an empty table if it is missing or unreadable (names only decorate the output). */
    static SortedMacTable map(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            // The mapping outlives the channel; the file's pages are shared with the page cache.
            return new SortedMacTable(new MacTableText(channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size())));
        } catch (IOException | RuntimeException e) {
            return EMPTY;
        }
    }

    /** A manuf entry: the prefix (padded to 48 bits), its length, and its short name. */
    record Entry(long bits, int length, String name) {
    }

    /**
     * The entry that is the longest prefix of {@code mac} among those of at most {@code maxLength} bits, or null.
     *
     * <p>The greatest entry at or below the longest candidate ({@code mac}'s top {@code maxLength} bits, with that
     * length) is either a prefix of {@code mac}, and then the longest, or it parts from {@code mac} at some bit
     * {@code k}; a matching prefix longer than {@code k} would lie between the two, so the next search asks for at
     * most {@code k} bits. Each round shortens the bound.
     */
    Entry longestPrefix(long mac, int maxLength) {
        if (index == null && lookups.incrementAndGet() == LOOKUPS_BEFORE_INDEX) {
            index = buildIndex();
        }
        while (maxLength > 0) {
            int line = floorLine(MacTableText.key(mac & prefixMask(maxLength), maxLength));
            if (line < 0) {
                return null;
            }
            long key = text.keyAt(line);
            long bits = MacTableText.bits(key);
            int length = MacTableText.length(key);
            if ((mac & prefixMask(length)) == bits) {
                return new Entry(bits, length, text.nameAt(line));
            }
            // The first bit (from the top of the 48) where the entry and the address differ.
            maxLength = Long.numberOfLeadingZeros((bits ^ mac) << 16);
        }
        return null;
    }

    private static long prefixMask(int length) {
        return ~((1L << (48 - length)) - 1) & 0xFFFF_FFFF_FFFFL;
    }

    /** The start of the line holding the greatest entry whose key is at most {@code key}, or -1 if none is. */
    private int floorLine(long key) {
        Index entries = index;
        if (entries != null) {
            int at = Arrays.binarySearch(entries.keys(), key);
            // Not found: at is -(insertion point) - 1, and the floor is just before the insertion point.
            int floor = at >= 0 ? at : -at - 2;
            return floor < 0 ? -1 : entries.lines()[floor];
        }
        // Invariant: every entry starting before low is at most the key (the greatest of them at found), and every
        // entry starting at or after high is above it.
        int found = -1;
        int low = 0;
        int high = text.size();
        while (low < high) {
            int middle = (low + high) >>> 1;
            int line = text.lineStartAtOrAfter(middle);
            long lineKey = MacTableText.NOT_AN_ENTRY;
            while (line < high && (lineKey = text.keyAt(line)) == MacTableText.NOT_AN_ENTRY) {
                line = text.nextLine(line);
            }
            if (line >= high) {
                // No entry starts in [middle, high).
                high = middle;
            } else if (lineKey <= key) {
                found = line;
                low = line + 1;
            } else {
                high = line;
            }
        }
        return found;
    }

    /** Makes the index now instead of after {@link #LOOKUPS_BEFORE_INDEX} lookups (for tests). */
    void indexNow() {
        index = buildIndex();
    }

    /** Reads every entry's key once; of two entries with one key the first wins, as when the file is read whole. */
    private Index buildIndex() {
        long[] keys = new long[1024];
        int[] lines = new int[1024];
        int count = 0;
        boolean inOrder = true;
        for (int line = 0; line < text.size(); line = text.nextLine(line)) {
            long key = text.keyAt(line);
            if (key == MacTableText.NOT_AN_ENTRY) {
                continue;
            }
            if (count == lines.length) {
                keys = Arrays.copyOf(keys, count * 2);
                lines = Arrays.copyOf(lines, count * 2);
            }
            inOrder &= count == 0 || key > keys[count - 1];
            keys[count] = key;
            lines[count] = line;
            count++;
        }
        if (inOrder) {
            return new Index(Arrays.copyOf(keys, count), Arrays.copyOf(lines, count));
        }
        // Out of order (not as Wireshark writes it): sort by key, then by place in the file, and keep the first of a key.
        Integer[] order = new Integer[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        long[] fileKeys = keys;
        Arrays.sort(order, (a, b) -> fileKeys[a] != fileKeys[b] ? Long.compare(fileKeys[a], fileKeys[b]) : Integer.compare(a, b));
        long[] sortedKeys = new long[count];
        int[] sortedLines = new int[count];
        int kept = 0;
        for (int i = 0; i < count; i++) {
            long key = fileKeys[order[i]];
            if (kept == 0 || sortedKeys[kept - 1] != key) {
                sortedKeys[kept] = key;
                sortedLines[kept] = lines[order[i]];
                kept++;
            }
        }
        return new Index(Arrays.copyOf(sortedKeys, kept), Arrays.copyOf(sortedLines, kept));
    }
}
