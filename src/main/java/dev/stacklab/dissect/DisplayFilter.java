package dev.stacklab.dissect;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;

/**
 * A compiled Wireshark display filter ({@code tcp.port == 80 && !(ip.src == 10.0.0.0/24)}), with the
 * syntax and semantics of tshark 4.0: bare field and protocol names test presence; {@code == != < > <= >=}
 * and their word forms compare; {@code and} binds tighter than {@code or}; {@code ip.addr}, {@code tcp.port},
 * {@code udp.port}, {@code eth.addr} mean either direction; {@code ==} holds if any occurrence of a field
 * matches and {@code !=} only if none does; {@code in {..}} tests membership. See {@link DisplayFilterParser}
 * for the grammar and {@link FilterNode} for the evaluation.
 *
 * <p>Compile once, then call {@link #matches} per frame; a compiled filter is immutable and may be used
 * from several threads at once.
 */
public final class DisplayFilter {
    /** Fields whose value is read from the rest of the tree: a filter reading one needs every node made. */
    private static final Set<String> READ_FROM_TREE = Set.of("frame.protocols");

    private final String text;
    private final FilterNode root;
    /** What {@link Dissector#matches} makes of a frame's tree: the fields read, or null for the whole tree. */
    private final FilterFields fieldsRead;
    private final Set<String> namesRead;

    private DisplayFilter(String text, FilterNode root, Set<String> fieldsRead) {
        this.text = text;
        this.root = root;
        this.namesRead = Set.copyOf(fieldsRead);
        this.fieldsRead = fieldsRead.stream().anyMatch(READ_FROM_TREE::contains) ? null : new FilterFields(fieldsRead);
    }

    /**
     * Compiles a filter, checking every name against the {@link FieldRegistry} and every constant against
     * its field's type. An empty or blank filter matches every frame, as in Wireshark.
     *
     * @throws DisplayFilterException naming the problem and its 1-based column
     */
    public static DisplayFilter compile(String text) throws DisplayFilterException {
        return compile(text, FieldRegistry::lookup);
    }

    /** Compiles against another set of field names (tests use their own fields). */
    static DisplayFilter compile(String text, Function<String, FieldDef> lookup) throws DisplayFilterException {
        Set<String> fieldsRead = new HashSet<>();
        FilterNode root = DisplayFilterParser.parse(text, lookup, fieldsRead);
        return new DisplayFilter(text, root, fieldsRead);
    }

    /** Whether the frame passes the filter. The tree must be a full one ({@link Dissector#dissect}). */
    public boolean matches(FrameTree tree) {
        return root.matches(tree, tree.firstLayer());
    }

    /**
     * A fresh table of the fields this filter reads, for one dissector's thread, or null when the filter needs whole
     * trees.
     */
    FilterFields fieldsRead() {
        return fieldsRead == null ? null : fieldsRead.copy();
    }

    /** Whether the filter reads the field {@code name} (directly, or through an either-direction name). */
    public boolean reads(String name) {
        return namesRead.contains(name);
    }

    /** The filter as written. */
    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }
}
