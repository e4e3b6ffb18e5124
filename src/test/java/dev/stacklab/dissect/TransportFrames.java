package dev.stacklab.dissect;

import dev.stacklab.wire.BigEndian;

/**
 * Feeds real frames to one {@link Dissector}, in order, as a capture would, and hands back the
 * trees of the IPv4 frames (the transport tests have nothing to say about the others, but every
 * frame must still be counted for frame numbers such as "request in 3" to come out right). Also
 * dissects a bare transport header as if quoted in an ICMP error.
 */
final class TransportFrames {
    private static final int ETHERNET_HEADER = 14;

    private final Dissector dissector = new Dissector();
    private final DissectionSession session = new DissectionSession();
    private final DissectionContext ctx = new DissectionContext(session);
    private int frameCount;

    /** The frame's tree, or null for a frame that is not IPv4. */
    FrameTree dissect(long timestampNanos, byte[] frame) {
        FrameTree tree = dissector.dissect(timestampNanos, frame, frame.length, frame.length);
        return isIpv4(frame) ? tree : null;
    }

    FrameSummary summarize(long timestampNanos, byte[] frame) {
        return dissector.summarize(timestampNanos, frame, frame.length, frame.length);
    }

    private static boolean isIpv4(byte[] frame) {
        return frame.length >= ETHERNET_HEADER + 20 && BigEndian.u16(frame, 12) == 0x0800;
    }

    /** Dissects {@code bytes} as a transport header quoted in an ICMP error, as the IPv4 dissector would call it. */
    FrameTree dissectQuoted(int protocol, byte[] bytes, int ipSource, int ipDestination) {
        frameCount++;
        if (session.firstTimestampNanos == Long.MIN_VALUE) {
            session.firstTimestampNanos = 0;
            session.previousTimestampNanos = 0;
        }
        ctx.start(frameCount, 0, bytes, bytes.length, bytes.length, true);
        ctx.ipSource = ipSource;
        ctx.ipDestination = ipDestination;
        ctx.ipProtocol = protocol;
        ctx.quoteDepth = 1;
        ctx.columnsFenced = true;
        if (protocol == 6) {
            TcpDissector.dissect(ctx, ctx.root, 0, bytes.length);
        } else {
            UdpDissector.dissect(ctx, ctx.root, 0, bytes.length);
        }
        return new FrameTree(ctx.root, ctx.dataSources(), ctx.summary(0));
    }
}
