package dev.stacklab.app;

import java.time.Duration;

/**
 * How long a test waits for what another thread or a later pulse makes (a worker's result, an echo, a row laid out):
 * long, because a CI machine under load runs us many times slower than a developer's, and a wait only lasts this
 * long when the test is failing anyway. A test waits for the condition it asserts, never for a fixed time.
 */
public final class TestPatience {
    public static final Duration WAIT = Duration.ofSeconds(60);
    public static final long SECONDS = WAIT.toSeconds();

    private TestPatience() {
    }
}
