package dev.stacklab.dissect;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * IoStatistics over real frames (FilterTestFrames: ARP request and reply, ICMP echo request and reply, UDP, an ICMP
 * error, TCP SYN, SYN/ACK, RST) dissected by the real Dissector, at times the tests choose.
 */
class IoStatisticsTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long START = 1_700_000_000L * SECOND + 123_456_789L;

    private final Dissector dissector = new Dissector();

    @Test
    void anEmptyCaptureHasNoIntervals() {
        IoStatistics statistics = new IoStatistics(SECOND, START, Arrays.asList((DisplayFilter) null));

        assertThat(statistics.intervals()).isZero();
        assertThat(statistics.columns()).isEqualTo(1);
        assertThat(statistics.intervalNanos()).isEqualTo(SECOND);
        assertThatThrownBy(() -> statistics.frames(0, 0)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void aFrameExactlyOnABoundaryOpensTheNextInterval() {
        IoStatistics statistics = new IoStatistics(SECOND, START, Arrays.asList((DisplayFilter) null));
        add(statistics, START, 0);
        add(statistics, START + SECOND - 1, 1);
        add(statistics, START + SECOND, 2);

        assertThat(statistics.intervals()).isEqualTo(2);
        assertThat(statistics.frames(0, 0)).isEqualTo(2);
        assertThat(statistics.frames(0, 1)).isEqualTo(1);
    }

    @Test
    void intervalsReachTheLastFrameWithEmptyOnesBetween() {
        IoStatistics statistics = new IoStatistics(SECOND / 10, START, Arrays.asList((DisplayFilter) null));
        add(statistics, START, 0);
        add(statistics, START + 25 * SECOND / 10 + 5, 1);

        assertThat(statistics.intervals()).isEqualTo(26);
        for (int interval = 1; interval < 25; interval++) {
            assertThat(statistics.frames(0, interval)).as("interval %d", interval).isZero();
            assertThat(statistics.bytes(0, interval)).as("interval %d", interval).isZero();
        }
        assertThat(statistics.frames(0, 25)).isEqualTo(1);
    }

    @Test
    void bytesAreTheLengthsOnTheWireNotWhatWasCaptured() {
        IoStatistics statistics = new IoStatistics(SECOND, START, Arrays.asList((DisplayFilter) null));
        byte[] echoRequest = frame(2);
        dissectAndAdd(statistics, START, echoRequest, echoRequest.length, 1514);
        dissectAndAdd(statistics, START + 1, echoRequest, 20, 98);

        assertThat(statistics.frames(0, 0)).isEqualTo(2);
        assertThat(statistics.bytes(0, 0)).isEqualTo(1514 + 98);
    }

    @Test
    void eachColumnCountsTheFramesItsFilterMatches() throws DisplayFilterException {
        IoStatistics statistics = new IoStatistics(SECOND, START, Arrays.asList(null, DisplayFilter.compile("tcp"),
                DisplayFilter.compile("icmp"), DisplayFilter.compile("dns")));
        for (int i = 0; i < FilterTestFrames.FRAMES.size(); i++) {
            // Frames 0-4 in the first second, 5-8 in the third.
            add(statistics, START + (i < 5 ? i * SECOND / 10 : 2 * SECOND + i), i);
        }

        assertThat(statistics.columns()).isEqualTo(4);
        assertThat(statistics.intervals()).isEqualTo(3);
        assertThat(column(statistics, 0)).containsExactly(5L, 0L, 4L);
        assertThat(column(statistics, 1)).containsExactly(0L, 0L, 3L);
        // The echo request and reply; the port unreachable quotes UDP but is ICMP itself.
        assertThat(column(statistics, 2)).containsExactly(2L, 0L, 1L);
        assertThat(column(statistics, 3)).containsExactly(0L, 0L, 0L);
        long tcpBytes = 0;
        for (int i = 6; i < 9; i++) {
            tcpBytes += frame(i).length;
        }
        assertThat(statistics.bytes(1, 2)).isEqualTo(tcpBytes);
        assertThat(statistics.bytes(0, 0)).isEqualTo(frame(0).length + frame(1).length + frame(2).length + frame(3).length
                + frame(4).length);
    }

    @Test
    void aFrameNoColumnCountsStillLengthensTheCapture() throws DisplayFilterException {
        IoStatistics statistics = new IoStatistics(SECOND, START, List.of(DisplayFilter.compile("tcp")));
        add(statistics, START, 6);
        add(statistics, START + 3 * SECOND, 0);

        assertThat(statistics.intervals()).isEqualTo(4);
        assertThat(column(statistics, 0)).containsExactly(1L, 0L, 0L, 0L);
    }

    @Test
    void theArraysGrowFarBeyondTheirFirstSizeWithoutLosingCounts() {
        IoStatistics statistics = new IoStatistics(1_000_000L, START, Arrays.asList((DisplayFilter) null));
        FrameTree tree = dissector.dissect(START, frame(0), frame(0).length, frame(0).length);
        for (int interval = 0; interval < 10_000; interval += 7) {
            statistics.add(START + interval * 1_000_000L, tree);
            statistics.add(START + interval * 1_000_000L + 999_999L, tree);
        }

        // The last frames are in interval 9,996 (7 * 1,428).
        assertThat(statistics.intervals()).isEqualTo(9_996 + 1);
        for (int interval = 0; interval < statistics.intervals(); interval++) {
            assertThat(statistics.frames(0, interval)).as("interval %d", interval).isEqualTo(interval % 7 == 0 ? 2 : 0);
        }
    }

    @Test
    void framesBeforeTheStartOrOutOfOrderCountWhereTheirTimeIs() {
        IoStatistics statistics = new IoStatistics(SECOND, START, Arrays.asList((DisplayFilter) null));
        add(statistics, START + 2 * SECOND, 0);
        add(statistics, START + SECOND / 2, 1);
        add(statistics, START - SECOND, 2);

        assertThat(column(statistics, 0)).containsExactly(2L, 0L, 1L);
    }

    @Test
    void refusesAnIntervalThatIsNotPositiveAndAFrameTooManyIntervalsAway() {
        assertThatThrownBy(() -> new IoStatistics(0, START, Arrays.asList((DisplayFilter) null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("interval 0 ns");
        assertThatThrownBy(() -> new IoStatistics(SECOND, START, List.of())).isInstanceOf(IllegalArgumentException.class);

        IoStatistics statistics = new IoStatistics(1, START, Arrays.asList((DisplayFilter) null));
        FrameTree tree = dissector.dissect(START, frame(0), frame(0).length, frame(0).length);
        assertThatThrownBy(() -> statistics.add(START + 10 * SECOND, tree))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("choose a longer interval");
        assertThat(statistics.intervals()).isZero();
    }

    private void add(IoStatistics statistics, long timestampNanos, int frameIndex) {
        byte[] frame = frame(frameIndex);
        dissectAndAdd(statistics, timestampNanos, frame, frame.length, frame.length);
    }

    private void dissectAndAdd(IoStatistics statistics, long timestampNanos, byte[] frame, int captured, int original) {
        statistics.add(timestampNanos, dissector.dissect(timestampNanos, frame, captured, original));
    }

    private static byte[] frame(int index) {
        return HexFormat.of().parseHex(FilterTestFrames.FRAMES.get(index));
    }

    private static Long[] column(IoStatistics statistics, int column) {
        Long[] counts = new Long[statistics.intervals()];
        for (int interval = 0; interval < counts.length; interval++) {
            counts[interval] = statistics.frames(column, interval);
        }
        return counts;
    }
}
