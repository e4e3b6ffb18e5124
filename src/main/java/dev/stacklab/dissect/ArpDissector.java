package dev.stacklab.dissect;

import java.util.List;

/** Placeholder until the Arp dissector lands. */
final class ArpDissector {
    static final List<FieldDef> FIELDS = List.of();

    private ArpDissector() {
    }

    static void dissect(DissectionContext ctx, FieldNode parent, int offset, int length) {
        DataDissector.dissect(ctx, parent, offset, length);
    }
}
