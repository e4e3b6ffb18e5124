package dev.stacklab.app.network;

import dev.stacklab.link.LinkException;
import dev.stacklab.runtime.InterfaceSession;
import dev.stacklab.runtime.LabSession;
import dev.stacklab.runtime.SimulatedLanSession;
import dev.stacklab.runtime.StackRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The network bar's view-model with plain JUnit: no FX thread, the real simulated LAN. */
class NetworkBarViewModelTest {
    private final CollectingNotifier notifier = new CollectingNotifier();
    private final FxQueue fx = new FxQueue();
    private final List<NetworkBarViewModel> made = new ArrayList<>();

    @AfterEach
    void shutDown() {
        made.forEach(NetworkBarViewModel::shutdown);
    }

    /** Made and begun, as the app does once its window is up. */
    private NetworkBarViewModel viewModel(NetworkEnvironment environment) {
        NetworkBarViewModel viewModel = made(environment);
        viewModel.begin(null);
        return viewModel;
    }

    private NetworkBarViewModel made(NetworkEnvironment environment) {
        NetworkBarViewModel viewModel = new NetworkBarViewModel(notifier, environment, fx);
        made.add(viewModel);
        return viewModel;
    }

    private void awaitListed(NetworkBarViewModel viewModel) throws InterruptedException {
        fx.runUntil(() -> !viewModel.listingProperty().get(), "the networks listed");
    }

    private void awaitState(NetworkBarViewModel viewModel, NetworkBarViewModel.State state) throws InterruptedException {
        fx.runUntil(() -> viewModel.stateProperty().get() == state, "state " + state);
    }

    @Test
    void madeItAsksNothingOfTheMachineAndRunsNothingUntilBegin() throws Exception {
        NetworkEnvironment untouchable = new TestEnvironment(false) {
            @Override
            public java.util.List<dev.stacklab.link.InterfaceInfo> interfaces() {
                throw new AssertionError("listed before begin");
            }

            @Override
            public boolean canCapture() {
                throw new AssertionError("asked before begin");
            }
        };
        NetworkBarViewModel viewModel = made(untouchable);

        assertThat(viewModel.choices()).extracting(NetworkChoice::id).containsExactly("simulated");
        assertThat(viewModel.selectedNetworkIdProperty().get()).isEqualTo("simulated");
        assertThat(viewModel.stateProperty().get()).isEqualTo(NetworkBarViewModel.State.STOPPED);
        assertThat(viewModel.listingProperty().get()).isTrue();
        assertThat(viewModel.statusProperty().get()).isEqualTo("Starting…");
        assertThat(viewModel.startDisabledProperty().get()).isTrue();
        assertThat(viewModel.sessionProperty().get()).isNull();
    }

    @Test
    void beginStartsTheSimulatedLanAndListsTheNetworksOffTheFxThread() throws Exception {
        Thread test = Thread.currentThread();
        List<Thread> listedOn = new java.util.concurrent.CopyOnWriteArrayList<>();
        NetworkBarViewModel viewModel = viewModel(new TestEnvironment(false) {
            @Override
            public java.util.List<dev.stacklab.link.InterfaceInfo> interfaces() {
                listedOn.add(Thread.currentThread());
                return super.interfaces();
            }
        });

        assertThat(viewModel.stateProperty().get()).isEqualTo(NetworkBarViewModel.State.STARTING);
        assertThat(viewModel.statusProperty().get()).isEqualTo("Starting the simulated LAN…");
        awaitState(viewModel, NetworkBarViewModel.State.RUNNING);

        assertThat(viewModel.sessionProperty().get()).isInstanceOf(SimulatedLanSession.class);
        assertThat(viewModel.selectedNetworkIdProperty().get()).isEqualTo("simulated");
        assertThat(viewModel.ourAddressProperty().get()).isEqualTo("10.0.0.2/24 · 02:00:00:00:00:02");
        assertThat(viewModel.startDisabledProperty().get()).isTrue();
        assertThat(viewModel.stopDisabledProperty().get()).isFalse();
        assertThat(viewModel.statusProperty().get()).isEmpty();
        assertThat(notifier.errors).isEmpty();
        awaitListed(viewModel);
        assertThat(viewModel.choices()).hasSize(5);
        assertThat(listedOn).singleElement().isNotSameAs(test);
        assertThat(viewModel.selectedNetworkIdProperty().get()).isEqualTo("simulated");
        assertThat(viewModel.stateProperty().get()).isEqualTo(NetworkBarViewModel.State.RUNNING);
    }

