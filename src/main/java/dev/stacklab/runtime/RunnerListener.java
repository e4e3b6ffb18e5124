package dev.stacklab.runtime;

import dev.stacklab.link.LinkEvent;
import dev.stacklab.stack.StackEvent;

/**
 * Everything a {@link StackRunner} reports, all on the runner's own thread and in the order it happened there,
 * so a UI can drain one stream. Every method must return quickly and never block: the runner thread is the
 * stack's only thread, and while a listener waits, no frame is answered.
 */
public interface RunnerListener {
    /** What the engine did (frames in and out, drops, neighbor changes, ping results). */
    default void stackEvent(StackEvent event) {
    }

    /** What the link reported (errors, impairments); moved from the link's threads to the runner thread. */
    default void linkEvent(LinkEvent event) {
    }

    /**
     * The engine threw, or the runner had to drop something. {@code cause} is null for problems that are not
     * exceptions (e.g. "inbox full"). The runner goes on unless the message says it stopped.
     */
    default void problem(String message, Throwable cause) {
    }
}
