package dev.stacklab.cli;

import dev.stacklab.capture.LinkType;
import dev.stacklab.capture.PcapWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code stacklab decode} as a user meets it: its outputs and, above all, its errors. */
class DecodeCommandTest {
    // Real kernel frames: an ARP request, a ping request and its reply, a TCP SYN.
    private static final String[] FRAMES = {
        "ffffffffffff0e8e5fd9cfbb080600010800060400010e8e5fd9cfbb0a4d00010000000000000a4d0002",
        "765e6a904b810e8e5fd9cfbb080045000054f7e9400040012e230a4d00010a4d000208006c9a0a9f0001674f026b000000005038080000000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637",
        "0e8e5fd9cfbb765e6a904b810800450000540bc0000040015a4d0a4d00020a4d00010000749a0a9f0001674f026b000000005038080000000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637",
        "765e6a904b810e8e5fd9cfbb08004500003c56e340004006cf3c0a4d00010a4d0002d5d01f9012d8d0f300000000a002faf02db80000020405b40402080a9085a105000000000103030a",
    };

    @TempDir
    Path directory;

    private Path capture(int linkType, String... frames) throws IOException {
        Path file = directory.resolve("frames.pcap");
        try (PcapWriter writer = PcapWriter.create(file, linkType)) {
            long time = 1_795_313_511_000_000_000L;
            for (String hex : frames) {
                byte[] frame = HexFormat.of().parseHex(hex);
                writer.write(time += 1_000_000, frame, 0, frame.length, frame.length);
            }
        }
        return file;
    }

    @Test
    void printsOneSummaryLinePerFrameAsTsharkDoes() throws IOException {
        CommandRun run = CommandRun.of("decode", capture(LinkType.ETHERNET, FRAMES).toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out().lines()).containsExactly(
                "    1   0.000000 0e:8e:5f:d9:cf:bb → Broadcast    ARP 42 Who has 10.77.0.2? Tell 10.77.0.1",
                "    2   0.001000    10.77.0.1 → 10.77.0.2    ICMP 98 Echo (ping) request  id=0x0a9f, seq=1/256, ttl=64",
                "    3   0.002000    10.77.0.2 → 10.77.0.1    ICMP 98 Echo (ping) reply    id=0x0a9f, seq=1/256, ttl=64 (request in 2)",
                "    4   0.003000    10.77.0.1 → 10.77.0.2    TCP 74 54736 → 8080 [SYN] Seq=0 Win=64240 Len=0 MSS=1460 SACK_PERM TSval=2424676613 TSecr=0 WS=1024");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void filterAndCountSelectFrames() throws IOException {
        Path file = capture(LinkType.ETHERNET, FRAMES);
        assertThat(CommandRun.of("decode", "-Y", "icmp.type == 0 || tcp.flags.syn == 1", file.toString()).out().lines())
                .extracting(line -> line.substring(0, 5).strip()).containsExactly("3", "4");
        // -c counts frames read, before the filter, as tshark's -c does.
        assertThat(CommandRun.of("decode", "-c", "2", "-Y", "tcp", file.toString()).out()).isEmpty();
        assertThat(CommandRun.of("decode", "-c", "2", file.toString()).out().lines()).hasSize(2);
    }

    @Test
    void verboseShowsEveryLayerIndentedAndHidesHiddenFields() throws IOException {
        String out = CommandRun.of("decode", "-V", "-c", "2", capture(LinkType.ETHERNET, FRAMES).toString()).out();
        assertThat(out).contains("Frame 2: 98 bytes on wire (784 bits), 98 bytes captured (784 bits)\n",
                "Ethernet II, Src: 0e:8e:5f:d9:cf:bb (0e:8e:5f:d9:cf:bb), Dst: 76:5e:6a:90:4b:81 (76:5e:6a:90:4b:81)\n",
                "Internet Protocol Version 4, Src: 10.77.0.1, Dst: 10.77.0.2\n",
                "    .... 0101 = Header Length: 20 bytes (5)\n",
                "    Time to Live: 64\n",
                "Internet Control Message Protocol\n",
                "Address Resolution Protocol (request)\n");
        assertThat(out).doesNotContain("ip.addr", "Source or Destination Address");
    }

    @Test
    void jsonMapsFieldNamesToTsharkFieldValues() throws IOException {
        List<String> lines = CommandRun.of("decode", "--json", capture(LinkType.ETHERNET, FRAMES).toString()).out().lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(FlatJson.parse(lines.get(1))).containsEntry("ip.ttl", "64").containsEntry("ip.flags.df", "1")
                .containsEntry("ip.id", "0xf7e9").containsEntry("eth.type", "0x0800").containsEntry("icmp.ident", "2719")
                .containsEntry("ip.addr", "10.77.0.1,10.77.0.2");
        assertThat(FlatJson.parse(lines.get(3))).containsEntry("tcp.options.mss_val", "1460").containsEntry("tcp.flags", "0x0002");
    }

    @Test
    void aMissingFileIsOneLineAndExitTwo() {
        CommandRun run = CommandRun.of("decode", directory.resolve("nope.pcap").toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().lines()).singleElement().asString().contains("cannot open").contains("nope.pcap").contains("no such file");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aFileThatIsNotACaptureNamesTheMagicNumber() throws IOException {
        Path text = Files.writeString(directory.resolve("notes.txt"), "hello, this is not a capture\n");
        CommandRun run = CommandRun.of("decode", text.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().lines()).singleElement().asString().contains("notes.txt").contains("magic number");
    }

    @Test
    void anUnsupportedLinkTypeIsNamed() throws IOException {
        CommandRun run = CommandRun.of("decode", capture(LinkType.IEEE802_11, FRAMES[0]).toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().lines()).singleElement().asString().contains("IEEE802_11").contains("Ethernet")
                .contains("Linux cooked captures");
    }

    @Test
    void aBadFilterReportsTheColumn() throws IOException {
        CommandRun run = CommandRun.of("decode", "-Y", "ip.src == 10.0.0.300", capture(LinkType.ETHERNET, FRAMES).toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().lines()).singleElement().asString().contains("bad display filter").contains("column 11");
    }

    @Test
    void aBadFlagValueNamesTheFlagAndTheValue() {
        CommandRun run = CommandRun.of("decode", "-c", "many", "x.pcap");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("-c").contains("many");
    }

    @Test
    void aTruncatedFileKeepsItsGoodFramesAndThenSaysWhere() throws IOException {
        Path file = capture(LinkType.ETHERNET, FRAMES);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 10));
        CommandRun run = CommandRun.of("decode", file.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out().lines()).hasSize(3);
        assertThat(run.err().lines()).singleElement().asString().contains("damaged after frame 3").contains("offset");
    }

