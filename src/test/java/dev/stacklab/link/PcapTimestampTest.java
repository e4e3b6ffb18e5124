package dev.stacklab.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Moving libpcap's wall-clock capture stamps onto the monotonic clock the runner uses. */
class PcapTimestampTest {
    private static final long MONOTONIC_NOW = 5_000_000_000_000L;

    private static Timestamp stamp(long epochSecond, int nanos) {
        Timestamp timestamp = new Timestamp(epochSecond * 1000L);
        timestamp.setNanos(nanos);
        return timestamp;
    }

    @Test
    void aFrameCapturedEarlierIsStampedThatMuchBeforeNow() {
        Instant wallNow = Instant.ofEpochSecond(1_790_000_000L, 123_456_789);
        // 37.5 µs earlier, across no second boundary.
        assertThat(PcapLink.onMonotonicClock(stamp(1_790_000_000L, 123_419_289), wallNow, MONOTONIC_NOW))
                .isEqualTo(MONOTONIC_NOW - 37_500);
    }

    @Test
    void theAgeIsRightAcrossASecondBoundary() {
        Instant wallNow = Instant.ofEpochSecond(1_790_000_001L, 20_000);
        assertThat(PcapLink.onMonotonicClock(stamp(1_790_000_000L, 999_990_000), wallNow, MONOTONIC_NOW))
                .isEqualTo(MONOTONIC_NOW - 30_000);
    }

    @Test
    void stampsFromTheFutureOrOlderThanASecondAreNotTrusted() {
        Instant wallNow = Instant.ofEpochSecond(1_790_000_000L, 500);
        assertThat(PcapLink.onMonotonicClock(stamp(1_790_000_000L, 900), wallNow, MONOTONIC_NOW)).isEqualTo(MONOTONIC_NOW);
        assertThat(PcapLink.onMonotonicClock(stamp(1_789_999_998L, 0), wallNow, MONOTONIC_NOW)).isEqualTo(MONOTONIC_NOW);
        assertThat(PcapLink.onMonotonicClock(null, wallNow, MONOTONIC_NOW)).isEqualTo(MONOTONIC_NOW);
    }
}
