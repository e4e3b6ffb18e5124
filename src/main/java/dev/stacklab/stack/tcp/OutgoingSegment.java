package dev.stacklab.stack.tcp;

import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.TcpPacket;
import dev.stacklab.wire.TcpRepr;

/**
 * A segment the engine hands out: the meaning of its header, and where its data lies in the connection's send buffer.
 * The IP layer has it written straight into the frame ({@link #emit}): the data is copied once, from the send buffer
 * to the frame, as a driver's DMA would take it, instead of into an array, into a Repr and into the frame. It is
 * written at once, before anything else happens to the connection (its data may be acknowledged and gone after).
 *
 * @param source      our address (the checksum's pseudo-header)
 * @param destination the peer's address
 * @param header      the header's meaning, without data
 * @param data        the send buffer holding the data, or null for a segment without data
 * @param dataFrom    where the data starts, in bytes after the buffer's first (SND.UNA's) byte
 * @param dataLength  how many bytes of data the segment carries
 */
record OutgoingSegment(Ipv4Address source, Ipv4Address destination, TcpRepr header, SendBuffer data, int dataFrom,
                       int dataLength) {
    /** A segment whose Repr says it all (RSTs, and segments without data). */
    static OutgoingSegment of(TcpOutput output) {
        return new OutgoingSegment(output.source(), output.destination(), output.segment(), null, 0, 0);
    }

    /** Bytes of TCP segment: header with options, then data. */
    int bufferLength() {
        return header.bufferLength() + dataLength;
    }

    /** Writes the segment at {@code offset}: header, data from the send buffer, then the checksum over both. */
    void emit(byte[] buffer, int offset) {
        if (data == null) {
            header.emit(buffer, offset, source, destination);
            return;
        }
        int headerLength = header.emitHeader(buffer, offset, dataLength);
        data.copyTo(dataFrom, buffer, offset + headerLength, dataLength);
        TcpPacket.wrapForWriting(buffer, offset, headerLength + dataLength).fillChecksum(source, destination);
    }

    /** The whole segment as a Repr, its data copied out of the send buffer (for scripted tests and callers of nextOutput). */
    TcpOutput toOutput() {
        if (data == null) {
            return new TcpOutput(source, destination, header);
        }
        byte[] payload = new byte[dataLength];
        data.copyTo(dataFrom, payload, 0, dataLength);
        TcpRepr h = header;
        return new TcpOutput(source, destination, new TcpRepr(h.sourcePort(), h.destinationPort(), h.sequenceNumber(),
                h.acknowledgmentNumber(), h.flags(), h.window(), h.urgentPointer(), h.options(), payload));
    }
}
