package dev.stacklab.app.capture;

import dev.stacklab.dissect.SummaryLine;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * The packet list's Time column, in each of Wireshark's View › Time Display Format choices (and their keys,
 * Ctrl+Alt+1 to 8), which are tshark's {@code -t} formats: the texts are held to tshark's Time column by
 * TimeFormatAgainstTsharkTest. Times show with the decimals the frame's file records (six for live frames).
 */
public enum TimeFormat {
    DATE_AND_TIME("Date and Time of Day", "ad", "Time (date)", 1),
    YEAR_DAY_AND_TIME("Year, Day of Year, and Time of Day", "adoy", "Time (year/day)", 0),
    TIME_OF_DAY("Time of Day", "a", "Time (of day)", 2),
    EPOCH("Seconds Since 1970-01-01", "e", "Time (epoch)", 3),
    SINCE_START("Seconds Since Beginning of Capture", "r", "Time", 4),
    SINCE_PREVIOUS_CAPTURED("Seconds Since Previous Captured Packet", "d", "Δ Time", 5),
    SINCE_PREVIOUS_DISPLAYED("Seconds Since Previous Displayed Packet", "dd", "Δ Time shown", 6),
    UTC_DATE_AND_TIME("UTC Date and Time of Day", "ud", "Time (UTC date)", 7),
    UTC_YEAR_DAY_AND_TIME("UTC Year, Day of Year, and Time of Day", "udoy", "Time (UTC year/day)", 0),
    UTC_TIME_OF_DAY("UTC Time of Day", "u", "Time (UTC)", 8);

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final String menuText;
    private final String tsharkOption;
    private final String columnTitle;
    private final int key;

    TimeFormat(String menuText, String tsharkOption, String columnTitle, int key) {
        this.menuText = menuText;
        this.tsharkOption = tsharkOption;
        this.columnTitle = columnTitle;
        this.key = key;
    }

    /** Wireshark's menu item, "Seconds Since Previous Displayed Packet". */
    public String menuText() {
        return menuText;
    }

    /** tshark's {@code -t} value for the same format. */
    public String tsharkOption() {
        return tsharkOption;
    }

    /** The column's title, which says which time it shows ("Δ Time shown"); plain "Time" for the default. */
    public String columnTitle() {
        return columnTitle;
    }

    /** Wireshark's key, Ctrl+Alt+digit, or null for the formats it gives none. */
    public KeyCombination accelerator() {
        return key == 0 ? null : new KeyCodeCombination(KeyCode.valueOf("DIGIT" + key), KeyCombination.SHORTCUT_DOWN, KeyCombination.ALT_DOWN);
    }

    /**
     * The Time column's text for a frame captured at {@code timestampNanos} (since the epoch), with {@code precision}
     * decimals: {@code firstNanos} is the capture's first frame, the previous ones the frame captured and the frame
     * shown before it (the frame's own time when there is none, which shows as 0). Times of day are in {@code zone}
     * unless the format is UTC's.
     */
    public String text(long timestampNanos, long firstNanos, long previousCapturedNanos, long previousDisplayedNanos,
                       int precision, ZoneId zone) {
        return switch (this) {
            case SINCE_START -> SummaryLine.seconds(timestampNanos - firstNanos, precision);
            case SINCE_PREVIOUS_CAPTURED -> SummaryLine.seconds(timestampNanos - previousCapturedNanos, precision);
            case SINCE_PREVIOUS_DISPLAYED -> SummaryLine.seconds(timestampNanos - previousDisplayedNanos, precision);
            case EPOCH -> SummaryLine.seconds(timestampNanos, precision);
            case DATE_AND_TIME, YEAR_DAY_AND_TIME, TIME_OF_DAY -> clock(timestampNanos, precision, zone);
            case UTC_DATE_AND_TIME, UTC_YEAR_DAY_AND_TIME, UTC_TIME_OF_DAY -> clock(timestampNanos, precision, ZoneId.of("UTC"));
        };
    }

    /** "2026-11-22 03:25:44.259740939", "2026/326 03:25:44.259740939" or "03:25:44.259740939", cut to {@code precision}. */
    private String clock(long timestampNanos, int precision, ZoneId zone) {
        long seconds = Math.floorDiv(timestampNanos, NANOS_PER_SECOND);
        long nanos = Math.floorMod(timestampNanos, NANOS_PER_SECOND);
        ZonedDateTime at = Instant.ofEpochSecond(seconds, nanos).atZone(zone);
        StringBuilder out = new StringBuilder(32);
        if (this == DATE_AND_TIME || this == UTC_DATE_AND_TIME) {
            out.append(at.getYear()).append('-');
            twoDigits(out, at.getMonthValue()).append('-');
            twoDigits(out, at.getDayOfMonth()).append(' ');
        } else if (this == YEAR_DAY_AND_TIME || this == UTC_YEAR_DAY_AND_TIME) {
            out.append(at.getYear()).append('/');
            int day = at.getDayOfYear();
            out.append(day < 100 ? (day < 10 ? "00" : "0") : "").append(day).append(' ');
        }
        twoDigits(out, at.getHour()).append(':');
        twoDigits(out, at.getMinute()).append(':');
        twoDigits(out, at.getSecond());
        if (precision > 0) {
            // The fraction, cut (not rounded) to the decimals the file records, as tshark shows it.
            String fraction = SummaryLine.seconds(nanos, precision);
            out.append(fraction, fraction.indexOf('.'), fraction.length());
        }
        return out.toString();
    }

    private static StringBuilder twoDigits(StringBuilder out, int value) {
        return out.append(value < 10 ? "0" : "").append(value);
    }
}
