package dev.stacklab.dissect;

import java.util.Arrays;

/** A range of a byte array that a bytes field refers to, without copying it. */
public record ByteSlice(byte[] array, int offset, int length) {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

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
}
