package dev.stacklab.dissect;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The compiled form of a display filter: a tree of small evaluator nodes built once by
 * {@link DisplayFilterParser} and run against each frame. Fields are found by walking the frame's tree
 * and comparing definitions by identity first (then by name, which is a literal and so usually the
 * same String); nothing is parsed, formatted or matched with regular expressions per frame.
 *
 * <p>Fields that occur several times in a frame (ip.src in an ICMP error, ip.addr twice per header)
 * follow Wireshark 4.0: a comparison holds if <em>any</em> occurrence satisfies it, except {@code !=}
 * ({@code ne}, {@code all_ne}) and {@code ===} ({@code all_eq}), which need <em>every</em> occurrence to
 * ({@code ~=}, {@code !==} and {@code any_ne} are the "any" form of "not equal"); a comparison with a field
 * the frame lacks is false either way, so {@code ip.addr != 10.0.0.1} is false for ARP while
 * {@code !(ip.addr == 10.0.0.1)} is true.
 */
abstract sealed class FilterNode {

    /** Evaluates the node against one frame, whose first top-level layer is given (the others are its siblings). */
    abstract boolean matches(FrameTree tree, FieldNode layers);

    /** The comparison operators; the quantifier (any/all occurrences) is kept separately. */
    enum Op {
        EQ, NE, LT, GT, LE, GE, CONTAINS;

        /** Whether {@code left OP right} holds given {@code compare(left, right)}. */
        boolean holds(int comparison) {
            return switch (this) {
                case EQ -> comparison == 0;
                case NE -> comparison != 0;
                case LT -> comparison < 0;
                case GT -> comparison > 0;
                case LE -> comparison <= 0;
                case GE -> comparison >= 0;
                case CONTAINS -> throw new IllegalStateException("contains is not an ordering");
            };
        }
    }

    // ---- logic ----

    static final class MatchAll extends FilterNode {
        @Override
        boolean matches(FrameTree tree, FieldNode layers) {
            return true;
        }
    }

    static final class And extends FilterNode {
        private final FilterNode left;
        private final FilterNode right;

        And(FilterNode left, FilterNode right) {
            this.left = left;
            this.right = right;
        }

        @Override
        boolean matches(FrameTree tree, FieldNode layers) {
            return left.matches(tree, layers) && right.matches(tree, layers);
        }
    }

    static final class Or extends FilterNode {
        private final FilterNode left;
        private final FilterNode right;

        Or(FilterNode left, FilterNode right) {
            this.left = left;
            this.right = right;
        }

        @Override
        boolean matches(FrameTree tree, FieldNode layers) {
            return left.matches(tree, layers) || right.matches(tree, layers);
        }
    }

    static final class Not extends FilterNode {
        private final FilterNode operand;

        Not(FilterNode operand) {
            this.operand = operand;
        }

        @Override
        boolean matches(FrameTree tree, FieldNode layers) {
            return !operand.matches(tree, layers);
        }
    }

    // ---- fields ----

    /**
     * A field as the filter names it. Either-direction names ({@code ip.addr}, {@code tcp.port}, ...) also
     * match the fields they stand for ({@code ip.src}, {@code ip.dst}): a frame whose dissector adds the
     * hidden either-direction field has the same values under both names, so for "any" and "all" the
     * union gives the same answer whether or not the dissector adds it.
     */
    static final class FieldRef {
        final FieldDef def;
        final String name;
        private final String[] alsoNames;

        FieldRef(FieldDef def, String[] alsoNames) {
            this.def = def;
            this.name = def.name();
            this.alsoNames = alsoNames;
        }

        boolean matches(FieldDef candidate) {
            if (candidate == def) {
                return true;
            }
            String candidateName = candidate.name();
            if (candidateName.equals(name)) {
                return true;
            }
            for (String also : alsoNames) {
                if (candidateName.equals(also)) {
                    return true;
                }
            }
            return false;
        }

