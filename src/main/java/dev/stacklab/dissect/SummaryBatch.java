package dev.stacklab.dissect;

/**
 * The summaries of consecutive frames, kept as their columns: one thread dissects frames into a batch
 * ({@link Dissector#summarizeInto}) while another writes the lines of the batch before it ({@link #appendLine}), which
 * is how {@code decode} uses two cores, and how the app's capture takes a frame's columns into its store without a
 * {@link FrameSummary} or an Info String per frame. The address, protocol texts are shared immutable Strings; the
 * Info columns are copied into one char array, so a batch allocates nothing once it has seen its longest lines.
 */
public final class SummaryBatch {
    private final int[] numbers;
    private final long[] relativeTimes;
    private final byte[] timePrecisions;
    private final String[] sources;
    private final String[] destinations;
    private final String[] protocols;
    private final int[] lengths;
    /** Info column i is {@code info[infoEnds[i - 1]]} (0 for the first) to {@code info[infoEnds[i] - 1]}. */
    private final int[] infoEnds;
    private final boolean[] malformed;
    private char[] info;
    private int size;

    public SummaryBatch(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity + " < 1");
        }
        numbers = new int[capacity];
        relativeTimes = new long[capacity];
        timePrecisions = new byte[capacity];
        sources = new String[capacity];
        destinations = new String[capacity];
        protocols = new String[capacity];
        lengths = new int[capacity];
        infoEnds = new int[capacity];
        malformed = new boolean[capacity];
        info = new char[capacity * 96];
    }

    public int size() {
        return size;
    }

    public boolean isFull() {
        return size == numbers.length;
    }

    /** Empties the batch for the next frames, keeping its arrays. */
    public void clear() {
        size = 0;
    }

    /** Writes summary {@code index}'s line (without a line end), the bytes {@link SummaryLine#appendTo(Utf8Text, FrameSummary)} writes. */
    public Utf8Text appendLine(int index, Utf8Text out) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("summary " + index + " of " + size);
        }
        return SummaryLine.appendTo(out, numbers[index], relativeTimes[index], timePrecisions[index], sources[index],
                destinations[index], protocols[index], lengths[index], info, index == 0 ? 0 : infoEnds[index - 1], infoEnds[index]);
    }

    /** Summary {@code index}'s Time column precision: the decimals (0 to 9) its file records the frame's time to. */
    public int timePrecision(int index) {
        return timePrecisions[checked(index)];
    }

    /** Summary {@code index}'s frame number. */
    public int number(int index) {
        return numbers[checked(index)];
    }

    /** Summary {@code index}'s Source column. */
    public String source(int index) {
        return sources[checked(index)];
    }

    public String destination(int index) {
        return destinations[checked(index)];
    }

    public String protocol(int index) {
        return protocols[checked(index)];
    }

    /** Whether some layer of summary {@code index}'s frame could not be dissected completely. */
    public boolean malformed(int index) {
        return malformed[checked(index)];
    }

    /**
     * The chars of every Info column in the batch: summary {@code index}'s are {@link #infoStart} to {@link #infoEnd}.
     * The batch's own array, to be read before the batch is cleared or added to, never written.
     */
    public char[] infoChars() {
        return info;
    }

    public int infoStart(int index) {
        return checked(index) == 0 ? 0 : infoEnds[index - 1];
    }

    public int infoEnd(int index) {
        return infoEnds[checked(index)];
    }

    /** Whether summary {@code index}'s Info column starts with {@code prefix}. */
    public boolean infoStartsWith(int index, String prefix) {
        int start = infoStart(index);
        if (infoEnds[index] - start < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (info[start + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private int checked(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("summary " + index + " of " + size);
        }
        return index;
    }

    void add(int number, long relativeTimeNanos, int timePrecision, String source, String destination, String protocol, int length,
             StringBuilder infoColumn, boolean malformedFrame) {
        int from = size == 0 ? 0 : infoEnds[size - 1];
        int to = from + infoColumn.length();
        if (to > info.length) {
            char[] larger = new char[Math.max(to, info.length * 2)];
            System.arraycopy(info, 0, larger, 0, from);
            info = larger;
        }
        infoColumn.getChars(0, infoColumn.length(), info, from);
        numbers[size] = number;
        relativeTimes[size] = relativeTimeNanos;
        timePrecisions[size] = (byte) timePrecision;
        sources[size] = source;
        destinations[size] = destination;
        protocols[size] = protocol;
        lengths[size] = length;
        infoEnds[size] = to;
        malformed[size] = malformedFrame;
        size++;
    }
}
