package dev.stacklab.dissect;

import java.util.List;

/** Payload no protocol claims, as Wireshark's "data" layer: the bytes and their count. */
final class DataDissector {
    static final FieldDef DATA = FieldDef.protocol("data", "Data");
    static final FieldDef DATA_DATA = FieldDef.bytes("data.data", "Data");
    static final FieldDef DATA_LEN = FieldDef.uint("data.len", "Length");

    static final List<FieldDef> FIELDS = List.of(DATA, DATA_DATA, DATA_LEN);

    /** "Data (6 bytes)", built when shown (see NodeText). */
    private static final NodeText LINE = node -> "Data (" + node.length() + " byte" + (node.length() == 1 ? "" : "s") + ")";

    private DataDissector() {
    }

    static void dissect(DissectionContext ctx, FieldNode parent, int offset, int length) {
        if (length <= 0) {
            return;
        }
        FieldNode data = ctx.add(parent, DATA, offset, length);
        if (data != null) {
            data.text(LINE);
            ctx.addBytes(data, DATA_DATA, offset, length);
            ctx.add(data, DATA_LEN, offset, length, length).generated();
        }
    }
}
