package dev.stacklab.dissect;

import java.util.function.Supplier;

/**
 * A string field's value that is costly to make (a formatted date, a walk over the finished tree) and rarely
 * read: made the first time it is printed or filtered on, then kept. A frame's tree is built for every frame of
 * a capture, and most of those values are never looked at.
 */
final class LazyString {
    private final Supplier<String> make;
    private String value;

    LazyString(Supplier<String> make) {
        this.make = make;
    }

    @Override
    public String toString() {
        if (value == null) {
            value = make.get();
        }
        return value;
    }
}
