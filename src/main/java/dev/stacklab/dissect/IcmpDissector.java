package dev.stacklab.dissect;

import java.util.List;

/** Placeholder until the Icmp dissector lands. */
final class IcmpDissector {
    static final List<FieldDef> FIELDS = List.of();

    private IcmpDissector() {
    }

    static void dissect(DissectionContext ctx, FieldNode parent, int offset, int length) {
        DataDissector.dissect(ctx, parent, offset, length);
    }
}
