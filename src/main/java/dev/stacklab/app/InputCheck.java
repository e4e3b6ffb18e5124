package dev.stacklab.app;

import dev.stacklab.wire.Ipv4Address;

import java.io.ByteArrayOutputStream;

/**
 * Reads what a user typed into a tool pane's fields, or says in one line what is wrong and how it should look
 * ("Port: '70000' is not a port number (1-65535)"). Every message starts with the field's label, so the user knows
 * which field to fix. View-models show the message in their pane; nothing here throws past them.
 */
public final class InputCheck {
    private InputCheck() {
    }

    /** What was wrong with the input, as the line to show the user. */
    public static final class InvalidInput extends Exception {
        public InvalidInput(String message) {
            super(message, null, false, false);
        }
    }

    public static Ipv4Address ipv4(String label, String text) throws InvalidInput {
        String value = trimmed(text);
        if (value.isEmpty()) {
            throw new InvalidInput(label + ": enter an IPv4 address such as 10.0.0.1");
        }
        try {
            return Ipv4Address.parse(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidInput(label + ": " + e.getMessage());
        }
    }

    /** A UDP or TCP port; with {@code zeroPicksFree}, 0 asks the stack for an ephemeral one. */
    public static int port(String label, String text, boolean zeroPicksFree) throws InvalidInput {
        String range = zeroPicksFree ? "0-65535, 0 picks a free one" : "1-65535";
        String value = trimmed(text);
        if (value.isEmpty()) {
            throw new InvalidInput(label + ": enter a port number (" + range + ")");
        }
        Long number = parseLong(value);
        if (number == null || number < (zeroPicksFree ? 0 : 1) || number > 65535) {
            throw new InvalidInput(label + ": '" + value + "' is not a port number (" + range + ")");
        }
        return number.intValue();
    }

    public static int wholeNumber(String label, String text, int min, int max, String unit) throws InvalidInput {
        String value = trimmed(text);
        String expected = "a whole number" + (unit.isEmpty() ? "" : " of " + unit) + " from " + min + " to " + max;
        if (value.isEmpty()) {
            throw new InvalidInput(label + ": enter " + expected);
        }
        Long number = parseLong(value);
        if (number == null || number < min || number > max) {
            throw new InvalidInput(label + ": '" + value + "' is not " + expected);
        }
        return number.intValue();
    }

    /** A duration in seconds, decimals allowed ("0.2"), as iputils' -i takes it. */
    public static double seconds(String label, String text, double min, double max) throws InvalidInput {
        String value = trimmed(text);
        String expected = "a number of seconds from " + plain(min) + " to " + plain(max);
        if (value.isEmpty()) {
            throw new InvalidInput(label + ": enter " + expected);
        }
        double number;
        try {
            number = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            number = Double.NaN;
        }
        if (!(number >= min && number <= max) || value.chars().anyMatch(Character::isLetter)) {
            throw new InvalidInput(label + ": '" + value + "' is not " + expected);
        }
        return number;
    }

    /** Bytes written as hex pairs; spaces, colons and line breaks between them are allowed ("de ad be ef"). */
    public static byte[] hex(String label, String text) throws InvalidInput {
        String value = text == null ? "" : text;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int digits = 0;
        int high = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ' ' || c == ':' || c == '\n' || c == '\r' || c == '\t') {
                continue;
            }
            int digit = Character.digit(c, 16);
            if (digit < 0) {
                throw new InvalidInput(label + ": '" + c + "' at character " + (i + 1)
                        + " is not a hex digit (write bytes as pairs of 0-9 and a-f, e.g. 48 69)");
            }
            if (digits % 2 == 0) {
                high = digit;
            } else {
                bytes.write(high << 4 | digit);
            }
            digits++;
        }
        if (digits % 2 != 0) {
            throw new InvalidInput(label + ": hex needs two digits per byte, but " + digits + " digits were given");
        }
        return bytes.toByteArray();
    }

    private static String trimmed(String text) {
        return text == null ? "" : text.strip();
    }

    private static Long parseLong(String value) {
        if (value.length() > 18 || !value.chars().allMatch(Character::isDigit)) {
            return null;
        }
        return Long.parseLong(value);
    }

    private static String plain(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
