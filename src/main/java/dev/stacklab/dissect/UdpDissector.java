package dev.stacklab.dissect;

import java.util.List;

/** Placeholder until the Udp dissector lands. */
final class UdpDissector {
    static final List<FieldDef> FIELDS = List.of();

    private UdpDissector() {
    }

    static void dissect(DissectionContext ctx, FieldNode parent, int offset, int length) {
        DataDissector.dissect(ctx, parent, offset, length);
    }
}
