package dev.stacklab.dissect;

import java.util.List;

/** Placeholder until the Ipv4 dissector lands. */
final class Ipv4Dissector {
    static final List<FieldDef> FIELDS = List.of();

    private Ipv4Dissector() {
    }

    static void dissect(DissectionContext ctx, FieldNode parent, int offset, int length) {
        DataDissector.dissect(ctx, parent, offset, length);
    }
}
