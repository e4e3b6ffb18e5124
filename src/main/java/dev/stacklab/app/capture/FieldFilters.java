package dev.stacklab.app.capture;

import dev.stacklab.dissect.ByteSlice;
import dev.stacklab.dissect.FieldNode;
import dev.stacklab.dissect.FieldRegistry;

/**
 * The display filter "Apply as Filter" and "Prepare as Filter" build from a field in the details tree, as
 * Wireshark builds it: {@code ip.src == 10.0.0.1}, {@code tcp.flags.syn == 1}, {@code arp} for a protocol,
 * {@code _ws.expert.message == "Connection reset (RST)"}.
 */
final class FieldFilters {
    private FieldFilters() {
    }

    /** The filter selecting frames with this field's value, or null for a line that is not a field (plain text). */
    static String filterFor(FieldNode node) {
        String name = node.name();
        if (!FieldRegistry.isKnown(name)) {
            return null;
        }
        return switch (node.def().type()) {
            case PROTOCOL -> name;
            case NONE -> name;
            case STRING -> {
                Object value = node.object();
                yield value == null ? name : name + " == " + quoted(value.toString());
            }
            case BYTES -> node.object() instanceof ByteSlice slice && slice.length() > 0
                    ? name + " == " + slice.toColonHex() : name;
            default -> {
                String value = node.fieldValue();
                yield value == null ? name : name + " == " + value;
            }
        };
    }

    /** A display filter string literal: in double quotes, with backslash and quote escaped. */
    static String quoted(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.append('"').toString();
    }
}
