package dev.stacklab.cli;

import dev.stacklab.link.LinkException;
import dev.stacklab.runtime.Host;
import dev.stacklab.runtime.HttpGet;
import dev.stacklab.runtime.TcpSocket;
import dev.stacklab.stack.tcp.TcpSnapshot;
import dev.stacklab.wire.Ipv4Address;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code stacklab get}: one HTTP/1.1 GET over stacklab's own TCP, like {@code curl -o}: the body to a file or
 * standard output, and on standard error what the transfer took (bytes, seconds, Mbit/s, retransmissions, final
 * cwnd). Exit 0 for a 2xx or 3xx answer, 1 for an HTTP error or a failed connection, 2 for bad arguments.
 */
@Command(name = "get", sortOptions = false, description = "Fetch a URL with HTTP/1.1 over stacklab's own TCP; "
        + "the body to -o FILE or standard output, the transfer's figures to standard error.")
final class GetCommand implements Callable<Integer> {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CLOSE_LIMIT = Duration.ofSeconds(2);

    @Parameters(paramLabel = "URL", description = "http://IP[:PORT]/PATH (an IPv4 address: the stack has no DNS)")
    String url;

    @Mixin
    HostOptions host;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "write the body to FILE (default: standard output)")
    Path output;

    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;

    /** Where a URL points. */
    record Target(Ipv4Address address, int port, String hostHeader, String path) {
    }

    /** Parses {@code url}, or says in one line what is wrong with it. */
    static Target parseUrl(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("URL '" + url + "' is not a URL: " + e.getReason());
        }
        if (uri.getScheme() == null || !uri.getScheme().equalsIgnoreCase("http")) {
            throw new IllegalArgumentException("URL '" + url + "': only http:// URLs (stacklab has no TLS)");
        }
        String hostText = uri.getHost();
        if (hostText == null) {
            throw new IllegalArgumentException("URL '" + url + "' names no host");
        }
        Ipv4Address address;
        try {
            address = Ipv4Address.parse(hostText);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("URL '" + url + "': the host must be an IPv4 address (stacklab has no DNS), not '"
                    + hostText + "'");
        }
        int port = uri.getPort() == -1 ? 80 : uri.getPort();
        if (port < 1 || port > 0xFFFF) {
            throw new IllegalArgumentException("URL '" + url + "': port " + port + " is outside 1-65535");
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path += "?" + uri.getRawQuery();
        }
        return new Target(address, port, uri.getPort() == -1 ? hostText : hostText + ":" + port, path);
    }

    /** Standard output as a stream that the body's close flushes but leaves open. */
    private static OutputStream standardOutput() {
        return new FilterOutputStream(new FileOutputStream(FileDescriptor.out)) {
            @Override
            public void write(byte[] data, int offset, int length) throws IOException {
                out.write(data, offset, length);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Target target;
        try {
            target = parseUrl(url);
        } catch (IllegalArgumentException e) {
            err.println("get: " + e.getMessage());
            return 2;
        }
        if (output != null && output.getParent() != null && !Files.isDirectory(output.getParent())) {
            err.println("get: -o " + output + ": the directory " + output.getParent() + " does not exist");
            return 2;
        }
        Host running;
        try {
            running = host.start(null);
        } catch (LinkException | IllegalArgumentException e) {
            err.println("get: " + e.getMessage());
            return 2;
        }
        try (running) {
            long start = System.nanoTime();
            HttpGet.Response response;
            TcpSnapshot last;
            TcpSocket socket = TcpSocket.connect(running.runner(), target.address(), target.port(), CONNECT_TIMEOUT);
            try (OutputStream body = new BufferedOutputStream(output == null
                    ? standardOutput() : Files.newOutputStream(output), 1 << 16)) {
                response = HttpGet.fetch(socket, target.hostHeader(), target.path(), body);
                body.flush();
                last = socket.snapshot();
            } finally {
                socket.close();
            }
            // Our FIN and the peer's ACK before the stack goes away with the process.
            socket.awaitClosed(CLOSE_LIMIT);
            double seconds = (System.nanoTime() - start) / 1e9;
            err.printf("HTTP %d %s, %s body%n", response.status(), response.reason(), response.framing().label());
            err.printf("%,d bytes in %.3f s, %.1f Mbit/s; %,d retransmissions; final cwnd %,d bytes%n",
                    response.bodyBytes(), seconds, response.bodyBytes() * 8 / seconds / 1e6, last.retransmissions(),
                    last.congestionWindow());
            err.flush();
            return response.status() >= 400 ? 1 : 0;
        } catch (IOException e) {
            String where = target.address() + ":" + target.port();
            err.println("get: " + (String.valueOf(e.getMessage()).contains(where) ? e.getMessage() : where + ": " + e.getMessage()));
            return 1;
        }
    }
}
