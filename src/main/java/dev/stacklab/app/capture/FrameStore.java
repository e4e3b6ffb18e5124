package dev.stacklab.app.capture;

import dev.stacklab.capture.CapturedFrame.Direction;
import dev.stacklab.dissect.FrameSummary;

import java.util.Arrays;

/**
 * The capture's frames as the packet list needs them: each frame's bytes and its summary columns, made once at
 * arrival, in a ring of at most {@code capacity} frames. When it is full the oldest frame is dropped (and counted);
 * the others keep their numbers, as in Wireshark's ring buffer, so nothing is renumbered.
 *
 * <p>Frames are numbered from 1 in arrival order. One thread adds (the FX thread, or the thread opening a file
 * before the store is shown); workers (display filters, the details pane) read frames that are there through
 * {@link #copy}, which holds the lock only while copying references, never while dissecting.
 */
final class FrameStore {
    private static final int INITIAL_SLOTS = 1024;

    private final int capacity;
    private long captureStartNanos = Long.MIN_VALUE;
    /** Number of the oldest frame still held; frames below it were dropped by the ring. */
    private int firstNumber = 1;
    /** Number the next frame will get. */
    private int nextNumber = 1;
    private long ringDropped;

    // One slot per frame, indexed by number % slots; the arrays grow (doubling) up to the capacity.
    private long[] timestamps = new long[0];
    private byte[][] bytes = new byte[0][];
    private int[] originalLengths = new int[0];
    private String[] sources = new String[0];
    private String[] destinations = new String[0];
    private String[] protocols = new String[0];
    private String[] infos = new String[0];
    /** The colouring rule's ordinal, the direction's and whether the summary says malformed, in one byte. */
    private byte[] marks = new byte[0];

    FrameStore(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity + " < 1");
        }
        this.capacity = capacity;
    }

    int capacity() {
        return capacity;
    }

    /** Adds one frame with its summary; returns the number of frames the ring dropped to make room (0 or 1). */
    synchronized int add(long timestampNanos, Direction direction, byte[] frame, int originalLength, FrameSummary summary,
                         ColouringRule colour) {
        if (captureStartNanos == Long.MIN_VALUE) {
            captureStartNanos = timestampNanos;
        }
        int dropped = 0;
        if (size() == capacity) {
            int slot = slot(firstNumber);
            bytes[slot] = null;
            infos[slot] = null;
            firstNumber++;
            ringDropped++;
            dropped = 1;
        } else if (size() == timestamps.length) {
            grow();
        }
        int slot = slot(nextNumber);
        timestamps[slot] = timestampNanos;
        bytes[slot] = frame;
        originalLengths[slot] = originalLength;
        sources[slot] = summary.source();
        destinations[slot] = summary.destination();
        protocols[slot] = summary.protocol();
        infos[slot] = summary.info();
        marks[slot] = (byte) (colour.ordinal() << 2 | direction.ordinal());
        nextNumber++;
        return dropped;
    }

    private void grow() {
        int oldSlots = timestamps.length;
        int slots = Math.min(capacity, Math.max(INITIAL_SLOTS, oldSlots * 2));
        long[] newTimestamps = new long[slots];
        byte[][] newBytes = new byte[slots][];
        int[] newLengths = new int[slots];
        String[] newSources = new String[slots];
        String[] newDestinations = new String[slots];
        String[] newProtocols = new String[slots];
        String[] newInfos = new String[slots];
        byte[] newMarks = new byte[slots];
        for (int number = firstNumber; number < nextNumber; number++) {
            int from = number % oldSlots;
            int to = number % slots;
            newTimestamps[to] = timestamps[from];
            newBytes[to] = bytes[from];
            newLengths[to] = originalLengths[from];
            newSources[to] = sources[from];
            newDestinations[to] = destinations[from];
            newProtocols[to] = protocols[from];
            newInfos[to] = infos[from];
            newMarks[to] = marks[from];
        }
        timestamps = newTimestamps;
        bytes = newBytes;
        originalLengths = newLengths;
        sources = newSources;
        destinations = newDestinations;
        protocols = newProtocols;
        infos = newInfos;
        marks = newMarks;
    }

    private int slot(int number) {
        return number % timestamps.length;
    }

    /** Frames held now. */
    synchronized int size() {
        return nextNumber - firstNumber;
    }

    /** The oldest frame's number (1 until the ring drops one); equal to {@link #nextNumber()} when empty. */
    synchronized int firstNumber() {
        return firstNumber;
    }

    /** The number the next frame will get: one past the newest. */
    synchronized int nextNumber() {
        return nextNumber;
    }

    /** Frames the ring dropped to stay within its capacity. */
    synchronized long ringDropped() {
        return ringDropped;
    }

    /** The first frame's time (the Time column counts from it), or Long.MIN_VALUE before any frame. */
    synchronized long captureStartNanos() {
        return captureStartNanos;
    }

    synchronized boolean contains(int number) {
        return number >= firstNumber && number < nextNumber;
    }

    /** The packet list's row for a frame that is held. */
    synchronized PacketRow row(int number) {
        check(number);
        int slot = slot(number);
        int mark = marks[slot];
        return new PacketRow(number, timestamps[slot] - captureStartNanos, sources[slot], destinations[slot], protocols[slot],
                originalLengths[slot], infos[slot], Direction.values()[mark & 3], ColouringRule.values()[mark >>> 2]);
    }

    synchronized byte[] bytes(int number) {
        check(number);
        return bytes[slot(number)];
    }

    synchronized long timestampNanos(int number) {
        check(number);
        return timestamps[slot(number)];
    }

    synchronized int originalLength(int number) {
        check(number);
        return originalLengths[slot(number)];
    }

    private void check(int number) {
        if (!contains(number)) {
            throw new IndexOutOfBoundsException("frame " + number + " is not held (frames " + firstNumber + " to " + (nextNumber - 1) + ")");
        }
    }

    /**
     * Copies what a dissection pass needs of frames {@code [from, from + count)} (clipped to those held) into
     * {@code into}; returns the number of the first frame copied (later than {@code from} when the ring dropped
     * frames meanwhile) and sets {@code into.count}.
     */
    synchronized int copy(int from, int count, FrameChunk into) {
        int start = Math.max(from, firstNumber);
        int end = Math.min(nextNumber, from + count);
        int n = Math.max(0, end - start);
        for (int i = 0; i < n; i++) {
            int slot = slot(start + i);
            into.timestamps[i] = timestamps[slot];
            into.bytes[i] = bytes[slot];
            into.originalLengths[i] = originalLengths[slot];
        }
        Arrays.fill(into.bytes, n, into.bytes.length, null);
        into.count = n;
        into.firstNumber = start;
        return start;
    }

    /** A batch of frames copied out of the store for a worker (display filter, details, saving). */
    static final class FrameChunk {
        final long[] timestamps;
        final byte[][] bytes;
        final int[] originalLengths;
        int firstNumber;
        int count;

        FrameChunk(int size) {
            timestamps = new long[size];
            bytes = new byte[size][];
            originalLengths = new int[size];
        }
    }
}
