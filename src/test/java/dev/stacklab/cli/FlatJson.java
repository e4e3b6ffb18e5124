package dev.stacklab.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/** Reads the flat {"name":"value",...} objects {@code decode --json} prints; anything else is an error. */
final class FlatJson {
    private final String text;
    private int position;

    private FlatJson(String text) {
        this.text = text;
    }

    static Map<String, String> parse(String line) {
        return new FlatJson(line).object();
    }

    private Map<String, String> object() {
        Map<String, String> fields = new LinkedHashMap<>();
        expect('{');
        if (peek() == '}') {
            position++;
            return fields;
        }
        do {
            String name = string();
            expect(':');
            String previous = fields.put(name, string());
            if (previous != null) {
                throw new IllegalArgumentException("field " + name + " appears twice in " + text);
            }
        } while (consume(','));
        expect('}');
        if (position != text.length()) {
            throw new IllegalArgumentException("trailing text at column " + (position + 1) + " of " + text);
        }
        return fields;
    }

    private String string() {
        expect('"');
        StringBuilder out = new StringBuilder();
        while (true) {
            char c = text.charAt(position++);
            if (c == '"') {
                return out.toString();
            }
            if (c == '\\') {
                char escaped = text.charAt(position++);
                switch (escaped) {
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        out.append((char) Integer.parseInt(text.substring(position, position + 4), 16));
                        position += 4;
                    }
                    default -> out.append(escaped);
                }
            } else {
                out.append(c);
            }
        }
    }

    private char peek() {
        return text.charAt(position);
    }

    private boolean consume(char c) {
        if (position < text.length() && text.charAt(position) == c) {
            position++;
            return true;
        }
        return false;
    }

    private void expect(char c) {
        if (!consume(c)) {
            throw new IllegalArgumentException("expected '" + c + "' at column " + (position + 1) + " of " + text);
        }
    }
}
