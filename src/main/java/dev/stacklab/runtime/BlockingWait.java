package dev.stacklab.runtime;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waiting on a runner's future from a blocking facade, with every way it can go wrong turned into one
 * unchecked exception whose message a person can read (the runner stopped, the stack did not answer).
 */
final class BlockingWait {
    private BlockingWait() {
    }

    static <T> T await(CompletableFuture<T> future, Duration limit, String what) {
        try {
            return future.get(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException(what + " failed: " + Ping.rootMessage(cause), cause);
        } catch (TimeoutException e) {
            throw new IllegalStateException(what + ": the stack did not answer within " + limit.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + " was interrupted", e);
        }
    }
}
