package dev.stacklab.app.capture;

import dev.stacklab.app.capture.CaptureTestSupport.CollectingNotifier;
import dev.stacklab.app.capture.CaptureTestSupport.UiQueue;
import dev.stacklab.testsupport.Prerequisites;
import dev.stacklab.testsupport.Processes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Time Display Format of the packet list against tshark's Time column with the same {@code -t}, frame by frame:
 * a nanosecond pcapng (ping-lo.pcapng) and a microsecond pcap (dns.pcap), all frames and then only those a display
 * filter shows (what "since previous displayed packet" is about), with times of day in a zone half an hour off UTC
 * (Asia/Kolkata, +05:30) so that a zone or offset mistake shows.
 */
class TimeFormatAgainstTsharkTest {
    private static final String ZONE = "Asia/Kolkata";
    private static final List<Path> CAPTURES = List.of(Path.of("src/test/resources/dev/stacklab/capture/ping-lo.pcapng"),
            Path.of("src/test/resources/dev/stacklab/dissect/dns.pcap"));
    /** Every other frame from the third: the displayed frames' previous ones are not the captured ones. */
    private static final String FILTER = "frame.number >= 3 && !(frame.number in {4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30})";

    private final CollectingNotifier notifier = new CollectingNotifier();
    private final UiQueue ui = new UiQueue();
    private CaptureViewModel capture;

    @AfterEach
    void stop() {
        if (capture != null) {
            capture.shutdown();
        }
    }

    @Test
    void everyTimeFormatIsTsharks() throws Exception {
        Prerequisites.requireCommand("tshark");
        for (Path file : CAPTURES) {
            capture = new CaptureViewModel(CaptureTestSupport.context(notifier), ui, 100_000, new AtomicLong()::get);
            capture.timeZone(ZoneId.of(ZONE));
            capture.openFile(file);
            ui.runUntil(() -> capture.capturedCountProperty().get() > 0 && !capture.busyProperty().get());
            Map<TimeFormat, List<String>> all = tsharks(file, null);
            for (TimeFormat format : TimeFormat.values()) {
                capture.timeFormatProperty().set(format);
                assertThat(ours()).as(file + " -t " + format.tsharkOption()).isEqualTo(all.get(format));
            }

            capture.filterTextProperty().set(FILTER);
            capture.applyFilter();
            ui.runUntil(() -> !capture.busyProperty().get() && capture.displayedCountProperty().get() < capture.capturedCountProperty().get());
            Map<TimeFormat, List<String>> shown = tsharks(file, FILTER);
            for (TimeFormat format : TimeFormat.values()) {
                capture.timeFormatProperty().set(format);
                assertThat(ours()).as(file + " -t " + format.tsharkOption() + " -Y").hasSizeGreaterThanOrEqualTo(2).isEqualTo(shown.get(format));
            }
            capture.shutdown();
            capture = null;
        }
    }

    private List<String> ours() {
        List<String> times = new ArrayList<>();
        for (int i = 0; i < capture.frames().size(); i++) {
            times.add(capture.timeText(capture.frames().get(i), i));
        }
        return times;
    }

    /**
     * tshark's Time column in every format at once, one run per capture: one custom column per format (the
     * column-format codes of {@code tshark -G column-formats}), and the format-as-specified column for -t e, which
     * has no code of its own.
     */
    private static Map<TimeFormat, List<String>> tsharks(Path file, String filter) {
        Map<TimeFormat, String> codes = new EnumMap<>(TimeFormat.class);
        codes.put(TimeFormat.DATE_AND_TIME, "%Yt");
        codes.put(TimeFormat.YEAR_DAY_AND_TIME, "%YDOYt");
        codes.put(TimeFormat.TIME_OF_DAY, "%At");
        codes.put(TimeFormat.EPOCH, "%t");
        codes.put(TimeFormat.SINCE_START, "%Rt");
        codes.put(TimeFormat.SINCE_PREVIOUS_CAPTURED, "%Tt");
        codes.put(TimeFormat.SINCE_PREVIOUS_DISPLAYED, "%Gt");
        codes.put(TimeFormat.UTC_DATE_AND_TIME, "%Yut");
        codes.put(TimeFormat.UTC_YEAR_DAY_AND_TIME, "%YDOYut");
        codes.put(TimeFormat.UTC_TIME_OF_DAY, "%Aut");
        assertThat(codes).hasSize(TimeFormat.values().length);
        StringBuilder columns = new StringBuilder("gui.column.format:");
        List<String> command = new ArrayList<>(List.of("env", "TZ=" + ZONE, "tshark", "-r", file.toString(), "-t", "e"));
        codes.forEach((format, code) -> {
            columns.append(columns.charAt(columns.length() - 1) == ':' ? "" : ",").append('"').append(format.tsharkOption()).append("\",\"")
                    .append(code).append('"');
        });
        command.addAll(List.of("-o", columns.toString(), "-T", "fields", "-E", "separator=|"));
        codes.keySet().forEach(format -> command.addAll(List.of("-e", "_ws.col." + format.tsharkOption())));
        if (filter != null) {
            command.addAll(List.of("-Y", filter));
        }
        List<String> lines = Processes.run(command, 60).orThrow(command).stdout().lines().toList();
        Map<TimeFormat, List<String>> byFormat = new EnumMap<>(TimeFormat.class);
        for (String line : lines) {
            String[] times = line.split("\\|", -1);
            int i = 0;
            for (TimeFormat format : codes.keySet()) {
                byFormat.computeIfAbsent(format, f -> new ArrayList<>()).add(times[i++]);
            }
        }
        return byFormat;
    }
}
