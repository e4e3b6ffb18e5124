package dev.stacklab.cli;

import dev.stacklab.testsupport.Prerequisites;
import dev.stacklab.testsupport.Processes;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code decode -q -z follow,tcp,ascii,N}: tshark's output for the same statistic, and one line for what it lacks. */
class DecodeFollowTest {
    private static final String MISSED = "src/test/resources/dev/stacklab/dissect/tcp-analysis-missed.pcap";

    @Test
    void followPrintsWhatTsharkPrintsAfterTheFramesOrAloneWithQ() {
        Prerequisites.requireCommand("tshark");
        // Stream 1 of the capture lost segments the receiver acknowledged: tshark notes the bytes missing.
        List<String> command = List.of("tshark", "-r", MISSED, "-q", "-z", "follow,tcp,ascii,1", "-z", "follow,udp,ascii,0");
        String theirs = Processes.run(command, 120).orThrow(command).stdout();
        CommandRun ours = CommandRun.of("decode", "-q", "-z", "follow,tcp,ascii,1", MISSED);
        assertThat(ours.exitCode()).isZero();
        assertThat(theirs).contains(ours.out()).contains("bytes missing in capture file]");

        CommandRun withFrames = CommandRun.of("decode", "-c", "3", "-z", "follow,tcp,ascii,0", "--sample");
        assertThat(withFrames.out().lines().toList()).hasSizeGreaterThan(3).first().asString().contains("ARP");
        assertThat(withFrames.out()).contains("Filter: tcp.stream eq 0\nNode 0: ");
    }

    @Test
    void aStatisticStacklabLacksIsOneLineAndExitTwo() {
        // tshark's HTTP statistics tree: stacklab has none.
        CommandRun run = CommandRun.of("decode", "-z", "http,tree", "--sample");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip()).isEqualTo("decode: -z http,tree is not a statistic stacklab has; it has conv,TYPE, endpoints,TYPE "
                + "(TYPE eth, ip, ipv6, tcp or udp), io,phs, io,stat,INTERVAL[,FILTER]..., expert, follow,tcp,ascii,N and "
                + "follow,udp,ascii,N (see java -jar target/stacklab.jar decode --help)");
        assertThat(run.out()).isEmpty();
    }
}
