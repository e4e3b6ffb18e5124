package dev.stacklab.stack;

import dev.stacklab.wire.IpProtocol;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.Ipv4Packet;
import dev.stacklab.wire.Ipv4Repr;
import dev.stacklab.wire.MalformedPacketException;

/**
 * A whole IPv4 datagram for us (checked, reassembled when it came in fragments), as the engine hands it to a
 * {@link Transport}: its addresses, and where its header and payload lie in the buffer it arrived in. A view, not
 * a copy: it is valid only during the {@link Transport#receive} call; copy what must be kept.
 */
public final class Ipv4Datagram {
    private final byte[] buffer;
    private final int offset;
    private final int totalLength;
    private final int headerLength;
    private final boolean toBroadcast;

    Ipv4Datagram(byte[] buffer, int offset, int totalLength, boolean toBroadcast) {
        this.buffer = buffer;
        this.offset = offset;
        this.totalLength = totalLength;
        this.headerLength = (buffer[offset] & 0x0F) * 4;
        this.toBroadcast = toBroadcast;
    }

    public Ipv4Address source() {
        return Ipv4Address.read(buffer, offset + Ipv4Packet.SOURCE);
    }

    public Ipv4Address destination() {
        return Ipv4Address.read(buffer, offset + Ipv4Packet.DESTINATION);
    }

    public IpProtocol protocol() {
        return IpProtocol.valueOf(buffer[offset + Ipv4Packet.PROTOCOL] & 0xFF);
    }

    public int timeToLive() {
        return buffer[offset + Ipv4Packet.TIME_TO_LIVE] & 0xFF;
    }

    /**
     * Whether it came to a broadcast address (IP or link layer): RFC 1122 4.2.3.10 and 3.2.2 forbid answering
     * such a datagram with a TCP RST or an ICMP error.
     */
    public boolean toBroadcast() {
        return toBroadcast;
    }

    /** The header's meaning (options parsed), for a transport that needs more than the addresses. */
    public Ipv4Repr header() throws MalformedPacketException {
        return Ipv4Repr.parse(Ipv4Packet.wrapChecked(buffer, offset, totalLength));
    }

    /** The array the datagram lies in; read only, and only during the call that handed it out. */
    public byte[] buffer() {
        return buffer;
    }

    /** Where the IPv4 header starts in {@link #buffer()}. */
    public int offset() {
        return offset;
    }

    public int totalLength() {
        return totalLength;
    }

    public int headerLength() {
        return headerLength;
    }

    /** Where the transport's header starts in {@link #buffer()}. */
    public int payloadOffset() {
        return offset + headerLength;
    }

    public int payloadLength() {
        return totalLength - headerLength;
    }

    @Override
    public String toString() {
        return "Ipv4Datagram[" + source() + " -> " + destination() + ", " + protocol() + ", " + payloadLength() + " bytes]";
    }
}
