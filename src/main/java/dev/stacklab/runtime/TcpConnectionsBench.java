package dev.stacklab.runtime;

import dev.stacklab.link.LinkException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Issue 8's "1,000 concurrent connections held by serve": our stack runs serve's TCP services
 * ({@link TcpServices}) on one end of a veth, and a python3 client in a namespace the bench makes opens N
 * connections to the echo port, sends a few bytes on each, reads every echo back and compares it, and keeps them
 * all open while the JVM's heap (after a full collection), resident memory and thread count are read and set
 * against the same figures before; then it closes them all and the bench waits for serve to let them go.
 */
public final class TcpConnectionsBench {
    /** The kernel's client: opens n connections, echoes size bytes on each, waits for a line, closes. */
    private static final String CLIENT = """
            import resource, socket, sys
            n, size, host = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
            soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
            resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, n + 64)), hard))
            payload = bytes((i * 7 + 3) % 256 for i in range(size))
            socks = [socket.create_connection((host, 7), timeout=30) for _ in range(n)]
            for s in socks:
                s.sendall(payload)
            for s in socks:
                got = b''
                while len(got) < size:
                    chunk = s.recv(size - len(got))
                    if not chunk:
                        sys.exit('a connection closed before its echo')
                    got += chunk
                if got != payload:
                    sys.exit('an echo differs from what was sent')
            print('open', len(socks), flush=True)
            sys.stdin.readline()
            for s in socks:
                s.close()
            print('closed', flush=True)
            """;
    private static final long WAIT_SECONDS = 120;

    /**
     * What holding the connections cost.
     *
     * @param connections      connections the client held open, each with its echo checked
     * @param bytesEach        bytes echoed on each
     * @param heapBefore       heap in use after a full collection, serve listening, no connection
     * @param heapHeld         the same with every connection open
     * @param rssBefore        resident set size of the JVM before
     * @param rssHeld          and with every connection open
     * @param threadsBefore    live JVM threads before
     * @param threadsHeld      and with every connection open
     * @param openSeconds      from the client's start to every echo checked
     * @param engineConnections connections the stack's TCP engine held at that moment
     */
    public record Result(int connections, int bytesEach, long heapBefore, long heapHeld, long rssBefore, long rssHeld,
                         int threadsBefore, int threadsHeld, double openSeconds, int engineConnections) {
        public double heapPerConnection() {
            return (double) (heapHeld - heapBefore) / connections;
        }

        public double rssPerConnection() {
            return (double) (rssHeld - rssBefore) / connections;
        }
    }

    private TcpConnectionsBench() {
    }

    public static Result run(int connections, int bytesEach, Consumer<String> progress)
            throws TcpVethBench.UnavailableException, IOException {
        String why = TcpVethBench.whyUnavailable();
        if (why != null) {
            throw new TcpVethBench.UnavailableException(why);
        }
        TcpVethBench.makeNetwork();
        Process client = null;
        try (Host host = Host.onInterface(TcpVethBench.STACK_DEVICE).address(TcpVethBench.STACK_ADDRESS).start()) {
            TcpServices services = TcpServices.start(host.runner());
            long heapBefore = heapAfterCollection();
            long rssBefore = residentBytes();
            int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
            long start = System.nanoTime();
            client = new ProcessBuilder("ip", "netns", "exec", TcpVethBench.NAMESPACE, "python3", "-c", CLIENT,
                    Integer.toString(connections), Integer.toString(bytesEach),
                    TcpVethBench.addressOf(TcpVethBench.STACK_ADDRESS).toString())
                    .redirectErrorStream(true).start();
            BufferedReader lines = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
            String opened = lines.readLine();
            if (opened == null || !opened.equals("open " + connections)) {
                throw new IOException("the python3 client did not open " + connections + " connections: " + opened
                        + (opened == null ? "" : " " + String.join(" ", lines.lines().toList())));
            }
            double openSeconds = (System.nanoTime() - start) / 1e9;
            progress.accept(String.format("  %,d connections open, each echoed %,d bytes, in %.2f s", connections, bytesEach,
                    openSeconds));
            long heapHeld = heapAfterCollection();
            long rssHeld = residentBytes();
            int threadsHeld = ManagementFactory.getThreadMXBean().getThreadCount();
            int engineConnections = TcpSocket.await(host.runner().submit((stack, now) ->
                    host.runner().tcp().engine().connections().size()), java.time.Duration.ofSeconds(10), "count connections");
            try (OutputStream toClient = client.getOutputStream()) {
                toClient.write('\n');
            }
            String closed = lines.readLine();
            if (!"closed".equals(closed)) {
                throw new IOException("the python3 client did not close its connections: " + closed);
            }
            client.waitFor(WAIT_SECONDS, TimeUnit.SECONDS);
            services.close();
            return new Result(connections, bytesEach, heapBefore, heapHeld, rssBefore, rssHeld, threadsBefore, threadsHeld,
                    openSeconds, engineConnections);
        } catch (LinkException e) {
            throw new IOException(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            if (client != null) {
                client.destroy();
            }
            TcpVethBench.removeNetwork();
        }
    }

    private static long heapAfterCollection() {
        // Two collections: the first may only move objects that the second then frees.
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** VmRSS from /proc/self/status, in bytes. */
    private static long residentBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }
}
