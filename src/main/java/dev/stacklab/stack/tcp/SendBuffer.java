package dev.stacklab.stack.tcp;

/**
 * The bytes a connection has accepted from its application and not yet seen acknowledged: a
 * bounded ring whose first byte is SND.UNA (after the SYN). Sent and unsent data live here alike;
 * the connection knows where SND.NXT falls.
 */
final class SendBuffer {
    /** The ring's array starts this small and grows to the capacity as the application's writes need it. */
    static final int INITIAL_BYTES = 2048;

    private final int capacity;
    private byte[] ring;
    private int head;
    private int length;

    SendBuffer(int capacity) {
        this.capacity = capacity;
        this.ring = new byte[Math.min(capacity, INITIAL_BYTES)];
    }

    int capacity() {
        return capacity;
    }

    int length() {
        return length;
    }

    int free() {
        return capacity - length;
    }

    /** Appends as much of {@code data[offset, offset+count)} as fits; returns how much did. */
    int write(byte[] data, int offset, int count) {
        int accepted = Math.min(count, free());
        if (length + accepted > ring.length) {
            grow(length + accepted);
        }
        int tail = (head + length) % ring.length;
        int first = Math.min(accepted, ring.length - tail);
        System.arraycopy(data, offset, ring, tail, first);
        System.arraycopy(data, offset + first, ring, 0, accepted - first);
        length += accepted;
        return accepted;
    }

    /** A larger array, the bytes kept in order from its start: a connection holds only as much as it has queued. */
    private void grow(int needed) {
        byte[] grown = new byte[(int) Math.min(capacity, Math.max(needed, 2L * ring.length))];
        int first = Math.min(length, ring.length - head);
        System.arraycopy(ring, head, grown, 0, first);
        System.arraycopy(ring, 0, grown, first, length - first);
        ring = grown;
        head = 0;
    }

    /** Copies {@code count} bytes starting {@code from} bytes after the first into {@code target} at {@code at}. */
    void copyTo(int from, byte[] target, int at, int count) {
        int start = (head + from) % ring.length;
        int first = Math.min(count, ring.length - start);
        System.arraycopy(ring, start, target, at, first);
        System.arraycopy(ring, 0, target, at + first, count - first);
    }

    /** Forgets the first {@code count} bytes: they were acknowledged. */
    void consume(int count) {
        head = (head + count) % ring.length;
        length -= count;
    }
}
