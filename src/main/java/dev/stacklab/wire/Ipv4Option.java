package dev.stacklab.wire;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One IPv4 option (RFC 791 section 3.1, "Options"). End of Option List, No Operation, Record Route,
 * Timestamp and the two source routes are understood; every other type, and any of these whose
 * length does not fit its format, is kept with its data, so a header's options always parse back to
 * the same bytes.
 *
 * <p>Parsing checks only what is needed to find where each option ends. What RFC 791 further
 * requires of a pointer or a flag is reported by {@link #malformedByte()}, so that a dissector can
 * still show such an option and a host can answer it with a Parameter Problem naming the byte.
 */
public sealed interface Ipv4Option permits Ipv4Option.EndOfOptionList, Ipv4Option.NoOperation, Ipv4Option.RecordRoute,
        Ipv4Option.Timestamp, Ipv4Option.SourceRoute, Ipv4Option.Other {

    int TYPE_END_OF_OPTION_LIST = 0;
    int TYPE_NO_OPERATION = 1;
    int TYPE_RECORD_ROUTE = 7;
    int TYPE_TIMESTAMP = 68;
    int TYPE_LOOSE_SOURCE_ROUTE = 131;
    int TYPE_STRICT_SOURCE_ROUTE = 137;
    /** The type's top bit (RFC 791): the option is copied into every fragment, not only the first. */
    int COPIED_FLAG = 0x80;
    /** A route's pointer counts from the option's type byte, and the first slot is at 4 (RFC 791). */
    int RECORD_ROUTE_FIRST_POINTER = 4;
    /** The Timestamp option's first entry follows its overflow and flag byte, at 5 (RFC 791). */
    int TIMESTAMP_FIRST_POINTER = 5;
    /** Timestamp flag 0: each module writes a timestamp. */
    int TIMESTAMP_ONLY = 0;
    /** Timestamp flag 1: each module writes its address and a timestamp. */
    int TIMESTAMP_WITH_ADDRESS = 1;
    /** Timestamp flag 3: the addresses are given; only the module named next writes its timestamp. */
    int TIMESTAMP_PRESPECIFIED = 3;
    /** The Timestamp overflow counter is four bits (RFC 791). */
    int TIMESTAMP_MAX_OVERFLOW = 15;

    int type();

    /** Bytes the option occupies. */
    int length();

    void emit(byte[] buffer, int offset);

    /** True for an option a fragmenting module copies into every fragment (RFC 791 section 3.2, "Fragmentation"). */
    default boolean copiedIntoFragments() {
        return (type() & COPIED_FLAG) != 0;
    }

    /**
     * The offset within this option of the first byte whose value RFC 791 does not allow (a pointer
     * before the first slot or between slots, an undefined timestamp flag, a length that does not
     * fit the option's format), or -1 when there is none: what a Parameter Problem points at.
     */
    default int malformedByte() {
        return -1;
    }

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
            route = checkedRoute(pointer, route);
        }

        /** The addresses already recorded (the slots before the pointer). */
        public List<Ipv4Address> recorded() {
            return recordedSlots(pointer, route);
        }

        /** No slot left: RFC 791 says the datagram then goes on without this module's address. */
        public boolean full() {
            return pointer > length();
        }

        /**
         * This option with {@code address} written into the slot the pointer names and the pointer moved on.
         *
         * @throws IllegalStateException when the option is {@link #full()} or its pointer is malformed
         */
        public RecordRoute withRecorded(Ipv4Address address) {
            return new RecordRoute(pointer + 4, routeWithSlot(pointer, route, address));
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
        public int malformedByte() {
            return routePointerProblem(pointer, length());
        }

        @Override
        public void emit(byte[] buffer, int offset) {
            emitRoute(buffer, offset, TYPE_RECORD_ROUTE, pointer, route);
        }
    }

    /**
     * Loose or Strict Source and Record Route (RFC 791): the sender lists the hops; each one named in
     * the destination field replaces it with the next address in the list and writes its own address
     * into that slot, so when the pointer has passed the last slot ({@link #complete()}) the slots
     * hold the route the datagram took.
     *
     * @param strict  true for Strict Source Route (type 137), where each hop must be directly connected to the next
     * @param pointer offset, from the option's type byte, of the next address to visit (4 for the first)
     * @param route   the slots in order
     */
    record SourceRoute(boolean strict, int pointer, List<Ipv4Address> route) implements Ipv4Option {
        public SourceRoute {
            route = checkedRoute(pointer, route);
        }

        /** The hops already passed, as they recorded themselves (the slots before the pointer). */
        public List<Ipv4Address> recorded() {
            return recordedSlots(pointer, route);
        }

        /** True when the datagram has reached the end of its route, its final destination (RFC 1122 3.2.1.8c). */
        public boolean complete() {
            return pointer > length();
        }

        /**
         * The address the datagram is to visit after the one in its destination field.
         *
         * @throws IllegalStateException when the route is {@link #complete()} or its pointer is malformed
         */
        public Ipv4Address nextHop() {
            if (complete() || malformedByte() >= 0) {
                throw new IllegalStateException("no next hop at pointer " + pointer + " in a route of " + route.size());
            }
            return route.get((pointer - RECORD_ROUTE_FIRST_POINTER) / 4);
        }

        @Override
        public int type() {
            return strict ? TYPE_STRICT_SOURCE_ROUTE : TYPE_LOOSE_SOURCE_ROUTE;
        }

        @Override
        public int length() {
            return 3 + 4 * route.size();
        }

        @Override
        public int malformedByte() {
            return routePointerProblem(pointer, length());
        }

        @Override
        public void emit(byte[] buffer, int offset) {
            emitRoute(buffer, offset, type(), pointer, route);
        }
    }

    /**
     * Internet Timestamp (RFC 791): each module writes a timestamp (flag 0), its address and a
     * timestamp (flag 1), or a timestamp against its own prespecified address (flag 3) into the entry
     * the pointer names; a module that finds no room counts itself in the overflow field instead.
     * Timestamps are milliseconds since midnight UT, or any value with the top bit set when that
     * time is not available.
     *
     * @param pointer    offset, from the option's type byte, of the next free entry (5 for the first)
     * @param overflow   how many modules found no room, 0-15
     * @param flag       {@link #TIMESTAMP_ONLY}, {@link #TIMESTAMP_WITH_ADDRESS} or {@link #TIMESTAMP_PRESPECIFIED}
     * @param addresses  each entry's address: empty for flag 0, else one per timestamp
     * @param timestamps each entry's timestamp, 32 bits unsigned
     */
    record Timestamp(int pointer, int overflow, int flag, List<Ipv4Address> addresses, List<Long> timestamps)
            implements Ipv4Option {
        public Timestamp {
            if (pointer < 0 || pointer > 0xFF || overflow < 0 || overflow > TIMESTAMP_MAX_OVERFLOW) {
                throw new IllegalArgumentException("pointer " + pointer + " / overflow " + overflow + " out of range");
            }
            if (flag != TIMESTAMP_ONLY && flag != TIMESTAMP_WITH_ADDRESS && flag != TIMESTAMP_PRESPECIFIED) {
                throw new IllegalArgumentException("timestamp flag " + flag + " is not 0, 1 or 3");
            }
            addresses = List.copyOf(addresses);
            timestamps = List.copyOf(timestamps);
            if (addresses.size() != (flag == TIMESTAMP_ONLY ? 0 : timestamps.size())) {
                throw new IllegalArgumentException(addresses.size() + " addresses for " + timestamps.size()
                        + " timestamps with flag " + flag);
            }
            for (long timestamp : timestamps) {
                if (timestamp < 0 || timestamp > 0xFFFF_FFFFL) {
                    throw new IllegalArgumentException("timestamp is not 32 bits unsigned: " + timestamp);
                }
            }
            if (4 + 4 * (addresses.size() + timestamps.size()) > 255) {
                throw new IllegalArgumentException("too many timestamp entries: " + timestamps.size());
            }
        }

        /** Bytes per entry: a timestamp, or an address and a timestamp. */
        public int entryLength() {
            return flag == TIMESTAMP_ONLY ? 4 : 8;
        }

        /** No entry left: RFC 791 says the module then increments the overflow count instead. */
        public boolean full() {
            return pointer > length();
        }

        /**
         * This option as the module at {@code address} leaves it at {@code timestamp} (RFC 791): its
         * entry written and the pointer moved on; for flag 3 only when the next prespecified address is
         * {@code address}, else unchanged; when {@link #full()}, the overflow count incremented.
         *
         * @throws IllegalStateException when full with the overflow count already at 15 (RFC 791: the
         *                               datagram is then discarded), or when the pointer is malformed
         */
        public Timestamp stampedBy(Ipv4Address address, long timestamp) {
            if (full()) {
                if (overflow == TIMESTAMP_MAX_OVERFLOW) {
                    throw new IllegalStateException("timestamp overflow count is already " + TIMESTAMP_MAX_OVERFLOW);
                }
                return new Timestamp(pointer, overflow + 1, flag, addresses, timestamps);
            }
            if (malformedByte() >= 0) {
                throw new IllegalStateException("timestamp pointer " + pointer + " is malformed");
            }
            int entry = (pointer - TIMESTAMP_FIRST_POINTER) / entryLength();
            if (flag == TIMESTAMP_PRESPECIFIED && !addresses.get(entry).equals(address)) {
                return this;
            }
            List<Long> newTimestamps = new ArrayList<>(timestamps);
            newTimestamps.set(entry, timestamp);
            List<Ipv4Address> newAddresses = addresses;
            if (flag == TIMESTAMP_WITH_ADDRESS) {
                newAddresses = new ArrayList<>(addresses);
                newAddresses.set(entry, address);
            }
            return new Timestamp(pointer + entryLength(), overflow, flag, newAddresses, newTimestamps);
        }

        @Override
        public int type() {
            return TYPE_TIMESTAMP;
        }

        @Override
        public int length() {
            return 4 + 4 * (addresses.size() + timestamps.size());
        }

        @Override
        public int malformedByte() {
            boolean offSlot = pointer <= length() && (pointer - TIMESTAMP_FIRST_POINTER) % entryLength() != 0;
            return pointer < TIMESTAMP_FIRST_POINTER || offSlot ? 2 : -1;
        }

        @Override
        public void emit(byte[] buffer, int offset) {
            buffer[offset] = (byte) TYPE_TIMESTAMP;
            buffer[offset + 1] = (byte) length();
            buffer[offset + 2] = (byte) pointer;
            buffer[offset + 3] = (byte) (overflow << 4 | flag);
            int at = offset + 4;
            for (int i = 0; i < timestamps.size(); i++) {
                if (flag != TIMESTAMP_ONLY) {
                    addresses.get(i).write(buffer, at);
                    at += 4;
                }
                BigEndian.putI32(buffer, at, timestamps.get(i).intValue());
                at += 4;
            }
        }
    }

    /**
     * Any other option: the type byte and the data after the length byte. A route whose length is
     * not 3 plus a multiple of 4, or a Timestamp whose flag is undefined or whose length does not
     * hold whole entries, is also kept this way, so it round-trips; {@link #malformedByte()} says
     * what is wrong with it.
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
        public int malformedByte() {
            if (type == TYPE_TIMESTAMP && data.length >= 2 && !isTimestampFlag(data[1] & 0x0F)) {
                return 3;
            }
            boolean formatted = type == TYPE_RECORD_ROUTE || type == TYPE_TIMESTAMP
                    || type == TYPE_LOOSE_SOURCE_ROUTE || type == TYPE_STRICT_SOURCE_ROUTE;
            // One of these types is only kept as Other when its length does not fit its format.
            return formatted ? 1 : -1;
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
    public static List<Ipv4Option> parseAll(byte[] bytes, int offset, int length) throws MalformedPacketException {
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
            options.add(parseOne(bytes, at, type, optionLength));
            at += optionLength;
        }
        return options;
    }

    /** One type-length-value option, typed when its length fits its type's format, else {@link Other}. */
    private static Ipv4Option parseOne(byte[] bytes, int at, int type, int optionLength) {
        boolean routeShaped = optionLength >= 3 && (optionLength - 3) % 4 == 0;
        if (routeShaped && (type == TYPE_RECORD_ROUTE || type == TYPE_LOOSE_SOURCE_ROUTE || type == TYPE_STRICT_SOURCE_ROUTE)) {
            List<Ipv4Address> route = new ArrayList<>((optionLength - 3) / 4);
            for (int slot = at + 3; slot < at + optionLength; slot += 4) {
                route.add(Ipv4Address.read(bytes, slot));
            }
            int pointer = bytes[at + 2] & 0xFF;
            return type == TYPE_RECORD_ROUTE ? new RecordRoute(pointer, route)
                    : new SourceRoute(type == TYPE_STRICT_SOURCE_ROUTE, pointer, route);
        }
        if (type == TYPE_TIMESTAMP && optionLength >= 4) {
            int flag = bytes[at + 3] & 0x0F;
            int entryLength = flag == TIMESTAMP_ONLY ? 4 : 8;
            if (isTimestampFlag(flag) && (optionLength - 4) % entryLength == 0) {
                List<Ipv4Address> addresses = new ArrayList<>();
                List<Long> timestamps = new ArrayList<>();
                for (int entry = at + 4; entry < at + optionLength; entry += entryLength) {
                    if (flag != TIMESTAMP_ONLY) {
                        addresses.add(Ipv4Address.read(bytes, entry));
                    }
                    timestamps.add(BigEndian.u32(bytes, entry + entryLength - 4));
                }
                return new Timestamp(bytes[at + 2] & 0xFF, (bytes[at + 3] & 0xFF) >>> 4, flag, addresses, timestamps);
            }
        }
        return new Other(type, Arrays.copyOfRange(bytes, at + 2, at + optionLength));
    }

    private static boolean isTimestampFlag(int flag) {
        return flag == TIMESTAMP_ONLY || flag == TIMESTAMP_WITH_ADDRESS || flag == TIMESTAMP_PRESPECIFIED;
    }

    /**
     * The options area for {@code options}: their bytes in order, padded with zeros (End of Option
     * List) to a multiple of 4, as the IHL field counts 32-bit words.
     *
     * @throws IllegalArgumentException when they need more than the 40 bytes a header has room for
     */
    static byte[] layOut(List<Ipv4Option> options) {
        int length = 0;
        for (Ipv4Option option : options) {
            length += option.length();
        }
        if (length > Ipv4Packet.MAX_HEADER_LENGTH - Ipv4Packet.MIN_HEADER_LENGTH) {
            throw new IllegalArgumentException("options of " + length + " bytes do not fit in the 40-byte options area");
        }
        byte[] area = new byte[(length + 3) / 4 * 4];
        int at = 0;
        for (Ipv4Option option : options) {
            option.emit(area, at);
            at += option.length();
        }
        return area;
    }

    /** A route's slots, checked to fit in an option (RFC 791: the length is one byte). */
    private static List<Ipv4Address> checkedRoute(int pointer, List<Ipv4Address> route) {
        if (pointer < 0 || pointer > 0xFF) {
            throw new IllegalArgumentException("pointer out of range: " + pointer);
        }
        if (3 + 4 * route.size() > 255) {
            throw new IllegalArgumentException("too many route slots: " + route.size());
        }
        return List.copyOf(route);
    }

    private static List<Ipv4Address> recordedSlots(int pointer, List<Ipv4Address> route) {
        int filled = Math.max(0, Math.min(route.size(), (pointer - RECORD_ROUTE_FIRST_POINTER) / 4));
        return route.subList(0, filled);
    }

    private static List<Ipv4Address> routeWithSlot(int pointer, List<Ipv4Address> route, Ipv4Address address) {
        if (pointer > 3 + 4 * route.size() || routePointerProblem(pointer, 3 + 4 * route.size()) >= 0) {
            throw new IllegalStateException("no free slot at pointer " + pointer + " in a route of " + route.size());
        }
        List<Ipv4Address> filled = new ArrayList<>(route);
        filled.set((pointer - RECORD_ROUTE_FIRST_POINTER) / 4, address);
        return filled;
    }

    /** RFC 791: a route's pointer is at least 4 and, while slots remain, names the start of one. */
    private static int routePointerProblem(int pointer, int length) {
        boolean offSlot = pointer <= length && (pointer - RECORD_ROUTE_FIRST_POINTER) % 4 != 0;
        return pointer < RECORD_ROUTE_FIRST_POINTER || offSlot ? 2 : -1;
    }

    private static void emitRoute(byte[] buffer, int offset, int type, int pointer, List<Ipv4Address> route) {
        buffer[offset] = (byte) type;
        buffer[offset + 1] = (byte) (3 + 4 * route.size());
        buffer[offset + 2] = (byte) pointer;
        for (int i = 0; i < route.size(); i++) {
            route.get(i).write(buffer, offset + 3 + 4 * i);
        }
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
