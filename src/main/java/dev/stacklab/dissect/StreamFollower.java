package dev.stacklab.dissect;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * "Follow TCP Stream" and "Follow UDP Stream" as Wireshark does them: the application data of one conversation, in
 * the order each side's bytes were sent, fed the conversation's frames in capture order.
 *
 * <p>TCP data is put in sequence order per direction: a segment that starts at the next byte expected is taken
 * (then any segment held back that now fits); one that starts later is held back until the gap fills; bytes already
 * taken are dropped from a retransmission, so only the new part of a longer one is taken. When a segment
 * acknowledges data past a gap in the other direction, the receiver had that data though the capture missed it:
 * the gap becomes a "[N bytes missing in capture file]" note (Wireshark writes the note with its C string's
 * terminating NUL, which tshark prints as "."; it is kept, so the text agrees with tshark's). Held-back segments
 * whose gap never fills are not shown, as in Wireshark. UDP: each datagram's payload, in capture order.
 *
 * <p>"Node 0" (the client) is the sender of the conversation's first frame. Each chunk remembers its frame, so a
 * view can select the frame a piece of text came from.
 */
public final class StreamFollower {
    /** The equals signs that frame tshark's follow output. */
    private static final String RULE = "=".repeat(67);

    /** Which layer's conversation is followed. */
    public enum Protocol {
        TCP("tcp"), UDP("udp");

        private final String filterName;

        Protocol(String filterName) {
            this.filterName = filterName;
        }

        /** "tcp" or "udp", as the display filter and tshark's {@code -z follow,tcp} name it. */
        public String filterName() {
            return filterName;
        }

        /** The display filter that shows the conversation, e.g. {@code tcp.stream eq 3}. */
        public String filter(long stream) {
            return filterName + ".stream eq " + stream;
        }
    }

    /** One side of the conversation: an IPv4 or IPv6 address and a port. */
    public record Endpoint(String address, int port) {
        @Override
        public String toString() {
            return address + ":" + port;
        }
    }

    /** A run of bytes one side sent: from the server (node 1) or the client (node 0), first seen in {@code frameNumber}. */
    public record Chunk(boolean fromServer, int frameNumber, byte[] data) {
    }

    /** What a conversation carried: both endpoints (null until a frame was seen) and the chunks in order. */
    public record Followed(Protocol protocol, long stream, Endpoint client, Endpoint server, List<Chunk> chunks) {
        /** Bytes the client (false) or the server (true) sent. */
        public long bytes(boolean fromServer) {
            long total = 0;
            for (Chunk chunk : chunks) {
                if (chunk.fromServer() == fromServer) {
                    total += chunk.data().length;
                }
            }
            return total;
        }

        /** Frames that carried the client's (false) or server's (true) chunks, as Wireshark's "client pkts". */
        public int frames(boolean fromServer) {
            int frames = 0;
            int last = -1;
            for (Chunk chunk : chunks) {
                if (chunk.fromServer() == fromServer && chunk.frameNumber() != last) {
                    frames++;
                    last = chunk.frameNumber();
                }
            }
            return frames;
        }

        /** How often the talking side changes, as Wireshark's "turns". */
        public int turns() {
            int turns = 0;
            for (int i = 1; i < chunks.size(); i++) {
                if (chunks.get(i).fromServer() != chunks.get(i - 1).fromServer()) {
                    turns++;
                }
            }
            return turns;
        }
    }

    private final Protocol protocol;
    private final long stream;
    private Endpoint client;
    private Endpoint server;
    private final List<Chunk> chunks = new ArrayList<>();
    /** Per direction (0 client, 1 server): the next sequence number expected, and whether one is known yet. */
    private final long[] nextSequence = new long[2];
    private final boolean[] sequenceKnown = new boolean[2];
    /** Per direction: segments that start past the next byte expected, in arrival order. */
    private final List<List<HeldSegment>> heldBack = List.of(new ArrayList<>(), new ArrayList<>());

    /** A segment held back for a gap before it, with the sequence number of its first byte. */
    private record HeldSegment(long sequence, int frameNumber, byte[] data) {
    }

    /** Follows conversation {@code stream} of {@code protocol} (the tcp.stream or udp.stream index, for the filter). */
    public StreamFollower(Protocol protocol, long stream) {
        this.protocol = protocol;
        this.stream = stream;
    }

    /**
     * The conversation index ({@code tcp.stream} or {@code udp.stream}) of the frame's own TCP or UDP layer, or -1
     * when it has none at the top level (a segment quoted in an ICMP error is not the frame's own).
     */
    public static long streamOf(FrameTree tree, Protocol protocol) {
        for (FieldNode layer : tree.layers()) {
            if (layer.name().equals(protocol.filterName())) {
                FieldNode stream = layer.find(protocol.filterName() + ".stream");
                return stream == null ? -1 : stream.value();
            }
        }
        return -1;
    }

    /**
     * Takes the next frame of the conversation (in capture order); frames without the followed layer at the top
     * level (an ICMP error only quotes a segment) add nothing.
     */
    public void add(int frameNumber, FrameTree tree) {
        FieldNode network = null;
        FieldNode transport = null;
        for (FieldNode layer : tree.layers()) {
            if (layer.name().equals("ip") || layer.name().equals("ipv6")) {
                network = layer;
            } else if (layer.name().equals(protocol.filterName())) {
                transport = layer;
                break;
            }
        }
        if (network == null || transport == null) {
            return;
        }
        String prefix = network.name().equals("ip") ? "ip." : "ipv6.";
        FieldNode source = network.find(prefix + "src");
        FieldNode destination = network.find(prefix + "dst");
        FieldNode sourcePort = transport.find(protocol.filterName() + ".srcport");
        FieldNode destinationPort = transport.find(protocol.filterName() + ".dstport");
        if (source == null || destination == null || sourcePort == null || destinationPort == null) {
            return;
        }
        Endpoint from = new Endpoint(source.fieldValue(), (int) sourcePort.value());
        if (client == null) {
            client = from;
            server = new Endpoint(destination.fieldValue(), (int) destinationPort.value());
        }
        boolean fromServer = !from.equals(client);
        FieldNode payload = transport.find(protocol.filterName() + ".payload");
        byte[] data = payload == null ? new byte[0]
                : tree.dataSources().get(payload.dataSource()).copyOfRange(payload.offset(), payload.offset() + payload.length());
        if (protocol == Protocol.UDP) {
            if (data.length > 0) {
                chunks.add(new Chunk(fromServer, frameNumber, data));
            }
            return;
        }
        FieldNode sequenceField = transport.find("tcp.seq_raw");
        FieldNode syn = transport.find("tcp.flags.syn");
        FieldNode ack = transport.find("tcp.ack_raw");
        FieldNode segmentLength = transport.find("tcp.len");
        if (sequenceField == null) {
            return;
        }
        addSegment(fromServer, frameNumber, sequenceField.value(), syn != null && syn.value() != 0,
                ack == null ? -1 : ack.value(), segmentLength == null ? data.length : segmentLength.value(), data);
    }

    private void addSegment(boolean fromServer, int frameNumber, long rawSequence, boolean syn, long acknowledged, long segmentLength,
                            byte[] captured) {
        int side = fromServer ? 1 : 0;
        int other = 1 - side;
        // The SYN takes a sequence number of its own; data starts after it.
        long sequence = syn ? (rawSequence + 1) & 0xFFFF_FFFFL : rawSequence;
        // This segment acknowledges what the other side sent: data past a gap there reached its receiver.
        if (acknowledged >= 0) {
            while (fitHeldBack(other, acknowledged, frameNumber, true)) {
                // each pass takes one held-back segment or notes one gap
            }
        }
        if (!sequenceKnown[side]) {
            nextSequence[side] = sequence;
            sequenceKnown[side] = true;
        }
        byte[] data = captured;
        long length = segmentLength;
        if (before(sequence, nextSequence[side])) {
            // Older than what was taken: keep only the part past it, if there is one.
            long end = (sequence + length) & 0xFFFF_FFFFL;
            if (before(nextSequence[side], end)) {
                int seen = (int) ((nextSequence[side] - sequence) & 0xFFFF_FFFFL);
                data = seen >= data.length ? new byte[0] : Arrays.copyOfRange(data, seen, data.length);
                sequence = nextSequence[side];
                length = (end - nextSequence[side]) & 0xFFFF_FFFFL;
            }
        }
        if (data.length == 0 || before(sequence, nextSequence[side])) {
            return;
        }
        if (sequence == nextSequence[side]) {
            nextSequence[side] = (nextSequence[side] + length) & 0xFFFF_FFFFL;
            chunks.add(new Chunk(fromServer, frameNumber, data));
            while (fitHeldBack(side, 0, frameNumber, false)) {
                // each pass takes one held-back segment that now fits
            }
        } else {
            heldBack.get(side).add(new HeldSegment(sequence, frameNumber, data));
        }
    }

    /**
     * Takes the first held-back segment of {@code side} that now starts at or before the next byte expected, and
     * returns true; else, with {@code useAck}, when {@code acknowledged} passes the lowest held-back start, notes the
     * gap as missing and returns true; else false.
     */
    private boolean fitHeldBack(int side, long acknowledged, int frameNumber, boolean useAck) {
        List<HeldSegment> held = heldBack.get(side);
        if (held.isEmpty()) {
            return false;
        }
        long lowest = held.get(0).sequence();
        for (int i = 0; i < held.size(); i++) {
            HeldSegment segment = held.get(i);
            if (before(segment.sequence(), lowest)) {
                lowest = segment.sequence();
            }
            if (before(segment.sequence(), nextSequence[side])) {
                long end = (segment.sequence() + segment.data().length) & 0xFFFF_FFFFL;
                if (before(nextSequence[side], end)) {
                    int seen = (int) ((nextSequence[side] - segment.sequence()) & 0xFFFF_FFFFL);
                    byte[] rest = Arrays.copyOfRange(segment.data(), seen, segment.data().length);
                    chunks.add(new Chunk(side == 1, segment.frameNumber(), rest));
                    nextSequence[side] = (nextSequence[side] + rest.length) & 0xFFFF_FFFFL;
                }
                held.remove(i);
                return true;
            }
            if (segment.sequence() == nextSequence[side]) {
                chunks.add(new Chunk(side == 1, segment.frameNumber(), segment.data()));
                nextSequence[side] = (nextSequence[side] + segment.data().length) & 0xFFFF_FFFFL;
                held.remove(i);
                return true;
            }
        }
        if (useAck && before(lowest, acknowledged)) {
            long missing = (lowest - nextSequence[side]) & 0xFFFF_FFFFL;
            byte[] note = ("[" + (int) missing + " bytes missing in capture file]\0").getBytes(StandardCharsets.US_ASCII);
            chunks.add(new Chunk(side == 1, frameNumber, note));
            nextSequence[side] = lowest;
            return true;
        }
        return false;
    }

    /** Sequence-space order (RFC 9293 §3.4: comparisons are modulo 2^32). */
    private static boolean before(long a, long b) {
        return (int) (a - b) < 0;
    }

    /** The layer whose conversation this follows. */
    public Protocol protocol() {
        return protocol;
    }

    /** The conversation's index (tcp.stream or udp.stream). */
    public long stream() {
        return stream;
    }

    /** What was followed so far. */
    public Followed result() {
        return new Followed(protocol, stream, client, server, List.copyOf(chunks));
    }

    /** As {@code tshark -q -z follow,tcp,ascii,N} prints it: each chunk's length, then its bytes, the server's indented. */
    public static String asTsharkAscii(Followed followed) {
        StringBuilder out = new StringBuilder();
        out.append('\n').append(RULE).append('\n');
        out.append("Follow: ").append(followed.protocol().filterName()).append(",ascii\n");
        out.append("Filter: ").append(followed.protocol().filter(followed.stream())).append('\n');
        out.append("Node 0: ").append(followed.client() == null ? ":0" : followed.client()).append('\n');
        out.append("Node 1: ").append(followed.server() == null ? ":0" : followed.server()).append('\n');
        for (Chunk chunk : followed.chunks()) {
            out.append(chunk.fromServer() ? "\t" : "").append(chunk.data().length).append('\n');
            out.append(printable(chunk.data())).append('\n');
        }
        out.append(RULE).append('\n');
        return out.toString();
    }

    /** The bytes as text: printable ASCII, CR and LF as they are, every other byte as '.'. */
    public static String printable(byte[] data) {
        char[] text = new char[data.length];
        for (int i = 0; i < data.length; i++) {
            int b = data[i] & 0xFF;
            text[i] = b == '\r' || b == '\n' || (b >= 0x20 && b < 0x7F) ? (char) b : '.';
        }
        return new String(text);
    }
}
