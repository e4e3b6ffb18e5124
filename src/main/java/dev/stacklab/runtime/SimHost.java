package dev.stacklab.runtime;

import dev.stacklab.link.ImpairmentSettings;
import dev.stacklab.link.Impairments;
import dev.stacklab.link.VirtualSwitch;
import dev.stacklab.stack.FrameTransmitter;
import dev.stacklab.stack.NetStack;
import dev.stacklab.stack.PingOutcome;
import dev.stacklab.stack.PingRequest;
import dev.stacklab.stack.StackConfig;
import dev.stacklab.stack.StackEvent;
import dev.stacklab.stack.StackEventListener;
import dev.stacklab.stack.UdpReceiver;
import dev.stacklab.stack.UdpSocket;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.MacAddress;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * One host of a {@link Simulation}: a {@link NetStack} on its own port of the simulated switch, with the
 * impairments of its cable. Every method runs the engine at the simulation's current time and belongs on the
 * simulation's thread. The stack itself may be used directly ({@link #stack()}) with {@link Simulation#now()}:
 * the simulation asks every engine when to poll before each event, so nothing done in between is missed.
 */
public final class SimHost {
    private final Simulation simulation;
    private final String name;
    private final int index;
    private final VirtualSwitch.Port port;
    private final NetStack stack;
    private final List<StackEventListener> listeners = new CopyOnWriteArrayList<>();
    private Impairments sendImpairments;
    private Impairments receiveImpairments;
    private Predicate<byte[]> sendLoss;
    /** When the host's cable is free again: frames queue behind one another on it, as on a real wire. */
    long uplinkFreeAtNanos = Long.MIN_VALUE;
    /** Where the engine's polls hand their frames: the cable, while its transmit ring has room. */
    final FrameTransmitter transmitter;

    SimHost(Simulation simulation, String name, int index, VirtualSwitch.Port port, StackConfig config) {
        this.simulation = simulation;
        this.name = name;
        this.index = index;
        this.port = port;
        this.stack = new NetStack(config, this::publish);
        this.transmitter = simulation.transmitterFor(this);
    }

    public String name() {
        return name;
    }

    public NetStack stack() {
        return stack;
    }

    public StackConfig config() {
        return stack.config();
    }

    public Ipv4Address address() {
        return stack.config().address().address();
    }

    public MacAddress mac() {
        return stack.config().mac();
    }

    public Simulation simulation() {
        return simulation;
    }

    VirtualSwitch.Port port() {
        return port;
    }

    int index() {
        return index;
    }

    /** Sees every event of this host's engine, on the simulation's thread. */
    public void addListener(StackEventListener listener) {
        listeners.add(listener);
    }

    public void removeListener(StackEventListener listener) {
        listeners.remove(listener);
    }

    private void publish(StackEvent event) {
        for (StackEventListener listener : listeners) {
            listener.onEvent(event);
        }
        simulation.publishStackEvent(this, event);
    }

    /** Sends an echo request now; the future completes when the outcome is reached in virtual time. */
    public SimFuture<PingOutcome> ping(PingRequest request) {
        SimFuture<PingOutcome> future = new SimFuture<>();
        stack.ping(request, simulation.now(), (sent, outcome) -> future.complete(outcome, simulation.now()));
        return future;
    }

    /** Resolves an on-link address with ARP now; empty when nobody answered. */
    public SimFuture<Optional<MacAddress>> resolve(Ipv4Address address) {
        SimFuture<Optional<MacAddress>> future = new SimFuture<>();
        stack.resolve(address, simulation.now(), (asked, mac) -> future.complete(Optional.ofNullable(mac), simulation.now()));
        return future;
    }

    /** Binds a UDP port on this host's stack (0 for an ephemeral one). */
    public UdpSocket udpBind(int port, UdpReceiver receiver) {
        return stack.udpBind(port, receiver);
    }

    /**
     * Impairs the frames this host sends (before they reach the switch), or stops impairing them ({@code null}
     * or {@link ImpairmentSettings#NONE}). Seeded from the simulation's seed and the host, so runs repeat.
     */
    public void impairSending(ImpairmentSettings settings) {
        sendImpairments = impairments(sendImpairments, settings, 0);
    }

    /** Impairs the frames delivered to this host (after the switch); see {@link #impairSending}. */
    public void impairReceiving(ImpairmentSettings settings) {
        receiveImpairments = impairments(receiveImpairments, settings, 1);
    }

    /** Impairs both directions of this host's cable alike, each direction with its own random stream. */
    public void impairCable(ImpairmentSettings settings) {
        impairSending(settings);
        impairReceiving(settings);
    }

    private Impairments impairments(Impairments current, ImpairmentSettings settings, int direction) {
        if (settings == null || settings.isNone()) {
            return null;
        }
        if (current != null) {
            // Keep the random stream going: changing a setting mid-run must not replay earlier draws.
            current.setSettings(settings);
            return current;
        }
        return new Impairments(settings, simulation.impairmentSeed(index, direction));
    }

    /**
     * Loses exactly the frames this host sends that {@code lost} picks, before they reach the switch (reported as a
     * DROPPED link event with the frame), or stops losing them ({@code null}). Unlike a loss rate this says which
     * segment goes: what a scenario that teaches retransmission needs. Called with each frame on the simulation's
     * thread; it may keep state (lose only the first of two equal segments).
     */
    public void loseSending(Predicate<byte[]> lost) {
        sendLoss = lost;
    }

    Predicate<byte[]> sendLoss() {
        return sendLoss;
    }

    Impairments sendImpairments() {
        return sendImpairments;
    }

    Impairments receiveImpairments() {
        return receiveImpairments;
    }

    @Override
    public String toString() {
        return name + " (" + stack.config().address() + ", " + stack.config().mac() + ")";
    }
}
