package dev.stacklab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.security.CodeSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench decode --processes}: what a user waits for. stacklab's {@code decode} and {@code tshark -r} run as
 * whole processes, start-up included, in turn (A B A B ...) so that a change in the machine's load touches both,
 * once on the first few frames (start-up dominates) and once on the whole file (throughput dominates). Both write
 * their output to /dev/null: every line is made and written, and no disk is timed.
 */
final class DecodeProcessBench {
    private final Path file;
    private final int rounds;
    private final long firstFrames;
    private final boolean tshark;

    DecodeProcessBench(Path file, int rounds, long firstFrames, boolean tshark) {
        this.file = file;
        this.rounds = rounds;
        this.firstFrames = firstFrames;
        this.tshark = tshark;
    }

    /** One program's command line, and the wall-clock and CPU times of its rounds (CPU: -1 where not known). */
    private record Timed(String name, List<String> command, long[] nanos, long[] cpuNanos) {
        Timed(String name, List<String> command, int rounds) {
            this(name, command, new long[rounds], new long[rounds]);
        }

        long best() {
            return best(nanos);
        }

        long median() {
            return median(nanos);
        }

        static long best(long[] times) {
            return Arrays.stream(times).min().orElseThrow();
        }

        static long median(long[] times) {
            long[] sorted = times.clone();
            Arrays.sort(sorted);
            return sorted[sorted.length / 2];
        }
    }

    /** What one run of a program took. */
    private record Took(long nanos, long cpuNanos) {
    }

    int run(PrintWriter out) throws IOException, InterruptedException {
        List<String> stacklab = stacklabCommand();
        out.printf("decode %s as whole processes: %s, output to /dev/null;%n", file, String.join(" ", stacklab));
        out.printf("best and median of %d rounds, the programs in turn, after a warm-up round; CPU is user + system time%n", rounds);
        out.printf("of the process and its threads; load average %s at the start%n", loadAverage());
        out.flush();
        for (boolean wholeFile : new boolean[] {false, true}) {
            List<String> count = wholeFile ? List.of() : List.of("-c", Long.toString(firstFrames));
            String what = wholeFile ? "whole file" : "first " + firstFrames + " frames";
            List<Timed> programs = new ArrayList<>();
            programs.add(new Timed("stacklab decode, " + what, concat(stacklab, List.of("decode"), count, List.of(file.toString())),
                    rounds));
            if (tshark) {
                programs.add(new Timed("tshark -r, " + what, concat(List.of("tshark", "-r", file.toString()), count), rounds));
            }
            for (int round = -1; round < rounds; round++) {
                for (Timed program : programs) {
                    Took took = timeOnce(program.command());
                    if (round >= 0) {
                        program.nanos()[round] = took.nanos();
                        program.cpuNanos()[round] = took.cpuNanos();
                    }
                }
            }
            boolean cpuKnown = programs.stream().allMatch(program -> Timed.best(program.cpuNanos()) >= 0);
            for (Timed program : programs) {
                out.printf("  %-38s %8.3f s best %8.3f s median", program.name(), program.best() / 1e9, program.median() / 1e9);
                if (cpuKnown) {
                    out.printf("   CPU %7.2f s best %7.2f s median", Timed.best(program.cpuNanos()) / 1e9,
                            Timed.median(program.cpuNanos()) / 1e9);
                }
                out.println();
            }
            if (tshark) {
                Timed ours = programs.get(0);
                Timed theirs = programs.get(1);
                out.printf("  %-38s %8.2f×      %8.2f×", "tshark's time / stacklab's",
                        (double) theirs.best() / ours.best(), (double) theirs.median() / ours.median());
                if (cpuKnown) {
                    out.printf("            %7.2f×        %7.2f×", (double) Timed.best(theirs.cpuNanos()) / Timed.best(ours.cpuNanos()),
                            (double) Timed.median(theirs.cpuNanos()) / Timed.median(ours.cpuNanos()));
                }
                out.println();
            }
            out.flush();
        }
        out.printf("load average %s at the end%n", loadAverage());
        out.flush();
        return 0;
    }

    /** The 1-minute load average (runnable threads on this machine, the others' builds included), or "unknown". */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /**
     * CPU time (user + system) of the children this JVM has waited for, from /proc/self/stat: a child's time is
     * added there when it is reaped, threads included, so the difference around one run is that run's CPU. -1 where
     * there is no /proc.
     */
    private static long childrenCpuNanos() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // Fields after the command name in parentheses, from field 3 (state); cutime and cstime are fields 16 and 17.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[16 - 3]) + Long.parseLong(fields[17 - 3]);
            // Linux reports these in USER_HZ, which is 100 on every architecture it exports to user space.
            return ticks * 10_000_000L;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** How this stacklab is started: {@code java -jar} on the jar it runs from, or its class path when not from a jar. */
    static List<String> stacklabCommand() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        CodeSource code = Main.class.getProtectionDomain().getCodeSource();
        if (code != null) {
            try {
                Path location = Path.of(code.getLocation().toURI());
                if (Files.isRegularFile(location)) {
                    return List.of(java, "-jar", location.toString());
                }
            } catch (URISyntaxException | IllegalArgumentException e) {
                // Not a file we can name: start it from the class path.
            }
        }
        return List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName());
    }

    private static Took timeOnce(List<String> command) throws IOException, InterruptedException {
        long cpuBefore = childrenCpuNanos();
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!process.waitFor(30, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish within 30 minutes");
        }
        long nanos = System.nanoTime() - start;
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (exit " + process.exitValue() + ")");
        }
        long cpuAfter = childrenCpuNanos();
        return new Took(nanos, cpuBefore < 0 || cpuAfter < 0 ? -1 : cpuAfter - cpuBefore);
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        List<String> all = new ArrayList<>();
        for (List<String> part : parts) {
            all.addAll(part);
        }
        return all;
    }
}
