package dev.stacklab.wire;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The meaning of an ICMPv4 message (RFC 792). Each message kind keeps exactly the fields it
 * defines; a message whose "unused" bytes are not zero, or whose type stacklab does not model, is
 * kept as {@link Other} with its raw header word, so parse then emit reproduces every byte.
 */
public sealed interface Icmpv4Repr {

    /** Echo request (type 8): identifier, sequence number and the data the reply must carry back. */
    record EchoRequest(int identifier, int sequenceNumber, byte[] data) implements Icmpv4Repr {
        public EchoRequest {
            requireU16(identifier, "identifier");
            requireU16(sequenceNumber, "sequence number");
            data = data.clone();
        }

        /** A copy: the record's bytes are its own. */
        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof EchoRequest o && identifier == o.identifier && sequenceNumber == o.sequenceNumber
                    && Arrays.equals(data, o.data);
        }

        @Override
        public int hashCode() {
            return 31 * Objects.hash(identifier, sequenceNumber) + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "EchoRequest[" + "identifier=" + identifier + ", " + "sequenceNumber=" + sequenceNumber
                    + ", data=" + HexFormat.of().formatHex(data) + "]";
        }
    }

    /** Echo reply (type 0). */
    record EchoReply(int identifier, int sequenceNumber, byte[] data) implements Icmpv4Repr {
        public EchoReply {
            requireU16(identifier, "identifier");
            requireU16(sequenceNumber, "sequence number");
            data = data.clone();
        }

        /** A copy: the record's bytes are its own. */
        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof EchoReply o && identifier == o.identifier && sequenceNumber == o.sequenceNumber
                    && Arrays.equals(data, o.data);
        }

        @Override
        public int hashCode() {
            return 31 * Objects.hash(identifier, sequenceNumber) + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "EchoReply[" + "identifier=" + identifier + ", " + "sequenceNumber=" + sequenceNumber
                    + ", data=" + HexFormat.of().formatHex(data) + "]";
        }
    }

    /**
     * Destination unreachable (type 3) with any code. {@code nextHopMtu} is meaningful for code 4
     * (RFC 1191 section 4) and zero otherwise; {@code quoted} is the original datagram's IP header
     * and the start of its data.
     */
    record DestinationUnreachable(int code, int nextHopMtu, byte[] quoted) implements Icmpv4Repr {
        public DestinationUnreachable {
            requireU8(code, "code");
            requireU16(nextHopMtu, "next-hop MTU");
            quoted = quoted.clone();
        }

        /** A copy: the record's bytes are its own. */
        @Override
        public byte[] quoted() {
            return quoted.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof DestinationUnreachable o && code == o.code && nextHopMtu == o.nextHopMtu
                    && Arrays.equals(quoted, o.quoted);
        }

        @Override
        public int hashCode() {
            return 31 * Objects.hash(code, nextHopMtu) + Arrays.hashCode(quoted);
        }

        @Override
        public String toString() {
            return "DestinationUnreachable[" + "code=" + code + ", " + "nextHopMtu=" + nextHopMtu
                    + ", quoted=" + HexFormat.of().formatHex(quoted) + "]";
        }
    }

    /** Time exceeded (type 11): code 0 TTL exceeded in transit, code 1 fragment reassembly time exceeded. */
    record TimeExceeded(int code, byte[] quoted) implements Icmpv4Repr {
        public TimeExceeded {
            requireU8(code, "code");
            quoted = quoted.clone();
        }

        /** A copy: the record's bytes are its own. */
        @Override
        public byte[] quoted() {
            return quoted.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof TimeExceeded o && code == o.code
                    && Arrays.equals(quoted, o.quoted);
        }

        @Override
        public int hashCode() {
            return 31 * Objects.hash(code) + Arrays.hashCode(quoted);
        }

        @Override
        public String toString() {
            return "TimeExceeded[" + "code=" + code
                    + ", quoted=" + HexFormat.of().formatHex(quoted) + "]";
        }
    }

    /** Parameter problem (type 12): {@code pointer} names the octet of the quoted header that was wrong. */
    record ParameterProblem(int code, int pointer, byte[] quoted) implements Icmpv4Repr {
        public ParameterProblem {
            requireU8(code, "code");
            requireU8(pointer, "pointer");
            quoted = quoted.clone();
        }

        /** A copy: the record's bytes are its own. */
        @Override
        public byte[] quoted() {
            return quoted.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof ParameterProblem o && code == o.code && pointer == o.pointer
                    && Arrays.equals(quoted, o.quoted);
        }

        @Override
        public int hashCode() {
            return 31 * Objects.hash(code, pointer) + Arrays.hashCode(quoted);
        }

        @Override
        public String toString() {
            return "ParameterProblem[" + "code=" + code + ", " + "pointer=" + pointer
                    + ", quoted=" + HexFormat.of().formatHex(quoted) + "]";
        }
    }

    /** Any other message, kept as it came: the type-specific word and the body uninterpreted. */
    record Other(int type, int code, long restOfHeader, byte[] body) implements Icmpv4Repr {
        public Other {
            requireU8(type, "type");
            requireU8(code, "code");
            if (restOfHeader < 0 || restOfHeader > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("rest of header out of range: " + restOfHeader);
            }
            body = body.clone();
        }

        /** A copy: the record's bytes are its own. */
        @Override
        public byte[] body() {
            return body.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Other o && type == o.type && code == o.code && restOfHeader == o.restOfHeader
                    && Arrays.equals(body, o.body);
        }

        @Override
        public int hashCode() {
            return 31 * Objects.hash(type, code, restOfHeader) + Arrays.hashCode(body);
        }

        @Override
        public String toString() {
            return "Other[" + "type=" + type + ", " + "code=" + code + ", " + "restOfHeader=" + restOfHeader
                    + ", body=" + HexFormat.of().formatHex(body) + "]";
        }
    }

    /**
     * The meaning of a message, after checking its checksum.
     *
     * @throws MalformedPacketException when the checksum is wrong
     */
    static Icmpv4Repr parse(Icmpv4Packet packet) throws MalformedPacketException {
        if (!packet.checksumValid()) {
            throw new MalformedPacketException("ICMPv4", "icmp.checksum", packet.offset() + Icmpv4Packet.CHECKSUM,
                    "bad checksum 0x" + Integer.toHexString(packet.checksum()) + ", expected 0x"
                            + Integer.toHexString(packet.computeChecksum()));
        }
        byte[] bytes = packet.bytes();
        byte[] body = Arrays.copyOfRange(bytes, packet.bodyOffset(), packet.bodyOffset() + packet.bodyLength());
        int type = packet.type();
        int code = packet.code();
        long rest = packet.restOfHeader();
        switch (type) {
            case Icmpv4Packet.TYPE_ECHO_REQUEST:
                if (code == 0) {
                    return new EchoRequest(packet.identifier(), packet.sequenceNumber(), body);
                }
                break;
            case Icmpv4Packet.TYPE_ECHO_REPLY:
                if (code == 0) {
                    return new EchoReply(packet.identifier(), packet.sequenceNumber(), body);
                }
                break;
            case Icmpv4Packet.TYPE_DESTINATION_UNREACHABLE:
                // RFC 1191 section 4: only code 4 carries the next-hop MTU; the rest of the word is unused.
                if ((rest >>> 16) == 0 && (code == Icmpv4Packet.CODE_FRAGMENTATION_NEEDED || rest == 0)) {
                    return new DestinationUnreachable(code, (int) rest, body);
                }
                break;
            case Icmpv4Packet.TYPE_TIME_EXCEEDED:
                if (rest == 0) {
                    return new TimeExceeded(code, body);
                }
                break;
            case Icmpv4Packet.TYPE_PARAMETER_PROBLEM:
                if ((rest & 0x00FF_FFFFL) == 0) {
                    return new ParameterProblem(code, packet.pointer(), body);
                }
                break;
            default:
                break;
        }
        return new Other(type, code, rest, body);
    }

    default int type() {
        if (this instanceof EchoRequest) {
            return Icmpv4Packet.TYPE_ECHO_REQUEST;
        } else if (this instanceof EchoReply) {
            return Icmpv4Packet.TYPE_ECHO_REPLY;
        } else if (this instanceof DestinationUnreachable) {
            return Icmpv4Packet.TYPE_DESTINATION_UNREACHABLE;
        } else if (this instanceof TimeExceeded) {
            return Icmpv4Packet.TYPE_TIME_EXCEEDED;
        } else if (this instanceof ParameterProblem) {
            return Icmpv4Packet.TYPE_PARAMETER_PROBLEM;
        }
        return ((Other) this).type();
    }

    private int codeValue() {
        if (this instanceof DestinationUnreachable unreachable) {
            return unreachable.code();
        } else if (this instanceof TimeExceeded exceeded) {
            return exceeded.code();
        } else if (this instanceof ParameterProblem problem) {
            return problem.code();
        } else if (this instanceof Other other) {
            return other.code();
        }
        return 0;
    }

    private long restOfHeaderValue() {
        if (this instanceof EchoRequest echo) {
            return ((long) echo.identifier() << 16) | echo.sequenceNumber();
        } else if (this instanceof EchoReply echo) {
            return ((long) echo.identifier() << 16) | echo.sequenceNumber();
        } else if (this instanceof DestinationUnreachable unreachable) {
            return unreachable.nextHopMtu();
        } else if (this instanceof ParameterProblem problem) {
            return (long) problem.pointer() << 24;
        } else if (this instanceof Other other) {
            return other.restOfHeader();
        }
        return 0;
    }

    private byte[] bodyBytes() {
        if (this instanceof EchoRequest echo) {
            return echo.data();
        } else if (this instanceof EchoReply echo) {
            return echo.data();
        } else if (this instanceof DestinationUnreachable unreachable) {
            return unreachable.quoted();
        } else if (this instanceof TimeExceeded exceeded) {
            return exceeded.quoted();
        } else if (this instanceof ParameterProblem problem) {
            return problem.quoted();
        }
        return ((Other) this).body();
    }

    /** Bytes {@link #emit} writes: the 8-byte header and the body. */
    default int bufferLength() {
        return Icmpv4Packet.HEADER_LENGTH + bodyBytes().length;
    }

    /** Writes the message at {@code offset} and fills in its checksum. */
    default void emit(byte[] buffer, int offset) {
        byte[] body = bodyBytes();
        BigEndian.putU8(buffer, offset + Icmpv4Packet.TYPE, type());
        BigEndian.putU8(buffer, offset + Icmpv4Packet.CODE, codeValue());
        BigEndian.putU16(buffer, offset + Icmpv4Packet.CHECKSUM, 0);
        BigEndian.putU32(buffer, offset + Icmpv4Packet.REST_OF_HEADER, restOfHeaderValue());
        System.arraycopy(body, 0, buffer, offset + Icmpv4Packet.HEADER_LENGTH, body.length);
        int checksum = Checksum.compute(buffer, offset, Icmpv4Packet.HEADER_LENGTH + body.length);
        BigEndian.putU16(buffer, offset + Icmpv4Packet.CHECKSUM, checksum);
    }

    private static void requireU16(int value, String what) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException(what + " out of range: " + value);
        }
    }

    private static void requireU8(int value, String what) {
        if (value < 0 || value > 0xFF) {
            throw new IllegalArgumentException(what + " out of range: " + value);
        }
    }
}
