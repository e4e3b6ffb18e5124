package dev.stacklab.dissect;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits display filter text into tokens, each with its 1-based column. Anything that is not an
 * operator, bracket or quoted string is a <em>word</em>: field names, numbers, addresses and byte
 * strings ({@code 10.0.0.0/24}, {@code ff:ff:ff:ff:ff:ff}, {@code 001b.21aa.bbcc}) all look alike to the
 * lexer, and only the field a word is compared with decides what it means, as in Wireshark.
 * Keywords are lower case only ({@code and}, not {@code AND}), as tshark 4.0 has them.
 */
final class DisplayFilterLexer {

    enum Kind { WORD, STRING, LPAREN, RPAREN, LBRACE, RBRACE, LBRACKET, RBRACKET, COMMA, AND, OR, NOT, COMPARE, END }

    /**
     * @param text   the source text, except for STRING where it is the unescaped content
     * @param column 1-based column of the first character
     * @param length characters the token spans in the source
     */
    record Token(Kind kind, String text, int column, int length) {
        /** How the token is quoted in messages. */
        String shown() {
            return kind == Kind.STRING ? "\"" + text + "\"" : kind == Kind.END ? "the end of the filter" : "\"" + text + "\"";
        }
    }

    private DisplayFilterLexer() {
    }

    static List<Token> tokenize(String source) throws DisplayFilterException {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            int start = i;
            switch (c) {
                case '(' -> tokens.add(new Token(Kind.LPAREN, "(", start + 1, 1));
                case ')' -> tokens.add(new Token(Kind.RPAREN, ")", start + 1, 1));
                case '{' -> tokens.add(new Token(Kind.LBRACE, "{", start + 1, 1));
                case '}' -> tokens.add(new Token(Kind.RBRACE, "}", start + 1, 1));
                case '[' -> tokens.add(new Token(Kind.LBRACKET, "[", start + 1, 1));
                case ']' -> tokens.add(new Token(Kind.RBRACKET, "]", start + 1, 1));
                case ',' -> tokens.add(new Token(Kind.COMMA, ",", start + 1, 1));
                case '"' -> {
                    i = string(source, start, tokens);
                    continue;
                }
                case '&', '|' -> {
                    if (i + 1 < n && source.charAt(i + 1) == c) {
                        tokens.add(new Token(c == '&' ? Kind.AND : Kind.OR, source.substring(i, i + 2), start + 1, 2));
                        i += 2;
                        continue;
                    }
                    throw new DisplayFilterException("\"" + c + "\" is not an operator; did you mean \"" + c + c + "\"?", start + 1, 1);
                }
                case '=', '!', '<', '>', '~' -> {
                    String op = symbolOperator(source, i);
                    if (op == null) {
                        throw new DisplayFilterException(c == '='
                                ? "\"=\" is not an operator; did you mean \"==\"?"
                                : "\"" + c + "\" is not an operator; did you mean \"" + c + "=\"?", start + 1, 1);
                    }
                    tokens.add(new Token(op.equals("!") ? Kind.NOT : Kind.COMPARE, op, start + 1, op.length()));
                    i += op.length();
                    continue;
                }
                default -> {
                    while (i < n && isWordChar(source.charAt(i))) {
                        i++;
                    }
                    String word = source.substring(start, i);
                    tokens.add(new Token(wordKind(word), word, start + 1, i - start));
                    continue;
                }
            }
            i++;
        }
        tokens.add(new Token(Kind.END, "", n + 1, 1));
        return tokens;
    }

    /** The longest operator starting at {@code i} ({@code ===} before {@code ==}), "!" for negation, or null. */
    private static String symbolOperator(String source, int i) {
        for (String op : new String[] {"===", "!==", "==", "!=", "<=", ">=", "~=", "<", ">", "!"}) {
            if (source.startsWith(op, i)) {
                return op;
            }
        }
        return null;
    }

    private static Kind wordKind(String word) {
        return switch (word) {
            case "and" -> Kind.AND;
            case "or" -> Kind.OR;
            case "not" -> Kind.NOT;
            case "eq", "ne", "lt", "gt", "le", "ge", "any_eq", "all_ne", "any_ne", "all_eq" -> Kind.COMPARE;
            default -> Kind.WORD;
        };
    }

    private static boolean isWordChar(char c) {
        return !Character.isWhitespace(c) && "()[]{},\"&|=!<>~".indexOf(c) < 0;
    }

    /** Reads a double-quoted string with C escapes ({@code \" \\ \n \t \r \xhh} and octal); returns the index after it. */
    private static int string(String source, int start, List<Token> tokens) throws DisplayFilterException {
        StringBuilder value = new StringBuilder();
        int i = start + 1;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (c == '"') {
                tokens.add(new Token(Kind.STRING, value.toString(), start + 1, i + 1 - start));
                return i + 1;
            }
            if (c != '\\') {
                value.append(c);
                i++;
                continue;
            }
            if (i + 1 >= source.length()) {
                break;
            }
            char e = source.charAt(i + 1);
            i += 2;
            switch (e) {
                case 'n' -> value.append('\n');
                case 't' -> value.append('\t');
                case 'r' -> value.append('\r');
                case 'x' -> {
                    int end = i;
                    while (end < source.length() && end < i + 2 && Character.digit(source.charAt(end), 16) >= 0) {
                        end++;
                    }
                    if (end == i) {
                        throw new DisplayFilterException("\"\\x\" must be followed by hex digits", i - 1, 2);
                    }
                    value.append((char) Integer.parseInt(source.substring(i, end), 16));
                    i = end;
                }
                default -> {
                    if (e >= '0' && e <= '7') {
                        int end = i - 1;
                        while (end < source.length() && end < i + 2 && source.charAt(end) >= '0' && source.charAt(end) <= '7') {
                            end++;
                        }
                        value.append((char) Integer.parseInt(source.substring(i - 1, end), 8));
                        i = end;
                    } else {
                        value.append(e);
                    }
                }
            }
        }
        throw new DisplayFilterException("the string that starts here is not closed with '\"'", start + 1, source.length() - start);
    }
}
