package dev.stacklab.cli;

import dev.stacklab.capture.CaptureFormatException;
import dev.stacklab.capture.CaptureReader;
import dev.stacklab.dissect.Dissector;
import dev.stacklab.dissect.FrameSummary;
import dev.stacklab.dissect.FrameTree;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.Packet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.EOFException;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code stacklab bench decode FILE}: decodes one capture several ways in one run and prints frames
 * per second side by side: stacklab's summaries, stacklab's full trees, pcap4j's own packet factory,
 * and (with {@code --tshark}) tshark itself. Each way reads the file from the start, so all include
 * the cost of reading; the best of the rounds is reported, after warm-up rounds for the JIT and the heap.
 */
@Command(name = "decode", sortOptions = false, description = "Frames per second decoding FILE: stacklab vs pcap4j (and tshark).")
final class DecodeBench implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "a pcap or pcapng capture (see `bench synth-capture`)")
    Path file;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "3", description = "timed rounds per way (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--tshark", description = "also time `tshark -r FILE` (the reference the issue quotes)")
    boolean tshark;

    @Option(names = "--no-pcap4j", description = "skip pcap4j (it needs libpcap installed)")
    boolean skipPcap4j;

    @Option(names = "--processes", description = "time whole processes instead, start-up included: stacklab's decode "
            + "(and with --tshark, tshark -r) on the first --first frames and on the whole file, output to /dev/null")
    boolean processes;

    @Option(names = "--first", paramLabel = "N", defaultValue = "10", description = "with --processes: frames in the short run (default ${DEFAULT-VALUE}, as decode -c)")
    long firstFrames;

    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;

    /** One way of decoding the file; returns the number of frames it decoded. */
    private interface Way {
        long decodeOnce() throws Exception;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (rounds < 1) {
            err.println("bench decode: --rounds must be at least 1, not " + rounds);
            return 2;
        }
        if (!Files.isRegularFile(file)) {
            err.println("bench decode: cannot open '" + file + "': no such file");
            return 2;
        }
        if (processes) {
            if (firstFrames < 1) {
                err.println("bench decode: --first must be at least 1, not " + firstFrames);
                return 2;
            }
            return new DecodeProcessBench(file, rounds, firstFrames, tshark).run(out);
        }
        long frames;
        try {
            frames = summaries();
        } catch (CaptureFormatException e) {
            err.println("bench decode: '" + file + "' cannot be read: " + e.getMessage());
            return 2;
        }
        frameCount = frames;
        out.printf("decode %s: %,d frames, %,d bytes, best of %d rounds after warming up; load average %s%n", file, frames,
                Files.size(file), rounds, loadAverage());
        out.flush();
        List<String[]> rows = new ArrayList<>();
        rows.add(measure("stacklab summaries", this::summaries));
        rows.add(measure("stacklab full trees", this::trees));
        if (!skipPcap4j) {
            try {
                rows.add(measure("pcap4j packet factory", this::pcap4j));
            } catch (PcapNativeException | UnsatisfiedLinkError e) {
                rows.add(new String[] {"pcap4j packet factory", "unavailable: " + e.getMessage() + " (install libpcap0.8)"});
            }
        }
        if (tshark) {
            rows.add(measure("tshark -r (reference)", this::tsharkOnce));
        }
        for (String[] row : rows) {
            out.printf("  %-24s %s%n", row[0], row[1]);
        }
        out.printf("load average %s at the end; CPU is the decoding thread's own time (tshark's is not measured)%n", loadAverage());
        return 0;
    }

    /**
     * The best round's rate, its wall and CPU time, and the median round's: on a machine shared with other work the
     * wall time includes waiting for a core, and the CPU time is what the decoding cost. The timed rounds start once a
     * warm-up round left the heap as big as it found it (at most MAX_WARM_UPS rounds): while the heap grows, the
     * decoding thread is the first to touch its new pages and pays for their faults, which made a timed round two to
     * three times slower in CPU time than the same round on a heap that had stopped growing.
     */
    private String[] measure(String name, Way way) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        boolean cpuTimed = threads.isCurrentThreadCpuTimeSupported();
        int warmUps = 0;
        long committedBefore;
        do {
            committedBefore = memory.getHeapMemoryUsage().getCommitted();
            way.decodeOnce();
            warmUps++;
        } while (warmUps < MAX_WARM_UPS && memory.getHeapMemoryUsage().getCommitted() > committedBefore);
        long[] wall = new long[rounds];
        long[] cpu = new long[rounds];
        long frames = 0;
        for (int round = 0; round < rounds; round++) {
            long startCpu = cpuTimed ? threads.getCurrentThreadCpuTime() : 0;
            long start = System.nanoTime();
            frames = way.decodeOnce();
            wall[round] = System.nanoTime() - start;
            cpu[round] = cpuTimed ? threads.getCurrentThreadCpuTime() - startCpu : 0;
        }
        int best = 0;
        for (int round = 1; round < rounds; round++) {
            if (wall[round] < wall[best]) {
                best = round;
            }
        }
        long[] sortedWall = wall.clone();
        long[] sortedCpu = cpu.clone();
        Arrays.sort(sortedWall);
        Arrays.sort(sortedCpu);
        long medianWall = sortedWall[rounds / 2];
        long medianCpu = sortedCpu[rounds / 2];
        double perSecond = frames / (wall[best] / 1e9);
        String times = cpuTimed && !name.startsWith("tshark")
                ? String.format("%.3f s, %.3f s of CPU; median %.3f s, %.3f s of CPU", wall[best] / 1e9, cpu[best] / 1e9,
                        medianWall / 1e9, medianCpu / 1e9)
                : String.format("%.3f s; median %.3f s", wall[best] / 1e9, medianWall / 1e9);
        return new String[] {name, String.format("%,12.0f frames/s  (%,d frames in %s; %d warm-up round%s)", perSecond, frames, times,
                warmUps, warmUps == 1 ? "" : "s")};
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    /** Warm-up rounds at most, however the heap goes on growing. */
    private static final int MAX_WARM_UPS = 4;

    // Each way consumes its results (a checksum of lengths) so the JIT cannot discard the work.
    private long sink;

    private long summaries() throws IOException {
        Dissector dissector = new Dissector();
        long frames = 0;
        try (CaptureReader reader = CaptureReader.open(file)) {
            while (reader.next()) {
                FrameSummary summary = dissector.summarize(reader.timestampNanos(), reader.data(), reader.capturedLength(),
                        reader.originalLength());
                sink += summary.info().length();
                frames++;
            }
        }
        return frames;
    }

    private long trees() throws IOException {
        Dissector dissector = new Dissector();
        long frames = 0;
        try (CaptureReader reader = CaptureReader.open(file)) {
            while (reader.next()) {
                FrameTree tree = dissector.dissect(reader.timestampNanos(), reader.data(), reader.capturedLength(),
                        reader.originalLength());
                sink += tree.layers().size();
                frames++;
            }
        }
        return frames;
    }

    private long pcap4j() throws Exception {
        long frames = 0;
        PcapHandle handle = Pcaps.openOffline(file.toString());
        try {
            while (true) {
                Packet packet;
                try {
                    packet = handle.getNextPacketEx();
                } catch (EOFException end) {
                    break;
                }
                sink += packet.length();
                frames++;
            }
        } finally {
            handle.close();
        }
        return frames;
    }

    private long tsharkOnce() throws Exception {
        Process process = new ProcessBuilder("tshark", "-n", "-r", file.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!process.waitFor(30, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IOException("tshark -r " + file + " did not finish within 30 minutes");
        }
        if (process.exitValue() != 0) {
            throw new IOException("tshark -r " + file + " failed (exit " + process.exitValue() + ")");
        }
        // tshark reads the same frames stacklab does.
        return frameCount;
    }

    private long frameCount;
}
