package dev.stacklab.app;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * With -Dstacklab.startupTiming=true, prints how long the window took to appear after the JVM started, with the
 * process's CPU time and the steps on the way (the README's startup figure comes from here). Off, it costs nothing.
 */
final class StartupTiming {
    static final String PROPERTY = "stacklab.startupTiming";
    /** Set by {@link SharedArchiveStart} on the window's JVM: when the launching JVM started and its CPU time then. */
    private static final String LAUNCHER_START = "stacklab.startupTiming.launcherStart";
    private static final String LAUNCHER_CPU = "stacklab.startupTiming.launcherCpuMillis";
    private static final boolean ENABLED = Boolean.getBoolean(PROPERTY);
    private static final List<String> MARKS = new ArrayList<>();

    private StartupTiming() {
    }

    static synchronized void mark(String step) {
        if (ENABLED) {
            MARKS.add(step + " " + sinceJvmStart());
        }
    }

    /**
     * The window's first pulse: its content is styled and laid out and goes to the renderer. Prints the line; the
     * time to the mark "window shown" (the window mapped, shown by the window manager) is the README's figure.
     */
    static synchronized void firstPulse() {
        if (!ENABLED) {
            return;
        }
        // CPU time too: on a busy machine the wall time says more about the neighbours than about us.
        // Started by a launching JVM: its CPU time counts too (it waits without using more until the window ends).
        long cpuMillis = processCpuMillis() + Long.getLong(LAUNCHER_CPU, 0);
        String shown = MARKS.stream().filter(mark -> mark.startsWith("window shown ")).findFirst()
                .map(mark -> mark.substring("window shown ".length())).orElse("?");
        System.err.println("stacklab: window shown " + shown + " ms after the JVM started, first pulse " + sinceJvmStart()
                + " ms (" + cpuMillis + " ms of CPU time on " + Runtime.getRuntime().availableProcessors()
                + " cores; steps in ms: " + String.join(", ", MARKS) + ")");
    }

    /**
     * For a window started in another JVM: the properties that make its times count from this JVM's start and its
     * CPU time include this JVM's (none when timing is off).
     */
    static List<String> launcherProperties() {
        if (!ENABLED) {
            return List.of();
        }
        return List.of("-D" + LAUNCHER_START + "=" + ManagementFactory.getRuntimeMXBean().getStartTime(), "-D" + LAUNCHER_CPU + "=" + processCpuMillis());
    }

    private static long processCpuMillis() {
        return ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class).getProcessCpuTime() / 1_000_000;
    }

    /** Since the first JVM of this start (the launching one, when the window runs in a child JVM). */
    private static long sinceJvmStart() {
        return System.currentTimeMillis() - Long.getLong(LAUNCHER_START, ManagementFactory.getRuntimeMXBean().getStartTime());
    }
}