        /** True if some node of this field passes {@code test} (any node at all when test is null). */
        boolean any(FieldNode first, ValueTest test, FrameTree tree) {
            for (FieldNode node = first; node != null; node = node.nextSibling()) {
                if (matches(node.def()) && (test == null || test.test(node, tree))) {
                    return true;
                }
                FieldNode children = node.firstChild();
                if (children != null && any(children, test, tree)) {
                    return true;
                }
            }
            return false;
        }

        /** {@link #ABSENT} if no node of this field exists, {@link #FAILED} if one fails the test, else {@link #ALL_PASSED}. */
        int all(FieldNode first, ValueTest test, FrameTree tree, int soFar) {
            int state = soFar;
            for (FieldNode node = first; node != null; node = node.nextSibling()) {
                if (matches(node.def())) {
                    if (!test.test(node, tree)) {
                        return FAILED;
                    }
                    state = ALL_PASSED;
                }
                FieldNode children = node.firstChild();
                if (children != null && (state = all(children, test, tree, state)) == FAILED) {
                    return FAILED;
                }
            }
            return state;
        }

        void collect(FieldNode first, List<FieldNode> into) {
            for (FieldNode node = first; node != null; node = node.nextSibling()) {
                if (matches(node.def())) {
                    into.add(node);
                }
                FieldNode children = node.firstChild();
                if (children != null) {
                    collect(children, into);
                }
            }
        }

        static final int ABSENT = 0;
        static final int ALL_PASSED = 1;
        static final int FAILED = -1;
    }

    /** A bare field or protocol name: true if the frame has it. */
    static final class Exists extends FilterNode {
        private final FieldRef field;

        Exists(FieldRef field) {
            this.field = field;
        }

        @Override
        boolean matches(FrameTree tree, FieldNode layers) {
            return field.any(layers, null, tree);
        }
    }

    /** A field compared with constants: any occurrence passes, or every occurrence (and at least one). */
    static final class Compare extends FilterNode {
        private final FieldRef field;
        private final ValueTest test;
        private final boolean everyOccurrence;

        Compare(FieldRef field, ValueTest test, boolean everyOccurrence) {
            this.field = field;
            this.test = test;
            this.everyOccurrence = everyOccurrence;
        }

        @Override
        boolean matches(FrameTree tree, FieldNode layers) {
            return everyOccurrence
                    ? field.all(layers, test, tree, FieldRef.ABSENT) == FieldRef.ALL_PASSED
                    : field.any(layers, test, tree);
        }
    }

    /** A field compared with another field ({@code tcp.srcport > tcp.dstport}), over all pairs of occurrences. */
    static final class CompareFields extends FilterNode {
        private final FieldRef left;
        private final Access leftAccess;
        private final FieldRef right;
        private final Access rightAccess;
        private final Op op;
        private final boolean everyPair;

        CompareFields(FieldRef left, Access leftAccess, FieldRef right, Access rightAccess, Op op, boolean everyPair) {
            this.left = left;
            this.leftAccess = leftAccess;
            this.right = right;
            this.rightAccess = rightAccess;
            this.op = op;
            this.everyPair = everyPair;
        }

        @Override
        boolean matches(FrameTree tree, FieldNode layers) {
            List<FieldNode> lefts = new ArrayList<>(4);
            List<FieldNode> rights = new ArrayList<>(4);
            left.collect(layers, lefts);
            right.collect(layers, rights);
            if (lefts.isEmpty() || rights.isEmpty()) {
                return false;
            }
            for (FieldNode l : lefts) {
                for (FieldNode r : rights) {
                    boolean holds = holds(l, r, tree);
                    if (holds != everyPair) {
                        return holds;
                    }
                }
            }
            return everyPair;
        }

