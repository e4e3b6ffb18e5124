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

    static synchronized void windowShown() {
        if (!ENABLED) {
            return;
        }
        // CPU time too: on a busy machine the wall time says more about the neighbours than about us.
        long cpuMillis = ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class).getProcessCpuTime() / 1_000_000;
        System.err.println("stacklab: window shown " + sinceJvmStart() + " ms after the JVM started ("
                + cpuMillis + " ms of CPU time on " + Runtime.getRuntime().availableProcessors() + " cores; steps in ms: "
                + String.join(", ", MARKS) + ")");
    }

    private static long sinceJvmStart() {
        return System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
    }
}
