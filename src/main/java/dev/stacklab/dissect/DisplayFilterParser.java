package dev.stacklab.dissect;

import dev.stacklab.dissect.DisplayFilterLexer.Kind;
import dev.stacklab.dissect.DisplayFilterLexer.Token;
import dev.stacklab.dissect.FilterNode.Access;
import dev.stacklab.dissect.FilterNode.BytesAccess;
import dev.stacklab.dissect.FilterNode.FieldRef;
import dev.stacklab.dissect.FilterNode.IntegerAccess;
import dev.stacklab.dissect.FilterNode.Op;
import dev.stacklab.dissect.FilterNode.StringAccess;
import dev.stacklab.dissect.FilterNode.ValueTest;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Recursive-descent parser for Wireshark display filters, producing {@link FilterNode}s. Grammar, with
 * tshark 4.0's precedence ({@code not} binds tightest, then {@code and}, then {@code or}; so
 * {@code a or b and c} is {@code a or (b and c)}):
 *
 * <pre>
 * filter     = [ or ]
 * or         = and { ("||" | "or") and }
 * and        = unary { ("&&" | "and") unary }
 * unary      = ("!" | "not") unary | "(" or ")" | relation
 * relation   = [ "any" | "all" ] field [ slice ]
 *              [ compare operand | "contains" operand | [ "not" ] "in" "{" member { "," member } "}" ]
 * compare    = "==" | "!=" | "===" | "!==" | "~=" | "<" | ">" | "<=" | ">="
 *              | "eq" | "ne" | "any_eq" | "all_eq" | "any_ne" | "all_ne" | "lt" | "gt" | "le" | "ge"
 * operand    = value | field [ slice ]
 * member     = value | value ".." value
 * slice      = "[" ( start ":" length | start "-" end | start | start ":" | ":" length ) "]"
 * </pre>
 *
 * Names are checked against the field registry and constants against the field's type while parsing, so
 * every mistake is reported with its column before any frame is looked at.
 */
final class DisplayFilterParser {
    private final List<Token> tokens;
    private final Function<String, FieldDef> lookup;
    private final Set<String> fieldsRead;
    private int position;

    private DisplayFilterParser(List<Token> tokens, Function<String, FieldDef> lookup, Set<String> fieldsRead) {
        this.tokens = tokens;
        this.lookup = lookup;
        this.fieldsRead = fieldsRead;
    }

    /** Parses {@code text}, resolving names with {@code lookup} (the registry, or a test's own fields). */
    static FilterNode parse(String text, Function<String, FieldDef> lookup) throws DisplayFilterException {
        return parse(text, lookup, new HashSet<>());
    }

    /** {@link #parse(String, Function)}, adding to {@code fieldsRead} every field name the filter reads. */
    static FilterNode parse(String text, Function<String, FieldDef> lookup, Set<String> fieldsRead) throws DisplayFilterException {
        DisplayFilterParser parser = new DisplayFilterParser(DisplayFilterLexer.tokenize(text), lookup, fieldsRead);
        if (parser.peek().kind() == Kind.END) {
            return new FilterNode.MatchAll();
        }
        FilterNode filter = parser.or();
        Token extra = parser.peek();
        if (extra.kind() != Kind.END) {
            throw switch (extra.kind()) {
                case RPAREN -> error("\")\" has no matching \"(\"", extra);
                case COMPARE -> error("unexpected " + extra.shown() + ": the left side of a comparison must be a field, "
                        + "not another comparison", extra);
                default -> error("unexpected " + extra.shown() + " after a complete expression; join conditions with "
                        + "\"and\" or \"or\"", extra);
            };
        }
        return filter;
    }

    // ---- logic ----

    private FilterNode or() throws DisplayFilterException {
        FilterNode left = and();
        while (peek().kind() == Kind.OR) {
            next();
            left = new FilterNode.Or(left, and());
        }
        return left;
    }

