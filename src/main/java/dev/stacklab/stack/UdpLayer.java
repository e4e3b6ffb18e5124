package dev.stacklab.stack;

import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.MalformedPacketException;
import dev.stacklab.wire.UdpPacket;
import dev.stacklab.wire.UdpRepr;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * UDP (RFC 768) as a {@link Transport}: bound ports, checksums, port unreachable for the ports nobody holds (RFC 1122
 * 4.1.3.1), ICMP errors passed to the socket that sent the datagram (4.1.3.3). A datagram sent on a socket waits in
 * the socket's send buffer until the link has room ({@link #pollOutput}); sockets with datagrams waiting take turns.
 */
final class UdpLayer implements Transport {
    /** RFC 6335 section 6: the dynamic (ephemeral) port range. */
    static final int EPHEMERAL_FIRST = EphemeralPorts.FIRST;
    static final int EPHEMERAL_LAST = EphemeralPorts.LAST;
    static final int MAX_PAYLOAD = 0xFFFF - Ipv4Layer.HEADER_LENGTH - UdpPacket.HEADER_LENGTH;
    /**
     * Bytes of payload a socket holds waiting for the link (Linux's net.core.wmem_default is 212992); one datagram is
     * always taken, so even a 65507-byte one fits an empty buffer. Beyond it a send is dropped and counted.
     */
    static final int SEND_BUFFER_BYTES = 212_992;

    private record Outgoing(Ipv4Address destination, UdpRepr datagram) {
    }

    private final NetStack stack;
    private final TransportContext context;
    private final Map<Integer, Socket> sockets = new HashMap<>();
    /** Sockets with datagrams waiting, in the order they get their next turn. */
    private final ArrayDeque<Socket> sending = new ArrayDeque<>();

    UdpLayer(NetStack stack, TransportContext context) {
        this.stack = stack;
        this.context = context;
    }

    final class Socket implements UdpSocket {
        private final int port;
        private final UdpReceiver receiver;
        private final ArrayDeque<Outgoing> sendBuffer = new ArrayDeque<>();
        private int bufferedBytes;
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
            if (!sendBuffer.isEmpty() && bufferedBytes + length > SEND_BUFFER_BYTES) {
                stack.dropOutgoing(stack.latestTime(), DropReason.QUEUE_FULL, "UDP send buffer of port " + port + " holds "
                        + bufferedBytes + " bytes, the limit is " + SEND_BUFFER_BYTES, null);
                return;
            }
            byte[] copy = Arrays.copyOfRange(payload, offset, offset + length);
            sendBuffer.add(new Outgoing(destination, new UdpRepr(port, destinationPort, copy)));
            bufferedBytes += length;
            if (sendBuffer.size() == 1) {
                sending.add(this);
            }
            context.wantsOutput();
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                sockets.remove(port, this);
                // Like close(2) on a UDP socket: what was queued is still sent.
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
            // RFC 6056 3.3.1 (Algorithm 1): an unconnected socket has no remote end to hash, so a random free port.
            port = stack.ephemeralPorts.pick(sockets::containsKey);
        } else if (sockets.containsKey(port)) {
            throw new IllegalStateException("UDP port " + port + " is already bound");
        }
        Socket socket = new Socket(port, receiver);
        sockets.put(port, socket);
        return socket;
    }

    /** The next socket in turn sends its oldest datagram, its header written by {@link UdpRepr#emit}. */
    @Override
    public boolean pollOutput(long now) {
        Socket socket = sending.poll();
        if (socket == null) {
            return false;
        }
        Outgoing next = socket.sendBuffer.poll();
        socket.bufferedBytes -= next.datagram().payload().length;
        if (!socket.sendBuffer.isEmpty()) {
            sending.add(socket);
        }
        Ipv4Address source = context.localAddress();
        UdpRepr datagram = next.datagram();
        stack.counters.udpSent++;
        context.send(next.destination(), datagram.bufferLength(), PathMtuDiscovery.DONT,
                (buffer, offset, length) -> datagram.emit(buffer, offset, source, next.destination()), now);
        return true;
    }

    @Override
    public void receive(Ipv4Datagram datagram, long now) {
        byte[] buffer = datagram.buffer();
        UdpPacket packet;
        try {
            packet = UdpPacket.wrapChecked(buffer, datagram.payloadOffset(), datagram.payloadLength());
        } catch (MalformedPacketException e) {
            stack.dropReceived(now, DropReason.MALFORMED, e.getMessage());
            return;
        }
        Ipv4Address source = datagram.source();
        Ipv4Address destination = datagram.destination();
        if (!packet.checksumValid(source, destination)) {
            // RFC 1122 4.1.3.4: a datagram with a bad checksum MUST be silently discarded.
            stack.dropReceived(now, DropReason.BAD_CHECKSUM, "UDP checksum 0x" + Integer.toHexString(packet.checksum())
                    + ", expected 0x" + Integer.toHexString(packet.computeChecksum(source, destination)));
            return;
        }
        stack.counters.udpReceived++;
        Socket socket = sockets.get(packet.destinationPort());
        if (socket == null) {
            context.sendDestinationUnreachable(IcmpLayer.CODE_PORT_UNREACHABLE, datagram, now);
            stack.dropReceived(now, DropReason.PORT_UNREACHABLE, "no UDP socket on port " + packet.destinationPort());
            return;
        }
        byte[] payload = Arrays.copyOfRange(buffer, packet.payloadOffset(), packet.payloadOffset() + packet.payloadLength());
        socket.receiver.received(socket, source, packet.sourcePort(), payload);
    }

    /** An ICMP error quoting a datagram one of our sockets sent (RFC 1122 4.1.3.3: pass it to the application). */
    @Override
    public void icmpError(IcmpError error, long now) {
        if (!error.quotesPorts()) {
            return;
        }
        Socket socket = sockets.get(error.quotedSourcePort());
        if (socket != null) {
            socket.receiver.errorReceived(socket, error.reportedBy(), error.type(), error.code(), error.quotedDestination(),
                    error.quotedDestinationPort());
        }
    }
}
