package dev.stacklab.wire;

import java.util.Arrays;

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
        }
    }

    /** Echo reply (type 0). */
    record EchoReply(int identifier, int sequenceNumber, byte[] data) implements Icmpv4Repr {
        public EchoReply {
            requireU16(identifier, "identifier");
            requireU16(sequenceNumber, "sequence number");
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
        }
    }

    /** Time exceeded (type 11): code 0 TTL exceeded in transit, code 1 fragment reassembly time exceeded. */
    record TimeExceeded(int code, byte[] quoted) implements Icmpv4Repr {
        public TimeExceeded {
            requireU8(code, "code");
        }
    }

    /** Parameter problem (type 12): {@code pointer} names the octet of the quoted header that was wrong. */
    record ParameterProblem(int code, int pointer, byte[] quoted) implements Icmpv4Repr {
        public ParameterProblem {
            requireU8(code, "code");
            requireU8(pointer, "pointer");
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
