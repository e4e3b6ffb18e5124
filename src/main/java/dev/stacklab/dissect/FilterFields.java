package dev.stacklab.dissect;

import java.util.Set;

/**
 * The fields a display filter reads, and for each field definition the dissectors add, whether it is one of them.
 * A filter over a million frames dissects each frame in full (cross-frame state, reassembly and columns depend
 * on it) but needs only these nodes, so {@link DissectionContext} makes only them: most of a tree's cost is
 * making its hundred-odd nodes.
 *
 * <p>Looked up once per node a dissector adds, so definitions are remembered by identity in a small open table
 * (placed by their name's hash, which the name keeps);
 * one instance per {@link Dissector}, used from its thread only.
 */
final class FilterFields {
    private final Set<String> names;
    private FieldDef[] definitions = new FieldDef[1024];
    private boolean[] kept = new boolean[1024];
    private int known;

    /** @param names the field and protocol names the filter reads, with the fields either-direction names stand for */
    FilterFields(Set<String> names) {
        this.names = Set.copyOf(names);
    }

    /** The same names with a table of its own (the table is not shared between threads). */
    FilterFields copy() {
        return new FilterFields(names);
    }

    boolean keeps(FieldDef def) {
        int mask = definitions.length - 1;
        // A name's hash is kept in its String once computed, so this costs a field read, not a hash of the record.
        for (int at = def.name().hashCode() & mask; ; at = (at + 1) & mask) {
            FieldDef seen = definitions[at];
            if (seen == def) {
                return kept[at];
            }
            if (seen == null) {
                boolean keep = names.contains(def.name());
                definitions[at] = def;
                kept[at] = keep;
                if (++known * 2 > definitions.length) {
                    rehash();
                }
                return keep;
            }
        }
    }

    private void rehash() {
        FieldDef[] oldDefinitions = definitions;
        boolean[] oldKept = kept;
        definitions = new FieldDef[oldDefinitions.length * 2];
        kept = new boolean[definitions.length];
        int mask = definitions.length - 1;
        for (int i = 0; i < oldDefinitions.length; i++) {
            if (oldDefinitions[i] != null) {
                int at = oldDefinitions[i].name().hashCode() & mask;
                while (definitions[at] != null) {
                    at = (at + 1) & mask;
                }
                definitions[at] = oldDefinitions[i];
                kept[at] = oldKept[i];
            }
        }
    }
}
