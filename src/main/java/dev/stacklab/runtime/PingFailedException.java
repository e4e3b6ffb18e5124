package dev.stacklab.runtime;

import dev.stacklab.stack.PingOutcome;

/** A ping ended without a reply; the message is the line iputils would print, the outcome says exactly how. */
public final class PingFailedException extends Exception {
    private final transient PingOutcome outcome;

    public PingFailedException(String message, PingOutcome outcome) {
        super(message);
        this.outcome = outcome;
    }

    public PingOutcome outcome() {
        return outcome;
    }
}
