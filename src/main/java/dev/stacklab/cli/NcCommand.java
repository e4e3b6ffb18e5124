package dev.stacklab.cli;

import dev.stacklab.link.LinkException;
import dev.stacklab.runtime.Host;
import dev.stacklab.runtime.TcpServerSocket;
import dev.stacklab.runtime.TcpSocket;
import dev.stacklab.wire.Ipv4Address;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code stacklab nc}: netcat over stacklab's own TCP, as OpenBSD {@code nc -N}: standard input to the connection,
 * the connection to standard output; at the end of input our FIN goes out (the peer may go on sending), and the
 * command ends when the peer closes. {@code -l PORT} waits for one connection instead of making one.
 */
@Command(name = "nc", sortOptions = false, description = "Netcat over stacklab's own TCP: nc HOST PORT connects, "
        + "nc -l PORT accepts one connection; standard input to the connection (a FIN at its end, as nc -N), "
        + "the connection to standard output.")
final class NcCommand implements Callable<Integer> {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CLOSE_LIMIT = Duration.ofSeconds(2);

    @Option(names = "-l", description = "listen on PORT for one connection instead of connecting")
    boolean listen;

    @Option(names = "-v", description = "say on standard error when listening and when connected, as OpenBSD nc -v")
    boolean verbose;

    @Parameters(paramLabel = "HOST PORT", arity = "1..2", description = "where to connect (with -l: only the PORT)")
    List<String> arguments;

    @Mixin
    HostOptions host;

    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;

    /** The standard streams, replaceable by tests. */
    InputStream input = System.in;
    OutputStream output = new FileOutputStream(FileDescriptor.out);

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        Ipv4Address address = null;
        int port;
        try {
            if (listen) {
                if (arguments.size() != 1) {
                    throw new IllegalArgumentException("with -l give only the PORT to listen on, not " + String.join(" ", arguments));
                }
                port = parsePort(arguments.get(0));
            } else {
                if (arguments.size() != 2) {
                    throw new IllegalArgumentException("give HOST and PORT (or -l PORT), not " + String.join(" ", arguments));
                }
                try {
                    address = Ipv4Address.parse(arguments.get(0));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("HOST must be an IPv4 address (stacklab has no DNS), not '"
                            + arguments.get(0) + "'");
                }
                port = parsePort(arguments.get(1));
            }
        } catch (IllegalArgumentException e) {
            err.println("nc: " + e.getMessage());
            return 2;
        }
        Host running;
        try {
            running = host.start(null);
        } catch (LinkException | IllegalArgumentException e) {
            err.println("nc: " + e.getMessage());
            return 2;
        }
        try (running) {
            TcpSocket socket;
            if (listen) {
                try (TcpServerSocket listener = TcpServerSocket.listen(running.runner(), port, 1)) {
                    // Only now does a SYN to the port find a listener: a peer (or a script) may connect from here on.
                    if (verbose) {
                        err.println("Listening on " + running.config().address().address() + " " + port);
                    }
                    socket = listener.accept();
                }
                if (verbose) {
                    err.println("Connection received on " + socket.remoteAddress() + " " + socket.remotePort());
                }
            } else {
                socket = TcpSocket.connect(running.runner(), address, port, CONNECT_TIMEOUT);
                if (verbose) {
                    err.println("Connection to " + address + " " + port + " port [tcp/*] succeeded!");
                }
            }
            try (socket) {
                Thread sender = new Thread(() -> send(socket), "stacklab-nc-stdin");
                sender.setDaemon(true);
                sender.start();
                socket.getInputStream().transferTo(new FlushingOutput(output));
                output.flush();
                // The peer's FIN closes only its direction: ours goes on to the end of our input, as nc's does.
                sender.join();
            }
            socket.awaitClosed(CLOSE_LIMIT);
            return 0;
        } catch (IOException e) {
            String where = address == null ? "port " + port : address + ":" + port;
            err.println("nc: " + (String.valueOf(e.getMessage()).contains(where) ? e.getMessage() : where + ": " + e.getMessage()));
            return 1;
        }
    }

    private void send(TcpSocket socket) {
        try {
            input.transferTo(socket.getOutputStream());
            socket.shutdownOutput();
        } catch (IOException e) {
            // The connection failed: the reading side reports it.
        }
    }

    private static int parsePort(String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 0xFFFF) {
                return port;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("PORT must be 1-65535, not '" + text + "'");
    }

    /** Passes each read on at once: nc's output is interactive. */
    private static final class FlushingOutput extends OutputStream {
        private final OutputStream out;

        FlushingOutput(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            out.flush();
        }

        @Override
        public void write(byte[] data, int offset, int length) throws IOException {
            out.write(data, offset, length);
            out.flush();
        }
    }
}
