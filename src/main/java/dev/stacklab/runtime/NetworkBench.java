package dev.stacklab.runtime;

import dev.stacklab.stack.Counter;
import dev.stacklab.stack.CounterSnapshot;
import dev.stacklab.link.LinkException;
import dev.stacklab.runtime.LabNetwork.LabNetworkException;
import dev.stacklab.stack.PingOutcome;
import dev.stacklab.stack.PingRequest;
import dev.stacklab.wire.Ipv4Address;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The network half of issue 3's bench, on the lab veth ({@link LabNetwork}): the round-trip times of
 * stacklab's ping against the kernel next to the kernel's own (iputils ping, kernel to kernel over
 * the same veth), and stacklab answering the kernel's flood ping.
 */
public final class NetworkBench {
    /** Median and 99th percentile of a set of round-trip times. */
    public record Rtt(int samples, long medianNanos, long p99Nanos) {
        static Rtt of(List<Long> nanos) {
            List<Long> sorted = new ArrayList<>(nanos);
            Collections.sort(sorted);
            if (sorted.isEmpty()) {
                return new Rtt(0, 0, 0);
            }
            return new Rtt(sorted.size(), sorted.get((sorted.size() - 1) / 2),
                    sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1));
        }
    }

    /**
     * A flood ping from both ends: what the kernel's {@code ping -f} reported, and what stacklab counted.
     * {@code ping -w} exits at its deadline without waiting for the reply to the request then in flight, so the
     * kernel's own figures can miss one answer that was sent; a request is unanswered only if stacklab never
     * answered it.
     */
    public record Flood(long transmitted, long received, long requestsSeen, long repliesSent) {
        public long unanswered() {
            return Math.max(0, transmitted - repliesSent);
        }
    }

    private static final Pattern IPUTILS_TIME = Pattern.compile("time=([0-9.]+) ms");
    private static final Pattern IPUTILS_TOTALS = Pattern.compile("(\\d+) packets transmitted, (\\d+) received");
    /** A second address for the kernel on the stack's side of the veth, used only while measuring the kernel. */
    private static final String REFERENCE_ADDRESS = "10.99.0.3/24";

    private NetworkBench() {
    }

    private static Ipv4Address kernelAddress() {
        return Ipv4Address.parse(LabNetwork.KERNEL_ADDRESS.substring(0, LabNetwork.KERNEL_ADDRESS.indexOf('/')));
    }

    /** iputils ping from the host's kernel to the lab namespace's kernel, over the same veth the stack uses. */
    public static Rtt kernelPing(int count, double intervalSeconds) throws LabNetworkException {
        LabNetwork.run("ip", "addr", "add", REFERENCE_ADDRESS, "dev", LabNetwork.STACK_DEVICE);
        try {
            LabNetwork.Result result = LabNetwork.execute(List.of("ping", "-n", "-c", Integer.toString(count), "-i",
                    Double.toString(intervalSeconds), "-I", LabNetwork.STACK_DEVICE, kernelAddress().toString()));
            List<Long> rtts = new ArrayList<>();
            Matcher matcher = IPUTILS_TIME.matcher(result.output());
            while (matcher.find()) {
                rtts.add(Math.round(Double.parseDouble(matcher.group(1)) * 1e6));
            }
            return Rtt.of(rtts);
        } finally {
            LabNetwork.run("ip", "addr", "del", REFERENCE_ADDRESS, "dev", LabNetwork.STACK_DEVICE);
        }
    }

    /** stacklab's ping against the kernel twice in one JVM: first cold, then after the JIT compiler has warmed. */
    public record StackRtt(Rtt cold, Rtt warm, int warmUpPings) {
    }

    /**
     * stacklab's ping from the stack's side of the veth to the lab namespace's kernel: {@code count} pings with the
     * JVM cold (most of the path still interpreted), then {@code warmUpPings} back to back, unmeasured, then
     * {@code count} more. iputils is native code, so the warm figure is the like-for-like one; the cold one is what
     * a short {@code stacklab ping} sees.
     */
    public static StackRtt stackPing(int count, long intervalNanos, int warmUpPings) throws LinkException, InterruptedException {
        try (Host host = Host.onInterface(LabNetwork.STACK_DEVICE).address(LabNetwork.STACK_ADDRESS).start()) {
            int[] sequence = {0};
            // The first exchange resolves the kernel's MAC; it is not a round trip of the steady state.
            pingOnce(host, sequence);
            Rtt cold = timedPings(host, sequence, count, intervalNanos);
            for (int i = 0; i < warmUpPings; i++) {
                pingOnce(host, sequence);
            }
            Rtt warm = timedPings(host, sequence, count, intervalNanos);
            return new StackRtt(cold, warm, warmUpPings);
        }
    }

    private static Rtt timedPings(Host host, int[] sequence, int count, long intervalNanos) throws InterruptedException {
        List<Long> rtts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (pingOnce(host, sequence) instanceof PingOutcome.Reply reply) {
                rtts.add(reply.roundTripNanos());
            }
            TimeUnit.NANOSECONDS.sleep(intervalNanos);
        }
        return Rtt.of(rtts);
    }

    private static PingOutcome pingOnce(Host host, int[] sequence) {
        int next = sequence[0]++ & 0xFFFF;
        return host.ping(new PingRequest(kernelAddress(), 0x5bd0, next, 56, 64, TimeUnit.SECONDS.toNanos(2)));
    }

    /**
     * The reference for the flood: the host's kernel answering the same {@code ping -f} from the lab namespace over
     * the same veth, at a second address on the stack's side (removed afterwards).
     */
    public static Flood kernelUnderFlood(int seconds) throws LabNetworkException {
        LabNetwork.run("ip", "addr", "add", REFERENCE_ADDRESS, "dev", LabNetwork.STACK_DEVICE);
        try {
            String reference = REFERENCE_ADDRESS.substring(0, REFERENCE_ADDRESS.indexOf('/'));
            long[] totals = floodTotals(reference, seconds);
            return new Flood(totals[0], totals[1], totals[0], totals[1]);
        } finally {
            LabNetwork.run("ip", "addr", "del", REFERENCE_ADDRESS, "dev", LabNetwork.STACK_DEVICE);
        }
    }

    /** Runs the lab namespace's {@code ping -f -q -w seconds} at an address; its transmitted and received totals. */
    private static long[] floodTotals(String target, int seconds) throws LabNetworkException {
        LabNetwork.Result result = LabNetwork.execute(List.of("ip", "netns", "exec", LabNetwork.NAMESPACE, "ping", "-f", "-q",
                "-w", Integer.toString(seconds), target), seconds + 10);
        Matcher totals = IPUTILS_TOTALS.matcher(result.output());
        if (!totals.find()) {
            throw new LabNetworkException("ping -f printed no totals: " + result.output().strip());
        }
        return new long[] {Long.parseLong(totals.group(1)), Long.parseLong(totals.group(2))};
    }

    /** stacklab serving (echo responder) while the lab kernel floods it with {@code ping -f} for the given time. */
    public static Flood serveUnderFlood(int seconds) throws LinkException, LabNetworkException, InterruptedException {
        try (Host host = Host.onInterface(LabNetwork.STACK_DEVICE).address(LabNetwork.STACK_ADDRESS).start()) {
            String stack = LabNetwork.STACK_ADDRESS.substring(0, LabNetwork.STACK_ADDRESS.indexOf('/'));
            long[] totals = floodTotals(stack, seconds);
            // ping exits at its deadline right after its last request: give that request the moment it needs to
            // reach the stack before the counters are read (a request is answered in microseconds; this waits
            // at most a quarter of a second).
            CounterSnapshot counters = host.counters().engine();
            long settleUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(250);
            while (counters.get(Counter.ICMP_ECHO_REPLIES_SENT) < totals[0] && System.nanoTime() < settleUntil) {
                Thread.sleep(10);
                counters = host.counters().engine();
            }
            return new Flood(totals[0], totals[1], counters.get(Counter.ICMP_ECHO_REQUESTS_RECEIVED),
                    counters.get(Counter.ICMP_ECHO_REPLIES_SENT));
        }
    }
}
