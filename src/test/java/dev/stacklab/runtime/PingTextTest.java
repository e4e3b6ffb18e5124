package dev.stacklab.runtime;

import dev.stacklab.stack.PingOutcome;
import dev.stacklab.wire.Ipv4Address;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The lines iputils ping prints, as both the CLI and the app's ping pane print them. */
class PingTextTest {
    private static final Ipv4Address TARGET = Ipv4Address.parse("10.0.0.2");
    private static final Ipv4Address OURS = Ipv4Address.parse("10.0.0.1");

    @Test
    void linesForEachOutcome() {
        assertThat(PingText.header(TARGET, 56)).isEqualTo("PING 10.0.0.2 (10.0.0.2) 56(84) bytes of data.");
        assertThat(PingText.line(new PingResult(1, new PingOutcome.Reply(TARGET, 64, 64, 237_400)), OURS))
                .isEqualTo("64 bytes from 10.0.0.2: icmp_seq=1 ttl=64 time=0.237 ms");
        assertThat(PingText.line(new PingResult(2, new PingOutcome.HostUnreachable(TARGET)), OURS))
                .isEqualTo("From 10.0.0.1 icmp_seq=2 Destination Host Unreachable");
        assertThat(PingText.line(new PingResult(3, new PingOutcome.TimeExceeded(TARGET, 0)), OURS))
                .isEqualTo("From 10.0.0.2 icmp_seq=3 Time to live exceeded");
        assertThat(PingText.line(new PingResult(4, new PingOutcome.Timeout()), OURS)).isNull();
        assertThat(PingText.timeoutLine(4)).isEqualTo("no answer yet for icmp_seq=4");
        assertThat(PingText.localError(new PingOutcome.MessageTooLong(1500))).isEqualTo("ping: local error: message too long, mtu=1500");
    }

    @Test
    void replyTimesHaveIputilsPrecision() {
        assertThat(PingText.replyTime(237_400)).isEqualTo("0.237");
        assertThat(PingText.replyTime(2_345_000)).isEqualTo("2.35");
        assertThat(PingText.replyTime(18_560_000)).isEqualTo("18.6");
        assertThat(PingText.replyTime(123_400_000)).isEqualTo("123");
    }

    @Test
    void statisticsAsIputilsPrintsThem() {
        List<PingResult> results = List.of(
                new PingResult(1, new PingOutcome.Reply(TARGET, 64, 64, 1_000_000)),
                new PingResult(2, new PingOutcome.HostUnreachable(TARGET)),
                new PingResult(3, new PingOutcome.Reply(TARGET, 64, 64, 3_000_000)));

        assertThat(PingText.statistics(PingSummary.of(TARGET, 4, results, 3_004_000_000L))).containsExactly(
                "--- 10.0.0.2 ping statistics ---",
                "4 packets transmitted, 2 received, +1 errors, 50% packet loss, time 3004ms",
                "rtt min/avg/max/mdev = 1.000/2.000/3.000/1.000 ms");
        assertThat(PingText.statistics(PingSummary.of(TARGET, 3, List.of(), 2_000_000_000L))).containsExactly(
                "--- 10.0.0.2 ping statistics ---",
                "3 packets transmitted, 0 received, 100% packet loss, time 2000ms");
    }
}
