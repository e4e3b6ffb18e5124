package dev.stacklab.dissect;

import java.util.IdentityHashMap;
import java.util.Map;
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
    /**
     * Top-level layers whose subtree holds only their own fields ({@code ip.*} under {@code ip}) and expert notes:
     * one of them whose fields the filter does not read needs no tree at all (ICMP is not one: it quotes IP, UDP and
     * data; nor VLAN tags, which hold the Ethernet trailer). FilterOnlyTreesTest holds the captures to this.
     */
    static final Set<String> SELF_CONTAINED_LAYERS = Set.of("frame", "eth", "arp", "ip", "tcp", "udp");

    private final Set<String> names;
    private final boolean readsNotes;
    private final Map<FieldDef, Boolean> skippedLayers = new IdentityHashMap<>();
    private FieldDef[] definitions = new FieldDef[1024];
    private boolean[] kept = new boolean[1024];
    private int known;

    /** @param names the field and protocol names the filter reads, with the fields either-direction names stand for */
    FilterFields(Set<String> names) {
        this.names = Set.copyOf(names);
        this.readsNotes = names.stream().anyMatch(name -> name.startsWith("_ws."));
    }

    /**
     * Whether the top-level layer {@code def} (a protocol the filter does not read) can go without a tree: it is
     * self-contained and the filter reads none of its fields, nor any expert note. Its dissector then runs as for a
     * summary, which leaves the same state.
     */
    boolean skipsLayer(FieldDef def) {
        Boolean skips = skippedLayers.get(def);
        if (skips == null) {
            String layer = def.name();
            String fields = layer + ".";
            skips = def.type() == FieldType.PROTOCOL && SELF_CONTAINED_LAYERS.contains(layer) && !readsNotes
                    && names.stream().noneMatch(name -> name.equals(layer) || name.startsWith(fields));
            skippedLayers.put(def, skips);
        }
        return skips;
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
