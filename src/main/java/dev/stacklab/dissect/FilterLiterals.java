package dev.stacklab.dissect;

import dev.stacklab.dissect.DisplayFilterLexer.Kind;
import dev.stacklab.dissect.DisplayFilterLexer.Token;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.Ipv6Address;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads the constant on the right of a comparison as the type of the field on the left, with the
 * spellings tshark 4.0 accepts: integers in decimal, {@code 0x} hex, {@code 0} octal and {@code 0b}
 * binary, or a name from the field's value names ({@code ip.proto == TCP}); flags as numbers,
 * {@code True}/{@code TRUE}/{@code False}/{@code FALSE} or the flag's own texts ({@code "Set"}); IPv4
 * addresses with an optional prefix length; MAC addresses and byte strings with {@code :}, {@code -} or
 * {@code .} separators or none; quoted strings; times as seconds. Errors quote the value and point at it.
 */
final class FilterLiterals {

    /** An IPv4 constant: the address and the mask its prefix length makes (all ones without one). */
    record Ipv4Literal(long address, long mask) {
    }

    private FilterLiterals() {
    }

    static long unsignedInteger(Token token, FieldDef def) throws DisplayFilterException {
        Long named = valueByName(token, def);
        if (named != null) {
            return named;
        }
        if (token.kind() == Kind.STRING) {
            throw new DisplayFilterException(token.shown() + " is a quoted string, but " + def.name()
                    + " is a number" + (def.valueNames() != null ? " and has no value of that name" : ""), token.column(), token.length());
        }
        String text = token.text();
        if (text.startsWith("-")) {
            throw new DisplayFilterException(token.shown() + " is negative, but " + def.name() + " is unsigned", token.column(), token.length());
        }
        Long value = parseInteger(text);
        if (value == null) {
            throw new DisplayFilterException(token.shown() + " is not a valid number"
                    + (def.valueNames() != null ? " nor a value name of " + def.name() : ""), token.column(), token.length());
        }
        long maximum = maximum(def);
        if (Long.compareUnsigned(value, maximum) > 0) {
            throw new DisplayFilterException(token.shown() + " is too big for " + def.name() + ", maximum " + maximum,
                    token.column(), token.length());
        }
        return value;
    }

    static long signedInteger(Token token, FieldDef def) throws DisplayFilterException {
        String text = token.text();
        boolean negative = text.startsWith("-");
        Long value = token.kind() == Kind.WORD ? parseInteger(negative ? text.substring(1) : text) : null;
        if (value == null) {
            throw new DisplayFilterException(token.shown() + " is not a valid number for " + def.name(), token.column(), token.length());
        }
        return negative ? -value : value;
    }

    /** A flag constant as 0 or 1: any non-zero number is "set", as in tshark ({@code tcp.flags.syn == 2} matches SYNs). */
    static long flag(Token token, FieldDef def) throws DisplayFilterException {
        String text = token.text();
        if (text.equals(def.trueText())) {
            return 1;
        }
        if (text.equals(def.falseText())) {
            return 0;
        }
        if (token.kind() == Kind.WORD) {
            // tshark 4.0 accepts exactly these spellings (not "true", not a quoted "True").
            if (text.equals("True") || text.equals("TRUE")) {
                return 1;
            }
            if (text.equals("False") || text.equals("FALSE")) {
                return 0;
            }
            Long value = parseInteger(text);
            if (value != null) {
                return value != 0 ? 1 : 0;
            }
        }
        throw new DisplayFilterException(token.shown() + " is not a value of " + def.name() + " (use 1, 0, True or False"
                + (def.trueText() != null ? ", \"" + def.trueText() + "\" or \"" + def.falseText() + "\"" : "") + ")",
                token.column(), token.length());
    }

    static long mac(Token token) throws DisplayFilterException {
        byte[] bytes = token.kind() == Kind.WORD ? byteString(token.text()) : null;
        if (bytes == null || bytes.length != 6) {
            throw new DisplayFilterException(token.shown() + " is not a valid MAC address"
                    + (bytes != null ? " (it has " + bytes.length + " bytes, a MAC address has 6)" : "")
                    + "; write it like ff:ff:ff:ff:ff:ff", token.column(), token.length());
        }
        long bits = 0;
        for (byte b : bytes) {
            bits = bits << 8 | (b & 0xFF);
        }
        return bits;
    }

