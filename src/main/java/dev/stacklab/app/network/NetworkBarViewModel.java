package dev.stacklab.app.network;

import dev.stacklab.app.Notifier;
import dev.stacklab.link.InterfaceInfo;
import dev.stacklab.link.LinkEvent;
import dev.stacklab.runtime.InterfaceSession.OurHostSettings;
import dev.stacklab.runtime.LabNetwork;
import dev.stacklab.runtime.LabSession;
import dev.stacklab.runtime.RunnerListener;
import dev.stacklab.runtime.StackRunner;
import dev.stacklab.runtime.WatchOnlySession;
import dev.stacklab.stack.StackConfig;
import dev.stacklab.wire.Ipv4Cidr;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The network chooser in the toolbar: which networks there are (greyed out with the reason and the fix where this
 * process lacks the rights), the one chosen, our address on it, and Start/Stop.
 *
 * <p>Sessions are opened and closed on a worker thread of this view-model's own, one at a time and in the order
 * asked (so a stop and the next start never overlap); their results come back through the FX executor. The
 * session property changes on the FX thread only: null while none runs.
 *
 * <p>Choosing the simulated LAN or the lab network switches to it at once; a real interface, a TAP device and
 * watch-only wait for Start, since they need our host's settings or a capture filter first.
 *
 * <p>Made, it asks nothing of the machine: the chooser holds the simulated LAN alone and nothing runs. {@link #begin}
 * (the app calls it once the window is up) starts the simulated LAN, or the network used last, and lists the
 * others on the worker: reading the interfaces loads JNA and its native library, which the first frame must not
 * wait for.
 */
public final class NetworkBarViewModel {

    /** Chosen until {@link #begin} has listed the others, and the default whenever nothing else was chosen. */
    private static final NetworkChoice SIMULATED_LAN = new NetworkChoice(NetworkChoice.SIMULATED_LAN_ID,
            NetworkChoice.Kind.SIMULATED_LAN, null, "Simulated LAN — 10.0.0.0/24, server 10.0.0.1, peer 10.0.0.3",
            List.of(), null, null);

    /** Where the chosen network is. */
    public enum State { STOPPED, STARTING, RUNNING, STOPPING }

    private final Notifier notifier;
    private final NetworkEnvironment environment;
    private final Executor fxExecutor;
    private final ExecutorService worker;
    private final ObservableList<NetworkChoice> choices = FXCollections.observableArrayList();
    private final ObjectProperty<NetworkChoice> selectedChoice = new SimpleObjectProperty<>(this, "selectedChoice");
    private final ReadOnlyStringWrapper selectedNetworkId = new ReadOnlyStringWrapper(this, "selectedNetworkId");
    private final ReadOnlyObjectWrapper<LabSession> session = new ReadOnlyObjectWrapper<>(this, "session");
    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(this, "state", State.STOPPED);
    private final ReadOnlyStringWrapper ourAddress = new ReadOnlyStringWrapper(this, "ourAddress", "—");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private final ReadOnlyStringWrapper unavailableReason = new ReadOnlyStringWrapper(this, "unavailableReason", "");
    private final ReadOnlyStringWrapper privilegeHint = new ReadOnlyStringWrapper(this, "privilegeHint", "");
    private final ReadOnlyBooleanWrapper listing = new ReadOnlyBooleanWrapper(this, "listing", true);
    private final ReadOnlyBooleanWrapper begun = new ReadOnlyBooleanWrapper(this, "begun");
    private final StringProperty captureFilter = new SimpleStringProperty(this, "captureFilter", "");
    private final OurHostSettingsViewModel hostSettings;
    private final BooleanBinding startDisabled;
    private final BooleanBinding stopDisabled;
    /** Counts starts and stops: an open that completes after a later stop (or start) is closed, not shown. */
    private int generation;
    private boolean replacingChoices;
    private boolean shutDown;

    /** The app's: this machine, results on the FX thread. */
    public NetworkBarViewModel(Notifier notifier) {
        this(notifier, NetworkEnvironment.SYSTEM, Platform::runLater);
    }

    /**
     * @param environment the rights and interfaces of the machine, and how networks are opened
     * @param fxExecutor where results are handed back (Platform::runLater in the app, Runnable::run in tests)
     */
    public NetworkBarViewModel(Notifier notifier, NetworkEnvironment environment, Executor fxExecutor) {
        this.notifier = Objects.requireNonNull(notifier, "notifier");
        this.environment = Objects.requireNonNull(environment, "environment");
        this.fxExecutor = Objects.requireNonNull(fxExecutor, "fxExecutor");
        this.worker = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "stacklab-networks");
            thread.setDaemon(true);
            return thread;
        });
        this.hostSettings = new OurHostSettingsViewModel(environment, notifier, fxExecutor);
        // Before begin, Start waits too: begin starts the network itself a moment later.
        startDisabled = Bindings.createBooleanBinding(() -> !begun.get() || state.get() != State.STOPPED
                || selectedChoice.get() == null || !selectedChoice.get().available(), begun, state, selectedChoice);
        stopDisabled = Bindings.createBooleanBinding(() -> state.get() != State.RUNNING, state);
        choices.setAll(SIMULATED_LAN);
        selectedChoice.set(SIMULATED_LAN);
        selectedNetworkId.set(SIMULATED_LAN.id());
        selectedChoice.addListener((property, before, after) -> chosen(before, after));
        // What the first frame says: begin follows a moment later and says which network starts.
        status.set("Starting…");
    }

    /**
     * Starts the network used last (the simulated LAN when that is {@code lastNetworkId}, or null) and lists the
     * networks there are, both off the FX thread. A remembered network is chosen again once listed, if it is still
     * there and usable; otherwise the simulated LAN starts. Once only; FX thread.
     */
    public void begin(String lastNetworkId) {
        if (begun.get() || shutDown) {
            return;
        }
        begun.set(true);
        boolean another = lastNetworkId != null && !lastNetworkId.equals(SIMULATED_LAN.id());
        if (another) {
            // Nothing starts until the list says whether that network is still there.
            status.set("");
        } else {
            // First on the worker: the running LAN is what the panes show, the list only what else there is.
            start();
        }
        listChoicesThen(() -> {
            if (another && !select(lastNetworkId) && state.get() == State.STOPPED) {
                start();
            }
        });
    }

    // ---------------------------------------------------------------- properties

    public ObservableList<NetworkChoice> choices() {
        return choices;
    }

    /** The chooser's value (bound both ways to the combo box). */
    public ObjectProperty<NetworkChoice> selectedChoiceProperty() {
        return selectedChoice;
    }

    /** The chosen network's stable id, for the shell to remember ("simulated", "lab", "interface:eth0", ...). */
    public ReadOnlyStringProperty selectedNetworkIdProperty() {
        return selectedNetworkId.getReadOnlyProperty();
    }

    /** The running network, or null while none runs. The shell puts this into the AppContext. */
    public ReadOnlyObjectProperty<LabSession> sessionProperty() {
        return session.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<State> stateProperty() {
        return state.getReadOnlyProperty();
    }

    /** "10.0.0.2/24 · 02:00:00:00:00:02", "watching eth0 (no stack)", or "—" while none runs. */
    public ReadOnlyStringProperty ourAddressProperty() {
        return ourAddress.getReadOnlyProperty();
    }

    /** What is happening now, for a label beside the buttons: "Starting Lab network…", "Probing 192.168.1.77…". */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** Empty when the chosen network can be used; else the reason and the fix, for a label under the chooser. */
    public ReadOnlyStringProperty unavailableReasonProperty() {
        return unavailableReason.getReadOnlyProperty();
    }

    /**
     * Empty when every network can be used; else why some are greyed out and the exact commands that fix it, for
     * the hint beside the chooser.
     */
    public ReadOnlyStringProperty privilegeHintProperty() {
        return privilegeHint.getReadOnlyProperty();
    }

    /** True until {@link #begin} has listed the networks, and again while {@link #refreshChoices} lists them. */
    public ReadOnlyBooleanProperty listingProperty() {
        return listing.getReadOnlyProperty();
    }

    /** The BPF filter for a watch-only capture ("icmp or arp"); empty for every frame. */
    public StringProperty captureFilterProperty() {
        return captureFilter;
    }

    public OurHostSettingsViewModel hostSettings() {
        return hostSettings;
    }

    public BooleanBinding startDisabledProperty() {
        return startDisabled;
    }

    public BooleanBinding stopDisabledProperty() {
        return stopDisabled;
    }

    // ---------------------------------------------------------------- the choices

    /**
     * Lists the networks again (interfaces come and go), on the worker, keeping the choice when it is still there.
     */
    public void refreshChoices() {
        listChoicesThen(() -> {
        });
    }

    private void listChoicesThen(Runnable andThen) {
        if (shutDown) {
            return;
        }
        listing.set(true);
        worker.execute(() -> {
            List<NetworkChoice> listed;
            try {
                listed = listChoices();
            } catch (RuntimeException | LinkageError e) {
                // JNA or its native library missing from a broken install: the simulated LAN needs neither.
                fxExecutor.execute(() -> {
                    listing.set(false);
                    notifier.error("Cannot list this machine's network interfaces: " + e,
                            "The simulated LAN works without them; reinstall stacklab (its jar carries JNA) for real interfaces");
                    if (!shutDown) {
                        andThen.run();
                    }
                });
                return;
            }
            fxExecutor.execute(() -> {
                listing.set(false);
                if (!shutDown) {
                    showChoices(listed);
                    andThen.run();
                }
            });
        });
    }

    private void showChoices(List<NetworkChoice> listed) {
        NetworkChoice kept = selectedChoice.get();
        // Replacing the items can drop the chooser's value for a moment: that is not the user choosing.
        replacingChoices = true;
        try {
            choices.setAll(listed);
        } finally {
            replacingChoices = false;
        }
        boolean someUnavailable = choices.stream().anyMatch(choice -> !choice.available());
        privilegeHint.set(someUnavailable ? "Real interfaces and the lab network need root or network capabilities."
                + " Either run stacklab as root:\n    sudo -E java -jar target/stacklab.jar"
                + "\nor give java the capabilities once:\n    sudo setcap cap_net_raw,cap_net_admin=eip $(readlink -f $(which java))"
                + "\nThe lab network also works without root, in a network namespace of your own:"
                + "\n    unshare -rn java -jar target/stacklab.jar" : "");
        NetworkChoice again = kept == null ? null
                : listed.stream().filter(choice -> choice.id().equals(kept.id())).findFirst().orElse(null);
        if (again != null) {
            replacingChoices = true;
            try {
                selectedChoice.set(again);
            } finally {
                replacingChoices = false;
            }
            // The same network, perhaps with other rights now: its reason and settings follow, what runs stays.
            chosen(kept, again);
        }
    }

    private List<NetworkChoice> listChoices() {
        boolean capture = environment.canCapture();
        boolean admin = environment.canAdministerNetwork();
        List<InterfaceInfo> interfaces = environment.interfaces();
        List<NetworkChoice> list = new ArrayList<>();
        list.add(SIMULATED_LAN);
        boolean labExists = interfaces.stream().anyMatch(info -> info.name().equals(LabNetwork.STACK_DEVICE));
        NetworkChoice lab = new NetworkChoice(NetworkChoice.LAB_NETWORK_ID, NetworkChoice.Kind.LAB_NETWORK, null,
                "Lab network — a real Linux kernel at " + LabNetwork.KERNEL_ADDRESS.replace("/24", "") + " over a veth pair",
                List.of(), null, null);
        if (!capture || !(admin || labExists)) {
            lab = lab.unavailable("needs root: it makes a veth pair and captures on it", NetworkErrors.LAB_FIX);
        }
        list.add(lab);
        for (InterfaceInfo info : interfaces) {
            // libpcap's Ethernet framing is what the stack speaks: loopback and tun devices have no MAC.
            if (info.mac() == null) {
                continue;
            }
            String addresses = info.ipv4Addresses().isEmpty() ? "no IPv4 address"
                    : info.ipv4Addresses().stream().map(Ipv4Cidr::toString).collect(Collectors.joining(", "));
            String down = info.up() ? "" : " (down)";
            if (environment.isTapDevice(info.name())) {
                NetworkChoice tap = new NetworkChoice("tap:" + info.name(), NetworkChoice.Kind.TAP, info.name(),
                        info.name() + " — TAP device, kernel side " + addresses + down, info.ipv4Addresses(), null, null);
                list.add(admin ? tap : tap.unavailable("needs root to attach to a TAP device", NetworkErrors.CAPTURE_FIX));
                continue;
            }
            NetworkChoice host = new NetworkChoice("interface:" + info.name(), NetworkChoice.Kind.INTERFACE, info.name(),
                    info.name() + " — " + addresses + down, info.ipv4Addresses(), null, null);
            NetworkChoice watch = new NetworkChoice("watch:" + info.name(), NetworkChoice.Kind.WATCH_ONLY, info.name(),
                    info.name() + " — watch only (capture, no stack)" + down, info.ipv4Addresses(), null, null);
            list.add(capture ? host : host.unavailable("needs root or CAP_NET_RAW to send and capture", NetworkErrors.CAPTURE_FIX));
            list.add(capture ? watch : watch.unavailable("needs root or CAP_NET_RAW to capture", NetworkErrors.CAPTURE_FIX));
        }
        return list;
    }

    /**
     * Chooses the network with this id (what the shell remembered); false, and nothing changes, when there is
     * none such now (an interface that went away) or it cannot be used (no privileges this time).
     */
    public boolean select(String id) {
        Optional<NetworkChoice> found = choices.stream().filter(choice -> choice.id().equals(id) && choice.available())
                .findFirst();
        found.ifPresent(selectedChoice::set);
        return found.isPresent();
    }

    private void chosen(NetworkChoice before, NetworkChoice after) {
        if (replacingChoices) {
            return;
        }
        selectedNetworkId.set(after == null ? null : after.id());
        unavailableReason.set(after == null || after.available() ? "" : after.label() + ": " + after.unavailableReason()
                + ". " + after.fix());
        if (after != null && after.kind().needsHostSettings()) {
            hostSettings.prepareFor(after);
        }
        if (before != null && after != null && before.id().equals(after.id())) {
            return;
        }
        if (after == null || !after.available()) {
            // Nothing to switch to: what runs keeps running, and the reason shows beside the chooser.
            return;
        }
        if (state.get() == State.RUNNING || state.get() == State.STARTING) {
            stop();
        }
        if ((after.kind() == NetworkChoice.Kind.SIMULATED_LAN || after.kind() == NetworkChoice.Kind.LAB_NETWORK)) {
            start();
        }
    }

    // ---------------------------------------------------------------- commands

    /**
     * Starts the chosen network, off the FX thread. An unavailable one, or invalid settings, is a notification
     * with the fix instead.
     */
    public void start() {
        NetworkChoice choice = selectedChoice.get();
        if (choice == null || shutDown || state.get() == State.STARTING || state.get() == State.RUNNING) {
            return;
        }
        if (!choice.available()) {
            notifier.error(choice.label() + ": " + choice.unavailableReason(), choice.fix());
            return;
        }
        OurHostSettings settings = null;
        if (choice.kind().needsHostSettings()) {
            try {
                settings = hostSettings.settings();
            } catch (IllegalArgumentException e) {
                notifier.error("Our host's settings on " + choice.interfaceName() + ": " + e.getMessage(),
                        "Correct the field and start again");
                return;
            }
        }
        String filter = captureFilter.get() == null ? "" : captureFilter.get().strip();
        int startGeneration = ++generation;
        state.set(State.STARTING);
        status.set(choice.kind().needsHostSettings()
                ? "Probing " + settings.address().address() + " on " + choice.interfaceName() + " (RFC 5227: up to 7 s)…"
                : "Starting " + shortName(choice) + "…");
        OurHostSettings chosenSettings = settings;
        worker.execute(() -> {
            LabSession opened;
            String address;
            try {
                opened = environment.open(choice, chosenSettings, filter);
                address = describeOurAddress(opened, choice);
            } catch (Exception | LinkageError e) {
                fxExecutor.execute(() -> {
                    if (startGeneration == generation) {
                        state.set(State.STOPPED);
                        status.set("");
                    }
                    NetworkErrors.report(notifier, "Cannot start " + shortName(choice), e);
                });
                return;
            }
            fxExecutor.execute(() -> {
                if (startGeneration != generation || shutDown) {
                    // Stopped (or another network chosen) while it was opening: it never shows.
                    closeOffTheFxThread(opened);
                    return;
                }
                watchForLinkDown(opened, startGeneration);
                session.set(opened);
                ourAddress.set(address);
                state.set(State.RUNNING);
                status.set("");
            });
        });
    }

    /** Stops the running network, off the FX thread; the session property is null at once. */
    public void stop() {
        if (state.get() == State.STOPPED || state.get() == State.STOPPING) {
            return;
        }
        int stopGeneration = ++generation;
        LabSession running = session.get();
        session.set(null);
        ourAddress.set("—");
        if (running == null) {
            // Still opening: the open sees the new generation and closes what it made.
            state.set(State.STOPPED);
            status.set("");
            return;
        }
        state.set(State.STOPPING);
        status.set("Stopping " + running.name() + "…");
        worker.execute(() -> {
            running.close();
            fxExecutor.execute(() -> {
                if (stopGeneration == generation) {
                    state.set(State.STOPPED);
                    status.set("");
                }
            });
        });
    }

    /**
     * Closes the running network and waits for it (up to five seconds: the lab network is removed if the app
     * made it). The app calls this on exit; nothing starts afterwards.
     */
    public void shutdown() {
        shutDown = true;
        generation++;
        LabSession running = session.get();
        session.set(null);
        state.set(State.STOPPED);
        if (running != null) {
            worker.execute(running::close);
        }
        worker.shutdown();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A network whose interface goes away (removed, taken down) stops: the user hears it with the fix, and the
     * chooser is ready to start again.
     */
    private void watchForLinkDown(LabSession opened, int openedGeneration) {
        Consumer<String> linkDown = message -> fxExecutor.execute(() -> {
            if (openedGeneration == generation && session.get() == opened) {
                notifier.error(opened.name() + " stopped: " + message,
                        "Check the interface with `ip link`, bring it back up, then press Start");
                stop();
            }
        });
        if (opened instanceof WatchOnlySession watch) {
            watch.addLinkDownListener(linkDown);
        }
        opened.stack().ifPresent(runner -> runner.addListener(new RunnerListener() {
            @Override
            public void linkEvent(LinkEvent event) {
                if (event.kind() == LinkEvent.Kind.LINK_DOWN) {
                    linkDown.accept(event.message());
                }
            }
        }));
    }

    /** Closes a session nobody will see; after shutdown the worker is gone, so on a thread of its own. */
    private void closeOffTheFxThread(LabSession unwanted) {
        try {
            worker.execute(unwanted::close);
        } catch (RejectedExecutionException e) {
            Thread closer = new Thread(unwanted::close, "stacklab-networks-close");
            closer.setDaemon(false);
            closer.start();
        }
    }

    private static String shortName(NetworkChoice choice) {
        return switch (choice.kind()) {
            case SIMULATED_LAN -> "the simulated LAN";
            case LAB_NETWORK -> "the lab network";
            case INTERFACE -> "our host on " + choice.interfaceName();
            case TAP -> "our host on TAP device " + choice.interfaceName();
            case WATCH_ONLY -> "watching " + choice.interfaceName();
        };
    }

    /** On the worker thread: the stack's configuration never changes once it runs. */
    private static String describeOurAddress(LabSession session, NetworkChoice choice) {
        Optional<StackRunner> stack = session.stack();
        if (stack.isEmpty()) {
            return "watching " + choice.interfaceName() + " (no stack)";
        }
        StackConfig config = stack.get().config();
        return config.address() + " · " + config.mac();
    }
}
