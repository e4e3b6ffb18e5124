package dev.stacklab.runtime;

import dev.stacklab.capture.CapturedFrame;
import dev.stacklab.link.LinkEvent;
import dev.stacklab.link.LinkException;
import dev.stacklab.link.PcapLink;
import dev.stacklab.wire.MacAddress;

import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Watching an interface as Wireshark's live capture does: both directions, optionally through a BPF filter, and
 * no stack attached ({@link #stack()} is empty), so nothing is ever sent.
 *
 * <p>Directions: libpcap on Linux does not report per frame whether it went in or out, so a frame whose source
 * MAC is the interface's own is marked OUT (the host sent it) and every other frame IN. Frames another host sends
 * with our MAC as their source (a spoofer, a bridge looping back) are then marked OUT too; an interface without a
 * MAC marks everything UNKNOWN.
 */
public final class WatchOnlySession implements LabSession {
    private static final int SOURCE_MAC_OFFSET = 6;
    private static final int ETHERNET_HEADER = 14;

    private final String interfaceName;
    private final String captureFilter;
    private final CapturingLink tap;
    private final CopyOnWriteArrayList<Consumer<String>> linkDownListeners = new CopyOnWriteArrayList<>();

    private WatchOnlySession(String interfaceName, String captureFilter, CapturingLink tap) {
        this.interfaceName = interfaceName;
        this.captureFilter = captureFilter;
        this.tap = tap;
    }

    /**
     * Called (on the capture's thread) with a sentence saying why, when the capture stops for good: the interface
     * was removed or taken down. There is no stack whose listeners could hear it.
     */
    public void addLinkDownListener(Consumer<String> listener) {
        linkDownListeners.add(listener);
    }

    /**
     * Starts capturing on {@code interfaceName}.
     *
     * @param captureFilter a BPF expression ({@code "icmp or arp"}), or null or blank for every frame
     * @throws LinkException with a one-line message naming the fix: no such interface, no libpcap, no
     *     permission, or a filter that does not compile
     */
    public static WatchOnlySession open(String interfaceName, String captureFilter) throws LinkException {
        PcapLink link = PcapLink.openCapture(interfaceName, captureFilter);
        MacAddress own = link.hardwareAddress();
        CapturingLink tap = new CapturingLink(link, frame -> directionOf(frame, own));
        WatchOnlySession session = new WatchOnlySession(interfaceName,
                captureFilter == null || captureFilter.isBlank() ? null : captureFilter.strip(), tap);
        try {
            // Received frames go to the capture listeners only: there is no stack to hand them to.
            tap.start((frame, length, timestampNanos) -> { }, event -> {
                if (event.kind() == LinkEvent.Kind.LINK_DOWN) {
                    session.linkDownListeners.forEach(listener -> listener.accept(event.message()));
                }
            });
        } catch (RuntimeException e) {
            link.close();
            throw e;
        }
        return session;
    }

    static CapturedFrame.Direction directionOf(byte[] frame, MacAddress own) {
        if (own == null || frame.length < ETHERNET_HEADER) {
            return CapturedFrame.Direction.UNKNOWN;
        }
        return MacAddress.read(frame, SOURCE_MAC_OFFSET).equals(own) ? CapturedFrame.Direction.OUT : CapturedFrame.Direction.IN;
    }

    @Override
    public String name() {
        return interfaceName + " (watch only" + (captureFilter == null ? "" : ", filter: " + captureFilter) + ")";
    }

    public String interfaceName() {
        return interfaceName;
    }

    /** The BPF filter in effect, or null for every frame. */
    public String captureFilter() {
        return captureFilter;
    }

    @Override
    public Optional<StackRunner> stack() {
        return Optional.empty();
    }

    @Override
    public void addCaptureListener(Consumer<CapturedFrame> listener) {
        tap.addCaptureListener(listener);
    }

    @Override
    public void removeCaptureListener(Consumer<CapturedFrame> listener) {
        tap.removeCaptureListener(listener);
    }

    @Override
    public boolean showInCapture(CapturedFrame frame) {
        tap.publishFromBeside(frame);
        return true;
    }

    @Override
    public void close() {
        tap.close();
    }
}
