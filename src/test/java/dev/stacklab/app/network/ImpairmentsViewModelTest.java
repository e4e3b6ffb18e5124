package dev.stacklab.app.network;

import dev.stacklab.app.AppContext;
import dev.stacklab.app.TestPatience;
import dev.stacklab.capture.CapturedFrame;
import dev.stacklab.runtime.LabSession;
import dev.stacklab.runtime.SimulatedLanSession;
import dev.stacklab.runtime.StackRunner;
import dev.stacklab.stack.PingOutcome;
import dev.stacklab.stack.PingRequest;
import javafx.beans.property.SimpleObjectProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** The Link pane's view-model on the real simulated LAN, without an FX thread. */
class ImpairmentsViewModelTest {
    private final SimpleObjectProperty<LabSession> session = new SimpleObjectProperty<>();
    private final CollectingNotifier notifier = new CollectingNotifier();
    private final ImpairmentsViewModel viewModel = new ImpairmentsViewModel(new AppContext(session, notifier, filter -> { }));
    private SimulatedLanSession lan;

    @AfterEach
    void close() {
        if (lan != null) {
            lan.close();
        }
    }

    private PingOutcome pingServer(int sequence, Duration timeout) throws Exception {
        StackRunner ours = lan.stack().orElseThrow();
        return ours.ping(new PingRequest(SimulatedLanSession.GATEWAY, 0x7070, sequence, 56, 64, timeout.toNanos()))
                .get(timeout.toMillis() + 5000, TimeUnit.MILLISECONDS);
    }

    @Test
    void withoutANetworkThePaneIsDisabledAndSaysWhy() {
        assertThat(viewModel.enabledProperty().get()).isFalse();
        assertThat(viewModel.disabledReasonProperty().get()).startsWith("No network is running");
    }

    @Test
    void onARealWireThePaneIsDisabledAndNamesNetem() {
        session.set(new LabSession() {
            @Override
            public String name() {
                return "eth0 (watch only)";
            }

            @Override
            public Optional<StackRunner> stack() {
                return Optional.empty();
            }

            @Override
            public void addCaptureListener(Consumer<CapturedFrame> listener) {
            }

            @Override
            public void removeCaptureListener(Consumer<CapturedFrame> listener) {
            }

            @Override
            public void close() {
            }
        });

        assertThat(viewModel.enabledProperty().get()).isFalse();
        assertThat(viewModel.disabledReasonProperty().get()).startsWith("eth0 (watch only) is a real wire").contains("netem");
    }

    @Test
    void changesApplyAtOnceToTheRunningLanAndResetRestoresIt() throws Exception {
        lan = SimulatedLanSession.start();
        session.set(lan);
        assertThat(viewModel.enabledProperty().get()).isTrue();
        assertThat(viewModel.summaryProperty().get()).startsWith("No impairment");
        // A reply is waited for as long as a loaded machine may need (the first one resolves the server with ARP too).
        assertThat(pingServer(1, TestPatience.WAIT)).isInstanceOf(PingOutcome.Reply.class);

        viewModel.lossPercentProperty().set(100);

        assertThat(lan.impairments().loss()).isEqualTo(1.0);
        assertThat(viewModel.summaryProperty().get()).isEqualTo("In effect, both ways: loss 100 %");
        assertThat(pingServer(2, Duration.ofMillis(500))).isInstanceOf(PingOutcome.Timeout.class);

        viewModel.reset();

        assertThat(lan.impairments().isNone()).isTrue();
        assertThat(viewModel.lossPercentProperty().get()).isZero();
        assertThat(pingServer(3, TestPatience.WAIT)).isInstanceOf(PingOutcome.Reply.class);
    }

    @Test
    void everyValueReachesTheLanInItsUnitAndOutOfRangeValuesAreClamped() {
        lan = SimulatedLanSession.start();
        session.set(lan);

        viewModel.delayMillisProperty().set(40);
        viewModel.jitterMillisProperty().set(5);
        viewModel.duplicatePercentProperty().set(2.5);
        viewModel.reorderPercentProperty().set(10);
        viewModel.corruptPercentProperty().set(250);

        assertThat(lan.impairments().delay()).isEqualTo(Duration.ofMillis(40));
        assertThat(lan.impairments().jitter()).isEqualTo(Duration.ofMillis(5));
        assertThat(lan.impairments().duplicate()).isEqualTo(0.025);
        assertThat(lan.impairments().reorder()).isEqualTo(0.1);
        assertThat(lan.impairments().corrupt()).isEqualTo(1.0);
        assertThat(viewModel.summaryProperty().get()).isEqualTo("In effect, both ways: delay 40 ± 5 ms, duplication 2.5 %,"
                + " reordering 10 % (held back 10 ms), corruption 100 %");
    }

    @Test
    void aNewLanShowsItsOwnSettings() {
        lan = SimulatedLanSession.start();
        session.set(lan);
        viewModel.lossPercentProperty().set(30);

        session.set(null);
        assertThat(viewModel.enabledProperty().get()).isFalse();
        SimulatedLanSession second = SimulatedLanSession.start();
        try {
            session.set(second);
            assertThat(viewModel.lossPercentProperty().get()).isZero();
            assertThat(second.impairments().isNone()).isTrue();
        } finally {
            second.close();
        }
    }
}
