package dev.stacklab.dissect;

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
    private final String text;
    private final FilterNode root;

    private DisplayFilter(String text, FilterNode root) {
        this.text = text;
        this.root = root;
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
        return new DisplayFilter(text, DisplayFilterParser.parse(text, lookup));
    }

    /** Whether the frame passes the filter. The tree must be a full one ({@link Dissector#dissect}). */
    public boolean matches(FrameTree tree) {
        return root.matches(tree, tree.firstLayer());
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
