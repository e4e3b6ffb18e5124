package dev.stacklab.app.tcp;

import dev.stacklab.app.ActionResult;
import dev.stacklab.app.AppContext;
import dev.stacklab.app.EventPump;
import dev.stacklab.app.InputCheck;
import dev.stacklab.app.InputCheck.InvalidInput;
import dev.stacklab.app.SessionStack;
import dev.stacklab.app.tcp.chart.ChartsViewModel;
import dev.stacklab.app.tcp.ladder.LadderViewModel;
import dev.stacklab.runtime.StackRunner;
import dev.stacklab.runtime.TcpServerSocket;
import dev.stacklab.runtime.TcpSocket;
import dev.stacklab.stack.StackEvent;
import dev.stacklab.stack.tcp.TcpEndpoints;
import dev.stacklab.stack.tcp.TcpEvent;
import dev.stacklab.stack.tcp.TcpSnapshot;
import dev.stacklab.stack.tcp.TcpState;
import dev.stacklab.wire.Ipv4Address;
import javafx.beans.InvalidationListener;
import javafx.beans.Observable;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The TCP pane: open connections from our stack (connect to an address and port, or accept them on a listening port),
 * send text, close with a FIN or abort with a RST, and follow each connection's state and transmission control block
 * from the stack's {@link StackEvent.TcpConnectionEvent}s. The blocking sockets are driven from a small pool of
 * daemon threads, never from the FX thread; their results, like the events, come back through the inbox.
 */
public final class TcpViewModel {
    /** Connections the list keeps; the oldest closed ones go first. */
    static final int MAX_CONNECTIONS = 64;
    /** Characters of received text kept per connection (the latest). */
    static final int MAX_RECEIVED_CHARS = 16 * 1024;
    static final Duration CONNECT_LIMIT = Duration.ofSeconds(20);
    private static final int INBOX_CAPACITY = 16_384;
    private static final int BACKLOG = 8;
    /** What one read() of the application asks for: what one press of Read takes at most. */
    static final int READ_SIZE = 4096;
    private static final Duration READ_RECHECK = Duration.ofMillis(200);

    /** One connection of our stack as the pane shows it. FX thread only. */
    public static final class Connection {
        private final long id;
        private final TcpEndpoints endpoints;
        private final ObservableList<TcpState> states = FXCollections.observableArrayList();
        private final ObservableList<TcpState> statesView = FXCollections.unmodifiableObservableList(states);
        private final ReadOnlyObjectWrapper<TcpState> state = new ReadOnlyObjectWrapper<>(this, "state");
        private final ReadOnlyObjectWrapper<TcpSnapshot> snapshot = new ReadOnlyObjectWrapper<>(this, "snapshot");
        private final ReadOnlyStringWrapper received = new ReadOnlyStringWrapper(this, "received", "");
        private final ReadOnlyStringWrapper closeReason = new ReadOnlyStringWrapper(this, "closeReason");
        private TcpSocket socket;
        /** Our switches for it: Nagle's algorithm (RFC 9293 3.7.4), delayed ACKs (3.8.6.3), reading as data comes. */
        private boolean nagle = true;
        private boolean delayedAck = true;
        private final ReadGate reading = new ReadGate();
        /** Set for a step-mode scenario's client, which lives on a wire of its own, not in our stack. */
        private boolean scenario;
        /** When the TCB shown was asked for (System.nanoTime): an older answer arriving later is not shown. */
        private long snapshotAsked = Long.MIN_VALUE;

        Connection(long id, TcpEndpoints endpoints, TcpState first) {
            this.id = id;
            this.endpoints = endpoints;
            states.add(first);
            state.set(first);
        }

        public long id() {
            return id;
        }

        public TcpEndpoints endpoints() {
            return endpoints;
        }

        /** The states it went through, CLOSED first for one we opened. */
        public ObservableList<TcpState> states() {
            return statesView;
        }

        public ReadOnlyObjectProperty<TcpState> stateProperty() {
            return state.getReadOnlyProperty();
        }

        /** The TCB from the latest event or refresh, or null before the first. */
        public ReadOnlyObjectProperty<TcpSnapshot> snapshotProperty() {
            return snapshot.getReadOnlyProperty();
        }

        /** Text the peer sent (the latest {@value TcpViewModel#MAX_RECEIVED_CHARS} characters). */
        public ReadOnlyStringProperty receivedProperty() {
            return received.getReadOnlyProperty();
        }

        /** Whether the application has stopped reading it (automatic reading off, no Read pending). Any thread. */
        boolean readingParked() {
            return reading.isParked();
        }

