package dev.stacklab.cli;

import dev.stacklab.testsupport.KernelPeer;
import dev.stacklab.testsupport.NamespacePair;
import dev.stacklab.testsupport.Prerequisites;
import dev.stacklab.testsupport.Processes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * stacklab's TCP against the Linux kernel's, over a veth into a namespace made here: the kernel's curl and nc
 * against {@code serve}; our {@code get} against python's http.server and our {@code nc} against the kernel's, both
 * ways, each side closing first (the other waits for its FIN, and the capture shows whose FIN came first); refusals
 * both ways; the kernel's RST reaching our application; and tshark finding every frame of every test (captured on the
 * kernel's end of the veth) well formed, with correct IP and TCP checksums.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class TcpAgainstKernelTest {
    /** How long a process here may take to finish its part: generous, as a loaded machine starts JVMs slowly. */
    private static final long WAIT_SECONDS = 60;
    /** The kernel's nc -w: how long it waits on a quiet connection for ours (slow to answer on a loaded machine). */
    private static final int KERNEL_NC_IDLE_SECONDS = 30;

    private KernelPeer kernel;
    private final List<Process> started = new ArrayList<>();
    private final List<StacklabProcess> served = new ArrayList<>();
    private Process capture;
    private Path pcap;

    @TempDir
    Path temp;

    @BeforeEach
    void makeKernelPeer() {
        for (String command : new String[] {"curl", "python3", "ethtool", "nc", "tshark", "tcpdump", "sha256sum"}) {
            Prerequisites.requireCommand(command);
        }
        kernel = KernelPeer.create();
        pcap = temp.resolve("veth.pcap");
        capture = kernel.startCapture(pcap);
    }

    @AfterEach
    void removeKernelPeer() {
        for (Process process : started) {
            process.destroyForcibly();
        }
        served.forEach(StacklabProcess::close);
        if (kernel != null) {
            kernel.close();
        }
    }

    @Test
    void theKernelsCurlAndNcUseServe() throws Exception {
        // serve in a JVM of its own, ended with Ctrl-C once the kernel is done: a fixed --duration could run out before
        // the kernel's last command on a loaded machine.
        StacklabProcess serve = StacklabProcess.start("serve", "--interface-name", kernel.stackDevice, "--ip", kernel.stackCidr(), "--quiet");
        served.add(serve);
        serve.awaitOutput(text -> text.contains("serving as"));
        String stack = kernel.stackAddress;

        Processes.Result curl = kernel.exec("sh", "-c", "curl -sS --max-time 20 http://" + stack + "/bytes/1048576 | sha256sum");
        assertThat(curl.stdout().split(" ")[0]).as(curl.stderr()).isEqualTo(generatedSha256(1 << 20));
        Processes.Result index = kernel.exec("curl", "-sS", "--max-time", "5", "http://" + stack + "/");
        assertThat(index.stdout()).as(index.stderr()).contains("stacklab");
        Processes.Result missing = kernel.exec("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "5",
                "http://" + stack + "/nothing");
        assertThat(missing.stdout()).isEqualTo("404");
        Processes.Result echo = kernel.exec("sh", "-c", "printf 'through TCP echo\\n' | nc -N -w 5 " + stack + " 7");
        assertThat(echo.stdout()).as(echo.stderr()).isEqualTo("through TCP echo\n");
        Processes.Result refused = kernel.exec("curl", "-sS", "--max-time", "5", "http://" + stack + ":81/");
        // curl 7.88 words a refusal as "Couldn't connect to server" (older ones: "Connection refused"), after a few
        // ms (15 ms seen at load 4), where a timeout would take the 5 s of --max-time.
        assertThat(refused.exitCode()).as(refused.stderr()).isEqualTo(7);
        assertThat(refused.stderr()).containsPattern("Connection refused|after [0-9]{1,3} ms: Couldn't connect to server");

        assertThat(serve.interrupt(StackAgainstKernelTest.SERVE_STOP_SECONDS)).as(serve.output()).isZero();
        assertThat(stopCaptureAndCheckItClean()).as("frames of 1 MiB and more").isGreaterThan(700);
    }

    @Test
    void ourGetFetchesTenMebibytesFromPythonsHttpServerAndTsharkFindsTheCaptureClean() throws Exception {
        Path served = Files.createDirectory(temp.resolve("www"));
        byte[] file = new byte[10 << 20];
        new Random(3).nextBytes(file);
        Files.write(served.resolve("ten.bin"), file);
        startInKernel("python3", "-m", "http.server", "8000", "--bind", kernel.kernelAddress, "--directory", served.toString());
        awaitKernelListening(8000);
        Path body = temp.resolve("ten.out");

        CommandRun get = CommandRun.of("get", "http://" + kernel.kernelAddress + ":8000/ten.bin", "--interface-name",
                kernel.stackDevice, "--ip", kernel.stackCidr(), "-o", body.toString());

        assertThat(get.exitCode()).as(get.err()).isZero();
        assertThat(sha256(Files.readAllBytes(body))).isEqualTo(sha256(file));
        assertThat(get.err()).startsWith("HTTP 200 OK, Content-Length body\n")
                .containsPattern("10,485,760 bytes in [0-9.]+ s, [0-9.]+ Mbit/s; [0-9,]+ retransmissions; final cwnd [0-9,]+ bytes");

        CommandRun refused = CommandRun.of("get", "http://" + kernel.kernelAddress + ":8001/", "--interface-name",
                kernel.stackDevice, "--ip", kernel.stackCidr());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err().strip()).isEqualTo("get: connection refused by " + kernel.kernelAddress + ":8001");
        assertThat(stopCaptureAndCheckItClean()).as("frames captured").isGreaterThan(7000);
    }

    /**
     * Both ways (the kernel's nc connecting to ours, ours to the kernel's nc -l) and each side closing first: the side
     * that closes second holds its input open until the kernel's socket shows the first FIN arrived (FIN-WAIT-2 on
     * the kernel's side when the kernel closed first, CLOSE-WAIT when ours did), and the capture shows whose FIN came
     * first. OpenBSD's nc -l quits once the network side ends, so with the kernel listening and ours closing first the
     * kernel's nc sends nothing (-d) and its FIN follows ours.
     */
    @Test
    void ncBothWaysEachSideClosingFirst() throws Exception {
        // 5000: the kernel's nc connects, sends and closes first (-N); ours answers after, then closes.
        Process ours = startOurs(null, "nc", "-v", "-l", "5000");
        awaitOurListener(ours);
        CompletableFuture<Processes.Result> theirs = CompletableFuture.supplyAsync(() -> kernel.exec("sh", "-c",
                "printf 'from the kernel\\n' | nc -N -w " + KERNEL_NC_IDLE_SECONDS + " " + kernel.stackAddress + " 5000"));
        awaitKernelSocket("fin-wait-2", "dport = :5000");
        closeInput(ours, "the kernel's answer\n");
        assertFinished(ours, "from the kernel\n");
        Processes.Result theirsDone = theirs.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(theirsDone.stdout()).as(theirsDone.stderr()).isEqualTo("the kernel's answer\n");

        // 5001: the kernel's nc connects; ours sends and closes first; the kernel's answers once in CLOSE-WAIT.
        ours = startOurs("from stacklab nc -l\n", "nc", "-v", "-l", "5001");
        awaitOurListener(ours);
        theirs = CompletableFuture.supplyAsync(() -> kernel.exec("sh", "-c",
                "(until ss -Htn state close-wait '( dport = :5001 )' | grep -q .; do sleep 0.05; done;"
                        + " printf 'answer after your FIN\\n') | nc -N -w " + KERNEL_NC_IDLE_SECONDS + " " + kernel.stackAddress + " 5001"));
        assertFinished(ours, "answer after your FIN\n");
        theirsDone = theirs.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(theirsDone.stdout()).as(theirsDone.stderr()).isEqualTo("from stacklab nc -l\n");

        // 5002: ours connects to the kernel's nc -l, which sends and closes first; ours answers after, then closes.
        Path received = temp.resolve("kernel-received-5002");
        startInKernel("sh", "-c", "printf 'hello from nc -l\\n' | nc -l -N " + kernel.kernelAddress + " 5002 > " + received);
        awaitKernelListening(5002);
        Process connecting = startOurs(null, "nc", kernel.kernelAddress, "5002");
        awaitKernelSocket("fin-wait-2", "sport = :5002");
        closeInput(connecting, "from stacklab nc\n");
        assertFinished(connecting, "hello from nc -l\n");
        awaitFile(received, "from stacklab nc\n");

        // 5003: ours connects, sends and closes first; the kernel's nc -l (sending nothing) closes after.
        Path received5003 = temp.resolve("kernel-received-5003");
        startInKernel("sh", "-c", "nc -d -l " + kernel.kernelAddress + " 5003 > " + received5003);
        awaitKernelListening(5003);
        assertFinished(startOurs("closing first\n", "nc", kernel.kernelAddress, "5003"), "");
        awaitFile(received5003, "closing first\n");

        // Nobody listens on the kernel's 5004: refused.
        Process refused = startOurs("", "nc", kernel.kernelAddress, "5004");
        assertThat(refused.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(refused.exitValue()).isEqualTo(1);
        assertThat(new String(refused.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .isEqualTo("nc: connection refused by " + kernel.kernelAddress + ":5004\n");

        stopCaptureAndCheckItClean();
        assertThat(firstFinSender(5000)).as("who closed first on port 5000").isEqualTo(kernel.kernelAddress);
        assertThat(firstFinSender(5001)).as("who closed first on port 5001").isEqualTo(kernel.stackAddress);
        assertThat(firstFinSender(5002)).as("who closed first on port 5002").isEqualTo(kernel.kernelAddress);
        assertThat(firstFinSender(5003)).as("who closed first on port 5003").isEqualTo(kernel.stackAddress);
        assertThat(capturedLines("tcp.port == 5004 && tcp.flags.reset == 1", "ip.src")).as("the kernel's refusal")
                .containsExactly(kernel.kernelAddress);
    }

    private static void closeInput(Process ours, String lastWords) throws IOException {
        ours.getOutputStream().write(lastWords.getBytes(StandardCharsets.UTF_8));
        ours.getOutputStream().close();
    }

    /** Our nc ends (within a minute), exit status 0, having written {@code output}. */
    private static void assertFinished(Process ours, String output) throws Exception {
        assertThat(ours.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).as("our nc ended").isTrue();
        String err = new String(ours.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(new String(ours.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).as(err).isEqualTo(output);
        assertThat(ours.exitValue()).as(err).isZero();
    }

    @Test
    void theKernelsResetReachesOurNcAsResetByPeer() throws Exception {
        String script = "import socket,struct,time\n"
                + "s=socket.socket(); s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1)\n"
                + "s.bind(('" + kernel.kernelAddress + "',5003)); s.listen(1)\n"
                + "c,_=s.accept(); c.sendall(b'before the reset\\n'); time.sleep(0.5)\n"
                + "c.setsockopt(socket.SOL_SOCKET,socket.SO_LINGER,struct.pack('ii',1,0)); c.close()\n";
        startInKernel("python3", "-c", script);
        awaitKernelListening(5003);
        Process ours = startOurs(null, "nc", kernel.kernelAddress, "5003");
        assertThat(ours.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(ours.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("before the reset\n");
        assertThat(new String(ours.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip())
                .isEqualTo("nc: connection reset by peer " + kernel.kernelAddress + ":5003");
        assertThat(ours.exitValue()).isEqualTo(1);
        stopCaptureAndCheckItClean();
        assertThat(capturedLines("tcp.port == 5003 && tcp.flags.reset == 1", "ip.src")).as("the reset, and who sent it")
                .containsExactly(kernel.kernelAddress);
    }

    /**
     * Stops the capture of the kernel's end of the veth and has tshark check every frame in it: none malformed, no
     * bad IP or TCP checksum. Returns how many frames it holds.
     */
    private long stopCaptureAndCheckItClean() {
        NamespacePair.stopCapture(capture);
        Processes.Result frames = Processes.run(List.of("tshark", "-r", pcap.toString(), "-T", "fields", "-e", "frame.number"), 120);
        assertThat(frames.exitCode()).as(frames.stderr()).isZero();
        Processes.Result bad = Processes.run(List.of("tshark", "-r", pcap.toString(), "-o", "tcp.check_checksum:TRUE",
                "-o", "ip.check_checksum:TRUE", "-Y",
                "_ws.malformed || ip.checksum.status == \"Bad\" || tcp.checksum.status == \"Bad\""), 120);
        assertThat(bad.exitCode()).as(bad.stderr()).isZero();
        assertThat(bad.stdout()).as("malformed frames or bad checksums").isEmpty();
        return frames.stdout().lines().count();
    }

    /** One line per captured frame that {@code filter} matches: the given fields, tab-separated. */
    private List<String> capturedLines(String filter, String... fields) {
        List<String> command = new ArrayList<>(List.of("tshark", "-r", pcap.toString(), "-Y", filter, "-T", "fields"));
        for (String field : fields) {
            command.addAll(List.of("-e", field));
        }
        Processes.Result result = Processes.run(command, 120);
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        return result.stdout().lines().toList();
    }

    /** The address that sent the first FIN on the connection to or from {@code port}. */
    private String firstFinSender(int port) {
        List<String> senders = capturedLines("tcp.port == " + port + " && tcp.flags.fin == 1", "ip.src");
        assertThat(senders).as("FINs on port %d", port).isNotEmpty();
        return senders.get(0);
    }

    /**
     * Waits until the kernel has a TCP socket in {@code state} matching {@code filter} (ss's syntax): up to a minute,
     * which may include our nc's JVM starting and connecting.
     */
    private void awaitKernelSocket(String state, String filter) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (kernel.exec("ss", "-Htn", "state", state, "( " + filter + " )").stdout().isBlank()) {
            assertThat(System.nanoTime()).as("no kernel socket in %s with %s", state, filter).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** Our nc (or another command) as a process of its own, with {@code input} as its standard input (null: kept open). */
    private Process startOurs(String input, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        command.addAll(List.of("--interface-name", kernel.stackDevice, "--ip", kernel.stackCidr()));
        Process process = new ProcessBuilder(command).start();
        started.add(process);
        if (input != null) {
            process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().close();
        }
        return process;
    }

    private void startInKernel(String... command) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", kernel.namespace));
        full.addAll(List.of(command));
        started.add(new ProcessBuilder(full).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(temp.resolve("kernel-" + started.size() + ".err").toFile())
                .start());
    }

    private void awaitKernelListening(int port) throws InterruptedException {
        // Python's http.server takes seconds to start when other builds share the cores: wait up to 60 s.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!kernel.exec("ss", "-Hltn", "sport = :" + port).stdout().contains(":" + port)) {
            assertThat(System.nanoTime()).as("nothing listens on the kernel's port %d", port).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /**
     * Our nc -v -l says "Listening on" once its port has a listener: the kernel's nc may connect from then on. (Waiting
     * for the host to answer ping and then a fixed 300 ms was a guess that a loaded machine could outrun.)
     */
    private static void awaitOurListener(Process ours) throws IOException {
        // Byte by byte, so that nothing after the line is taken from the stream; the class's @Timeout bounds the read,
        // should nc neither listen nor exit.
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        InputStream err = ours.getErrorStream();
        for (int b; (b = err.read()) != -1 && b != '\n'; ) {
            line.write(b);
        }
        assertThat(line.toString(StandardCharsets.UTF_8)).as("our nc -l's first line on standard error").startsWith("Listening on ");
    }

    private static void awaitFile(Path file, String expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!Files.exists(file) || !Files.readString(file).equals(expected)) {
            assertThat(System.nanoTime()).as("%s holds %s", file, Files.exists(file) ? Files.readString(file) : "nothing")
                    .isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static String generatedSha256(int count) throws Exception {
        byte[] bytes = new byte[count];
        for (int i = 0; i < count; i++) {
            bytes[i] = (byte) ('a' + Math.floorMod((long) i * 7 + i / 251, 26));
        }
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static byte[] sha256(byte[] data) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }
}
