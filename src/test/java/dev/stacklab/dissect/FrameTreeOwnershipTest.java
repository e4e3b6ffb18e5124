package dev.stacklab.dissect;

import dev.stacklab.capture.CaptureReader;
import dev.stacklab.capture.LinkType;
import dev.stacklab.capture.PcapWriter;
import dev.stacklab.wire.BigEndian;
import dev.stacklab.wire.Checksum;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A tree stays what it was however long it is kept: the app keeps trees (the selected frame, a filter's
 * matches) while the reader they came from moves on and overwrites its one frame buffer. And nobody outside
 * the dissector can change a tree.
 */
class FrameTreeOwnershipTest {
    private static final int UDP_PAYLOAD_PORT = 9999;

    @TempDir
    Path directory;

    /** Every frame of a capture as read through one reader, the tree made from the reader's buffer, and a reference. */
    private record Kept(List<byte[]> frames, List<FrameTree> trees, List<FrameTree> references) {
    }

    @Test
    void keptTreesShowTheirOwnFramesBytesAfterTheReaderMovesOn() throws IOException {
        Kept kept = readAll(CaptureReader.open(variedCapture()));
        assertThat(kept.trees()).hasSize(600);
        int bytesFields = checkEveryTree(kept);
        assertThat(bytesFields).as("bytes fields checked").isGreaterThan(400);
        long reassembled = kept.trees().stream().filter(tree -> tree.dataSources().size() > 1).count();
        assertThat(reassembled).as("trees with a reassembled datagram").isEqualTo(100);
    }

    @Test
    void keptTreesOfTheTestCapturesStayTheirOwn() throws IOException {
        for (String resource : List.of("l3-kernel.pcap", "l3-crafted.pcap", "/dev/stacklab/capture/ping-lo.pcapng")) {
            InputStream in = FrameTreeOwnershipTest.class.getResourceAsStream(resource);
            assertThat(in).as(resource).isNotNull();
            Kept kept = readAll(CaptureReader.open(in));
            assertThat(kept.trees()).as(resource).hasSizeGreaterThan(3);
            checkEveryTree(kept);
        }
    }

    @Test
    void consumersCannotChangeATree() {
        byte[] frame = udpFrame(new Random(7), 0x1234, 32).frame();
        byte[] original = frame.clone();
        FrameTree tree = new Dissector().dissect(frame);
        FrameTree.DataSource source = tree.dataSources().get(0);
        // Copies out, never the tree's own bytes.
        source.toArray()[20] ^= 0x7F;
        source.copyOfRange(14, 34)[0] ^= 0x7F;
        FieldNode data = tree.find("data.data");
        ByteSlice payload = (ByteSlice) data.object();
        payload.toArray()[0] ^= 0x7F;
        assertThat(source.toArray()).isEqualTo(original);
        assertThat(payload.toArray()).isEqualTo(Arrays.copyOfRange(original, data.offset(), data.offset() + data.length()));
        // And the caller's buffer is not the tree's: changing it later changes nothing in the tree.
        Arrays.fill(frame, (byte) 0);
        assertThat(source.toArray()).isEqualTo(original);
        assertThat(payload.byteAt(0)).isEqualTo(original[data.offset()]);

        assertThatThrownBy(() -> tree.dataSources().add(source)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> tree.layers().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> tree.find("ip").children().remove(0)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> source.byteAt(source.length())).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> payload.byteAt(-1)).isInstanceOf(IndexOutOfBoundsException.class);

