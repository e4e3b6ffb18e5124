package dev.stacklab.wire;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One IPv4 option (RFC 791 section 3.1, "Options"). End of Option List, No Operation and Record
 * Route are understood; every other type is kept with its data, so a header's options always parse
 * back to the same bytes.
 */
public sealed interface Ipv4Option permits Ipv4Option.EndOfOptionList, Ipv4Option.NoOperation, Ipv4Option.RecordRoute,
        Ipv4Option.Other {

    int TYPE_END_OF_OPTION_LIST = 0;
    int TYPE_NO_OPERATION = 1;
    int TYPE_RECORD_ROUTE = 7;
    /** Record Route's pointer counts from the option's type byte, and the first slot is at 4 (RFC 791). */
    int RECORD_ROUTE_FIRST_POINTER = 4;

    int type();

    /** Bytes the option occupies. */
    int length();

    void emit(byte[] buffer, int offset);

    /** The single byte that ends the list; whatever follows it in the header is padding. */
    record EndOfOptionList() implements Ipv4Option {
        @Override
        public int type() {
            return TYPE_END_OF_OPTION_LIST;
        }

        @Override
        public int length() {
            return 1;
        }

        @Override
        public void emit(byte[] buffer, int offset) {
            buffer[offset] = TYPE_END_OF_OPTION_LIST;
        }
    }

    /** A single byte used to align the option after it. */
    record NoOperation() implements Ipv4Option {
        @Override
        public int type() {
            return TYPE_NO_OPERATION;
        }

        @Override
        public int length() {
            return 1;
        }

        @Override
        public void emit(byte[] buffer, int offset) {
            buffer[offset] = TYPE_NO_OPERATION;
        }
    }

    /**
     * Record Route: each router writes its address into the slot the pointer names and advances the
     * pointer by 4; {@code route} holds every slot, filled or not.
     *
     * @param pointer offset, from the option's type byte, of the next free slot (4 for the first)
     * @param route   the slots in order
     */
    record RecordRoute(int pointer, List<Ipv4Address> route) implements Ipv4Option {
        public RecordRoute {
            route = List.copyOf(route);
            if (3 + 4 * route.size() > 255) {
                throw new IllegalArgumentException("too many Record Route slots: " + route.size());
            }
        }

        /** The addresses already recorded (the slots before the pointer). */
        public List<Ipv4Address> recorded() {
            int filled = Math.max(0, Math.min(route.size(), (pointer - RECORD_ROUTE_FIRST_POINTER) / 4));
            return route.subList(0, filled);
        }

        @Override
        public int type() {
            return TYPE_RECORD_ROUTE;
        }

        @Override
        public int length() {
            return 3 + 4 * route.size();
        }

        @Override
        public void emit(byte[] buffer, int offset) {
            buffer[offset] = TYPE_RECORD_ROUTE;
            buffer[offset + 1] = (byte) length();
            buffer[offset + 2] = (byte) pointer;
            for (int i = 0; i < route.size(); i++) {
                route.get(i).write(buffer, offset + 3 + 4 * i);
            }
        }
    }

    /**
     * Any other option: the type byte and the data after the length byte. A Record Route whose
     * length is not 3 plus a multiple of 4 is also kept this way, so it round-trips.
     */
    record Other(int type, byte[] data) implements Ipv4Option {
        public Other {
            if (type < 0 || type > 0xFF || type == TYPE_END_OF_OPTION_LIST || type == TYPE_NO_OPERATION) {
                throw new IllegalArgumentException("not a type-length-value option type: " + type);
            }
            if (data.length > 253) {
                throw new IllegalArgumentException("option data longer than 253 bytes: " + data.length);
            }
            data = data.clone();
        }

        @Override
        public int length() {
            return 2 + data.length;
        }

        @Override
        public void emit(byte[] buffer, int offset) {
            buffer[offset] = (byte) type;
            buffer[offset + 1] = (byte) length();
            System.arraycopy(data, 0, buffer, offset + 2, data.length);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Other o && type == o.type && Arrays.equals(data, o.data);
        }

        @Override
        public int hashCode() {
            return 31 * type + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "Other[type=" + type + ", data=" + java.util.HexFormat.of().formatHex(data) + "]";
        }
    }

    /**
     * Parses the options area of a header. Parsing stops after End of Option List (the rest is
     * padding). Every option other than EOL and NOP must have a length byte, a length of at least 2,
     * and fit in the area.
     *
     * @throws MalformedPacketException naming the offending option's offset
     */
    static List<Ipv4Option> parseAll(byte[] bytes, int offset, int length) throws MalformedPacketException {
        List<Ipv4Option> options = new ArrayList<>(2);
        int at = offset;
        int end = offset + length;
        while (at < end) {
            int type = bytes[at] & 0xFF;
            if (type == TYPE_END_OF_OPTION_LIST) {
                options.add(new EndOfOptionList());
                break;
            }
            if (type == TYPE_NO_OPERATION) {
                options.add(new NoOperation());
                at++;
                continue;
            }
            int optionLength = checkedLength(bytes, at, end);
            if (type == TYPE_RECORD_ROUTE && optionLength >= 3 && (optionLength - 3) % 4 == 0) {
                List<Ipv4Address> route = new ArrayList<>((optionLength - 3) / 4);
                for (int slot = at + 3; slot < at + optionLength; slot += 4) {
                    route.add(Ipv4Address.read(bytes, slot));
                }
                options.add(new RecordRoute(bytes[at + 2] & 0xFF, route));
            } else {
                options.add(new Other(type, Arrays.copyOfRange(bytes, at + 2, at + optionLength)));
            }
            at += optionLength;
        }
        return options;
    }

    /** The length byte of the option at {@code at}, checked against RFC 791's rules and the end of the area. */
    private static int checkedLength(byte[] bytes, int at, int end) throws MalformedPacketException {
        if (at + 1 >= end) {
            throw new MalformedPacketException("IPv4", "ip.opt.len", at, "option type " + (bytes[at] & 0xFF)
                    + " has no length byte before the end of the options");
        }
        int optionLength = bytes[at + 1] & 0xFF;
        if (optionLength < 2) {
            throw new MalformedPacketException("IPv4", "ip.opt.len", at + 1, "option length " + optionLength
                    + " is less than 2");
        }
        if (at + optionLength > end) {
            throw new MalformedPacketException("IPv4", "ip.opt.len", at + 1, "option length " + optionLength
                    + " runs past the end of the options");
        }
        return optionLength;
    }
}
