package dev.stacklab.runtime;

import dev.stacklab.link.LinkException;
import dev.stacklab.link.Privileges;
import dev.stacklab.runtime.LabNetwork.LabNetworkException;
import dev.stacklab.stack.tcp.TcpSnapshot;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.Ipv4Cidr;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Issue 8's speed figure over a real wire: on one veth pair whose kernel end sits in a network namespace of its
 * own, {@code stacklab get} of a file from the kernel's HTTP server ({@code python3 -m http.server}) next to the
 * kernel's own {@code curl} of the same URL over the same veth, rounds alternated so that a change in the machine's
 * load hits both alike. The bench makes the namespace, the veth pair and the file, and removes them at the end.
 *
 * <p>The kernel's end has its checksum and segmentation offloads off (as {@link LabNetwork} does): the stack needs
 * frames of at most the MTU with finished checksums, and the kernel's curl then receives the same 1500-byte frames.
 * For the kernel's curl the stack's end of the veth gets an address of its own ({@link #REFERENCE_ADDRESS}) just
 * for its round; while our stack runs, that end has no address, so the kernel never answers for the stack, and
 * while curl runs our stack is closed, so libpcap copies none of curl's frames.
 *
 * <p>The file is one seeded 1 MiB random block repeated: every byte our stack receives is compared with it, so a
 * transfer that is fast and wrong fails instead.
 */
public final class TcpVethBench {
    public static final String NAMESPACE = "slbench";
    static final String STACK_DEVICE = "slb-stack";
    static final String KERNEL_DEVICE = "slb-kernel";
    static final String KERNEL_ADDRESS = "10.98.0.1/24";
    static final String STACK_ADDRESS = "10.98.0.2/24";
    /** The kernel's own address on the stack's end, only during a curl round. */
    static final String REFERENCE_ADDRESS = "10.98.0.3/24";
    static final int PORT = 8000;
    private static final String FILE_NAME = "bench.bin";
    private static final String WARM_UP_FILE_NAME = "warm-up.bin";
    private static final int BLOCK = 1 << 20;
    static final int WARM_UP_GETS = 3;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CLOSE_LIMIT = Duration.ofSeconds(5);
    private static final int TRANSFER_LIMIT_SECONDS = 300;
    /** Linux's USER_HZ: the unit of utime and stime in /proc/PID/stat. */
    private static final double CLOCK_TICKS_PER_SECOND = 100;

    /**
     * One transfer of the file.
     *
     * @param bytes           body bytes received
     * @param wallNanos       from the connect (curl: from its start) to the last byte
     * @param clientCpuNanos  the client process's CPU time over the transfer (ours: the whole JVM, every thread; curl:
     *                        its user and system time), or -1 when unknown
     * @param serverCpuNanos  the HTTP server's CPU time over the same transfer
     * @param retransmissions segments our stack sent again (0 for curl: not known)
     * @param inboxDrops      received frames our runner dropped because its inbox was full (0 for curl)
     * @param stackCpuNanos   ours only: the CPU time of the threads that move the data (the link's reader, the
     *                        runner, the thread reading the body), without the JIT compiler's and the GC's; -1 for curl
     */
    public record Transfer(long bytes, long wallNanos, long clientCpuNanos, long serverCpuNanos, long retransmissions,
                           long inboxDrops, long stackCpuNanos) {
        public double megabitsPerSecond() {
            return bytes * 8e3 / wallNanos;
        }
    }

    /** Every round of both clients, in the order run. */
    public record Result(long fileBytes, List<Transfer> stack, List<Transfer> kernel) {
        public static double median(List<Transfer> transfers) {
            double[] rates = transfers.stream().mapToDouble(Transfer::megabitsPerSecond).sorted().toArray();
            int n = rates.length;
            return n == 0 ? 0 : n % 2 == 1 ? rates[n / 2] : (rates[n / 2 - 1] + rates[n / 2]) / 2;
        }
    }

    /** A bench that cannot run here (no root, a command missing), in one line that names the fix. */
    public static final class UnavailableException extends Exception {
        public UnavailableException(String message) {
            super(message);
        }
    }

    private final long fileBytes;
    private final long warmUpBytes;
    private final byte[] block = new byte[BLOCK];
    private final Consumer<String> progress;
    private Path directory;
    private Process server;

    private TcpVethBench(long fileBytes, long warmUpBytes, Consumer<String> progress) {
        this.fileBytes = fileBytes;
        this.warmUpBytes = warmUpBytes;
        this.progress = progress;
        new Random(fileBytes).nextBytes(block);
    }

    /** Says, in one line with the fix, why the bench cannot run here; null when it can. */
    public static String whyUnavailable() {
        if (!LabNetwork.isRoot() || !Privileges.canAdministerNetwork() || !Privileges.canCapture()) {
            return "needs root to make a network namespace and a veth pair: run it with sudo"
                    + " (sudo java -jar target/stacklab.jar bench tcp --veth)";
        }
        for (String[] command : new String[][] {{"ip", "iproute2"}, {"python3", "python3"}, {"curl", "curl"},
                {"ethtool", "ethtool"}}) {
            if (!onPath(command[0])) {
                return "needs `" + command[0] + "`: install it with sudo apt-get install " + command[1];
            }
        }
        if (new File("/run/netns/" + NAMESPACE).exists()) {
            return "the namespace " + NAMESPACE + " exists already (another bench running, or one killed): remove it with"
                    + " sudo ip netns del " + NAMESPACE;
        }
        return null;
    }

    /**
     * Makes the network, serves a file of {@code fileBytes}, and runs {@code rounds} rounds of curl then our get, after
     * one unmeasured get of {@code warmUpBytes} (so the JIT compiles the path); removes everything again.
     */
    public static Result run(long fileBytes, long warmUpBytes, int rounds, Consumer<String> progress)
            throws UnavailableException, IOException {
        String why = whyUnavailable();
        if (why != null) {
            throw new UnavailableException(why);
        }
        TcpVethBench bench = new TcpVethBench(fileBytes, warmUpBytes, progress);
        try {
            bench.setUp();
            // Three gets before the first measured one: after one of 50 MiB the JIT was still compiling the receive
            // path (a first round at a quarter of the next two's rate, the compiler's threads busy).
            for (int i = 0; i < WARM_UP_GETS && warmUpBytes > 0; i++) {
                bench.stackGet(WARM_UP_FILE_NAME, warmUpBytes);
            }
            List<Transfer> stack = new ArrayList<>();
            List<Transfer> kernel = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                Transfer curl = bench.kernelCurl();
                kernel.add(curl);
                progress.accept(String.format("  round %d: kernel curl %,.0f Mbit/s", round, curl.megabitsPerSecond()));
                Transfer ours = bench.stackGet(FILE_NAME, fileBytes);
                stack.add(ours);
                progress.accept(String.format("  round %d: stacklab get %,.0f Mbit/s", round, ours.megabitsPerSecond()));
            }
            return new Result(fileBytes, stack, kernel);
        } finally {
            bench.tearDown();
        }
    }

    static Ipv4Address addressOf(String cidr) {
        return Ipv4Cidr.parse(cidr).address();
    }

    private String url() {
        return "http://" + addressOf(KERNEL_ADDRESS) + ":" + PORT + "/" + FILE_NAME;
    }

    // ---------------------------------------------------------------- the network and the server

    private void setUp() throws IOException {
        directory = Files.createTempDirectory("stacklab-bench-");
        writeFile(directory.resolve(FILE_NAME), fileBytes);
        writeFile(directory.resolve(WARM_UP_FILE_NAME), warmUpBytes);
        makeNetwork();
        startServer();
    }

    /**
     * The namespace {@link #NAMESPACE} with {@link #KERNEL_DEVICE} at {@link #KERNEL_ADDRESS}, its veth peer
     * {@link #STACK_DEVICE} here without an address; offloads off on the kernel's end.
     */
    static void makeNetwork() throws IOException {
        try {
            LabNetwork.run("ip", "netns", "add", NAMESPACE);
            LabNetwork.run("ip", "link", "add", STACK_DEVICE, "type", "veth", "peer", "name", KERNEL_DEVICE, "netns", NAMESPACE);
            quietly("sysctl", "-qw", "net.ipv6.conf." + STACK_DEVICE + ".disable_ipv6=1");
            // As LabNetwork: the host's kernel must not answer ARP for, or route on, what arrives for the stack.
            LabNetwork.run("sysctl", "-qw", "net.ipv4.conf." + STACK_DEVICE + ".arp_ignore=1");
            LabNetwork.run("sysctl", "-qw", "net.ipv4.conf." + STACK_DEVICE + ".forwarding=0");
            LabNetwork.run("ip", "link", "set", STACK_DEVICE, "up");
            quietly("ip", "netns", "exec", NAMESPACE, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1");
            LabNetwork.run("ip", "-n", NAMESPACE, "addr", "add", KERNEL_ADDRESS, "dev", KERNEL_DEVICE);
            LabNetwork.run("ip", "-n", NAMESPACE, "link", "set", "lo", "up");
            LabNetwork.run("ip", "-n", NAMESPACE, "link", "set", KERNEL_DEVICE, "up");
            LabNetwork.run("ip", "netns", "exec", NAMESPACE, "ethtool", "-K", KERNEL_DEVICE, "tx", "off", "tso", "off", "gso", "off");
        } catch (LabNetworkException e) {
            removeNetwork();
            throw new IOException(e.getMessage(), e);
        }
    }

    /** Deleting the namespace deletes its end of the veth, and with it the pair. */
    static void removeNetwork() {
        quietly("ip", "netns", "del", NAMESPACE);
        quietly("ip", "link", "del", STACK_DEVICE);
    }

    private void writeFile(Path file, long size) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < size; ) {
                int n = (int) Math.min(BLOCK, size - written);
                out.write(block, 0, n);
                written += n;
            }
        }
    }

    private void startServer() throws IOException {
        // -u: the "Serving HTTP" line must not wait in a pipe's buffer, it says the socket is listening.
        server = new ProcessBuilder("ip", "netns", "exec", NAMESPACE, "python3", "-u", "-m", "http.server",
                Integer.toString(PORT), "--bind", addressOf(KERNEL_ADDRESS).toString(), "--directory", directory.toString())
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        String first = lines.readLine();
        if (first == null || !first.startsWith("Serving HTTP")) {
            throw new IOException("python3 -m http.server did not start: " + first);
        }
        // Its request log goes on: drain it so the server never blocks on a full pipe.
        Thread drain = new Thread(() -> {
            try {
                while (lines.readLine() != null) {
                    // the request log is not needed
                }
            } catch (IOException e) {
                // the server ended
            }
        }, "stacklab-bench-server-log");
        drain.setDaemon(true);
        drain.start();
    }

    private void tearDown() {
        if (server != null) {
            server.descendants().forEach(ProcessHandle::destroy);
            server.destroy();
            try {
                server.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        removeNetwork();
        if (directory != null) {
            try {
                Files.deleteIfExists(directory.resolve(FILE_NAME));
                Files.deleteIfExists(directory.resolve(WARM_UP_FILE_NAME));
                Files.deleteIfExists(directory);
            } catch (IOException e) {
                progress.accept("  could not remove " + directory + ": " + e.getMessage());
            }
        }
    }

    static void quietly(String... command) {
        try {
            LabNetwork.execute(List.of(command));
        } catch (LabNetworkException ignored) {
            // best effort: tuning or removing what is not there
        }
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String directory : path.split(File.pathSeparator)) {
            if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, command))) {
                return true;
            }
        }
        return false;
    }

    /** The server's (python's, not ip's) user plus system time so far, from /proc. */
    private long serverCpuNanos() {
        ProcessHandle python = server.descendants().findFirst().orElse(server.toHandle());
        try {
            String stat = Files.readString(Path.of("/proc/" + python.pid() + "/stat"));
            // The command name may hold spaces: the fields counted from after its closing parenthesis.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return Math.round(ticks / CLOCK_TICKS_PER_SECOND * 1e9);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    // ---------------------------------------------------------------- the two clients

    /** The kernel's curl over the same veth, from the reference address; its own timing, its CPU from time(1). */
    private Transfer kernelCurl() throws IOException {
        try {
            LabNetwork.run("ip", "addr", "add", REFERENCE_ADDRESS, "dev", STACK_DEVICE);
        } catch (LabNetworkException e) {
            throw new IOException(e.getMessage(), e);
        }
        try {
            long serverBefore = serverCpuNanos();
            List<String> command = new ArrayList<>();
            boolean timed = Files.isExecutable(Path.of("/usr/bin/time"));
            if (timed) {
                command.addAll(List.of("/usr/bin/time", "-f", "cpu %U %S"));
            }
            command.addAll(List.of("curl", "-sS", "--max-time", Integer.toString(TRANSFER_LIMIT_SECONDS), "--interface",
                    STACK_DEVICE, "-o", "/dev/null", "-w", "curl %{size_download} %{time_total}\\n", url()));
            LabNetwork.Result result = LabNetwork.execute(command, TRANSFER_LIMIT_SECONDS + 10);
            long serverCpu = serverCpuNanos() - serverBefore;
            long bytes = -1;
            double seconds = 0;
            long cpu = -1;
            for (String line : result.output().lines().toList()) {
                String[] words = line.strip().split(" ");
                if (words[0].equals("curl") && words.length == 3) {
                    bytes = Long.parseLong(words[1]);
                    seconds = Double.parseDouble(words[2]);
                } else if (words[0].equals("cpu") && words.length == 3) {
                    cpu = Math.round((Double.parseDouble(words[1]) + Double.parseDouble(words[2])) * 1e9);
                }
            }
            if (result.exitCode() != 0 || bytes != fileBytes) {
                throw new IOException("the kernel's curl of " + url() + " failed: " + result.output().strip());
            }
            return new Transfer(bytes, Math.round(seconds * 1e9), cpu, serverCpu, 0, 0, -1);
        } catch (LabNetworkException | NumberFormatException e) {
            throw new IOException("the kernel's curl of " + url() + " failed: " + e.getMessage(), e);
        } finally {
            quietly("ip", "addr", "del", REFERENCE_ADDRESS, "dev", STACK_DEVICE);
        }
    }

    /** Our stack on a fresh pcap link, HTTP GET of a file of {@code bytes}, every byte compared. */
    private Transfer stackGet(String fileName, long bytes) throws IOException {
        Host host;
        try {
            host = Host.onInterface(STACK_DEVICE).address(STACK_ADDRESS).start();
        } catch (LinkException e) {
            throw new IOException(e.getMessage(), e);
        }
        try (host) {
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long serverBefore = serverCpuNanos();
            long cpuBefore = os.getProcessCpuTime();
            long readerCpuBefore = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            long start = System.nanoTime();
            TcpSocket socket = TcpSocket.connect(host.runner(), addressOf(KERNEL_ADDRESS), PORT, CONNECT_TIMEOUT);
            HttpGet.Response response;
            TcpSnapshot last;
            CheckingOutput body = new CheckingOutput(bytes);
            try {
                response = HttpGet.fetch(socket, hostHeader(), "/" + fileName, body);
                last = socket.snapshot();
            } finally {
                socket.close();
            }
            long elapsed = System.nanoTime() - start;
            long cpu = os.getProcessCpuTime() - cpuBefore;
            long stackCpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - readerCpuBefore
                    + stackThreadsCpuNanos();
            long serverCpu = serverCpuNanos() - serverBefore;
            socket.awaitClosed(CLOSE_LIMIT);
            if (response.status() / 100 != 2 || body.received != bytes) {
                throw new IOException("stacklab get of /" + fileName + ": HTTP " + response.status() + ", " + body.received
                        + " of " + bytes + " bytes");
            }
            return new Transfer(body.received, elapsed, cpu, serverCpu, last.retransmissions(), host.runner().droppedFrames(),
                    stackCpu);
        }
    }

    /**
     * The CPU time so far of the link's reader and the runner (threads named stacklab-pcap-... and stacklab-stack-...
     * on {@link #STACK_DEVICE}), made for this host: from its start, which adds only the ARP exchange and the handshake.
     */
    private static long stackThreadsCpuNanos() {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            String name = thread.getName();
            if (name.equals("stacklab-pcap-" + STACK_DEVICE) || name.equals("stacklab-stack-" + STACK_DEVICE)) {
                total += Math.max(0, threads.getThreadCpuTime(thread.getId()));
            }
        }
        return total;
    }

    private static String hostHeader() {
        return addressOf(KERNEL_ADDRESS) + ":" + PORT;
    }

    /** The body compared, byte for byte, with the file's repeated block; fails on the first difference. */
    private final class CheckingOutput extends OutputStream {
        private final long expected;
        long received;

        CheckingOutput(long expected) {
            this.expected = expected;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] data, int offset, int length) throws IOException {
            if (received + length > expected) {
                throw new IOException("more than the " + expected + " bytes asked for arrived");
            }
            int done = 0;
            while (done < length) {
                int at = (int) ((received + done) % BLOCK);
                int count = Math.min(length - done, BLOCK - at);
                int mismatch = Arrays.mismatch(data, offset + done, offset + done + count, block, at, at + count);
                if (mismatch >= 0) {
                    throw new IOException("byte " + (received + done + mismatch) + " of the body arrived wrong");
                }
                done += count;
            }
            received += length;
        }
    }
}
