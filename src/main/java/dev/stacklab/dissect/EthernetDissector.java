package dev.stacklab.dissect;

import java.util.List;

/** Placeholder until the Ethernet dissector lands. */
final class EthernetDissector {
    static final List<FieldDef> FIELDS = List.of();

    private EthernetDissector() {
    }

    static void dissect(DissectionContext ctx, FieldNode parent, int offset, int length) {
        DataDissector.dissect(ctx, parent, offset, length);
    }
}
