package dev.stacklab.dissect;

import java.util.List;

/** Placeholder until the Tcp dissector lands. */
final class TcpDissector {
    static final List<FieldDef> FIELDS = List.of();

    private TcpDissector() {
    }

    static void dissect(DissectionContext ctx, FieldNode parent, int offset, int length) {
        DataDissector.dissect(ctx, parent, offset, length);
    }
}