        /** Why it closed ("closed", "connection refused"...), or null while open. */
        public ReadOnlyStringProperty closeReasonProperty() {
            return closeReason.getReadOnlyProperty();
        }

        /** Shows {@code now}, asked for at {@code asked}, unless a later one is shown already. */
        void snapshot(TcpSnapshot now, long asked) {
            if (asked - snapshotAsked > 0 || snapshotAsked == Long.MIN_VALUE) {
                snapshotAsked = asked;
                snapshot.set(now);
            }
        }

        void moved(TcpState to) {
            states.add(to);
            state.set(to);
        }

        @Override
        public String toString() {
            // Our address is the stack's own: the local port is what tells two connections apart.
            return (scenario ? "scenario  " : "#" + id) + "  :" + endpoints.localPort() + " ↔ " + endpoints.remoteAddress() + ":"
                    + endpoints.remotePort() + "  " + state.get().rfcName();
        }
    }

    /** One TCB variable as the grid shows it. */
    public record TcbField(String name, String value, String meaning) {
    }

    private final AppContext context;
    private final EventPump<Runnable> inbox;
    private final SessionStack stack;
    private final ExecutorService workers = Executors.newCachedThreadPool(new DaemonThreads());

    private final StringProperty host = new SimpleStringProperty(this, "host", "");
    private final StringProperty port = new SimpleStringProperty(this, "port", "80");
    private final StringProperty listenPort = new SimpleStringProperty(this, "listenPort", "8080");
    private final StringProperty payload = new SimpleStringProperty(this, "payload", "");
    /** The switches for the chosen connection (and the ones opened next): they follow the chosen connection. */
    private final BooleanProperty nagle = new SimpleBooleanProperty(this, "nagle", true);
    private final BooleanProperty delayedAck = new SimpleBooleanProperty(this, "delayedAck", true);
    private final BooleanProperty autoRead = new SimpleBooleanProperty(this, "autoRead", true);
    /** Set while the switches are made to show the chosen connection's settings (nothing is sent to it then). */
    private boolean showingSwitches;
    /** Each row's state is observed, so the list redraws a row whose state changed. */
    private final ObservableList<Connection> connections =
            FXCollections.observableArrayList(connection -> new Observable[] {connection.stateProperty()});
    private final ObservableList<Connection> connectionsView = FXCollections.unmodifiableObservableList(connections);
    private final ObjectProperty<Connection> selected = new SimpleObjectProperty<>(this, "selected");
    private final ReadOnlyIntegerWrapper listeningPort = new ReadOnlyIntegerWrapper(this, "listeningPort", -1);
    /** What the last action came to: a worker finishing late (a send's, after the Read pressed next) never replaces a newer result. */
    private final ActionResult result = new ActionResult(this, "result");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message");
    private final BooleanBinding available;
    private final ReadOnlyBooleanWrapper selectedCanSend = new ReadOnlyBooleanWrapper(this, "selectedCanSend");
    private TcpServerSocket listener;
    private final TcpStepViewModel stepMode;
    /** The ladder diagram below the state diagram: the chosen connection's segments, from the capture. */
    private final LadderViewModel ladder;
    /** The charts beside it: our congestion window, and the sequence numbers of the connection the ladder shows. */
    private final ChartsViewModel charts;

    /** The pane in the app: events arrive once per pulse on the FX thread. FX thread. */
    public TcpViewModel(AppContext context) {
        this(context, new EventPump<>(INBOX_CAPACITY, TcpViewModel::runAll));
        inbox.start();
    }

    /** With an inbox the caller drains (tests). */
    TcpViewModel(AppContext context, EventPump<Runnable> inbox) {
        this.context = context;
        this.inbox = inbox;
        this.ladder = new LadderViewModel(context.captureFeed(), context.notifier(), workers, inbox::offer);
        this.charts = new ChartsViewModel(ladder, this::sendBlock);
        this.stack = new SessionStack(context.session(), "open TCP connections", inbox,
                event -> event instanceof StackEvent.TcpConnectionEvent, this::stackEvent, this::runnerChanged);
        stack.offerSuggestedPeerTo(host);
        // The congestion chart follows the TCB after every segment, not only at state changes.
        stack.runnerProperty().addListener((observable, old, runner) -> publishSnapshots(runner));
        publishSnapshots(stack.runner());
        available = Bindings.createBooleanBinding(() -> stack.runner() != null, stack.runnerProperty());
        InvalidationListener recheck = observable -> updateSelectedCanSend();
        selected.addListener((observable, old, now) -> {
            if (old != null) {
                old.state.removeListener(recheck);
            }
            if (now != null) {
                now.state.addListener(recheck);
            }
            updateSelectedCanSend();
            showSwitchesOf(now);
            TcpEndpoints ends = now == null ? null : now.endpoints();
            ladder.follow(ends == null ? null : ends.localAddress(), ends == null ? 0 : ends.localPort(),
                    ends == null ? null : ends.remoteAddress(), ends == null ? 0 : ends.remotePort());
            charts.follow(now == null ? -1 : now.id());
        });
        stepMode = new TcpStepViewModel(this, context, inbox, stack);
        nagle.addListener((observable, old, on) -> switchChanged("Nagle's algorithm", on,
                connection -> connection.nagle = on, socket -> socket.setNoDelay(!on)));
        delayedAck.addListener((observable, old, on) -> switchChanged("Delayed ACKs", on,
                connection -> connection.delayedAck = on, socket -> socket.setDelayedAck(on)));
        autoRead.addListener((observable, old, on) -> {
            Connection connection = selected.get();
            if (!showingSwitches && connection != null && connection.socket != null) {
                connection.reading.automatic(on);
                result.showNow(on ? "Reading what #" + connection.id + " receives as it comes"
                        : "Not reading #" + connection.id + ": what arrives stays in the receive buffer and RCV.WND shrinks;"
                                + " Read takes it");
            }
        });
    }

