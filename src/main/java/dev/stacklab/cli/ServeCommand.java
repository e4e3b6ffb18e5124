package dev.stacklab.cli;

import dev.stacklab.link.LinkException;
import dev.stacklab.runtime.Host;
import dev.stacklab.runtime.HostCounters;
import dev.stacklab.runtime.TcpServices;
import dev.stacklab.runtime.UdpEchoService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code stacklab serve}: the stack as a host on the network. It answers ARP and ping, echoes UDP on
 * port 7, serves TCP echo (7), discard (9) and HTTP (80), and prints one line per frame in and out, as tcpdump does, until Ctrl-C (or --duration),
 * when it stops cleanly and prints its counters.
 */
@Command(name = "serve", sortOptions = false,
        description = "Run stacklab's stack as a host: answers ARP and ping, UDP echo on port 7, TCP echo (7), "
                + "discard (9) and HTTP (80, /bytes/N); prints every frame.")
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

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (durationSeconds != null && !(durationSeconds > 0)) {
            err.println("serve: --duration must be more than 0 seconds, not " + durationSeconds);
            return 2;
        }
        ServePrinter printer = new ServePrinter(out, quiet, ServePrinter.QUEUE_CAPACITY);
        Host running;
        try {
            running = host.start(printer);
        } catch (LinkException | IllegalArgumentException e) {
            err.println("serve: " + e.getMessage());
            return 2;
        }
        CountDownLatch stop = new CountDownLatch(1);
        CtrlC interrupt = CtrlC.stops("serve", stop::countDown);
        try {
            UdpEchoService.start(running.runner(), UdpEchoService.ECHO_PORT).get(5, TimeUnit.SECONDS);
            TcpServices.start(running.runner());
            out.println("serving as " + running.config().address() + " (" + running.config().mac() + ") on "
                    + host.interfaceName + "; UDP echo on port " + UdpEchoService.ECHO_PORT + ", TCP echo on "
                    + TcpServices.ECHO_PORT + ", discard on " + TcpServices.DISCARD_PORT + ", HTTP on "
                    + TcpServices.HTTP_PORT + ". Ctrl-C stops.");
            out.flush();
            printer.start();
            if (durationSeconds == null) {
                stop.await();
            } else {
                stop.await(Math.round(durationSeconds * 1e9), TimeUnit.NANOSECONDS);
            }
            HostCounters counters = running.counters();
            // Stop the traffic first, so that the printer knows when it has printed the last line.
            running.close();
            printer.finish(2000);
            out.println();
            out.println("counters:");
            counters.byLabel().forEach((name, value) -> out.printf("  %-42s %,d%n", name, value));
            if (printer.unprinted() > 0) {
                out.printf("  %-42s %,d%n", "lines not printed (queue full)", printer.unprinted());
            }
            out.flush();
            return 0;
        } catch (ExecutionException | TimeoutException e) {
            err.println("serve: could not start the UDP echo service: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("serve: could not start the TCP services: " + e.getMessage());
            return 2;
        } finally {
            running.close();
            interrupt.close();
        }
    }
}
