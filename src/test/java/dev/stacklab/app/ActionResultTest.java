package dev.stacklab.app;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ActionResultTest {
    private final ActionResult result = new ActionResult(this, "result");

    @Test
    void aLateResultOfAnOlderActionDoesNotReplaceANewerOnes() {
        long send = result.newAction();
        long read = result.newAction();
        result.show(read, "Read 18 bytes from #1");
        result.show(send, "Sent 18 bytes to 10.0.0.1:7");
        assertThat(result.get()).isEqualTo("Read 18 bytes from #1");
    }

    @Test
    void resultsInTheOrderTheActionsWereTakenAreEachShown() {
        long connect = result.newAction();
        result.show(connect, "Connecting to 10.0.0.1:7…");
        result.show(connect, "Connected to 10.0.0.1:7 from port 49152");
        assertThat(result.get()).isEqualTo("Connected to 10.0.0.1:7 from port 49152");
        long send = result.newAction();
        long close = result.newAction();
        result.show(send, "Sent 5 bytes to 10.0.0.1:7");
        assertThat(result.get()).as("a newer action without a result yet does not hold an older one back")
                .isEqualTo("Sent 5 bytes to 10.0.0.1:7");
        result.show(close, "Closing: a FIN follows the data sent to 10.0.0.1:7");
        assertThat(result.get()).startsWith("Closing");
        result.showNow(null);
        result.show(close, "late");
        assertThat(result.get()).isNull();
    }
}