    private FilterNode and() throws DisplayFilterException {
        FilterNode left = unary();
        while (peek().kind() == Kind.AND) {
            next();
            left = new FilterNode.And(left, unary());
        }
        return left;
    }

    private FilterNode unary() throws DisplayFilterException {
        Token token = peek();
        switch (token.kind()) {
            case NOT -> {
                next();
                return new FilterNode.Not(unary());
            }
            case LPAREN -> {
                next();
                FilterNode inner = or();
                Token close = peek();
                if (close.kind() != Kind.RPAREN) {
                    throw error("expected \")\" to close the \"(\" at column " + token.column()
                            + (close.kind() == Kind.END ? "" : ", found " + close.shown()), close);
                }
                next();
                return inner;
            }
            case WORD -> {
                return relation();
            }
            default -> throw expectedOperand(token);
        }
    }

    private DisplayFilterException expectedOperand(Token found) {
        String expected = "expected a field, \"!\" or \"(\"";
        Token before = previous();
        if (found.kind() == Kind.END) {
            return error(expected + (before == null ? "" : " after " + before.shown()), found);
        }
        return error(expected + ", found " + found.shown(), found);
    }

    // ---- relations ----

    private FilterNode relation() throws DisplayFilterException {
        Token quantifier = null;
        Token first = peek();
        if ((first.text().equals("any") || first.text().equals("all")) && lookup.apply(first.text()) == null
                && peekAt(1).kind() == Kind.WORD) {
            quantifier = next();
        }
        Token nameToken = next();
        FieldRef field = field(nameToken);
        BytesAccess slice = slice(field);
        Token operator = peek();

        if (operator.kind() == Kind.COMPARE || operator.text().equals("contains")) {
            next();
            Op op = op(operator);
            boolean every = quantifier != null ? quantifier.text().equals("all") : everyOccurrence(operator);
            Access access = access(field, slice, nameToken);
            Token operand = peek();
            if (operand.kind() != Kind.WORD && operand.kind() != Kind.STRING) {
                throw error("expected a value after " + operator.shown()
                        + (operand.kind() == Kind.END ? "" : ", found " + operand.shown()), operand);
            }
            next();
            if (operand.kind() == Kind.WORD && lookup.apply(operand.text()) != null) {
                return compareFields(field, access, nameToken, op, every, operand, operator);
            }
            return new FilterNode.Compare(field, test(field, access, op, operand, operator), every);
        }
        if (operator.text().equals("in") || (operator.kind() == Kind.NOT && peekAt(1).text().equals("in"))) {
            boolean negated = operator.kind() == Kind.NOT;
            if (negated) {
                next();
            }
            Token in = next();
            Access access = access(field, slice, nameToken);
            boolean every = quantifier != null && quantifier.text().equals("all");
            FilterNode membership = new FilterNode.Compare(field, set(field, access, in), every);
            return negated ? new FilterNode.Not(membership) : membership;
        }
        if (operator.text().equals("matches")) {
            throw error("\"matches\" (regular expressions) is not supported; use \"contains\" or \"==\"", operator);
        }
        if (quantifier != null) {
            throw error("expected a comparison after " + quantifier.shown() + " " + nameToken.shown(), operator);
        }
        if (slice != null) {
            throw error("expected a comparison after the slice of " + nameToken.shown(), operator);
        }
        return new FilterNode.Exists(field);
    }

    private FieldRef field(Token token) throws DisplayFilterException {
        FieldDef def = lookup.apply(token.text());
        if (def == null) {
            char first = token.text().charAt(0);
            if (Character.isDigit(first) || first == '-') {
                throw error("expected a field or protocol name, found the value " + token.shown()
                        + " (the field goes on the left of a comparison)", token);
            }
            throw error(token.shown() + " is neither a field nor a protocol name", token);
        }
        String[] alsoNames = EitherDirectionFields.sources(def.name());
        fieldsRead.add(def.name());
        fieldsRead.addAll(List.of(alsoNames));
        return new FieldRef(def, alsoNames);
    }

