package dev.stacklab.app.arp;

import dev.stacklab.app.ActionResult;
import dev.stacklab.app.AppContext;
import dev.stacklab.app.EventPump;
import dev.stacklab.app.InputCheck;
import dev.stacklab.app.InputCheck.InvalidInput;
import dev.stacklab.app.SessionStack;
import dev.stacklab.dissect.MacNames;
import dev.stacklab.runtime.NeighborSnapshot;
import dev.stacklab.runtime.StackRunner;
import dev.stacklab.stack.NeighborEntry;
import dev.stacklab.stack.StackEvent;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.Ipv4Cidr;
import dev.stacklab.wire.MacAddress;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The ARP pane: resolve an address, the neighbor cache as a live table, flush it, announce ourselves, and warnings
 * when a neighbor's MAC changes or another host claims our address.
 *
 * <p>The table is always the engine's own cache: every neighbor event (carried from the runner thread through the
 * inbox) asks for a fresh snapshot, and so does a tick once a second, which keeps the ages and expiries current.
 */
public final class ArpViewModel {
    /** Warnings kept, newest first. */
    static final int MAX_WARNINGS = 20;
    private static final int INBOX_CAPACITY = 16_384;

    /** What one row of the neighbor table shows. {@code warning}: this address changed its MAC while in the table. */
    public record NeighborFacts(String ip, String mac, String vendor, String state, String age, String expiresIn,
                                boolean warning) {
    }

    /**
     * One row of the neighbor table: the same object for an address as long as it stays in the cache, its facts
     * updated in place every second (ages), so that a row the user selected stays selected.
     */
    public static final class NeighborRow {
        private final Ipv4Address address;
        private final ReadOnlyObjectWrapper<NeighborFacts> facts;

        NeighborRow(Ipv4Address address, NeighborFacts facts) {
            this.address = address;
            this.facts = new ReadOnlyObjectWrapper<>(this, "facts", facts);
        }

        public Ipv4Address address() {
            return address;
        }

        public ReadOnlyObjectProperty<NeighborFacts> factsProperty() {
            return facts.getReadOnlyProperty();
        }

        public String ip() {
            return facts.get().ip();
        }

        public String mac() {
            return facts.get().mac();
        }

        public String vendor() {
            return facts.get().vendor();
        }

        public String state() {
            return facts.get().state();
        }

        public String age() {
            return facts.get().age();
        }

        public String expiresIn() {
            return facts.get().expiresIn();
        }

        public boolean warning() {
            return facts.get().warning();
        }

        @Override
        public String toString() {
            return facts.get().toString();
        }
    }

    private final AppContext context;
    private final EventPump<Runnable> inbox;
    private final SessionStack stack;

    private final StringProperty address = new SimpleStringProperty(this, "address", "");
    private final ObservableList<NeighborRow> rows = FXCollections.observableArrayList();
    /** Read-only, and one instance: a wrapper made per call would lose its listeners when collected. */
    private final ObservableList<NeighborRow> rowsView = FXCollections.unmodifiableObservableList(rows);
    private final ObservableList<String> warnings = FXCollections.observableArrayList();
    /** Read-only, and one instance: a wrapper made per call would lose its listeners when collected. */
    private final ObservableList<String> warningsView = FXCollections.unmodifiableObservableList(warnings);
    /** Numbered by action: a slow resolve's answer does not replace a Flush pressed after it. */
    private final ActionResult result = new ActionResult(this, "result");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message");
    private final ReadOnlyStringWrapper latestWarning = new ReadOnlyStringWrapper(this, "latestWarning");
    private final ReadOnlyBooleanWrapper resolving = new ReadOnlyBooleanWrapper(this, "resolving");
    private final BooleanBinding available;

    /** Addresses whose MAC changed since the last flush: their rows stay marked. */
    private final Set<Ipv4Address> moved = new HashSet<>();
    private boolean snapshotInFlight;
    private boolean snapshotAgain;
    private NeighborSnapshot lastSnapshot;

