package dev.stacklab.dissect;

/**
 * A display filter that cannot be compiled: a syntax error, an unknown field name, or a value that does
 * not fit the field it is compared with. Says what is wrong and where (1-based column), so a command
 * line can print it in one line and a text field can put the caret on it.
 */
public final class DisplayFilterException extends Exception {
    private final String problem;
    private final int column;
    private final int length;

    DisplayFilterException(String problem, int column, int length) {
        super(problem + " (column " + column + ")");
        this.problem = problem;
        this.column = column;
        this.length = Math.max(1, length);
    }

    /** What is wrong, without the position. */
    public String problem() {
        return problem;
    }

    /** The 1-based column where the offending text starts (one past the end when the filter stops too early). */
    public int column() {
        return column;
    }

    /** How many characters the offending text spans (at least 1). */
    public int length() {
        return length;
    }

    /** Two lines in tshark's manner: the filter, then a caret under the offending text ({@code ^~~~}). */
    public String pointer(String filterText) {
        return filterText + "\n" + " ".repeat(column - 1) + "^" + "~".repeat(length - 1);
    }
}
