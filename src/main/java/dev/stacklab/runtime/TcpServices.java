package dev.stacklab.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The TCP services a stacklab host offers (stacklab serve, the simulated LAN's server): echo on port 7
 * (RFC 862), discard on port 9 (RFC 863) and HTTP/1.1 on port 80 ({@link HttpService}). Each port has an accept
 * thread; each connection a daemon thread of its own on the blocking facades.
 */
public final class TcpServices implements AutoCloseable {
    /** RFC 862: "A server listens for TCP connections on TCP port 7." */
    public static final int ECHO_PORT = 7;
    /** RFC 863: "A server listens for TCP connections on TCP port 9." */
    public static final int DISCARD_PORT = 9;
    public static final int HTTP_PORT = 80;
    static final int BACKLOG = 128;

    private final List<TcpServerSocket> listeners = new ArrayList<>();
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong bytesIn = new AtomicLong();
    private final AtomicLong bytesOut = new AtomicLong();
    private volatile boolean closed;

    private interface Handler {
        void serve(TcpSocket connection) throws IOException;
    }

    private TcpServices() {
    }

    /** Listens on 7, 9 and 80 of the runner's stack. */
    public static TcpServices start(StackRunner runner) throws IOException {
        TcpServices services = new TcpServices();
        try {
            services.listen(runner, ECHO_PORT, "echo", services::echo);
            services.listen(runner, DISCARD_PORT, "discard", services::discard);
            HttpService http = new HttpService(services.bytesIn, services.bytesOut);
            services.listen(runner, HTTP_PORT, "http", http::serve);
        } catch (IOException e) {
            services.close();
            throw e;
        }
        return services;
    }

    /** Connections accepted so far over all three ports. */
    public long connections() {
        return connections.get();
    }

    public long bytesReceived() {
        return bytesIn.get();
    }

    public long bytesSent() {
        return bytesOut.get();
    }

    private void listen(StackRunner runner, int port, String name, Handler handler) throws IOException {
        TcpServerSocket listener = TcpServerSocket.listen(runner, port, BACKLOG);
        listeners.add(listener);
        Thread acceptor = new Thread(() -> acceptLoop(listener, name, handler), "stacklab-tcp-" + name + "-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void acceptLoop(TcpServerSocket listener, String name, Handler handler) {
        while (!closed) {
            TcpSocket connection;
            try {
                connection = listener.accept();
            } catch (IOException e) {
                return; // the listener closed (or the stack stopped)
            }
            connections.incrementAndGet();
            Thread worker = new Thread(() -> {
                try (connection) {
                    handler.serve(connection);
                } catch (IOException e) {
                    // The peer reset or vanished: that ends this connection and nothing else.
                }
            }, "stacklab-tcp-" + name + "-" + connection.remoteAddress() + ":" + connection.remotePort());
            worker.setDaemon(true);
            worker.start();
        }
    }

    /** RFC 862: whatever arrives is sent back, until the client closes; then we close too. */
    private void echo(TcpSocket connection) throws IOException {
        InputStream in = connection.getInputStream();
        OutputStream out = connection.getOutputStream();
        byte[] buffer = new byte[TcpSocket.MAX_READ];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            bytesIn.addAndGet(n);
            out.write(buffer, 0, n);
            bytesOut.addAndGet(n);
        }
    }

    /** RFC 863: whatever arrives is thrown away, until the client closes. */
    private void discard(TcpSocket connection) throws IOException {
        InputStream in = connection.getInputStream();
        byte[] buffer = new byte[TcpSocket.MAX_READ];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            bytesIn.addAndGet(n);
        }
    }

    /** Stops listening; connections being served finish on their own. */
    @Override
    public void close() {
        closed = true;
        for (TcpServerSocket listener : listeners) {
            try {
                listener.close();
            } catch (IOException e) {
                // the stack stopped already: nothing listens anyway
            }
        }
    }
}