        private boolean holds(FieldNode l, FieldNode r, FrameTree tree) {
            if (leftAccess instanceof IntegerAccess li) {
                IntegerAccess ri = (IntegerAccess) rightAccess;
                return op.holds(li.compare(li.of(l), ri.of(r)));
            }
            if (leftAccess instanceof StringAccess) {
                return StringTest.holds(op, StringAccess.of(l), StringAccess.of(r));
            }
            ByteSlice lb = ((BytesAccess) leftAccess).of(l, tree);
            ByteSlice rb = ((BytesAccess) rightAccess).of(r, tree);
            return lb != null && rb != null && BytesTest.holds(op, lb, rb.array(), rb.offset(), rb.length());
        }
    }

    // ---- reading a node's value in the form a comparison needs ----

    /** How a comparison reads a node: as a number, as bytes, or as text. */
    sealed interface Access permits IntegerAccess, BytesAccess, StringAccess {
    }

    /**
     * Numbers, flags, MAC and IPv4 addresses, frame numbers and times, all held in the node's long.
     * IPv4 is masked to 32 unsigned bits (the node may hold it sign-extended); a flag reads as 0 or 1.
     */
    record IntegerAccess(boolean signed, boolean flag, long mask) implements Access {
        long of(FieldNode node) {
            long value = node.value();
            return flag ? (value != 0 ? 1 : 0) : value & mask;
        }

        int compare(long a, long b) {
            return signed ? Long.compare(a, b) : Long.compareUnsigned(a, b);
        }
    }

    record StringAccess() implements Access {
        /** The node's text; fields that hold no string (ip.src read as ip.host) give their printed value. */
        static String of(FieldNode node) {
            Object object = node.object();
            if (object instanceof String text) {
                return text;
            }
            String printed = node.fieldValue();
            return printed == null ? "" : printed;
        }
    }

    /**
     * A node's bytes, optionally sliced ({@code eth.src[0:3]}): a bytes field's slice, a protocol's bytes in
     * its data source, the six bytes of a MAC, the four of an IPv4 address, the UTF-8 of a string.
     *
     * @param start  first byte; negative counts from the end, as in Wireshark
     * @param length bytes to take, or -1 for "to the end"; with start 0 and -1 the slice is the whole value
     */
    record BytesAccess(int start, int length) implements Access {
        static final BytesAccess WHOLE = new BytesAccess(0, -1);

        /** The bytes, or null when the slice reaches past the value (the comparison then fails, as in Wireshark). */
        ByteSlice of(FieldNode node, FrameTree tree) {
            ByteSlice whole = whole(node, tree);
            if (start == 0 && length < 0) {
                return whole;
            }
            int from = start < 0 ? whole.length() + start : start;
            int count = length < 0 ? whole.length() - from : length;
            if (from < 0 || count < 0 || from + count > whole.length()) {
                return null;
            }
            return new ByteSlice(whole.array(), whole.offset() + from, count);
        }

        private static ByteSlice whole(FieldNode node, FrameTree tree) {
            switch (node.def().type()) {
                case BYTES:
                    if (node.object() instanceof ByteSlice slice) {
                        return slice;
                    }
                    break;
                case MAC:
                    return fixedWidth(node.value(), 6);
                case IPV4:
                    return fixedWidth(node.value(), 4);
                case IPV6:
                    if (node.object() instanceof dev.stacklab.wire.Ipv6Address address) {
                        return new ByteSlice(address.toBytes(), 0, 16);
                    }
                    break;
                case STRING:
                    byte[] utf8 = StringAccess.of(node).getBytes(StandardCharsets.UTF_8);
                    return new ByteSlice(utf8, 0, utf8.length);
                default:
                    break;
            }
            List<FrameTree.DataSource> sources = tree.dataSources();
            if (node.dataSource() >= sources.size()) {
                return new ByteSlice(new byte[0], 0, 0);
            }
            FrameTree.DataSource source = sources.get(node.dataSource());
            int from = Math.max(0, Math.min(node.offset(), source.length()));
            int to = Math.max(from, Math.min(node.offset() + node.length(), source.length()));
            return new ByteSlice(source.bytes(), from, to - from);
        }

