package dev.stacklab.runtime;

import dev.stacklab.stack.PingOutcome;
import dev.stacklab.wire.Ipv4Address;

import java.util.ArrayList;
import java.util.List;

/**
 * The lines iputils ping prints, shared by {@code stacklab ping} and the app's ping pane so that both read exactly
 * like the tool people know: the header, one line per answer, and the statistics at the end.
 */
public final class PingText {
    private PingText() {
    }

    /** "PING 10.0.0.2 (10.0.0.2) 56(84) bytes of data.": data bytes, then the IPv4 datagram's size. */
    public static String header(Ipv4Address target, int payloadSize) {
        return "PING " + target + " (" + target + ") " + payloadSize + "(" + (payloadSize + 28) + ") bytes of data.";
    }

    /**
     * The line iputils prints for one result, or null where it prints none on standard output: for a timeout
     * (iputils without -O) and for a request too big to leave ({@link #localError}).
     *
     * @param ourAddress the address that reports an unanswered ARP: iputils prints the local host's own address
     */
    public static String line(PingResult result, Ipv4Address ourAddress) {
        PingOutcome outcome = result.outcome();
        if (outcome instanceof PingOutcome.Reply reply) {
            return reply.bytes() + " bytes from " + reply.from() + ": icmp_seq=" + result.sequence() + " ttl=" + reply.ttl()
                    + " time=" + replyTime(reply.roundTripNanos()) + " ms";
        }
        if (outcome instanceof PingOutcome.Unreachable unreachable) {
            return "From " + unreachable.reportedBy() + " icmp_seq=" + result.sequence() + " " + unreachable.description();
        }
        if (outcome instanceof PingOutcome.TimeExceeded exceeded) {
            return "From " + exceeded.reportedBy() + " icmp_seq=" + result.sequence() + " Time to live exceeded";
        }
        if (outcome instanceof PingOutcome.HostUnreachable) {
            return "From " + ourAddress + " icmp_seq=" + result.sequence() + " Destination Host Unreachable";
        }
        return null;
    }

    /** What iputils -O prints for a request nobody answered. */
    public static String timeoutLine(int sequence) {
        return "no answer yet for icmp_seq=" + sequence;
    }

    /** iputils reports a send the kernel refused (EMSGSIZE) as "ping: local error: message too long, mtu=1500". */
    public static String localError(PingOutcome.MessageTooLong tooLong) {
        return "ping: " + tooLong.description();
    }

    /** iputils' precision: three decimals under 1 ms, two under 10, one under 100, none above. */
    public static String replyTime(long nanos) {
        long micros = Math.round(nanos / 1000.0);
        if (micros < 1000) {
            return String.format("%d.%03d", micros / 1000, micros % 1000);
        }
        if (micros < 10_000) {
            long hundredths = Math.round(micros / 10.0);
            return String.format("%d.%02d", hundredths / 100, hundredths % 100);
        }
        if (micros < 100_000) {
            long tenths = Math.round(micros / 100.0);
            return String.format("%d.%d", tenths / 10, tenths % 10);
        }
        return Long.toString(Math.round(micros / 1000.0));
    }

    /** Milliseconds with three decimals, as the statistics print every figure. */
    public static String millis3(long nanos) {
        long micros = Math.round(nanos / 1000.0);
        return String.format("%d.%03d", micros / 1000, micros % 1000);
    }

    /**
     * The statistics block: "--- T ping statistics ---", the packet counts with the loss iputils rounds down, and
     * "rtt min/avg/max/mdev = ..." when a reply came.
     */
    public static List<String> statistics(PingSummary summary) {
        List<String> lines = new ArrayList<>(3);
        lines.add("--- " + summary.target() + " ping statistics ---");
        int transmitted = summary.transmitted();
        int lossPercent = transmitted == 0 ? 0 : (int) ((transmitted - summary.received()) * 100L / transmitted);
        StringBuilder line = new StringBuilder();
        line.append(transmitted).append(" packets transmitted, ").append(summary.received()).append(" received");
        if (summary.errors() > 0) {
            line.append(", +").append(summary.errors()).append(" errors");
        }
        line.append(", ").append(lossPercent).append("% packet loss, time ")
                .append(Math.round(summary.elapsedNanos() / 1e6)).append("ms");
        lines.add(line.toString());
        if (summary.received() > 0) {
            lines.add("rtt min/avg/max/mdev = " + millis3(summary.minNanos()) + "/" + millis3(summary.avgNanos()) + "/"
                    + millis3(summary.maxNanos()) + "/" + millis3(summary.mdevNanos()) + " ms");
        }
        return lines;
    }
}