    private static void publishSnapshots(StackRunner runner) {
        if (runner != null) {
            runner.publishTcpSnapshots(true);
        }
    }

    static void runAll(List<Runnable> tasks) {
        tasks.forEach(Runnable::run);
    }

    // ---------------------------------------------------------------- properties

    /** Step mode, its scenarios, and the second state diagram. */
    public TcpStepViewModel stepMode() {
        return stepMode;
    }

    /** The ladder diagram's view-model (it follows the selected connection). */
    public LadderViewModel ladder() {
        return ladder;
    }

    /** The charts' view-model (they follow the selected connection). */
    public ChartsViewModel charts() {
        return charts;
    }

    public StringProperty hostProperty() {
        return host;
    }

    public StringProperty portProperty() {
        return port;
    }

    public StringProperty listenPortProperty() {
        return listenPort;
    }

    public StringProperty payloadProperty() {
        return payload;
    }

    /** Nagle's algorithm on the chosen connection (RFC 9293 3.7.4): small segments wait while data is unacknowledged. */
    public BooleanProperty nagleProperty() {
        return nagle;
    }

    /** Delayed ACKs on the chosen connection (RFC 9293 3.8.6.3): an ACK may wait up to 40 ms for more to acknowledge. */
    public BooleanProperty delayedAckProperty() {
        return delayedAck;
    }

    /**
     * Whether the application reads what the chosen connection receives as it arrives; off, the data waits in the
     * receive buffer (the window shrinks, down to zero) until {@link #read()}.
     */
    public BooleanProperty autoReadProperty() {
        return autoRead;
    }

    /** Connections of our stack seen since the network started, oldest first. */
    public ObservableList<Connection> connections() {
        return connectionsView;
    }

    /** The connection the diagram, the TCB grid and the commands are about. */
    public ObjectProperty<Connection> selectedProperty() {
        return selected;
    }

