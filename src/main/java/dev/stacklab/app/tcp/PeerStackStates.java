package dev.stacklab.app.tcp;

import dev.stacklab.app.EventPump;
import dev.stacklab.runtime.RunnerListener;
import dev.stacklab.runtime.StackRunner;
import dev.stacklab.stack.StackEvent;
import dev.stacklab.stack.tcp.TcpCause;
import dev.stacklab.stack.tcp.TcpEndpoints;
import dev.stacklab.stack.tcp.TcpEvent;
import dev.stacklab.stack.tcp.TcpState;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The states of the connections of a peer that is a stacklab stack of our own session (the simulated LAN's server),
 * read from its runner's events: the TCP pane's second diagram then shows that end as it is, not inferred. Events
 * come from the peer's runner thread through the pane's inbox; the paths are kept on the FX thread, the latest
 * {@value #MAX_CONNECTIONS} connections.
 */
final class PeerStackStates {
    static final int MAX_CONNECTIONS = 64;

    /** One connection of the peer: its states, and the cause of the last change. */
    record Path(List<TcpState> states, String lastCause) {
    }

    private final EventPump<Runnable> inbox;
    private final Runnable changed;
    private final Map<TcpEndpoints, Path> paths = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<TcpEndpoints, Path> eldest) {
            return size() > MAX_CONNECTIONS;
        }
    };
    private StackRunner watched;
    private RunnerListener listener;

    /** @param changed told on the FX thread after a peer connection changed state */
    PeerStackStates(EventPump<Runnable> inbox, Runnable changed) {
        this.inbox = inbox;
        this.changed = changed;
    }

    /** Follows {@code runner}'s connections from now on (null: none), forgetting the previous peer's. FX thread. */
    void watch(StackRunner runner) {
        if (runner == watched) {
            return;
        }
        if (watched != null) {
            watched.removeListener(listener);
        }
        paths.clear();
        watched = runner;
        if (runner == null) {
            listener = null;
            return;
        }
        StackRunner from = runner;
        listener = new RunnerListener() {
            @Override
            public void stackEvent(StackEvent event) {
                if (event instanceof StackEvent.TcpConnectionEvent tcp && tcp.event() instanceof TcpEvent.StateChanged change) {
                    inbox.offer(() -> {
                        if (watched == from) {
                            record(change);
                        }
                    });
                }
            }
        };
        runner.addListener(listener);
    }

    StackRunner watched() {
        return watched;
    }

    /** The path of the peer's connection with our {@code ours} endpoints seen from its side, or null. */
    Path pathFacing(TcpEndpoints ours) {
        return paths.get(new TcpEndpoints(ours.remoteAddress(), ours.remotePort(), ours.localAddress(), ours.localPort()));
    }

    private void record(TcpEvent.StateChanged change) {
        Path before = paths.get(change.endpoints());
        List<TcpState> states = new ArrayList<>();
        if (before == null) {
            // A passive connection is made in SYN-RECEIVED from its listener: Figure 5 starts it at LISTEN.
            states.add(change.from() == TcpState.CLOSED && change.to() == TcpState.SYN_RECEIVED ? TcpState.LISTEN : change.from());
        } else {
            states.addAll(before.states());
        }
        states.add(change.to());
        String cause;
        if (change.cause() instanceof TcpCause.Segment segment) {
            String flags = segment.flags().toString();
            cause = "rcv " + flags.substring(1, flags.length() - 1);
        } else if (change.cause() instanceof TcpCause.Timer timer) {
            cause = timer.timer().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + " timer";
        } else {
            cause = String.valueOf(change.cause());
        }
        paths.put(change.endpoints(), new Path(List.copyOf(states), cause));
        changed.run();
    }
}
