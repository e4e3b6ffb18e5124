package dev.stacklab.app.tcp;

import dev.stacklab.stack.tcp.TcpState;

import java.util.ArrayList;
import java.util.List;

/**
 * The peer's states, inferred from ours: each of our state changes is caused by what the peer sent (a SYN-ACK
 * means it is in SYN-RECEIVED, a FIN that it left ESTABLISHED) or tells it something (our ACK of its FIN takes it
 * on to FIN-WAIT-2). Against a real peer this is all we can know of it, so the pane marks it "inferred"; the peer's
 * own timers, and segments lost on the way, can make it differ. RFC 9293 Figure 5, read from the other end.
 */
final class PeerStateInference {
    private PeerStateInference() {
    }

    /** The peer's path that {@code ours} (our states, first to last) implies. */
    static List<TcpState> infer(List<TcpState> ours) {
        List<TcpState> peer = new ArrayList<>();
        if (ours.isEmpty()) {
            return peer;
        }
        // Who opened: our first move says whether the peer listened (we sent a SYN) or connected (we got one).
        peer.add(ours.size() > 1 && ours.get(1) == TcpState.SYN_SENT ? TcpState.LISTEN : TcpState.CLOSED);
        for (int i = 1; i < ours.size(); i++) {
            follow(peer, ours.get(i - 1), ours.get(i));
        }
        return peer;
    }

    private static void follow(List<TcpState> peer, TcpState from, TcpState to) {
        TcpState now = peer.get(peer.size() - 1);
        switch (to) {
            case SYN_RECEIVED -> move(peer, TcpState.SYN_SENT);          // it sent a SYN
            case ESTABLISHED -> {
                if (from == TcpState.SYN_SENT) {
                    move(peer, TcpState.SYN_RECEIVED);                   // its SYN-ACK came
                }
                move(peer, TcpState.ESTABLISHED);                        // our ACK (or its ACK of ours) completes it
            }
            case CLOSE_WAIT -> move(peer, TcpState.FIN_WAIT_1);          // its FIN came
            case FIN_WAIT_2 -> {
                if (now == TcpState.ESTABLISHED) {
                    move(peer, TcpState.CLOSE_WAIT);                     // it acknowledged our FIN
                }
            }
            case CLOSING -> move(peer, TcpState.FIN_WAIT_1);             // its FIN crossed ours
            case TIME_WAIT -> {
                if (from == TcpState.FIN_WAIT_2 || from == TcpState.FIN_WAIT_1) {
                    if (now == TcpState.ESTABLISHED) {
                        move(peer, TcpState.CLOSE_WAIT);
                    }
                    move(peer, TcpState.LAST_ACK);                       // its FIN after its ACK of ours
                } else if (from == TcpState.CLOSING) {
                    move(peer, TcpState.CLOSING);                        // it acknowledged our FIN in CLOSING too
                    move(peer, TcpState.TIME_WAIT);
                }
            }
            case LAST_ACK -> {
                if (now == TcpState.FIN_WAIT_1) {
                    move(peer, TcpState.FIN_WAIT_2);                     // it had our ACK of its FIN
                }
            }
            case CLOSED -> {
                if (from == TcpState.LAST_ACK) {
                    if (now == TcpState.FIN_WAIT_1) {
                        move(peer, TcpState.FIN_WAIT_2);
                    }
                    move(peer, TcpState.TIME_WAIT);                      // it acknowledged our FIN, from TIME-WAIT
                } else if (from != TcpState.TIME_WAIT) {
                    move(peer, TcpState.CLOSED);                         // a RST, either way
                }
            }
            default -> {
                // LISTEN, SYN-SENT, FIN-WAIT-1: our own doing; the peer learns of it later.
            }
        }
    }

    private static void move(List<TcpState> peer, TcpState to) {
        if (peer.get(peer.size() - 1) != to) {
            peer.add(to);
        }
    }
}
