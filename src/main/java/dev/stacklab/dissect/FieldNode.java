package dev.stacklab.dissect;

import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.MacAddress;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * One line of a frame's tree: a field's definition, where it sits in the bytes, its value, and its
 * children. Text is built only when asked for ({@link #displayLine()}, {@link #fieldValue()}), so
 * building a tree costs little more than the allocations.
 *
 * <p>Only the dissectors in this package build and change nodes; to everyone else a node is read-only.
 */
public final class FieldNode {
    private static final int GENERATED = 1;
    private static final int HIDDEN = 2;
    private static final int DATA_SOURCE_SHIFT = 2;

    private final FieldDef def;
    private final int offset;
    private final int length;
    private final long value;
    private final Object object;
    // A String, or a NodeText that builds the line when it is shown; null for the default line.
    private Object text;
    // The data source index, shifted past the GENERATED and HIDDEN bits: one int keeps the node at 56 bytes.
    private int flags;
    // Children as a singly linked list: trees are built once and walked in order, so no per-node list.
    private FieldNode firstChild;
    private FieldNode lastChild;
    private FieldNode nextSibling;

    FieldNode(FieldDef def, int offset, int length, long value, Object object, int dataSource) {
        this.def = def;
        this.offset = offset;
        this.length = length;
        this.value = value;
        this.object = object;
        this.flags = dataSource << DATA_SOURCE_SHIFT;
    }

    public FieldDef def() {
        return def;
    }

    public String name() {
        return def.name();
    }

    /** Byte offset within its data source (the frame, or a reassembled buffer). */
    public int offset() {
        return offset;
    }

    public int length() {
        return length;
    }

    /** Index into {@link FrameTree#dataSources()}: 0 is the frame itself. */
    public int dataSource() {
        return flags >>> DATA_SOURCE_SHIFT;
    }

    /** The numeric value (integers, flags as 0/1, MAC and IPv4 bits, frame numbers, nanoseconds). */
    public long value() {
        return value;
    }

    /** The non-numeric value: a {@link String} for STRING fields, a {@link ByteSlice} for BYTES fields. */
    public Object object() {
        return object instanceof LazyString lazy ? lazy.toString() : object;
    }

    /** True for values Wireshark computes rather than reads ("[Stream index: 0]"); shown in brackets. */
    public boolean isGenerated() {
        return (flags & GENERATED) != 0;
    }

    /** Hidden fields can be filtered on and are printed by field output, but are not shown in the tree. */
    public boolean isHidden() {
        return (flags & HIDDEN) != 0;
    }

    FieldNode generated() {
        this.flags |= GENERATED;
        return this;
    }

    FieldNode hidden() {
        this.flags |= HIDDEN;
        return this;
    }

    /**
     * For an expert note ({@code _ws.expert.message}): its severity and group as its line shows them,
     * "Warning/Sequence"; null for any other node.
     */
    String expertSeverityAndGroup() {
        if (def != DissectionContext.EXPERT) {
            return null;
        }
        if (text instanceof DissectionContext.ExpertText expert) {
            return expert.severityAndGroup();
        }
        // A note whose whole line a dissector wrote itself: "[Expert Info (Warning/Checksum): Bad checksum ...]".
        String prefix = "[Expert Info (";
        if (text instanceof String line && line.startsWith(prefix) && line.indexOf(')') > prefix.length()) {
            return line.substring(prefix.length(), line.indexOf(')'));
        }
        return null;
    }

    /** Replaces the line shown in the tree (e.g. "Internet Protocol Version 4, Src: ..., Dst: ..."). */
    FieldNode text(String text) {
        this.text = text;
        return this;
    }

    /**
     * Replaces the line shown in the tree with one built only if it is shown: most trees are
     * filtered or counted, never printed, so dissectors hand over how to build the line, not the line.
     */
    FieldNode text(NodeText text) {
        this.text = text;
        return this;
    }

    public List<FieldNode> children() {
        if (firstChild == null) {
            return Collections.emptyList();
        }
        int count = 0;
        for (FieldNode child = firstChild; child != null; child = child.nextSibling) {
            count++;
        }
        FieldNode[] all = new FieldNode[count];
        int i = 0;
        for (FieldNode child = firstChild; child != null; child = child.nextSibling) {
            all[i++] = child;
        }
        return Collections.unmodifiableList(Arrays.asList(all));
    }

    /** The first child, or null: with {@link #nextSibling()}, for hot loops in this package (display filters). */
    FieldNode firstChild() {
        return firstChild;
    }

    /** The next child of this node's parent, or null. */
    FieldNode nextSibling() {
        return nextSibling;
    }

    /** The first child with this field, or null. */
    FieldNode child(FieldDef childDef) {
        for (FieldNode child = firstChild; child != null; child = child.nextSibling) {
            if (child.def == childDef) {
                return child;
            }
        }
        return null;
    }

    FieldNode add(FieldNode child) {
        if (lastChild == null) {
            firstChild = child;
        } else {
            lastChild.nextSibling = child;
        }
        lastChild = child;
        return child;
    }

    /** Takes {@code child} and the children added after it off this node (what a dissection that had to wait for more bytes added). */
    void truncateFrom(FieldNode child) {
        if (firstChild == child) {
            firstChild = null;
            lastChild = null;
            return;
        }
        for (FieldNode before = firstChild; before != null; before = before.nextSibling) {
            if (before.nextSibling == child) {
                before.nextSibling = null;
                lastChild = before;
                return;
            }
        }
    }

    /** Visits this node and every descendant, depth first, in tree order. */
    public void forEach(Consumer<FieldNode> visitor) {
        visitor.accept(this);
        for (FieldNode child = firstChild; child != null; child = child.nextSibling) {
            child.forEach(visitor);
        }
    }

    /** The first node with this name in this subtree, or null. */
    public FieldNode find(String name) {
        if (def.name().equals(name)) {
            return this;
        }
        for (FieldNode child = firstChild; child != null; child = child.nextSibling) {
            FieldNode found = child.find(name);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /**
     * The value as {@code tshark -T fields -e NAME} prints it: decimal integers, {@code 0x}-prefixed
     * hex for hex fields, 1/0 for flags, colon MACs, dotted IPv4, plain hex for bytes. Null for
     * fields that carry no value (protocols, text lines).
     */
    public String fieldValue() {
        return switch (def.type()) {
            case PROTOCOL, NONE -> null;
            case UINT -> def.base() == FieldDef.Base.HEX ? hex(value, def.hexDigits()) : Long.toString(value);
            case INT, FRAMENUM -> Long.toString(value);
            case BOOLEAN -> value != 0 ? "1" : "0";
            case MAC -> new MacAddress(value).toString();
            case IPV4 -> new Ipv4Address((int) value).toString();
            case IPV6 -> object.toString();
            // tshark prints an empty byte string as "<none>".
            case BYTES -> ((ByteSlice) object).length() == 0 ? "<none>" : ((ByteSlice) object).toHex();
            // A String, or a LazyString made on first use.
            case STRING -> object == null ? null : object.toString();
            case TIME_NANOS -> seconds(value);
        };
    }

    /** The line shown for this node in the tree, as {@code tshark -V} shows it. */
    public String displayLine() {
        String body = text == null ? defaultText() : text instanceof String shown ? shown : ((NodeText) text).line(this);
        String line = isGenerated() ? "[" + body + "]" : body;
        if (def.bitmask() != 0 && def.bitWidth() > 0) {
            return bitPattern() + " = " + line;
        }
        return line;
    }

    private String defaultText() {
        String label = def.label();
        return switch (def.type()) {
            case PROTOCOL, NONE -> label;
            case UINT -> {
                String shown = def.base() == FieldDef.Base.HEX ? hex(value, def.hexDigits()) : Long.toString(value);
                String name = def.valueNames() == null ? null : def.valueNames().apply(value);
                yield name == null ? label + ": " + shown : label + ": " + name + " (" + shown + ")";
            }
            case BOOLEAN -> label + ": " + (value != 0 ? def.trueText() : def.falseText());
            case BYTES -> {
                ByteSlice slice = (ByteSlice) object;
                // Wireshark 4.0 shows at most 36 bytes of a byte field, then an ellipsis.
                yield label + ": " + (slice.length() <= 36 ? slice.toHex() : slice.toHex().substring(0, 72) + "…");
            }
            default -> label + ": " + fieldValue();
        };
    }

    /** Wireshark's bit diagram: {@code ..0. ....} for DF's neighbour, one character per bit of the unit. */
    private String bitPattern() {
        int width = def.bitWidth();
        long mask = def.bitmask();
        long shifted = value << Long.numberOfTrailingZeros(mask);
        StringBuilder out = new StringBuilder(width + width / 4);
        for (int bit = width - 1; bit >= 0; bit--) {
            long m = 1L << bit;
            out.append((mask & m) == 0 ? '.' : (shifted & m) != 0 ? '1' : '0');
            if (bit > 0 && bit % 4 == 0) {
                out.append(' ');
            }
        }
        return out.toString();
    }

    static String hex(long value, int digits) {
        String hex = Long.toHexString(value);
        if (hex.length() >= digits) {
            return "0x" + hex;
        }
        return "0x" + "0".repeat(digits - hex.length()) + hex;
    }

    static String seconds(long nanos) {
        long abs = Math.abs(nanos);
        String fraction = Long.toString(abs % 1_000_000_000L);
        return (nanos < 0 ? "-" : "") + abs / 1_000_000_000L + "." + "0".repeat(9 - fraction.length()) + fraction;
    }

    @Override
    public String toString() {
        return displayLine();
    }
}
