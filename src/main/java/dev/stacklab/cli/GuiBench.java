package dev.stacklab.cli;

import atlantafx.base.theme.PrimerLight;
import dev.stacklab.app.AppContext;
import dev.stacklab.app.EventPump;
import dev.stacklab.app.Notifier;
import dev.stacklab.app.WindowJvmOptions;
import dev.stacklab.app.capture.CaptureView;
import dev.stacklab.app.capture.CaptureViewModel;
import dev.stacklab.capture.CaptureReader;
import dev.stacklab.capture.CapturedFrame;
import dev.stacklab.runtime.LabSession;
import javafx.animation.AnimationTimer;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.beans.property.SimpleObjectProperty;
import javafx.scene.Scene;
import javafx.stage.Stage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * {@code stacklab bench gui}: the capture panes under load, in a real window when DISPLAY is set, else headless
 * (Monocle, as the tests run). Offline: a large capture opens (list ready), a display filter runs over all of it,
 * and the process's resident memory is read. Live: a synthetic source pushes frames at a fixed rate through the
 * app's EventPump for a while, and the FX thread's pulses are counted and timed. The panes run in a JVM with the
 * window's own options ({@link WindowJvmOptions}): started without them, the bench starts such a JVM for its work.
 */
@Command(name = "gui", sortOptions = false, description = "The capture panes under load: pulses, stalls, open and filter times, memory.")
final class GuiBench implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @Option(names = "--live-seconds", paramLabel = "S", defaultValue = "60", description = "how long the live source runs (default ${DEFAULT-VALUE}; 0 skips)")
    int liveSeconds;

    @Option(names = "--rate", paramLabel = "N", defaultValue = "20000", description = "live frames per second (default ${DEFAULT-VALUE})")
    int rate;

    @Option(names = "--frames", paramLabel = "N", defaultValue = "1000000", description = "frames of the offline capture (default ${DEFAULT-VALUE}; 0 skips)")
    int frames;

    @Option(names = "--file", paramLabel = "FILE", description = "open this capture instead of writing a synthetic one")
    Path file;

    @Option(names = "--filter", paramLabel = "FILTER", defaultValue = "tcp.flags.reset == 1 || icmp.type == 3",
            description = "display filter run over the offline capture (default: ${DEFAULT-VALUE})")
    String filter;

    @Spec
    CommandSpec spec;

    /** Set on the JVM the bench starts with the window's options, which runs the bench itself. */
    private static final String CHILD_PROPERTY = "stacklab.benchGui.child";
    private static final long TIMEOUT_SECONDS = 600;
    private static final int PUMP_CAPACITY = 1 << 20;

    /** The FX-thread side of the bench: the panes in a stage, and a pulse counter. */
    public static final class Window extends Application {
        static final CompletableFuture<Window> STARTED = new CompletableFuture<>();
        CaptureViewModel viewModel;
        final AtomicLong pulses = new AtomicLong();
        volatile long worstGapNanos;
        private long lastPulse;

        @Override
        public void start(Stage stage) {
            Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
            Notifier notifier = new Notifier() {
                @Override
                public void error(String problem, String fix) {
                    System.err.println("bench gui: " + problem + " (" + fix + ")");
                }

                @Override
                public void info(String message) {
                }
            };
            viewModel = new CaptureViewModel(new AppContext(new SimpleObjectProperty<LabSession>(), notifier, f -> { }));
            stage.setScene(new Scene(CaptureView.load(viewModel), 1200, 760));
            stage.setTitle("stacklab bench gui");
            stage.show();
            new AnimationTimer() {
                @Override
                public void handle(long now) {
                    if (lastPulse != 0) {
                        worstGapNanos = Math.max(worstGapNanos, now - lastPulse);
                    }
                    lastPulse = now;
                    pulses.incrementAndGet();
                }
            }.start();
            STARTED.complete(this);
        }

        void resetPulses() {
            pulses.set(0);
            worstGapNanos = 0;
            lastPulse = 0;
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (rate < 1 || liveSeconds < 0 || frames < 0) {
            err.println("bench gui: --rate must be at least 1 and --live-seconds, --frames at least 0");
            return 2;
        }
        List<String> jvmArguments = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments();
        if (!WindowJvmOptions.inEffect(jvmArguments) && System.getProperty(CHILD_PROPERTY) == null) {
            return inWindowJvm(jvmArguments, out);
        }
        String display = System.getenv("DISPLAY");
        boolean headless = display == null || display.isBlank();
        if (headless) {
            System.setProperty("glass.platform", "Monocle");
            System.setProperty("monocle.platform", "Headless");
            System.setProperty("prism.order", "sw");
        }
        Path temp = Files.createTempDirectory("stacklab-bench-gui");
        Thread launcher = new Thread(() -> Application.launch(Window.class), "bench-gui-launcher");
        try {
            launcher.setDaemon(true);
            launcher.start();
            Window window = Window.STARTED.get(60, TimeUnit.SECONDS);
            out.printf("bench gui (%s), the capture ring holds %,d frames; %d cores, load average %.1f at the start%n",
                    headless ? "headless, Monocle" : "window on " + display, CaptureViewModel.DEFAULT_RING_CAPACITY,
                    Runtime.getRuntime().availableProcessors(), java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            out.printf("  JVM options: %s%n", String.join(" ", jvmArguments));
            out.flush();
            if (frames > 0 || file != null) {
                offline(window, temp, out);
            }
            if (liveSeconds > 0) {
                live(window, temp, out);
            }
            return 0;
        } finally {
            Platform.exit();
            // Application.launch returns once the toolkit has stopped: exiting the process before that made the FX
            // thread's shutdown fail with a stack trace ("Shutdown in progress").
            launcher.join(TimeUnit.SECONDS.toMillis(10));
            try (var files = Files.walk(temp)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /**
     * Runs this bench in a JVM with the window's options and this JVM's own (which come after, and win), passing its
     * output on; returns its exit code.
     */
    private int inWindowJvm(List<String> jvmArguments, PrintWriter out) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(WindowJvmOptions.OPTIONS);
        command.addAll(jvmArguments);
        command.add("-D" + CHILD_PROPERTY + "=true");
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "bench", "gui",
                "--live-seconds", Integer.toString(liveSeconds), "--rate", Integer.toString(rate), "--frames", Integer.toString(frames),
                "--filter", filter));
        if (file != null) {
            command.addAll(List.of("--file", file.toString()));
        }
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.INHERIT).start();
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream(), java.nio.charset.Charset.defaultCharset()))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                out.println(line);
                out.flush();
            }
        }
        return child.waitFor();
    }

    private void offline(Window window, Path temp, PrintWriter out) throws Exception {
        Path capture = file;
        if (capture == null) {
            capture = temp.resolve("synth.pcap");
            writeSynthetic(capture, frames);
        }
        long expected = countFrames(capture);
        Path opened = capture;
        ThreadCpu threads = ThreadCpu.snapshot();
        long cpu = cpuNanos();
        long start = System.nanoTime();
        onFx(() -> window.viewModel.openFile(opened));
        waitFor(() -> window.viewModel.capturedCountProperty().get() == expected && !window.viewModel.busyProperty().get());
        waitForPulses(window, 2);
        double openSeconds = (System.nanoTime() - start) / 1e9;
        double openCpu = (cpuNanos() - cpu) / 1e9;
        out.printf("  offline: %s, %,d frames%n", file == null ? "bench synth-capture" : capture, expected);
        out.printf("    list ready                      %6.2f s    (target < 3 s; %.2f s of CPU)%n", openSeconds, openCpu);
        out.printf("      CPU by thread: %s%n", ThreadCpu.snapshot().since(threads));
        out.flush();

        threads = ThreadCpu.snapshot();
        cpu = cpuNanos();
        start = System.nanoTime();
        onFx(() -> {
            window.viewModel.filterTextProperty().set(filter);
            window.viewModel.applyFilter();
        });
        waitFor(() -> !window.viewModel.busyProperty().get() && window.viewModel.appliedFilterTextProperty().get().equals(filter));
        waitForPulses(window, 2);
        double filterSeconds = (System.nanoTime() - start) / 1e9;
        double filterCpu = (cpuNanos() - cpu) / 1e9;
        int shown = fx(() -> window.viewModel.displayedCountProperty().get());
        out.printf("    display filter over all of it   %6.2f s    (target < 3 s; %.2f s of CPU) \"%s\": %,d frames shown%n",
                filterSeconds, filterCpu, filter, shown);
        out.printf("      CPU by thread: %s%n", ThreadCpu.snapshot().since(threads));
        long[] memory = residentMemory();
        out.printf("    resident memory                 %6d MiB  (target < 1024 MiB; peak %d MiB)%n", memory[0] >> 10, memory[1] >> 10);
        out.flush();
        onFx(() -> {
            window.viewModel.filterTextProperty().set("");
            window.viewModel.applyFilter();
            window.viewModel.clear();
        });
    }

    private void live(Window window, Path temp, PrintWriter out) throws Exception {
        Path source = temp.resolve("live-source.pcap");
        writeSynthetic(source, 16 * 1000);
        List<byte[]> templates = new ArrayList<>();
        try (CaptureReader reader = CaptureReader.open(source)) {
            while (reader.next()) {
                templates.add(Arrays.copyOf(reader.data(), reader.capturedLength()));
            }
        }
        AtomicLong acceptNanos = new AtomicLong();
        EventPump<CapturedFrame> pump = new EventPump<>(PUMP_CAPACITY, batch -> {
            long t = System.nanoTime();
            window.viewModel.accept(batch);
            acceptNanos.accumulateAndGet(System.nanoTime() - t, Math::max);
        });
        onFx(() -> {
            window.viewModel.clear();
            pump.start();
        });
        waitForPulses(window, 10);
        onFx(window::resetPulses);
        ThreadCpu threads = ThreadCpu.snapshot();
        long cpu = cpuNanos();
        long total = (long) rate * liveSeconds;
        long offered = 0;
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(liveSeconds);
        while (offered < total) {
            long now = System.nanoTime();
            long due = Math.min(total, (long) ((now - start) / 1e9 * rate));
            for (; offered < due; offered++) {
                byte[] bytes = templates.get((int) (offered % templates.size()));
                CapturedFrame.Direction direction = (offered & 1) == 0 ? CapturedFrame.Direction.OUT : CapturedFrame.Direction.IN;
                pump.offer(new CapturedFrame(System.currentTimeMillis() * 1_000_000L, direction, bytes));
            }
            if (now > end + TimeUnit.SECONDS.toNanos(5)) {
                break;
            }
            Thread.sleep(1);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long pulses = window.pulses.get();
        long worstGap = window.worstGapNanos;
        long sent = offered;
        waitFor(() -> window.viewModel.capturedCountProperty().get() + pump.droppedCount() >= sent);
        long captured = fx(() -> window.viewModel.capturedCountProperty().get());
        long ringDropped = fx(() -> window.viewModel.ringDroppedProperty().get());
        onFx(pump::stop);
        long lost = sent - captured;
        double liveCpu = (cpuNanos() - cpu) / 1e9;
        String cpuByThread = ThreadCpu.snapshot().since(threads);
        out.printf("  live: %,d frames/s for %d s through the EventPump (%,d frames)%n", rate, liveSeconds, sent);
        out.printf("    pulses per second               %6.1f     (target >= 30)%n", pulses / seconds);
        out.printf("    CPU time                        %6.2f s    (%s)%n", liveCpu, cpuByThread);
        out.printf("    worst FX-thread stall           %6.1f ms  (target < 100 ms; longest accept of one pulse's batch %.1f ms)%n",
                worstGap / 1e6, acceptNanos.get() / 1e6);
        out.printf("    frames lost below the ring's cap %5d      (target 0; %,d captured, %,d oldest dropped by the ring as designed)%n",
                lost, captured, ringDropped);
        long[] memory = residentMemory();
        out.printf("    resident memory                 %6d MiB  (peak %d MiB)%n", memory[0] >> 10, memory[1] >> 10);
        out.flush();
    }

    private static void writeSynthetic(Path path, int count) {
        StringWriter sink = new StringWriter();
        int code = Main.run(new PrintWriter(sink), new PrintWriter(sink), "bench", "synth-capture", "--frames", Integer.toString(count),
                path.toString());
        if (code != 0) {
            throw new IllegalStateException("synth-capture failed: " + sink);
        }
    }

    private static long countFrames(Path path) throws IOException {
        long count = 0;
        try (CaptureReader reader = CaptureReader.open(path)) {
            while (reader.next()) {
                count++;
            }
        }
        return count;
    }

    /** CPU time this process has used (all threads), to read the wall-clock figures on a busy machine. */
    private static long cpuNanos() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    /** VmRSS and VmHWM (peak) of this process in KiB, from /proc/self/status; -1 where not available. */
    private static long[] residentMemory() {
        long[] kib = {-1, -1};
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    kib[0] = Long.parseLong(line.replaceAll("\\D", ""));
                } else if (line.startsWith("VmHWM:")) {
                    kib[1] = Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // Not Linux: the figure is printed as -1.
        }
        return kib;
    }

    private static void onFx(Runnable action) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        Platform.runLater(() -> {
            try {
                action.run();
            } finally {
                done.countDown();
            }
        });
        if (!done.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the FX thread did not answer in " + TIMEOUT_SECONDS + " s");
        }
    }

    private static <T> T fx(java.util.function.Supplier<T> read) throws InterruptedException {
        Object[] result = new Object[1];
        onFx(() -> result[0] = read.get());
        @SuppressWarnings("unchecked")
        T value = (T) result[0];
        return value;
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (!fx(condition::getAsBoolean)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gave up after " + TIMEOUT_SECONDS + " s");
            }
            Thread.sleep(2);
        }
    }

    /** Waits until the FX thread has pulsed {@code count} more times (the list has been laid out and drawn). */
    private static void waitForPulses(Window window, int count) throws InterruptedException {
        long target = window.pulses.get() + count;
        while (window.pulses.get() < target) {
            Thread.sleep(1);
        }
    }
}
