package dev.stacklab.cli;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The CPU time of this process's threads from /proc/self/task, grouped as a profile reads them (the JIT compilers,
 * the garbage collector, each of the app's own threads by name), so that a bench can say where a phase's CPU time
 * went, the JVM's own threads (which no Java API reports) included. Linux only; elsewhere every snapshot is empty.
 */
final class ThreadCpu {
    /** Clock ticks per second of /proc's utime and stime (USER_HZ, 100 on every Linux build in use). */
    private static final double TICKS_PER_SECOND = 100;

    private final Map<String, Long> ticksByThread;

    private ThreadCpu(Map<String, Long> ticksByThread) {
        this.ticksByThread = ticksByThread;
    }

    /** Every thread's CPU time now, keyed by thread id and name (a thread that ended takes its time with it). */
    static ThreadCpu snapshot() {
        Map<String, Long> ticks = new LinkedHashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    int open = stat.indexOf('(');
                    int close = stat.lastIndexOf(')');
                    // After the name: state, ppid, ... utime is field 14 and stime 15 of the whole line.
                    String[] fields = stat.substring(close + 2).split(" ");
                    long used = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    ticks.put(task.getFileName() + " " + stat.substring(open + 1, close), used);
                } catch (IOException | RuntimeException e) {
                    // The thread ended between the listing and the read: its time is no longer counted anywhere.
                }
            }
        } catch (IOException e) {
            // Not Linux: no breakdown.
        }
        return new ThreadCpu(ticks);
    }

    /**
     * The CPU seconds used since {@code before}, by group, largest first, as "capture-jobs 2.10 s, JIT C2 1.20 s, GC
     * 0.40 s"; groups under 0.05 s are summed as "other".
     */
    String since(ThreadCpu before) {
        Map<String, Long> byGroup = new TreeMap<>();
        for (Map.Entry<String, Long> thread : ticksByThread.entrySet()) {
            long used = thread.getValue() - before.ticksByThread.getOrDefault(thread.getKey(), 0L);
            if (used > 0) {
                byGroup.merge(group(thread.getKey().substring(thread.getKey().indexOf(' ') + 1)), used, Long::sum);
            }
        }
        List<Map.Entry<String, Long>> groups = new ArrayList<>(byGroup.entrySet());
        groups.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        StringBuilder text = new StringBuilder();
        long other = 0;
        for (Map.Entry<String, Long> group : groups) {
            if (group.getValue() < TICKS_PER_SECOND / 20) {
                other += group.getValue();
                continue;
            }
            text.append(text.length() == 0 ? "" : ", ").append(group.getKey())
                    .append(String.format(" %.2f s", group.getValue() / TICKS_PER_SECOND));
        }
        if (other > 0) {
            text.append(text.length() == 0 ? "" : ", ").append(String.format("other %.2f s", other / TICKS_PER_SECOND));
        }
        return text.toString();
    }

    /** The JVM's threads in kinds (its names are cut to 15 characters: "C2 CompilerThre"); the app's by name. */
    private static String group(String name) {
        if (name.startsWith("C1 Compiler")) {
            return "JIT C1";
        }
        if (name.startsWith("C2 Compiler")) {
            return "JIT C2";
        }
        if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.startsWith("VM Periodic") || name.equals("VM Thread")) {
            return "GC and VM";
        }
        if (name.equals("JavaFX Applicat") || name.equals("Event Thread")) {
            return "FX thread";
        }
        return name.replaceAll("[-#]?\\d+$", "");
    }
}
