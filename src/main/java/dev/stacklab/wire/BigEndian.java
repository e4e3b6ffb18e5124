package dev.stacklab.wire;

/**
 * Absolute network-byte-order reads and writes on a {@code byte[]}. Views check their lengths once
 * when they are wrapped; these accessors therefore do no checking of their own beyond the array's.
 */
public final class BigEndian {
    private BigEndian() {
    }

    public static int u8(byte[] bytes, int offset) {
        return bytes[offset] & 0xFF;
    }

    public static int u16(byte[] bytes, int offset) {
        return ((bytes[offset] & 0xFF) << 8) | (bytes[offset + 1] & 0xFF);
    }

    public static int u24(byte[] bytes, int offset) {
        return ((bytes[offset] & 0xFF) << 16) | ((bytes[offset + 1] & 0xFF) << 8) | (bytes[offset + 2] & 0xFF);
    }

    /** The 32-bit value as a Java int (sign bit included); use {@link #u32} for the unsigned value. */
    public static int i32(byte[] bytes, int offset) {
        return ((bytes[offset] & 0xFF) << 24) | ((bytes[offset + 1] & 0xFF) << 16)
                | ((bytes[offset + 2] & 0xFF) << 8) | (bytes[offset + 3] & 0xFF);
    }

    public static long u32(byte[] bytes, int offset) {
        return i32(bytes, offset) & 0xFFFF_FFFFL;
    }

    public static long u48(byte[] bytes, int offset) {
        return ((long) u16(bytes, offset) << 32) | u32(bytes, offset + 2);
    }

    /** The 64-bit value as a Java long (sign bit included). */
    public static long i64(byte[] bytes, int offset) {
        return ((long) i32(bytes, offset) << 32) | u32(bytes, offset + 4);
    }

    public static void putU8(byte[] bytes, int offset, int value) {
        bytes[offset] = (byte) value;
    }

    public static void putU16(byte[] bytes, int offset, int value) {
        bytes[offset] = (byte) (value >>> 8);
        bytes[offset + 1] = (byte) value;
    }

    public static void putI32(byte[] bytes, int offset, int value) {
        bytes[offset] = (byte) (value >>> 24);
        bytes[offset + 1] = (byte) (value >>> 16);
        bytes[offset + 2] = (byte) (value >>> 8);
        bytes[offset + 3] = (byte) value;
    }

    public static void putU32(byte[] bytes, int offset, long value) {
        putI32(bytes, offset, (int) value);
    }

    public static void putI64(byte[] bytes, int offset, long value) {
        putI32(bytes, offset, (int) (value >>> 32));
        putI32(bytes, offset + 4, (int) value);
    }

    public static void putU48(byte[] bytes, int offset, long value) {
        putU16(bytes, offset, (int) (value >>> 32));
        putI32(bytes, offset + 2, (int) value);
    }
}