    private static Op op(Token operator) {
        return switch (operator.text()) {
            case "==", "eq", "any_eq", "===", "all_eq" -> Op.EQ;
            case "!=", "ne", "all_ne", "!==", "~=", "any_ne" -> Op.NE;
            case "<", "lt" -> Op.LT;
            case ">", "gt" -> Op.GT;
            case "<=", "le" -> Op.LE;
            case ">=", "ge" -> Op.GE;
            case "contains" -> Op.CONTAINS;
            default -> throw new IllegalStateException("lexer produced unknown operator " + operator.text());
        };
    }

    /**
     * Wireshark 4.0: "!=" means "no occurrence equals" (all_ne), "===" means "every occurrence equals";
     * "!==" is any_ne there, like "~=" (tshark 4.0.17: ip.addr !== 10.0.0.1 selects every IPv4 frame).
     */
    private static boolean everyOccurrence(Token operator) {
        return switch (operator.text()) {
            case "!=", "ne", "all_ne", "===", "all_eq" -> true;
            default -> false;
        };
    }

    /** An optional {@code [start:length]}, {@code [start-end]}, {@code [start]}, {@code [start:]} or {@code [:length]}. */
    private BytesAccess slice(FieldRef field) throws DisplayFilterException {
        if (peek().kind() != Kind.LBRACKET) {
            return null;
        }
        Token open = next();
        Token range = peek();
        if (range.kind() != Kind.WORD) {
            throw error("expected a byte range such as 0:3 after \"[\"", range);
        }
        next();
        Token close = peek();
        if (close.kind() != Kind.RBRACKET) {
            throw error("expected \"]\" to close the \"[\" at column " + open.column(), close);
        }
        next();
        switch (field.def.type()) {
            case BYTES, PROTOCOL, MAC, IPV4, IPV6, STRING -> {
            }
            default -> throw error("\"" + field.name + "\" is a " + typeName(field.def.type())
                    + " and cannot be sliced into bytes", open);
        }
        String text = range.text();
        try {
            int colon = text.indexOf(':');
            if (colon >= 0) {
                int start = colon == 0 ? 0 : Integer.parseInt(text.substring(0, colon));
                int length = colon == text.length() - 1 ? -1 : Integer.parseInt(text.substring(colon + 1));
                if (length == 0 || length < -1) {
                    throw new NumberFormatException();
                }
                return new BytesAccess(start, length);
            }
            int dash = text.indexOf('-', 1);
            if (dash > 0) {
                int start = Integer.parseInt(text.substring(0, dash));
                int end = Integer.parseInt(text.substring(dash + 1));
                if (start < 0 || end < start) {
                    throw new NumberFormatException();
                }
                return new BytesAccess(start, end - start + 1);
            }
            return new BytesAccess(Integer.parseInt(text), 1);
        } catch (NumberFormatException badRange) {
            throw error(range.shown() + " is not a valid byte range (write start:length, start-end or an index)", range);
        }
    }

    /** How comparisons read this field (a slice always reads bytes). */
    private static Access access(FieldRef field, BytesAccess slice, Token nameToken) throws DisplayFilterException {
        if (slice != null) {
            return slice;
        }
        return switch (field.def.type()) {
            case UINT, FRAMENUM -> new IntegerAccess(false, false, -1L);
            case INT, TIME_NANOS -> new IntegerAccess(true, false, -1L);
            case BOOLEAN -> new IntegerAccess(false, true, -1L);
            case MAC -> new IntegerAccess(false, false, 0xFFFF_FFFF_FFFFL);
            case IPV4 -> new IntegerAccess(false, false, 0xFFFF_FFFFL);
            case BYTES, PROTOCOL, IPV6 -> BytesAccess.WHOLE;
            case STRING -> new StringAccess();
            case NONE -> throw error("\"" + field.name + "\" is a label without a value; it can only be tested for presence",
                    nameToken);
        };
    }