    /** The pane in the app: results once per pulse on the FX thread, ages refreshed every second. FX thread. */
    public ArpViewModel(AppContext context) {
        this(context, new EventPump<>(INBOX_CAPACITY, ArpViewModel::runAll));
        inbox.start();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "stacklab-arp-pane-ticker");
            thread.setDaemon(true);
            return thread;
        });
        ticker.scheduleAtFixedRate(() -> inbox.offer(this::refresh), 1, 1, TimeUnit.SECONDS);
    }

    /** With an inbox the caller drains; nothing ticks (tests call {@link #refresh()}). */
    ArpViewModel(AppContext context, EventPump<Runnable> inbox) {
        this.context = context;
        this.inbox = inbox;
        this.stack = new SessionStack(context.session(), "resolve addresses", inbox,
                event -> event instanceof StackEvent.NeighborChanged || event instanceof StackEvent.NeighborRemoved
                        || event instanceof StackEvent.AddressConflict,
                this::stackEvent, this::runnerChanged);
        stack.offerSuggestedPeerTo(address);
        this.available = Bindings.createBooleanBinding(() -> stack.runner() != null, stack.runnerProperty());
        refresh();
    }

    static void runAll(List<Runnable> tasks) {
        tasks.forEach(Runnable::run);
    }

    // ---------------------------------------------------------------- properties

    /** The address to resolve. */
    public StringProperty addressProperty() {
        return address;
    }

    public ObservableList<NeighborRow> rows() {
        return rowsView;
    }

    /** Warnings, newest first. */
    public ObservableList<String> warnings() {
        return warningsView;
    }

    public ReadOnlyStringProperty latestWarningProperty() {
        return latestWarning.getReadOnlyProperty();
    }

    /** What the last command found ("10.0.0.1 is at ..."), or null. */
    public ReadOnlyStringProperty resultProperty() {
        return result.property();
    }

    /** The last problem (bad input, nobody answered), or null. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty resolvingProperty() {
        return resolving.getReadOnlyProperty();
    }

    /** Whether there is a stack to command. */
    public BooleanBinding availableBinding() {
        return available;
    }

    public ReadOnlyStringProperty unavailableReasonProperty() {
        return stack.unavailableReasonProperty();
    }

    // ---------------------------------------------------------------- commands

    /** Resolves the address in the field with ARP; the request and reply appear in the capture as they happen. */
    public void resolve() {
        StackRunner runner = runnerOrSayWhy();
        if (runner == null) {
            return;
        }
        Ipv4Address target;
        try {
            target = InputCheck.ipv4("Address", address.get());
        } catch (InvalidInput e) {
            message.set(e.getMessage());
            return;
        }
        Ipv4Cidr subnet = runner.config().address();
        if (!subnet.contains(target)) {
            message.set("Address: " + target + " is not on our subnet " + subnet + "; ARP only reaches the local link");
            return;
        }
        message.set(null);
        long action = result.newAction();
        result.show(action, null);
        resolving.set(true);
        int attempts = runner.config().arpAttempts();
        whenDone(runner, runner.resolve(target), mac -> {
            resolving.set(false);
            if (mac.isPresent()) {
                result.show(action, target + " is at " + withName(mac.get()));
            } else {
                message.set("No ARP reply from " + target + " after " + attempts + " requests");
            }
            refresh();
        }, () -> resolving.set(false));
    }

    /** Forgets every entry nobody waits on ({@code ip neigh flush all}). */
    public void flush() {
        StackRunner runner = runnerOrSayWhy();
        if (runner == null) {
            return;
        }
        message.set(null);
        long action = result.newAction();
        whenDone(runner, runner.flushNeighbors(), removed -> {
            moved.clear();
            result.show(action, "Flushed " + removed + (removed == 1 ? " entry" : " entries"));
            refresh();
        }, () -> { });
    }

    /** Broadcasts a gratuitous ARP announcement of our address (RFC 5227 section 2.3). */
    public void announce() {
        StackRunner runner = runnerOrSayWhy();
        if (runner == null) {
            return;
        }
        message.set(null);
        String announced = "Announced " + runner.config().address().address() + " is at " + withName(runner.config().mac())
                + " (gratuitous ARP)";
        long action = result.newAction();
        whenDone(runner, runner.announce(), nothing -> result.show(action, announced), () -> { });
    }

    /** Reads the cache again: ages, expiries and states as they are now. */
    public void refresh() {
        StackRunner runner = stack.runner();
        if (runner == null) {
            return;
        }
        if (snapshotInFlight) {
            snapshotAgain = true;
            return;
        }
        snapshotInFlight = true;
        runner.neighborSnapshot().whenComplete((snapshot, failure) -> inbox.offer(() -> {
            snapshotInFlight = false;
            if (stack.runner() != runner) {
                return;
            }
            if (snapshot != null) {
                show(snapshot);
            }
            if (snapshotAgain) {
                snapshotAgain = false;
                refresh();
            }
        }));
    }

    public void dismissWarnings() {
        warnings.clear();
        latestWarning.set(null);
    }

    // ---------------------------------------------------------------- FX thread

    private StackRunner runnerOrSayWhy() {
        StackRunner runner = stack.runner();
        if (runner == null) {
            message.set(stack.unavailableReason());
        }
        return runner;
    }

    /** Applies a command's result in the inbox; a failure (the stack stopped) becomes a message and a notification. */
    private <T> void whenDone(StackRunner runner, CompletableFuture<T> future, Consumer<T> onResult, Runnable onFailure) {
        future.whenComplete((value, failure) -> inbox.offer(() -> {
            if (stack.runner() != runner) {
                return;
            }
            if (failure != null) {
                onFailure.run();
                String problem = "The stack did not answer: " + rootMessage(failure);
                message.set(problem);
                context.notifier().error(problem, "Start the network again from the toolbar.");
                return;
            }
            onResult.accept(value);
        }));
    }

    private void runnerChanged(StackRunner runner) {
        rows.clear();
        moved.clear();
        lastSnapshot = null;
        snapshotInFlight = false;
        snapshotAgain = false;
        resolving.set(false);
        result.showNow(null);
        message.set(null);
        refresh();
    }

    private void stackEvent(StackRunner runner, StackEvent event) {
        if (event instanceof StackEvent.NeighborChanged change && change.previousMac() != null && change.mac() != null
                && !change.previousMac().equals(change.mac())) {
            moved.add(change.address());
            warn(change.address() + " moved from " + withName(change.previousMac()) + " to " + withName(change.mac())
                    + ": another host now answers for it");
        } else if (event instanceof StackEvent.AddressConflict conflict) {
            String problem = withName(conflict.claimant()) + " claims our address " + conflict.address();
            warn(problem + " (address conflict, RFC 5227)");
            context.notifier().error(problem, "Give our host another address, or stop the other host using it.");
        }
        refresh();
    }

    private void warn(String text) {
        warnings.add(0, text);
        if (warnings.size() > MAX_WARNINGS) {
            warnings.remove(MAX_WARNINGS, warnings.size());
        }
        latestWarning.set(text);
    }

    private void show(NeighborSnapshot snapshot) {
        lastSnapshot = snapshot;
        Map<Ipv4Address, NeighborRow> existing = new HashMap<>();
        for (NeighborRow row : rows) {
            existing.put(row.address(), row);
        }
        List<NeighborEntry> entries = new ArrayList<>(snapshot.entries());
        entries.sort(Comparator.comparing(NeighborEntry::address));
        List<NeighborRow> ordered = new ArrayList<>(entries.size());
        for (NeighborEntry entry : entries) {
            MacAddress mac = entry.mac();
            long expiresIn = snapshot.expiresInNanos(entry);
            NeighborFacts facts = new NeighborFacts(entry.address().toString(), mac == null ? "" : mac.toString(),
                    mac == null ? "" : vendorOf(mac), entry.state().name(), duration(snapshot.ageNanos(entry)),
                    expiresIn < 0 ? "" : duration(expiresIn), moved.contains(entry.address()));
            NeighborRow row = existing.get(entry.address());
            // A row that turns into a warning is a new row: the table styles a row when it is given one.
            if (row != null && row.warning() == facts.warning()) {
                if (!row.facts.get().equals(facts)) {
                    row.facts.set(facts);
                }
            } else {
                row = new NeighborRow(entry.address(), facts);
            }
            ordered.add(row);
        }
        if (!ordered.equals(rows)) {
            rows.setAll(ordered);
        }
    }

    /** The snapshot the table shows, for tests. */
    Optional<NeighborSnapshot> lastSnapshot() {
        return Optional.ofNullable(lastSnapshot);
    }

    /**
     * Wireshark's name for the MAC ("IntelCor_ab:cd:ef"); for an address a host made up itself (the U/L bit set, as
     * stacks and VMs do), which no vendor table names, says so.
     */
    static String vendorOf(MacAddress mac) {
        boolean locallyAdministered = (mac.bits() >>> 40 & 0x02) != 0;
        return MacNames.name(mac).orElse(locallyAdministered ? "(locally administered)" : "");
    }

    /** "00:1b:21:ab:cd:ef (IntelCor_ab:cd:ef)", or the address alone when Wireshark's tables do not name it. */
    static String withName(MacAddress mac) {
        return MacNames.name(mac).map(name -> mac + " (" + name + ")").orElse(mac.toString());
    }

    /** "0.4 s", "12 s", "3 min 04 s", "2 h 05 min": short, and precise where it matters. */
    static String duration(long nanos) {
        long tenths = nanos / 100_000_000L;
        if (tenths < 100) {
            return tenths / 10 + "." + tenths % 10 + " s";
        }
        long seconds = nanos / 1_000_000_000L;
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min " + String.format("%02d", seconds % 60) + " s";
        }
        return seconds / 3600 + " h " + String.format("%02d", seconds / 60 % 60) + " min";
    }

    private static String rootMessage(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }
}
