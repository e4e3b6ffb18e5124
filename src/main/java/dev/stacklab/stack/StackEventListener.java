package dev.stacklab.stack;

/** Receives everything a {@link NetStack} does, on the thread that drives it. Must not block. */
@FunctionalInterface
public interface StackEventListener {
    StackEventListener NONE = event -> { };

    void onEvent(StackEvent event);
}
