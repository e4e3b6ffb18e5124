package dev.stacklab.dissect;

/**
 * How to build a node's tree line from the node (its value, its children) and whatever the
 * dissector captured, run only when the line is shown ({@link FieldNode#displayLine()}). Most
 * trees are counted or filtered and never printed, so building every line eagerly would cost more
 * than the dissection itself.
 */
@FunctionalInterface
interface NodeText {
    /** The line without the generated-field brackets and bit pattern, which {@link FieldNode} adds. */
    String line(FieldNode node);
}
