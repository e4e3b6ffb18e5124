package dev.stacklab.dissect;

import java.nio.charset.StandardCharsets;

/**
 * A frame's summary as one line of text, as {@code tshark -r} prints it by default: number, relative time,
 * source, arrow, destination, protocol, length, info. Shared by {@code stacklab decode} and the app (its Time
 * column, copying a row as text), so both faces show a frame in the same words.
 */
public final class SummaryLine {
    private static final byte[] ARROW = " → ".getBytes(StandardCharsets.UTF_8);
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** Nanoseconds in the last shown decimal, by precision: 10^(9 - precision). */
    private static final long[] UNIT_NANOS = {
            1_000_000_000L, 100_000_000L, 10_000_000L, 1_000_000L, 100_000L, 10_000L, 1_000L, 100L, 10L, 1L};
    private SummaryLine() {
    }

    /** {@code "    4   0.503038 0e:8e:5f:d9:cf:bb → Broadcast    ARP 42 Who has 10.77.0.2? Tell 10.77.0.1"}. */
    public static String of(FrameSummary summary) {
        return appendTo(new StringBuilder(128), summary).toString();
    }

    /** Appends the line (without a line end) to {@code out}, for callers that reuse one builder per line. */
    public static StringBuilder appendTo(StringBuilder out, FrameSummary summary) {
        padLeft(out, Integer.toString(summary.number()), 5);
        out.append(' ');
        padLeft(out, seconds(summary.relativeTimeNanos(), summary.timePrecision()), 10);
        out.append(' ');
        padLeft(out, summary.source(), 12);
        out.append(" → ");
        padRight(out, summary.destination(), 12);
        return out.append(' ').append(summary.protocol()).append(' ').append(summary.length()).append(' ').append(summary.info());
    }

    /** The same line as {@link #appendTo(StringBuilder, FrameSummary)}, as UTF-8 bytes. */
    public static Utf8Text appendTo(Utf8Text out, FrameSummary summary) {
        return appendTo(out, summary.number(), summary.relativeTimeNanos(), summary.timePrecision(), summary.source(),
                summary.destination(), summary.protocol(), summary.length(), summary.info());
    }

    /**
     * The line of a frame's columns, written as UTF-8 with no String made on the way: how {@code decode} prints
     * millions of lines (the Info column comes straight from the builder the dissectors wrote it into).
     */
    static Utf8Text appendTo(Utf8Text out, int number, long relativeTimeNanos, int timePrecision, String source,
                             String destination, String protocol, int length, CharSequence info) {
        return appendColumns(out, number, relativeTimeNanos, timePrecision, source, destination, protocol, length).append(info);
    }

    /** The line with the Info column as {@code info[infoFrom]} to {@code info[infoTo - 1]}, as a {@link SummaryBatch} keeps it. */
    static Utf8Text appendTo(Utf8Text out, int number, long relativeTimeNanos, int timePrecision, String source,
                             String destination, String protocol, int length, char[] info, int infoFrom, int infoTo) {
        return appendColumns(out, number, relativeTimeNanos, timePrecision, source, destination, protocol, length)
                .append(info, infoFrom, infoTo);
    }

    /** Every column up to the Info column, and the space before it. */
    private static Utf8Text appendColumns(Utf8Text out, int number, long relativeTimeNanos, int timePrecision, String source,
                                          String destination, String protocol, int length) {
        out.appendSpaces(5 - decimalWidth(number)).appendDecimal(number).appendAscii(' ');
        long magnitude = Math.abs(relativeTimeNanos);
        long whole = magnitude / NANOS_PER_SECOND;
        long fraction = magnitude % NANOS_PER_SECOND / UNIT_NANOS[timePrecision];
        boolean negative = relativeTimeNanos < 0 && (whole > 0 || fraction > 0);
        int secondsWidth = (negative ? 1 : 0) + Utf8Text.decimalDigits(whole) + (timePrecision > 0 ? 1 + timePrecision : 0);
        out.appendSpaces(10 - secondsWidth);
        if (negative) {
            out.appendAscii('-');
        }
        out.appendDecimal(whole);
        if (timePrecision > 0) {
            out.appendAscii('.').appendZeroPadded(fraction, timePrecision);
        }
        out.appendAscii(' ');
        out.appendSpaces(12 - source.length()).append(source).appendUtf8(ARROW);
        out.append(destination).appendSpaces(12 - destination.length());
        return out.appendAscii(' ').append(protocol).appendAscii(' ').appendDecimal(length).appendAscii(' ');
    }

    private static int decimalWidth(int value) {
        return value < 0 ? 1 + Utf8Text.decimalDigits(-(long) value) : Utf8Text.decimalDigits(value);
    }

    /** Seconds with six decimals, as tshark's Time column shows a capture in microseconds ({@code "0.503038"}). */
    public static String seconds(long nanos) {
        return seconds(nanos, 6);
    }

    /**
     * Seconds with {@code precision} decimals (0 to 9), cut (not rounded) as tshark's Time column shows a frame whose
     * file records its time to that precision: {@code "0.000010740"} at 9, {@code "0.000010"} at 6, {@code "12"} at 0.
     * A time that shows as zero has no minus sign.
     */
    public static String seconds(long nanos, int precision) {
        checkPrecision(precision);
        long magnitude = Math.abs(nanos);
        long whole = magnitude / NANOS_PER_SECOND;
        long fraction = magnitude % NANOS_PER_SECOND / UNIT_NANOS[precision];
        StringBuilder out = new StringBuilder(24);
        if (nanos < 0 && (whole > 0 || fraction > 0)) {
            out.append('-');
        }
        out.append(whole);
        if (precision > 0) {
            String digits = Long.toString(fraction);
            out.append('.').append("0".repeat(precision - digits.length())).append(digits);
        }
        return out.toString();
    }

    /** Throws for a precision other than 0 to 9 decimals. */
    static int checkPrecision(int precision) {
        if (precision < 0 || precision > 9) {
            throw new IllegalArgumentException("time precision " + precision + " is not 0 to 9 decimals");
        }
        return precision;
    }

    private static void padLeft(StringBuilder out, String text, int width) {
        for (int i = text.length(); i < width; i++) {
            out.append(' ');
        }
        out.append(text);
    }

    private static void padRight(StringBuilder out, String text, int width) {
        out.append(text);
        for (int i = text.length(); i < width; i++) {
            out.append(' ');
        }
    }
}
