package dev.stacklab.app.udp;

import dev.stacklab.app.ActionResult;
import dev.stacklab.app.AppContext;
import dev.stacklab.app.EventPump;
import dev.stacklab.app.InputCheck;
import dev.stacklab.app.InputCheck.InvalidInput;
import dev.stacklab.app.SessionStack;
import dev.stacklab.runtime.StackRunner;
import dev.stacklab.stack.UdpReceiver;
import dev.stacklab.stack.UdpSocket;
import dev.stacklab.wire.Ipv4Address;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The UDP pane: bind a port of our stack, send datagrams (text or hex) to any IP and port, and list the datagrams
 * that arrive on the port with their source. Datagrams are carried from the runner thread through the inbox; a
 * flood costs rows (the list keeps the latest {@value #MAX_ROWS}) and inbox drops, never memory.
 */
public final class UdpViewModel {
    static final int MAX_ROWS = 1000;
    /** The largest UDP payload in one IPv4 datagram: 65535 - 20 (IPv4) - 8 (UDP). */
    static final int MAX_PAYLOAD = 65507;
    /** Bytes of each datagram the list shows; the length column still tells the whole size. */
    static final int SHOWN_BYTES = 256;
    private static final int INBOX_CAPACITY = 16_384;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    /** One received datagram as the list shows it: text with non-printable bytes as dots, and hex. */
    public record DatagramRow(String time, String source, int length, String text, String hex) {
    }

    private final AppContext context;
    private final EventPump<Runnable> inbox;
    private final SessionStack stack;

    private final StringProperty bindPort = new SimpleStringProperty(this, "bindPort", "0");
    private final StringProperty destination = new SimpleStringProperty(this, "destination", "");
    private final StringProperty destinationPort = new SimpleStringProperty(this, "destinationPort", "7");
    private final StringProperty payload = new SimpleStringProperty(this, "payload", "");
    private final BooleanProperty payloadIsHex = new SimpleBooleanProperty(this, "payloadIsHex", false);
    private final BooleanProperty showHex = new SimpleBooleanProperty(this, "showHex", false);
    private final ObservableList<DatagramRow> received = FXCollections.observableArrayList();
    /** Read-only, and one instance: a wrapper made per call would lose its listeners when collected. */
    private final ObservableList<DatagramRow> receivedView = FXCollections.unmodifiableObservableList(received);
    private final ReadOnlyIntegerWrapper boundPort = new ReadOnlyIntegerWrapper(this, "boundPort", -1);
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "Not bound");
    /**
     * What the last action came to. A send pressed while the port is still being bound has its result applied first
     * (a future runs the callbacks added last first): the bind's "Bound to" then must not replace it.
     */
    private final ActionResult result = new ActionResult(this, "result");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message");
    private final ReadOnlyLongWrapper receivedCount = new ReadOnlyLongWrapper(this, "receivedCount");
    private final BooleanBinding available;

    /** The socket being bound or bound, of the current runner; null when none. */
    private CompletableFuture<UdpSocket> socket;

    /** The pane in the app: datagrams arrive once per pulse on the FX thread. FX thread. */
    public UdpViewModel(AppContext context) {
        this(context, new EventPump<>(INBOX_CAPACITY, UdpViewModel::runAll));
        inbox.start();
    }

    /** With an inbox the caller drains (tests). */
    UdpViewModel(AppContext context, EventPump<Runnable> inbox) {
        this.context = context;
        this.inbox = inbox;
        this.stack = new SessionStack(context.session(), "send UDP", inbox, event -> false, (runner, event) -> { },
                this::runnerChanged);
        stack.offerSuggestedPeerTo(destination);
        this.available = Bindings.createBooleanBinding(() -> stack.runner() != null, stack.runnerProperty());
    }

    static void runAll(List<Runnable> tasks) {
        tasks.forEach(Runnable::run);
    }

    // ---------------------------------------------------------------- properties

    /** The local port to bind; 0 asks the stack for an ephemeral one. */
    public StringProperty bindPortProperty() {
        return bindPort;
    }

    public StringProperty destinationProperty() {
        return destination;
    }

    public StringProperty destinationPortProperty() {
        return destinationPort;
    }

    public StringProperty payloadProperty() {
        return payload;
    }

    /** Whether {@link #payloadProperty()} is hex ("48 69") rather than text (sent as UTF-8). */
    public BooleanProperty payloadIsHexProperty() {
        return payloadIsHex;
    }

    /** Whether the received list shows contents as hex rather than text. */
    public BooleanProperty showHexProperty() {
        return showHex;
    }

    public ObservableList<DatagramRow> received() {
        return receivedView;
    }

    /** The bound local port, or -1. */
    public ReadOnlyIntegerProperty boundPortProperty() {
        return boundPort.getReadOnlyProperty();
    }

    /** "Bound to UDP port 49152" or "Not bound". */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** What the last command did ("Sent 5 bytes to 10.0.0.1:7"), or null. */
    public ReadOnlyStringProperty resultProperty() {
        return result.property();
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** Datagrams received on the port since it was bound (the list keeps only the latest). */
    public ReadOnlyLongProperty receivedCountProperty() {
        return receivedCount.getReadOnlyProperty();
    }

    public BooleanBinding availableBinding() {
        return available;
    }

    public ReadOnlyStringProperty unavailableReasonProperty() {
        return stack.unavailableReasonProperty();
    }

    // ---------------------------------------------------------------- commands

    /** Binds the port in the field (closing a port bound before). */
    public void bind() {
        StackRunner runner = runnerOrSayWhy();
        if (runner == null) {
            return;
        }
        int port;
        try {
            port = InputCheck.port("Local port", bindPort.get(), true);
        } catch (InvalidInput e) {
            message.set(e.getMessage());
            return;
        }
        message.set(null);
        unbind();
        long action = result.newAction();
        bind(runner, port, bound -> result.show(action, "Bound to UDP port " + bound.localPort()));
    }

    /** Closes the bound port: later datagrams to it get ICMP port unreachable. */
    public void unbind() {
        if (socket != null) {
            socket.thenAccept(UdpSocket::close);
            socket = null;
            boundPort.set(-1);
            status.set("Not bound");
        }
    }

    /** Sends the payload to the destination, binding an ephemeral port first when none is bound (as sendto does). */
    public void send() {
        StackRunner runner = runnerOrSayWhy();
        if (runner == null) {
            return;
        }
        Ipv4Address to;
        int port;
        byte[] bytes;
        try {
            to = InputCheck.ipv4("Destination", destination.get());
            port = InputCheck.port("Port", destinationPort.get(), false);
            bytes = payloadIsHex.get() ? InputCheck.hex("Payload", payload.get())
                    : (payload.get() == null ? "" : payload.get()).getBytes(StandardCharsets.UTF_8);
            if (bytes.length > MAX_PAYLOAD) {
                throw new InvalidInput("Payload: " + bytes.length + " bytes is more than one UDP datagram carries ("
                        + MAX_PAYLOAD + ")");
            }
        } catch (InvalidInput e) {
            message.set(e.getMessage());
            return;
        }
        message.set(null);
        String sent = "Sent " + bytes.length + (bytes.length == 1 ? " byte" : " bytes") + " to " + to + ":" + port;
        long action = result.newAction();
        Consumer<UdpSocket> sendOn = bound -> {
            bound.send(to, port, bytes, 0, bytes.length);
            result.show(action, sent + " from port " + bound.localPort());
        };
        if (socket == null) {
            bind(runner, 0, sendOn);
        } else {
            CompletableFuture<UdpSocket> current = socket;
            current.whenComplete((bound, failure) -> inbox.offer(() -> {
                if (bound != null && socket == current) {
                    sendOn.accept(bound);
                }
            }));
        }
    }

    public void clear() {
        received.clear();
    }

    // ---------------------------------------------------------------- FX thread

    private StackRunner runnerOrSayWhy() {
        StackRunner runner = stack.runner();
        if (runner == null) {
            message.set(stack.unavailableReason());
        }
        return runner;
    }

    private void bind(StackRunner runner, int port, Consumer<UdpSocket> then) {
        CompletableFuture<UdpSocket> binding = runner.udpBind(port, new Receiver(runner));
        socket = binding;
        binding.whenComplete((bound, failure) -> inbox.offer(() -> {
            if (socket != binding) {
                if (bound != null) {
                    bound.close();
                }
                return;
            }
            if (failure != null) {
                socket = null;
                String problem = port == 0 ? "No UDP port could be bound: " + rootMessage(failure)
                        : "UDP port " + port + " could not be bound: " + rootMessage(failure);
                message.set(problem);
                context.notifier().error(problem, port == 0 ? "Start the network again from the toolbar."
                        : "Choose another port, or 0 for a free one.");
                return;
            }
            boundPort.set(bound.localPort());
            status.set("Bound to UDP port " + bound.localPort());
            receivedCount.set(0);
            then.accept(bound);
        }));
    }

    private void runnerChanged(StackRunner runner) {
        // The old runner's socket goes with its session.
        socket = null;
        boundPort.set(-1);
        status.set("Not bound");
        result.showNow(null);
        message.set(null);
    }

    private void arrived(DatagramRow row) {
        receivedCount.set(receivedCount.get() + 1);
        received.add(row);
        if (received.size() > MAX_ROWS) {
            received.remove(0, received.size() - MAX_ROWS);
        }
    }

    static DatagramRow row(long epochMillis, Ipv4Address source, int sourcePort, byte[] payload) {
        int shown = Math.min(payload.length, SHOWN_BYTES);
        StringBuilder text = new StringBuilder(shown + 1);
        for (int i = 0; i < shown; i++) {
            int b = payload[i] & 0xFF;
            text.append(b >= 0x20 && b < 0x7F ? (char) b : '.');
        }
        String hex = HexFormat.ofDelimiter(" ").formatHex(payload, 0, shown);
        if (shown < payload.length) {
            text.append('…');
            hex += " …";
        }
        return new DatagramRow(TIME.format(Instant.ofEpochMilli(epochMillis)), source + ":" + sourcePort, payload.length,
                text.toString(), hex);
    }

    /** On the runner thread: each datagram or ICMP error becomes a task in the inbox. */
    private final class Receiver implements UdpReceiver {
        private final StackRunner runner;

        Receiver(StackRunner runner) {
            this.runner = runner;
        }

        @Override
        public void received(UdpSocket socket, Ipv4Address source, int sourcePort, byte[] payload) {
            DatagramRow row = row(System.currentTimeMillis(), source, sourcePort, payload);
            inbox.offer(() -> {
                if (stack.runner() == runner) {
                    arrived(row);
                }
            });
        }

        @Override
        public void errorReceived(UdpSocket socket, Ipv4Address reportedBy, int icmpType, int icmpCode,
                                  Ipv4Address destination, int destinationPort) {
            String what = icmpType == 3 && icmpCode == 3 ? "port " + destinationPort + " unreachable"
                    : "ICMP type " + icmpType + " code " + icmpCode;
            String text = reportedBy + " answered " + destination + ":" + destinationPort + " with " + what
                    + (icmpType == 3 && icmpCode == 3 ? ": nothing listens there" : "");
            inbox.offer(() -> {
                if (stack.runner() == runner) {
                    message.set(text);
                }
            });
        }
    }

    private static String rootMessage(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }
}
