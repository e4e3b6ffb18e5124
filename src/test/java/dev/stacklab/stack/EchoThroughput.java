package dev.stacklab.stack;

import static dev.stacklab.stack.Frames.IP_A;
import static dev.stacklab.stack.Frames.IP_PEER;
import static dev.stacklab.stack.Frames.MAC_A;
import static dev.stacklab.stack.Frames.MAC_PEER;

/**
 * The engine alone answering pings as fast as one core can: receive a 98-byte echo request, poll
 * the reply out, repeat. Not a test (nothing to assert about a machine's speed); run it with
 * {@code java -cp target/classes:target/test-classes dev.stacklab.stack.EchoThroughput [seconds]}.
 */
public final class EchoThroughput {
    private EchoThroughput() {
    }

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        // "events": a listener that takes every event, frame copies included, as the app's would.
        boolean withEvents = args.length > 1 && args[1].equals("events");
        long[] eventCount = new long[1];
        NetStack stack = new NetStack(Frames.configA(), withEvents ? event -> eventCount[0]++ : StackEventListener.NONE);
        stack.receive(Frames.arpRequest(MAC_PEER, IP_PEER, IP_A), 42, 0);
        stack.poll(0, (frame, offset, length) -> { });
        byte[] request = Frames.ipFrame(MAC_A, MAC_PEER, Frames.echoRequestDatagram(IP_PEER, IP_A, 1, 1, Frames.pattern(56)));
        long[] bytesOut = new long[1];
        FrameTransmitter sink = (frame, offset, length) -> bytesOut[0] += length;

        run(stack, request, sink, (long) 1e9, 1);
        long replies = run(stack, request, sink, (long) (seconds * 1e9), 2);
        System.out.printf("%,d echo replies in %.1f s: %,.0f replies/s (%d bytes out)%n", replies, seconds, replies / seconds, bytesOut[0]);
        System.out.println(stack.counters().get(Counter.ICMP_ECHO_REPLIES_SENT) + " counted, " + eventCount[0] + " events");
    }

    private static long run(NetStack stack, byte[] request, FrameTransmitter sink, long durationNanos, long virtualStart) {
        long start = System.nanoTime();
        long count = 0;
        long t = virtualStart * 1_000_000_000L;
        while (true) {
            for (int i = 0; i < 1000; i++) {
                t += 1000;
                stack.receive(request, request.length, t);
                stack.poll(t, sink);
            }
            count += 1000;
            if (System.nanoTime() - start >= durationNanos) {
                return count;
            }
        }
    }
}
