package dev.stacklab.app.capture;

import dev.stacklab.capture.CapturedFrame.Direction;
import dev.stacklab.capture.LinkType;
import dev.stacklab.dissect.FrameInterface;
import dev.stacklab.dissect.FrameOptions;
import dev.stacklab.dissect.FrameSummary;
import dev.stacklab.dissect.SummaryBatch;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The capture's frames as the packet list needs them: each frame's bytes and its summary columns, made once at
 * arrival, in a ring of at most {@code capacity} frames. When it is full the oldest frame is dropped (and counted);
 * the others keep their numbers, as in Wireshark's ring buffer, so nothing is renumbered.
 *
 * <p>A column store, so that a million frames are a few dozen objects rather than a few million: one primitive
 * array per column (time, lengths, colour and direction, where the frame's record starts), and the records
 * themselves (the frame's bytes, then its Source, Destination, Protocol and Info texts as UTF-8, each after a
 * two-byte length) one after the other in byte arenas of {@link #ARENA_BYTES} (a heap region). An arena is let go once the ring
 * has dropped every frame in it. The garbage collector then has almost nothing to trace or copy, and a row's
 * texts are decoded only when the list shows it (about forty at a time). About 190 bytes a frame for bench
 * synth-capture's frames (83 bytes on average).
 *
 * <p>Frames are numbered from 1 in arrival order. One thread adds (the FX thread, or the thread opening a file
 * before the store is shown); workers (display filters, the details pane) read frames that are there through
 * {@link #copy}, which holds the lock only while copying positions, never while dissecting. A record is never
 * written again once added, so a worker may read its arena after the lock is released.
 */
final class FrameStore {
    private static final int INITIAL_SLOTS = 1024;
    /**
     * Arena size: one G1 heap region less room for the array's header, so that each arena is a "humongous" object
     * with a region of its own, made in the old generation at once: the collector never copies it from young to old
     * as frames arrive (copying the growing store made each young collection longer, up to half a second per
     * million frames on the loaded machine); 1 MiB under another collector.
     */
    static final int ARENA_BYTES = arenaBytes();
    private static final int TEXT_LIMIT = 0xFFFF;
    private static final int ROW_CACHE = 128;

    private final int capacity;
    private long captureStartNanos = Long.MIN_VALUE;
    // LINKTYPE_ of the frames held (one per store): what a tree is dissected as and what a saved file says.
    private int linkType = LinkType.ETHERNET;
    /** Number of the oldest frame still held; frames below it were dropped by the ring. */
    private int firstNumber = 1;
    /** Number the next frame will get. */
    private int nextNumber = 1;
    private long ringDropped;

    // One slot per frame, indexed by number % slots; the arrays grow (doubling) up to the capacity.
    private long[] timestamps = new long[0];
    private int[] originalLengths = new int[0];
    private int[] capturedLengths = new int[0];
    /** Where the frame's record starts: the arena's sequence number in the high half, the offset in the low half. */
    private long[] positions = new long[0];
    /** The colouring rule's ordinal and the direction's, in one byte. */
    private byte[] marks = new byte[0];
    /** The Time column's decimals: those the frame's file records its time to (6 for live frames). */
    private byte[] timePrecisions = new byte[0];

    /**
     * What a file records about a frame besides its bytes (pcapng packet flags, comments), for the few frames that
     * have any, by number; forgotten with the frame. A file whose every frame has options costs an entry per frame
     * held, within the ring's capacity.
     */
    private final Map<Integer, FrameOptions> options = new HashMap<>();
    /**
     * The pcapng interface each frame was captured on, as runs: the number of the first frame of each run of frames
     * from the same interface. A file from one interface costs one entry; interfaces alternating frame by frame
     * cost one per frame held, within the ring's capacity. Empty for live frames and pcap files.
     */
    private final TreeMap<Integer, FrameInterface> interfaceRuns = new TreeMap<>();

    // The arenas still holding some frame's record, oldest first; arenas.get(i) has sequence number firstArena + i.
    private final List<byte[]> arenas = new ArrayList<>();
    private int firstArena;
    private byte[] arena;
    private int arenaUsed;
    private char[] textChars = new char[256];

    // Rows the list asked for lately, by frame number: the table asks for the same forty rows again and again.
    private final PacketRow[] rowCache = new PacketRow[ROW_CACHE];

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
    int add(long timestampNanos, Direction direction, byte[] frame, int originalLength, FrameSummary summary, ColouringRule colour) {
        return add(timestampNanos, direction, frame, frame.length, originalLength, summary, colour);
    }

    /** {@link #add} for the first {@code capturedLength} bytes of {@code frame}, which is copied (it may be reused). */
    int add(long timestampNanos, Direction direction, byte[] frame, int capturedLength, int originalLength,
            FrameSummary summary, ColouringRule colour) {
        char[] info = summary.info().toCharArray();
        return add(timestampNanos, direction, frame, capturedLength, originalLength, summary.timePrecision(), summary.source(),
                summary.destination(), summary.protocol(), info, 0, info.length, colour);
    }

    /**
     * {@link #add} with summary {@code index} of {@code columns}: the columns go from the dissector's batch into the
     * arena with no String made for them (a million frames opened made some 250 MB of garbage doing so).
     */
    int add(long timestampNanos, Direction direction, byte[] frame, int capturedLength, int originalLength,
            SummaryBatch columns, int index, ColouringRule colour) {
        return add(timestampNanos, direction, frame, capturedLength, originalLength, columns.timePrecision(index), columns.source(index),
                columns.destination(index), columns.protocol(index), columns.infoChars(), columns.infoStart(index), columns.infoEnd(index),
                colour);
    }

    private synchronized int add(long timestampNanos, Direction direction, byte[] frame, int capturedLength, int originalLength,
                                 int timePrecision, String source, String destination, String protocol, char[] info, int infoStart, int infoEnd,
                                 ColouringRule colour) {
        if (captureStartNanos == Long.MIN_VALUE) {
            captureStartNanos = timestampNanos;
        }
        int dropped = 0;
        if (size() == capacity) {
            dropOldest();
            dropped = 1;
        } else if (size() == timestamps.length) {
            grow();
        }
        int slot = slot(nextNumber);
        timestamps[slot] = timestampNanos;
        originalLengths[slot] = originalLength;
        capturedLengths[slot] = capturedLength;
        marks[slot] = (byte) (colour.ordinal() << 2 | direction.ordinal());
        timePrecisions[slot] = (byte) timePrecision;
        positions[slot] = write(frame, capturedLength, source, destination, protocol, info, infoStart, infoEnd);
        nextNumber++;
        return dropped;
    }

    private void dropOldest() {
        if (!options.isEmpty()) {
            options.remove(firstNumber);
        }
        firstNumber++;
        // The run that held the dropped frame goes once the next run starts at or before the oldest frame held.
        Integer secondRun = interfaceRuns.isEmpty() ? null : interfaceRuns.higherKey(interfaceRuns.firstKey());
        if (secondRun != null && secondRun <= firstNumber) {
            interfaceRuns.pollFirstEntry();
        }
        ringDropped++;
        // Let go of the arenas that only dropped frames used (all but the one being filled when none is left).
        int oldestArena = size() > 0 ? (int) (positions[slot(firstNumber)] >>> 32) : firstArena + arenas.size() - 1;
        while (firstArena < oldestArena) {
            arenas.remove(0);
            firstArena++;
        }
    }

    /** Appends the frame's record to the arenas; returns its position. */
    private long write(byte[] frame, int capturedLength, String source, String destination, String protocol, char[] info,
                       int infoStart, int infoEnd) {
        // At most three UTF-8 bytes per char (a surrogate pair's four bytes are two chars' room).
        int room = capturedLength + 8 + 3 * (source.length() + destination.length() + protocol.length() + infoEnd - infoStart);
        if (arena == null || arenaUsed + room > arena.length) {
            arena = new byte[Math.max(ARENA_BYTES, room)];
            arenaUsed = 0;
            arenas.add(arena);
        }
        long position = (long) (firstArena + arenas.size() - 1) << 32 | arenaUsed;
        int at = arenaUsed;
        System.arraycopy(frame, 0, arena, at, capturedLength);
        at += capturedLength;
        at = putText(source, at);
        at = putText(destination, at);
        at = putText(protocol, at);
        at = putText(info, infoStart, infoEnd, at);
        arenaUsed = at;
        return position;
    }

    /** Room for a text's chars while it is written (the address and protocol columns are short). */
    private char[] textChars(int length) {
        if (textChars.length < length) {
            textChars = new char[Math.max(length, textChars.length * 2)];
        }
        return textChars;
    }

    private int putText(String text, int at) {
        char[] chars = textChars(text.length());
        text.getChars(0, text.length(), chars, 0);
        return putText(chars, 0, text.length(), at);
    }

    /**
     * Writes {@code text[from, to)} as UTF-8 after a two-byte length, straight into the arena (column texts are ASCII
     * but for the odd "→" or accented name; a text longer than 65,535 bytes, which no column has, would be cut at a
     * char).
     */
    private int putText(char[] text, int from, int to, int at) {
        byte[] out = arena;
        int start = at + 2;
        int end = start;
        int limit = start + TEXT_LIMIT;
        for (int i = from; i < to; i++) {
            char c = text[i];
            if (c < 0x80) {
                if (end + 1 > limit) {
                    break;
                }
                out[end++] = (byte) c;
            } else if (c < 0x800) {
                if (end + 2 > limit) {
                    break;
                }
                out[end++] = (byte) (0xC0 | c >> 6);
                out[end++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(text[i + 1])) {
                if (end + 4 > limit) {
                    break;
                }
                int code = Character.toCodePoint(c, text[++i]);
                out[end++] = (byte) (0xF0 | code >> 18);
                out[end++] = (byte) (0x80 | code >> 12 & 0x3F);
                out[end++] = (byte) (0x80 | code >> 6 & 0x3F);
                out[end++] = (byte) (0x80 | code & 0x3F);
            } else {
                if (end + 3 > limit) {
                    break;
                }
                // A lone surrogate (no column text has one) is written as U+FFFD, the replacement character.
                char shown = Character.isSurrogate(c) ? '\uFFFD' : c;
                out[end++] = (byte) (0xE0 | shown >> 12);
                out[end++] = (byte) (0x80 | shown >> 6 & 0x3F);
                out[end++] = (byte) (0x80 | shown & 0x3F);
            }
        }
        int length = end - start;
        out[at] = (byte) (length >>> 8);
        out[at + 1] = (byte) length;
        return end;
    }

    private static int arenaBytes() {
        try {
            HotSpotDiagnosticMXBean diagnostics = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            long region = Long.parseLong(diagnostics.getVMOption("G1HeapRegionSize").getValue());
            if (region >= 1 << 20 && region <= 1 << 26) {
                return (int) region - 64;
            }
        } catch (RuntimeException e) {
            // Not HotSpot, or no such option: the default below.
        }
        return 1 << 20;
    }

    private void grow() {
        int oldSlots = timestamps.length;
        int slots = Math.min(capacity, Math.max(INITIAL_SLOTS, oldSlots * 2));
        long[] newTimestamps = new long[slots];
        int[] newOriginalLengths = new int[slots];
        int[] newCapturedLengths = new int[slots];
        long[] newPositions = new long[slots];
        byte[] newMarks = new byte[slots];
        byte[] newTimePrecisions = new byte[slots];
        for (int number = firstNumber; number < nextNumber; number++) {
            int from = number % oldSlots;
            int to = number % slots;
            newTimestamps[to] = timestamps[from];
            newOriginalLengths[to] = originalLengths[from];
            newCapturedLengths[to] = capturedLengths[from];
            newPositions[to] = positions[from];
            newMarks[to] = marks[from];
            newTimePrecisions[to] = timePrecisions[from];
        }
        timestamps = newTimestamps;
        originalLengths = newOriginalLengths;
        capturedLengths = newCapturedLengths;
        positions = newPositions;
        marks = newMarks;
        timePrecisions = newTimePrecisions;
    }

    private int slot(int number) {
        return number % timestamps.length;
    }

    /** Arenas held now (for tests of the ring). */
    synchronized int arenaCount() {
        return arenas.size();
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

    /** The LINKTYPE_ value of the frames held: Ethernet, unless a file of another link type was opened into it. */
    synchronized int linkType() {
        return linkType;
    }

    synchronized void linkType(int value) {
        linkType = value;
    }

    /** The first frame's time (the Time column counts from it), or Long.MIN_VALUE before any frame. */
    synchronized long captureStartNanos() {
        return captureStartNanos;
    }

    synchronized boolean contains(int number) {
        return number >= firstNumber && number < nextNumber;
    }

    /** The packet list's row for a frame that is held; its texts are decoded now (the list asks for visible rows only). */
    synchronized PacketRow row(int number) {
        check(number);
        PacketRow cached = rowCache[number & (ROW_CACHE - 1)];
        if (cached != null && cached.number() == number) {
            return cached;
        }
        int slot = slot(number);
        int mark = marks[slot];
        long position = positions[slot];
        byte[] in = arenas.get((int) (position >>> 32) - firstArena);
        int at = (int) position + capturedLengths[slot];
        String[] texts = new String[4];
        for (int i = 0; i < texts.length; i++) {
            int length = (in[at] & 0xFF) << 8 | in[at + 1] & 0xFF;
            texts[i] = new String(in, at + 2, length, StandardCharsets.UTF_8);
            at += 2 + length;
        }
        PacketRow row = new PacketRow(number, timestamps[slot] - captureStartNanos, timePrecisions[slot], texts[0], texts[1], texts[2],
                originalLengths[slot], texts[3], Direction.values()[mark & 3], ColouringRule.values()[mark >>> 2]);
        rowCache[number & (ROW_CACHE - 1)] = row;
        return row;
    }

    /** {@link #row}, or null when the frame is not held (the ring dropped it, or it has not arrived). */
    synchronized PacketRow rowIfHeld(int number) {
        return contains(number) ? row(number) : null;
    }

    /** A copy of the frame's captured bytes. */
    synchronized byte[] bytes(int number) {
        check(number);
        int slot = slot(number);
        long position = positions[slot];
        byte[] in = arenas.get((int) (position >>> 32) - firstArena);
        return Arrays.copyOfRange(in, (int) position, (int) position + capturedLengths[slot]);
    }

    /** Keeps what the file records about the frame just added, {@code number}, besides its bytes. */
    synchronized void options(int number, FrameOptions frameOptions) {
        check(number);
        options.put(number, frameOptions);
    }

    /** Keeps the interface the frame just added, {@code number}, was captured on (pcapng files). */
    synchronized void captureInterface(int number, FrameInterface captureInterface) {
        check(number);
        Map.Entry<Integer, FrameInterface> last = interfaceRuns.lastEntry();
        if (last == null || !last.getValue().equals(captureInterface)) {
            interfaceRuns.put(number, captureInterface);
        }
    }

    /** The interface the frame was captured on, or null when the file does not say. */
    synchronized FrameInterface captureInterface(int number) {
        check(number);
        return interfaceOf(number);
    }

    private FrameInterface interfaceOf(int number) {
        if (interfaceRuns.isEmpty()) {
            return null;
        }
        Map.Entry<Integer, FrameInterface> run = interfaceRuns.floorEntry(number);
        return run == null ? null : run.getValue();
    }

    /** What the file records about a frame besides its bytes, or null when nothing. */
    synchronized FrameOptions options(int number) {
        check(number);
        return options.get(number);
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
     * {@code into}: times, lengths, and where each frame's bytes are (its arena and offset, not a copy); returns the
     * number of the first frame copied (later than {@code from} when the ring dropped frames meanwhile) and sets
     * {@code into.count}.
     */
    synchronized int copy(int from, int count, FrameChunk into) {
        int start = Math.max(from, firstNumber);
        int end = Math.min(nextNumber, from + Math.min(count, into.timestamps.length));
        int n = Math.max(0, end - start);
        for (int i = 0; i < n; i++) {
            int slot = slot(start + i);
            long position = positions[slot];
            into.timestamps[i] = timestamps[slot];
            into.arenas[i] = arenas.get((int) (position >>> 32) - firstArena);
            into.offsets[i] = (int) position;
            into.capturedLengths[i] = capturedLengths[slot];
            into.originalLengths[i] = originalLengths[slot];
            into.options[i] = options.isEmpty() ? null : options.get(start + i);
            into.interfaces[i] = interfaceOf(start + i);
        }
        Arrays.fill(into.arenas, n, into.arenas.length, null);
        into.count = n;
        into.firstNumber = start;
        return start;
    }

    /** A batch of frames copied out of the store for a worker (display filter, details, saving). */
    static final class FrameChunk {
        final long[] timestamps;
        /** The arena holding each frame's bytes, from {@link #offsets} on, {@link #capturedLengths} of them. */
        final byte[][] arenas;
        final int[] offsets;
        final int[] capturedLengths;
        final int[] originalLengths;
        /** What the file records about each frame besides its bytes (pcapng flags, comments), or null. */
        final FrameOptions[] options;
        /** The interface each frame was captured on (pcapng), or null. */
        final FrameInterface[] interfaces;
        int firstNumber;
        int count;
        /** Room for one frame's bytes at offset 0, as the dissector wants them (grown for the rare bigger frame). */
        private byte[] scratch = new byte[2048];

        FrameChunk(int size) {
            timestamps = new long[size];
            arenas = new byte[size][];
            offsets = new int[size];
            capturedLengths = new int[size];
            originalLengths = new int[size];
            options = new FrameOptions[size];
            interfaces = new FrameInterface[size];
        }

        /** Frame {@code i}'s bytes from offset 0 of a buffer reused for the next call. */
        byte[] frame(int i) {
            int length = capturedLengths[i];
            if (scratch.length < length) {
                scratch = new byte[Math.max(length, scratch.length * 2)];
            }
            System.arraycopy(arenas[i], offsets[i], scratch, 0, length);
            return scratch;
        }
    }
}