    /** The test of one occurrence against the constant {@code operand}, read as the field's type. */
    private static ValueTest test(FieldRef field, Access access, Op op, Token operand, Token operator) throws DisplayFilterException {
        FieldDef def = field.def;
        if (access instanceof BytesAccess bytes) {
            if (def.type() == FieldType.IPV6 && bytes == BytesAccess.WHOLE) {
                return new FilterNode.BytesTest(bytes, op, FilterLiterals.ipv6(operand));
            }
            return new FilterNode.BytesTest(bytes, op, FilterLiterals.bytes(operand));
        }
        if (access instanceof StringAccess) {
            return new FilterNode.StringTest(op, FilterLiterals.string(operand));
        }
        IntegerAccess integer = (IntegerAccess) access;
        if (op == Op.CONTAINS) {
            throw error("\"" + def.name() + "\" is a " + typeName(def.type()) + "; \"contains\" works only on bytes and strings",
                    operator);
        }
        return switch (def.type()) {
            case BOOLEAN -> new FilterNode.IntegerTest(integer, op, FilterLiterals.flag(operand, def), -1L);
            case INT -> new FilterNode.IntegerTest(integer, op, FilterLiterals.signedInteger(operand, def), -1L);
            case TIME_NANOS -> new FilterNode.IntegerTest(integer, op, FilterLiterals.seconds(operand, def), -1L);
            case MAC -> new FilterNode.IntegerTest(integer, op, FilterLiterals.mac(operand), -1L);
            case IPV4 -> {
                FilterLiterals.Ipv4Literal address = FilterLiterals.ipv4(operand);
                // A prefix compares only the network part, for ordering too (as Wireshark's IPv4 compare does).
                yield new FilterNode.IntegerTest(integer, op, address.address(), address.mask());
            }
            default -> new FilterNode.IntegerTest(integer, op, FilterLiterals.unsignedInteger(operand, def), -1L);
        };
    }

    private FilterNode compareFields(FieldRef left, Access leftAccess, Token leftToken, Op op, boolean every,
                                     Token rightToken, Token operator) throws DisplayFilterException {
        FieldRef right = field(rightToken);
        BytesAccess rightSlice = slice(right);
        Access rightAccess = access(right, rightSlice, rightToken);
        boolean compatible = leftAccess.getClass() == rightAccess.getClass()
                && (!(leftAccess instanceof IntegerAccess) || group(left.def.type()) == group(right.def.type()));
        if (!compatible) {
            throw error("\"" + left.name + "\" and \"" + right.name + "\" are not of compatible types ("
                    + typeName(left.def.type()) + " and " + typeName(right.def.type()) + ")", rightToken);
        }
        if (op == Op.CONTAINS && leftAccess instanceof IntegerAccess) {
            throw error("\"" + left.name + "\" is a " + typeName(left.def.type()) + "; \"contains\" works only on bytes and strings",
                    operator);
        }
        return new FilterNode.CompareFields(left, leftAccess, right, rightAccess, op, every);
    }

    /** Types that compare with one another: plain numbers together; each address and time kind alone. */
    private static FieldType group(FieldType type) {
        return type == FieldType.INT || type == FieldType.FRAMENUM ? FieldType.UINT : type;
    }

