package dev.stacklab.wire;

import java.util.Arrays;
import java.util.List;

/**
 * The meaning of an IPv4 header. Options are kept twice: as the raw bytes of the options area
 * (padding included, so emit reproduces the header byte for byte) and parsed into a list.
 * {@link #emit} computes the total length from {@code payloadLength} and the header checksum; the
 * checksum of a parsed header is not stored, only whether it was valid.
 *
 * @param dscp             Differentiated Services Codepoint, 0-63 (RFC 2474)
 * @param ecn              Explicit Congestion Notification, 0-3 (RFC 3168)
 * @param identification   the fragment group identifier
 * @param reservedFlag     the reserved flag bit, which must be zero (RFC 791) but is kept as received
 * @param dontFragment     DF
 * @param moreFragments    MF
 * @param fragmentOffset   offset of this fragment's data in bytes, a multiple of 8
 * @param timeToLive       TTL
 * @param protocol         the payload's protocol
 * @param source           source address
 * @param destination      destination address
 * @param options          the options, parsed
 * @param rawOptions       the options area as bytes, a multiple of 4 long, at most 40
 * @param payloadLength    bytes after the header (total length minus header length)
 * @param checksumValid    for a parsed header, whether its checksum was right; true for a built one
 */
public record Ipv4Repr(int dscp, int ecn, int identification, boolean reservedFlag, boolean dontFragment,
                       boolean moreFragments, int fragmentOffset, int timeToLive, IpProtocol protocol, Ipv4Address source,
                       Ipv4Address destination, List<Ipv4Option> options, byte[] rawOptions, int payloadLength,
                       boolean checksumValid) {

    private static final byte[] NO_OPTIONS = new byte[0];

    public Ipv4Repr {
        if (dscp < 0 || dscp > 63 || ecn < 0 || ecn > 3) {
            throw new IllegalArgumentException("DSCP " + dscp + " / ECN " + ecn + " out of range");
        }
        if (identification < 0 || identification > 0xFFFF) {
            throw new IllegalArgumentException("identification out of range: " + identification);
        }
        if (fragmentOffset < 0 || fragmentOffset % 8 != 0 || fragmentOffset / 8 > Ipv4Packet.FRAGMENT_OFFSET_MASK) {
            throw new IllegalArgumentException("fragment offset must be a multiple of 8 below 65536: " + fragmentOffset);
        }
        if (timeToLive < 0 || timeToLive > 255) {
            throw new IllegalArgumentException("TTL out of range: " + timeToLive);
        }
        if (rawOptions.length % 4 != 0 || rawOptions.length > Ipv4Packet.MAX_HEADER_LENGTH - Ipv4Packet.MIN_HEADER_LENGTH) {
            throw new IllegalArgumentException("options area must be a multiple of 4 bytes, at most 40: " + rawOptions.length);
        }
        if (payloadLength < 0 || payloadLength > 0xFFFF - Ipv4Packet.MIN_HEADER_LENGTH - rawOptions.length) {
            throw new IllegalArgumentException("payload length out of range: " + payloadLength);
        }
        options = List.copyOf(options);
        // Most headers have no options: share one empty array rather than copy one per datagram sent.
        rawOptions = rawOptions.length == 0 ? NO_OPTIONS : rawOptions.clone();
    }

    /** A header without options, the usual case for a datagram a host sends. */
    public static Ipv4Repr simple(Ipv4Address source, Ipv4Address destination, IpProtocol protocol, int timeToLive,
                                  int identification, boolean dontFragment, int payloadLength) {
        return new Ipv4Repr(0, 0, identification, false, dontFragment, false, 0, timeToLive, protocol, source,
                destination, List.of(), new byte[0], payloadLength, true);
    }

    /** This header with options; their bytes are laid out in order and padded with zeros (EOL) to a 4-byte boundary. */
    public Ipv4Repr withOptions(List<Ipv4Option> newOptions) {
        return new Ipv4Repr(dscp, ecn, identification, reservedFlag, dontFragment, moreFragments, fragmentOffset,
                timeToLive, protocol, source, destination, newOptions, Ipv4Option.layOut(newOptions), payloadLength,
                checksumValid);
    }

    /**
     * Reads the header's meaning. The version must be 4 and the options must be well formed; a bad
     * checksum is not an error here, it is reported in {@link #checksumValid()}.
     */
    public static Ipv4Repr parse(Ipv4Packet packet) throws MalformedPacketException {
        if (packet.version() != 4) {
            throw new MalformedPacketException("IPv4", "ip.version", packet.offset(), "version " + packet.version() + ", must be 4");
        }
        if (packet.totalLength() < packet.headerLength()) {
            // Possible in a header quoted by an ICMP error (wrapHeaderChecked checks only the header).
            throw new MalformedPacketException("IPv4", "ip.len", packet.offset() + Ipv4Packet.TOTAL_LENGTH,
                    "total length " + packet.totalLength() + " is below the header length " + packet.headerLength());
        }
        byte[] bytes = packet.buffer();
        int optionsOffset = packet.optionsOffset();
        List<Ipv4Option> options = packet.options();
        return new Ipv4Repr(packet.dscp(), packet.ecn(), packet.identification(), packet.reservedFlag(),
                packet.dontFragment(), packet.moreFragments(), packet.fragmentOffset(), packet.timeToLive(),
                packet.protocol(), packet.source(), packet.destination(), options,
                Arrays.copyOfRange(bytes, optionsOffset, optionsOffset + packet.optionsLength()),
                packet.totalLength() - packet.headerLength(), packet.verifyChecksum());
    }

    /** A copy of the options area: the record's bytes are its own. */
    @Override
    public byte[] rawOptions() {
        return rawOptions.length == 0 ? rawOptions : rawOptions.clone();
    }

    public int headerLength() {
        return Ipv4Packet.MIN_HEADER_LENGTH + rawOptions.length;
    }

    public int totalLength() {
        return headerLength() + payloadLength;
    }

    /** Room the header needs; the payload ({@link #payloadLength()} bytes) follows it. */
    public int bufferLength() {
        return headerLength();
    }

    /** Writes the header at {@code offset} with its total length and checksum; returns where the payload goes. */
    public int emit(byte[] buffer, int offset) {
        return emitHeader(buffer, offset, dscp, ecn, identification, reservedFlag, dontFragment, moreFragments, fragmentOffset,
                timeToLive, protocol.value(), source.bits(), destination.bits(), rawOptions, payloadLength);
    }

    /**
     * What {@link #emit} writes, from the fields themselves: for a sender that makes a header per datagram (the
     * engine) and should not have to make a record for it. The one place the IPv4 header layout is written; the
     * arguments are trusted to be in range (the record's constructor is where they are checked).
     *
     * @return where the payload goes
     */
    public static int emitHeader(byte[] buffer, int offset, int dscp, int ecn, int identification, boolean reservedFlag,
                                 boolean dontFragment, boolean moreFragments, int fragmentOffset, int timeToLive, int protocol,
                                 int source, int destination, byte[] rawOptions, int payloadLength) {
        int headerLength = Ipv4Packet.MIN_HEADER_LENGTH + rawOptions.length;
        BigEndian.putU8(buffer, offset + Ipv4Packet.VERSION_AND_IHL, 4 << 4 | headerLength / 4);
        BigEndian.putU8(buffer, offset + Ipv4Packet.DS_FIELD, dscp << 2 | ecn);
        BigEndian.putU16(buffer, offset + Ipv4Packet.TOTAL_LENGTH, headerLength + payloadLength);
        BigEndian.putU16(buffer, offset + Ipv4Packet.IDENTIFICATION, identification);
        int flags = (reservedFlag ? Ipv4Packet.FLAG_RESERVED : 0) | (dontFragment ? Ipv4Packet.FLAG_DONT_FRAGMENT : 0)
                | (moreFragments ? Ipv4Packet.FLAG_MORE_FRAGMENTS : 0);
        BigEndian.putU16(buffer, offset + Ipv4Packet.FLAGS_AND_FRAGMENT_OFFSET, flags | fragmentOffset / 8);
        BigEndian.putU8(buffer, offset + Ipv4Packet.TIME_TO_LIVE, timeToLive);
        BigEndian.putU8(buffer, offset + Ipv4Packet.PROTOCOL, protocol);
        BigEndian.putU16(buffer, offset + Ipv4Packet.HEADER_CHECKSUM, 0);
        BigEndian.putI32(buffer, offset + Ipv4Packet.SOURCE, source);
        BigEndian.putI32(buffer, offset + Ipv4Packet.DESTINATION, destination);
        System.arraycopy(rawOptions, 0, buffer, offset + Ipv4Packet.OPTIONS, rawOptions.length);
        BigEndian.putU16(buffer, offset + Ipv4Packet.HEADER_CHECKSUM, Checksum.compute(buffer, offset, headerLength));
        return offset + headerLength;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Ipv4Repr o && dscp == o.dscp && ecn == o.ecn && identification == o.identification
                && reservedFlag == o.reservedFlag && dontFragment == o.dontFragment && moreFragments == o.moreFragments
                && fragmentOffset == o.fragmentOffset && timeToLive == o.timeToLive && protocol.equals(o.protocol)
                && source.equals(o.source) && destination.equals(o.destination) && options.equals(o.options)
                && Arrays.equals(rawOptions, o.rawOptions) && payloadLength == o.payloadLength
                && checksumValid == o.checksumValid;
    }

    @Override
    public int hashCode() {
        return ((31 * identification + source.hashCode()) * 31 + destination.hashCode()) * 31 + payloadLength;
    }

    @Override
    public String toString() {
        return "Ipv4Repr[" + source + " -> " + destination + ", " + protocol + ", ttl=" + timeToLive + ", id=0x"
                + Integer.toHexString(identification) + (dontFragment ? ", DF" : "") + (moreFragments ? ", MF" : "")
                + ", offset=" + fragmentOffset + ", dscp=" + dscp + ", ecn=" + ecn + ", options=" + options
                + ", payload=" + payloadLength + (checksumValid ? "" : ", bad checksum") + "]";
    }
}