    @Test
    void theSimulatedLanRunsWhileTheInterfacesAreStillBeingListed() throws Exception {
        java.util.concurrent.CountDownLatch listingMayEnd = new java.util.concurrent.CountDownLatch(1);
        NetworkBarViewModel viewModel = made(new TestEnvironment(false) {
            @Override
            public java.util.List<dev.stacklab.link.InterfaceInfo> interfaces() {
                try {
                    listingMayEnd.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.interfaces();
            }
        });
        viewModel.begin(null);
        try {
            awaitState(viewModel, NetworkBarViewModel.State.RUNNING);
            assertThat(viewModel.listingProperty().get()).isTrue();
            assertThat(viewModel.choices()).extracting(NetworkChoice::id).containsExactly("simulated");
        } finally {
            listingMayEnd.countDown();
        }
        awaitListed(viewModel);
        assertThat(viewModel.choices()).hasSize(5);
        assertThat(viewModel.stateProperty().get()).isEqualTo(NetworkBarViewModel.State.RUNNING);
    }

    @Test
    void theNetworkUsedLastIsChosenAgainOnceListed() throws Exception {
        NetworkBarViewModel viewModel = made(new TestEnvironment(true));
        viewModel.begin("watch:eth0");

        assertThat(viewModel.stateProperty().get()).isEqualTo(NetworkBarViewModel.State.STOPPED);
        assertThat(viewModel.statusProperty().get()).isEmpty();
        awaitListed(viewModel);
        assertThat(viewModel.selectedNetworkIdProperty().get()).isEqualTo("watch:eth0");
        // Watch-only waits for Start (a capture filter first); the simulated LAN never started in between.
        assertThat(viewModel.stateProperty().get()).isEqualTo(NetworkBarViewModel.State.STOPPED);
        assertThat(viewModel.sessionProperty().get()).isNull();
    }

    @Test
    void aNetworkUsedLastThatCannotBeUsedNowFallsBackToTheSimulatedLan() throws Exception {
        NetworkBarViewModel viewModel = made(new TestEnvironment(false));
        viewModel.begin("interface:eth0");

        awaitListed(viewModel);
        assertThat(viewModel.selectedNetworkIdProperty().get()).isEqualTo("simulated");
        awaitState(viewModel, NetworkBarViewModel.State.RUNNING);
        assertThat(viewModel.sessionProperty().get()).isInstanceOf(SimulatedLanSession.class);
    }

    @Test
    void networksThatCannotBeListedAreANotificationAndTheSimulatedLanStillRuns() throws Exception {
        NetworkBarViewModel viewModel = made(new TestEnvironment(true) {
            @Override
            public java.util.List<dev.stacklab.link.InterfaceInfo> interfaces() {
                throw new UnsatisfiedLinkError("libjnidispatch.so: cannot open shared object file");
            }
        });
        viewModel.begin("lab");

        awaitState(viewModel, NetworkBarViewModel.State.RUNNING);
        assertThat(viewModel.sessionProperty().get()).isInstanceOf(SimulatedLanSession.class);
        assertThat(viewModel.listingProperty().get()).isFalse();
        assertThat(notifier.errors).singleElement().satisfies(error -> {
            assertThat(error.problem()).startsWith("Cannot list this machine's network interfaces").contains("libjnidispatch.so");
            assertThat(error.fix()).startsWith("The simulated LAN works without them");
        });
    }

    @Test
    void withoutPrivilegesRealNetworksAreListedGreyedOutWithTheReasonAndTheFix() throws Exception {
        NetworkBarViewModel viewModel = viewModel(new TestEnvironment(false));
        awaitListed(viewModel);

        assertThat(viewModel.choices()).extracting(NetworkChoice::id)
                .containsExactly("simulated", "lab", "interface:eth0", "watch:eth0", "tap:tap0");
        assertThat(viewModel.choices().get(0).available()).isTrue();
        NetworkChoice lab = viewModel.choices().get(1);
        assertThat(lab.available()).isFalse();
        assertThat(lab.unavailableReason()).contains("needs root");
        assertThat(lab.fix()).contains("sudo -E java -jar target/stacklab.jar")
                .contains("sudo setcap cap_net_raw,cap_net_admin=eip $(readlink -f $(which java))")
                .contains("unshare -rn");
        NetworkChoice eth0 = viewModel.choices().get(2);
        assertThat(eth0.label()).isEqualTo("eth0 — 192.168.1.20/24");
        assertThat(eth0.available()).isFalse();
        assertThat(eth0.unavailableReason()).isEqualTo("needs root or CAP_NET_RAW to send and capture");
        assertThat(eth0.fix()).contains("sudo -E java -jar target/stacklab.jar").contains("setcap");
        assertThat(viewModel.choices().get(3).available()).isFalse();
        assertThat(viewModel.choices().get(4).label()).startsWith("tap0 — TAP device");
        assertThat(viewModel.privilegeHintProperty().get()).contains("sudo -E java -jar target/stacklab.jar");

        // What the shell remembered cannot be used now: the simulated LAN stays.
        assertThat(viewModel.select("interface:eth0")).isFalse();
        assertThat(viewModel.selectedNetworkIdProperty().get()).isEqualTo("simulated");
        awaitState(viewModel, NetworkBarViewModel.State.RUNNING);
        assertThat(viewModel.sessionProperty().get()).isInstanceOf(SimulatedLanSession.class);
    }

    @Test
    void startingAGreyedOutNetworkAnywayIsANotificationWithTheFix() throws Exception {
        NetworkBarViewModel viewModel = viewModel(new TestEnvironment(false));
        awaitListed(viewModel);
        awaitState(viewModel, NetworkBarViewModel.State.RUNNING);
        viewModel.stop();
        awaitState(viewModel, NetworkBarViewModel.State.STOPPED);

        viewModel.selectedChoiceProperty().set(viewModel.choices().get(1));
        assertThat(viewModel.unavailableReasonProperty().get()).contains("needs root").contains("unshare -rn");
        assertThat(viewModel.startDisabledProperty().get()).isTrue();
        viewModel.start();

        assertThat(notifier.errors).singleElement().satisfies(error -> {
            assertThat(error.problem()).startsWith("Lab network").contains("needs root");
            assertThat(error.fix()).contains("sudo -E java -jar target/stacklab.jar");
        });
        assertThat(viewModel.stateProperty().get()).isEqualTo(NetworkBarViewModel.State.STOPPED);
    }

    @Test
    void withPrivilegesEveryNetworkIsAvailableAndNoHintShows() throws Exception {
        NetworkBarViewModel viewModel = viewModel(new TestEnvironment(true));
        awaitListed(viewModel);

        assertThat(viewModel.choices()).allSatisfy(choice -> assertThat(choice.available()).isTrue());
        assertThat(viewModel.privilegeHintProperty().get()).isEmpty();
        assertThat(viewModel.select("watch:eth0")).isTrue();
        assertThat(viewModel.selectedNetworkIdProperty().get()).isEqualTo("watch:eth0");
    }

    @Test
    void stopClosesTheSessionAndStartOpensAFreshOne() throws Exception {
        NetworkBarViewModel viewModel = viewModel(new TestEnvironment(false));
        awaitState(viewModel, NetworkBarViewModel.State.RUNNING);
        LabSession first = viewModel.sessionProperty().get();
        StackRunner firstStack = first.stack().orElseThrow();

        viewModel.stop();
        assertThat(viewModel.sessionProperty().get()).isNull();
        assertThat(viewModel.ourAddressProperty().get()).isEqualTo("—");
        awaitState(viewModel, NetworkBarViewModel.State.STOPPED);
        assertThat(firstStack.isRunning()).isFalse();

        viewModel.start();
        awaitState(viewModel, NetworkBarViewModel.State.RUNNING);
        assertThat(viewModel.sessionProperty().get()).isNotNull().isNotSameAs(first);
    }

    @Test
    void choosingAnInterfaceStopsTheLanAndWaitsForValidSettings() throws Exception {
        NetworkBarViewModel viewModel = viewModel(new TestEnvironment(true));
        awaitListed(viewModel);
        awaitState(viewModel, NetworkBarViewModel.State.RUNNING);
        StackRunner lanStack = viewModel.sessionProperty().get().stack().orElseThrow();

        assertThat(viewModel.select("interface:eth0")).isTrue();
        awaitState(viewModel, NetworkBarViewModel.State.STOPPED);
        assertThat(lanStack.isRunning()).isFalse();
        assertThat(viewModel.sessionProperty().get()).isNull();
        OurHostSettingsViewModel settings = viewModel.hostSettings();
        assertThat(settings.gatewayProperty().get()).isEqualTo("192.168.1.1");
        assertThat(settings.interfaceDescriptionProperty().get()).isEqualTo("eth0: 192.168.1.20/24 (the kernel's)");

        viewModel.start();

        assertThat(notifier.errors).singleElement().satisfies(error ->
                assertThat(error.problem()).startsWith("Our host's settings on eth0: IP address: give our host an address"));
        assertThat(viewModel.stateProperty().get()).isEqualTo(NetworkBarViewModel.State.STOPPED);
    }

    @Test
    void aNetworkThatFailsToOpenIsANotificationWithTheFixNeverAStackTrace() throws Exception {
        NetworkBarViewModel viewModel = viewModel(new TestEnvironment(true) {
            @Override
            public LabSession open(NetworkChoice choice, InterfaceSession.OurHostSettings settings, String filter)
                    throws Exception {
                if (choice.kind() == NetworkChoice.Kind.WATCH_ONLY) {
                    throw new LinkException("cannot capture on eth0: root or CAP_NET_RAW is needed (socket: Operation not"
                            + " permitted); run it with sudo, or grant the capabilities once: sudo setcap cap_net_raw,cap_net_admin=eip /usr/bin/java");
                }
                return super.open(choice, settings, filter);
            }
        });
        awaitState(viewModel, NetworkBarViewModel.State.RUNNING);
        awaitListed(viewModel);

        viewModel.select("watch:eth0");
        viewModel.captureFilterProperty().set("icmp");
        viewModel.start();
        fx.runUntil(() -> !notifier.errors.isEmpty(), "the error");

        assertThat(notifier.errors).singleElement().satisfies(error -> {
            assertThat(error.problem()).isEqualTo("Cannot start watching eth0: cannot capture on eth0: root or CAP_NET_RAW is"
                    + " needed (socket: Operation not permitted)");
            assertThat(error.fix()).startsWith("Run it with sudo, or grant the capabilities once: sudo setcap");
        });
        assertThat(viewModel.stateProperty().get()).isEqualTo(NetworkBarViewModel.State.STOPPED);
        assertThat(viewModel.sessionProperty().get()).isNull();
    }

    @Test
    void shutdownClosesTheRunningSession() throws Exception {
        NetworkBarViewModel viewModel = viewModel(new TestEnvironment(false));
        awaitState(viewModel, NetworkBarViewModel.State.RUNNING);
        StackRunner stack = viewModel.sessionProperty().get().stack().orElseThrow();

        viewModel.shutdown();

        assertThat(stack.isRunning()).isFalse();
        assertThat(viewModel.sessionProperty().get()).isNull();
        viewModel.start();
        assertThat(viewModel.stateProperty().get()).isEqualTo(NetworkBarViewModel.State.STOPPED);
    }
}
