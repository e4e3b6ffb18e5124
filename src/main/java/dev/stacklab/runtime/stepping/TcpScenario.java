package dev.stacklab.runtime.stepping;

import dev.stacklab.stack.tcp.TcpConfig;
import dev.stacklab.stack.tcp.TcpConnection;

/**
 * The scenarios step mode offers, each a short script played from a seed on {@link TcpStepLab}'s two stacks: the
 * client (10.0.0.2) and the server (10.0.0.1) on one simulated wire, 5 ms each way at 10 Mbit/s. Times are virtual milliseconds
 * after the start; a scenario that needs a segment lost names the one (the first data segment, say), so it is
 * lost on every run, not by chance.
 */
public enum TcpScenario {
    HANDSHAKE("Three-way handshake",
            "The client connects to port 80, where the server listens: SYN, SYN-ACK, ACK (RFC 9293 3.5)."),
    SIMULTANEOUS_OPEN("Simultaneous open",
            "Both ends connect to each other at once: their SYNs cross, each answers with a SYN-ACK (RFC 9293 Figure 8)."),
    LOST_SEGMENT("Lost segment, retransmitted",
            "The client sends two segments; the wire loses the first. The server acknowledges what it has (a duplicate"
                    + " ACK) and the client's retransmission timer sends the lost one again (RFC 6298)."),
    FAST_RETRANSMIT("Fast retransmit",
            "The client sends five full segments; the wire loses the first. Each later one draws a duplicate ACK; the"
                    + " third makes the client resend without waiting for its timer (RFC 5681 3.2)."),
    ZERO_WINDOW("Zero window and persist probes",
            "The server's application reads nothing for a while: its 4 KiB buffer fills, its window falls to zero, and"
                    + " the client probes the window on its persist timer until the application reads (RFC 9293 3.8.6.1)."),
    CLOSE_FROM_CLIENT("Close from the client",
            "After the handshake the client closes first (FIN-WAIT-1, FIN-WAIT-2, TIME-WAIT); the server closes on"
                    + " reading the end (CLOSE-WAIT, LAST-ACK). TIME-WAIT lasts 2·MSL (RFC 9293 3.6)."),
    CLOSE_FROM_SERVER("Close from the server",
            "After the handshake the server closes first; the client answers with its own FIN and the server waits in"
                    + " TIME-WAIT (RFC 9293 3.6)."),
    SIMULTANEOUS_CLOSE("Simultaneous close",
            "Both ends close at once: their FINs cross, both pass through CLOSING into TIME-WAIT (RFC 9293 Figure 13)."),
    RESET("Reset",
            "After the handshake the client aborts: a RST, and both ends are CLOSED at once, with no FIN exchange"
                    + " (RFC 9293 3.10.5)."),
    SYN_TO_CLOSED_PORT("SYN to a closed port",
            "The client connects to port 81, where nobody listens: the server answers the SYN with a RST, and the"
                    + " connection is refused (RFC 9293 3.10.7.1).");

    /** The port the server listens on in every scenario but the closed-port one. */
    static final int SERVER_PORT = 80;
    static final int CLOSED_PORT = 81;
    /** When the scripted actions after the handshake happen: the handshake takes 15 ms on the 5 ms wire. */
    static final long AFTER_HANDSHAKE_MILLIS = 30;
    /** The data a full segment carries between two stacklab stacks: MSS 1460 less 12 bytes of timestamps option. */
    static final int FULL_SEGMENT = 1448;

    private final String title;
    private final String description;

    TcpScenario(String title, String description) {
        this.title = title;
        this.description = description;
    }

    public String title() {
        return title;
    }

    /** What happens, in two or three sentences, with the RFC section. */
    public String description() {
        return description;
    }

    /** The seed the app offers first: the scenario's place in the list, so that each looks the same everywhere. */
    public long defaultSeed() {
        return ordinal() + 1;
    }

    /** The server's TCP: a small receive buffer where the scenario needs its window to fill. */
    TcpConfig serverConfig() {
        return this == ZERO_WINDOW ? TcpConfig.defaults().withBuffers(4096, 256 * 1024) : TcpConfig.defaults();
    }

    /** Plays the script on {@code stage} at the start of the run (virtual time 0 of the scenario). */
    void play(TcpStepLab.Stage stage) {
        switch (this) {
            case HANDSHAKE -> {
                stage.listen();
                stage.connect(SERVER_PORT);
            }
            case SIMULTANEOUS_OPEN -> stage.openBothWays();
            case LOST_SEGMENT -> {
                stage.listen();
                TcpConnection client = stage.connect(SERVER_PORT);
                client.setNagle(false);
                stage.loseFirstDataFromClient();
                stage.at(AFTER_HANDSHAKE_MILLIS, () -> stage.send(client, "hello, "));
                stage.at(AFTER_HANDSHAKE_MILLIS + 1, () -> stage.send(client, "world"));
            }
            case FAST_RETRANSMIT -> {
                stage.listen();
                TcpConnection client = stage.connect(SERVER_PORT);
                stage.loseFirstDataFromClient();
                stage.at(AFTER_HANDSHAKE_MILLIS, () -> stage.send(client, new byte[5 * FULL_SEGMENT]));
            }
            case ZERO_WINDOW -> {
                stage.listen();
                TcpConnection client = stage.connect(SERVER_PORT);
                stage.at(AFTER_HANDSHAKE_MILLIS, () -> stage.send(client, new byte[8192]));
                for (long at = 1500; at <= 3000; at += 500) {
                    stage.at(at, stage::serverReadsAll);
                }
            }
            case CLOSE_FROM_CLIENT -> {
                stage.listen();
                TcpConnection client = stage.connect(SERVER_PORT);
                stage.at(AFTER_HANDSHAKE_MILLIS, client::close);
                stage.at(AFTER_HANDSHAKE_MILLIS + 30, () -> stage.serverConnection().close());
            }
            case CLOSE_FROM_SERVER -> {
                stage.listen();
                TcpConnection client = stage.connect(SERVER_PORT);
                stage.at(AFTER_HANDSHAKE_MILLIS, () -> stage.serverConnection().close());
                stage.at(AFTER_HANDSHAKE_MILLIS + 30, client::close);
            }
            case SIMULTANEOUS_CLOSE -> {
                stage.listen();
                TcpConnection client = stage.connect(SERVER_PORT);
                stage.at(AFTER_HANDSHAKE_MILLIS, () -> {
                    client.close();
                    stage.serverConnection().close();
                });
            }
            case RESET -> {
                stage.listen();
                TcpConnection client = stage.connect(SERVER_PORT);
                stage.at(AFTER_HANDSHAKE_MILLIS, client::abort);
            }
            case SYN_TO_CLOSED_PORT -> stage.connect(CLOSED_PORT);
        }
    }

    @Override
    public String toString() {
        return title;
    }
}
