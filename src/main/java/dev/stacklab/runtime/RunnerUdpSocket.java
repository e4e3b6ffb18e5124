package dev.stacklab.runtime;

import dev.stacklab.stack.UdpSocket;
import dev.stacklab.wire.Ipv4Address;

/**
 * A UDP socket of a stack driven by a {@link StackRunner}, usable from any thread: the engine's socket may only
 * be touched on the runner thread, so sends and the close go through the runner's inbox.
 */
final class RunnerUdpSocket implements UdpSocket {
    private final StackRunner runner;
    private final UdpSocket engineSocket;
    private final int localPort;

    RunnerUdpSocket(StackRunner runner, UdpSocket engineSocket) {
        this.runner = runner;
        this.engineSocket = engineSocket;
        this.localPort = engineSocket.localPort();
    }

    @Override
    public int localPort() {
        return localPort;
    }

    /** Copies the payload now: the caller may reuse its array before the runner thread sends it. */
    @Override
    public void send(Ipv4Address destination, int destinationPort, byte[] payload, int offset, int length) {
        byte[] copy = new byte[length];
        System.arraycopy(payload, offset, copy, 0, length);
        runner.sendDatagram(engineSocket, destination, destinationPort, copy);
    }

    @Override
    public void close() {
        runner.closeSocket(engineSocket);
    }
}
