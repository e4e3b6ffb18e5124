package dev.stacklab.app.capture;

import dev.stacklab.dissect.FieldNode;

/**
 * The severity of an expert note in the details tree, which colours its line as Wireshark colours them (chat
 * blue, note cyan, warning yellow, error red); read from the note's line, "[Expert Info (Warning/Sequence): ...]".
 */
enum ExpertSeverity {
    CHAT("expert-chat"), NOTE("expert-note"), WARNING("expert-warning"), ERROR("expert-error");

    private static final String EXPERT_FIELD = "_ws.expert.message";
    private static final String MALFORMED_FIELD = "_ws.malformed";
    private static final String PREFIX = "[Expert Info (";

    private final String styleClass;

    ExpertSeverity(String styleClass) {
        this.styleClass = styleClass;
    }

    String styleClass() {
        return styleClass;
    }

    /** The note's severity, or null when the node is not an expert note. */
    static ExpertSeverity of(FieldNode node) {
        if (node.name().equals(MALFORMED_FIELD)) {
            return ERROR;
        }
        if (!node.name().equals(EXPERT_FIELD)) {
            return null;
        }
        String line = node.displayLine();
        if (!line.startsWith(PREFIX)) {
            return NOTE;
        }
        int slash = line.indexOf('/', PREFIX.length());
        String severity = slash < 0 ? "" : line.substring(PREFIX.length(), slash);
        return switch (severity) {
            case "Chat" -> CHAT;
            case "Warning", "Warn" -> WARNING;
            case "Error" -> ERROR;
            default -> NOTE;
        };
    }
}
