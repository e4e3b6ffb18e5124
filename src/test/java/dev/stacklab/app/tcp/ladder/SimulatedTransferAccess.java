package dev.stacklab.app.tcp.ladder;

import dev.stacklab.app.CaptureFeed;
import dev.stacklab.link.ImpairmentSettings;
import dev.stacklab.stack.tcp.TcpEvent;

import java.util.function.Consumer;

/** {@link SimulatedTransfer} for tests in other packages (the charts'). */
public final class SimulatedTransferAccess {
    private final SimulatedTransfer transfer;

    public SimulatedTransferAccess(long seed, ImpairmentSettings clientSending) {
        transfer = new SimulatedTransfer(seed, clientSending);
        transfer.tcpA.engine().publishSnapshots(true);
    }

    public CaptureFeed feed() {
        return transfer;
    }

    /** The client's TCP events, as the app's TCP pane receives them. */
    public void clientEvents(Consumer<TcpEvent> listener) {
        transfer.tcpA.addListener(listener::accept);
    }

    public void transfer(int bytes) {
        transfer.transfer(bytes);
    }

    public long clientConnectionId() {
        return transfer.client.id();
    }

    public void feedAll() {
        transfer.feed();
    }
}
