package dev.stacklab.link;

import dev.stacklab.wire.MacAddress;

/**
 * A duplex pipe of Ethernet frames between one stack and a network.
 *
 * <p>Life cycle: open (a factory such as {@link PcapLink#open}, which throws {@link LinkException} with a
 * message for a person), {@link #start} once, {@link #send} from any thread, {@link #close} once. Everything
 * that goes wrong after opening is a {@link LinkEvent}, so that one broken device or one refused frame never
 * takes down the thread that owns the stack.
 *
 * <p>Frames are whole Ethernet frames without preamble and FCS: destination MAC first.
 */
public interface Link extends AutoCloseable {
    /** A short name for messages and events, such as the interface name. */
    String name();

    /**
     * The MAC address the link's own device has, when the stack may sensibly use it as its own (a pcap
     * interface, a switch port); null when there is none or when using it would be wrong (a TAP device's
     * address belongs to the kernel on the other side of the device).
     */
    MacAddress hardwareAddress();

    /** The largest IP datagram the link carries, i.e. the frame size minus the 14-byte Ethernet header. */
    int mtu();

    /**
     * Starts delivering received frames to {@code receiver} on a thread the link owns. The receiver is called
     * from one thread at a time, in arrival order, and must not block for long: hand the frame to the owning
     * thread's queue and return. Can be called once.
     *
     * @param receiver gets every received frame; owns the array it is given
     * @param events gets errors and impairment reports; called from any thread
     * @throws IllegalStateException when already started or closed
     */
    void start(FrameSink receiver, LinkEventListener events);

    /**
     * Puts one frame on the wire. Thread-safe, and never blocks for long (no waiting on a full queue: a frame
     * that cannot be sent now is dropped and reported). The bytes are copied or written before this returns,
     * so the caller may reuse the array. Failures are reported as {@link LinkEvent}s (if the link was started),
     * never thrown.
     */
    void send(byte[] frame, int offset, int length);

    /**
     * Stops the reader thread and waits for it (within a second), then releases the device. Idempotent; frames
     * sent afterwards are dropped silently.
     */
    @Override
    void close();
}
