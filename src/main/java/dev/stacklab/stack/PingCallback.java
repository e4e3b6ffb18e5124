package dev.stacklab.stack;

/** Told, on the stack's thread, how a ping ended. */
@FunctionalInterface
public interface PingCallback {
    void completed(PingRequest request, PingOutcome outcome);
}
