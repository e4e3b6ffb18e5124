package dev.stacklab.app.capture;

import dev.stacklab.capture.CapturedFrame.Direction;
import dev.stacklab.dissect.SummaryLine;

/**
 * One row of the packet list, made when the table asks for it (only visible rows are asked for). Rows are the
 * same row when they show the same frame number, so selection survives the list changing around it.
 *
 * @param number            frame number (from 1; kept when the ring drops older frames)
 * @param relativeTimeNanos time since the capture's first frame
 * @param timePrecision     decimals the Time column shows: those the frame's file records its time to (6 for live frames)
 * @param length            bytes on the wire
 * @param direction         which way the frame went (UNKNOWN in files and watch-only captures)
 * @param colour            the colouring rule that matched it
 */
record PacketRow(int number, long relativeTimeNanos, int timePrecision, String source, String destination, String protocol, int length,
                 String info, Direction direction, ColouringRule colour) {

    /**
     * The Time column: seconds since the first frame, with as many decimals as the frame's file records (six for live
     * frames), as tshark and {@code stacklab decode} print it.
     */
    String time() {
        return SummaryLine.seconds(relativeTimeNanos, timePrecision);
    }

    /** The direction column: an arrow into our host, out of it, or nothing. */
    String directionMark() {
        return switch (direction) {
            case IN -> "→ in";
            case OUT -> "← out";
            case UNKNOWN -> "";
        };
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PacketRow row && row.number == number;
    }

    @Override
    public int hashCode() {
        return Integer.hashCode(number);
    }
}
