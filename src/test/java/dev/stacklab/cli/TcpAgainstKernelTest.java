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

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
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
 * ways; refusals both ways; the kernel's RST reaching our application; and tshark finding a capture of a transfer
 * well formed with correct checksums.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TcpAgainstKernelTest {
    private KernelPeer kernel;
    private final List<Process> started = new ArrayList<>();

    @TempDir
    Path temp;

    @BeforeEach
    void makeKernelPeer() {
        for (String command : new String[] {"curl", "python3", "ethtool", "nc", "tshark", "tcpdump", "sha256sum"}) {
            Prerequisites.requireCommand(command);
        }
        kernel = KernelPeer.create();
    }

    @AfterEach
    void removeKernelPeer() {
        for (Process process : started) {
            process.destroyForcibly();
        }
        if (kernel != null) {
            kernel.close();
        }
    }

    @Test
    void theKernelsCurlAndNcUseServe() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CompletableFuture<Integer> serve = CompletableFuture.supplyAsync(() -> Main.run(new PrintWriter(out, true),
                new PrintWriter(err, true), "serve", "--interface-name", kernel.stackDevice, "--ip", kernel.stackCidr(),
                "--duration", "15", "--quiet"));
        awaitServing(out, err);
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
        // curl 7.88 words a refusal as "Couldn't connect to server" (older ones: "Connection refused"); after 0 ms.
        assertThat(refused.exitCode()).as(refused.stderr()).isEqualTo(7);
        assertThat(refused.stderr()).containsPattern("Connection refused|after [0-9] ms: Couldn't connect to server");

        assertThat(serve.get(30, TimeUnit.SECONDS)).as(err.toString()).isZero();
    }

    @Test
    void ourGetFetchesTenMebibytesFromPythonsHttpServerAndTsharkFindsTheCaptureClean() throws Exception {
        Path served = Files.createDirectory(temp.resolve("www"));
        byte[] file = new byte[10 << 20];
        new Random(3).nextBytes(file);
        Files.write(served.resolve("ten.bin"), file);
        startInKernel("python3", "-m", "http.server", "8000", "--bind", kernel.kernelAddress, "--directory", served.toString());
        awaitKernelListening(8000);
        Path pcap = temp.resolve("get.pcap");
        Process capture = kernel.startCapture(pcap);
        Path body = temp.resolve("ten.out");

        CommandRun get = CommandRun.of("get", "http://" + kernel.kernelAddress + ":8000/ten.bin", "--interface-name",
                kernel.stackDevice, "--ip", kernel.stackCidr(), "-o", body.toString());
        NamespacePair.stopCapture(capture);

        assertThat(get.exitCode()).as(get.err()).isZero();
        assertThat(sha256(Files.readAllBytes(body))).isEqualTo(sha256(file));
        assertThat(get.err()).startsWith("HTTP 200 OK, Content-Length body\n")
                .containsPattern("10,485,760 bytes in [0-9.]+ s, [0-9.]+ Mbit/s; [0-9,]+ retransmissions; final cwnd [0-9,]+ bytes");
        Processes.Result frames = Processes.run(List.of("tshark", "-r", pcap.toString(), "-T", "fields", "-e", "frame.number"), 120);
        assertThat(frames.stdout().lines().count()).as("frames captured").isGreaterThan(7000);
        Processes.Result bad = Processes.run(List.of("tshark", "-r", pcap.toString(), "-o", "tcp.check_checksum:TRUE",
                "-o", "ip.check_checksum:TRUE", "-Y",
                "_ws.malformed || ip.checksum.status == \"Bad\" || tcp.checksum.status == \"Bad\""), 120);
        assertThat(bad.exitCode()).as(bad.stderr()).isZero();
        assertThat(bad.stdout()).as("malformed frames or bad checksums").isEmpty();

        CommandRun refused = CommandRun.of("get", "http://" + kernel.kernelAddress + ":8001/", "--interface-name",
                kernel.stackDevice, "--ip", kernel.stackCidr());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err().strip()).isEqualTo("get: connection refused by " + kernel.kernelAddress + ":8001");
    }

    @Test
    void ncBothWaysEachSideClosingFirst() throws Exception {
        // Ours listens, the kernel's nc sends and closes first (-N: shutdown at the end of its input).
        Process ours = startOurs("the kernel's answer\n", "nc", "-l", "5000");
        awaitOurListener(ours);
        Processes.Result theirs = kernel.exec("sh", "-c", "printf 'from the kernel\\n' | nc -N -w 10 " + kernel.stackAddress + " 5000");
        assertThat(ours.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(ours.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("from the kernel\n");
        assertThat(ours.exitValue()).as(new String(ours.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        assertThat(theirs.stdout()).as(theirs.stderr()).isEqualTo("the kernel's answer\n");

        // The kernel listens (answering, then closing after our FIN), ours connects and closes first at its end of input.
        Path received = temp.resolve("kernel-received");
        startInKernel("sh", "-c", "printf 'hello from nc -l\\n' | nc -l -N " + kernel.kernelAddress + " 5001 > " + received);
        awaitKernelListening(5001);
        Process connecting = startOurs("from stacklab nc\n", "nc", kernel.kernelAddress, "5001");
        assertThat(connecting.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(connecting.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello from nc -l\n");
        assertThat(connecting.exitValue()).as(new String(connecting.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        awaitFile(received, "from stacklab nc\n");

        // Nobody listens on the kernel's 5002: refused.
        Process refused = startOurs("", "nc", kernel.kernelAddress, "5002");
        assertThat(refused.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(refused.exitValue()).isEqualTo(1);
        assertThat(new String(refused.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .isEqualTo("nc: connection refused by " + kernel.kernelAddress + ":5002\n");
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
        assertThat(ours.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(ours.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("before the reset\n");
        assertThat(new String(ours.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip())
                .isEqualTo("nc: connection reset by peer " + kernel.kernelAddress + ":5003");
        assertThat(ours.exitValue()).isEqualTo(1);
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
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!kernel.exec("ss", "-Hltn", "sport = :" + port).stdout().contains(":" + port)) {
            assertThat(System.nanoTime()).as("nothing listens on the kernel's port %d", port).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** Our listener is up once its host answers ARP: the kernel's nc may connect from then on. */
    private void awaitOurListener(Process ours) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (kernel.exec("ping", "-c", "1", "-W", "1", kernel.stackAddress).exitCode() != 0) {
            assertThat(ours.isAlive()).as("our nc -l exited").isTrue();
            assertThat(System.nanoTime()).as("our nc -l did not come up").isLessThan(deadline);
        }
        Thread.sleep(300); // the listener is made just after the host answers: a refused first try would be a flake
    }

    private static void awaitFile(Path file, String expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(file) || !Files.readString(file).equals(expected)) {
            assertThat(System.nanoTime()).as("%s holds %s", file, Files.exists(file) ? Files.readString(file) : "nothing")
                    .isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static void awaitServing(StringWriter out, StringWriter err) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!out.toString().contains("serving as")) {
            assertThat(System.nanoTime()).as("serve did not start: %s", err).isLessThan(deadline);
            Thread.sleep(20);
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