    /** The port being listened on, or -1. */
    public ReadOnlyIntegerProperty listeningPortProperty() {
        return listeningPort.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty resultProperty() {
        return result.property();
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public BooleanBinding availableBinding() {
        return available;
    }

    /** Whether the selected connection is ours to write on and still takes data. */
    public ReadOnlyBooleanProperty selectedCanSendProperty() {
        return selectedCanSend.getReadOnlyProperty();
    }

    private void updateSelectedCanSend() {
        Connection connection = selected.get();
        selectedCanSend.set(connection != null && connection.socket != null && connection.state.get().canSend());
    }

    public ReadOnlyStringProperty unavailableReasonProperty() {
        return stack.unavailableReasonProperty();
    }

    /** The variables of {@code snapshot} in the grid's order, with what each means (RFC 9293 3.3.1, 6298, 5681). */
    public static List<TcbField> tcbFields(TcpSnapshot snapshot) {
        boolean none = snapshot == null;
        List<TcbField> fields = new ArrayList<>();
        fields.add(new TcbField("State", none ? "–" : snapshot.state().rfcName(),
                "Where the connection is in the state diagram (RFC 9293 3.3.2, Figure 5)"));
        fields.add(new TcbField("SND.UNA", none ? "–" : snapshot.sendUnacknowledged().toString(),
                "Send unacknowledged (RFC 9293 3.3.1): the oldest sequence number the peer has not acknowledged yet"));
        fields.add(new TcbField("SND.NXT", none ? "–" : snapshot.sendNext().toString(),
                "Send next (RFC 9293 3.3.1): the sequence number of the next octet we will send"));
        fields.add(new TcbField("SND.WND", none ? "–" : bytes(snapshot.sendWindow()),
                "Send window (RFC 9293 3.3.1): how much the peer said it can take beyond SND.UNA"));
        fields.add(new TcbField("ISS", none ? "–" : snapshot.initialSendSequence().toString(),
                "Initial send sequence number (RFC 9293 3.4.1): the sequence number of our SYN"));
        fields.add(new TcbField("RCV.NXT", none ? "–" : snapshot.receiveNext().toString(),
                "Receive next (RFC 9293 3.3.1): the sequence number we expect next from the peer (what we acknowledge)"));
        fields.add(new TcbField("RCV.WND", none ? "–" : bytes(snapshot.receiveWindow()),
                "Receive window (RFC 9293 3.3.1): how much more we said we can take"));
        fields.add(new TcbField("IRS", none ? "–" : snapshot.initialReceiveSequence().toString(),
                "Initial receive sequence number (RFC 9293 3.4.1): the sequence number of the peer's SYN"));
        fields.add(new TcbField("cwnd", none ? "–" : bytes(snapshot.congestionWindow()),
                "Congestion window (RFC 5681): how much we allow in flight before an ACK, as the network seems to bear"));
        fields.add(new TcbField("ssthresh", none ? "–" : snapshot.slowStartThreshold() >= Integer.MAX_VALUE ? "∞"
                : bytes(snapshot.slowStartThreshold()),
                "Slow-start threshold (RFC 5681): below it cwnd grows fast (slow start), above it slowly"));
        fields.add(new TcbField("SRTT", none ? "–" : snapshot.smoothedRttNanos() == 0 ? "no sample"
                : millis(snapshot.smoothedRttNanos()),
                "Smoothed round-trip time (RFC 6298): the average time from a segment to its ACK"));
        fields.add(new TcbField("RTTVAR", none ? "–" : snapshot.smoothedRttNanos() == 0 ? "no sample"
                : millis(snapshot.rttVariationNanos()),
                "Round-trip time variation (RFC 6298 2): how much the round trips differ; RTO = SRTT + 4·RTTVAR"));
        fields.add(new TcbField("RTO", none ? "–" : millis(snapshot.retransmissionTimeoutNanos()),
                "Retransmission timeout (RFC 6298): how long we wait for an ACK before sending again"));
        fields.add(new TcbField("In flight", none ? "–" : bytes(snapshot.bytesInFlight()),
                "Bytes in flight (RFC 5681 2): sent and not yet acknowledged, at most min(cwnd, SND.WND)"));
        return fields;
    }

    /**
     * Which of {@link #tcbFields}' variables differ between {@code before} and {@code after}, in the same order: what the
     * last change of the TCB changed, to highlight. Nothing is marked when either is missing (a connection just chosen).
     */
    public static List<Boolean> changedTcbFields(TcpSnapshot before, TcpSnapshot after) {
        List<TcbField> now = tcbFields(after);
        List<Boolean> changed = new ArrayList<>(now.size());
        List<TcbField> then = before == null || after == null ? null : tcbFields(before);
        for (int i = 0; i < now.size(); i++) {
            changed.add(then != null && !then.get(i).value().equals(now.get(i).value()));
        }
        return changed;
    }

    private static String bytes(long value) {
        return value + " B";
    }

    private static String millis(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f ms", nanos / 1e6);
    }

    // ---------------------------------------------------------------- commands

    /** Opens a connection to the host and port in the fields. */
    public void connect() {
        StackRunner runner = runnerOrSayWhy();
        if (runner == null) {
            return;
        }
        Ipv4Address to;
        int toPort;
        try {
            to = InputCheck.ipv4("Host", host.get());
            toPort = InputCheck.port("Port", port.get(), false);
        } catch (InvalidInput e) {
            message.set(e.getMessage());
            return;
        }
        message.set(null);
        long action = result.newAction();
        result.show(action, "Connecting to " + to + ":" + toPort + "…");
        // Before the SYN leaves: a peer of our own session is then followed from its first state.
        stepMode.aboutToConnect(to);
        workers.execute(() -> {
            try {
                TcpSocket socket = TcpSocket.connect(runner, to, toPort, CONNECT_LIMIT);
                inbox.offer(() -> {
                    if (stack.runner() == runner) {
                        result.show(action, "Connected to " + to + ":" + toPort + " from port " + socket.localPort());
                        adopt(socket, true);
                    }
                });
            } catch (IOException | RuntimeException e) {
                String problem = "Connect to " + to + ":" + toPort + ": " + describe(e);
                inbox.offer(() -> {
                    if (stack.runner() == runner) {
                        result.show(action, null);
                        message.set(problem);
                    }
                });
            }
        });
    }

    /** Listens on the port in the field and accepts every connection to it (closing a listener opened before). */
    public void listen() {
        StackRunner runner = runnerOrSayWhy();
        if (runner == null) {
            return;
        }
        int on;
        try {
            on = InputCheck.port("Listen port", listenPort.get(), false);
        } catch (InvalidInput e) {
            message.set(e.getMessage());
            return;
        }
        message.set(null);
        stopListening();
        long action = result.newAction();
        workers.execute(() -> {
            TcpServerSocket server;
            try {
                server = TcpServerSocket.listen(runner, on, BACKLOG);
            } catch (IOException | RuntimeException e) {
                String problem = "Listen on port " + on + ": " + describe(e);
                inbox.offer(() -> message.set(problem));
                return;
            }
            inbox.offer(() -> {
                if (stack.runner() != runner || listener != null) {
                    closeQuietly(server);
                    return;
                }
                listener = server;
                listeningPort.set(on);
                result.show(action, "Listening on TCP port " + on);
            });
            try {
                while (true) {
                    TcpSocket accepted = server.accept();
                    inbox.offer(() -> {
                        if (stack.runner() == runner) {
                            // Not an action of the user's, but news as of now: shown over what came before.
                            result.showNow("Accepted " + accepted.remoteAddress() + ":" + accepted.remotePort());
                            adopt(accepted, true);
                        }
                    });
                }
            } catch (IOException | RuntimeException e) {
                // The listener was closed (Stop, or the network went away): nothing more to accept.
            }
        });
    }

    /** Closes the listening port; connections accepted on it stay. */
    public void stopListening() {
        if (listener != null) {
            TcpServerSocket closing = listener;
            listener = null;
            listeningPort.set(-1);
            result.showNow("Stopped listening on TCP port " + closing.port());
            workers.execute(() -> closeQuietly(closing));
        }
    }

    /** Sends the payload as UTF-8 on the selected connection, escapes such as \\r\\n turned into their characters. */
    public void send() {
        Connection connection = selectedWithSocket("send");
        if (connection == null) {
            return;
        }
        if (!connection.state.get().canSend()) {
            message.set("The connection is " + connection.state.get().rfcName() + ": it sends nothing more after its FIN");
            return;
        }
        String text = payload.get() == null ? "" : payload.get();
        if (text.isEmpty()) {
            message.set("Payload: type some text to send");
            return;
        }
        message.set(null);
        byte[] bytes = unescape(text).getBytes(StandardCharsets.UTF_8);
        TcpSocket socket = connection.socket;
        long action = result.newAction();
        workers.execute(() -> {
            try {
                socket.getOutputStream().write(bytes);
                long asked = System.nanoTime();
                TcpSnapshot after = socket.snapshot();
                inbox.offer(() -> {
                    result.show(action, "Sent " + bytes.length + (bytes.length == 1 ? " byte" : " bytes") + " to "
                            + socket.remoteAddress() + ":" + socket.remotePort());
                    connection.snapshot(after, asked);
                });
            } catch (IOException | RuntimeException e) {
                String problem = "Send: " + describe(e);
                inbox.offer(() -> message.set(problem));
            }
        });
    }

    /**
     * Sends {@code count} generated bytes (a repeating line of text) on the selected connection: a bulk transfer for
     * the charts. Returns null, or why it cannot.
     */
    String sendBlock(int count) {
        Connection connection = selected.get();
        if (connection == null) {
            return "Choose a connection in the list to send a block on, or open one with Connect (port 9 discards what it gets)";
        }
        if (connection.socket == null) {
            return "Connection #" + connection.id + " is not one this pane opened or accepted: it cannot send on it";
        }
        if (!connection.state.get().canSend()) {
            return "The connection is " + connection.state.get().rfcName() + ": it sends nothing more";
        }
        TcpSocket socket = connection.socket;
        long action = result.newAction();
        result.show(action, "Sending " + count + " bytes to " + socket.remoteAddress() + ":" + socket.remotePort() + "…");
        workers.execute(() -> {
            byte[] pattern = BlockPattern.BYTES;
            try {
                var out = socket.getOutputStream();
                for (int sent = 0; sent < count; ) {
                    int now = Math.min(pattern.length, count - sent);
                    out.write(pattern, 0, now);
                    sent += now;
                }
                long asked = System.nanoTime();
                TcpSnapshot after = socket.snapshot();
                inbox.offer(() -> {
                    result.show(action, "Sent a block of " + count + " bytes to " + socket.remoteAddress() + ":" + socket.remotePort());
                    connection.snapshot(after, asked);
                });
            } catch (IOException | RuntimeException e) {
                String problem = "Send block: " + describe(e);
                inbox.offer(() -> message.set(problem));
            }
        });
        return null;
    }

    /**
     * 64 KiB of numbered lines of text: readable in a capture's bytes pane, and in the echo's Received box. Made
     * the first time a block is sent, not as the window starts (1,400 formatted lines on the FX thread).
     */
    private static final class BlockPattern {
        static final byte[] BYTES = blockPattern();
    }

    private static byte[] blockPattern() {
        StringBuilder text = new StringBuilder();
        for (int line = 0; text.length() < 64 * 1024; line++) {
            text.append(String.format(java.util.Locale.ROOT, "stacklab block line %05d .......................\n", line));
        }
        return text.substring(0, 64 * 1024).getBytes(StandardCharsets.US_ASCII);
    }

    /** Closes the selected connection: a FIN after the data sent (RFC 9293 3.10.4). */
    public void close() {
        Connection connection = selectedWithSocket("close");
        if (connection != null) {
            message.set(null);
            TcpSocket socket = connection.socket;
            long action = result.newAction();
            workers.execute(() -> command(action, "Close", socket::close,
                    "Closing: a FIN follows the data sent to " + socket.remoteAddress() + ":" + socket.remotePort()));
        }
    }

    /** Aborts the selected connection: a RST, unsent data dropped (RFC 9293 3.10.5). */
    public void abort() {
        Connection connection = selectedWithSocket("abort");
        if (connection != null) {
            message.set(null);
            TcpSocket socket = connection.socket;
            long action = result.newAction();
            workers.execute(() -> command(action, "Abort", socket::abort,
                    "Aborted: a RST went to " + socket.remoteAddress() + ":" + socket.remotePort()));
        }
    }

    /**
     * The application reads once from the chosen connection: up to {@value #READ_SIZE} bytes of what its receive buffer
     * holds (or of the next data to arrive), which opens the window that much.
     */
    public void read() {
        Connection connection = selectedWithSocket("read from");
        if (connection != null) {
            message.set(null);
            long action = result.newAction();
            connection.reading.readOnce(action);
            result.show(action, connection.reading.isAutomatic() ? "#" + connection.id + " is read as data comes already"
                    : "Read: up to " + READ_SIZE + " bytes from #" + connection.id + " (or of the next data to arrive)");
        }
    }

    private interface SocketSetting {
        void apply(TcpSocket socket) throws IOException;
    }

    /** A switch changed by the user: the chosen connection remembers it (FX thread) and its socket is told (a worker). */
    private void switchChanged(String what, boolean on, java.util.function.Consumer<Connection> remember, SocketSetting setting) {
        Connection connection = selected.get();
        if (showingSwitches || connection == null || connection.socket == null || connection.state.get() == TcpState.CLOSED) {
            return;
        }
        remember.accept(connection);
        TcpSocket socket = connection.socket;
        long action = result.newAction();
        workers.execute(() -> command(action, what, () -> setting.apply(socket), what + (on ? " on" : " off") + " for #" + connection.id));
    }

    /** Shows the chosen connection's own settings in the switches. */
    private void showSwitchesOf(Connection connection) {
        if (connection == null || connection.socket == null) {
            return;
        }
        showingSwitches = true;
        try {
            nagle.set(connection.nagle);
            delayedAck.set(connection.delayedAck);
            autoRead.set(connection.reading.isAutomatic());
        } finally {
            showingSwitches = false;
        }
    }

    /**
     * Turns C-style escapes into the characters they name ({@code \r}, {@code \n}, {@code \t}, {@code \\}), so
     * that a line of a text protocol can be typed in a one-line field ("GET / HTTP/1.0\r\n\r\n"); any other
     * backslash stays as it is.
     */
    static String unescape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(i + 1);
                String meant = switch (next) {
                    case 'r' -> "\r";
                    case 'n' -> "\n";
                    case 't' -> "\t";
                    case '\\' -> "\\";
                    default -> null;
                };
                if (meant != null) {
                    out.append(meant);
                    i++;
                    continue;
                }
            }
            out.append(c);
        }
        return out.toString();
    }

    /** Forgets the closed connections. */
    public void clearClosed() {
        connections.removeIf(connection -> connection.state.get() == TcpState.CLOSED);
        if (selected.get() != null && !connections.contains(selected.get())) {
            selected.set(connections.isEmpty() ? null : connections.get(connections.size() - 1));
        }
    }

    // ---------------------------------------------------------------- step mode's row

    /**
     * Shows a step-mode scenario's client as a row of the list, chosen, with its path and TCB as they stand: the
     * diagram and the TCB grid then follow it as any connection. Going back shortens the path. Returns the row.
     */
    Connection showScenarioConnection(Connection row, TcpEndpoints endpoints, List<TcpState> path, TcpSnapshot snapshot) {
        if (row == null || !row.endpoints.equals(endpoints) || !connections.contains(row)) {
            forgetScenarioConnection(row);
            row = new Connection(-1, endpoints, path.get(0));
            row.scenario = true;
            add(row);
        }
        if (!row.states.equals(path)) {
            if (path.size() == row.states.size() + 1 && path.subList(0, row.states.size()).equals(row.states)) {
                row.moved(path.get(path.size() - 1));
            } else {
                row.states.setAll(path);
                row.state.set(path.get(path.size() - 1));
            }
        }
        row.snapshot.set(snapshot);
        row.snapshotAsked = Long.MIN_VALUE;
        selected.set(row);
        return row;
    }

    /** Removes a scenario's row (step mode left, or another scenario started). */
    void forgetScenarioConnection(Connection row) {
        if (row != null) {
            connections.remove(row);
            if (selected.get() == row) {
                selected.set(connections.isEmpty() ? null : connections.get(connections.size() - 1));
            }
        }
    }

    // ---------------------------------------------------------------- FX thread

    private interface SocketCall {
        void run() throws IOException;
    }

    private void command(long action, String what, SocketCall call, String done) {
        try {
            call.run();
            if (done != null) {
                inbox.offer(() -> result.show(action, done));
            }
        } catch (IOException | RuntimeException e) {
            String problem = what + ": " + describe(e);
            inbox.offer(() -> message.set(problem));
        }
    }

    private Connection selectedWithSocket(String what) {
        Connection connection = selected.get();
        if (connection == null) {
            message.set("Choose a connection in the list to " + what + ", or open one with Connect");
            return null;
        }
        if (connection.socket == null) {
            message.set("Connection #" + connection.id + " is not one this pane opened or accepted: it cannot " + what + " it");
            return null;
        }
        if (connection.state.get() == TcpState.CLOSED) {
            message.set("Connection #" + connection.id + " is closed already");
            return null;
        }
        return connection;
    }

    private StackRunner runnerOrSayWhy() {
        StackRunner runner = stack.runner();
        if (runner == null) {
            message.set(stack.unavailableReason());
        }
        return runner;
    }

    private void stackEvent(StackRunner runner, StackEvent event) {
        TcpEvent tcp = ((StackEvent.TcpConnectionEvent) event).event();
        charts.tcpEvent(tcp);
        Connection connection = find(tcp.connectionId());
        if (tcp instanceof TcpEvent.StateChanged changed) {
            if (connection == null) {
                // The engine makes a passive connection in SYN-RECEIVED from its listener: Figure 5 draws that
                // as LISTEN -> SYN-RECEIVED, so the path starts at LISTEN.
                TcpState first = changed.from() == TcpState.CLOSED && changed.to() == TcpState.SYN_RECEIVED
                        ? TcpState.LISTEN : changed.from();
                connection = add(new Connection(tcp.connectionId(), tcp.endpoints(), first));
            }
            connection.moved(changed.to());
            connection.snapshot(changed.snapshot(), System.nanoTime());
            if (changed.to() == TcpState.CLOSED) {
                connection.closeReason.set(changed.closeReason() == null ? "closed" : changed.closeReason().description());
            }
        } else if (connection != null && tcp instanceof TcpEvent.Retransmitted retransmitted) {
            connection.snapshot(retransmitted.snapshot(), System.nanoTime());
        } else if (connection != null && tcp instanceof TcpEvent.SnapshotTaken taken) {
            connection.snapshot(taken.snapshot(), System.nanoTime());
        }
    }

    private Connection find(long id) {
        for (int i = connections.size() - 1; i >= 0; i--) {
            if (connections.get(i).id == id) {
                return connections.get(i);
            }
        }
        return null;
    }

    private Connection add(Connection connection) {
        connections.add(connection);
        while (connections.size() > MAX_CONNECTIONS) {
            Connection gone = connections.stream().filter(c -> c.state.get() == TcpState.CLOSED).findFirst()
                    .orElse(connections.get(0));
            connections.remove(gone);
        }
        if (selected.get() == null || selected.get().state.get() == TcpState.CLOSED) {
            selected.set(connection);
        }
        return connection;
    }

    /** Ties a socket to its row (made from its first event, which comes before the socket) and reads from it. */
    private void adopt(TcpSocket socket, boolean select) {
        Connection connection = null;
        for (int i = connections.size() - 1; i >= 0 && connection == null; i--) {
            if (connections.get(i).endpoints.equals(socket.endpoints()) && connections.get(i).socket == null) {
                connection = connections.get(i);
            }
        }
        if (connection == null) {
            // Its events were dropped (a full inbox): the row starts from what the socket says.
            connection = add(new Connection(-1, socket.endpoints(), TcpState.ESTABLISHED));
        }
        connection.socket = socket;
        // A new connection takes the switches as they are set.
        connection.nagle = nagle.get();
        connection.delayedAck = delayedAck.get();
        connection.reading.automatic(autoRead.get());
        if (!connection.nagle || !connection.delayedAck) {
            Connection set = connection;
            workers.execute(() -> command(0, "Switches", () -> {
                socket.setNoDelay(!set.nagle);
                socket.setDelayedAck(set.delayedAck);
            }, null));
        }
        updateSelectedCanSend();
        if (select) {
            selected.set(connection);
        }
        Connection reading = connection;
        workers.execute(() -> read(socket, reading));
    }

    /** On a worker: what the peer sends, until its FIN or the end of the connection. */
    private void read(TcpSocket socket, Connection connection) {
        byte[] buffer = new byte[READ_SIZE];
        // Reads give up now and then, so that turning automatic reading off holds back the very next data too.
        socket.setReadTimeout(READ_RECHECK);
        // Not closed at the end of the stream: after the peer's FIN the connection waits in CLOSE-WAIT for Close.
        InputStream in = socket.getInputStream();
        try {
            while (true) {
                connection.reading.mayRead();
                int n;
                try {
                    n = in.read(buffer);
                } catch (java.net.SocketTimeoutException e) {
                    continue;
                }
                if (n <= 0) {
                    break;
                }
                long readAction = connection.reading.took();
                String text = new String(buffer, 0, n, StandardCharsets.UTF_8);
                // Data in means our data out was likely acknowledged: the grid shows the TCB as it is now.
                long asked = System.nanoTime();
                TcpSnapshot now = socket.snapshot();
                boolean readByHand = !connection.reading.isAutomatic();
                int got = n;
                inbox.offer(() -> {
                    connection.snapshot(now, asked);
                    if (readByHand) {
                        result.show(readAction, "Read " + got + (got == 1 ? " byte" : " bytes") + " from #" + connection.id);
                    }
                    String all = connection.received.get() + text;
                    connection.received.set(all.length() > MAX_RECEIVED_CHARS
                            ? all.substring(all.length() - MAX_RECEIVED_CHARS) : all);
                });
            }
        } catch (IOException | RuntimeException e) {
            // Reset or aborted: the state change says so.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * When the application (the pane's reader of one connection) takes data from the socket: always, or, with
     * automatic reading off, one read() per Read pressed: up to {@value TcpViewModel#READ_SIZE} bytes of what the
     * receive buffer holds, or of the next data to arrive.
     */
    static final class ReadGate {
        private boolean automatic = true;
        private boolean readAsked;
        private boolean parked;
        /** The press of Read that let the reader take data (the pane's action number), 0 before the first. */
        private long readAction;

        synchronized void automatic(boolean on) {
            automatic = on;
            notifyAll();
        }

        synchronized boolean isAutomatic() {
            return automatic;
        }

        synchronized void readOnce(long action) {
            readAsked = true;
            readAction = action;
            notifyAll();
        }

        /** Waits until the application reads. */
        synchronized void mayRead() throws InterruptedException {
            while (!automatic && !readAsked) {
                parked = true;
                wait();
            }
            parked = false;
        }

        /** Whether the reader is waiting for Read (automatic reading off has taken hold). */
        synchronized boolean isParked() {
            return parked;
        }

        /**
         * A read took data: one Read is one read() of up to {@value TcpViewModel#READ_SIZE} bytes. Returns the action
         * number of the last Read pressed, whose result the read is.
         */
        synchronized long took() {
            readAsked = false;
            return readAction;
        }
    }

    private void runnerChanged(StackRunner runner) {
        // The old runner's connections and listener go with its session.
        listener = null;
        listeningPort.set(-1);
        connections.clear();
        selected.set(null);
        result.showNow(null);
        message.set(null);
    }

    private static void closeQuietly(TcpServerSocket server) {
        try {
            server.close();
        } catch (IOException | RuntimeException e) {
            // Closing a listener of a stack that has gone: nothing left to close.
        }
    }

    private static String describe(Throwable failure) {
        String text = failure.getMessage();
        return text == null || text.isBlank() ? failure.getClass().getSimpleName() : text;
    }

    private static final class DaemonThreads implements java.util.concurrent.ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(Objects.requireNonNull(task), "tcp pane " + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}