        private static ByteSlice fixedWidth(long value, int width) {
            byte[] bytes = new byte[width];
            for (int i = 0; i < width; i++) {
                bytes[i] = (byte) (value >>> (8 * (width - 1 - i)));
            }
            return new ByteSlice(bytes, 0, width);
        }
    }

    // ---- tests of one node against constants ----

    /** One occurrence of a field checked against the constant(s) of a comparison. */
    interface ValueTest {
        boolean test(FieldNode node, FrameTree tree);
    }

    /** A number compared with a constant; {@code mask} also narrows an IPv4 address to a CIDR prefix. */
    static final class IntegerTest implements ValueTest {
        private final IntegerAccess access;
        private final Op op;
        private final long constant;
        private final long prefixMask;

        IntegerTest(IntegerAccess access, Op op, long constant, long prefixMask) {
            this.access = access;
            this.op = op;
            this.constant = constant & prefixMask;
            this.prefixMask = prefixMask;
        }

        @Override
        public boolean test(FieldNode node, FrameTree tree) {
            return op.holds(access.compare(access.of(node) & prefixMask, constant));
        }
    }

    /** Bytes compared as Wireshark does: the shorter first, equal lengths byte by byte unsigned; or "contains". */
    static final class BytesTest implements ValueTest {
        private final BytesAccess access;
        private final Op op;
        private final byte[] constant;

        BytesTest(BytesAccess access, Op op, byte[] constant) {
            this.access = access;
            this.op = op;
            this.constant = constant;
        }

        @Override
        public boolean test(FieldNode node, FrameTree tree) {
            ByteSlice value = access.of(node, tree);
            return value != null && holds(op, value, constant, 0, constant.length);
        }

        static boolean holds(Op op, ByteSlice value, byte[] other, int otherOffset, int otherLength) {
            byte[] array = value.array();
            int offset = value.offset();
            int length = value.length();
            if (op == Op.CONTAINS) {
                outer:
                for (int i = 0; i + otherLength <= length; i++) {
                    for (int j = 0; j < otherLength; j++) {
                        if (array[offset + i + j] != other[otherOffset + j]) {
                            continue outer;
                        }
                    }
                    return true;
                }
                return false;
            }
            // Wireshark orders byte strings by length first, then byte by byte (tshark: data.data "abcdefgh" > 68:65).
            if (length != otherLength) {
                return op.holds(Integer.compare(length, otherLength));
            }
            for (int i = 0; i < length; i++) {
                int a = array[offset + i] & 0xFF;
                int b = other[otherOffset + i] & 0xFF;
                if (a != b) {
                    return op.holds(a - b);
                }
            }
            return op.holds(0);
        }
    }

    static final class StringTest implements ValueTest {
        private final Op op;
        private final String constant;

        StringTest(Op op, String constant) {
            this.op = op;
            this.constant = constant;
        }

        @Override
        public boolean test(FieldNode node, FrameTree tree) {
            return holds(op, StringAccess.of(node), constant);
        }

        static boolean holds(Op op, String value, String other) {
            return op == Op.CONTAINS ? value.contains(other) : op.holds(value.compareTo(other));
        }
    }

    /** Membership in a set ({@code tcp.port in {80, 443, 8000..8080}}): any member's test passes. */
    static final class AnyOf implements ValueTest {
        private final ValueTest[] members;

        AnyOf(List<ValueTest> members) {
            this.members = members.toArray(new ValueTest[0]);
        }

        @Override
        public boolean test(FieldNode node, FrameTree tree) {
            for (ValueTest member : members) {
                if (member.test(node, tree)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** A range member of a set ({@code 8000..8080}): both bounds inclusive. */
    static final class Between implements ValueTest {
        private final ValueTest atLeast;
        private final ValueTest atMost;

        Between(ValueTest atLeast, ValueTest atMost) {
            this.atLeast = atLeast;
            this.atMost = atMost;
        }

        @Override
        public boolean test(FieldNode node, FrameTree tree) {
            return atLeast.test(node, tree) && atMost.test(node, tree);
        }
    }
}
