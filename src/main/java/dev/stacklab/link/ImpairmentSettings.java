package dev.stacklab.link;

import java.time.Duration;
import java.util.Objects;

/**
 * What {@link Impairments} does to frames, in the terms of Linux netem: each probability is per frame, each
 * duration is added to the frame's delivery time.
 *
 * @param loss probability that a frame is dropped
 * @param delay fixed delay added to every frame
 * @param jitter every frame's delay varies uniformly within {@code delay ± jitter} (never below zero); as with
 *     netem, a jitter comparable to the gap between frames reorders them
 * @param duplicate probability that a frame is delivered twice (the copy gets its own jitter)
 * @param reorder probability that a frame is held back by {@code reorderDelay} more, so later frames overtake it
 * @param reorderDelay the extra delay of a reordered frame
 * @param corrupt probability that one bit of a frame is flipped
 */
public record ImpairmentSettings(double loss, Duration delay, Duration jitter, double duplicate, double reorder,
        Duration reorderDelay, double corrupt) {

    /** The extra delay a reordered frame gets when none is given: long enough to be overtaken on a busy link. */
    public static final Duration DEFAULT_REORDER_DELAY = Duration.ofMillis(10);

    /** No impairment at all. */
    public static final ImpairmentSettings NONE =
            new ImpairmentSettings(0, Duration.ZERO, Duration.ZERO, 0, 0, DEFAULT_REORDER_DELAY, 0);

    /**
     * @throws IllegalArgumentException naming the parameter and its value when a probability is outside 0..1
     *     or a duration is negative
     */
    public ImpairmentSettings {
        requireProbability("loss", loss);
        requireProbability("duplicate", duplicate);
        requireProbability("reorder", reorder);
        requireProbability("corrupt", corrupt);
        requireDuration("delay", delay);
        requireDuration("jitter", jitter);
        requireDuration("reorderDelay", reorderDelay);
    }

    private static void requireProbability(String parameter, double value) {
        // Written so that NaN fails too.
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(parameter + " must be a probability between 0 and 1, got " + value);
        }
    }

    private static void requireDuration(String parameter, Duration value) {
        Objects.requireNonNull(value, parameter);
        if (value.isNegative()) {
            throw new IllegalArgumentException(parameter + " must not be negative, got " + value);
        }
    }

    public ImpairmentSettings withLoss(double value) {
        return new ImpairmentSettings(value, delay, jitter, duplicate, reorder, reorderDelay, corrupt);
    }

    public ImpairmentSettings withDelay(Duration value) {
        return new ImpairmentSettings(loss, value, jitter, duplicate, reorder, reorderDelay, corrupt);
    }

    public ImpairmentSettings withJitter(Duration value) {
        return new ImpairmentSettings(loss, delay, value, duplicate, reorder, reorderDelay, corrupt);
    }

    public ImpairmentSettings withDuplicate(double value) {
        return new ImpairmentSettings(loss, delay, jitter, value, reorder, reorderDelay, corrupt);
    }

    public ImpairmentSettings withReorder(double value) {
        return new ImpairmentSettings(loss, delay, jitter, duplicate, value, reorderDelay, corrupt);
    }

    public ImpairmentSettings withReorderDelay(Duration value) {
        return new ImpairmentSettings(loss, delay, jitter, duplicate, reorder, value, corrupt);
    }

    public ImpairmentSettings withCorrupt(double value) {
        return new ImpairmentSettings(loss, delay, jitter, duplicate, reorder, reorderDelay, value);
    }

    /** Whether every frame passes unchanged and at once (the reorder delay alone changes nothing). */
    public boolean isNone() {
        return loss == 0 && delay.isZero() && jitter.isZero() && duplicate == 0 && reorder == 0 && corrupt == 0;
    }
}
