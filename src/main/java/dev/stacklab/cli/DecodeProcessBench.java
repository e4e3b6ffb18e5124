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

    /** One program's command line and the times of its rounds. */
    private record Timed(String name, List<String> command, long[] nanos) {
        long best() {
            return Arrays.stream(nanos).min().orElseThrow();
        }

        long median() {
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            return sorted[sorted.length / 2];
        }
    }

    int run(PrintWriter out) throws IOException, InterruptedException {
        List<String> stacklab = stacklabCommand();
        out.printf("decode %s as whole processes: %s, output to /dev/null;%n", file, String.join(" ", stacklab));
        out.printf("best and median of %d rounds, the programs in turn, after a warm-up round%n", rounds);
        out.flush();
        for (boolean wholeFile : new boolean[] {false, true}) {
            List<String> count = wholeFile ? List.of() : List.of("-c", Long.toString(firstFrames));
            String what = wholeFile ? "whole file" : "first " + firstFrames + " frames";
            List<Timed> programs = new ArrayList<>();
            programs.add(new Timed("stacklab decode, " + what, concat(stacklab, List.of("decode"), count, List.of(file.toString())),
                    new long[rounds]));
            if (tshark) {
                programs.add(new Timed("tshark -r, " + what, concat(List.of("tshark", "-r", file.toString()), count), new long[rounds]));
            }
            for (int round = -1; round < rounds; round++) {
                for (Timed program : programs) {
                    long nanos = timeOnce(program.command());
                    if (round >= 0) {
                        program.nanos()[round] = nanos;
                    }
                }
            }
            for (Timed program : programs) {
                out.printf("  %-38s %8.3f s best %8.3f s median%n", program.name(), program.best() / 1e9, program.median() / 1e9);
            }
            if (tshark) {
                Timed ours = programs.get(0);
                Timed theirs = programs.get(1);
                out.printf("  %-38s %8.2f×      %8.2f×%n", "tshark's time / stacklab's",
                        (double) theirs.best() / ours.best(), (double) theirs.median() / ours.median());
            }
            out.flush();
        }
        return 0;
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

    private static long timeOnce(List<String> command) throws IOException, InterruptedException {
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
        return nanos;
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
