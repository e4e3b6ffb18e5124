package dev.stacklab.app;

import dev.stacklab.runtime.LabSession;
import dev.stacklab.runtime.RunnerListener;
import dev.stacklab.runtime.StackRunner;
import dev.stacklab.stack.StackEvent;
import dev.stacklab.wire.Ipv4Address;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.StringProperty;

import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A tool pane's hold on the stack of the session the app is attached to: which runner to send commands to (none
 * without a session, or with a watch-only one, and then the reason in words a user can act on), and the stack events
 * the pane wants, carried from the runner thread into the pane's inbox (an {@link EventPump} of tasks, drained once
 * per pulse on the FX thread). When the user picks another network, the listener moves to the new runner and events
 * still queued from the old one are discarded.
 *
 * <p>Plain Java apart from the properties: view-model tests drive it without an FX thread.
 */
public final class SessionStack {
    private final String purpose;
    private final EventPump<Runnable> inbox;
    private final Predicate<StackEvent> wanted;
    private final BiConsumer<StackRunner, StackEvent> handler;
    private final Consumer<StackRunner> onChange;
    private final ReadOnlyObjectWrapper<StackRunner> runner = new ReadOnlyObjectWrapper<>(this, "runner");
    private final ReadOnlyStringWrapper unavailableReason = new ReadOnlyStringWrapper(this, "unavailableReason");
    private final ReadOnlyObjectWrapper<Ipv4Address> suggestedPeer = new ReadOnlyObjectWrapper<>(this, "suggestedPeer");
    private RunnerListener listener;

    /**
     * @param session  the session property of the app's context; followed from now on (FX thread)
     * @param purpose  what the pane does, for the reason it cannot ("ping", "resolve addresses")
     * @param inbox    where events go, as tasks run on the FX thread
     * @param wanted   which events to carry (tested on the runner thread: keep it cheap)
     * @param handler  called on the FX thread with each wanted event of the current runner
     * @param onChange called on the FX thread when the runner changes later (null when there is none now)
     */
    public SessionStack(ReadOnlyObjectProperty<LabSession> session, String purpose, EventPump<Runnable> inbox,
                        Predicate<StackEvent> wanted, BiConsumer<StackRunner, StackEvent> handler, Consumer<StackRunner> onChange) {
        this.purpose = Objects.requireNonNull(purpose, "purpose");
        this.inbox = Objects.requireNonNull(inbox, "inbox");
        this.wanted = Objects.requireNonNull(wanted, "wanted");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.onChange = Objects.requireNonNull(onChange, "onChange");
        session.addListener((observable, old, now) -> follow(now, true));
        // The pane is being built: it sets itself up for the first runner without a callback into it.
        follow(session.get(), false);
    }

    /** The stack to command, or null (then {@link #unavailableReasonProperty()} says why). */
    public ReadOnlyObjectProperty<StackRunner> runnerProperty() {
        return runner.getReadOnlyProperty();
    }

    public StackRunner runner() {
        return runner.get();
    }

    /** Why the pane cannot act now ("No network is running..."), or null when it can. */
    public ReadOnlyStringProperty unavailableReasonProperty() {
        return unavailableReason.getReadOnlyProperty();
    }

    /** The reason as {@link #unavailableReasonProperty()}, for a view-model's validation. */
    public String unavailableReason() {
        return unavailableReason.get();
    }

    /** The host the session suggests talking to first (see {@link LabSession#suggestedPeer()}), or null. */
    public ReadOnlyObjectProperty<Ipv4Address> suggestedPeerProperty() {
        return suggestedPeer.getReadOnlyProperty();
    }

    /**
     * Keeps an address field filled with the session's suggested peer, so a new user can press Start at once: the
     * field takes the suggestion when it is blank or still holds the previous network's suggestion, and is left
     * alone once the user typed something else.
     */
    public void offerSuggestedPeerTo(StringProperty field) {
        if (field.get() == null || field.get().isBlank()) {
            field.set(textOf(suggestedPeer.get()));
        }
        suggestedPeer.addListener((observable, old, now) -> {
            String current = field.get();
            if (current == null || current.isBlank() || current.equals(textOf(old))) {
                field.set(textOf(now));
            }
        });
    }

    private static String textOf(Ipv4Address address) {
        return address == null ? "" : address.toString();
    }

    private void follow(LabSession session, boolean tell) {
        suggestedPeer.set(session == null ? null : session.suggestedPeer().orElse(null));
        StackRunner previous = runner.get();
        StackRunner next = session == null ? null : session.stack().orElse(null);
        if (next != null && next == previous && listener != null) {
            return;
        }
        if (previous != null && listener != null) {
            previous.removeListener(listener);
            listener = null;
        }
        if (session == null) {
            unavailableReason.set("No network is running: choose one in the toolbar and press Start to " + purpose + ".");
        } else if (next == null) {
            unavailableReason.set("\"" + session.name() + "\" only watches the network: it has no stack of ours to "
                    + purpose + " from. Choose a network with a stack, such as the Simulated LAN.");
        } else {
            unavailableReason.set(null);
            listener = forwarder(next);
            next.addListener(listener);
        }
        runner.set(next);
        if (tell) {
            onChange.accept(next);
        }
    }

    private RunnerListener forwarder(StackRunner from) {
        return new RunnerListener() {
            @Override
            public void stackEvent(StackEvent event) {
                if (wanted.test(event)) {
                    inbox.offer(() -> {
                        if (runner.get() == from) {
                            handler.accept(from, event);
                        }
                    });
                }
            }
        };
    }
}
