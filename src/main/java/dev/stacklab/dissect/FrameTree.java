package dev.stacklab.dissect;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** The full dissection of one frame: its layers as a tree, the byte sources they point into, and its summary. */
public final class FrameTree {
    private final FieldNode root;
    private final List<DataSource> dataSources;
    private final FrameSummary summary;

    /** A buffer that nodes point into: the frame itself (index 0), or a reassembled datagram. */
    public record DataSource(String name, byte[] bytes, int length) {
    }

    FrameTree(FieldNode root, List<DataSource> dataSources, FrameSummary summary) {
        this.root = root;
        this.dataSources = List.copyOf(dataSources);
        this.summary = summary;
    }

    /** The top-level nodes: "frame", "eth", "ip", "tcp", ... and a "_ws.malformed" node if any. */
    public List<FieldNode> layers() {
        return root.children();
    }

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
