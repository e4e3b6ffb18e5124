package dev.stacklab.cli;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** bench gui's CPU time by thread: a thread that burns CPU is named with about what it burnt; idle ones are not. */
class ThreadCpuTest {
    /** Where the busy loop's result goes, so that the loop is not optimised away. */
    private static volatile long result;

    @Test
    void aBusyThreadIsNamedWithTheCpuTimeItUsed() throws InterruptedException {
        CountDownLatch burnt = new CountDownLatch(1);
        CountDownLatch read = new CountDownLatch(1);
        ThreadCpu before = ThreadCpu.snapshot();
        Thread busy = new Thread(() -> {
            var threads = ManagementFactory.getThreadMXBean();
            long start = threads.getCurrentThreadCpuTime();
            long sink = 0;
            while (threads.getCurrentThreadCpuTime() - start < 400_000_000L) {
                sink += Long.numberOfTrailingZeros(sink + System.nanoTime());
            }
            result = sink;
            burnt.countDown();
            // Kept alive until read: a thread that ended takes its /proc entry with it.
            awaitQuietly(read);
        }, "cpu-burner-7");
        Thread idle = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "sleeper");
        busy.start();
        idle.start();
        burnt.await();
        String breakdown = ThreadCpu.snapshot().since(before);
        read.countDown();
        busy.join();
        idle.join();

        Matcher burner = Pattern.compile("cpu-burner (\\d+\\.\\d\\d) s").matcher(breakdown);
        assertThat(burner.find()).as(breakdown).isTrue();
        assertThat(Double.parseDouble(burner.group(1))).as(breakdown).isBetween(0.25, 0.6);
        assertThat(breakdown).doesNotContain("sleeper");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