    @Test
    void aDamagedFrameIsMarkedMalformedNotFatal() throws IOException {
        // The ping request cut inside its IPv4 header: still decoded as far as it goes.
        CommandRun run = CommandRun.of("decode", capture(LinkType.ETHERNET, FRAMES[1].substring(0, 2 * 30)).toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("[Malformed Packet]");
        assertThat(CommandRun.of("decode", "-V", capture(LinkType.ETHERNET, FRAMES[1].substring(0, 2 * 30)).toString()).out())
                .contains("[Malformed Packet: IPv4");
    }

    /**
     * Many batches of summary lines (decode writes them on a thread of their own) come out complete and in order,
     * and all of them before the error about the damage after them.
     */
    @Test
    void everyLineOfAManyBatchFileIsPrintedInOrderBeforeTheDamage() throws IOException {
        String[] frames = new String[10_001];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = FRAMES[i % FRAMES.length];
        }
        Path file = capture(LinkType.ETHERNET, frames);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 10));
        CommandRun run = CommandRun.of("decode", file.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        List<String> lines = run.out().lines().toList();
        assertThat(lines).hasSize(10_000);
        for (int i = 0; i < lines.size(); i++) {
            assertThat(lines.get(i).substring(0, 5).strip()).isEqualTo(Integer.toString(i + 1));
        }
        assertThat(lines.get(9_999)).contains("[SYN]");
        assertThat(run.err().lines()).singleElement().asString().contains("damaged after frame 10000");
    }

    /** decode | head: once the reader has gone, decode stops with one line and exit 2, and does not hang. */
    @Test
    void aClosedOutputEndsDecodingWithOneLine() throws Exception {
        String[] frames = new String[100_000];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = FRAMES[i % FRAMES.length];
        }
        Path file = capture(LinkType.ETHERNET, frames);
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "decode", file.toString());
        Process process = new ProcessBuilder(command).start();
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).startsWith("    1 ");
        }
        assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as("decode ended").isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(new String(process.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines())
                .singleElement().asString().startsWith("decode: cannot write the output:");
    }
}
