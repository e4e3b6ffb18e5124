package dev.stacklab.runtime;

/**
 * One frame handed by the simulated network to a host.
 *
 * @param sentAtNanos when the sender's engine handed it out
 * @param deliveredAtNanos when it reached the receiver
 * @param from the host that sent it
 * @param to the host it was delivered to
 * @param frame the bytes as delivered (after any impairment); shared with observers, never modify
 */
public record SimFrame(long sentAtNanos, long deliveredAtNanos, SimHost from, SimHost to, byte[] frame) {
    @Override
    public String toString() {
        return from.name() + " -> " + to.name() + " " + frame.length + " bytes at " + deliveredAtNanos + " ns";
    }
}