        // What builds a tree is this package's alone.
        for (Class<?> type : List.of(FieldNode.class, FrameTree.class, FrameTree.DataSource.class, ByteSlice.class)) {
            for (Method method : type.getDeclaredMethods()) {
                if (Modifier.isPublic(method.getModifiers())) {
                    assertThat(method.getName()).as("public %s.%s", type.getSimpleName(), method.getName())
                            .isNotIn("add", "text", "hidden", "generated", "array", "bytes");
                    assertThat(method.getReturnType() != byte[].class || List.of("toArray", "copyOfRange").contains(method.getName()))
                            .as("public %s.%s hands out an array", type.getSimpleName(), method.getName()).isTrue();
                }
            }
            for (var constructor : type.getDeclaredConstructors()) {
                assertThat(Modifier.isPublic(constructor.getModifiers())).as("public constructor of %s", type.getSimpleName()).isFalse();
            }
        }
    }

    /**
     * Dissects every frame as the app would, from the reader's reused buffer, keeping all the trees; and the same
     * frames from private copies through a second dissector, as the reference the kept trees must still equal.
     */
    private static Kept readAll(CaptureReader reader) throws IOException {
        Dissector dissector = new Dissector();
        Dissector referenceDissector = new Dissector();
        List<byte[]> frames = new ArrayList<>();
        List<FrameTree> trees = new ArrayList<>();
        List<FrameTree> references = new ArrayList<>();
        try (reader) {
            while (reader.next()) {
                byte[] own = Arrays.copyOf(reader.data(), reader.capturedLength());
                frames.add(own);
                trees.add(dissector.dissect(reader.timestampNanos(), reader.data(), reader.capturedLength(), reader.originalLength()));
                references.add(referenceDissector.dissect(reader.timestampNanos(), own.clone(), own.length, reader.originalLength()));
            }
        }
        return new Kept(frames, trees, references);
    }

    /** Checks each kept tree against its own frame and its reference; returns how many bytes fields it checked. */
    private static int checkEveryTree(Kept kept) {
        int bytesFields = 0;
        for (int i = 0; i < kept.trees().size(); i++) {
            FrameTree tree = kept.trees().get(i);
            byte[] frame = kept.frames().get(i);
            String what = "frame " + (i + 1);
            assertThat(tree.dataSources().get(0).length()).as(what).isEqualTo(frame.length);
            assertThat(tree.dataSources().get(0).toArray()).as(what).isEqualTo(frame);
            List<FieldNode> slices = new ArrayList<>();
            tree.forEachField(node -> {
                if (node.object() instanceof ByteSlice) {
                    slices.add(node);
                }
            });
            for (FieldNode node : slices) {
                ByteSlice slice = (ByteSlice) node.object();
                FrameTree.DataSource source = tree.dataSources().get(node.dataSource());
                assertThat(slice.toArray()).as("%s: %s", what, node.name())
                        .isEqualTo(source.copyOfRange(node.offset(), node.offset() + node.length()));
                if (node.dataSource() == 0) {
                    assertThat(slice.toArray()).as("%s: %s", what, node.name())
                            .isEqualTo(Arrays.copyOfRange(frame, node.offset(), node.offset() + node.length()));
                }
            }
            bytesFields += slices.size();
            assertThat(printed(tree)).as(what).isEqualTo(printed(kept.references().get(i)));
        }
        return bytesFields;
    }

    /** Everything a viewer reads from a tree: each node's place, line and value, and every byte source. */
    private static String printed(FrameTree tree) {
        StringBuilder out = new StringBuilder();
        for (FrameTree.DataSource source : tree.dataSources()) {
            out.append(source.name()).append('\n').append(HexDump.of(source, 0, source.length()));
        }
        tree.forEachField(node -> out.append(node.name()).append(' ').append(node.dataSource()).append(':').append(node.offset())
                .append('+').append(node.length()).append(' ').append(node.displayLine()).append(" = ").append(node.fieldValue())
                .append('\n'));
        return out.append(SummaryLine.of(tree.summary())).toString();
    }

    // ---- a capture of frames that differ in every byte field ----

    /** 600 frames, seeded: UDP with random payloads, pairs of IPv4 fragments, TCP with data, unknown EtherTypes, cut frames. */
    private Path variedCapture() throws IOException {
        Random random = new Random(20261202);
        Path file = directory.resolve("varied.pcap");
        try (PcapWriter writer = PcapWriter.create(file, LinkType.ETHERNET)) {
            long time = 1_795_313_511_000_000_000L;
            int id = 1;
            for (int i = 0; i < 100; i++) {
                List<Frame> frames = new ArrayList<>();
                frames.add(udpFrame(random, id++, 1 + random.nextInt(1400)));
                // Reassembled in the second frame, which then points into a second data source.
                frames.addAll(fragmentedUdp(random, id++, 65 + random.nextInt(600)));
                frames.add(tcpFrame(random, 1 + random.nextInt(1200)));
                frames.add(unknownEtherType(random, 60 + random.nextInt(200)));
                frames.add(udpFrame(random, id++, 200).cutTo(60 + random.nextInt(100)));
                for (Frame frame : frames) {
                    writer.write(time += 1_000_000, frame.frame(), 0, frame.captured(), frame.frame().length);
                }
            }
        }
        return file;
    }

    private record Frame(byte[] frame, int captured) {
        Frame(byte[] frame) {
            this(frame, frame.length);
        }

        Frame cutTo(int length) {
            return new Frame(frame, Math.min(length, frame.length));
        }
    }

    /** A UDP datagram to port 9999 (shown as data) with {@code payloadLength} random bytes. */
    private static Frame udpFrame(Random random, int ipId, int payloadLength) {
        byte[] frame = ipv4Frame(17, ipId, 0, false, 8 + payloadLength);
        putUdpHeader(random, frame, 8 + payloadLength);
        fillRandom(random, frame, 42, payloadLength);
        return new Frame(frame);
    }

    /** A UDP datagram with random bytes in two fragments: the first holds the header and 64 bytes, the second the rest. */
    private static List<Frame> fragmentedUdp(Random random, int ipId, int payloadLength) {
        byte[] first = ipv4Frame(17, ipId, 0, true, 8 + 64);
        putUdpHeader(random, first, 8 + payloadLength);
        fillRandom(random, first, 42, 64);
        byte[] second = ipv4Frame(17, ipId, (8 + 64) / 8, false, payloadLength - 64);
        fillRandom(random, second, 34, payloadLength - 64);
        return List.of(new Frame(first), new Frame(second));
    }

    private static void putUdpHeader(Random random, byte[] frame, int udpLength) {
        BigEndian.putU16(frame, 34, 40000 + random.nextInt(1000));
        BigEndian.putU16(frame, 36, UDP_PAYLOAD_PORT);
        BigEndian.putU16(frame, 38, udpLength);
    }

    private static Frame tcpFrame(Random random, int payloadLength) {
        byte[] frame = ipv4Frame(6, random.nextInt(65536), 0, false, 20 + payloadLength);
        BigEndian.putU16(frame, 34, 50000 + random.nextInt(1000));
        BigEndian.putU16(frame, 36, 8080);
        BigEndian.putU32(frame, 38, random.nextInt() & 0xFFFFFFFFL);
        BigEndian.putU32(frame, 42, random.nextInt() & 0xFFFFFFFFL);
        BigEndian.putU16(frame, 46, (5 << 12) | 0x18);
        BigEndian.putU16(frame, 48, 502);
        fillRandom(random, frame, 54, payloadLength);
        return new Frame(frame);
    }

    private static Frame unknownEtherType(Random random, int length) {
        byte[] frame = new byte[length];
        fillRandom(random, frame, 0, length);
        frame[0] &= (byte) 0xFE;
        BigEndian.putU16(frame, 12, 0x88B5);
        return new Frame(frame);
    }

    private static byte[] ipv4Frame(int protocol, int id, int fragmentOffset, boolean moreFragments, int transportLength) {
        byte[] frame = new byte[14 + 20 + transportLength];
        System.arraycopy(HexFormat.of().parseHex("765e6a904b810e8e5fd9cfbb0800"), 0, frame, 0, 14);
        frame[14] = 0x45;
        BigEndian.putU16(frame, 16, 20 + transportLength);
        BigEndian.putU16(frame, 18, id);
        BigEndian.putU16(frame, 20, (moreFragments ? 0x2000 : 0) | fragmentOffset);
        frame[22] = 64;
        frame[23] = (byte) protocol;
        BigEndian.putU32(frame, 26, 0x0A4D0001L);
        BigEndian.putU32(frame, 30, 0x0A4D0002L);
        BigEndian.putU16(frame, 24, Checksum.compute(frame, 14, 20));
        return frame;
    }

    private static void fillRandom(Random random, byte[] bytes, int offset, int length) {
        for (int i = 0; i < length; i++) {
            bytes[offset + i] = (byte) random.nextInt(256);
        }
    }
}
