package dev.stacklab.stack.tcp;

/**
 * The bytes a connection has accepted from its application and not yet seen acknowledged: a
 * bounded ring whose first byte is SND.UNA (after the SYN). Sent and unsent data live here alike;
 * the connection knows where SND.NXT falls.
 */
final class SendBuffer {
    private final byte[] ring;
    private int head;
    private int length;

    SendBuffer(int capacity) {
        this.ring = new byte[capacity];
    }

    int capacity() {
        return ring.length;
    }

    int length() {
        return length;
    }

    int free() {
        return ring.length - length;
    }

    /** Appends as much of {@code data[offset, offset+count)} as fits; returns how much did. */
    int write(byte[] data, int offset, int count) {
        int accepted = Math.min(count, free());
        int tail = (head + length) % ring.length;
        int first = Math.min(accepted, ring.length - tail);
        System.arraycopy(data, offset, ring, tail, first);
        System.arraycopy(data, offset + first, ring, 0, accepted - first);
        length += accepted;
        return accepted;
    }

    /** Copies {@code count} bytes starting {@code from} bytes after the first into a new array. */
    byte[] copy(int from, int count) {
        byte[] out = new byte[count];
        int start = (head + from) % ring.length;
        int first = Math.min(count, ring.length - start);
        System.arraycopy(ring, start, out, 0, first);
        System.arraycopy(ring, 0, out, first, count - first);
        return out;
    }

    /** Forgets the first {@code count} bytes: they were acknowledged. */
    void consume(int count) {
        head = (head + count) % ring.length;
        length -= count;
    }
}
