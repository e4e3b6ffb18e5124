package dev.stacklab.runtime;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EngineEchoBenchTest {
    @Test
    void everyRequestIsAnsweredAndTheRateIsMeasured() {
        EngineEchoBench.Result result = EngineEchoBench.run(56, Duration.ofMillis(100), Duration.ofMillis(200));

        assertThat(result.requests()).isGreaterThan(1000);
        assertThat(result.replies()).isEqualTo(result.requests());
        assertThat(result.elapsedNanos()).isGreaterThanOrEqualTo(200_000_000L);
        assertThat(result.repliesPerSecond()).isEqualTo(result.replies() * 1e9 / result.elapsedNanos());
    }

    @Test
    void payloadsThatDoNotFitOneFrameAreRefused() {
        assertThatThrownBy(() -> EngineEchoBench.run(1473, Duration.ZERO, Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1473");
    }
}
