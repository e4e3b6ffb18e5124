package dev.stacklab.wire;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * One TCP option (RFC 9293 section 3.2). Kinds 0 and 1 are a single byte; every other kind is
 * kind, length (counting both), data. Kinds stacklab does not model are kept raw as {@link Unknown}.
 */
public sealed interface TcpOption {
    int KIND_END_OF_LIST = 0;
    int KIND_NO_OPERATION = 1;
    int KIND_MAXIMUM_SEGMENT_SIZE = 2;
    int KIND_WINDOW_SCALE = 3;
    int KIND_SACK_PERMITTED = 4;
    int KIND_SACK = 5;
    int KIND_TIMESTAMPS = 8;

    int LENGTH_MAXIMUM_SEGMENT_SIZE = 4;
    int LENGTH_WINDOW_SCALE = 3;
    int LENGTH_SACK_PERMITTED = 2;
    int LENGTH_TIMESTAMPS = 10;
    /** Each SACK block is a left and a right edge of 32 bits (RFC 2018 section 3). */
    int SACK_BLOCK_LENGTH = 8;

    /** End of option list (kind 0): the rest of the header is padding. */
    record EndOfList() implements TcpOption {
    }

    /** No-operation (kind 1), used to align the next option. */
    record NoOperation() implements TcpOption {
    }

    /** The one end-of-list option every parse hands out (it carries nothing, so one is as good as another). */
    EndOfList END_OF_LIST = new EndOfList();
    /** The one no-operation option every parse and every segment of the engine uses. */
    NoOperation NO_OPERATION = new NoOperation();

    /** Maximum segment size (kind 2, RFC 9293 section 3.7.1), only in SYN segments. */
    record MaximumSegmentSize(int value) implements TcpOption {
        public MaximumSegmentSize {
            if (value < 0 || value > 0xFFFF) {
                throw new IllegalArgumentException("MSS out of range: " + value);
            }
        }
    }

    /** Window scale (kind 3, RFC 7323 section 2): the receive window is shifted left by {@code shift}. */
    record WindowScale(int shift) implements TcpOption {
        public WindowScale {
            if (shift < 0 || shift > 0xFF) {
                throw new IllegalArgumentException("window scale shift out of range: " + shift);
            }
        }
    }

    /** SACK permitted (kind 4, RFC 2018 section 2). */
    record SackPermitted() implements TcpOption {
    }

    /** One block of received data a SACK reports: {@code [left, right)} in sequence space. */
    record SackBlock(long left, long right) {
        public SackBlock {
            if (left < 0 || left > 0xFFFF_FFFFL || right < 0 || right > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("SACK edge out of range: " + left + "-" + right);
            }
        }
    }

    /** SACK (kind 5, RFC 2018 section 3): one to four blocks of data received out of order. */
    record Sack(List<SackBlock> blocks) implements TcpOption {
        public Sack {
            blocks = List.copyOf(blocks);
            if (blocks.isEmpty() || blocks.size() > 4) {
                throw new IllegalArgumentException("a SACK option carries 1 to 4 blocks, not " + blocks.size());
            }
        }
    }

    /** Timestamps (kind 8, RFC 7323 section 3). */
    record Timestamps(long value, long echoReply) implements TcpOption {
        public Timestamps {
            if (value < 0 || value > 0xFFFF_FFFFL || echoReply < 0 || echoReply > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("timestamp out of range: " + value + ", " + echoReply);
            }
        }
    }

    /** Any other kind, with its data (the bytes after kind and length). Compares by value; the data is copied in and out. */
    record Unknown(int kind, byte[] data) implements TcpOption {
        public Unknown {
            if (kind < 2 || kind > 0xFF || data.length > 0xFF - 2) {
                throw new IllegalArgumentException("unknown option kind " + kind + " with " + data.length + " bytes");
            }
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Unknown that && kind == that.kind && Arrays.equals(data, that.data);
        }

        @Override
        public int hashCode() {
            return 31 * kind + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "Unknown[kind=" + kind + ", data=" + HexFormat.of().formatHex(data) + "]";
        }
    }

    /** Bytes the option takes in the header. */
    default int length() {
        if (this instanceof EndOfList || this instanceof NoOperation) {
            return 1;
        } else if (this instanceof MaximumSegmentSize) {
            return LENGTH_MAXIMUM_SEGMENT_SIZE;
        } else if (this instanceof WindowScale) {
            return LENGTH_WINDOW_SCALE;
        } else if (this instanceof SackPermitted) {
            return LENGTH_SACK_PERMITTED;
        } else if (this instanceof Sack sack) {
            return 2 + SACK_BLOCK_LENGTH * sack.blocks().size();
        } else if (this instanceof Timestamps) {
            return LENGTH_TIMESTAMPS;
        }
        return 2 + ((Unknown) this).data.length;
    }

    default int kind() {
        if (this instanceof EndOfList) {
            return KIND_END_OF_LIST;
        } else if (this instanceof NoOperation) {
            return KIND_NO_OPERATION;
        } else if (this instanceof MaximumSegmentSize) {
            return KIND_MAXIMUM_SEGMENT_SIZE;
        } else if (this instanceof WindowScale) {
            return KIND_WINDOW_SCALE;
        } else if (this instanceof SackPermitted) {
            return KIND_SACK_PERMITTED;
        } else if (this instanceof Sack) {
            return KIND_SACK;
        } else if (this instanceof Timestamps) {
            return KIND_TIMESTAMPS;
        }
        return ((Unknown) this).kind();
    }

