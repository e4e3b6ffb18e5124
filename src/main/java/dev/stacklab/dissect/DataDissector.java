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
        add(ctx, parent, offset, length);
    }

    /**
     * A UDP or TCP payload no dissector here claims: Data, under the name of the protocol tshark would hand it to by
     * port ({@link PortProtocols}) when there is one, in the Protocol column and in a line under the data. The Info
     * column stays the transport's: the protocol's own Info needs its dissector.
     */
    static void dissectUnclaimed(DissectionContext ctx, int offset, int length, PortProtocols.Protocol byPort) {
        FieldNode data = add(ctx, ctx.root, offset, length);
        if (byPort != null && length > 0) {
            ctx.setProtocol(byPort.name());
            FieldNode note = ctx.addText(data, offset, length, byPort.table() + " " + byPort.port() + " is " + byPort.name()
                    + " in tshark: not dissected by stacklab");
            if (note != null) {
                note.generated();
            }
        }
    }

    private static FieldNode add(DissectionContext ctx, FieldNode parent, int offset, int length) {
        if (length <= 0) {
            return null;
        }
        FieldNode data = ctx.add(parent, DATA, offset, length);
        if (data != null) {
            data.text(LINE);
            ctx.addBytes(data, DATA_DATA, offset, length);
            ctx.add(data, DATA_LEN, offset, length, length).generated();
        }
        return data;
    }
}
