package dev.stacklab.dissect;

import java.util.function.LongFunction;

/**
 * The static description of one field, what Wireshark calls a header field ({@code hf_register_info}):
 * its filter name ({@code ip.ttl}), its label ("Time to Live"), its type, how it is displayed, and for
 * bit fields the mask. Defined once per field as a constant in the protocol's dissector; every
 * {@link FieldNode} points to one, so nodes stay small and the text is built only when asked for.
 *
 * @param name       the Wireshark field name used in filters and field output
 * @param label      the human label shown in the tree
 * @param type       what kind of value the field holds
 * @param base       decimal or hex for integers
 * @param hexDigits  digits printed after {@code 0x} when {@code base} is HEX (2 per byte of the field's type)
 * @param bitWidth   width in bits of the containing unit for bit fields (8, 16, 32), else 0
 * @param bitmask    the field's bits within that unit, else 0
 * @param valueNames names for known values ("Echo (ping) request" for 8), or null
 * @param trueText   tree text for a set flag
 * @param falseText  tree text for a clear flag
 */
public record FieldDef(String name, String label, FieldType type, Base base, int hexDigits, int bitWidth, long bitmask,
                       LongFunction<String> valueNames, String trueText, String falseText) {

    /** How an integer field is printed. */
    public enum Base { DEC, HEX, NONE }

    public static FieldDef protocol(String name, String label) {
        return new FieldDef(name, label, FieldType.PROTOCOL, Base.NONE, 0, 0, 0, null, null, null);
    }

    /** A text-only line; the name lets it be found and filtered (e.g. {@code tcp.options.nop}). */
    public static FieldDef none(String name, String label) {
        return new FieldDef(name, label, FieldType.NONE, Base.NONE, 0, 0, 0, null, null, null);
    }

    public static FieldDef uint(String name, String label) {
        return new FieldDef(name, label, FieldType.UINT, Base.DEC, 0, 0, 0, null, null, null);
    }

    public static FieldDef uint(String name, String label, LongFunction<String> valueNames) {
        return new FieldDef(name, label, FieldType.UINT, Base.DEC, 0, 0, 0, valueNames, null, null);
    }

    /** An unsigned field printed in hex with {@code hexDigits} digits ({@code 0x0800}). */
    public static FieldDef hex(String name, String label, int hexDigits) {
        return new FieldDef(name, label, FieldType.UINT, Base.HEX, hexDigits, 0, 0, null, null, null);
    }

    public static FieldDef hex(String name, String label, int hexDigits, LongFunction<String> valueNames) {
        return new FieldDef(name, label, FieldType.UINT, Base.HEX, hexDigits, 0, 0, valueNames, null, null);
    }

    /** An unsigned bit field, decimal, e.g. {@code ip.version} (width 8, mask 0xF0). */
    public static FieldDef bits(String name, String label, int bitWidth, long bitmask) {
        return new FieldDef(name, label, FieldType.UINT, Base.DEC, 0, bitWidth, bitmask, null, null, null);
    }

    public static FieldDef bits(String name, String label, int bitWidth, long bitmask, LongFunction<String> valueNames) {
        return new FieldDef(name, label, FieldType.UINT, Base.DEC, 0, bitWidth, bitmask, valueNames, null, null);
    }

    /** An unsigned bit field printed in hex, e.g. {@code tcp.flags} (width 16, mask 0x0FFF, 4 digits). */
    public static FieldDef hexBits(String name, String label, int hexDigits, int bitWidth, long bitmask) {
        return new FieldDef(name, label, FieldType.UINT, Base.HEX, hexDigits, bitWidth, bitmask, null, null, null);
    }

    /** A one-bit flag within a unit of {@code bitWidth} bits. */
    public static FieldDef flag(String name, String label, int bitWidth, long bitmask) {
        return new FieldDef(name, label, FieldType.BOOLEAN, Base.NONE, 0, bitWidth, bitmask, null, "Set", "Not set");
    }

    public static FieldDef flag(String name, String label, int bitWidth, long bitmask, String trueText, String falseText) {
        return new FieldDef(name, label, FieldType.BOOLEAN, Base.NONE, 0, bitWidth, bitmask, null, trueText, falseText);
    }

    /** A boolean that is not a bit of a header (e.g. a generated "[Retransmission]" flag). */
    public static FieldDef bool(String name, String label) {
        return new FieldDef(name, label, FieldType.BOOLEAN, Base.NONE, 0, 0, 0, null, "True", "False");
    }

    public static FieldDef mac(String name, String label) {
        return new FieldDef(name, label, FieldType.MAC, Base.NONE, 0, 0, 0, null, null, null);
    }

    public static FieldDef ipv4(String name, String label) {
        return new FieldDef(name, label, FieldType.IPV4, Base.NONE, 0, 0, 0, null, null, null);
    }

    public static FieldDef ipv6(String name, String label) {
        return new FieldDef(name, label, FieldType.IPV6, Base.NONE, 0, 0, 0, null, null, null);
    }

    public static FieldDef bytes(String name, String label) {
        return new FieldDef(name, label, FieldType.BYTES, Base.NONE, 0, 0, 0, null, null, null);
    }

    public static FieldDef string(String name, String label) {
        return new FieldDef(name, label, FieldType.STRING, Base.NONE, 0, 0, 0, null, null, null);
    }

    public static FieldDef frameNumber(String name, String label) {
        return new FieldDef(name, label, FieldType.FRAMENUM, Base.NONE, 0, 0, 0, null, null, null);
    }

    public static FieldDef int32(String name, String label) {
        return new FieldDef(name, label, FieldType.INT, Base.DEC, 0, 0, 0, null, null, null);
    }

    public static FieldDef timeNanos(String name, String label) {
        return new FieldDef(name, label, FieldType.TIME_NANOS, Base.NONE, 0, 0, 0, null, null, null);
    }

    /** The protocol part of the name: {@code ip} for {@code ip.flags.df}. */
    public String protocolName() {
        int dot = name.indexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }

    @Override
    public String toString() {
        return name;
    }
}