    static Ipv4Literal ipv4(Token token) throws DisplayFilterException {
        String text = token.text();
        if (token.kind() != Kind.WORD) {
            throw new DisplayFilterException(token.shown() + " is not a valid IPv4 address (write addresses without quotes)",
                    token.column(), token.length());
        }
        int slash = text.indexOf('/');
        String addressText = slash < 0 ? text : text.substring(0, slash);
        Ipv4Address address;
        try {
            address = Ipv4Address.parse(addressText);
        } catch (IllegalArgumentException notAnAddress) {
            throw new DisplayFilterException("\"" + addressText + "\" is not a valid IPv4 address", token.column(), token.length());
        }
        long mask = 0xFFFF_FFFFL;
        if (slash >= 0) {
            String bits = text.substring(slash + 1);
            Long prefix = bits.isEmpty() || !Character.isDigit(bits.charAt(0)) || bits.length() > 2 ? null : parseDecimal(bits);
            if (prefix == null || prefix > 32) {
                throw new DisplayFilterException("\"" + text + "\" has an invalid prefix length \"" + bits + "\" (expected 0-32)",
                        token.column(), token.length());
            }
            mask = prefix == 0 ? 0 : (0xFFFF_FFFFL << (32 - prefix)) & 0xFFFF_FFFFL;
        }
        return new Ipv4Literal(address.unsigned(), mask);
    }

    /** An IPv6 address in any RFC 4291 text form, as its 16 bytes. */
    static byte[] ipv6(Token token) throws DisplayFilterException {
        if (token.kind() != Kind.WORD) {
            throw new DisplayFilterException(token.shown() + " is not a valid IPv6 address (write addresses without quotes)",
                    token.column(), token.length());
        }
        try {
            return Ipv6Address.parse(token.text()).toBytes();
        } catch (IllegalArgumentException notAnAddress) {
            throw new DisplayFilterException("\"" + token.text() + "\" is not a valid IPv6 address", token.column(), token.length());
        }
    }

    /** Bytes: a byte string ({@code aa:bb:cc}), or a quoted string's UTF-8 as tshark allows ({@code data.data == "hello"}). */
    static byte[] bytes(Token token) throws DisplayFilterException {
        if (token.kind() == Kind.STRING) {
            return token.text().getBytes(StandardCharsets.UTF_8);
        }
        String text = token.text();
        // A single byte may be written as a number, e.g. ip.src[0] == 0xc0.
        if (text.length() > 2 && (text.startsWith("0x") || text.startsWith("0X"))) {
            Long value = parseInteger(text);
            if (value != null && value <= 0xFF) {
                return new byte[] {(byte) (long) value};
            }
        }
        byte[] bytes = byteString(text);
        if (bytes == null) {
            throw new DisplayFilterException(token.shown() + " is not a valid byte string; write it like aa:bb:cc",
                    token.column(), token.length());
        }
        return bytes;
    }

    static String string(Token token) {
        return token.text();
    }

    /** Seconds with up to nine decimals, as nanoseconds ({@code frame.time_relative > 1.5}). */
    static long seconds(Token token, FieldDef def) throws DisplayFilterException {
        String text = token.text();
        boolean negative = text.startsWith("-");
        String unsigned = negative ? text.substring(1) : text;
        int dot = unsigned.indexOf('.');
        String whole = dot < 0 ? unsigned : unsigned.substring(0, dot);
        String fraction = dot < 0 ? "" : unsigned.substring(dot + 1);
        Long seconds = token.kind() == Kind.WORD && !whole.isEmpty() && whole.length() <= 10 ? parseDecimal(whole) : null;
        Long nanos = fraction.length() <= 9 ? (fraction.isEmpty() ? Long.valueOf(0) : parseDecimal(fraction)) : null;
        if (seconds == null || nanos == null) {
            throw new DisplayFilterException(token.shown() + " is not a valid time in seconds for " + def.name()
                    + " (write it like 1.5)", token.column(), token.length());
        }
        long total = seconds * 1_000_000_000L + nanos * pow10(9 - fraction.length());
        return negative ? -total : total;
    }

