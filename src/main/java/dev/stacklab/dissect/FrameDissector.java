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

    private FrameDissector() {
    }

    static void dissect(DissectionContext ctx) {
        FieldNode frame = ctx.add(ctx.root, FRAME, 0, ctx.capturedLength);
        if (frame != null) {
            frame.text("Frame " + ctx.frameNumber + ": " + ctx.originalLength + " bytes on wire (" + ctx.originalLength * 8
                    + " bits), " + ctx.capturedLength + " bytes captured (" + ctx.capturedLength * 8 + " bits)");
            DissectionSession session = ctx.session;
            ctx.add(frame, TIME_EPOCH, 0, 0, ctx.timestampNanos);
            ctx.add(frame, TIME_DELTA, 0, 0, ctx.timestampNanos - session.previousTimestampNanos).text(
                    "Time delta from previous captured frame: " + FieldNode.seconds(ctx.timestampNanos - session.previousTimestampNanos) + " seconds");
            ctx.add(frame, TIME_RELATIVE, 0, 0, ctx.timestampNanos - session.firstTimestampNanos).text(
                    "Time since reference or first frame: " + FieldNode.seconds(ctx.timestampNanos - session.firstTimestampNanos) + " seconds");
            ctx.add(frame, NUMBER, 0, 0, ctx.frameNumber);
            ctx.add(frame, LENGTH, 0, 0, ctx.originalLength).text(
                    "Frame Length: " + ctx.originalLength + " bytes (" + ctx.originalLength * 8 + " bits)");
            ctx.add(frame, CAPTURED_LENGTH, 0, 0, ctx.capturedLength).text(
                    "Capture Length: " + ctx.capturedLength + " bytes (" + ctx.capturedLength * 8 + " bits)");
        }
        EthernetDissector.dissect(ctx, ctx.root, 0, ctx.capturedLength);
    }
}
