package dev.stacklab.link;

/**
 * Receives what a {@link Link} reports besides frames. Called on whichever thread noticed (the reader thread,
 * the thread that called {@code send}, a scheduler thread), so it must be thread-safe and must not block:
 * queue the event and return.
 */
@FunctionalInterface
public interface LinkEventListener {
    LinkEventListener IGNORE = event -> { };

    void linkEvent(LinkEvent event);
}