    // ---- helpers ----

    /** The number for a value name ({@code TCP} for ip.proto), quoted or not, or null. */
    private static Long valueByName(Token token, FieldDef def) {
        if (def.valueNames() == null || token.text().isEmpty() || (token.kind() == Kind.WORD && parseInteger(token.text()) != null)) {
            return null;
        }
        long limit = Math.min(maximum(def), 0xFFFF);
        for (long value = 0; value <= limit; value++) {
            String name;
            try {
                name = def.valueNames().apply(value);
            } catch (RuntimeException outsideTheTable) {
                // A name table indexed by value may not cover the field's whole range; no names lie beyond it.
                return null;
            }
            if (token.text().equals(name)) {
                return value;
            }
        }
        return null;
    }

    /** The largest value the field can hold, from its bit mask or hex width; 32 bits when neither says. */
    private static long maximum(FieldDef def) {
        if (def.bitmask() != 0) {
            return def.bitmask() >>> Long.numberOfTrailingZeros(def.bitmask());
        }
        if (def.base() == FieldDef.Base.HEX && def.hexDigits() > 0 && def.hexDigits() < 16) {
            return (1L << (4 * def.hexDigits())) - 1;
        }
        return 0xFFFF_FFFFL;
    }

    /** Like C's {@code strtoul(text, NULL, 0)} plus {@code 0b}, which is what tshark uses; null unless the whole text is a number. */
    static Long parseInteger(String text) {
        int radix = 10;
        int start = 0;
        if (text.length() > 2 && text.charAt(0) == '0' && (text.charAt(1) == 'x' || text.charAt(1) == 'X')) {
            radix = 16;
            start = 2;
        } else if (text.length() > 2 && text.charAt(0) == '0' && (text.charAt(1) == 'b' || text.charAt(1) == 'B')) {
            radix = 2;
            start = 2;
        } else if (text.length() > 1 && text.charAt(0) == '0') {
            radix = 8;
            start = 1;
        }
        if (start >= text.length() || text.length() - start > 64) {
            return null;
        }
        long value = 0;
        for (int i = start; i < text.length(); i++) {
            int digit = Character.digit(text.charAt(i), radix);
            if (digit < 0) {
                return null;
            }
            long next = value * radix + digit;
            if (Long.compareUnsigned(next, value) < 0 || (value != 0 && Long.divideUnsigned(next - digit, radix) != value)) {
                return null;
            }
            value = next;
        }
        return value;
    }

    private static Long parseDecimal(String text) {
        if (text.isEmpty() || text.length() > 18) {
            return null;
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static long pow10(int exponent) {
        long result = 1;
        for (int i = 0; i < exponent; i++) {
            result *= 10;
        }
        return result;
    }

    /**
     * Hex bytes with one kind of separator ({@code :}, {@code -} or {@code .}) or none; each group is an even
     * number of hex digits ({@code ff:ff}, {@code ffff.ffff.ffff}, {@code 68656c6c6f}) or a single digit
     * ({@code 6} is the byte 06, as in tshark). Null when the text is not one.
     */
    static byte[] byteString(String text) {
        char separator = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ':' || c == '-' || c == '.') {
                if (separator != 0 && c != separator) {
                    return null;
                }
                separator = c;
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int groupStart = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i < text.length() && text.charAt(i) != separator) {
                continue;
            }
            String group = text.substring(groupStart, i);
            if (group.isEmpty() || (group.length() % 2 == 1 && group.length() != 1)) {
                return null;
            }
            if (group.length() == 1) {
                group = "0" + group;
            }
            for (int j = 0; j < group.length(); j += 2) {
                int high = Character.digit(group.charAt(j), 16);
                int low = Character.digit(group.charAt(j + 1), 16);
                if (high < 0 || low < 0) {
                    return null;
                }
                out.write(high << 4 | low);
            }
            groupStart = i + 1;
        }
        return out.toByteArray();
    }
}
