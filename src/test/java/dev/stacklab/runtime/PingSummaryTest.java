package dev.stacklab.runtime;

import dev.stacklab.stack.PingOutcome;
import dev.stacklab.wire.Ipv4Address;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PingSummaryTest {
    private static final Ipv4Address TARGET = Ipv4Address.parse("10.0.0.1");

    private static PingResult reply(int sequence, long rttNanos) {
        return new PingResult(sequence, new PingOutcome.Reply(TARGET, 64, 64, rttNanos));
    }

    @Test
    void statisticsAreIputilsMinAvgMaxAndMdev() {
        List<PingResult> results = List.of(reply(1, 1_000_000), reply(2, 2_000_000), reply(3, 3_000_000),
                new PingResult(4, new PingOutcome.Timeout()));

        PingSummary summary = PingSummary.of(TARGET, 4, results, 3_004_000_000L);

        assertThat(summary.received()).isEqualTo(3);
        assertThat(summary.errors()).isZero();
        assertThat(summary.minNanos()).isEqualTo(1_000_000);
        assertThat(summary.avgNanos()).isEqualTo(2_000_000);
        assertThat(summary.maxNanos()).isEqualTo(3_000_000);
        // sqrt(mean(rtt²) - mean(rtt)²) = sqrt(14/3 - 4) ms = 0.816497 ms
        assertThat(summary.mdevNanos()).isEqualTo(816_497);
        assertThat(summary.lossPercent()).isEqualTo(25.0);
    }

    @Test
    void errorsAreCountedApartFromTimeoutsAndNoReplyMeansZeroStatistics() {
        List<PingResult> results = List.of(
                new PingResult(1, new PingOutcome.HostUnreachable(TARGET)),
                new PingResult(2, new PingOutcome.Unreachable(TARGET, 1, "Destination Host Unreachable")),
                new PingResult(3, new PingOutcome.TimeExceeded(TARGET, 0)),
                new PingResult(4, new PingOutcome.MessageTooLong(1500)),
                new PingResult(5, new PingOutcome.Timeout()));

        PingSummary summary = PingSummary.of(TARGET, 5, results, 1);

        assertThat(summary.errors()).isEqualTo(4);
        assertThat(summary.received()).isZero();
        assertThat(summary.minNanos()).isZero();
        assertThat(summary.mdevNanos()).isZero();
        assertThat(summary.lossPercent()).isEqualTo(100.0);
    }

    @Test
    void failuresAreDescribedAsIputilsPrintsThem() {
        assertThat(Host.describeFailure(TARGET, new PingOutcome.TimeExceeded(Ipv4Address.parse("10.0.0.254"), 0)))
                .isEqualTo("From 10.0.0.254: Time to live exceeded");
        assertThat(Host.describeFailure(TARGET, new PingOutcome.MessageTooLong(1500)))
                .isEqualTo("local error: message too long, mtu=1500");
        assertThat(Host.describeFailure(TARGET, new PingOutcome.Timeout())).isEqualTo("no reply from 10.0.0.1");
    }
}
