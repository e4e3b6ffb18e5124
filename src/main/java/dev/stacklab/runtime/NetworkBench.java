package dev.stacklab.runtime;

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

    /** What the kernel's {@code ping -f} reported. */
    public record Flood(long transmitted, long received) {
        public long unanswered() {
            return transmitted - received;
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

    /** stacklab's ping from the stack's side of the veth to the lab namespace's kernel. */
    public static Rtt stackPing(int count, long intervalNanos) throws LinkException, InterruptedException {
        List<Long> rtts = new ArrayList<>();
        try (Host host = Host.onInterface(LabNetwork.STACK_DEVICE).address(LabNetwork.STACK_ADDRESS).start()) {
            // The first exchange resolves the kernel's MAC; it is not a round trip of the steady state.
            host.ping(new PingRequest(kernelAddress(), 0x5bd0, 0, 56, 64, TimeUnit.SECONDS.toNanos(2)));
            for (int sequence = 1; sequence <= count; sequence++) {
                PingOutcome outcome = host.ping(new PingRequest(kernelAddress(), 0x5bd0, sequence, 56, 64, TimeUnit.SECONDS.toNanos(2)));
                if (outcome instanceof PingOutcome.Reply reply) {
                    rtts.add(reply.roundTripNanos());
                }
                TimeUnit.NANOSECONDS.sleep(intervalNanos);
            }
        }
        return Rtt.of(rtts);
    }

    /** stacklab serving (echo responder) while the lab kernel floods it with {@code ping -f} for the given time. */
    public static Flood serveUnderFlood(int seconds) throws LinkException, LabNetworkException {
        try (Host host = Host.onInterface(LabNetwork.STACK_DEVICE).address(LabNetwork.STACK_ADDRESS).start()) {
            String stack = LabNetwork.STACK_ADDRESS.substring(0, LabNetwork.STACK_ADDRESS.indexOf('/'));
            LabNetwork.Result result = LabNetwork.execute(List.of("ip", "netns", "exec", LabNetwork.NAMESPACE, "ping", "-f", "-q",
                    "-w", Integer.toString(seconds), stack), seconds + 10);
            Matcher totals = IPUTILS_TOTALS.matcher(result.output());
            if (!totals.find()) {
                throw new LabNetworkException("ping -f printed no totals: " + result.output().strip());
            }
            return new Flood(Long.parseLong(totals.group(1)), Long.parseLong(totals.group(2)));
        }
    }
}
