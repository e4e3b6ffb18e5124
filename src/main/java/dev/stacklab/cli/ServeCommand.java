package dev.stacklab.cli;

import dev.stacklab.dissect.Dissector;
import dev.stacklab.dissect.FrameSummary;
import dev.stacklab.link.LinkEvent;
import dev.stacklab.link.LinkException;
import dev.stacklab.runtime.Host;
import dev.stacklab.runtime.RunnerListener;
import dev.stacklab.runtime.UdpEchoService;
import dev.stacklab.stack.StackEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code stacklab serve}: the stack as a host on the network. It answers ARP and ping, echoes UDP on
 * port 7, and prints one line per frame in and out, as tcpdump does, until Ctrl-C (or --duration),
 * when it stops cleanly and prints its counters.
 */
@Command(name = "serve", sortOptions = false,
        description = "Run stacklab's stack as a host: answers ARP and ping, UDP echo on port 7; prints every frame.")
final class ServeCommand implements Callable<Integer> {
    @Mixin
    HostOptions host;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "stop after SECONDS (default: run until Ctrl-C)")
    Double durationSeconds;

    @Option(names = "--quiet", description = "do not print a line per frame")
    boolean quiet;

    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;

    /** Lines waiting for the printer; bounded so that a flood costs dropped lines, not memory. */
    private static final int PRINT_QUEUE = 10_000;

    private record Line(boolean outgoing, long timeNanos, byte[] frame, String text) {
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (durationSeconds != null && !(durationSeconds > 0)) {
            err.println("serve: --duration must be more than 0 seconds, not " + durationSeconds);
            return 2;
        }
        BlockingQueue<Line> lines = new ArrayBlockingQueue<>(PRINT_QUEUE);
        AtomicLong unprinted = new AtomicLong();
        RunnerListener printer = new RunnerListener() {
            @Override
            public void stackEvent(StackEvent event) {
                if (quiet) {
                    return;
                }
                if (event instanceof StackEvent.FrameReceived received) {
                    enqueue(new Line(false, received.timeNanos(), received.frame(), null));
                } else if (event instanceof StackEvent.FrameSent sent) {
                    enqueue(new Line(true, sent.timeNanos(), sent.frame(), null));
                } else if (event instanceof StackEvent.Dropped dropped) {
                    enqueue(new Line(false, dropped.timeNanos(), null,
                            "dropped (" + dropped.reason() + ")" + (dropped.detail() == null ? "" : ": " + dropped.detail())));
                } else if (event instanceof StackEvent.AddressConflict conflict) {
                    enqueue(new Line(false, conflict.timeNanos(), null,
                            "address conflict: " + conflict.claimant() + " also claims " + conflict.address()));
                }
            }

            @Override
            public void linkEvent(LinkEvent event) {
                enqueue(new Line(false, System.nanoTime(), null, "link: " + event.message()));
            }

            @Override
            public void problem(String message, Throwable cause) {
                enqueue(new Line(false, System.nanoTime(), null, "problem: " + message));
            }

            /** Never blocks the runner thread: a full queue costs a line, counted. */
            private void enqueue(Line line) {
                if (!lines.offer(line)) {
                    unprinted.incrementAndGet();
                }
            }
        };
        Host running;
        try {
            running = host.start(printer);
        } catch (LinkException | IllegalArgumentException e) {
            err.println("serve: " + e.getMessage());
            return 2;
        }
        CountDownLatch stop = new CountDownLatch(1);
        CtrlC interrupt = CtrlC.stops("serve", stop::countDown);
        Thread printing = new Thread(() -> printLines(lines, out), "stacklab-serve-printer");
        printing.setDaemon(true);
        try {
            UdpEchoService.start(running.runner(), UdpEchoService.ECHO_PORT).get(5, TimeUnit.SECONDS);
            out.println("serving as " + running.config().address() + " (" + running.config().mac() + ") on "
                    + host.interfaceName + "; UDP echo on port " + UdpEchoService.ECHO_PORT + ". Ctrl-C stops.");
            out.flush();
            printing.start();
            if (durationSeconds == null) {
                stop.await();
            } else {
                stop.await(Math.round(durationSeconds * 1e9), TimeUnit.NANOSECONDS);
            }
            Map<String, Long> counters = running.counters();
            // Stop the traffic first, so that the end marker is the last line the printer sees; the
            // printer keeps draining, so putting the marker into a full queue only waits briefly.
            running.close();
            lines.put(new Line(false, 0, null, null));
            printing.join(2000);
            out.println();
            out.println("counters:");
            counters.forEach((name, value) -> out.printf("  %-42s %,d%n", name, value));
            if (unprinted.get() > 0) {
                out.printf("  %-42s %,d%n", "lines not printed (queue full)", unprinted.get());
            }
            out.flush();
            return 0;
        } catch (ExecutionException | TimeoutException e) {
            err.println("serve: could not start the UDP echo service: " + e.getMessage());
            return 2;
        } finally {
            running.close();
            interrupt.close();
        }
    }

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS").withZone(ZoneId.systemDefault());

    /** The printer thread: one tcpdump-like line per frame, summarised by the dissector. */
    private static void printLines(BlockingQueue<Line> lines, PrintWriter out) {
        Dissector dissector = new Dissector();
        // Event times come from the monotonic clock; this maps them onto the wall clock once.
        long wallMinusMonotonic = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
        try {
            while (true) {
                Line line = lines.take();
                if (line.frame() == null && line.text() == null) {
                    return;
                }
                String clock = CLOCK.format(Instant.ofEpochSecond(0, line.timeNanos() + wallMinusMonotonic));
                if (line.frame() == null) {
                    out.println(clock + "      " + line.text());
                } else {
                    FrameSummary summary = dissector.summarize(line.timeNanos(), line.frame(), line.frame().length, line.frame().length);
                    out.println(clock + (line.outgoing() ? " OUT " : " IN  ") + summary.source() + " → " + summary.destination()
                            + " " + summary.protocol() + " " + summary.length() + " " + summary.info());
                }
                if (lines.isEmpty()) {
                    out.flush();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            out.flush();
        }
    }
}
