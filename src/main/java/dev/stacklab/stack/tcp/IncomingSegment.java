package dev.stacklab.stack.tcp;

import dev.stacklab.wire.TcpFlags;
import dev.stacklab.wire.TcpOption;
import dev.stacklab.wire.TcpRepr;
import dev.stacklab.wire.TcpSeqNumber;

/**
 * A segment as the engine reads it: the meaning of its header, and where its data lies. From the IP layer the data is
 * still in the frame it arrived in ({@link TcpRepr#parseHeader}) and is copied once, straight into the receive buffer;
 * a whole {@link TcpRepr} (scripted tests, the fuzzers) lends its own payload.
 *
 * @param header     the header's meaning; its own payload is not read
 * @param data       the array holding the segment's data
 * @param dataOffset where the data starts in it
 * @param dataLength how many bytes of data the segment carries
 */
record IncomingSegment(TcpRepr header, byte[] data, int dataOffset, int dataLength) {
    /** A whole Repr: its data is a copy of the Repr's payload. */
    static IncomingSegment of(TcpRepr segment) {
        byte[] payload = segment.payload();
        return new IncomingSegment(segment, payload, 0, payload.length);
    }

    int sourcePort() {
        return header.sourcePort();
    }

    int destinationPort() {
        return header.destinationPort();
    }

    TcpFlags flags() {
        return header.flags();
    }

    TcpSeqNumber sequenceNumber() {
        return header.sequenceNumber();
    }

    TcpSeqNumber acknowledgmentNumber() {
        return header.acknowledgmentNumber();
    }

    int window() {
        return header.window();
    }

    <T extends TcpOption> T option(Class<T> kind) {
        return header.option(kind);
    }

    int payloadLength() {
        return dataLength;
    }

    /** The segment's length in sequence space: data, plus one each for SYN and FIN (RFC 9293 section 3.4). */
    int sequenceLength() {
        TcpFlags flags = header.flags();
        return dataLength + (flags.syn() ? 1 : 0) + (flags.fin() ? 1 : 0);
    }

    /** Copies {@code length} bytes of the data from {@code from} into {@code target} at {@code at}. */
    void copyPayload(int from, byte[] target, int at, int length) {
        System.arraycopy(data, dataOffset + from, target, at, length);
    }
}
