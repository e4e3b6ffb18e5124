package dev.stacklab.dissect;

import java.util.Arrays;

/**
 * The value of a bytes field: a range of the bytes its tree owns, shared without copying and read-only to
 * everyone outside this package (the array itself is never handed out; {@link #toArray()} copies).
 */
public final class ByteSlice {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final byte[] array;
    private final int offset;
    private final int length;

    ByteSlice(byte[] array, int offset, int length) {
        this.array = array;
        this.offset = offset;
        this.length = length;
    }

    /** The array the slice lies in: for this package's byte comparisons, which must not copy. */
    byte[] array() {
        return array;
    }

    /** Where the slice starts in {@link #array()}. */
    int offset() {
        return offset;
    }

    public int length() {
        return length;
    }

    /** The slice's byte at {@code index}, from 0 to {@code length() - 1}. */
    public byte byteAt(int index) {
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException("byte " + index + " of a " + length + "-byte slice");
        }
        return array[offset + index];
    }

    /** A copy of the bytes. */
    public byte[] toArray() {
        return Arrays.copyOfRange(array, offset, offset + length);
    }

    /** Lower-case hex without separators, as tshark prints bytes fields. */
    public String toHex() {
        char[] out = new char[length * 2];
        for (int i = 0; i < length; i++) {
            int b = array[offset + i] & 0xFF;
            out[2 * i] = HEX[b >>> 4];
            out[2 * i + 1] = HEX[b & 0xF];
        }
        return new String(out);
    }

    /** Hex with colons between bytes, as the tree shows short byte fields. */
    public String toColonHex() {
        StringBuilder out = new StringBuilder(length * 3);
        for (int i = 0; i < length; i++) {
            if (i > 0) {
                out.append(':');
            }
            int b = array[offset + i] & 0xFF;
            out.append(HEX[b >>> 4]).append(HEX[b & 0xF]);
        }
        return out.toString();
    }

    /** Equal when the bytes are, wherever they lie. */
    @Override
    public boolean equals(Object other) {
        return other instanceof ByteSlice that
                && Arrays.equals(array, offset, offset + length, that.array, that.offset, that.offset + that.length);
    }

    @Override
    public int hashCode() {
        int hash = 1;
        for (int i = offset; i < offset + length; i++) {
            hash = 31 * hash + array[i];
        }
        return hash;
    }

    @Override
    public String toString() {
        return toHex();
    }
}
