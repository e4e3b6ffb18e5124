package dev.stacklab.dissect;

import dev.stacklab.wire.BigEndian;

/**
 * Test-only stand-in for the Ethernet and IPv4 layers while they are written elsewhere: reads the
 * IPv4 header of an Ethernet II frame just far enough to set what IPv4 hands to the transport
 * dissectors (addresses, protocol, TTL) and calls ICMP, UDP or TCP directly. Once the real IPv4
 * dissector is in place ({@code Ipv4Dissector.FIELDS} not empty), frames go through
 * {@link Dissector} itself.
 */
final class TransportFrames {
    private static final int ETHERNET_HEADER = 14;

    private final boolean realIpv4 = !Ipv4Dissector.FIELDS.isEmpty();
    private final Dissector dissector = new Dissector();
    private final DissectionSession session = new DissectionSession();
    private final DissectionContext ctx = new DissectionContext(session);
    private int frameCount;

    /** True when ICMP errors' quoted datagrams are dissected (the IPv4 dissector exists). */
    boolean quotedLayersAvailable() {
        return realIpv4;
    }

    /** The frame's tree, or null for a frame that is not IPv4 (the stand-in has nothing to say about it). */
    FrameTree dissect(long timestampNanos, byte[] frame) {
        if (realIpv4) {
            return isIpv4(frame) ? dissector.dissect(timestampNanos, frame, frame.length, frame.length) : null;
        }
        if (!run(timestampNanos, frame, true)) {
            return null;
        }
        return new FrameTree(ctx.root, ctx.dataSources(), ctx.summary(timestampNanos - session.firstTimestampNanos));
    }

    FrameSummary summarize(long timestampNanos, byte[] frame) {
        if (realIpv4) {
            return dissector.summarize(timestampNanos, frame, frame.length, frame.length);
        }
        run(timestampNanos, frame, false);
        return ctx.summary(timestampNanos - session.firstTimestampNanos);
    }

    private static boolean isIpv4(byte[] frame) {
        return frame.length >= ETHERNET_HEADER + 20 && BigEndian.u16(frame, 12) == 0x0800;
    }

    private boolean run(long timestampNanos, byte[] frame, boolean buildTree) {
        frameCount++;
        if (session.firstTimestampNanos == Long.MIN_VALUE) {
            session.firstTimestampNanos = timestampNanos;
            session.previousTimestampNanos = timestampNanos;
        }
        ctx.start(frameCount, timestampNanos, frame, frame.length, frame.length, buildTree);
        try {
            if (!isIpv4(frame)) {
                return false;
            }
            int ip = ETHERNET_HEADER;
            int headerLength = (frame[ip] & 0x0F) * 4;
            int totalLength = Math.min(BigEndian.u16(frame, ip + 2), frame.length - ip);
            ctx.ipSource = BigEndian.i32(frame, ip + 12);
            ctx.ipDestination = BigEndian.i32(frame, ip + 16);
            ctx.ipProtocol = BigEndian.u8(frame, ip + 9);
            ctx.ipTtl = BigEndian.u8(frame, ip + 8);
            ctx.setProtocol("IPv4");
            int offset = ip + headerLength;
            int length = totalLength - headerLength;
            switch (ctx.ipProtocol) {
                case 1 -> IcmpDissector.dissect(ctx, ctx.root, offset, length);
                case 6 -> TcpDissector.dissect(ctx, ctx.root, offset, length);
                case 17 -> UdpDissector.dissect(ctx, ctx.root, offset, length);
                default -> DataDissector.dissect(ctx, ctx.root, offset, length);
            }
            return true;
        } finally {
            session.previousTimestampNanos = timestampNanos;
        }
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
