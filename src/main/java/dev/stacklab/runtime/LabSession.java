package dev.stacklab.runtime;

import dev.stacklab.capture.CapturedFrame;
import dev.stacklab.wire.Ipv4Address;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * A network the desktop app is attached to: the simulated LAN, the lab veth with a real kernel, a real interface,
 * a TAP device, or a watch-only capture. It owns whatever it started (runners, links, namespaces) and removes it
 * on {@link #close()}.
 *
 * <p>Frames are reported to capture listeners on the session's own threads (the runner's, or the link's reader):
 * listeners must return at once and never block (the app hands them to its per-pulse event pump).
 */
public interface LabSession extends AutoCloseable {

    /** What the chooser shows for this network, e.g. "Simulated LAN" or "eth0 (watch only)". */
    String name();

    /** Our host's stack, or empty for a watch-only capture (no stack attached). */
    Optional<StackRunner> stack();

    /**
     * The host a user most likely wants to reach first (the simulated LAN's server, the lab network's kernel, the
     * interface's gateway), for the tool panes to offer instead of an empty field; empty when there is none.
     */
    default Optional<Ipv4Address> suggestedPeer() {
        return Optional.empty();
    }

    /**
     * The stack of the host at {@code address} when that host is a stacklab stack this session runs (the simulated
     * LAN's server and peer), so that the TCP pane can show that end's own states beside ours instead of inferring
     * them; empty for a real peer.
     */
    default Optional<StackRunner> peerStack(Ipv4Address address) {
        return Optional.empty();
    }

    /** Every frame seen on the network, both directions, in order; a listener added late sees only later frames. */
    void addCaptureListener(Consumer<CapturedFrame> listener);

    void removeCaptureListener(Consumer<CapturedFrame> listener);

    /**
     * Hands a frame that crossed a wire beside this network to this network's capture listeners, as if captured
     * here: the TCP pane's step-mode scenarios run on a simulated wire of their own, and their frames belong in the
     * same capture panes (and in everything that follows the capture, such as the ladder). Any thread; the
     * listeners run on the caller's, in the order frames are handed over.
     *
     * @return false when this network's capture cannot show them (nothing happened then)
     */
    default boolean showInCapture(CapturedFrame frame) {
        return false;
    }

    /** Stops the stack, closes links and removes what this session made. Never throws. */
    @Override
    void close();
}
