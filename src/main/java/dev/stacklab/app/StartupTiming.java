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
        long cpuMillis = ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class).getProcessCpuTime() / 1_000_000;
        String shown = MARKS.stream().filter(mark -> mark.startsWith("window shown ")).findFirst()
                .map(mark -> mark.substring("window shown ".length())).orElse("?");
        System.err.println("stacklab: window shown " + shown + " ms after the JVM started, first pulse " + sinceJvmStart()
                + " ms (" + cpuMillis + " ms of CPU time on " + Runtime.getRuntime().availableProcessors()
                + " cores; steps in ms: " + String.join(", ", MARKS) + ")");
    }

    private static long sinceJvmStart() {
        return System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
    }
}
