package dev.stacklab.testsupport;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PrerequisitesTest {
    @Test
    void findsACommandOnThePath() {
        assertThat(Prerequisites.requireCommand("sh")).isExecutable();
    }

    @Test
    void aMissingCommandSkipsOrFailsWhenRequired() {
        Class<? extends Throwable> expected = Prerequisites.required() ? AssertionFailedError.class : TestAbortedException.class;
        assertThatThrownBy(() -> Prerequisites.requireCommand("stacklab-no-such-command"))
                .isInstanceOf(expected)
                .hasMessageContaining("stacklab-no-such-command is not installed");
    }
}
