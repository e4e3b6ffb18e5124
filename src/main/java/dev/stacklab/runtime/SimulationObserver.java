package dev.stacklab.runtime;

import dev.stacklab.link.LinkEvent;
import dev.stacklab.stack.StackEvent;

/**
 * Watches a {@link Simulation} frame by frame: for tests (an event trace to compare) and for the UI (the ladder
 * diagram, step mode). Called on the simulation's thread, in virtual-time order. Frame arrays are shared:
 * never modify them.
 */
public interface SimulationObserver {
    /** A host's engine handed a frame to the network. */
    default void frameSent(long timeNanos, SimHost from, byte[] frame) {
    }

    /** The network handed a frame to a host's engine. */
    default void frameDelivered(SimFrame frame) {
    }

    /** An impairment lost, damaged, duplicated or held back a frame (the link name is the host's name). */
    default void linkEvent(LinkEvent event) {
    }

    /** What a host's engine did. */
    default void stackEvent(SimHost host, StackEvent event) {
    }
}
