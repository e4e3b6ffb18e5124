package dev.stacklab.runtime;

import dev.stacklab.stack.NetStack;
import dev.stacklab.stack.UdpReceiver;
import dev.stacklab.stack.UdpSocket;
import dev.stacklab.wire.Ipv4Address;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Echo Protocol over UDP (RFC 862): every datagram that arrives on the port is sent back to its source,
 * byte for byte. An application on the engine's UDP socket API, so it runs the same under a
 * {@link StackRunner} (stacklab serve) and in the {@link Simulation} (the simulated peers).
 */
public final class UdpEchoService implements UdpReceiver {
    /** RFC 862: "A server listens for UDP datagrams on UDP port 7." */
    public static final int ECHO_PORT = 7;

    private final AtomicLong echoed = new AtomicLong();
    private final AtomicLong echoedBytes = new AtomicLong();
    private volatile UdpSocket socket;

    private UdpEchoService() {
    }

    /** Binds the service on {@code port} of a stack driven by the caller's thread (the simulation, a test). */
    public static UdpEchoService start(NetStack stack, int port) {
        UdpEchoService service = new UdpEchoService();
        service.socket = stack.udpBind(port, service);
        return service;
    }

    /** Binds the service on {@code port} of a runner's stack; the future fails if the port is taken. */
    public static CompletableFuture<UdpEchoService> start(StackRunner runner, int port) {
        UdpEchoService service = new UdpEchoService();
        return runner.udpBind(port, service).thenApply(bound -> {
            service.socket = bound;
            return service;
        });
    }

    @Override
    public void received(UdpSocket from, Ipv4Address source, int sourcePort, byte[] payload) {
        // Counted before the answer is handed over: whoever sees the echo arrive must find it counted.
        echoed.incrementAndGet();
        echoedBytes.addAndGet(payload.length);
        // Answer on the socket the datagram came in on: it is the engine's own, valid on this (the stack's) thread.
        from.send(source, sourcePort, payload, 0, payload.length);
    }

    public int port() {
        return socket.localPort();
    }

    /** Datagrams echoed so far; readable from any thread. */
    public long echoedDatagrams() {
        return echoed.get();
    }

    public long echoedBytes() {
        return echoedBytes.get();
    }

    /** Unbinds the port (for a runner's stack, through its inbox). */
    public void close() {
        socket.close();
    }
}