    /** {@code { member, member, low..high }}: the members' tests, any of which may pass. */
    private ValueTest set(FieldRef field, Access access, Token in) throws DisplayFilterException {
        Token open = peek();
        if (open.kind() != Kind.LBRACE) {
            throw error("expected \"{\" after " + in.shown() + ", as in tcp.port in {80, 443}", open);
        }
        next();
        List<ValueTest> members = new ArrayList<>();
        while (true) {
            Token member = peek();
            if (member.kind() != Kind.WORD && member.kind() != Kind.STRING) {
                throw error("expected a value in the set" + (member.kind() == Kind.END ? "" : ", found " + member.shown()), member);
            }
            next();
            members.add(member(field, access, member));
            Token after = peek();
            if (after.kind() == Kind.RBRACE) {
                next();
                return new FilterNode.AnyOf(members);
            }
            if (after.kind() == Kind.WORD || after.kind() == Kind.STRING) {
                // Wireshark 3 took {53 67}; Wireshark 4, whose syntax this is, wants commas and rejects it, as tshark 4.0 does.
                String first = member.kind() == Kind.STRING ? member.shown() : member.text();
                String second = after.kind() == Kind.STRING ? after.shown() : after.text();
                throw error("set members are separated by commas: write {" + first + ", " + second + "} rather than {" + first + " "
                        + second + "} (the set starts at column " + open.column() + ")", after);
            }
            if (after.kind() != Kind.COMMA) {
                throw error("expected \",\" or \"}\" after " + member.shown() + " in the set starting at column "
                        + open.column() + (after.kind() == Kind.END ? "" : ", found " + after.shown()), after);
            }
            next();
        }
    }

    /** One member of a set; {@code low..high} (also written with spaces around the dots) is a range. */
    private ValueTest member(FieldRef field, Access access, Token member) throws DisplayFilterException {
        Token low = member;
        Token high = null;
        String text = member.text();
        int dots = member.kind() == Kind.WORD ? text.indexOf("..") : -1;
        if (dots >= 0) {
            low = dots == 0 ? null : new Token(Kind.WORD, text.substring(0, dots), member.column(), dots);
            String rest = text.substring(dots + 2);
            high = rest.isEmpty() ? null : new Token(Kind.WORD, rest, member.column() + dots + 2, rest.length());
            if (low == null) {
                throw error("a range in a set needs a lower bound before \"..\"", member);
            }
            if (high == null) {
                Token next = peek();
                if (next.kind() != Kind.WORD && next.kind() != Kind.STRING) {
                    throw error("expected the upper bound of the range after \"..\"", next);
                }
                high = next();
            }
        } else if (peek().kind() == Kind.WORD && peek().text().startsWith("..")) {
            Token dotted = next();
            String rest = dotted.text().substring(2);
            if (rest.isEmpty()) {
                Token next = peek();
                if (next.kind() != Kind.WORD && next.kind() != Kind.STRING) {
                    throw error("expected the upper bound of the range after \"..\"", next);
                }
                high = next();
            } else {
                high = new Token(Kind.WORD, rest, dotted.column() + 2, rest.length());
            }
        }
        if (high == null) {
            return test(field, access, Op.EQ, low, member);
        }
        return new FilterNode.Between(test(field, access, Op.GE, low, member), test(field, access, Op.LE, high, member));
    }

    private static String typeName(FieldType type) {
        return switch (type) {
            case PROTOCOL -> "protocol";
            case NONE -> "label";
            case UINT, INT -> "number";
            case BOOLEAN -> "flag";
            case MAC -> "MAC address";
            case IPV4 -> "IPv4 address";
            case IPV6 -> "IPv6 address";
            case BYTES -> "byte string";
            case STRING -> "string";
            case FRAMENUM -> "frame number";
            case TIME_NANOS -> "time";
        };
    }

    // ---- tokens ----

    private Token peek() {
        return tokens.get(position);
    }

    private Token peekAt(int ahead) {
        return tokens.get(Math.min(position + ahead, tokens.size() - 1));
    }

    private Token next() {
        Token token = tokens.get(position);
        if (token.kind() != Kind.END) {
            position++;
        }
        return token;
    }

    private Token previous() {
        return position == 0 ? null : tokens.get(position - 1);
    }

    private static DisplayFilterException error(String problem, Token at) {
        return new DisplayFilterException(problem, at.column(), at.length());
    }
}
