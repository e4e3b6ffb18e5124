package dev.stacklab.dissect;

import java.util.List;

/** The "frame" layer Wireshark puts on top of every packet: number, times and lengths. Hands on to Ethernet. */
final class FrameDissector {
    static final FieldDef FRAME = FieldDef.protocol("frame", "Frame");
    static final FieldDef TIME_EPOCH = FieldDef.timeNanos("frame.time_epoch", "Epoch Time");
    static final FieldDef TIME_DELTA = FieldDef.timeNanos("frame.time_delta", "Time delta from previous captured frame");
    static final FieldDef TIME_RELATIVE = FieldDef.timeNanos("frame.time_relative", "Time since reference or first frame");
    static final FieldDef NUMBER = FieldDef.uint("frame.number", "Frame Number");
    static final FieldDef LENGTH = FieldDef.uint("frame.len", "Frame Length");
    static final FieldDef CAPTURED_LENGTH = FieldDef.uint("frame.cap_len", "Capture Length");

    static final List<FieldDef> FIELDS = List.of(FRAME, TIME_EPOCH, TIME_DELTA, TIME_RELATIVE, NUMBER, LENGTH, CAPTURED_LENGTH);

    /** "Frame 1: 98 bytes on wire (784 bits), 98 bytes captured (784 bits)", from the node's children. */
    private static final NodeText FRAME_LINE = node -> {
        long number = node.child(NUMBER).value();
        long original = node.child(LENGTH).value();
        long captured = node.child(CAPTURED_LENGTH).value();
        return "Frame " + number + ": " + original + " bytes on wire (" + original * 8 + " bits), " + captured
                + " bytes captured (" + captured * 8 + " bits)";
    };
    /** "Time delta from previous captured frame: 0.000010000 seconds". */
    static final NodeText SECONDS_LINE = node -> node.def().label() + ": " + FieldNode.seconds(node.value()) + " seconds";
    /** "Frame Length: 98 bytes (784 bits)". */
    private static final NodeText BYTES_LINE = node -> node.def().label() + ": " + node.value() + " bytes (" + node.value() * 8 + " bits)";

    private FrameDissector() {
    }

    static void dissect(DissectionContext ctx) {
        FieldNode frame = ctx.add(ctx.root, FRAME, 0, ctx.capturedLength);
        if (frame != null) {
            frame.text(FRAME_LINE);
            DissectionSession session = ctx.session;
            ctx.add(frame, TIME_EPOCH, 0, 0, ctx.timestampNanos);
            ctx.add(frame, TIME_DELTA, 0, 0, ctx.timestampNanos - session.previousTimestampNanos).text(SECONDS_LINE);
            ctx.add(frame, TIME_RELATIVE, 0, 0, ctx.timestampNanos - session.firstTimestampNanos).text(SECONDS_LINE);
            ctx.add(frame, NUMBER, 0, 0, ctx.frameNumber);
            ctx.add(frame, LENGTH, 0, 0, ctx.originalLength).text(BYTES_LINE);
            ctx.add(frame, CAPTURED_LENGTH, 0, 0, ctx.capturedLength).text(BYTES_LINE);
        }
        EthernetDissector.dissect(ctx, ctx.root, 0, ctx.capturedLength);
    }
}
