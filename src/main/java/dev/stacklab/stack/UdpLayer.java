package dev.stacklab.stack;

import dev.stacklab.wire.BigEndian;
import dev.stacklab.wire.Checksum;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.Ipv4Packet;
import dev.stacklab.wire.MalformedPacketException;
import dev.stacklab.wire.UdpPacket;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/** UDP (RFC 768): bound ports, checksums, and port unreachable for the ports nobody holds (RFC 1122 4.1.3.1). */
final class UdpLayer {
    /** RFC 6335 section 6: the dynamic (ephemeral) port range. */
    static final int EPHEMERAL_FIRST = 49152;
    static final int EPHEMERAL_LAST = 65535;
    static final int MAX_PAYLOAD = 0xFFFF - Ipv4Layer.HEADER_LENGTH - UdpPacket.HEADER_LENGTH;
    private static final int PROTOCOL_UDP = 17;

    private final NetStack stack;
    private final Map<Integer, Socket> sockets = new HashMap<>();
    private int nextEphemeral = EPHEMERAL_FIRST;

    UdpLayer(NetStack stack) {
        this.stack = stack;
    }

    final class Socket implements UdpSocket {
        private final int port;
        private final UdpReceiver receiver;
        private boolean closed;

        Socket(int port, UdpReceiver receiver) {
            this.port = port;
            this.receiver = receiver;
        }

        @Override
        public int localPort() {
            return port;
        }

        @Override
        public void send(Ipv4Address destination, int destinationPort, byte[] payload, int offset, int length) {
            if (closed) {
                throw new IllegalStateException("UDP socket on port " + port + " is closed");
            }
            if (destinationPort < 1 || destinationPort > 0xFFFF) {
                throw new IllegalArgumentException("destination port " + destinationPort + " is outside 1-65535");
            }
            Objects.checkFromIndexSize(offset, length, payload.length);
            if (length > MAX_PAYLOAD) {
                throw new IllegalArgumentException("UDP payload of " + length + " bytes exceeds " + MAX_PAYLOAD);
            }
            sendDatagram(port, destination, destinationPort, payload, offset, length, stack.latestTime());
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                sockets.remove(port, this);
            }
        }

        @Override
        public String toString() {
            return "UdpSocket[" + stack.config().address().address() + ":" + port + (closed ? ", closed" : "") + "]";
        }
    }

    UdpSocket bind(int port, UdpReceiver receiver) {
        Objects.requireNonNull(receiver, "receiver");
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("UDP port " + port + " is outside 0-65535");
        }
        if (port == 0) {
            port = pickEphemeral();
        } else if (sockets.containsKey(port)) {
            throw new IllegalStateException("UDP port " + port + " is already bound");
        }
        Socket socket = new Socket(port, receiver);
        sockets.put(port, socket);
        return socket;
    }

    private int pickEphemeral() {
        int range = EPHEMERAL_LAST - EPHEMERAL_FIRST + 1;
        for (int tried = 0; tried < range; tried++) {
            int port = nextEphemeral;
            nextEphemeral = port == EPHEMERAL_LAST ? EPHEMERAL_FIRST : port + 1;
            if (!sockets.containsKey(port)) {
                return port;
            }
        }
        throw new IllegalStateException("every ephemeral UDP port (49152-65535) is bound");
    }

    private void sendDatagram(int sourcePort, Ipv4Address destination, int destinationPort, byte[] payload, int offset,
                              int length, long now) {
        int udpLength = UdpPacket.HEADER_LENGTH + length;
        byte[] frame = stack.ipv4.newDatagram(PROTOCOL_UDP, destination.bits(), udpLength, Ipv4Layer.DEFAULT_TTL);
        int at = Ipv4Layer.payloadOffset();
        BigEndian.putU16(frame, at + UdpPacket.SOURCE_PORT, sourcePort);
        BigEndian.putU16(frame, at + UdpPacket.DESTINATION_PORT, destinationPort);
        BigEndian.putU16(frame, at + UdpPacket.LENGTH, udpLength);
        System.arraycopy(payload, offset, frame, at + UdpPacket.HEADER_LENGTH, length);
        int sum = Checksum.pseudoHeader(stack.config().address().address(), destination, PROTOCOL_UDP, udpLength);
        int checksum = Checksum.finish(Checksum.add(sum, frame, at, udpLength));
        // RFC 768: a computed zero goes out as all ones, since zero means "no checksum".
        BigEndian.putU16(frame, at + UdpPacket.CHECKSUM, checksum == 0 ? 0xFFFF : checksum);
        stack.counters.udpSent++;
        stack.ipv4.send(frame, null, now);
    }

    void receive(byte[] buffer, int ipOffset, int ipLength, boolean toBroadcast, long now) {
        int headerLength = (buffer[ipOffset] & 0x0F) * 4;
        UdpPacket packet;
        try {
            packet = UdpPacket.wrapChecked(buffer, ipOffset + headerLength, ipLength - headerLength);
        } catch (MalformedPacketException e) {
            stack.dropReceived(now, DropReason.MALFORMED, e.getMessage());
            return;
        }
        Ipv4Address source = Ipv4Address.read(buffer, ipOffset + Ipv4Packet.SOURCE);
        Ipv4Address destination = Ipv4Address.read(buffer, ipOffset + Ipv4Packet.DESTINATION);
        if (!packet.checksumValid(source, destination)) {
            // RFC 1122 4.1.3.4: a datagram with a bad checksum MUST be silently discarded.
            stack.dropReceived(now, DropReason.BAD_CHECKSUM, "UDP checksum 0x" + Integer.toHexString(packet.checksum())
                    + ", expected 0x" + Integer.toHexString(packet.computeChecksum(source, destination)));
            return;
        }
        stack.counters.udpReceived++;
        Socket socket = sockets.get(packet.destinationPort());
        if (socket == null) {
            stack.icmp.sendDestinationUnreachable(IcmpLayer.CODE_PORT_UNREACHABLE, buffer, ipOffset, ipLength, toBroadcast, now);
            stack.dropReceived(now, DropReason.PORT_UNREACHABLE, "no UDP socket on port " + packet.destinationPort());
            return;
        }
        byte[] payload = Arrays.copyOfRange(buffer, packet.payloadOffset(), packet.payloadOffset() + packet.payloadLength());
        socket.receiver.received(socket, source, packet.sourcePort(), payload);
    }

    /** An ICMP error quoting a datagram one of our sockets sent (RFC 1122 4.1.3.3: pass it to the application). */
    void errorReceived(Ipv4Address reporter, int type, int code, Ipv4Address destination, int sourcePort, int destinationPort) {
        Socket socket = sockets.get(sourcePort);
        if (socket != null) {
            socket.receiver.errorReceived(socket, reporter, type, code, destination, destinationPort);
        }
    }
}
