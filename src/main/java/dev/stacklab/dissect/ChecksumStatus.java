package dev.stacklab.dissect;

/** Values of Wireshark's {@code *.checksum.status} fields ({@code proto_checksum_vals}). */
final class ChecksumStatus {
    static final int BAD = 0;
    static final int GOOD = 1;
    static final int UNVERIFIED = 2;
    static final int NOT_PRESENT = 3;

    /** "Checksum Status: Good", built when shown (see NodeText). */
    private static final NodeText LINE = node -> node.def().label() + ": " + name(node.value());

    private ChecksumStatus() {
    }

    /** Adds a generated status node, shown as Wireshark shows it ("[Checksum Status: Good]"). */
    static FieldNode add(DissectionContext ctx, FieldNode parent, FieldDef def, int offset, int status) {
        FieldNode node = ctx.add(parent, def, offset, 0, status);
        if (node != null) {
            node.text(LINE).generated();
        }
        return node;
    }

    static String name(long status) {
        return switch ((int) status) {
            case BAD -> "Bad";
            case GOOD -> "Good";
            case UNVERIFIED -> "Unverified";
            case NOT_PRESENT -> "Not present";
            default -> null;
        };
    }
}
