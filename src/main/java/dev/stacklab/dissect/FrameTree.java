package dev.stacklab.dissect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * The full dissection of one frame: its layers as a tree, the byte sources they point into, and its summary.
 *
 * <p>A tree owns the bytes its nodes point into (the {@link Dissector} copies the frame for it), so it stays valid
 * however long it is kept, whatever becomes of the buffer it was dissected from; and it cannot be changed: nodes
 * and byte sources are read-only outside this package.
 */
public final class FrameTree {
    private final FieldNode root;
    private final List<DataSource> dataSources;
    private final FrameSummary summary;
    private final boolean mayHaveExpertNotes;

    /**
     * Bytes that nodes point into: the frame itself (index 0), or a reassembled datagram. Read-only: the bytes are
     * read one at a time or copied, never handed out.
     */
    public static final class DataSource {
        private final String name;
        private final byte[] bytes;
        private final int length;

        /** {@code bytes} from 0 to {@code length}, which the tree owns from now on: nobody may write to them. */
        DataSource(String name, byte[] bytes, int length) {
            this.name = name;
            this.bytes = bytes;
            this.length = length;
        }

        /** "Frame (98 bytes)", "Reassembled IPv4 (1008 bytes)": as Wireshark names its byte tabs. */
        public String name() {
            return name;
        }

        public int length() {
            return length;
        }

        /** The byte at {@code index}, from 0 to {@code length() - 1}. */
        public byte byteAt(int index) {
            if (index < 0 || index >= length) {
                throw new IndexOutOfBoundsException("byte " + index + " of the " + length + "-byte " + name);
            }
            return bytes[index];
        }

        /** A copy of all the bytes. */
        public byte[] toArray() {
            return Arrays.copyOf(bytes, length);
        }

        /** A copy of bytes {@code from} (inclusive) to {@code to} (exclusive). */
        public byte[] copyOfRange(int from, int to) {
            if (from < 0 || to > length || from > to) {
                throw new IndexOutOfBoundsException("bytes " + from + " to " + to + " of the " + length + "-byte " + name);
            }
            return Arrays.copyOfRange(bytes, from, to);
        }

        /** The owned array itself: for this package (filters, hex dumps), which only reads it. */
        byte[] bytes() {
            return bytes;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    FrameTree(FieldNode root, List<DataSource> dataSources, FrameSummary summary) {
        this(root, dataSources, summary, true);
    }

    FrameTree(FieldNode root, List<DataSource> dataSources, FrameSummary summary, boolean mayHaveExpertNotes) {
        this.root = root;
        this.dataSources = List.copyOf(dataSources);
        this.summary = summary;
        this.mayHaveExpertNotes = mayHaveExpertNotes;
    }

    /** False when the dissectors added no expert note to this tree, so the statistics need not look for one. */
    boolean mayHaveExpertNotes() {
        return mayHaveExpertNotes;
    }

    /** The top-level nodes: "frame", "eth", "ip", "tcp", ... and a "_ws.malformed" node if any. */
    public List<FieldNode> layers() {
        return root.children();
    }

    /** The byte sources, frame first; an unmodifiable list of read-only sources. */
    public List<DataSource> dataSources() {
        return dataSources;
    }

    public FrameSummary summary() {
        return summary;
    }

    /** The first top-level node; the others are its siblings. */
    FieldNode firstLayer() {
        return root.firstChild();
    }

    /** Visits every node below the root, depth first, in tree order. */
    public void forEachField(Consumer<FieldNode> visitor) {
        for (FieldNode layer = root.firstChild(); layer != null; layer = layer.nextSibling()) {
            layer.forEach(visitor);
        }
    }

    /** The first node of that name, or null. */
    public FieldNode find(String name) {
        for (FieldNode layer = root.firstChild(); layer != null; layer = layer.nextSibling()) {
            FieldNode found = layer.find(name);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** Every node of that name, in tree order (a field can occur several times, e.g. ip.src in an ICMP error). */
    public List<FieldNode> findAll(String name) {
        List<FieldNode> found = new ArrayList<>(2);
        forEachField(node -> {
            if (node.name().equals(name)) {
                found.add(node);
            }
        });
        return found;
    }

    /**
     * The field's values joined with commas, exactly as {@code tshark -T fields -e NAME} prints them,
     * or the empty string when the frame has no such field.
     */
    public String fieldValues(String name) {
        StringBuilder out = new StringBuilder();
        forEachField(node -> {
            if (node.name().equals(name)) {
                String value = node.fieldValue();
                if (value != null) {
                    if (!out.isEmpty()) {
                        out.append(',');
                    }
                    out.append(value);
                }
            }
        });
        return out.toString();
    }
}
