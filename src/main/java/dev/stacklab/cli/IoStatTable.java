package dev.stacklab.cli;

import dev.stacklab.dissect.DisplayFilter;
import dev.stacklab.dissect.DisplayFilterException;
import dev.stacklab.dissect.FrameTree;
import dev.stacklab.dissect.IoStatistics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * decode's {@code -z io,stat,INTERVAL[,FILTER]...}: frames and bytes per interval, counted by {@link IoStatistics} and
 * drawn as tshark 4.0's io,stat table, byte for byte.
 *
 * <p>Counted as tshark's tap counts, which differs from the I/O Graph's model only for frames out of time order: times
 * are rounded to microseconds from the first frame; each column is a tap of its own, and a frame earlier than the last
 * one its column counted goes into that column's latest interval (one timed before the first frame as well). The table
 * runs from 0 to the last frame's time, the duration, rounded to the interval's decimals; a frame exactly at the end of
 * a duration that is a whole number of intervals is counted but, as in tshark, in no row.
 */
final class IoStatTable {
    private static final String PREFIX = "io,stat,";
    /** What tshark's sscanf("%lf") reads of an interval that stacklab takes: plain decimals. */
    private static final Pattern INTERVAL = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)");
    /** tshark's calculated columns (COUNT(field) and so on), which stacklab does not count. */
    private static final Pattern CALCULATED = Pattern.compile("(FRAMES|BYTES|COUNT|SUM|MIN|MAX|AVG|LOAD)\\b.*");
    private static final long MICROS_PER_SECOND = 1_000_000L;
    /** tshark's widest header line before it wraps a filter's text. */
    private static final int MAX_FILTER_WIDTH = 102;
    /** More rows than anyone reads (tshark would print them all): refused, so the counts stay within memory. */
    private static final long MAX_ROWS = 10_000_000L;

    /** The interval in microseconds, as tshark rounds it; 0 for the whole capture as one interval. */
    private final long intervalMicros;
    /** How many decimals of a second the user's interval has (tshark's invl_prec). */
    private final int decimals;
    /** Each column's filter text as tshark shows it, null for "Frames and bytes". */
    private final List<String> filterTexts;
    private final DisplayFilter[] filters;
    /** One single-column IoStatistics per column, as each of tshark's columns is a tap with an interval list of its own. */
    private IoStatistics[] columns;
    private final long[] latestMicros;
    private long startNanos;
    private long lastRelativeMicros;
    private long durationMicros;
    private boolean anyFrame;

    private IoStatTable(long intervalMicros, int decimals, List<String> filterTexts, List<DisplayFilter> filters) {
        this.intervalMicros = intervalMicros;
        this.decimals = decimals;
        this.filterTexts = filterTexts;
        this.filters = filters.toArray(new DisplayFilter[0]);
        this.latestMicros = new long[this.filters.length];
    }

    /** Whether the -z argument asks for this statistic (then {@link #parse} says whether it is a good one). */
    static boolean isIoStat(String statistic) {
        return statistic.startsWith(PREFIX) || statistic.equals("io,stat");
    }

    /**
     * Reads {@code io,stat,INTERVAL[,FILTER][,FILTER]...} as tshark 4.0 does: INTERVAL in seconds (0: the whole capture),
     * filters split at commas, an empty one counting every frame.
     *
     * @throws IllegalArgumentException with a one-line message naming the bad interval or filter
     */
    static IoStatTable parse(String statistic) {
        if (!statistic.startsWith(PREFIX)) {
            throw new IllegalArgumentException("-z " + statistic + " needs an interval: io,stat,INTERVAL[,FILTER]... (INTERVAL in seconds, 0 for the whole capture)");
        }
        String rest = statistic.substring(PREFIX.length());
        int comma = rest.indexOf(',');
        String intervalText = comma < 0 ? rest : rest.substring(0, comma);
        Matcher number = INTERVAL.matcher(intervalText);
        if (!number.matches()) {
            throw new IllegalArgumentException("-z " + statistic + ": the interval '" + intervalText
                    + "' is not a number of seconds (e.g. 1, 0.1, 0.001, or 0 for the whole capture)");
        }
        if (statistic.endsWith(",")) {
            throw new IllegalArgumentException("-z " + statistic + ": ends with a comma; leave the last filter out rather than empty");
        }
        double seconds = Double.parseDouble(intervalText);
        long intervalMicros;
        int decimals;
        if (seconds == 0) {
            intervalMicros = 0;
            decimals = 0;
        } else {
            intervalMicros = (long) (seconds * 1_000_000.0 + 0.5);
            if (intervalMicros < 1) {
                throw new IllegalArgumentException("-z " + statistic + ": the interval '" + intervalText
                        + "' is below 0.000001 seconds (0 means the whole capture)");
            }
            decimals = decimalsOf(intervalMicros, intervalText);
        }
        List<String> texts = new ArrayList<>();
        List<DisplayFilter> filters = new ArrayList<>();
        if (comma < 0) {
            texts.add(null);
            filters.add(null);
        } else {
            splitFilters(statistic, rest.substring(comma + 1), texts, filters);
        }
        return new IoStatTable(intervalMicros, decimals, texts, filters);
    }

    /**
     * tshark's invl_prec: the decimals the interval needs (0.25 has 2); for a whole number of seconds, the decimals
     * written (1.0 has 1, so the table shows tenths).
     */
    private static int decimalsOf(long intervalMicros, String intervalText) {
        int decimals = 6;
        for (long power = 10; power < 10_000_000L; power *= 10) {
            if (intervalMicros % power > 0) {
                break;
            }
            decimals--;
        }
        int point = intervalText.indexOf('.');
        if (decimals == 0 && point >= 0 && point < intervalText.length() - 1) {
            decimals = Math.min(intervalText.length() - point - 1, 6);
        }
        return decimals;
    }

    /**
     * tshark 4.0's split: at every comma (its display filters have no commas); an empty filter between two commas, or
     * a blank last one, counts every frame as "Frames and bytes"; a blank one between two commas is the empty filter,
     * which matches every frame too but is shown as it is, empty.
     */
    private static void splitFilters(String statistic, String text, List<String> texts, List<DisplayFilter> filters) {
        String[] pieces = text.split(",", -1);
        for (int i = 0; i < pieces.length; i++) {
            String piece = pieces[i].strip();
            if (pieces[i].isEmpty() || (piece.isEmpty() && i == pieces.length - 1)) {
                texts.add(null);
                filters.add(null);
                continue;
            }
            try {
                filters.add(compile(statistic, piece));
                texts.add(piece);
            } catch (DisplayFilterException e) {
                throw new IllegalArgumentException("-z " + statistic + ": bad display filter \"" + piece + "\": " + e.getMessage());
            }
        }
    }

    private static DisplayFilter compile(String statistic, String text) throws DisplayFilterException {
        if (CALCULATED.matcher(text).matches()) {
            throw new IllegalArgumentException("-z " + statistic + ": \"" + text + "\" is one of tshark's calculated columns, "
                    + "which stacklab does not count; give display filters only (each column counts frames and bytes)");
        }
        return DisplayFilter.compile(text);
    }

    /** Counts one frame, in capture order, with its full tree. */
    void add(long timestampNanos, FrameTree tree) {
        if (!anyFrame) {
            anyFrame = true;
            startNanos = timestampNanos;
            // Whole-capture counts are one interval; a long one is the same thing, since a frame's time is never near it.
            long intervalNanos = intervalMicros == 0 || intervalMicros > Long.MAX_VALUE / 1000 ? Long.MAX_VALUE : intervalMicros * 1000;
            columns = new IoStatistics[filters.length];
            for (int column = 0; column < columns.length; column++) {
                columns[column] = new IoStatistics(intervalNanos, 0, Arrays.asList((DisplayFilter) null));
            }
        }
        long relativeNanos = timestampNanos - startNanos;
        boolean negative = relativeNanos < 0;
        // tshark's relative time in microseconds: whole seconds, and the nanoseconds rounded to the nearest microsecond.
        long relativeMicros = negative ? lastRelativeMicros
                : relativeNanos / 1_000_000_000L * MICROS_PER_SECOND + (relativeNanos % 1_000_000_000L + 500) / 1000;
        if (intervalMicros > 0 && relativeMicros / intervalMicros >= MAX_ROWS) {
            throw new IllegalArgumentException("a frame " + relativeMicros / MICROS_PER_SECOND + " s into the capture is more than "
                    + MAX_ROWS + " intervals of " + intervalMicros + " µs from its start; choose a longer interval");
        }
        durationMicros = Math.max(durationMicros, relativeMicros);
        boolean counted = false;
        for (int column = 0; column < columns.length; column++) {
            if (filters[column] != null && !filters[column].matches(tree)) {
                continue;
            }
            counted = true;
            // A frame earlier than the column's latest goes into the column's latest interval, as in tshark's tap.
            long at = Math.max(relativeMicros, latestMicros[column]);
            latestMicros[column] = at;
            columns[column].add(at * 1000, tree);
        }
        if (counted && !negative) {
            lastRelativeMicros = relativeMicros;
        }
    }

    /** The table as tshark 4.0 prints it (iostat_draw in ui/cli/tap-iostat.c), starting with an empty line. */
    String tsharkText() {
        long duration = durationMicros;
        long interval;
        boolean wholeCapture = intervalMicros == 0 || intervalMicros > duration;
        interval = wholeCapture ? duration : intervalMicros;
        int formatMagnitude = magnitude(duration / MICROS_PER_SECOND, 5);
        int intervalMagnitude = magnitude(interval / MICROS_PER_SECOND, 5);
        int precision;
        int borderLength;
        if (interval == duration) {
            precision = formatMagnitude >= 2 ? 1 : formatMagnitude == 1 ? 3 : 6;
            borderLength = 30 + formatMagnitude + precision + 1;
        } else {
            precision = decimals;
            borderLength = 24 + intervalMagnitude + (precision == 0 ? 0 : precision + 1);
        }
        long unit = MICROS_PER_SECOND;
        for (int i = 0; i < precision; i++) {
            unit /= 10;
        }
        long unroundedDuration = duration;
        // tshark rounds the duration to the interval's decimals (half-way down), and then uses the rounded one's
        // magnitude for widths but, as tshark does, still the unrounded one's for the numbers' formats.
        int durationMagnitude = formatMagnitude;
        if (duration % unit > 5 * (unit / 10)) {
            duration = (duration + 5 * (unit / 10)) / unit * unit;
            durationMagnitude = magnitude(duration / MICROS_PER_SECOND, 5);
        }
        if (wholeCapture) {
            interval = duration;
        }
        int intervalColumnWidth = Math.max(12, precision == 0 ? 2 * durationMagnitude + 8 : 2 * durationMagnitude + 2 * precision + 10);

        int columnCount = columns == null ? filters.length : columns.length;
        int[] frameWidths = new int[columnCount];
        int[] byteWidths = new int[columnCount];
        int rowWidth = intervalColumnWidth;
        for (int column = 0; column < columnCount; column++) {
            long maxFrames = 0;
            long maxBytes = 0;
            if (columns != null) {
                IoStatistics counts = columns[column];
                for (int i = 0; i < counts.intervals(); i++) {
                    maxFrames = Math.max(maxFrames, counts.frames(0, i));
                    maxBytes = Math.max(maxBytes, counts.bytes(0, i));
                }
            }
            frameWidths[column] = Math.max(6, magnitude(maxFrames, 15));
            byteWidths[column] = Math.max(5, magnitude(maxBytes, 15));
            rowWidth += frameWidths[column] + 3 + byteWidths[column] + 3;
        }
        borderLength = Math.max(borderLength, rowWidth);
        int widestFilter = 0;
        for (String text : filterTexts) {
            widestFilter = Math.max(widestFilter, text == null ? 26 : text.length() + 11);
        }
        if (widestFilter > borderLength && borderLength < MAX_FILTER_WIDTH) {
            borderLength = Math.min(widestFilter, MAX_FILTER_WIDTH);
        }
        if (borderLength - rowWidth == 1) {
            borderLength++;
        }

        StringBuilder out = new StringBuilder(4096);
        out.append('\n').append("=".repeat(borderLength)).append('\n');
        line(out, "| IO Statistics", borderLength);
        line(out, "|", borderLength);
        String secondsFormat = "%" + formatMagnitude + "d";
        // tshark pads these two lines by the rounded duration's magnitude, so they may come out a character short.
        int headerPadding = borderLength - durationMagnitude - 1;
        if (precision == 0) {
            String durationText = "| Duration: " + String.format(secondsFormat, unroundedDuration / MICROS_PER_SECOND)
                    + "." + String.format("%6d", unroundedDuration % MICROS_PER_SECOND) + " secs";
            out.append(durationText).append(" ".repeat(Math.max(0, headerPadding - 24))).append("|\n");
            out.append("| Interval: ").append(String.format(secondsFormat, interval / MICROS_PER_SECOND)).append(" secs")
                    .append(" ".repeat(Math.max(0, headerPadding - 17))).append("|\n");
        } else {
            String fractionFormat = secondsFormat + ".%0" + precision + "d";
            int padding = Math.max(0, headerPadding - 18 - precision);
            out.append("| Duration: ").append(String.format(fractionFormat, duration / MICROS_PER_SECOND, duration % MICROS_PER_SECOND / unit))
                    .append(" secs").append(" ".repeat(padding)).append("|\n");
            out.append("| Interval: ").append(String.format(fractionFormat, interval / MICROS_PER_SECOND, interval % MICROS_PER_SECOND / unit))
                    .append(" secs").append(" ".repeat(padding)).append("|\n");
        }
        line(out, "|", borderLength);
        appendFilters(out, borderLength);
        out.append("|-").append("-".repeat(borderLength - 3)).append("|\n");

        String filler = rowWidth < borderLength ? " ".repeat(borderLength - rowWidth - 1) + "|" : "";
        out.append('|').append(" ".repeat(intervalColumnWidth - 2)).append('|');
        for (int column = 0; column < columnCount; column++) {
            out.append(String.format("%-2d", column + 1)).append(" ".repeat(frameWidths[column] + byteWidths[column] + 3)).append('|');
        }
        out.append(filler).append('\n');
        out.append("| Interval").append(" ".repeat(intervalColumnWidth - 11)).append('|');
        for (int column = 0; column < columnCount; column++) {
            appendCentred(out, "Frames", frameWidths[column]);
            appendCentred(out, "Bytes", byteWidths[column]);
        }
        out.append(filler).append('\n');
        out.append("|-").append("-".repeat(rowWidth - 3)).append('|').append(filler).append('\n');

        appendRows(out, duration, interval, precision, unit, formatMagnitude, durationMagnitude, frameWidths, byteWidths, filler);
        out.append("=".repeat(borderLength)).append('\n');
        return out.toString();
    }

    private void appendRows(StringBuilder out, long duration, long interval, int precision, long unit, int formatMagnitude,
            int durationMagnitude, int[] frameWidths, int[] byteWidths, String filler) {
        String seconds = "%" + formatMagnitude + "d";
        String rowFormat;
        if (precision == 0) {
            rowFormat = durationMagnitude == 1 ? "|  " + seconds + " <> " + seconds + "  |" : "| " + seconds + " <> " + seconds + " |";
        } else {
            String time = seconds + ".%0" + precision + "d";
            rowFormat = "| " + time + " <> " + time + " |";
        }
        int row = 0;
        for (long start = 0; start < duration; start += interval, row++) {
            long end = start + interval;
            boolean lastRow = end >= duration;
            if (lastRow) {
                end = duration;
            }
            if (precision == 0) {
                if (lastRow) {
                    int width = durationMagnitude >= 3 ? durationMagnitude + 1 : 3;
                    out.append(durationMagnitude == 1 ? "|  " : "| ").append(String.format(seconds, start / MICROS_PER_SECOND))
                            .append(" <> ").append(String.format("%-" + width + "s|", "Dur"));
                } else {
                    out.append(String.format(rowFormat, start / MICROS_PER_SECOND, end / MICROS_PER_SECOND));
                }
            } else {
                out.append(String.format(rowFormat, start / MICROS_PER_SECOND, start % MICROS_PER_SECOND / unit,
                        end / MICROS_PER_SECOND, end % MICROS_PER_SECOND / unit));
            }
            for (int column = 0; column < frameWidths.length; column++) {
                IoStatistics counts = columns == null ? null : columns[column];
                boolean counted = counts != null && row < counts.intervals();
                out.append(String.format(" %" + frameWidths[column] + "d | %" + byteWidths[column] + "d |",
                        counted ? counts.frames(0, row) : 0, counted ? counts.bytes(0, row) : 0));
            }
            out.append(filler).append('\n');
        }
    }

    /** The column list: "Col 1: FILTER", the others below it, a filter wider than the table wrapped at a space. */
    private void appendFilters(StringBuilder out, int borderLength) {
        for (int column = 0; column < filterTexts.size(); column++) {
            String prefix = column == 0 ? "| Col" + String.format("%2d: ", column + 1) : "|    " + String.format("%2d: ", column + 1);
            String text = filterTexts.get(column);
            if (text == null) {
                line(out, prefix + "Frames and bytes", borderLength);
                continue;
            }
            int widest = borderLength - 11;
            while (text.length() > widest) {
                int space = text.substring(0, widest).lastIndexOf(' ');
                int length = space >= 0 ? space : widest;
                line(out, prefix + text.substring(0, length), borderLength);
                prefix = "|        ";
                text = text.substring(space >= 0 ? length + 1 : length);
            }
            line(out, prefix + text, borderLength);
        }
    }

    /** tshark's printcenter: the label centred in a column of that width, its odd space on the left. */
    private static void appendCentred(StringBuilder out, String label, int width) {
        int spaces = 6 - ((width - label.length()) / 2 + 1);
        if (spaces > 0 && spaces < 6) {
            int side = 6 - spaces;
            int left = (width - label.length()) % 2 == 0 ? side : side + 1;
            out.append(" ".repeat(left)).append(label).append(" ".repeat(side)).append('|');
        } else if (spaces > 0) {
            out.append(label).append('|');
        }
    }

    /** A header line: the text, spaces to the border, the border. */
    private static void line(StringBuilder out, String text, int borderLength) {
        out.append(text).append(" ".repeat(Math.max(0, borderLength - 1 - text.length()))).append("|\n");
    }

    /** tshark's magnitude: the digits of value, at least 1 and at most max. */
    private static int magnitude(long value, int max) {
        int digits = 0;
        for (int i = 0; i < max; i++) {
            digits++;
            value /= 10;
            if (value == 0) {
                break;
            }
        }
        return digits;
    }
}