    /** Writes the option at {@code offset}. */
    default void emit(byte[] buffer, int offset) {
        BigEndian.putU8(buffer, offset, kind());
        if (this instanceof EndOfList || this instanceof NoOperation) {
            return;
        }
        BigEndian.putU8(buffer, offset + 1, length());
        if (this instanceof MaximumSegmentSize mss) {
            BigEndian.putU16(buffer, offset + 2, mss.value());
        } else if (this instanceof WindowScale scale) {
            BigEndian.putU8(buffer, offset + 2, scale.shift());
        } else if (this instanceof Sack sack) {
            int at = offset + 2;
            for (SackBlock block : sack.blocks()) {
                BigEndian.putU32(buffer, at, block.left());
                BigEndian.putU32(buffer, at + 4, block.right());
                at += SACK_BLOCK_LENGTH;
            }
        } else if (this instanceof Timestamps timestamps) {
            BigEndian.putU32(buffer, offset + 2, timestamps.value());
            BigEndian.putU32(buffer, offset + 6, timestamps.echoReply());
        } else if (this instanceof Unknown unknown) {
            System.arraycopy(unknown.data, 0, buffer, offset + 2, unknown.data.length);
        }
    }

    /**
     * The length of the option at {@code offset}, after checking it fits before {@code end} and has
     * the length its kind requires. Reads nothing past {@code end}.
     *
     * @throws MalformedPacketException for a length byte missing, under 2, past the end, or wrong for the kind
     */
    static int checkedLength(byte[] bytes, int offset, int end) throws MalformedPacketException {
        int kind = BigEndian.u8(bytes, offset);
        if (kind == KIND_END_OF_LIST || kind == KIND_NO_OPERATION) {
            return 1;
        }
        if (offset + 1 >= end) {
            throw new MalformedPacketException("TCP", "tcp.option_len", offset,
                    "option kind " + kind + " has no room for its length byte");
        }
        int length = BigEndian.u8(bytes, offset + 1);
        if (length < 2) {
            throw new MalformedPacketException("TCP", "tcp.option_len", offset + 1,
                    "option kind " + kind + " has length " + length + ", less than 2");
        }
        if (length > end - offset) {
            throw new MalformedPacketException("TCP", "tcp.option_len", offset + 1,
                    "option kind " + kind + " has length " + length + ", past the end of the options");
        }
        boolean valid = switch (kind) {
            case KIND_MAXIMUM_SEGMENT_SIZE -> length == LENGTH_MAXIMUM_SEGMENT_SIZE;
            case KIND_WINDOW_SCALE -> length == LENGTH_WINDOW_SCALE;
            case KIND_SACK_PERMITTED -> length == LENGTH_SACK_PERMITTED;
            case KIND_SACK -> length > 2 && (length - 2) % SACK_BLOCK_LENGTH == 0 && length <= 2 + 4 * SACK_BLOCK_LENGTH;
            case KIND_TIMESTAMPS -> length == LENGTH_TIMESTAMPS;
            default -> true;
        };
        if (!valid) {
            throw new MalformedPacketException("TCP", "tcp.option_len", offset + 1,
                    "option kind " + kind + " has invalid length " + length);
        }
        return length;
    }

    /**
     * Reads the option at {@code offset}, which must end by {@code end}.
     *
     * @throws MalformedPacketException as {@link #checkedLength}
     */
    static TcpOption read(byte[] bytes, int offset, int end) throws MalformedPacketException {
        int length = checkedLength(bytes, offset, end);
        int kind = BigEndian.u8(bytes, offset);
        switch (kind) {
            case KIND_END_OF_LIST:
                return END_OF_LIST;
            case KIND_NO_OPERATION:
                return NO_OPERATION;
            case KIND_MAXIMUM_SEGMENT_SIZE:
                return new MaximumSegmentSize(BigEndian.u16(bytes, offset + 2));
            case KIND_WINDOW_SCALE:
                return new WindowScale(BigEndian.u8(bytes, offset + 2));
            case KIND_SACK_PERMITTED:
                return new SackPermitted();
            case KIND_SACK: {
                List<SackBlock> blocks = new ArrayList<>(4);
                for (int at = offset + 2; at < offset + length; at += SACK_BLOCK_LENGTH) {
                    blocks.add(new SackBlock(BigEndian.u32(bytes, at), BigEndian.u32(bytes, at + 4)));
                }
                return new Sack(blocks);
            }
            case KIND_TIMESTAMPS:
                return new Timestamps(BigEndian.u32(bytes, offset + 2), BigEndian.u32(bytes, offset + 6));
            default:
                return new Unknown(kind, Arrays.copyOfRange(bytes, offset + 2, offset + length));
        }
    }

    /**
     * Reads every option in {@code [offset, end)}, stopping after an end-of-list option (RFC 9293
     * section 3.1: what follows it is padding).
     *
     * @throws MalformedPacketException for any illegal option length
     */
    static List<TcpOption> readAll(byte[] bytes, int offset, int end) throws MalformedPacketException {
        if (offset >= end) {
            return List.of();
        }
        // At most 40 bytes of options, so at most 40 options; an unmodifiable list, which a TcpRepr keeps without a copy.
        TcpOption[] options = new TcpOption[end - offset];
        int count = 0;
        int at = offset;
        while (at < end) {
            TcpOption option = read(bytes, at, end);
            options[count++] = option;
            at += option.length();
            if (option instanceof EndOfList) {
                break;
            }
        }
        return List.of(Arrays.copyOf(options, count));
    }
}
