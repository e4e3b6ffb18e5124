package dev.stacklab.dissect;

import java.nio.charset.StandardCharsets;

/**
 * A frame's summary as one line of text, as {@code tshark -r} prints it by default: number, relative time,
 * source, arrow, destination, protocol, length, info. Shared by {@code stacklab decode} and the app (its Time
 * column, copying a row as text), so both faces show a frame in the same words.
 */
public final class SummaryLine {
    private static final byte[] ARROW = " → ".getBytes(StandardCharsets.UTF_8);
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
        padLeft(out, seconds(summary.relativeTimeNanos()), 10);
        out.append(' ');
        padLeft(out, summary.source(), 12);
        out.append(" → ");
        padRight(out, summary.destination(), 12);
        return out.append(' ').append(summary.protocol()).append(' ').append(summary.length()).append(' ').append(summary.info());
    }

    /** The same line as {@link #appendTo(StringBuilder, FrameSummary)}, as UTF-8 bytes. */
    public static Utf8Text appendTo(Utf8Text out, FrameSummary summary) {
        return appendTo(out, summary.number(), summary.relativeTimeNanos(), summary.source(), summary.destination(),
                summary.protocol(), summary.length(), summary.info());
    }

    /**
     * The line of a frame's columns, written as UTF-8 with no String made on the way: how {@code decode} prints
     * millions of lines (the Info column comes straight from the builder the dissectors wrote it into).
     */
    static Utf8Text appendTo(Utf8Text out, int number, long relativeTimeNanos, String source, String destination,
                             String protocol, int length, CharSequence info) {
        return appendColumns(out, number, relativeTimeNanos, source, destination, protocol, length).append(info);
    }

    /** The line with the Info column as {@code info[infoFrom]} to {@code info[infoTo - 1]}, as a {@link SummaryBatch} keeps it. */
    static Utf8Text appendTo(Utf8Text out, int number, long relativeTimeNanos, String source, String destination,
                             String protocol, int length, char[] info, int infoFrom, int infoTo) {
        return appendColumns(out, number, relativeTimeNanos, source, destination, protocol, length).append(info, infoFrom, infoTo);
    }

    /** Every column up to the Info column, and the space before it. */
    private static Utf8Text appendColumns(Utf8Text out, int number, long relativeTimeNanos, String source, String destination,
                                          String protocol, int length) {
        out.appendSpaces(5 - decimalWidth(number)).appendDecimal(number).appendAscii(' ');
        long micros = Math.round(relativeTimeNanos / 1000.0);
        long whole = Math.abs(micros) / 1_000_000;
        int secondsWidth = (micros < 0 ? 1 : 0) + Utf8Text.decimalDigits(whole) + 7;
        out.appendSpaces(10 - secondsWidth);
        if (micros < 0) {
            out.appendAscii('-');
        }
        out.appendDecimal(whole).appendAscii('.').appendZeroPadded(Math.abs(micros) % 1_000_000, 6).appendAscii(' ');
        out.appendSpaces(12 - source.length()).append(source).appendUtf8(ARROW);
        out.append(destination).appendSpaces(12 - destination.length());
        return out.appendAscii(' ').append(protocol).appendAscii(' ').appendDecimal(length).appendAscii(' ');
    }

    private static int decimalWidth(int value) {
        return value < 0 ? 1 + Utf8Text.decimalDigits(-(long) value) : Utf8Text.decimalDigits(value);
    }

    /** Seconds with six decimals, rounded to the microsecond, as tshark's default Time column ({@code "0.503038"}). */
    public static String seconds(long nanos) {
        long micros = Math.round(nanos / 1000.0);
        String fraction = Long.toString(Math.abs(micros) % 1_000_000);
        return (micros < 0 ? "-" : "") + Math.abs(micros) / 1_000_000 + "." + "0".repeat(6 - fraction.length()) + fraction;
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
