package dev.stacklab.app.capture;

import dev.stacklab.app.capture.FollowStreamViewModel.Line;
import dev.stacklab.app.capture.FollowStreamViewModel.Show;
import dev.stacklab.dissect.StreamFollower;
import dev.stacklab.dissect.StreamFollower.Chunk;
import dev.stacklab.dissect.StreamFollower.Endpoint;
import dev.stacklab.dissect.StreamFollower.Followed;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The Follow Stream window's text, counts and choices, without an FX thread. */
class FollowStreamViewModelTest {
    private static final Endpoint CLIENT = new Endpoint("10.79.0.1", 36020);
    private static final Endpoint SERVER = new Endpoint("10.79.0.2", 80);

    private static Chunk chunk(boolean fromServer, int frame, String text) {
        return new Chunk(fromServer, frame, text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static Followed http() {
        return new Followed(StreamFollower.Protocol.TCP, 0, CLIENT, SERVER, List.of(
                chunk(false, 4, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"),
                chunk(true, 6, "HTTP/1.0 200 OK\r\n\r\n"),
                chunk(true, 8, "hello\tthere\u0001\n")));
    }

    @Test
    void asciiLinesAreSplitAtLineFeedsWithoutCarriageReturnsAndKnowTheirSenderAndFrame() {
        FollowStreamViewModel viewModel = new FollowStreamViewModel(http());

        assertThat(viewModel.lines()).containsExactly(
                new Line("GET / HTTP/1.1", false, 4), new Line("Host: x", false, 4), new Line("", false, 4),
                new Line("HTTP/1.0 200 OK", true, 6), new Line("", true, 6),
                new Line("hello.there.", true, 8));
        assertThat(viewModel.title()).isEqualTo("Follow TCP Stream (tcp.stream eq 0)");
        assertThat(viewModel.filter()).isEqualTo("tcp.stream eq 0");
        assertThat(viewModel.filterOut()).isEqualTo("!(tcp.stream eq 0)");
        assertThat(viewModel.summary()).startsWith("1 client pkt, 2 server pkts, 1 turn.");
        assertThat(viewModel.directions()).containsExactly("Entire conversation (59 bytes)",
                "10.79.0.1:36020 → 10.79.0.2:80 (27 bytes)", "10.79.0.2:80 → 10.79.0.1:36020 (32 bytes)");
    }

    @Test
    void oneDirectionShowsOnlyWhatThatSideSent() {
        FollowStreamViewModel viewModel = new FollowStreamViewModel(http());
        viewModel.directionProperty().set(2);

        assertThat(viewModel.lines()).allMatch(Line::fromServer).extracting(Line::text).containsExactly("HTTP/1.0 200 OK", "", "hello.there.");
        viewModel.directionProperty().set(1);
        assertThat(viewModel.lines()).noneMatch(Line::fromServer).hasSize(3);
    }

    @Test
    void theHexDumpCountsOffsetsPerDirectionAndIndentsTheServer() {
        FollowStreamViewModel viewModel = new FollowStreamViewModel(http());
        viewModel.showProperty().set(Show.HEX_DUMP);

        List<String> text = viewModel.lines().stream().map(Line::text).toList();
        assertThat(text.get(0)).isEqualTo("00000000  47 45 54 20 2f 20 48 54  54 50 2f 31 2e 31 0d 0a  GET / HTTP/1.1..");
        assertThat(text.get(1)).isEqualTo("00000010  48 6f 73 74 3a 20 78 0d  0a 0d 0a                 Host: x....");
        assertThat(text.get(2)).isEqualTo("    00000000  48 54 54 50 2f 31 2e 30  20 32 30 30 20 4f 4b 0d  HTTP/1.0 200 OK.");
        assertThat(text.get(3)).isEqualTo("    00000010  0a 0d 0a                                          ...");
        // The server's third chunk goes on from its 19 bytes before.
        assertThat(text.get(4)).startsWith("    00000013  68 65 6c 6c 6f 09");
    }

    @Test
    void rawShowsHexAndSavesTheBytesWhileTextModesSaveTheText() {
        FollowStreamViewModel viewModel = new FollowStreamViewModel(http());
        assertThat(new String(viewModel.contentToSave(), StandardCharsets.ISO_8859_1))
                .isEqualTo("GET / HTTP/1.1\nHost: x\n\nHTTP/1.0 200 OK\n\nhello.there.\n");

        viewModel.showProperty().set(Show.RAW);
        assertThat(viewModel.lines().get(0).text()).isEqualTo("474554202f20485454502f312e310d0a486f73743a20780d0a0d0a");
        assertThat(new String(viewModel.contentToSave(), StandardCharsets.ISO_8859_1))
                .isEqualTo("GET / HTTP/1.1\r\nHost: x\r\n\r\nHTTP/1.0 200 OK\r\n\r\nhello\tthere\u0001\n");
    }

    @Test
    void aHugeStreamShowsABoundedNumberOfLinesAndSaysHowMuchMoreThereIs() {
        byte[] lines = new byte[FollowStreamViewModel.MAX_LINES * 2];
        Arrays.fill(lines, (byte) '\n');
        Followed big = new Followed(StreamFollower.Protocol.TCP, 7, CLIENT, SERVER,
                List.of(new Chunk(true, 10, lines), new Chunk(false, 11, new byte[5000])));
        FollowStreamViewModel viewModel = new FollowStreamViewModel(big);

        assertThat(viewModel.lines()).hasSize(FollowStreamViewModel.MAX_LINES + 1);
        assertThat(viewModel.lines().get(FollowStreamViewModel.MAX_LINES).text()).isEqualTo("… 5,000 bytes more, not shown here (Save as… writes all of it)");
        assertThat(viewModel.contentToSave()).hasSize(FollowStreamViewModel.MAX_LINES * 2 + 5000 + 1);
    }

    @Test
    void aStreamWithoutPayloadSaysSo() {
        FollowStreamViewModel viewModel = new FollowStreamViewModel(new Followed(StreamFollower.Protocol.UDP, 3, CLIENT, SERVER, List.of()));
        assertThat(viewModel.lines()).isEmpty();
        assertThat(viewModel.summary()).isEqualTo("No UDP payload in udp.stream eq 3 among the frames held.");
    }
}
