package dev.stacklab.wire;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The meaning of a TCP segment (RFC 9293 section 3.1). Compares by value, payload included; the
 * payload is copied in and out, so a Repr never shares an array with its caller.
 *
 * @param sourcePort           the sender's port
 * @param destinationPort      the receiver's port
 * @param sequenceNumber       the sequence number of the first data octet (or the ISN on SYN)
 * @param acknowledgmentNumber the next sequence number expected, meaningful when ACK is set
 * @param flags                the 12 flag bits
 * @param window               the window field as sent, before any scaling
 * @param urgentPointer        meaningful when URG is set
 * @param options              options in header order; emit pads them with zeros to a 4-byte boundary
 * @param payload              the data
 */
public record TcpRepr(int sourcePort, int destinationPort, TcpSeqNumber sequenceNumber, TcpSeqNumber acknowledgmentNumber,
                      TcpFlags flags, int window, int urgentPointer, List<TcpOption> options, byte[] payload) {
    private static final byte[] EMPTY = new byte[0];

    public TcpRepr {
        if (sourcePort < 0 || sourcePort > 0xFFFF || destinationPort < 0 || destinationPort > 0xFFFF) {
            throw new IllegalArgumentException("port out of range: " + sourcePort + " → " + destinationPort);
        }
        Objects.requireNonNull(sequenceNumber, "sequenceNumber");
        Objects.requireNonNull(acknowledgmentNumber, "acknowledgmentNumber");
        Objects.requireNonNull(flags, "flags");
        if (window < 0 || window > 0xFFFF || urgentPointer < 0 || urgentPointer > 0xFFFF) {
            throw new IllegalArgumentException("window or urgent pointer out of range: " + window + ", " + urgentPointer);
        }
        options = List.copyOf(options);
        int optionsLength = 0;
        for (TcpOption option : options) {
            optionsLength += option.length();
        }
        if (TcpPacket.MINIMUM_HEADER_LENGTH + optionsLength > TcpPacket.MAXIMUM_HEADER_LENGTH) {
            throw new IllegalArgumentException(optionsLength + " bytes of options do not fit the 40 bytes a TCP header has room for");
        }
        payload = payload.length == 0 ? EMPTY : payload.clone();
    }

    /** A segment without options, urgent data or payload: the shape of most ACKs and RSTs. */
    public static TcpRepr control(int sourcePort, int destinationPort, TcpSeqNumber sequenceNumber,
                                  TcpSeqNumber acknowledgmentNumber, TcpFlags flags, int window) {
        return new TcpRepr(sourcePort, destinationPort, sequenceNumber, acknowledgmentNumber, flags, window, 0, List.of(), EMPTY);
    }

    /**
     * The meaning of a segment, after checking its checksum against the IPv4 pseudo-header and its options.
     *
     * @throws MalformedPacketException for a bad checksum or an illegal option
     */
    public static TcpRepr parse(TcpPacket packet, Ipv4Address source, Ipv4Address destination) throws MalformedPacketException {
        checkChecksum(packet, source, destination);
        byte[] payload = Arrays.copyOfRange(packet.bytes(), packet.payloadOffset(), packet.payloadOffset() + packet.payloadLength());
        return new TcpRepr(packet.sourcePort(), packet.destinationPort(), packet.sequence(), packet.acknowledgment(),
                packet.typedFlags(), packet.window(), packet.urgentPointer(), packet.options(), payload);
    }

    /**
     * The meaning of a segment's header, checked as {@link #parse} checks it (the checksum covers the data too), but
     * without the data: it stays in the packet ({@link TcpPacket#payloadOffset()}, {@link TcpPacket#payloadLength()})
     * for a receiver to copy once, straight to where it goes, instead of into a Repr and out again.
     *
     * @throws MalformedPacketException for a bad checksum or an illegal option
     */
    public static TcpRepr parseHeader(TcpPacket packet, Ipv4Address source, Ipv4Address destination) throws MalformedPacketException {
        checkChecksum(packet, source, destination);
        return new TcpRepr(packet.sourcePort(), packet.destinationPort(), packet.sequence(), packet.acknowledgment(),
                packet.typedFlags(), packet.window(), packet.urgentPointer(), packet.options(), EMPTY);
    }

    private static void checkChecksum(TcpPacket packet, Ipv4Address source, Ipv4Address destination) throws MalformedPacketException {
        if (!packet.checksumValid(source, destination)) {
            throw new MalformedPacketException("TCP", "tcp.checksum", packet.offset() + TcpPacket.CHECKSUM,
                    "bad checksum 0x" + Integer.toHexString(packet.checksum()) + ", expected 0x"
                            + Integer.toHexString(packet.computeChecksum(source, destination)));
        }
    }

    /** A copy of the data. */
    @Override
    public byte[] payload() {
        return payload.length == 0 ? EMPTY : payload.clone();
    }

    public int payloadLength() {
        return payload.length;
    }

    /** Copies {@code length} bytes of the data from {@code from} into {@code target} at {@code at}. */
    public void copyPayload(int from, byte[] target, int at, int length) {
        System.arraycopy(payload, from, target, at, length);
    }

    /** The segment's length in sequence space: data, plus one each for SYN and FIN (RFC 9293 section 3.4). */
    public int sequenceLength() {
        return payload.length + (flags.syn() ? 1 : 0) + (flags.fin() ? 1 : 0);
    }

    /** Header length with options, rounded up to whole 32-bit words. */
    public int headerLength() {
        int length = TcpPacket.MINIMUM_HEADER_LENGTH;
        for (TcpOption option : options) {
            length += option.length();
        }
        return (length + 3) & ~3;
    }

    public int bufferLength() {
        return headerLength() + payload.length;
    }

    public boolean hasFlag(TcpFlags flag) {
        return flags.has(flag);
    }

    /** The first option of a kind, or null. */
    public <T extends TcpOption> T option(Class<T> kind) {
        for (TcpOption option : options) {
            if (kind.isInstance(option)) {
                return kind.cast(option);
            }
        }
        return null;
    }

    /** Writes the segment at {@code offset} and fills in its checksum over the IPv4 pseudo-header. */
    public void emit(byte[] buffer, int offset, Ipv4Address source, Ipv4Address destination) {
        int headerLength = emitHeader(buffer, offset, payload.length);
        System.arraycopy(payload, 0, buffer, offset + headerLength, payload.length);
        TcpPacket.wrapForWriting(buffer, offset, headerLength + payload.length).fillChecksum(source, destination);
    }

    /**
     * Writes the header alone at {@code offset}, its checksum field zero, for a sender that puts {@code dataLength}
     * bytes of data after it from where they lie (a send buffer) rather than through a Repr, then fills in the
     * checksum with {@link TcpPacket#fillChecksum}. This Repr's own payload is not written.
     *
     * @return the header length: where the data goes, from {@code offset}
     */
    public int emitHeader(byte[] buffer, int offset, int dataLength) {
        int headerLength = headerLength();
        TcpPacket packet = TcpPacket.wrapForWriting(buffer, offset, headerLength + dataLength);
        packet.setSourcePort(sourcePort);
        packet.setDestinationPort(destinationPort);
        packet.setSequenceNumber(sequenceNumber);
        packet.setAcknowledgmentNumber(acknowledgmentNumber);
        packet.setHeaderLength(headerLength);
        packet.setFlags(flags);
        packet.setWindow(window);
        packet.setUrgentPointer(urgentPointer);
        int at = offset + TcpPacket.OPTIONS;
        for (TcpOption option : options) {
            option.emit(buffer, at);
            at += option.length();
        }
        // RFC 9293 section 3.1: the header is padded with zeros to a 32-bit boundary.
        Arrays.fill(buffer, at, offset + headerLength, (byte) 0);
        packet.setChecksum(0);
        return headerLength;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TcpRepr that
                && sourcePort == that.sourcePort && destinationPort == that.destinationPort
                && sequenceNumber.equals(that.sequenceNumber) && acknowledgmentNumber.equals(that.acknowledgmentNumber)
                && flags.equals(that.flags) && window == that.window && urgentPointer == that.urgentPointer
                && options.equals(that.options) && Arrays.equals(payload, that.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sourcePort, destinationPort, sequenceNumber, acknowledgmentNumber, flags, window, urgentPointer,
                options, Arrays.hashCode(payload));
    }

    /** As Wireshark's Info column, with raw numbers: "1234 → 80 [SYN] Seq=100 Ack=0 Win=64240 Len=0 [MSS=1460]". */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder().append(sourcePort).append(" → ").append(destinationPort).append(' ')
                .append(flags).append(" Seq=").append(sequenceNumber);
        if (flags.ack()) {
            text.append(" Ack=").append(acknowledgmentNumber);
        }
        text.append(" Win=").append(window).append(" Len=").append(payload.length);
        if (flags.urg()) {
            text.append(" Urg=").append(urgentPointer);
        }
        if (!options.isEmpty()) {
            text.append(' ').append(options);
        }
        return text.toString();
    }
}
